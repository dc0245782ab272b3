/* What LLDP sees on this box's ports, through lldpd's control socket
 * (liblldpctl), behind an ops table so the cabling logic is tested
 * without lldpd. lldpd must send the interface name as port id
 * (`configure lldp portidsubtype ifname`, as Cumulus Linux and SONiC do);
 * for a neighbour that sends another kind of id, the port description is
 * taken instead. */
#ifndef FD_LLDP_H
#define FD_LLDP_H

#include <stddef.h>

#include "conffile.h"
#include "err.h"

struct lldp_neighbor {
	char port[64];		/* our interface */
	char node[256];		/* the neighbour's system name */
	char peer_port[256];	/* its port id (interface name) */
};

struct lldp_ops {
	/* Every neighbour lldpd knows of, one per local port (the first
	 * when a port sees several). *out is malloc'd (NULL when there are
	 * none), the caller frees it. -1 + err when lldpd cannot be asked. */
	int (*neighbors)(const struct config *c, struct lldp_neighbor **out,
			 size_t *n, struct ck_err *err);
	/* The system name lldpd announces: set it to name unless it already
	 * is. 1: changed, 0: already so, -1 + err. */
	int (*system_name)(const struct config *c, const char *name,
			   struct ck_err *err);
};

extern const struct lldp_ops lldp_lldpctl_ops;

#endif
