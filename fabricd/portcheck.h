/* GET /v1/cabling on the agent: this node's ports as planned (node.json
 * interfaces and their peers) against the LLDP neighbours lldpd reports,
 * one entry per port, in the plan's order, then the ports the plan leaves
 * empty that have a neighbour. Only front-panel ports (swpN, the names
 * fabric-gen gives switch ports) count as left empty: a neighbour on a
 * management port (eth0) is not the fabric's business. Pure: the caller fetches the neighbours
 * (lldp_ops) and the plan. */
#ifndef FD_PORTCHECK_H
#define FD_PORTCHECK_H

#include <stddef.h>

#include <jansson.h>

#include "cabling.h"
#include "lldp.h"
#include "sbuf.h"

/* planned[i]: self (this node, its port) and expected (the peer, or NULL
 * node for a port the plan leaves empty); seen is filled in here. Returns
 * {"node", "ports": [{"port", "expected", "seen", "state"}],
 *  "counts": {"ok", "miswired", "missing", "unexpected"}}, a new
 * reference. counts (may be NULL) receives the same counts by state. */
json_t *portcheck_json(const char *node, const struct cabling_port *planned,
		       size_t n, const struct lldp_neighbor *nb, size_t nn,
		       unsigned long counts[CABLING__COUNT]);

struct nodecfg;

/* GET /v1/cabling: n's planned ports (NULL n: none applied yet) against
 * what lldpd reports through ops. NULL with err when lldpd cannot be
 * asked. */
json_t *portcheck_node(const struct config *c, const struct lldp_ops *ops,
		       const struct nodecfg *n,
		       unsigned long counts[CABLING__COUNT], struct ck_err *err);

/* The push's cabling check: n's BGP peer ports that LLDP shows cabled to
 * another port than planned, as "swp5 (sees spine02 swp1, planned spine01
 * swp1)" joined by "; " into why, and as {"port", "expected", "seen"}
 * objects appended to ports. Ports with no neighbour yet (a cable not lit)
 * do not count. The number found, or -1 with err when lldpd cannot be
 * asked. */
int portcheck_miswired(const struct config *c, const struct lldp_ops *ops,
		       const struct nodecfg *n, struct sbuf *why,
		       json_t *ports, struct ck_err *err);

#endif
