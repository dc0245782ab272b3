/* Which servers can reach each other at all, under the net's current
 * failures, with the routing BGP builds (valley-free: up to a common
 * tier, then down). A fabric with pairs that cannot is partitioned, by
 * its design or by failures, whatever the traffic. */
#ifndef CK_REACH_H
#define CK_REACH_H

#include <stdint.h>

#include "route.h"

/* Unordered server pairs {a, b} where a cannot reach b or b cannot reach
 * a. Servers attached to the same live ToRs route alike, so the count
 * runs over route classes: O(classes^2 x uplinks), computing every
 * class's table. */
uint64_t reach_unreachable_pairs(struct route *r);

#endif
