/* What-if sweeps: `--sweep seeds=1-20,load=0.3:0.9:0.2,traffic=A|B` runs
 * capacity_run() on the product of the listed values (axes in the order
 * given, the last varying fastest) and reports, per figure (fraction of
 * ideal per pattern and mode, the verdict as 1/0, dynamic slowdowns per
 * bucket), min / median / max over the runs. Point i belongs to shard
 * i mod N; sweep_fold()/sweep_finish() rebuild the whole sweep from its
 * shards. */
#ifndef CK_SWEEP_H
#define CK_SWEEP_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "capacity.h"
#include "err.h"

#define SWEEP_MAX_VALUES 1000

struct sweep_spec {
	uint64_t seeds[SWEEP_MAX_VALUES];
	size_t nseeds;
	double loads[SWEEP_MAX_VALUES];
	size_t nloads;
	const char *traffic[SWEEP_MAX_VALUES];	/* into text */
	size_t ntraffic;
	char axis[3];		/* axes in the order given: 's', 'l', 't' */
	size_t naxes;
	char *text;		/* owned copy of the spec */
	char *buf;		/* owned; the values point into it */
};

/* Parse; -1 with err saying which item is wrong and what is expected.
 * sweep_spec_free() releases text. */
int sweep_parse(const char *spec, struct sweep_spec *sp, struct ck_err *err);
void sweep_spec_free(struct sweep_spec *sp);
uint64_t sweep_points(const struct sweep_spec *sp);
/* This shard's points (base: the options they vary); {"spec", "points",
 * "axes", "runs": [{"index", "seed", "load", "traffic", "figures"}],
 * "figures": [{"figure", "runs", "min", "median", "max"}]}. */
json_t *sweep_run(const struct topo *t, const struct capacity_opts *base,
		  const struct sweep_spec *sp, struct ck_err *err);
/* Append b's runs to a (another shard of the same sweep). */
void sweep_fold(json_t *a, const json_t *b);
/* Runs in index order, figures recomputed from them. */
void sweep_finish(json_t *sw);

#endif
