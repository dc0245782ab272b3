/* Traffic patterns: which servers talk to which. Each pattern is an ops
 * entry; a spec is "NAME" or "NAME:ARG":
 *   permutation     every server to one other, a random derangement
 *   stride:K        server i to server i + K (mod servers, node order)
 *   rack-to-rack    server x of rack r to server x of rack r + 1
 *   all-to-all:N    every server to N distinct random others
 *   incast:K        groups of K senders and one receiver, at random
 *   file:PATH       CSV lines "src,dst[,flows]" of server names, flows
 *                   1..100000, at most 10^7 flows in all
 * Every pair becomes --flows-per-pair flows (times the file's count) with
 * random source ports; each server's rate is spread over its flows. */
#ifndef CK_TRAFFIC_H
#define CK_TRAFFIC_H

#include <stdbool.h>
#include <stdint.h>

#include "err.h"
#include "flows.h"
#include "net.h"
#include "rng.h"

struct traffic;

struct traffic_gen {
	const struct traffic *tr;
	const struct net *n;
	struct rng rng;
	uint32_t per_pair;
	struct flows *f;
};

struct traffic_ops {
	const char *name;
	const char *arg;	/* NULL: takes none; else what it is */
	int (*gen)(struct traffic_gen *g, struct ck_err *err);
};

struct traffic {
	const struct traffic_ops *ops;
	uint32_t k;		/* numeric argument */
	char spec[512];		/* as given */
	const char *path;	/* file:PATH, inside spec */
};

extern const struct traffic_ops *const traffic_all[];

/* Parse a spec; -1 with err naming the valid patterns. */
int traffic_parse(const char *spec, struct traffic *tr, struct ck_err *err);
/* Whether the pattern can run on this fabric at all (every pattern needs
 * 2 servers, rack-to-rack 2 racks); if not, why into buf, e.g. "needs at
 * least 2 racks; this fabric has 1". */
bool traffic_applies(const struct traffic *tr, const struct net *n,
		     char *why, size_t len);
/* Fill f (cleared first) with the pattern's flows and their demands; -1
 * when the pattern does not apply or its argument does not fit. */
int traffic_gen(const struct traffic *tr, const struct net *n, uint64_t seed,
		uint32_t per_pair, struct flows *f, struct ck_err *err);
/* Add count * per_pair flows from src to dst (used by the generators). */
void traffic_pair(struct traffic_gen *g, uint32_t src, uint32_t dst,
		  uint32_t count);

#endif
