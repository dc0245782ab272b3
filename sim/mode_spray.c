/* spray: each flow split evenly over all its equal-cost paths. The share
 * of a link is (paths from the source to its tail) x (paths from its head
 * to the destination) / (all paths), counted on the flow's shortest-path
 * DAG hop by hop, so paths are never enumerated. */
#include "mode.h"

#include <stdlib.h>
#include <string.h>

#include "rng.h"

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

/* The DAG of the paths from src to dst, with path counts both ways;
 * false when they dead-end. */
static bool dag_build(struct dag *g, struct route *r, uint32_t c,
		      uint32_t src, uint32_t dst)
{
	const struct net *n = route_net(r);
	uint32_t ncur = 1, hops = 0, *tmp;
	size_t e;

	g->stamp++;
	g->ne = 0;
	g->cur[0] = src;
	g->seen[src] = g->stamp;
	g->fwd[src] = 1;
	g->bwd[src] = 0;
	while (g->cur[0] != dst) {
		ncur = sweep(g, r, c, dst, ncur);
		if (ncur == 0 || ++hops > 2 * n->maxlvl + 2)
			return false;
		tmp = g->cur;
		g->cur = g->next;
		g->next = tmp;
	}
	g->bwd[dst] = 1;
	for (e = g->ne; e-- > 0;)
		g->bwd[g->eu[e]] += g->bwd[n->to[g->el[e]]];
	return true;
}

/* The share of the flow edge e carries; 0 on branches that dead-end
 * (failures). */
static double dag_weight(const struct dag *g, const struct net *n, size_t e,
			 uint32_t dst)
{
	return g->fwd[g->eu[e]] * g->bwd[n->to[g->el[e]]] / g->fwd[dst];
}

static bool spray_one(struct dag *g, struct route *r, struct flows *f,
		      uint32_t i)
{
	const struct net *n = route_net(r);
	uint32_t c = route_class(r, f->dst[i]);
	size_t e;

	if (c == ROUTE_NONE || !dag_build(g, r, c, f->src[i], f->dst[i]))
		return false;
	for (e = 0; e < g->ne; e++) {
		double w = dag_weight(g, n, e, f->dst[i]);

		if (w > 0)
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

/* Shared placement. Flows from one class of sources to one class of
 * destinations (route.h) route alike: their DAGs differ only in the
 * servers' own links, which sit at the same places among the servers'
 * live uplinks and carry the same shares. Each such kind of flow is
 * swept once, from its first flow; the switches' part of its DAG becomes
 * a shared DAG, the servers' part a share per live uplink. */
#define LOST UINT32_MAX

struct kinds {
	uint64_t *key;		/* hash slots: the class pair + 1, 0 free */
	uint32_t *kind;		/* by slot */
	uint32_t mask;
	uint32_t n, cap;
	uint32_t *dag;		/* by kind: its shared DAG */
	uint32_t *at;		/* by kind: its shares in sh, LOST if none */
	double *sh;		/* source's live uplinks, then destination's */
	size_t nsh, shcap;
};

static void kinds_init(struct kinds *k, uint32_t flows)
{
	uint32_t slots = 16;

	while (slots < 2 * (uint64_t)flows && slots < (1u << 31))
		slots *= 2;
	*k = (struct kinds){ .mask = slots - 1 };
	k->key = xcalloc(slots, sizeof(uint64_t));
	k->kind = xmalloc(slots * sizeof(uint32_t));
}

static void kinds_free(struct kinds *k)
{
	free(k->key);
	free(k->kind);
	free(k->dag);
	free(k->at);
	free(k->sh);
}

/* Live uplinks of server s before link l (all of them: l = UINT32_MAX). */
static uint32_t live_before(const struct net *n, uint32_t s, uint32_t l)
{
	uint32_t i, m = 0;

	for (i = n->off[s]; i < n->off[s] + n->nup[s] && n->adj[i] != l; i++)
		m += net_alive(n, n->adj[i]);
	return m;
}

/* The slot of class pair (cs, cd): its kind's, or a free one. */
static uint32_t kind_slot(const struct kinds *k, uint32_t cs, uint32_t cd)
{
	uint64_t key = ((uint64_t)cs << 32 | cd) + 1;
	uint32_t h = (uint32_t)rng_mix(key) & k->mask;

	while (k->key[h] != 0 && k->key[h] != key)
		h = (h + 1) & k->mask;
	return h;
}

/* A new kind from flow i's DAG in g. */
static void kind_new(struct kinds *k, const struct dag *g,
		     const struct net *n, struct flows *f, uint32_t i)
{
	uint32_t src = f->src[i], dst = f->dst[i];
	uint32_t ns = live_before(n, src, UINT32_MAX);
	size_t at = k->nsh, e;

	k->nsh += ns + live_before(n, dst, UINT32_MAX);
	k->sh = xgrow(k->sh, &k->shcap, k->nsh, sizeof(double));
	memset(k->sh + at, 0, (k->nsh - at) * sizeof(double));
	k->at[k->n] = (uint32_t)at;
	k->dag[k->n] = flows_dag_begin(f);
	for (e = 0; e < g->ne; e++) {
		uint32_t l = g->el[e];
		double w = dag_weight(g, n, e, dst);

		if (w <= 0)
			continue;
		if (n->from[l] == src)
			k->sh[at + live_before(n, src, l)] = w;
		else if (n->to[l] == dst)
			k->sh[at + ns + live_before(n, dst, net_reverse(l))] = w;
		else
			flows_dag_add(f, l, w);
	}
	flows_dag_end(f);
}

/* The kind of flow i, swept now if it is the first of its kind; LOST
 * when it cannot be routed. */
static uint32_t kind_of(struct kinds *k, struct dag *g, struct route *r,
			struct flows *f, uint32_t i)
{
	uint32_t cd = route_class(r, f->dst[i]);
	uint32_t cs = route_class_peek(r, f->src[i]), h;

	if (cd == ROUTE_NONE || cs == ROUTE_NONE)
		return LOST;
	h = kind_slot(k, cs, cd);
	if (k->key[h] != 0)
		return k->kind[h];
	k->key[h] = ((uint64_t)cs << 32 | cd) + 1;
	k->kind[h] = k->n;
	if (k->n + 1 > k->cap) {
		size_t cap = k->cap;

		k->dag = xgrow(k->dag, &cap, k->n + 1, sizeof(uint32_t));
		cap = k->cap;
		k->at = xgrow(k->at, &cap, k->n + 1, sizeof(uint32_t));
		k->cap = (uint32_t)cap;
	}
	if (dag_build(g, r, cd, f->src[i], f->dst[i]))
		kind_new(k, g, route_net(r), f, i);
	else
		k->at[k->n] = LOST;
	return k->n++;
}

/* Flow i's own links: its servers' uplinks by their kind's shares. */
static void own_links(const struct kinds *k, const struct net *n,
		      struct flows *f, uint32_t i, uint32_t kd)
{
	const double *sh = k->sh + k->at[kd];
	uint32_t s = f->src[i], d = f->dst[i], j, m = 0;

	for (j = n->off[s]; j < n->off[s] + n->nup[s]; j++)
		if (net_alive(n, n->adj[j]) && sh[m++] > 0)
			flows_place_add(f, n->adj[j], sh[m - 1]);
	for (j = n->off[d]; j < n->off[d] + n->nup[d]; j++)
		if (net_alive(n, n->adj[j]) && sh[m++] > 0)
			flows_place_add(f, net_reverse(n->adj[j]), sh[m - 1]);
	flows_place_dag(f, i, k->dag[kd]);
}

/* One flow: false when it cannot be routed. A flow to itself has no
 * links, as spray_one() leaves it. */
static bool share_one(struct kinds *k, struct dag *g, struct route *r,
		      struct flows *f, uint32_t i)
{
	uint32_t kd;

	flows_place_dag(f, i, FLOWS_NODAG);
	if (f->src[i] == f->dst[i])
		return route_class(r, f->dst[i]) != ROUTE_NONE;
	kd = kind_of(k, g, r, f, i);
	if (kd == LOST || k->at[kd] == LOST)
		return false;
	own_links(k, route_net(r), f, i, kd);
	return true;
}

static uint32_t place_shared(struct route *r, struct flows *f)
{
	struct dag g;
	struct kinds k;
	uint32_t i, lost = 0;

	dag_init(&g, route_net(r));
	kinds_init(&k, f->n);
	flows_place_shared_begin(f);
	for (i = 0; i < f->n; i++) {
		lost += !share_one(&k, &g, r, f, i);
		flows_place_end_flow(f, i);
	}
	kinds_free(&k);
	dag_free(&g);
	return lost;
}

const struct mode_ops mode_spray = {
	.name = "spray",
	.what = "each flow split evenly over all equal-cost paths",
	.weighted = true,
	.place = place,
	.place_shared = place_shared,
};
