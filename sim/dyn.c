#include "dyn.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cdf.h"
#include "sim.h"
#include "stats.h"
#include "xalloc.h"

struct dynrun {
	struct sim *s;
	struct flows *f;	/* every flow, placed once up front */
	double *arrive, *bits, *left, *slow;
	uint32_t *active, nactive;
	/* the max-min problem over the active flows; links past the net's
	 * are one virtual link per server: its nominal rate */
	struct maxmin_problem p;
	uint32_t *off, *link;
	double *w, *demand, *rate, *cap;
	size_t entcap;
	uint32_t *srv;		/* node -> server ordinal */
};

static void gen(struct dynrun *d, const struct cdf *c, const struct dyn_opts *o,
		struct rng *r)
{
	const struct net *n = d->s->net;
	double total = 0, lambda, t = 0;
	uint32_t i;

	for (i = 0; i < n->nservers; i++)
		total += n->srv_bps[n->servers[i]];
	lambda = o->load * total / (cdf_mean(c) * 8);
	for (i = 0; i < o->nflows; i++) {
		uint32_t a = rng_below(r, n->nservers);
		uint32_t b = rng_below(r, n->nservers - 1);
		double sz = cdf_sample(c, r);

		t += -log(1.0 - rng_double(r)) / lambda;
		flows_add(d->f, n->servers[a], n->servers[b + (b >= a)],
			  (uint16_t)(32768 + rng_below(r, 28232)));
		d->arrive[i] = t;
		d->bits[i] = (sz < 1 ? 1 : sz) * 8;
		d->left[i] = d->bits[i];
	}
}

static void setup(struct dynrun *d, const struct dyn_opts *o)
{
	const struct net *n = d->s->net;
	size_t nl = (size_t)n->nlinks + n->nservers, i;

	d->f = flows_new();
	d->arrive = xcalloc(o->nflows + 1, sizeof(double));
	d->bits = xcalloc(o->nflows + 1, sizeof(double));
	d->left = xcalloc(o->nflows + 1, sizeof(double));
	d->slow = xcalloc(o->nflows + 1, sizeof(double));
	d->active = xcalloc(o->nflows + 1, sizeof(uint32_t));
	d->off = xcalloc(o->nflows + 2, sizeof(uint32_t));
	d->demand = xcalloc(o->nflows + 1, sizeof(double));
	d->rate = xcalloc(o->nflows + 1, sizeof(double));
	d->cap = xcalloc(nl + 1, sizeof(double));
	d->srv = xcalloc((size_t)n->nnodes + 1, sizeof(uint32_t));
	memcpy(d->cap, n->cap, (size_t)n->nlinks * sizeof(double));
	for (i = 0; i < n->nservers; i++) {
		d->srv[n->servers[i]] = (uint32_t)i;
		d->cap[n->nlinks + i] = n->srv_bps[n->servers[i]];
	}
	d->p.nlinks = (uint32_t)nl;
	d->p.cap = d->cap;
}

static void teardown(struct dynrun *d)
{
	flows_free(d->f);
	free(d->arrive);
	free(d->bits);
	free(d->left);
	free(d->slow);
	free(d->active);
	free(d->off);
	free(d->link);
	free(d->w);
	free(d->demand);
	free(d->rate);
	free(d->cap);
	free(d->srv);
}

static void add_ent(struct dynrun *d, size_t k, uint32_t link, double w)
{
	if (k + 1 > d->entcap) {
		size_t cap = d->entcap;

		d->link = xgrow(d->link, &cap, k + 1, sizeof(uint32_t));
		d->w = xgrow(d->w, &d->entcap, k + 1, sizeof(double));
	}
	d->link[k] = link;
	d->w[k] = w;
}

/* Rebuild the problem over the active flows and solve it. */
static void solve(struct dynrun *d)
{
	const struct flows *f = d->f;
	uint32_t i, e;
	size_t k = 0;

	for (i = 0; i < d->nactive; i++) {
		uint32_t a = d->active[i];

		d->off[i] = (uint32_t)k;
		d->demand[i] = d->s->net->srv_bps[f->src[a]];
		for (e = f->off[a]; e < f->off[a + 1]; e++)
			add_ent(d, k++, f->link[e], f->w ? f->w[e] : 1.0);
		add_ent(d, k++, d->s->net->nlinks + d->srv[f->src[a]], 1.0);
	}
	d->off[d->nactive] = (uint32_t)k;
	d->p.nflows = d->nactive;
	d->p.demand = d->demand;
	d->p.off = d->off;
	d->p.link = d->link;
	d->p.w = d->w;
	maxmin_solve(d->s->mm, &d->p, d->rate);
}

/* Advance by dt at the current rates; retire finished flows at time t. */
static uint32_t advance(struct dynrun *d, double dt, double t)
{
	uint32_t i, kept = 0, done = 0;

	for (i = 0; i < d->nactive; i++) {
		uint32_t a = d->active[i];

		d->left[a] -= d->rate[i] * dt;
		if (d->left[a] <= d->bits[a] * 1e-9) {
			double ideal = d->bits[a] /
				       d->s->net->srv_bps[d->f->src[a]];

			d->slow[a] = (t - d->arrive[a]) / ideal;
			done++;
			continue;
		}
		d->active[kept] = a;
		d->rate[kept++] = d->rate[i];
	}
	d->nactive = kept;
	return done;
}

static double next_completion(const struct dynrun *d)
{
	double best = INFINITY;
	uint32_t i;

	for (i = 0; i < d->nactive; i++)
		if (d->rate[i] > 0 && d->left[d->active[i]] / d->rate[i] < best)
			best = d->left[d->active[i]] / d->rate[i];
	return best;
}

/* Start flow k, or retire it at once when it has no route. */
static uint32_t arrive(struct dynrun *d, uint32_t k)
{
	if (d->f->off[k] == d->f->off[k + 1]) {
		d->slow[k] = NAN;
		return 1;
	}
	d->active[d->nactive++] = k;
	return 0;
}

static double loop(struct dynrun *d, uint32_t n, dyn_progress_fn progress,
		   void *arg)
{
	double t = 0;
	uint32_t k = 0, done = 0;

	while (done < n) {
		double dt, ta = k < n ? d->arrive[k] : INFINITY;

		if (d->nactive == 0) {
			t = ta;
			done += arrive(d, k++);
			continue;
		}
		solve(d);
		dt = next_completion(d);
		if (t + dt >= ta) {
			done += advance(d, ta - t, ta);
			t = ta;
			done += arrive(d, k++);
		} else {
			t += dt;
			done += advance(d, dt, t);
		}
		if (progress && (done & 255) == 0)
			progress(arg, done, n);
	}
	return t;
}

static double pick(const double *v, size_t n, double q)
{
	size_t i = (size_t)ceil(q * (double)n);

	return v[i ? i - 1 : 0];
}

static const struct {
	const char *name;
	double max_bytes;
} buckets[] = {
	{ "small", 100e3 }, { "medium", 10e6 }, { "large", INFINITY },
	{ "all", INFINITY },
};

static json_t *bucket_json(const struct dynrun *d, uint32_t n, size_t b,
			   double *v)
{
	double lo = b == 0 || b == 3 ? 0 : buckets[b - 1].max_bytes * 8;
	double hi = buckets[b].max_bytes * 8, sum = 0;
	size_t cnt = 0;
	uint32_t i;
	json_t *o;

	for (i = 0; i < n; i++)
		if (!isnan(d->slow[i]) && d->bits[i] > lo && d->bits[i] <= hi)
			sum += v[cnt++] = d->slow[i];
	stats_sort(v, cnt);
	o = json_pack("{s:s, s:I}", "bucket", buckets[b].name, "flows",
		      (json_int_t)cnt);
	json_object_set_new(o, "maxBytes", isinf(buckets[b].max_bytes)
		? json_null() : json_real(buckets[b].max_bytes));
	json_object_set_new(o, "p50", cnt ? json_real(pick(v, cnt, 0.5))
					  : json_null());
	json_object_set_new(o, "p99", cnt ? json_real(pick(v, cnt, 0.99))
					  : json_null());
	json_object_set_new(o, "mean", cnt ? json_real(sum / (double)cnt)
					   : json_null());
	return o;
}

/* 100 points of the slowdown CDF over every completed flow. */
static json_t *cdf_json(const struct dynrun *d, uint32_t n, double *v)
{
	json_t *a = json_array();
	size_t cnt = 0, q;
	uint32_t i;

	for (i = 0; i < n; i++)
		if (!isnan(d->slow[i]))
			v[cnt++] = d->slow[i];
	stats_sort(v, cnt);
	for (q = 1; cnt && q <= 100; q++)
		json_array_append_new(a, json_pack("[f, f]",
			pick(v, cnt, (double)q / 100), (double)q / 100));
	return a;
}

static json_t *result(const struct dynrun *d, const struct dyn_opts *o,
		      double t_end, uint32_t lost)
{
	double *v = xmalloc(((size_t)o->nflows + 1) * sizeof(double));
	json_t *b = json_array(), *r;
	size_t i;

	for (i = 0; i < sizeof(buckets) / sizeof(*buckets); i++)
		json_array_append_new(b, bucket_json(d, o->nflows, i, v));
	/* with few flows per server the run never leaves its empty start:
	 * say so rather than pass a transient off as the load's answer */
	r = json_pack("{s:f, s:s, s:s, s:I, s:I, s:f, s:f, s:o, s:o}",
		      "load", o->load, "sizes", o->sizes, "mode",
		      o->mode->name, "flows", (json_int_t)o->nflows,
		      "unroutable", (json_int_t)lost, "flowsPerServer",
		      (double)o->nflows / d->s->net->nservers,
		      "simulatedSeconds", t_end, "buckets", b, "cdf",
		      cdf_json(d, o->nflows, v));
	free(v);
	return r;
}

json_t *dyn_run(struct sim *s, const struct dyn_opts *o, uint64_t seed,
		dyn_progress_fn progress, void *arg, struct ck_err *err)
{
	struct dynrun d;
	struct cdf c;
	struct rng r;
	uint32_t lost;
	double t_end;
	json_t *res;

	if (!(o->load > 0 && o->load <= 1) || o->nflows == 0 ||
	    s->net->nservers < 2) {
		ck_err_set(err, NULL, 0, 0, "--load must be in (0, 1] and "
			   "--dyn-flows positive, on a fabric of 2 servers or "
			   "more");
		return NULL;
	}
	if (cdf_load(o->sizes, &c, err) < 0)
		return NULL;
	memset(&d, 0, sizeof(d));
	d.s = s;
	setup(&d, o);
	rng_seed(&r, seed ^ 0xd1a9ull);
	gen(&d, &c, o, &r);
	cdf_free(&c);
	lost = o->mode->place(s->route, d.f);
	t_end = loop(&d, o->nflows, progress, arg);
	res = result(&d, o, t_end, lost);
	teardown(&d);
	return res;
}
