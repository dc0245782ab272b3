#include "delta.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "maxmin.h"
#include "xalloc.h"

#define NONE UINT32_MAX
/* Overloaded: summed demand above capacity. A link at exactly its
 * capacity (a server's 10G uplink carrying its one 10G flow) limits
 * nobody; the margin keeps rounding of the sums from deciding. */
#define OVER(load, cap) ((load) > (cap) * (1 + 1e-9))

/* A CSR index: key k owns val[off[k] .. off[k+1]) (and aux alongside). */
struct csr {
	uint32_t *off, *val, *aux;
};

struct delta_base {
	const struct mode_ops *m;
	struct flows *f;	/* the flows, placed on the given fabric */
	uint32_t nnodes, nlinks, ncls;
	uint32_t *cls;		/* by flow: destination class, NONE */
	struct csr at;		/* node -> (flow, out-link) hops */
	struct csr of;		/* class -> flows */
	struct csr on;		/* link -> flows */
	double *load;		/* by link: summed demand */
	uint32_t *comp;		/* by link: overloaded component, NONE */
	uint32_t *fcomp;	/* by flow: its component, NONE */
	uint32_t ncomp;
	struct csr links;	/* component -> links */
	uint32_t *over;		/* overloaded links */
	uint32_t nover;
	double *closs;		/* by component: demand it does not carry */
	double offered, routable, loss;
};

struct delta {
	const struct delta_base *b;
	struct sim *s;
	uint32_t stamp;
	uint32_t *fmark, *fin, *ltouch, *lin, *lvis, *cvis;
	uint32_t *aff, na;	/* affected flows */
	uint32_t *pos;		/* by flow: its index in sub when affected */
	struct flows *sub;	/* affected flows, re-placed */
	uint32_t *ahead, *anext;	/* link -> sub entries on it */
	uint32_t *aown;		/* by sub entry: its sub flow */
	double *dload;
	uint32_t *touched, nt;
	uint32_t *queue, nq;	/* region links, in visiting order */
	uint32_t *lid;		/* by link: region-local id */
	uint32_t *rflow, nr;	/* region flows */
	uint32_t *comps, nc;	/* baseline components the region holds */
	double unrouted;	/* demand of affected flows left unroutable */
	struct maxmin *mm;
	uint32_t *poff, *plink;
	double *pw, *pdem, *pcap, *prate;
	size_t pecap, pecap2;
};

static void csr_count(struct csr *c, uint32_t nkeys, size_t nval, bool aux)
{
	uint32_t k;

	for (k = 0; k < nkeys; k++)	/* counts in off[k + 1] -> starts */
		c->off[k + 1] += c->off[k];
	c->val = xmalloc((nval + 1) * sizeof(uint32_t));
	c->aux = aux ? xmalloc((nval + 1) * sizeof(uint32_t)) : NULL;
}

static void csr_put(struct csr *c, uint32_t *fill, uint32_t k, uint32_t v,
		    uint32_t a)
{
	uint32_t at = c->off[k] + fill[k]++;

	c->val[at] = v;
	if (c->aux)
		c->aux[at] = a;
}

static void csr_free(struct csr *c)
{
	free(c->off);
	free(c->val);
	free(c->aux);
}

static const struct net *bnet(const struct delta *d)
{
	return d->s->net;
}

/* Node -> hops, class -> flows, link -> flows, from the placement. */
static void build_indexes(struct delta_base *b, const struct net *n)
{
	const struct flows *f = b->f;
	uint32_t *fa = xcalloc((size_t)n->nnodes + 1, sizeof(uint32_t));
	uint32_t *fo = xcalloc((size_t)b->ncls + 1, sizeof(uint32_t));
	uint32_t *fl = xcalloc((size_t)n->nlinks + 1, sizeof(uint32_t));
	uint32_t i, e;

	b->at.off = xcalloc((size_t)n->nnodes + 2, sizeof(uint32_t));
	b->of.off = xcalloc((size_t)b->ncls + 2, sizeof(uint32_t));
	b->on.off = xcalloc((size_t)n->nlinks + 2, sizeof(uint32_t));
	for (i = 0; i < f->n; i++) {
		if (b->cls[i] != NONE)
			b->of.off[b->cls[i] + 1]++;
		for (e = f->off[i]; e < f->off[i + 1]; e++) {
			b->at.off[n->from[f->link[e]] + 1]++;
			b->on.off[f->link[e] + 1]++;
		}
	}
	csr_count(&b->at, n->nnodes, f->nent, true);
	csr_count(&b->of, b->ncls, f->n, false);
	csr_count(&b->on, n->nlinks, f->nent, false);
	for (i = 0; i < f->n; i++) {
		if (b->cls[i] != NONE)
			csr_put(&b->of, fo, b->cls[i], i, 0);
		for (e = f->off[i]; e < f->off[i + 1]; e++) {
			csr_put(&b->at, fa, n->from[f->link[e]], i, f->link[e]);
			csr_put(&b->on, fl, f->link[e], i, 0);
		}
	}
	free(fa);
	free(fo);
	free(fl);
}

static uint32_t uf_find(uint32_t *p, uint32_t x)
{
	while (p[x] != x)
		x = p[x] = p[p[x]];
	return x;
}

/* Overloaded links joined by the flows crossing them: components. */
static void build_components(struct delta_base *b, const struct net *n)
{
	const struct flows *f = b->f;
	uint32_t *p = xmalloc(((size_t)n->nlinks + 1) * sizeof(uint32_t));
	uint32_t *fill, i, e, l, first;

	b->over = xmalloc(((size_t)n->nlinks + 1) * sizeof(uint32_t));
	for (l = 0; l < n->nlinks; l++) {
		p[l] = l;
		if (OVER(b->load[l], n->cap[l]))
			b->over[b->nover++] = l;
	}
	for (i = 0; i < f->n; i++)
		for (e = f->off[i], first = NONE; e < f->off[i + 1]; e++)
			if (OVER(b->load[f->link[e]], n->cap[f->link[e]])) {
				if (first == NONE)
					first = f->link[e];
				p[uf_find(p, f->link[e])] = uf_find(p, first);
			}
	b->comp = xmalloc(((size_t)n->nlinks + 1) * sizeof(uint32_t));
	for (l = 0; l < n->nlinks; l++)
		b->comp[l] = NONE;
	for (i = 0; i < b->nover; i++) {	/* ids in link order */
		uint32_t r = uf_find(p, b->over[i]);

		if (b->comp[r] == NONE)
			b->comp[r] = b->ncomp++;
		b->comp[b->over[i]] = b->comp[r];
	}
	b->links.off = xcalloc((size_t)b->ncomp + 2, sizeof(uint32_t));
	for (i = 0; i < b->nover; i++)
		b->links.off[b->comp[b->over[i]] + 1]++;
	csr_count(&b->links, b->ncomp, b->nover, false);
	fill = xcalloc((size_t)b->ncomp + 1, sizeof(uint32_t));
	for (i = 0; i < b->nover; i++)
		csr_put(&b->links, fill, b->comp[b->over[i]], b->over[i], 0);
	free(fill);
	free(p);
}

static void flow_components(struct delta_base *b)
{
	const struct flows *f = b->f;
	uint32_t i, e;

	b->fcomp = xmalloc(((size_t)f->n + 1) * sizeof(uint32_t));
	for (i = 0; i < f->n; i++) {
		b->fcomp[i] = NONE;
		for (e = f->off[i]; e < f->off[i + 1] && b->fcomp[i] == NONE;
		     e++)
			b->fcomp[i] = b->comp[f->link[e]];
	}
}

static double weight(const struct flows *f, uint32_t e)
{
	return f->w ? f->w[e] : 1.0;
}

static void place_base(struct delta_base *b, struct sim *s,
		       const struct flows *f)
{
	uint32_t i, e, c;

	b->f = flows_new();
	flows_copy(b->f, f);
	b->m->place(s->route, b->f);
	b->cls = xmalloc(((size_t)f->n + 1) * sizeof(uint32_t));
	b->load = xcalloc((size_t)s->net->nlinks + 1, sizeof(double));
	for (i = 0; i < f->n; i++) {
		b->offered += f->demand[i];
		b->cls[i] = NONE;
		if (b->f->off[i] == b->f->off[i + 1])
			continue;	/* unroutable: stays so */
		b->routable += f->demand[i];
		c = route_class(s->route, f->dst[i]);
		b->cls[i] = c;
		if (c != NONE && c + 1 > b->ncls)
			b->ncls = c + 1;
		for (e = b->f->off[i]; e < b->f->off[i + 1]; e++)
			b->load[b->f->link[e]] += f->demand[i] *
						  weight(b->f, e);
	}
}

static double base_loss(struct delta_base *b, struct delta *d);

struct delta_base *delta_base_new(struct sim *s, const struct flows *f,
				  const struct mode_ops *m)
{
	struct delta_base *b = xcalloc(1, sizeof(*b));
	struct delta *d;

	b->m = m;
	b->nnodes = s->net->nnodes;
	b->nlinks = s->net->nlinks;
	place_base(b, s, f);
	build_indexes(b, s->net);
	build_components(b, s->net);
	flow_components(b);
	b->closs = xcalloc((size_t)b->ncomp + 1, sizeof(double));
	d = delta_new(b, s);
	b->loss = base_loss(b, d);
	delta_free(d);
	return b;
}

void delta_base_free(struct delta_base *b)
{
	if (b == NULL)
		return;
	flows_free(b->f);
	free(b->cls);
	csr_free(&b->at);
	csr_free(&b->of);
	csr_free(&b->on);
	csr_free(&b->links);
	free(b->load);
	free(b->comp);
	free(b->fcomp);
	free(b->over);
	free(b->closs);
	free(b);
}

double delta_base_offered(const struct delta_base *b)
{
	return b->offered;
}

double delta_base_achieved(const struct delta_base *b)
{
	return b->routable - b->loss;
}

#define U32S(n) xcalloc((size_t)(n) + 1, sizeof(uint32_t))

struct delta *delta_new(const struct delta_base *b, struct sim *ws)
{
	struct delta *d = xcalloc(1, sizeof(*d));
	uint32_t nf = b->f->n, nl = b->nlinks;

	d->b = b;
	d->s = ws;
	d->fmark = U32S(nf);
	d->fin = U32S(nf);
	d->pos = U32S(nf);
	d->aff = U32S(nf);
	d->rflow = U32S(nf);
	d->ltouch = U32S(nl);
	d->lin = U32S(nl);
	d->lvis = U32S(nl);
	d->ahead = U32S(nl);
	d->touched = U32S(nl);
	d->queue = U32S(nl);
	d->lid = U32S(nl);
	d->cvis = U32S(b->ncomp);
	d->comps = U32S(b->ncomp);
	d->dload = xcalloc((size_t)nl + 1, sizeof(double));
	d->sub = flows_new();
	d->mm = maxmin_new();
	d->poff = U32S(nf + 1);
	d->pdem = xcalloc((size_t)nf + 1, sizeof(double));
	d->prate = xcalloc((size_t)nf + 1, sizeof(double));
	d->pcap = xcalloc((size_t)nl + 1, sizeof(double));
	return d;
}

void delta_free(struct delta *d)
{
	if (d == NULL)
		return;
	free(d->fmark);
	free(d->fin);
	free(d->pos);
	free(d->aff);
	free(d->rflow);
	free(d->ltouch);
	free(d->lin);
	free(d->lvis);
	free(d->ahead);
	free(d->anext);
	free(d->aown);
	free(d->touched);
	free(d->queue);
	free(d->lid);
	free(d->cvis);
	free(d->comps);
	free(d->dload);
	flows_free(d->sub);
	maxmin_free(d->mm);
	free(d->poff);
	free(d->plink);
	free(d->pw);
	free(d->pdem);
	free(d->prate);
	free(d->pcap);
	free(d);
}

/* A fresh stamp invalidates every mark at once. */
static void next_stamp(struct delta *d)
{
	if (++d->stamp != 0)
		return;
	memset(d->fmark, 0, (size_t)d->b->f->n * sizeof(uint32_t));
	memset(d->fin, 0, (size_t)d->b->f->n * sizeof(uint32_t));
	memset(d->ltouch, 0, (size_t)d->b->nlinks * sizeof(uint32_t));
	memset(d->lin, 0, (size_t)d->b->nlinks * sizeof(uint32_t));
	memset(d->lvis, 0, (size_t)d->b->nlinks * sizeof(uint32_t));
	memset(d->cvis, 0, (size_t)d->b->ncomp * sizeof(uint32_t));
	d->stamp = 1;
}

static void mark(struct delta *d, uint32_t i)
{
	if (d->fmark[i] == d->stamp)
		return;
	d->fmark[i] = d->stamp;
	d->aff[d->na++] = i;
}

/* Did the flow's next-hop set at u (leaving by link out) hold x? Only
 * then can its choice at u change (its class's table is unchanged). */
static bool held(const struct delta *d, uint32_t i, uint32_t u, uint32_t out,
		 uint32_t x)
{
	const struct net *n = bnet(d);
	const struct route *r = d->s->route;
	uint32_t c = d->b->cls[i];

	if (n->lvl[u] == 0)
		return true;	/* a server's ToRs: re-hash */
	if (n->lvl[n->to[out]] > n->lvl[u])	/* going up */
		return n->lvl[x] > n->lvl[u] &&
		       route_dist(r, c, x) + 1 == route_dist(r, c, u);
	return n->lvl[x] < n->lvl[u] && n->lvl[x] > 0 &&
	       route_dist(r, c, x) == n->lvl[x];
}

static void mark_around(struct delta *d, uint32_t x)
{
	const struct delta_base *b = d->b;
	const struct net *n = bnet(d);
	uint32_t j, h;

	for (h = b->at.off[x]; h < b->at.off[x + 1]; h++)
		mark(d, b->at.val[h]);
	for (j = n->off[x]; j < n->off[x + 1]; j++) {
		uint32_t u = n->to[n->adj[j]];

		for (h = b->at.off[u]; h < b->at.off[u + 1]; h++)
			if (d->fmark[b->at.val[h]] != d->stamp &&
			    held(d, b->at.val[h], u, b->at.aux[h], x))
				mark(d, b->at.val[h]);
	}
}

static void mark_affected(struct delta *d, const uint32_t *x, uint32_t k)
{
	const struct delta_base *b = d->b;
	uint32_t c, j, h;

	d->na = 0;
	for (c = 0; c < b->ncls; c++)
		if (route_changed(d->s->route, c))
			for (h = b->of.off[c]; h < b->of.off[c + 1]; h++)
				mark(d, b->of.val[h]);
	for (j = 0; j < k; j++)
		mark_around(d, x[j]);
}

static void replace(struct delta *d)
{
	const struct flows *f = d->b->f;
	uint32_t j;

	flows_clear(d->sub);
	for (j = 0; j < d->na; j++) {
		uint32_t i = d->aff[j];

		flows_add(d->sub, f->src[i], f->dst[i], f->sport[i]);
		d->sub->demand[j] = f->demand[i];
		d->pos[i] = j;
	}
	for (j = 0; j < d->na; j++)
		d->sub->hash[j] = f->hash[d->aff[j]];
	d->sub->hashed = f->hashed;
	d->b->m->place(d->s->route, d->sub);
}

static void touch(struct delta *d, uint32_t l, double v)
{
	if (d->ltouch[l] != d->stamp) {
		d->ltouch[l] = d->stamp;
		d->dload[l] = 0;
		d->ahead[l] = NONE;
		d->touched[d->nt++] = l;
	}
	d->dload[l] += v;
}

/* Summed demand per link, moved from old paths to new ones; the new
 * entries are also indexed by link for the region search. */
static void move_load(struct delta *d)
{
	const struct flows *f = d->b->f, *s = d->sub;
	uint32_t j, e;

	d->nt = 0;
	d->unrouted = 0;
	if (s->nent + 1 > d->pecap) {
		d->pecap = 2 * (s->nent + 1);
		d->anext = xrealloc(d->anext, d->pecap * sizeof(uint32_t));
		d->aown = xrealloc(d->aown, d->pecap * sizeof(uint32_t));
	}
	for (j = 0; j < d->na; j++) {
		uint32_t i = d->aff[j];

		for (e = f->off[i]; e < f->off[i + 1]; e++)
			touch(d, f->link[e], -f->demand[i] * weight(f, e));
		for (e = s->off[j]; e < s->off[j + 1]; e++) {
			touch(d, s->link[e], s->demand[j] * weight(s, e));
			d->anext[e] = d->ahead[s->link[e]];
			d->aown[e] = j;
			d->ahead[s->link[e]] = e;
		}
		if (s->off[j] == s->off[j + 1])
			d->unrouted += f->demand[i];
	}
}

static void mark_overloaded(struct delta *d)
{
	const struct delta_base *b = d->b;
	const double *cap = bnet(d)->cap;
	uint32_t i;

	for (i = 0; i < b->nover; i++)
		if (d->ltouch[b->over[i]] != d->stamp)
			d->lin[b->over[i]] = d->stamp;
	for (i = 0; i < d->nt; i++) {
		uint32_t l = d->touched[i];

		if (OVER(b->load[l] + d->dload[l], cap[l]))
			d->lin[l] = d->stamp;
	}
}

static void enqueue(struct delta *d, uint32_t l)
{
	if (d->lin[l] != d->stamp || d->lvis[l] == d->stamp)
		return;
	d->lvis[l] = d->stamp;
	d->lid[l] = d->nq;
	d->queue[d->nq++] = l;
}

static void take_component(struct delta *d, uint32_t c)
{
	const struct delta_base *b = d->b;
	uint32_t h;

	if (c == NONE || d->cvis[c] == d->stamp)
		return;
	d->cvis[c] = d->stamp;
	d->comps[d->nc++] = c;
	for (h = b->links.off[c]; h < b->links.off[c + 1]; h++)
		enqueue(d, b->links.val[h]);
}

/* Flow i joins the region with every overloaded link of its path. */
static void take_flow(struct delta *d, uint32_t i)
{
	const struct flows *f = d->b->f;
	bool moved = d->fmark[i] == d->stamp;
	const struct flows *p = moved ? d->sub : f;
	uint32_t k = moved ? d->pos[i] : i, e;

	if (d->fin[i] == d->stamp)
		return;
	d->fin[i] = d->stamp;
	d->rflow[d->nr++] = i;
	for (e = p->off[k]; e < p->off[k + 1]; e++)
		enqueue(d, p->link[e]);
}

static void visit(struct delta *d, uint32_t l)
{
	const struct delta_base *b = d->b;
	uint32_t h, e;

	take_component(d, b->comp[l]);
	for (h = b->on.off[l]; h < b->on.off[l + 1]; h++)
		if (d->fmark[b->on.val[h]] != d->stamp)
			take_flow(d, b->on.val[h]);
	if (d->ltouch[l] == d->stamp)
		for (e = d->ahead[l]; e != NONE; e = d->anext[e])
			take_flow(d, d->aff[d->aown[e]]);
}

/* Breadth-first over the overloaded links, from the seeds: whatever the
 * scenario changed, and whole baseline components it reached. */
static void search(struct delta *d, bool all)
{
	const struct delta_base *b = d->b;
	uint32_t j, h, e;

	d->nq = d->nr = d->nc = 0;
	if (all)
		for (h = 0; h < b->nover; h++)
			enqueue(d, b->over[h]);
	for (j = 0; j < d->nt; j++)
		enqueue(d, d->touched[j]);
	for (j = 0; j < d->na; j++) {
		take_component(d, b->fcomp[d->aff[j]]);
		for (e = d->sub->off[j]; e < d->sub->off[j + 1]; e++)
			enqueue(d, d->sub->link[e]);
	}
	for (h = 0; h < d->nq; h++)
		visit(d, d->queue[h]);
}

static void put_entry(struct delta *d, size_t *ne, uint32_t l, double w)
{
	if (d->lvis[l] != d->stamp)
		return;
	if (*ne + 1 > d->pecap2) {
		d->pecap2 = 2 * (*ne + 1);
		d->plink = xrealloc(d->plink, d->pecap2 * sizeof(uint32_t));
		d->pw = xrealloc(d->pw, d->pecap2 * sizeof(double));
	}
	d->plink[*ne] = d->lid[l];
	d->pw[(*ne)++] = w;
}

/* The region as a max-min problem over its own links, numbered 0.. */
static struct maxmin_problem region_problem(struct delta *d)
{
	const struct flows *f = d->b->f;
	const double *cap = bnet(d)->cap;
	uint32_t j, e;
	size_t ne = 0;

	for (j = 0; j < d->nq; j++)
		d->pcap[j] = cap[d->queue[j]];
	for (j = 0; j < d->nr; j++) {
		uint32_t i = d->rflow[j];
		bool moved = d->fmark[i] == d->stamp;
		const struct flows *p = moved ? d->sub : f;
		uint32_t k = moved ? d->pos[i] : i;

		d->poff[j] = (uint32_t)ne;
		d->pdem[j] = f->demand[i];
		for (e = p->off[k]; e < p->off[k + 1]; e++)
			put_entry(d, &ne, p->link[e], weight(p, e));
	}
	d->poff[d->nr] = (uint32_t)ne;
	return (struct maxmin_problem){ d->nq, d->pcap, d->nr, d->pdem,
					d->poff, d->plink,
					d->b->f->w ? d->pw : NULL };
}

/* Demand the region's flows do not get; their rates land in prate. */
static double solve_region(struct delta *d)
{
	struct maxmin_problem p;
	double loss = 0;
	uint32_t j;

	if (d->nq == 0)
		return 0;	/* nothing overloaded: every flow gets its demand */
	p = region_problem(d);
	maxmin_solve(d->mm, &p, d->prate);
	for (j = 0; j < d->nr; j++)
		loss += d->pdem[j] - d->prate[j];
	return loss;
}

/* The baseline: every overloaded link, each flow's loss filed under its
 * component. */
static double base_loss(struct delta_base *b, struct delta *d)
{
	double loss;
	uint32_t j;

	next_stamp(d);
	d->na = d->nt = 0;
	mark_overloaded(d);
	search(d, true);
	loss = solve_region(d);
	for (j = 0; j < d->nr; j++)
		if (b->fcomp[d->rflow[j]] != NONE)
			b->closs[b->fcomp[d->rflow[j]]] +=
				d->pdem[j] - d->prate[j];
	return loss;
}

double delta_eval(struct delta *d, const uint32_t *x, uint32_t k)
{
	const struct delta_base *b = d->b;
	double loss;
	uint32_t j;

	next_stamp(d);
	mark_affected(d, x, k);
	replace(d);
	move_load(d);
	mark_overloaded(d);
	search(d, false);
	loss = b->loss + d->unrouted;
	for (j = 0; j < d->nc; j++)
		loss -= b->closs[d->comps[j]];
	return b->routable - (loss + solve_region(d));
}
