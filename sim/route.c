#include "route.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"
#include "xalloc.h"

#define INF 255u

struct route {
	const struct net *n;
	uint32_t nsw;
	uint32_t *swi;		/* node -> switch index */
	uint32_t *byl;		/* switches, highest level first */
	uint32_t *cls;		/* server node -> class */
	uint32_t *rep;		/* class -> a server of it */
	uint8_t *ready;		/* class -> table computed */
	uint8_t *dist;		/* class * nsw + switch index */
	uint8_t *base;		/* saved tables (route_save), NULL if none */
	uint32_t nbase;		/* classes saved */
	uint8_t *dirty;		/* class -> differs from the saved table */
	bool reset_all;		/* last failure changed the classes */
	uint32_t ncls;
	uint32_t *queue;
	/* switch-to-switch adjacency by switch index, so the hot loops skip
	 * the node -> switch indirection: for switch i, up neighbours
	 * nb[uo[i] .. uo[i+1]), down ones nb[do_[i] .. do_[i+1]) (servers
	 * left out), each with its directed link in nl */
	uint32_t *uo, *do_, *nb, *nl;
	uint32_t *slot;		/* class hash table, ROUTE_NONE when free */
	uint32_t nslot;
};

static int cmp_lvl_desc(const void *a, const void *b, void *arg)
{
	const uint8_t *lvl = arg;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	if (lvl[x] != lvl[y])
		return lvl[x] > lvl[y] ? -1 : 1;
	return x < y ? -1 : x > y;
}

static void add_nb(struct route *r, size_t *k, uint32_t u, bool up)
{
	const struct net *n = r->n;
	uint32_t i, lo = up ? n->off[u] : n->off[u] + n->nup[u];
	uint32_t hi = up ? n->off[u] + n->nup[u] : n->off[u + 1];

	for (i = lo; i < hi; i++)
		if (n->lvl[n->to[n->adj[i]]] > 0) {
			r->nb[*k] = r->swi[n->to[n->adj[i]]];
			r->nl[(*k)++] = n->adj[i];
		}
}

static void build_adj(struct route *r)
{
	const struct net *n = r->n;
	uint32_t u, i = 0;
	size_t k = 0;

	r->uo = xmalloc(((size_t)r->nsw + 1) * sizeof(uint32_t));
	r->do_ = xmalloc(((size_t)r->nsw + 1) * sizeof(uint32_t));
	r->nb = xmalloc(((size_t)n->nlinks + 1) * sizeof(uint32_t));
	r->nl = xmalloc(((size_t)n->nlinks + 1) * sizeof(uint32_t));
	for (u = 0; u < n->nnodes; u++) {
		if (n->lvl[u] == 0)
			continue;
		r->uo[i] = (uint32_t)k;
		add_nb(r, &k, u, true);
		r->do_[i++] = (uint32_t)k;
		add_nb(r, &k, u, false);
	}
	r->uo[i] = r->do_[i] = (uint32_t)k;
}

struct route *route_new(const struct net *n)
{
	struct route *r = xcalloc(1, sizeof(*r));
	uint32_t u;

	r->n = n;
	r->swi = xmalloc(((size_t)n->nnodes + 1) * sizeof(uint32_t));
	r->byl = xmalloc(((size_t)n->nnodes + 1) * sizeof(uint32_t));
	for (u = 0; u < n->nnodes; u++) {
		r->swi[u] = ROUTE_NONE;
		if (n->lvl[u] > 0) {
			r->byl[r->nsw] = u;
			r->swi[u] = r->nsw++;
		}
	}
	qsort_r(r->byl, r->nsw, sizeof(uint32_t), cmp_lvl_desc, n->lvl);
	for (u = 0; u < r->nsw; u++)
		r->byl[u] = r->swi[r->byl[u]];
	build_adj(r);
	r->queue = xmalloc(((size_t)r->nsw + 1) * sizeof(uint32_t));
	r->cls = xmalloc(((size_t)n->nnodes + 1) * sizeof(uint32_t));
	r->rep = xmalloc(((size_t)n->nservers + 1) * sizeof(uint32_t));
	r->ready = xmalloc((size_t)n->nservers + 1);
	r->nslot = 16;
	while (r->nslot < 2 * n->nservers)
		r->nslot *= 2;
	r->slot = xmalloc((size_t)r->nslot * sizeof(uint32_t));
	route_reset(r);
	return r;
}

void route_free(struct route *r)
{
	if (r == NULL)
		return;
	free(r->swi);
	free(r->byl);
	free(r->queue);
	free(r->cls);
	free(r->rep);
	free(r->ready);
	free(r->dist);
	free(r->base);
	free(r->dirty);
	free(r->slot);
	free(r->uo);
	free(r->do_);
	free(r->nb);
	free(r->nl);
	free(r);
}

const struct net *route_net(const struct route *r)
{
	return r->n;
}

/* A server's live ToRs, as a hash of its (node-ordered) up-link peers. */
static uint64_t attach_hash(const struct net *n, uint32_t s, uint32_t *cnt)
{
	uint64_t h = 0;
	uint32_t i;

	*cnt = 0;
	for (i = n->off[s]; i < n->off[s] + n->nup[s]; i++)
		if (net_alive(n, n->adj[i])) {
			h = rng_mix(h ^ n->to[n->adj[i]]);
			(*cnt)++;
		}
	return h;
}

static int attach_same(const struct net *n, uint32_t a, uint32_t b)
{
	uint32_t i = n->off[a], j = n->off[b];
	uint32_t ie = i + n->nup[a], je = j + n->nup[b];

	for (;;) {
		while (i < ie && !net_alive(n, n->adj[i]))
			i++;
		while (j < je && !net_alive(n, n->adj[j]))
			j++;
		if (i == ie || j == je)
			return i == ie && j == je;
		if (n->to[n->adj[i]] != n->to[n->adj[j]])
			return 0;
		i++;
		j++;
	}
}

static uint32_t class_of(struct route *r, uint32_t s)
{
	uint32_t cnt, k, c;
	uint64_t h = attach_hash(r->n, s, &cnt);

	if (cnt == 0 || r->n->node_dead[s])
		return ROUTE_NONE;
	for (k = (uint32_t)h & (r->nslot - 1);; k = (k + 1) & (r->nslot - 1)) {
		c = r->slot[k];
		if (c == ROUTE_NONE)
			break;
		if (attach_same(r->n, r->rep[c], s))
			return c;
	}
	c = r->ncls++;
	r->slot[k] = c;
	r->rep[c] = s;
	r->ready[c] = 0;
	return c;
}

void route_reset(struct route *r)
{
	const struct net *n = r->n;
	uint32_t i;

	memset(r->slot, 0xff, (size_t)r->nslot * sizeof(uint32_t));
	r->ncls = 0;
	for (i = 0; i < n->nservers; i++)
		r->cls[n->servers[i]] = class_of(r, n->servers[i]);
	free(r->dist);
	r->dist = xmalloc((size_t)(r->ncls ? r->ncls : 1) * r->nsw);
}

/* Everything that reaches the class going only down is at hop distance
 * equal to its level; the rest is one more than its best up-neighbour,
 * filled from the top tier downwards. */
static void compute(struct route *r, uint32_t c)
{
	const struct net *n = r->n;
	uint8_t *d = r->dist + (size_t)c * r->nsw;
	uint32_t qh = 0, qt = 0, i, j, k, u = r->rep[c];

	memset(d, INF, r->nsw);
	for (i = n->off[u]; i < n->off[u] + n->nup[u]; i++) {
		uint32_t l = n->adj[i], v = r->swi[n->to[l]];

		if (net_alive(n, l) && d[v] == INF) {
			d[v] = 1;
			r->queue[qt++] = v;
		}
	}
	while (qh < qt) {
		u = r->queue[qh++];
		for (j = r->uo[u]; j < r->do_[u]; j++)
			if (d[r->nb[j]] == INF && net_alive(n, r->nl[j])) {
				d[r->nb[j]] = (uint8_t)(d[u] + 1);
				r->queue[qt++] = r->nb[j];
			}
	}
	for (k = 0; k < r->nsw; k++) {
		uint32_t best = INF;

		u = r->byl[k];
		if (d[u] != INF)
			continue;
		for (j = r->uo[u]; j < r->do_[u]; j++)
			if (d[r->nb[j]] < best && net_alive(n, r->nl[j]))
				best = d[r->nb[j]];
		if (best < INF - 1)
			d[u] = (uint8_t)(best + 1);
	}
	r->ready[c] = 1;
}

uint32_t route_class(struct route *r, uint32_t dst)
{
	uint32_t c = r->cls[dst];

	if (c != ROUTE_NONE && !r->ready[c])
		compute(r, c);
	return c;
}

uint32_t route_class_peek(const struct route *r, uint32_t s)
{
	return r->cls[s];
}

uint32_t route_dist(const struct route *r, uint32_t c, uint32_t u)
{
	uint8_t v;

	if (r->n->lvl[u] == 0) {
		uint32_t i, best = UINT32_MAX;
		const struct net *n = r->n;

		for (i = n->off[u]; i < n->off[u] + n->nup[u]; i++)
			if (net_alive(n, n->adj[i]) &&
			    route_dist(r, c, n->to[n->adj[i]]) < best)
				best = route_dist(r, c, n->to[n->adj[i]]);
		return best == UINT32_MAX ? best : best + 1;
	}
	v = r->dist[(size_t)c * r->nsw + r->swi[u]];
	return v == INF ? UINT32_MAX : v;
}

/* Up links of switch index i whose far end is at hop distance want. */
static uint32_t next_up(const struct route *r, const uint8_t *d, uint32_t i,
			uint32_t want, uint32_t *out)
{
	uint32_t j, k = 0;

	for (j = r->uo[i]; j < r->do_[i]; j++)
		if (d[r->nb[j]] == want && net_alive(r->n, r->nl[j]))
			out[k++] = r->nl[j];
	return k;
}

static uint32_t next_server(const struct route *r, const uint8_t *d,
			    uint32_t u, uint32_t *out)
{
	const struct net *n = r->n;
	uint32_t i, k = 0, best = INF;

	for (i = n->off[u]; i < n->off[u] + n->nup[u]; i++)
		if (net_alive(n, n->adj[i]) &&
		    d[r->swi[n->to[n->adj[i]]]] < best)
			best = d[r->swi[n->to[n->adj[i]]]];
	if (best == INF)
		return 0;
	for (i = n->off[u]; i < n->off[u] + n->nup[u]; i++)
		if (net_alive(n, n->adj[i]) &&
		    d[r->swi[n->to[n->adj[i]]]] == best)
			out[k++] = n->adj[i];
	return k;
}

/* Going down: a ToR hands the packet to the destination itself; higher
 * switches to every live child that has the destination below (a child
 * one level down has it below when its distance equals its level). */
static uint32_t next_down(const struct route *r, const uint8_t *d,
			  uint32_t u, uint32_t dst, uint32_t *out)
{
	const struct net *n = r->n;
	uint32_t i, j, k = 0, want = n->lvl[u] - 1u;

	if (want == 0) {
		for (i = n->off[dst]; i < n->off[dst] + n->nup[dst]; i++) {
			uint32_t l = n->adj[i];

			if (n->to[l] == u && net_alive(n, l))
				out[k++] = net_reverse(l);
		}
		return k;
	}
	i = r->swi[u];
	for (j = r->do_[i]; j < r->uo[i + 1]; j++)
		if (d[r->nb[j]] == want && net_alive(n, r->nl[j]))
			out[k++] = r->nl[j];
	return k;
}

uint32_t route_next(const struct route *r, uint32_t c, uint32_t u,
		    uint32_t dst, uint32_t *out)
{
	const uint8_t *d = r->dist + (size_t)c * r->nsw;
	uint32_t du;

	if (r->n->lvl[u] == 0)
		return next_server(r, d, u, out);
	du = d[r->swi[u]];
	if (du == INF)
		return 0;
	if (du == r->n->lvl[u])
		return next_down(r, d, u, dst, out);
	return next_up(r, d, r->swi[u], du - 1, out);
}

void route_save(struct route *r)
{
	uint32_t c;

	for (c = 0; c < r->ncls; c++)
		if (!r->ready[c])
			compute(r, c);
	free(r->base);
	r->base = xmalloc((size_t)(r->ncls ? r->ncls : 1) * r->nsw);
	memcpy(r->base, r->dist, (size_t)r->ncls * r->nsw);
	r->nbase = r->ncls;
	free(r->dirty);
	r->dirty = xcalloc((size_t)r->ncls + 1, 1);
}

/* Whether switch index w keeps its distance with x's links down, reading
 * only its neighbours, which sit one level up or down and are not x's
 * neighbours themselves (the graph is layered). */
static bool keeps(const struct route *r, const uint8_t *d, uint32_t w,
		  uint32_t lvl)
{
	uint32_t j, best = INF;

	if (d[w] == lvl) {
		if (lvl == 1)
			return true;	/* attachments are server links */
		for (j = r->do_[w]; j < r->uo[w + 1]; j++)
			if (d[r->nb[j]] == lvl - 1 && net_alive(r->n, r->nl[j]))
				return true;
		return false;
	}
	for (j = r->uo[w]; j < r->do_[w]; j++)
		if (d[r->nb[j]] < best && net_alive(r->n, r->nl[j]))
			best = d[r->nb[j]];
	return (best < INF - 1 ? best + 1 : INF) == d[w];
}

/* If none of x's neighbours changes distance, nothing else does (by
 * induction over the levels), so the saved table stays right. A ToR that
 * a class is attached to changes that class's starting points. Classes
 * stay valid groupings when a ToR fails: it leaves every attachment set
 * it was in, so servers that shared a set still do. */
static bool affected(const struct route *r, uint32_t c, uint32_t x)
{
	const struct net *n = r->n;
	const uint8_t *d = r->dist + (size_t)c * r->nsw;
	uint32_t i;

	if (n->lvl[x] == 1 && d[r->swi[x]] == 1)
		return true;
	for (i = n->off[x]; i < n->off[x + 1]; i++) {
		uint32_t v = n->to[n->adj[i]];

		if (n->lvl[v] > 0 && !keeps(r, d, r->swi[v], n->lvl[v]))
			return true;
	}
	return false;
}

void route_switch_failed(struct route *r, uint32_t x)
{
	uint32_t c;

	r->reset_all = r->base == NULL;
	if (r->reset_all) {
		route_reset(r);
		return;
	}
	for (c = 0; c < r->ncls; c++)
		if (affected(r, c, x))
			r->ready[c] = 0, r->dirty[c] = 1;
}

void route_switch_restored(struct route *r)
{
	uint32_t c;

	if (r->reset_all)
		route_reset(r);
	if (r->base == NULL || r->ncls != r->nbase) {
		route_reset(r);
		return;
	}
	for (c = 0; c < r->ncls; c++)
		if (r->dirty[c] || r->reset_all) {
			memcpy(r->dist + (size_t)c * r->nsw,
			       r->base + (size_t)c * r->nsw, r->nsw);
			r->ready[c] = 1;
			r->dirty[c] = 0;
		}
	r->reset_all = false;
}

bool route_changed(const struct route *r, uint32_t c)
{
	return r->dirty && c < r->nbase && r->dirty[c];
}
