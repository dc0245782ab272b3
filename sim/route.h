/* Valley-free shortest-path routing, as eBGP with multipath-relax builds
 * it in a CLOS whose switches only send up what is below them: a packet
 * climbs to the lowest tier from which its destination is reachable going
 * only down, then descends; every equal-cost next hop is kept, parallel
 * links included, and a server's ECMP set holds all its live ToR uplinks.
 *
 * Destinations are grouped in classes: servers attached (by live links) to
 * the same set of ToRs route identically above the ToR, so one table of
 * hop distances per class (over switches only) serves them all. Tables
 * are computed on first use. The route borrows the net; after changing
 * failures on the net, call route_reset(). */
#ifndef CK_ROUTE_H
#define CK_ROUTE_H

#include <stdbool.h>
#include <stdint.h>

#include "net.h"

#define ROUTE_NONE UINT32_MAX

struct route;

struct route *route_new(const struct net *n);
void route_free(struct route *r);
/* Forget every table: the net's failures changed. */
void route_reset(struct route *r);
/* The class of destination server dst, its table ready; ROUTE_NONE when
 * dst has no live uplink. */
uint32_t route_class(struct route *r, uint32_t dst);
/* The class of server s without computing its table (ROUTE_NONE when s
 * has no live uplink): servers of a class leave by the same live ToR
 * uplinks, in port order, so they route alike as sources too. */
uint32_t route_class_peek(const struct route *r, uint32_t s);
/* Equal-cost next hops (directed link ids) from node u toward dst of class
 * c, into out (room for net->maxdeg); returns how many (0: unreachable). */
uint32_t route_next(const struct route *r, uint32_t c, uint32_t u,
		    uint32_t dst, uint32_t *out);
/* Hops from u to a destination of class c (UINT32_MAX if unreachable). */
uint32_t route_dist(const struct route *r, uint32_t c, uint32_t u);
const struct net *route_net(const struct route *r);

/* Single-switch failure sweeps (N+1) without recomputing every table:
 * route_save() computes and keeps all tables of the current state; after
 * failing one switch x on the net, route_switch_failed() drops only the
 * tables x can change;
 * after restoring x, route_switch_restored() puts the saved ones back. */
void route_save(struct route *r);
void route_switch_failed(struct route *r, uint32_t x);
void route_switch_restored(struct route *r);
/* Whether class c's table differs from the saved one since the failures
 * (false without route_save()). Failing several switches: fail them all
 * on the net, then call route_switch_failed() for each. */
bool route_changed(const struct route *r, uint32_t c);

#endif
