/* The incremental dynamic engine (the default): flows start and stop in
 * a dynmm (only the component an event reaches is re-solved), and their
 * completion times sit in an indexed heap, moved only for the flows whose
 * rates the event changed. A flow's remaining bits are brought up to date
 * lazily, when its rate changes: left -= rate x (t - last update). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dynmm.h"
#include "dynrun.h"
#include "heap.h"
#include "xalloc.h"

struct inc {
	struct dynrun *d;
	struct dynmm *mm;
	struct heap done;	/* by flow: completion time */
	double *left, *since, *rate;	/* by flow */
	uint32_t nactive;
	/* the flows' links with one virtual link per server past the net's:
	 * the server's nominal rate, shared by all its flows */
	uint32_t *eoff, *elink;
	double *ew, *demand, *cap;
};

static void incidence(struct inc *u)
{
	const struct dynrun *d = u->d;
	const struct flows *f = d->f;
	const struct net *n = d->s->net;
	uint32_t a, e, k = 0;

	u->eoff = xmalloc(((size_t)d->n + 1) * sizeof(uint32_t));
	u->elink = xmalloc((f->off[d->n] + (size_t)d->n + 1) *
			   sizeof(uint32_t));
	if (f->w)
		u->ew = xmalloc((f->off[d->n] + (size_t)d->n + 1) *
				sizeof(double));
	for (a = 0; a < d->n; a++) {
		u->eoff[a] = k;
		for (e = f->off[a]; e < f->off[a + 1]; e++, k++) {
			u->elink[k] = f->link[e];
			if (u->ew)
				u->ew[k] = f->w[e];
		}
		if (u->ew)
			u->ew[k] = 1.0;
		u->elink[k++] = n->nlinks + d->srv[f->src[a]];
	}
	u->eoff[d->n] = k;
}

static void setup(struct inc *u, struct dynrun *d)
{
	const struct net *n = d->s->net;
	size_t nl = (size_t)n->nlinks + n->nservers, i;
	struct dynmm_net dn;

	memset(u, 0, sizeof(*u));
	u->d = d;
	incidence(u);
	u->cap = xcalloc(nl + 1, sizeof(double));
	memcpy(u->cap, n->cap, (size_t)n->nlinks * sizeof(double));
	for (i = 0; i < n->nservers; i++)
		u->cap[n->nlinks + i] = n->srv_bps[n->servers[i]];
	u->demand = xmalloc(((size_t)d->n + 1) * sizeof(double));
	for (i = 0; i < d->n; i++)
		u->demand[i] = n->srv_bps[d->f->src[i]];
	dn = (struct dynmm_net){ (uint32_t)nl, u->cap, d->n, u->demand,
				 u->eoff, u->elink, u->ew };
	u->mm = dynmm_new(&dn);
	heap_init(&u->done);
	heap_reset(&u->done, d->n);
	u->left = xmalloc(((size_t)d->n + 1) * sizeof(double));
	u->since = xcalloc((size_t)d->n + 1, sizeof(double));
	u->rate = xcalloc((size_t)d->n + 1, sizeof(double));
}

static void teardown(struct inc *u)
{
	dynmm_free(u->mm);
	heap_free(&u->done);
	free(u->left);
	free(u->since);
	free(u->rate);
	free(u->eoff);
	free(u->elink);
	free(u->ew);
	free(u->demand);
	free(u->cap);
}

/* Bring the flows the last event re-solved up to date at time t. */
static void update(struct inc *u, double t)
{
	uint32_t n, i;
	const uint32_t *ch = dynmm_changed(u->mm, &n);

	for (i = 0; i < n; i++) {
		uint32_t a = ch[i];
		double r = dynmm_rate(u->mm, a);

		if (r == u->rate[a])
			continue;
		u->left[a] = fmax(0, u->left[a] - u->rate[a] * (t - u->since[a]));
		u->since[a] = t;
		u->rate[a] = r;
		heap_set(&u->done, a, r > 0 ? t + u->left[a] / r : INFINITY);
	}
}

static void start(struct inc *u, uint32_t k, double t)
{
	if (u->d->f->off[k] == u->d->f->off[k + 1]) {
		dynrun_finish(u->d, k, NAN);
		return;
	}
	u->left[k] = u->d->bits[k];
	u->since[k] = t;
	u->rate[k] = -1;	/* whatever the solver gives, it is news */
	dynmm_add(u->mm, k);
	u->nactive++;
	update(u, t);
}

static void stop(struct inc *u, uint32_t a, double t)
{
	heap_remove(&u->done, a);
	u->rate[a] = 0;
	dynmm_remove(u->mm, a);
	u->nactive--;
	dynrun_finish(u->d, a, t);
	update(u, t);
}

static void check(struct inc *u)
{
	uint32_t worst = 0;

	if (u->d->o->check)
		u->d->mismatches += dynmm_check(u->mm, 1e-9, &worst);
}

static void loop(struct inc *u, dyn_progress_fn progress, void *arg)
{
	struct dynrun *d = u->d;
	double t = 0;
	uint32_t k = 0;

	while (d->pending > 0) {
		double ta = k < d->n ? d->arrive[k] : INFINITY;
		double tc = u->done.len ? u->done.key[heap_top(&u->done)]
					: INFINITY;

		if (isinf(ta) && isinf(tc))
			break;	/* nothing can move any more */
		if (tc <= ta)
			stop(u, heap_top(&u->done), t = tc);
		else
			start(u, k++, t = ta);
		check(u);
		dynrun_active(d, t, u->nactive);
		if ((++d->events & 1023) == 0 && progress)
			progress(arg, d->meas_hi - d->meas_lo - d->pending,
				 d->meas_hi - d->meas_lo);
	}
	d->t_end = t;
}

void dyninc_run(struct dynrun *d, dyn_progress_fn progress, void *arg)
{
	struct inc u;

	const struct dynmm_stats *st;

	setup(&u, d);
	loop(&u, progress, arg);
	st = dynmm_stats(u.mm);
	d->solves = st->solves;
	d->comp_flows = st->flows;
	d->comp_links = st->links;
	teardown(&u);
}
