/* The planner's report: everything capacity-report prints, computed once
 * as a JSON value (text and HTML are rendered from it, so formats never
 * disagree). capacity_run() loads nothing itself: the caller passes the
 * loaded topology and owns the returned value. */
#ifndef CK_CAPACITY_H
#define CK_CAPACITY_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "dyn.h"
#include "err.h"
#include "mode.h"
#include "topo.h"

#define CAPACITY_MAX_LIST 64

/* Progress of a long step: done out of total (total 0: finished). */
typedef void (*capacity_progress_fn)(void *arg, const char *what,
				     uint64_t done, uint64_t total);

struct capacity_opts {
	const char *patterns[CAPACITY_MAX_LIST];
	size_t npatterns;
	const struct mode_ops *modes[CAPACITY_MAX_LIST];
	size_t nmodes;
	const char *fails[CAPACITY_MAX_LIST];
	size_t nfails;
	uint64_t seed;
	uint32_t per_pair;
	bool verdict;		/* run the non-blocking checks */
	bool nplus1;
	const struct mode_ops *nplus1_modes[CAPACITY_MAX_LIST];
	size_t nplus1_nmodes;
	uint32_t shard, nshards;	/* 0-based shard of nshards */
	uint32_t jobs;		/* threads for the N+1 sweep */
	bool dynamic;
	struct dyn_opts dyn;
	/* --load A,B,...: two or more run the dynamic workload once per
	 * load, on the same seed, as "dynamicSweep" (an array of what
	 * "dynamic" holds for one load); with fewer, dyn.load alone */
	double loads[CAPACITY_MAX_LIST];
	size_t nloads;
	FILE *links_out, *flows_out;	/* borrowed; NULL: not wanted */
	capacity_progress_fn progress;
	void *progress_arg;
};

/* Defaults: permutation and rack-to-rack, spray + ecmp + ecmp-unsalted,
 * seed 1, one flow per pair, verdict on. */
void capacity_defaults(struct capacity_opts *o);
json_t *capacity_run(const struct topo *t, const struct capacity_opts *o,
		     struct ck_err *err);

#endif
