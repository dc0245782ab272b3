#include "dyn.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cdf.h"
#include "dump.h"
#include "dynrun.h"
#include "sbuf.h"
#include "stats.h"
#include "xalloc.h"

/* The active count has levelled off when its time-averages over the two
 * halves of the measured window differ by at most this share (plus one
 * flow, for fabrics that hold only a few). */
#define STEADY_TOL 0.1

static void gen(struct dynrun *d, const struct cdf *c, struct rng *r)
{
	const struct net *n = d->s->net;
	double total = 0, lambda, t = 0;
	uint32_t i;

	for (i = 0; i < n->nservers; i++)
		total += n->srv_bps[n->servers[i]];
	lambda = d->o->load * total / (cdf_mean(c) * 8);
	for (i = 0; i < d->n; i++) {
		uint32_t a = rng_below(r, n->nservers);
		uint32_t b = rng_below(r, n->nservers - 1);
		double bytes = round(cdf_sample(c, r));

		t += -log(1.0 - rng_double(r)) / lambda;
		flows_add(d->f, n->servers[a], n->servers[b + (b >= a)],
			  (uint16_t)(32768 + rng_below(r, 28232)));
		d->arrive[i] = t;
		d->bits[i] = (bytes < 1 ? 1 : bytes) * 8;
		d->fct[i] = NAN;
	}
}

/* With --dyn-until, the arrivals after the measured ones that keep the
 * fabric loaded while those finish. */
static uint64_t tail(const struct dyn_opts *o)
{
	return o->until / 2 + 100;
}

/* How many flows to generate: all asked for, or with --dyn-until the
 * warm-up share, the measured flows and the tail. */
static uint64_t planned(const struct dyn_opts *o)
{
	double w = o->warmup;

	if (o->until == 0)
		return o->nflows;
	return (uint64_t)ceil(o->until * w / (1 - w)) + o->until + tail(o);
}

static void setup(struct dynrun *d, struct sim *s, const struct dyn_opts *o)
{
	const struct net *n = s->net;
	uint32_t i;

	memset(d, 0, sizeof(*d));
	d->s = s;
	d->o = o;
	d->n = (uint32_t)planned(o);
	d->f = flows_new();
	d->arrive = xcalloc((size_t)d->n + 1, sizeof(double));
	d->bits = xcalloc((size_t)d->n + 1, sizeof(double));
	d->fct = xcalloc((size_t)d->n + 1, sizeof(double));
	d->srv = xcalloc((size_t)n->nnodes + 1, sizeof(uint32_t));
	for (i = 0; i < n->nservers; i++)
		d->srv[n->servers[i]] = i;
}

static void teardown(struct dynrun *d)
{
	flows_free(d->f);
	free(d->arrive);
	free(d->bits);
	free(d->fct);
	free(d->srv);
}

/* Flows arriving in the first warm-up share of the arrivals' span are
 * simulated but not measured. */
static void measure_window(struct dynrun *d)
{
	double cut = d->o->warmup * d->arrive[d->n - 1];
	uint32_t lo = 0;

	if (d->o->until) {
		lo = (uint32_t)(d->n - d->o->until - tail(d->o));
		d->meas_hi = lo + d->o->until;
	} else {
		while (lo < d->n - 1 && d->arrive[lo] < cut)
			lo++;
		d->meas_hi = d->n;
	}
	d->meas_lo = lo;
	d->pending = d->meas_hi - lo;
	d->win_lo = d->arrive[lo];
	d->win_hi = d->arrive[d->meas_hi - 1];
	d->win_mid = (d->win_lo + d->win_hi) / 2;
}

void dynrun_finish(struct dynrun *d, uint32_t a, double t)
{
	d->fct[a] = t - d->arrive[a];
	if (a < d->meas_lo || a >= d->meas_hi)
		return;
	d->pending--;
	if (t > d->arrive[d->n - 1])
		d->drained++;
}

static double overlap(double a, double b, double lo, double hi)
{
	double x = fmax(a, lo), y = fmin(b, hi);

	return y > x ? y - x : 0;
}

void dynrun_active(struct dynrun *d, double t, uint32_t nactive)
{
	d->area[0] += d->nactive * overlap(d->t_last, t, d->win_lo,
					   d->win_mid);
	d->area[1] += d->nactive * overlap(d->t_last, t, d->win_mid,
					   d->win_hi);
	d->t_last = t;
	d->nactive = nactive;
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

static double slowdown(const struct dynrun *d, uint32_t a)
{
	return d->fct[a] / (d->bits[a] / d->s->net->srv_bps[d->f->src[a]]);
}

/* Slowdowns of the measured flows of size in (lo, hi] bits, sorted. */
static size_t collect(const struct dynrun *d, double lo, double hi,
		      double *v)
{
	size_t cnt = 0;
	uint32_t i;

	for (i = d->meas_lo; i < d->meas_hi; i++)
		if (!isnan(d->fct[i]) && d->bits[i] > lo && d->bits[i] <= hi)
			v[cnt++] = slowdown(d, i);
	stats_sort(v, cnt);
	return cnt;
}

static json_t *real_or_null(size_t cnt, double x)
{
	return cnt ? json_real(x) : json_null();
}

static json_t *bucket_json(const struct dynrun *d, size_t b, double *v)
{
	double lo = b == 0 || b == 3 ? 0 : buckets[b - 1].max_bytes * 8;
	size_t cnt = collect(d, lo, buckets[b].max_bytes * 8, v), i;
	double sum = 0;
	json_t *o;

	for (i = 0; i < cnt; i++)
		sum += v[i];
	o = json_pack("{s:s, s:I}", "bucket", buckets[b].name, "flows",
		      (json_int_t)cnt);
	json_object_set_new(o, "maxBytes", isinf(buckets[b].max_bytes)
		? json_null() : json_real(buckets[b].max_bytes));
	json_object_set_new(o, "p50", real_or_null(cnt, pick(v, cnt, 0.5)));
	json_object_set_new(o, "p99", real_or_null(cnt, pick(v, cnt, 0.99)));
	json_object_set_new(o, "p99FewFlows",
			    json_boolean(cnt < DYN_MIN_P99_FLOWS));
	json_object_set_new(o, "mean", real_or_null(cnt, sum / (double)cnt));
	return o;
}

/* 100 points of the slowdown CDF over every measured flow. */
static json_t *cdf_json(const struct dynrun *d, double *v)
{
	json_t *a = json_array();
	size_t cnt = collect(d, 0, INFINITY, v), q;

	for (q = 1; cnt && q <= 100; q++)
		json_array_append_new(a, json_pack("[f, f]",
			pick(v, cnt, (double)q / 100), (double)q / 100));
	return a;
}

/* Has the active-flow count levelled off over the measured window? */
static void steady_json(const struct dynrun *d, json_t *r)
{
	double half = (d->win_hi - d->win_lo) / 2;
	double x = half > 0 ? d->area[0] / half : 0;
	double y = half > 0 ? d->area[1] / half : 0;
	bool ok = half > 0 && fabs(y - x) <= STEADY_TOL * fmax(x, y) + 1;

	json_object_set_new(r, "activeFlows", json_pack("{s:f, s:f}",
			    "firstHalf", x, "secondHalf", y));
	json_object_set_new(r, "steady", json_boolean(ok));
	if (!ok)
		json_object_set_new(r, "note", json_sprintf(
			"the active-flow count had not levelled off over the "
			"measured arrivals (%.1f on average in their first "
			"half, %.1f in the second): the figures describe a "
			"transient; raise --dyn-flows or use --dyn-until",
			x, y));
}

/* CPU time of the process: on a shared machine, what the engine cost
 * whatever else ran. */
static double cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double per(uint64_t a, uint64_t b)
{
	return b ? (double)a / (double)b : 0;
}

static json_t *result(const struct dynrun *d, uint32_t lost)
{
	double *v = xmalloc(((size_t)d->n + 1) * sizeof(double));
	json_t *b = json_array(), *r;
	size_t i;

	for (i = 0; i < sizeof(buckets) / sizeof(*buckets); i++)
		json_array_append_new(b, bucket_json(d, i, v));
	r = json_pack("{s:f, s:s, s:s, s:s, s:I, s:I, s:f, s:f, s:I, s:I, "
		      "s:I, s:I, s:f}",
		      "load", d->o->load, "sizes", d->o->sizes, "mode",
		      d->o->mode->name, "engine", d->o->full ? "full"
		      : "incremental", "flows", (json_int_t)d->n,
		      "unroutable", (json_int_t)lost, "warmupFraction",
		      d->o->warmup, "warmupSeconds", d->win_lo, "warmupFlows",
		      (json_int_t)d->meas_lo, "measuredFlows",
		      (json_int_t)(d->meas_hi - d->meas_lo), "drainedFlows",
		      (json_int_t)d->drained, "events",
		      (json_int_t)d->events, "simulatedSeconds", d->t_end);
	json_object_set_new(r, "engineSeconds", json_real(d->engine_s));
	json_object_set_new(r, "engineCpuSeconds", json_real(d->engine_cpu_s));
	json_object_set_new(r, "flowsPerServer", json_real((double)d->n /
			    d->s->net->nservers));
	if (!d->o->full)
		json_object_set_new(r, "component", json_pack("{s:f, s:f, s:f}",
			"solvesPerEvent", per(d->solves, d->events),
			"flowsPerSolve", per(d->comp_flows, d->solves),
			"linksPerSolve", per(d->comp_links, d->solves)));
	if (d->o->check)
		json_object_set_new(r, "checkMismatches",
				    json_integer((json_int_t)d->mismatches));
	steady_json(d, r);
	json_object_set_new(r, "buckets", b);
	json_object_set_new(r, "cdf", cdf_json(d, v));
	free(v);
	return r;
}

/* One JSON object per flow, in arrival order. */
static void flow_out(struct out_stream *s, const struct dynrun *d,
		     uint32_t i)
{
	const struct net *n = d->s->net;
	const struct flows *f = d->f;

	out_open(s, NULL, '{', 0);
	out_str(s, "src", n->t->nodes[f->src[i]].name);
	out_str(s, "dst", n->t->nodes[f->dst[i]].name);
	out_real(s, "arriveS", d->arrive[i]);
	out_fixed(s, "bytes", d->bits[i] / 8, 0);
	out_real(s, "capBps", n->srv_bps[f->src[i]]);
	dump_path(s, "path", n, f->link + f->off[i], f->off[i + 1] - f->off[i]);
	if (isnan(d->fct[i]))
		out_null(s, "fctS");
	else
		out_real(s, "fctS", d->fct[i]);
	out_close(s);
}

static int flows_out(const struct dynrun *d, FILE *out, struct ck_err *err)
{
	struct out_stream s;
	struct sbuf b;
	uint32_t i;

	sbuf_init(&b);
	out_stream_init(&s, &b, out);
	for (i = 0; i < d->n; i++)
		flow_out(&s, d, i);
	sbuf_free(&b);
	return out_finish(out, "dynamic flows", err);
}

/* A lower bound on the run's memory: per flow its arrival, size and
 * result, its 5-tuple, and per link of its longest valley-free path (up
 * and down every tier, plus its server's cap) the placement and the
 * engine's incidence. */
static double need_bytes(const struct sim *s, uint64_t n)
{
	return (double)n * (64.0 + 16.0 * (2 * s->net->maxlvl + 1));
}

static int check_memory(const struct sim *s, const struct dyn_opts *o,
			struct ck_err *err)
{
	double have = (double)sysconf(_SC_PHYS_PAGES) *
		      (double)sysconf(_SC_PAGESIZE);
	double need = need_bytes(s, planned(o));

	if (have <= 0 || need <= have)
		return 0;
	ck_err_set(err, NULL, 0, 0, "%llu dynamic flows would need at least "
		   "%.1f GB of memory and this machine has %.1f GB; lower "
		   "--dyn-flows or --dyn-until",
		   (unsigned long long)planned(o), need / 1e9, have / 1e9);
	return -1;
}

static int check_opts(const struct sim *s, const struct dyn_opts *o,
		      struct ck_err *err)
{
	if (!(o->load > 0 && o->load <= 1) || o->nflows == 0 ||
	    s->net->nservers < 2) {
		ck_err_set(err, NULL, 0, 0, "--load must be in (0, 1] and "
			   "--dyn-flows positive, on a fabric of 2 servers or "
			   "more");
		return -1;
	}
	if (!(o->warmup >= 0 && o->warmup < 1)) {
		ck_err_set(err, NULL, 0, 0, "--warmup %g: expected a fraction "
			   "in [0, 1)", o->warmup);
		return -1;
	}
	if (planned(o) > UINT32_MAX / 2) {
		ck_err_set(err, NULL, 0, 0, "--dyn-until %u with --warmup %g "
			   "plans %llu flows (warm-up, measured, tail); at most "
			   "%u: lower --dyn-until or --warmup", o->until,
			   o->warmup, (unsigned long long)planned(o),
			   UINT32_MAX / 2);
		return -1;
	}
	return check_memory(s, o, err);
}

json_t *dyn_run(struct sim *s, const struct dyn_opts *o, uint64_t seed,
		dyn_progress_fn progress, void *arg, struct ck_err *err)
{
	struct dynrun d;
	struct cdf c;
	struct rng r;
	uint32_t lost;
	double t0, c0;
	json_t *res = NULL;

	if (check_opts(s, o, err) < 0 || cdf_load(o->sizes, &c, err) < 0)
		return NULL;
	setup(&d, s, o);
	rng_seed(&r, seed ^ 0xd1a9ull);
	gen(&d, &c, &r);
	cdf_free(&c);
	lost = o->mode->place(s->route, d.f);
	measure_window(&d);
	t0 = sim_now();
	c0 = cpu_now();
	(o->full ? dynfull_run : dyninc_run)(&d, progress, arg);
	d.engine_s = sim_now() - t0;
	d.engine_cpu_s = cpu_now() - c0;
	if (o->flows_out == NULL || flows_out(&d, o->flows_out, err) == 0)
		res = result(&d, lost);
	teardown(&d);
	return res;
}
