/* spray: each flow split evenly over all its equal-cost paths. The share
 * of a link is (paths from the source to its tail) x (paths from its head
 * to the destination) / (all paths), counted on the flow's shortest-path
 * DAG hop by hop, so paths are never enumerated. */
#include "mode.h"

#include <stdlib.h>

#include "xalloc.h"

struct dag {
	double *fwd, *bwd;	/* path counts, by node */
	uint32_t *seen;		/* stamp, by node */
	uint32_t stamp;
	uint32_t *cur, *next;	/* frontiers */
	uint32_t *eu, *el;	/* edges: tail node, link */
	size_t ne, ecap;
	uint32_t *buf;
};

static void dag_init(struct dag *g, const struct net *n)
{
	size_t nn = (size_t)n->nnodes + 1;

	g->fwd = xmalloc(nn * sizeof(double));
	g->bwd = xmalloc(nn * sizeof(double));
	g->seen = xcalloc(nn, sizeof(uint32_t));
	g->stamp = 0;
	g->cur = xmalloc(nn * sizeof(uint32_t));
	g->next = xmalloc(nn * sizeof(uint32_t));
	g->eu = g->el = NULL;
	g->ne = g->ecap = 0;
	g->buf = xmalloc(((size_t)n->maxdeg + 1) * sizeof(uint32_t));
}

static void dag_free(struct dag *g)
{
	free(g->fwd);
	free(g->bwd);
	free(g->seen);
	free(g->cur);
	free(g->next);
	free(g->eu);
	free(g->el);
	free(g->buf);
}

static void edge_add(struct dag *g, uint32_t u, uint32_t l)
{
	if (g->ne + 1 > g->ecap) {
		size_t cap = g->ecap;

		g->eu = xgrow(g->eu, &cap, g->ne + 1, sizeof(uint32_t));
		g->el = xgrow(g->el, &g->ecap, g->ne + 1, sizeof(uint32_t));
	}
	g->eu[g->ne] = u;
	g->el[g->ne++] = l;
}

/* One hop of the forward sweep: returns the size of the next frontier. */
static uint32_t sweep(struct dag *g, struct route *r, uint32_t c,
		      uint32_t dst, uint32_t ncur)
{
	const struct net *n = route_net(r);
	uint32_t i, j, nnext = 0;

	for (i = 0; i < ncur; i++) {
		uint32_t u = g->cur[i], k = route_next(r, c, u, dst, g->buf);

		for (j = 0; j < k; j++) {
			uint32_t v = n->to[g->buf[j]];

			if (g->seen[v] != g->stamp) {
				g->seen[v] = g->stamp;
				g->fwd[v] = g->bwd[v] = 0;
				g->next[nnext++] = v;
			}
			g->fwd[v] += g->fwd[u];
			edge_add(g, u, g->buf[j]);
		}
	}
	return nnext;
}

static bool spray_one(struct dag *g, struct route *r, struct flows *f,
		      uint32_t i)
{
	const struct net *n = route_net(r);
	uint32_t c = route_class(r, f->dst[i]), ncur = 1, hops = 0, *tmp;
	size_t e;

	if (c == ROUTE_NONE)
		return false;
	g->stamp++;
	g->ne = 0;
	g->cur[0] = f->src[i];
	g->seen[f->src[i]] = g->stamp;
	g->fwd[f->src[i]] = 1;
	g->bwd[f->src[i]] = 0;
	while (g->cur[0] != f->dst[i]) {
		ncur = sweep(g, r, c, f->dst[i], ncur);
		if (ncur == 0 || ++hops > 2 * n->maxlvl + 2)
			return false;
		tmp = g->cur;
		g->cur = g->next;
		g->next = tmp;
	}
	g->bwd[f->dst[i]] = 1;
	for (e = g->ne; e-- > 0;)
		g->bwd[g->eu[e]] += g->bwd[n->to[g->el[e]]];
	for (e = 0; e < g->ne; e++) {
		double w = g->fwd[g->eu[e]] * g->bwd[n->to[g->el[e]]] /
			   g->fwd[f->dst[i]];

		if (w > 0)	/* 0 on branches that dead-end (failures) */
			flows_place_add(f, g->el[e], w);
	}
	return true;
}

static uint32_t place(struct route *r, struct flows *f)
{
	struct dag g;
	uint32_t i, lost = 0;

	dag_init(&g, route_net(r));
	flows_place_begin(f, 1);
	for (i = 0; i < f->n; i++) {
		if (!spray_one(&g, r, f, i)) {
			f->nent = f->off[i];
			lost++;
		}
		flows_place_end_flow(f, i);
	}
	dag_free(&g);
	return lost;
}

const struct mode_ops mode_spray = {
	.name = "spray",
	.what = "each flow split evenly over all equal-cost paths",
	.weighted = true,
	.place = place,
};
