/* Private to the dynamic workload (dyn.c and its two engines): one run's
 * flows, arrivals, sizes and results, and what the engines report back.
 * Both engines simulate the same arrivals and call dynrun_finish() at
 * every completion and dynrun_active() at every event. */
#ifndef CK_DYNRUN_H
#define CK_DYNRUN_H

#include <stdint.h>

#include "dyn.h"
#include "sim.h"

struct dynrun {
	struct sim *s;
	const struct dyn_opts *o;
	struct flows *f;	/* every flow, placed once up front */
	uint32_t n;		/* flows generated */
	double *arrive, *bits, *fct;	/* fct NaN: unroutable or unfinished */
	uint32_t *srv;		/* node -> server ordinal */
	/* measured flows: arrivals [meas_lo, meas_hi); pending unfinished */
	uint32_t meas_lo, meas_hi, pending, drained;
	/* steady state: time-weighted active flows over the two halves of
	 * the measured arrivals' span */
	double win_lo, win_mid, win_hi, area[2], t_last;
	uint32_t nactive;
	uint64_t events, mismatches;
	uint64_t solves, comp_flows, comp_links;	/* incremental engine */
	double t_end;		/* simulated */
	double engine_s, engine_cpu_s;	/* the engine's wall and CPU time */
};

/* Flow a completed (or was dropped as unroutable, NaN) at time t. */
void dynrun_finish(struct dynrun *d, uint32_t a, double t);
/* The active count changes to nactive at time t. */
void dynrun_active(struct dynrun *d, double t, uint32_t nactive);

/* The engines: run until every measured flow has finished. */
void dyninc_run(struct dynrun *d, dyn_progress_fn progress, void *arg);
void dynfull_run(struct dynrun *d, dyn_progress_fn progress, void *arg);

#endif
