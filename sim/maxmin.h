/* Max-min fair rates with demands as caps, by progressive filling: every
 * unfrozen flow grows at the same pace; a link freezes the flows crossing
 * it when it saturates, a flow freezes on its own when it reaches its
 * demand. Links sit in a heap keyed by the rate level at which they would
 * saturate, (capacity - load of frozen flows) / (sum of the weights of the
 * unfrozen ones), so each step is a heap pop and each freeze moves the
 * links of one flow: O((L + F h) log L) in all.
 *
 * Weights are the fraction of a flow's rate a link carries (spray); NULL
 * weights mean 1 everywhere (single path). A flow with no links is given
 * rate 0 (unroutable). The solver keeps its work arrays between calls:
 * maxmin_new() / maxmin_free().
 *
 * Shared DAGs (flows.h): flows may also cross a DAG's links, listed once
 * for all its flows. As unfrozen flows grow at one pace, a DAG link holds
 * weight x (unfrozen flows of the DAG) and saturating freezes them all;
 * a DAG's flows that freeze one by one (at their demand, or on their own
 * links) are taken off its links in batches, which leaves link keys
 * below their true level, never above, until the heap's top is settled
 * before it counts. The cost then follows the DAGs' size, not the
 * flows'. */
#ifndef CK_MAXMIN_H
#define CK_MAXMIN_H

#include <stdint.h>

struct maxmin_problem {
	uint32_t nlinks;
	const double *cap;	/* by link */
	uint32_t nflows;
	const double *demand;	/* by flow */
	const uint32_t *off;	/* nflows + 1 */
	const uint32_t *link;	/* off[nflows] entries */
	const double *w;	/* NULL: all 1 */
};

/* Shared DAGs: flow f also crosses DAG dag[f] (UINT32_MAX: none), the
 * links link[off[d] .. off[d + 1]) with weights w. */
struct maxmin_dags {
	const uint32_t *dag;	/* by flow */
	uint32_t n;
	const uint32_t *off;	/* n + 1 */
	const uint32_t *link;
	const double *w;
};

struct maxmin;

struct maxmin *maxmin_new(void);
void maxmin_free(struct maxmin *m);
/* Solve into rate[nflows]. */
void maxmin_solve(struct maxmin *m, const struct maxmin_problem *p,
		  double *rate);
/* The same with shared DAGs (g borrowed for the call). */
void maxmin_solve_dags(struct maxmin *m, const struct maxmin_problem *p,
		       const struct maxmin_dags *g, double *rate);

#endif
