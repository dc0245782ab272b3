/* The scenario space of an N+k sweep: k-subsets of switches, taken within
 * segments (one segment per tier, or one of all switches), in a fixed
 * order: segment by segment, and inside a segment the k-subsets of its
 * members (node order) in lexicographic order. A scenario's index in that
 * order is what shards split (index mod N) and what ties fall back on, so
 * every run of the same options sees the same scenarios in the same
 * order. combo_new() copies what it needs; combo_free() releases it. */
#ifndef CK_COMBO_H
#define CK_COMBO_H

#include <stdbool.h>
#include <stdint.h>

#include "topo.h"

#define COMBO_MAX_K 4

struct combo {
	uint32_t k;
	uint32_t nseg;
	uint32_t **mem;		/* segment -> member node ids */
	uint32_t *nmem;		/* segment -> how many */
	uint64_t *first;	/* segment -> index of its first scenario */
	uint64_t total;		/* scenarios in all */
};

/* within_tiers: one segment per tier; else one of every switch. */
struct combo *combo_new(const struct topo *t, uint32_t k, bool within_tiers);
void combo_free(struct combo *c);
/* C(n, k), saturating at UINT64_MAX. */
uint64_t combo_count(uint64_t n, uint32_t k);
/* Scenario idx (< total) as k node ids, ascending in node order. */
void combo_unrank(const struct combo *c, uint64_t idx, uint32_t *nodes);
/* n distinct scenario indices drawn with seed, ascending, into a new
 * array (n < total). */
uint64_t *combo_sample(const struct combo *c, uint64_t n, uint64_t seed);

#endif
