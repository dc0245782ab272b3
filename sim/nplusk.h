/* N+k: the throughput left when k switches fail together, for every
 * k-subset of switches within each tier (or across tiers), or a seeded
 * sample of them. Scenarios follow combo.h's order; shard I of N takes
 * positions I-1, I-1+N, ... of that order (of the sample when sampling),
 * so shards partition the sweep exactly. Each scenario is evaluated
 * cheaply (delta.h). */
#ifndef CK_NPLUSK_H
#define CK_NPLUSK_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "capacity.h"
#include "err.h"
#include "flows.h"
#include "mode.h"
#include "nplus1.h"
#include "sim.h"

struct nplusk_opts {
	uint32_t k;		/* 1..COMBO_MAX_K */
	bool all_tiers;		/* subsets across tiers too */
	uint64_t sample;	/* 0: every scenario */
	uint64_t seed;
	const struct mode_ops *const *modes;
	size_t nmodes;
	uint32_t shard, nshards;	/* 0-based */
	uint32_t jobs;
	nplus1_progress_fn progress;
	void *arg;
};

/* {"k", "scope": "tier"|"all", "sample": N|null, "scenarios", "baseline":
 *  [{"mode", "achievedGbps", "fraction"}], "tiers": [{"tier",
 *  "scenarios", "tried", "isolating", "modes": [{"mode", "worst":
 *  [NAME...], "scenario", "fraction", "lostGbps", "lostFraction"}]}]};
 * new reference. s keeps its failures; f is read only. */
json_t *nplusk_run(struct sim *s, const struct flows *f,
		   const struct nplusk_opts *o);
/* The number of scenarios the options describe (before sharding). */
uint64_t nplusk_count(const struct topo *t, const struct nplusk_opts *o);

/* The sweep on t as capacity-report runs it: c's failures applied, flows
 * of c's first pattern that applies to the fabric (as N+1 takes it) with
 * c's seed; "pattern" added. JSON null when no pattern applies (the
 * caller lists the sweep as skipped); NULL with err when a failure or a
 * pattern is bad. */
json_t *nplusk_report(const struct topo *t, const struct capacity_opts *c,
		      const struct nplusk_opts *o, struct ck_err *err);

#endif
