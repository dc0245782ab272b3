#include "dynmm.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

#define NONE UINT32_MAX
/* A link counts as saturated from this fraction of its capacity on.
 * Calling an unsaturated link saturated only widens the component (still
 * exact); missing a saturated one would not be, so the margin is far
 * above rounding. */
#define SAT_EPS 1e-7

/* A link of the component: crossed by a component flow (boundary), or
 * also saturated before the event, its top flows taken in (closed). */
enum { L_NONE, L_BOUNDARY, L_CLOSED };

struct vec {
	uint32_t *v;
	uint32_t n;
	size_t cap;
};

struct comp {			/* the affected component of one event */
	struct vec flows, links, todo;	/* todo: links to close */
	uint32_t *lmap;		/* global link -> index in links, NONE */
	uint8_t *lstate;	/* by global link */
	uint8_t *in;		/* by flow */
	double *outside;	/* by local link: load of outside flows */
	double *newload;	/* by local link */
	double *top;		/* by local link: highest new component rate */
	uint32_t *cnt;		/* by local link: component flows on it */
	/* the sub-problem */
	struct maxmin_problem p;
	uint32_t *off, *link;
	double *w, *demand, *cap, *rate;
	size_t fcap, lcap, ecap;
};

struct dynmm {
	struct dynmm_net n;
	double *rate;		/* by flow */
	uint8_t *active;	/* by flow */
	double *load;		/* by link */
	struct vec *on;		/* by link: entries of active flows on it */
	uint32_t *epos;		/* by entry: slot in on[elink] */
	uint32_t *eflow;	/* by entry */
	struct comp c;
	struct maxmin *mm, *ref;
	struct dynmm_stats st;
};

static void vec_push(struct vec *v, uint32_t x)
{
	if (v->n + 1 > v->cap)
		v->v = xgrow(v->v, &v->cap, v->n + 1, sizeof(uint32_t));
	v->v[v->n++] = x;
}

static double weight(const struct dynmm *m, uint32_t e)
{
	return m->n.ew ? m->n.ew[e] : 1.0;
}

struct dynmm *dynmm_new(const struct dynmm_net *n)
{
	struct dynmm *m = xcalloc(1, sizeof(*m));
	uint32_t f, e, ne = n->eoff[n->nflows];

	m->n = *n;
	m->rate = xcalloc((size_t)n->nflows + 1, sizeof(double));
	m->active = xcalloc((size_t)n->nflows + 1, 1);
	m->load = xcalloc((size_t)n->nlinks + 1, sizeof(double));
	m->on = xcalloc((size_t)n->nlinks + 1, sizeof(struct vec));
	m->epos = xcalloc((size_t)ne + 1, sizeof(uint32_t));
	m->eflow = xcalloc((size_t)ne + 1, sizeof(uint32_t));
	for (f = 0; f < n->nflows; f++)
		for (e = n->eoff[f]; e < n->eoff[f + 1]; e++)
			m->eflow[e] = f;
	m->c.lmap = xmalloc(((size_t)n->nlinks + 1) * sizeof(uint32_t));
	memset(m->c.lmap, 0xff, ((size_t)n->nlinks + 1) * sizeof(uint32_t));
	m->c.lstate = xcalloc((size_t)n->nlinks + 1, 1);
	m->c.in = xcalloc((size_t)n->nflows + 1, 1);
	m->mm = maxmin_new();
	return m;
}

static void comp_free(struct comp *c)
{
	free(c->flows.v);
	free(c->links.v);
	free(c->todo.v);
	free(c->lmap);
	free(c->lstate);
	free(c->in);
	free(c->outside);
	free(c->newload);
	free(c->top);
	free(c->cnt);
	free(c->off);
	free(c->link);
	free(c->w);
	free(c->demand);
	free(c->cap);
	free(c->rate);
}

void dynmm_free(struct dynmm *m)
{
	uint32_t l;

	if (m == NULL)
		return;
	for (l = 0; l < m->n.nlinks; l++)
		free(m->on[l].v);
	free(m->on);
	free(m->rate);
	free(m->active);
	free(m->load);
	free(m->epos);
	free(m->eflow);
	comp_free(&m->c);
	maxmin_free(m->mm);
	maxmin_free(m->ref);
	free(m);
}

static bool saturated(const struct dynmm *m, uint32_t l)
{
	return m->load[l] >= m->n.cap[l] * (1 - SAT_EPS);
}

/* Add link l to the component; queue it for closing the first time it
 * is seen saturated. */
static void comp_link(struct comp *c, uint32_t l, uint8_t state)
{
	if (c->lstate[l] == L_NONE) {
		c->lmap[l] = c->links.n;
		vec_push(&c->links, l);
	}
	if (state == L_CLOSED && c->lstate[l] != L_CLOSED)
		vec_push(&c->todo, l);
	if (state > c->lstate[l])
		c->lstate[l] = state;
}

static void comp_flow(struct dynmm *m, uint32_t f)
{
	struct comp *c = &m->c;
	uint32_t e;

	if (c->in[f])
		return;
	c->in[f] = 1;
	vec_push(&c->flows, f);
	for (e = m->n.eoff[f]; e < m->n.eoff[f + 1]; e++)
		comp_link(c, m->n.elink[e],
			  saturated(m, m->n.elink[e]) ? L_CLOSED : L_BOUNDARY);
}

/* The flows on link l within SAT_EPS of its highest rate: those it may
 * bottleneck. The others are held back by a link elsewhere. */
static void join_top(struct dynmm *m, uint32_t l)
{
	const struct vec *on = &m->on[l];
	double top = 0;
	uint32_t i;

	for (i = 0; i < on->n; i++)
		top = fmax(top, m->rate[m->eflow[on->v[i]]]);
	for (i = 0; i < on->n; i++)
		if (m->rate[m->eflow[on->v[i]]] >= top * (1 - SAT_EPS))
			comp_flow(m, m->eflow[on->v[i]]);
}

/* Close the saturated links queued: the flows they bottleneck join. */
static void comp_close(struct dynmm *m)
{
	struct comp *c = &m->c;

	while (c->todo.n)
		join_top(m, c->todo.v[--c->todo.n]);
}

static void comp_reset(struct dynmm *m)
{
	struct comp *c = &m->c;
	uint32_t i;

	for (i = 0; i < c->links.n; i++) {
		c->lmap[c->links.v[i]] = NONE;
		c->lstate[c->links.v[i]] = L_NONE;
	}
	for (i = 0; i < c->flows.n; i++)
		c->in[c->flows.v[i]] = 0;
	c->links.n = c->todo.n = 0;
}

static void comp_reserve(struct comp *c, size_t ne)
{
	size_t nf = (size_t)c->flows.n + 1, nl = (size_t)c->links.n + 1;

	if (nf > c->fcap) {
		c->off = xrealloc(c->off, (nf + 1) * sizeof(uint32_t));
		c->demand = xrealloc(c->demand, nf * sizeof(double));
		c->rate = xrealloc(c->rate, nf * sizeof(double));
		c->fcap = nf;
	}
	if (nl > c->lcap) {
		c->cap = xrealloc(c->cap, nl * sizeof(double));
		c->outside = xrealloc(c->outside, nl * sizeof(double));
		c->newload = xrealloc(c->newload, nl * sizeof(double));
		c->top = xrealloc(c->top, nl * sizeof(double));
		c->cnt = xrealloc(c->cnt, nl * sizeof(uint32_t));
		c->lcap = nl;
	}
	if (ne + 1 > c->ecap) {
		c->link = xrealloc(c->link, (ne + 1) * sizeof(uint32_t));
		c->w = xrealloc(c->w, (ne + 1) * sizeof(double));
		c->ecap = ne + 1;
	}
}

/* The sub-problem in local indices; boundary links keep what outside
 * flows leave of them. */
static void build(struct dynmm *m, bool whole)
{
	struct comp *c = &m->c;
	uint32_t i, e, k = 0;
	size_t ne = 0;

	for (i = 0; i < c->flows.n; i++)
		ne += m->n.eoff[c->flows.v[i] + 1] - m->n.eoff[c->flows.v[i]];
	comp_reserve(c, ne);
	for (i = 0; i < c->links.n; i++) {
		c->outside[i] = m->load[c->links.v[i]];
		c->cnt[i] = 0;
	}
	for (i = 0; i < c->flows.n; i++) {
		uint32_t f = c->flows.v[i];

		c->off[i] = k;
		c->demand[i] = m->n.demand[f];
		for (e = m->n.eoff[f]; e < m->n.eoff[f + 1]; e++, k++) {
			c->link[k] = c->lmap[m->n.elink[e]];
			c->w[k] = weight(m, e);
			c->outside[c->link[k]] -= c->w[k] * m->rate[f];
			c->cnt[c->link[k]]++;
		}
	}
	c->off[c->flows.n] = k;
	for (i = 0; i < c->links.n; i++) {
		uint32_t l = c->links.v[i];

		if (whole || c->cnt[i] == m->on[l].n || c->outside[i] < 0)
			c->outside[i] = 0;
		c->cap[i] = fmax(0, m->n.cap[l] - c->outside[i]);
	}
	c->p = (struct maxmin_problem){ c->links.n, c->cap, c->flows.n,
					c->demand, c->off, c->link, c->w };
}

/* Outside flows on local link i faster than the component's fastest
 * there join: the link, saturated, must not hold a component flow below
 * them. Returns whether any did. */
static bool join_faster(struct dynmm *m, uint32_t i)
{
	struct comp *c = &m->c;
	uint32_t l = c->links.v[i], k;
	const struct vec *on = &m->on[l];
	bool grew = false;

	if (c->cnt[i] == on->n || c->newload[i] < m->n.cap[l] * (1 - SAT_EPS))
		return false;
	for (k = 0; k < on->n; k++) {
		uint32_t f = m->eflow[on->v[k]];

		if (!c->in[f] && m->rate[f] > c->top[i] * (1 + 1e-12)) {
			comp_flow(m, f);
			grew = true;
		}
	}
	return grew;
}

/* Solve; let in the outside flows the new rates wrong. Returns whether
 * the component grew (then it must be solved again). */
static bool solve_once(struct dynmm *m)
{
	struct comp *c = &m->c;
	uint32_t i, k, nl;
	bool grew = false;

	build(m, false);
	maxmin_solve(m->mm, &c->p, c->rate);
	m->st.solves++;
	m->st.flows += c->flows.n;
	m->st.links += c->links.n;
	memcpy(c->newload, c->outside, c->links.n * sizeof(double));
	memset(c->top, 0, c->links.n * sizeof(double));
	for (i = 0; i < c->flows.n; i++)
		for (k = c->off[i]; k < c->off[i + 1]; k++) {
			c->newload[c->link[k]] += c->w[k] * c->rate[i];
			c->top[c->link[k]] = fmax(c->top[c->link[k]],
						  c->rate[i]);
		}
	nl = c->links.n;	/* links joining now are checked next time */
	for (i = 0; i < nl; i++)
		grew |= join_faster(m, i);
	return grew;
}

static void commit(struct dynmm *m)
{
	struct comp *c = &m->c;
	uint32_t i;

	for (i = 0; i < c->links.n; i++)
		m->load[c->links.v[i]] = c->newload[i];
	for (i = 0; i < c->flows.n; i++)
		m->rate[c->flows.v[i]] = c->rate[i];
}

static void resolve(struct dynmm *m)
{
	comp_close(m);
	while (m->c.flows.n && solve_once(m))
		comp_close(m);
	if (m->c.flows.n)
		commit(m);
	comp_reset(m);
	m->st.events++;
}

void dynmm_add(struct dynmm *m, uint32_t f)
{
	uint32_t e;

	m->rate[f] = 0;
	m->active[f] = 1;
	for (e = m->n.eoff[f]; e < m->n.eoff[f + 1]; e++) {
		m->epos[e] = m->on[m->n.elink[e]].n;
		vec_push(&m->on[m->n.elink[e]], e);
	}
	m->c.flows.n = 0;
	comp_flow(m, f);
	resolve(m);
}

static void unlink_entry(struct dynmm *m, uint32_t e)
{
	struct vec *on = &m->on[m->n.elink[e]];
	uint32_t last = on->v[--on->n];

	if (last != e) {
		on->v[m->epos[e]] = last;
		m->epos[last] = m->epos[e];
	}
	if (on->n == 0)		/* no drift left behind on an idle link */
		m->load[m->n.elink[e]] = 0;
}

void dynmm_remove(struct dynmm *m, uint32_t f)
{
	uint32_t e;

	m->c.flows.n = 0;
	for (e = m->n.eoff[f]; e < m->n.eoff[f + 1]; e++) {
		uint32_t l = m->n.elink[e];

		if (saturated(m, l))
			comp_link(&m->c, l, L_CLOSED);
		m->load[l] -= weight(m, e) * m->rate[f];
		unlink_entry(m, e);
	}
	m->rate[f] = 0;
	m->active[f] = 0;
	resolve(m);
}

double dynmm_rate(const struct dynmm *m, uint32_t f)
{
	return m->rate[f];
}

const uint32_t *dynmm_changed(const struct dynmm *m, uint32_t *n)
{
	*n = m->c.flows.n;
	return m->c.flows.v;
}

const struct dynmm_stats *dynmm_stats(const struct dynmm *m)
{
	return &m->st;
}

/* The whole active set as one problem, in the component's arrays. */
static void build_all(struct dynmm *m)
{
	struct comp *c = &m->c;
	uint32_t f;

	c->flows.n = 0;
	for (f = 0; f < m->n.nflows; f++)
		if (m->active[f])
			comp_flow(m, f);
	build(m, true);
}

uint32_t dynmm_check(struct dynmm *m, double rel, uint32_t *worst)
{
	struct comp *c = &m->c;
	double bad = 0;
	uint32_t i, nbad = 0;

	if (m->ref == NULL)
		m->ref = maxmin_new();
	build_all(m);
	maxmin_solve(m->ref, &c->p, c->rate);
	for (i = 0; i < c->flows.n; i++) {
		double a = c->rate[i], b = m->rate[c->flows.v[i]];
		double d = fabs(a - b) / fmax(fmax(fabs(a), fabs(b)), 1e-300);

		if (d > rel && (nbad++, d > bad)) {
			bad = d;
			*worst = c->flows.v[i];
		}
	}
	comp_reset(m);
	c->flows.n = 0;
	return nbad;
}
