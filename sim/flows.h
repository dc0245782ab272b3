/* A set of flows as flat arrays (structure of arrays), and where a routing
 * mode placed them: for flow f, the directed links
 * link[off[f] .. off[f+1]) with the fraction of its rate each carries
 * (w; NULL means 1 for all, as in single-path ecmp). The caller owns the
 * set: flows_new() / flows_free(). */
#ifndef CK_FLOWS_H
#define CK_FLOWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct flows {
	uint32_t n;
	size_t cap;
	uint32_t *src, *dst;	/* server node ids */
	uint16_t *sport;	/* the 5-tuple's variable part */
	uint64_t *hash;		/* its ECMP hash, valid when hashed */
	bool hashed;
	double *demand;		/* bits per second */
	double *rate;		/* solved, bits per second */
	/* placement */
	uint32_t *off;		/* n + 1 entries once placed */
	uint32_t *link;
	double *w;
	size_t nent, entcap;
};

struct flows *flows_new(void);
void flows_free(struct flows *f);
/* Forget flows and placement, keep the memory. */
void flows_clear(struct flows *f);
void flows_add(struct flows *f, uint32_t src, uint32_t dst, uint16_t sport);
/* Make dst hold the same flows and demands as src (no placement). */
void flows_copy(struct flows *dst, const struct flows *src);
/* Each flow's demand (what it offers, the "ideal" of fraction of ideal):
 * what both ends can take. Every server sends at most rate_bps[src] and
 * receives at most rate_bps[dst] (its nominal rate, the hose model), and
 * the demands are the max-min fair rates under those caps alone: a
 * server's rate spread evenly over its flows, except where a receiver
 * (slower, or receiving more flows) takes less. */
void flows_set_demands(struct flows *f, const double *rate_bps,
		       uint32_t nnodes);
/* Placement: start over, then append flow by flow in order. */
void flows_place_begin(struct flows *f, int weighted);
void flows_place_add(struct flows *f, uint32_t link, double w);
void flows_place_end_flow(struct flows *f, uint32_t flow);

#endif
