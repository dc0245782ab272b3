/* Address plan: switch loopbacks and server addresses from the pools
 * (what lies below each switch, for the prefix filters: model.h). */
#ifndef CK_ADDR_H
#define CK_ADDR_H

#include <stddef.h>

#include "model.h"

int addr_plan(struct topo *t, struct ck_err *err);
/* Smallest list of prefixes covering exactly [lo, hi]; returns how many
 * were written (at most max; 64 always suffices). */
size_t addr_cover(uint32_t lo, uint32_t hi, struct topo_prefix *out,
		  size_t max);
/* Base address of a rack's server block. */
uint32_t addr_rack_base(const struct topo *t, uint32_t rack);

#endif
