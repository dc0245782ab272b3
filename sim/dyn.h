/* Dynamic workload: flows arrive as a Poisson process whose rate offers
 * `load` times the servers' total nominal rate, between uniformly random
 * server pairs, with sizes drawn from a CDF (whole bytes). Max-min rates
 * hold between events (each server's nominal rate is a cap shared by its
 * concurrent flows); the incremental engine (dynmm.h) re-solves only what
 * an arrival or completion reaches, the full one re-solves everything.
 * The result is the flow-completion-time slowdown (FCT over the FCT alone
 * on an idle fabric at the server's rate) by size bucket, over the flows
 * that arrive after the warm-up. */
#ifndef CK_DYN_H
#define CK_DYN_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"
#include "mode.h"

struct sim;

/* A p99 over fewer flows than this is flagged ("p99FewFlows"): below
 * 100 samples the 99th percentile is the largest one or two values. */
#define DYN_MIN_P99_FLOWS 100

struct dyn_opts {
	double load;		/* (0, 1] */
	const char *sizes;	/* websearch, datamining or a CDF file */
	uint32_t nflows;
	const struct mode_ops *mode;
	double warmup;		/* [0, 1): share of the arrivals' span dropped */
	/* > 0: measure this many flows after the warm-up (nflows is then
	 * derived: warm-up, these, and a tail of arrivals that keeps the
	 * load on while they finish) */
	uint32_t until;
	bool full;		/* the reference engine: re-solve everything */
	bool check;		/* compare with a full re-solve at every event */
	FILE *flows_out;	/* borrowed; NULL: not wanted */
};

typedef void (*dyn_progress_fn)(void *arg, uint64_t done, uint64_t total);

/* {"load", "sizes", "mode", "engine", "flows", "unroutable",
 *  "warmupFraction", "warmupSeconds", "warmupFlows", "measuredFlows",
 *  "drainedFlows", "events", "checkMismatches" (with check),
 *  "simulatedSeconds", "activeFlows": {"firstHalf", "secondHalf"},
 *  "steady", "note" (when not steady), "buckets": [{"bucket",
 *  "maxBytes", "flows", "p50", "p99", "p99FewFlows", "mean"}], "cdf": [[slowdown,
 *  fraction], ...]}; NULL with err on bad options or a failed write of
 *  flows_out (one JSON object per flow, see doc/capacity-report.md). */
json_t *dyn_run(struct sim *s, const struct dyn_opts *o, uint64_t seed,
		dyn_progress_fn progress, void *arg, struct ck_err *err);

#endif
