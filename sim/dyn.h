/* Dynamic workload: flows arrive as a Poisson process whose rate offers
 * `load` times the servers' total nominal rate, between uniformly random
 * server pairs, with sizes drawn from a CDF. Max-min rates are recomputed
 * at every arrival and completion (each server's nominal rate is a cap
 * shared by its concurrent flows). The result is the flow-completion-time
 * slowdown (FCT over the FCT alone on an idle fabric at the server's rate)
 * by size bucket. */
#ifndef CK_DYN_H
#define CK_DYN_H

#include <jansson.h>
#include <stdint.h>

#include "err.h"
#include "mode.h"

struct sim;

struct dyn_opts {
	double load;		/* (0, 1] */
	const char *sizes;	/* websearch, datamining or a CDF file */
	uint32_t nflows;
	const struct mode_ops *mode;
};

typedef void (*dyn_progress_fn)(void *arg, uint64_t done, uint64_t total);

/* {"load", "sizes", "mode", "flows", "simulatedSeconds", "buckets":
 *  [{"bucket", "maxBytes", "flows", "p50", "p99", "mean"}], "cdf":
 *  [[slowdown, fraction], ...]}; NULL with err on bad options. */
json_t *dyn_run(struct sim *s, const struct dyn_opts *o, uint64_t seed,
		dyn_progress_fn progress, void *arg, struct ck_err *err);

#endif
