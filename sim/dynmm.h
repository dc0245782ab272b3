/* Incremental max-min fair rates over a changing set of flows (the
 * dynamic engine's solver). Every flow that may ever be active is known
 * up front with its links (entries eoff[f] .. eoff[f+1] of elink / ew,
 * ew NULL meaning weight 1) and its demand; dynmm_add() and
 * dynmm_remove() start and stop one flow and bring every rate back to
 * the max-min allocation of the active set, recomputing only the
 * affected component:
 *
 *   - seeds: the flow itself (arrival) or the saturated links it crossed
 *     (completion);
 *   - closure: on a link saturated before the change and crossed by a
 *     component flow, the flows at the link's highest rate (the ones it
 *     may bottleneck) join, and so on from their links;
 *   - the component is solved by progressive filling (maxmin_solve), each
 *     link of its flows keeping the capacity flows outside the component
 *     leave it;
 *   - on a link the new rates saturate, an outside flow faster than every
 *     component flow there joins, and the component is solved again.
 *
 * An outside flow keeps its bottleneck (a saturated link where it is the
 * fastest): no component flow crosses it, or the closure would have
 * taken the flow in. A component flow ends at its demand or on a
 * saturated link where no outside flow is faster. So every flow has a
 * bottleneck and no link is over capacity: the max-min allocation (see
 * doc/capacity-report.md).
 *
 * The caller owns the arrays it passes and keeps them alive; dynmm_new()
 * / dynmm_free(). */
#ifndef CK_DYNMM_H
#define CK_DYNMM_H

#include <stdint.h>

#include "maxmin.h"

struct dynmm_net {
	uint32_t nlinks;
	const double *cap;	/* by link */
	uint32_t nflows;
	const double *demand;	/* by flow */
	const uint32_t *eoff;	/* nflows + 1 */
	const uint32_t *elink;
	const double *ew;	/* NULL: all 1 */
};

struct dynmm_stats {
	uint64_t events, solves;
	uint64_t flows, links;	/* summed over solves: component sizes */
};

struct dynmm;

struct dynmm *dynmm_new(const struct dynmm_net *n);
void dynmm_free(struct dynmm *m);
/* Start / stop flow f (it must be inactive / active). */
void dynmm_add(struct dynmm *m, uint32_t f);
void dynmm_remove(struct dynmm *m, uint32_t f);
/* Current rate of flow f (0 when inactive). */
double dynmm_rate(const struct dynmm *m, uint32_t f);
/* The flows whose rates the last add / remove recomputed. */
const uint32_t *dynmm_changed(const struct dynmm *m, uint32_t *n);
const struct dynmm_stats *dynmm_stats(const struct dynmm *m);
/* The checked reference: solve the whole active set again from scratch
 * and compare; returns the number of active flows whose rates differ by
 * more than rel (relative), and the worst such flow in *worst. */
uint32_t dynmm_check(struct dynmm *m, double rel, uint32_t *worst);

#endif
