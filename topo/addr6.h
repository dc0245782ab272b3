/* The IPv6 half of a dual-stack fabric (pools.loopbacks6, pools.servers6).
 * A node's IPv6 address is its IPv6 pool's base plus the offset its IPv4
 * address has in the matching IPv4 pool, so the IPv6 plan has the same
 * hierarchical order, the same aligned rack blocks and the same prefix
 * filters as the IPv4 one, each block /(len + 96) instead of /len. */
#ifndef CK_ADDR6_H
#define CK_ADDR6_H

#include <netinet/in.h>

#include "model.h"
#include "ydoc.h"

/* "fd00:0:1::ff/128" fits */
#define ADDR6_STRLEN (INET6_ADDRSTRLEN + 4)

/* Read the optional IPv6 pools from the pools mapping: both or neither,
 * no link-local or multicast prefix, no overlap. Sets t->dual_stack. */
int addr6_load(struct topo *t, struct ydoc *d, ynode *pools);
/* After the IPv4 plan: each IPv6 pool must hold what its IPv4 twin uses. */
int addr6_plan(const struct topo *t, struct ck_err *err);
/* A node's IPv6 address (no length) into buf (ADDR6_STRLEN bytes). */
char *addr6_node(const struct topo *t, const struct topo_node *n, char *buf);
/* The IPv6 twin of an IPv4 prefix that lies inside one of the IPv4 pools,
 * as "ADDR/LEN", into buf (ADDR6_STRLEN bytes). */
char *addr6_prefix(const struct topo *t, const struct topo_prefix *p4,
		   char *buf);
/* "ADDR/LEN" of an IPv6 pool into buf (ADDR6_STRLEN bytes). */
char *addr6_pool(const struct topo_prefix6 *p, char *buf);

#endif
