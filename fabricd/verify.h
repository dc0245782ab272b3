/* Is the node healthy? Every expected BGP peer Established and, when the
 * node runs BFD, a BFD session up on the same interface. Pure: takes the
 * JSON of "show bgp summary json" and "show bfd peers json". */
#ifndef FD_VERIFY_H
#define FD_VERIFY_H

#include <jansson.h>

#include "sbuf.h"

struct nodecfg;

/* 1 when healthy, 0 when not (why lists the peers that are not). */
int verify_peers(const struct nodecfg *c, const char *bgp_json,
		 const char *bfd_json, int check_bfd, struct sbuf *why);
/* [{"interface", "peerNode", "bgp": state, "bfd": status}] for every
 * expected peer (c may be NULL: then every peer BGP reports). */
json_t *verify_peer_table(const struct nodecfg *c, const char *bgp_json,
			  const char *bfd_json);

#endif
