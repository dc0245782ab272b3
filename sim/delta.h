/* Cheap failure scenarios for N+k sweeps. The placement of the flows on
 * the fabric as given (intact, or with --fail applied) is computed once
 * (delta_base_new); a scenario with switches X failed then
 *   - re-places only the flows whose next-hop set changes somewhere on
 *     their path: flows through X, flows that a neighbour of X sent toward
 *     a member of X, flows whose destination's routing table changed
 *     (route_changed); every other flow keeps its path exactly;
 *   - re-solves max-min only where it can change: a link whose summed
 *     demand does not exceed its capacity never limits a flow, so the
 *     problem reduces to the overloaded links, which split into
 *     independent components; only the components the scenario touches
 *     (and those it joins them to) are solved again, the rest keep the
 *     baseline's loss.
 * The result equals re-placing and re-solving everything (a Check test
 * compares them on every pair of switches of small fabrics).
 *
 * The base borrows the sim and flows it was built from only while being
 * built; it is shared read-only by the workers. Each worker owns a delta
 * over its own sim (same topology, same failures, route_save() done). */
#ifndef CK_DELTA_H
#define CK_DELTA_H

#include <stdint.h>

#include "flows.h"
#include "mode.h"
#include "sim.h"

struct delta_base;
struct delta;

struct delta_base *delta_base_new(struct sim *s, const struct flows *f,
				  const struct mode_ops *m);
void delta_base_free(struct delta_base *b);
/* Offered and achieved bits per second on the fabric as given. */
double delta_base_offered(const struct delta_base *b);
double delta_base_achieved(const struct delta_base *b);

struct delta *delta_new(const struct delta_base *b, struct sim *ws);
void delta_free(struct delta *d);
/* Achieved bits per second with x[0..k) failed: the caller has failed
 * them on the worker's net and told its route (route_switch_failed). */
double delta_eval(struct delta *d, const uint32_t *x, uint32_t k);

#endif
