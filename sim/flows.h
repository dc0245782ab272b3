/* A set of flows as flat arrays (structure of arrays), and where a routing
 * mode placed them: for flow f, the directed links
 * link[off[f] .. off[f+1]) with the fraction of its rate each carries
 * (w; NULL means 1 for all, as in single-path ecmp). The caller owns the
 * set: flows_new() / flows_free().
 *
 * A shared placement (shared true, spray at scale) keeps in link/w only a
 * flow's own links and lists once the links that flows routing alike all
 * cross with the same weights: flow f also crosses DAG dag[f]
 * (FLOWS_NODAG: none), dlink[doff[d] .. doff[d+1]) with weights dw.
 * Readers that must see every link of a flow take flows_runs(). */
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
	/* shared placement */
	bool shared;
	uint32_t *dag;		/* by flow, when shared */
	uint32_t ndag;
	uint32_t *doff, *dlink;
	double *dw;
	size_t dnent, dentcap, dcap;
};

#define FLOWS_NODAG UINT32_MAX

/* A run of a flow's links; w NULL means 1 for all. */
struct flows_run {
	const uint32_t *link;
	const double *w;
	uint32_t n;
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
/* Shared placement: start over (weighted), then for each flow its own
 * links as above, flows_place_dag() to give it a DAG, and
 * flows_place_end_flow(); a DAG is appended link by link between
 * flows_dag_begin() (which returns its id) and flows_dag_end(). */
void flows_place_shared_begin(struct flows *f);
uint32_t flows_dag_begin(struct flows *f);
void flows_dag_add(struct flows *f, uint32_t link, double w);
void flows_dag_end(struct flows *f);
void flows_place_dag(struct flows *f, uint32_t flow, uint32_t dag);
/* Flow i's links as runs into run[2], its own then its DAG's: how many
 * runs (1 unless shared). */
uint32_t flows_runs(const struct flows *f, uint32_t i,
		    struct flows_run run[2]);

#endif
