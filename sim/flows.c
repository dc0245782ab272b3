#include "flows.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "maxmin.h"
#include "xalloc.h"

struct flows *flows_new(void)
{
	return xcalloc(1, sizeof(struct flows));
}

void flows_free(struct flows *f)
{
	if (f == NULL)
		return;
	free(f->src);
	free(f->dst);
	free(f->sport);
	free(f->hash);
	free(f->demand);
	free(f->rate);
	free(f->off);
	free(f->link);
	free(f->w);
	free(f->dag);
	free(f->doff);
	free(f->dlink);
	free(f->dw);
	free(f);
}

void flows_clear(struct flows *f)
{
	f->n = 0;
	f->nent = 0;
	f->shared = false;
}

static void grow(struct flows *f, size_t need)
{
	size_t cap = f->cap ? f->cap : 64;

	while (cap < need)
		cap *= 2;
	f->src = xrealloc(f->src, cap * sizeof(*f->src));
	f->dst = xrealloc(f->dst, cap * sizeof(*f->dst));
	f->sport = xrealloc(f->sport, cap * sizeof(*f->sport));
	f->hash = xrealloc(f->hash, cap * sizeof(*f->hash));
	f->demand = xrealloc(f->demand, cap * sizeof(double));
	f->rate = xrealloc(f->rate, cap * sizeof(double));
	f->off = xrealloc(f->off, (cap + 1) * sizeof(*f->off));
	f->cap = cap;
}

void flows_add(struct flows *f, uint32_t src, uint32_t dst, uint16_t sport)
{
	if (f->n + 1 > f->cap)
		grow(f, f->n + 1);
	f->src[f->n] = src;
	f->dst[f->n] = dst;
	f->sport[f->n] = sport;
	f->hashed = false;
	f->demand[f->n] = 0;
	f->rate[f->n] = 0;
	f->n++;
}

void flows_copy(struct flows *dst, const struct flows *src)
{
	uint32_t i;

	flows_clear(dst);
	for (i = 0; i < src->n; i++) {
		flows_add(dst, src->src[i], src->dst[i], src->sport[i]);
		dst->demand[i] = src->demand[i];
	}
}

/* The hose of every node as two virtual links, its sending side 2u and
 * its receiving side 2u + 1, each of the node's nominal rate; a flow
 * crosses its source's sending side and its destination's receiving
 * side. */
struct hose {
	double *cap, *dem;
	uint32_t *off, *link;
};

static struct maxmin_problem hose_new(struct hose *h, const struct flows *f,
				      const double *rate_bps, uint32_t nnodes)
{
	uint32_t i;

	h->cap = xmalloc(((size_t)nnodes * 2 + 1) * sizeof(double));
	h->dem = xmalloc(((size_t)f->n + 1) * sizeof(double));
	h->off = xmalloc(((size_t)f->n + 1) * sizeof(uint32_t));
	h->link = xmalloc(((size_t)f->n * 2 + 1) * sizeof(uint32_t));
	for (i = 0; i < nnodes; i++)
		h->cap[2 * i] = h->cap[2 * i + 1] = rate_bps[i];
	for (i = 0; i < f->n; i++) {
		h->dem[i] = rate_bps[f->src[i]];
		h->off[i] = 2 * i;
		h->link[2 * i] = 2 * f->src[i];
		h->link[2 * i + 1] = 2 * f->dst[i] + 1;
	}
	h->off[f->n] = 2 * f->n;
	return (struct maxmin_problem){ 2 * nnodes, h->cap, f->n, h->dem,
					h->off, h->link, NULL };
}

/* Each sender's rate spread evenly over its flows; true when no receiver
 * then gets more than its rate, which makes that split the max-min one
 * (every flow is held by its full sender, where none gets more). */
static bool even_split(struct flows *f, const double *rate_bps,
		       uint32_t nnodes)
{
	uint32_t *cnt = xcalloc((size_t)nnodes + 1, sizeof(uint32_t));
	double *in = xcalloc((size_t)nnodes + 1, sizeof(double));
	uint32_t i;
	bool ok = true;

	for (i = 0; i < f->n; i++)
		cnt[f->src[i]]++;
	for (i = 0; i < f->n; i++) {
		f->demand[i] = rate_bps[f->src[i]] / cnt[f->src[i]];
		in[f->dst[i]] += f->demand[i];
	}
	for (i = 0; i < nnodes && ok; i++)
		ok = in[i] <= rate_bps[i] * (1 + 1e-12);
	free(cnt);
	free(in);
	return ok;
}

void flows_set_demands(struct flows *f, const double *rate_bps,
		       uint32_t nnodes)
{
	struct maxmin *mm;
	struct hose h;
	struct maxmin_problem p;

	if (even_split(f, rate_bps, nnodes))
		return;
	mm = maxmin_new();
	p = hose_new(&h, f, rate_bps, nnodes);
	maxmin_solve(mm, &p, f->demand);
	maxmin_free(mm);
	free(h.cap);
	free(h.dem);
	free(h.off);
	free(h.link);
}

void flows_place_begin(struct flows *f, int weighted)
{
	f->nent = 0;
	f->shared = false;
	if (f->off == NULL)
		f->off = xcalloc(1, sizeof(*f->off));
	f->off[0] = 0;
	if (!weighted) {
		free(f->w);
		f->w = NULL;
	} else if (f->w == NULL) {
		f->w = xmalloc((f->entcap ? f->entcap : 1) * sizeof(double));
	}
}

void flows_place_add(struct flows *f, uint32_t link, double w)
{
	if (f->nent + 1 > f->entcap) {
		size_t cap = f->entcap;

		f->link = xgrow(f->link, &f->entcap, f->nent + 1,
				sizeof(*f->link));
		if (f->w)
			f->w = xgrow(f->w, &cap, f->nent + 1, sizeof(double));
	}
	f->link[f->nent] = link;
	if (f->w)
		f->w[f->nent] = w;
	f->nent++;
}

void flows_place_end_flow(struct flows *f, uint32_t flow)
{
	f->off[flow + 1] = (uint32_t)f->nent;
}

void flows_place_shared_begin(struct flows *f)
{
	flows_place_begin(f, 1);
	f->shared = true;
	f->dag = xrealloc(f->dag, (f->cap + 1) * sizeof(*f->dag));
	f->ndag = 0;
	f->dnent = 0;
	if (f->doff == NULL) {
		f->dcap = 64;
		f->doff = xmalloc((f->dcap + 1) * sizeof(*f->doff));
	}
	f->doff[0] = 0;
}

uint32_t flows_dag_begin(struct flows *f)
{
	if (f->ndag + 1 > f->dcap) {
		f->dcap *= 2;
		f->doff = xrealloc(f->doff, (f->dcap + 1) * sizeof(*f->doff));
	}
	return f->ndag;
}

void flows_dag_add(struct flows *f, uint32_t link, double w)
{
	if (f->dnent + 1 > f->dentcap) {
		size_t cap = f->dentcap;

		f->dlink = xgrow(f->dlink, &f->dentcap, f->dnent + 1,
				 sizeof(*f->dlink));
		f->dw = xgrow(f->dw, &cap, f->dnent + 1, sizeof(double));
	}
	f->dlink[f->dnent] = link;
	f->dw[f->dnent++] = w;
}

void flows_dag_end(struct flows *f)
{
	f->doff[++f->ndag] = (uint32_t)f->dnent;
}

void flows_place_dag(struct flows *f, uint32_t flow, uint32_t dag)
{
	f->dag[flow] = dag;
}

uint32_t flows_runs(const struct flows *f, uint32_t i,
		    struct flows_run run[2])
{
	uint32_t d;

	run[0] = (struct flows_run){ f->link + f->off[i],
				     f->w ? f->w + f->off[i] : NULL,
				     f->off[i + 1] - f->off[i] };
	if (!f->shared || f->dag[i] == FLOWS_NODAG)
		return 1;
	d = f->dag[i];
	run[1] = (struct flows_run){ f->dlink + f->doff[d], f->dw + f->doff[d],
				     f->doff[d + 1] - f->doff[d] };
	return 2;
}
