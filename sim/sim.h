/* One simulation context over a loaded topology: the directed-link net,
 * its routing tables and the solver's work arrays, reused across runs
 * (patterns, modes, failure sweeps). sim_new() borrows the topology;
 * sim_free() releases the rest. */
#ifndef CK_SIM_H
#define CK_SIM_H

#include <stdbool.h>
#include <stdint.h>

#include "flows.h"
#include "maxmin.h"
#include "mode.h"
#include "net.h"
#include "route.h"

struct sim {
	struct net *net;
	struct route *route;
	struct maxmin *mm;
	double *load;		/* by directed link, after sim_load() */
	/* Place with the mode's shared placement where it has one (spray):
	 * memory and time then follow the distinct DAGs, not the flows, and
	 * the rates are the same up to rounding. Off by default: set it only
	 * where every reader of the placement takes flows_runs(). */
	bool share;
};

struct sim_result {
	uint32_t flows, unroutable;
	double offered, achieved;	/* bits per second */
	double place_s, solve_s;	/* wall time of each step */
};

struct sim *sim_new(const struct topo *t);
void sim_free(struct sim *s);
/* The net's failures changed: rebuild routing lazily. */
void sim_failures_changed(struct sim *s);
/* Place f with mode m, solve max-min rates into f->rate, sum up. */
void sim_run(struct sim *s, const struct mode_ops *m, struct flows *f,
	     struct sim_result *res);
/* Per directed link load (bps) of the last placement into s->load. */
void sim_load(struct sim *s, const struct flows *f);
double sim_fraction(const struct sim_result *res);
double sim_now(void);

#endif
