/* N+1: for every switch tier, the throughput lost when its worst single
 * switch fails, for a given set of flows (BGP reroutes around the failed
 * switch; ECMP re-hashes over the smaller next-hop sets). A sweep can be
 * split into shards (switch i belongs to shard i mod nshards) to run as
 * an array job; merging shards keeps the smallest fraction per tier. */
#ifndef CK_NPLUS1_H
#define CK_NPLUS1_H

#include <jansson.h>
#include <stdint.h>

#include "flows.h"
#include "mode.h"
#include "sim.h"

typedef void (*nplus1_progress_fn)(void *arg, uint64_t done, uint64_t total);

struct nplus1_opts {
	const struct mode_ops *const *modes;
	size_t nmodes;
	uint32_t shard, nshards;
	uint32_t jobs;		/* worker threads */
	nplus1_progress_fn progress;
	void *arg;
};

/* {"shard": I, "shards": N, "baseline": [{"mode", "achievedGbps",
 *  "fraction"}], "tiers": [{"tier", "switches", "tried", "modes": [{"mode",
 *  "worst", "fraction", "lostGbps", "lostFraction"}]}]}; new reference.
 * The net's failures are restored on return. */
json_t *nplus1_run(struct sim *s, struct flows *f,
		   const struct nplus1_opts *o);

#endif
