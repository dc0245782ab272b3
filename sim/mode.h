/* Routing modes: how a flow uses the equal-cost paths route.h offers.
 *   ecmp           one path, chosen hop by hop by a hash of the flow's
 *                  5-tuple salted per switch (what the fabric really does;
 *                  hash collisions included)
 *   ecmp-unsalted  the same hash at every hop: choices at successive
 *                  tiers are correlated and part of the fabric idles
 *                  (polarization)
 *   spray          the flow split evenly over every equal-cost path
 *                  (ideal load balancing; defines "non-blocking")
 * place() fills the flows' placement and returns how many flows could not
 * be routed (left with no links; the solver gives them rate 0).
 * place_shared(), where a mode has it, does the same as a shared placement
 * (flows.h): one DAG for all flows that route alike. */
#ifndef CK_MODE_H
#define CK_MODE_H

#include <stdbool.h>
#include <stdint.h>

#include "flows.h"
#include "route.h"

struct mode_ops {
	const char *name;
	const char *what;
	bool weighted;
	uint32_t (*place)(struct route *r, struct flows *f);
	uint32_t (*place_shared)(struct route *r, struct flows *f);
};

extern const struct mode_ops mode_ecmp, mode_ecmp_unsalted, mode_spray;
/* NULL-terminated, in the order reports list them. */
extern const struct mode_ops *const mode_all[];

const struct mode_ops *mode_find(const char *name);
/* The ECMP hash of a flow's 5-tuple (src, dst, sport, dport, TCP), and its
 * per-switch salted form. */
uint64_t mode_hash(const struct net *n, uint32_t src, uint32_t dst,
		   uint16_t sport);
uint64_t mode_salt(const struct net *n, uint64_t h, uint32_t node);

#endif
