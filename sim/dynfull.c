/* The reference dynamic engine (--dyn-engine full): at every arrival and
 * completion, rebuild the max-min problem over all active flows and all
 * links and solve it whole; find the next completion by scanning every
 * active flow. O(links + active flows x hops) per event: kept to measure
 * the incremental engine against (make bench) and as a second opinion. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dynrun.h"
#include "xalloc.h"

struct full {
	struct dynrun *d;
	double *left;		/* by flow */
	uint32_t *active, nactive;
	/* links past the net's are one virtual link per server */
	struct maxmin_problem p;
	uint32_t *off, *link;
	double *w, *demand, *rate, *cap;
	size_t entcap;
};

static void setup(struct full *u, struct dynrun *d)
{
	const struct net *n = d->s->net;
	size_t nl = (size_t)n->nlinks + n->nservers, i;

	memset(u, 0, sizeof(*u));
	u->d = d;
	u->left = xcalloc(d->n + 1, sizeof(double));
	memcpy(u->left, d->bits, d->n * sizeof(double));
	u->active = xcalloc(d->n + 1, sizeof(uint32_t));
	u->off = xcalloc(d->n + 2, sizeof(uint32_t));
	u->demand = xcalloc(d->n + 1, sizeof(double));
	u->rate = xcalloc(d->n + 1, sizeof(double));
	u->cap = xcalloc(nl + 1, sizeof(double));
	memcpy(u->cap, n->cap, (size_t)n->nlinks * sizeof(double));
	for (i = 0; i < n->nservers; i++)
		u->cap[n->nlinks + i] = n->srv_bps[n->servers[i]];
	u->p.nlinks = (uint32_t)nl;
	u->p.cap = u->cap;
}

static void teardown(struct full *u)
{
	free(u->left);
	free(u->active);
	free(u->off);
	free(u->link);
	free(u->w);
	free(u->demand);
	free(u->rate);
	free(u->cap);
}

static void add_ent(struct full *u, size_t k, uint32_t link, double w)
{
	if (k + 1 > u->entcap) {
		size_t cap = u->entcap;

		u->link = xgrow(u->link, &cap, k + 1, sizeof(uint32_t));
		u->w = xgrow(u->w, &u->entcap, k + 1, sizeof(double));
	}
	u->link[k] = link;
	u->w[k] = w;
}

/* Rebuild the problem over the active flows and solve it. */
static void solve(struct full *u)
{
	const struct dynrun *d = u->d;
	const struct flows *f = d->f;
	uint32_t i, e;
	size_t k = 0;

	for (i = 0; i < u->nactive; i++) {
		uint32_t a = u->active[i];

		u->off[i] = (uint32_t)k;
		u->demand[i] = d->s->net->srv_bps[f->src[a]];
		for (e = f->off[a]; e < f->off[a + 1]; e++)
			add_ent(u, k++, f->link[e], f->w ? f->w[e] : 1.0);
		add_ent(u, k++, d->s->net->nlinks + d->srv[f->src[a]], 1.0);
	}
	u->off[u->nactive] = (uint32_t)k;
	u->p.nflows = u->nactive;
	u->p.demand = u->demand;
	u->p.off = u->off;
	u->p.link = u->link;
	u->p.w = u->w;
	maxmin_solve(d->s->mm, &u->p, u->rate);
}

/* Advance by dt at the current rates; retire finished flows at time t. */
static void advance(struct full *u, double dt, double t)
{
	uint32_t i, kept = 0;

	for (i = 0; i < u->nactive; i++) {
		uint32_t a = u->active[i];

		u->left[a] -= u->rate[i] * dt;
		if (u->left[a] <= u->d->bits[a] * 1e-9) {
			dynrun_finish(u->d, a, t);
			continue;
		}
		u->active[kept] = a;
		u->rate[kept++] = u->rate[i];
	}
	u->nactive = kept;
}

static double next_completion(const struct full *u)
{
	double best = INFINITY;
	uint32_t i;

	for (i = 0; i < u->nactive; i++)
		if (u->rate[i] > 0 && u->left[u->active[i]] / u->rate[i] < best)
			best = u->left[u->active[i]] / u->rate[i];
	return best;
}

/* Start flow k, or retire it at once when it has no route. */
static void arrive(struct full *u, uint32_t k)
{
	if (u->d->f->off[k] == u->d->f->off[k + 1])
		dynrun_finish(u->d, k, NAN);
	else
		u->active[u->nactive++] = k;
}

static void loop(struct full *u, dyn_progress_fn progress, void *arg)
{
	struct dynrun *d = u->d;
	double t = 0;
	uint32_t k = 0;

	while (d->pending > 0) {
		double dt, ta = k < d->n ? d->arrive[k] : INFINITY;

		if (u->nactive == 0) {
			t = ta;
			arrive(u, k++);
		} else {
			solve(u);
			dt = next_completion(u);
			if (isinf(dt) && isinf(ta))
				break;	/* nothing can move any more */
			if (t + dt >= ta) {
				advance(u, ta - t, ta);
				t = ta;
				arrive(u, k++);
			} else {
				t += dt;
				advance(u, dt, t);
			}
		}
		dynrun_active(d, t, u->nactive);
		if ((++d->events & 1023) == 0 && progress)
			progress(arg, d->meas_hi - d->meas_lo - d->pending,
				 d->meas_hi - d->meas_lo);
	}
	d->t_end = t;
}

void dynfull_run(struct dynrun *d, dyn_progress_fn progress, void *arg)
{
	struct full u;

	setup(&u, d);
	loop(&u, progress, arg);
	teardown(&u);
}
