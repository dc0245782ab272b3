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

/* planned[i]: self (this node, its port) and expected (the peer, or NULL
 * node for a port the plan leaves empty); seen is filled in here. Returns
 * {"node", "ports": [{"port", "expected", "seen", "state"}],
 *  "counts": {"ok", "miswired", "missing", "unexpected"}}, a new
 * reference. counts (may be NULL) receives the same counts by state. */
json_t *portcheck_json(const char *node, const struct cabling_port *planned,
		       size_t n, const struct lldp_neighbor *nb, size_t nn,
		       unsigned long counts[CABLING__COUNT]);

#endif
