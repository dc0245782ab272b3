/* What lies below a switch: every node reached from it by going only down
 * (toward the servers), through any number of tiers. The prefix filters
 * (ctx.c) admit exactly the addresses of these nodes; the summary uses it
 * to tell which tiers reach every server. */
#ifndef CK_BELOW_H
#define CK_BELOW_H

#include <stdint.h>

#include "topo.h"

/* The nodes below node (node itself excluded), each once, in no
 * particular order; *n gets how many. Caller frees. */
uint32_t *below_nodes(const struct topo *t, uint32_t node, uint32_t *n);
/* How many servers lie below node. */
uint32_t below_servers(const struct topo *t, uint32_t node);

#endif
