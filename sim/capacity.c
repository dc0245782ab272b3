#include "capacity.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dump.h"
#include "fail.h"
#include "nplus1.h"
#include "reach.h"
#include "sbuf.h"
#include "sim.h"
#include "stats.h"
#include "subtree.h"
#include "traffic.h"
#include "xalloc.h"

#define FULL (1.0 - 1e-9)	/* "reaches 1.0", up to rounding */

/* A spray run kept for the verdict: the checks and the bisection quote it. */
struct spray_run {
	char spec[64];
	double fraction, offered_gbps, achieved_gbps;
	char bottleneck[128];	/* "" when no link limits a flow */
};

/* A verdict check: the spray run it quotes and why it was run. */
struct check {
	size_t run;		/* in cap.runs */
	char *why;		/* owned */
	const char *tier;	/* subtree checks: the tier; else NULL */
	json_t *subtrees;	/* subtree checks: the classes (owned) */
};

/* What does not apply to this fabric, and why. */
struct skip {
	const char *what;	/* an option's spec or a static phrase */
	char *why;		/* owned */
};

struct cap {
	const struct topo *t;
	const struct capacity_opts *o;
	struct sim *s;
	struct flows *f;
	struct spray_run *runs;
	size_t nruns, runs_cap;
	struct check *checks;	/* in order */
	size_t nchecks, checks_cap;
	struct skip *skips;
	size_t nskips, skips_cap;
	bool perm[CAPACITY_MAX_LIST];	/* patterns[i] ran as a permutation */
	bool dumped;
};

void capacity_defaults(struct capacity_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->patterns[o->npatterns++] = "permutation";
	o->patterns[o->npatterns++] = "rack-to-rack";
	o->modes[o->nmodes++] = &mode_spray;
	o->modes[o->nmodes++] = &mode_ecmp;
	o->modes[o->nmodes++] = &mode_ecmp_unsalted;
	o->nplus1_modes[o->nplus1_nmodes++] = &mode_ecmp;
	o->seed = 1;
	o->per_pair = 1;
	o->verdict = true;
	o->nshards = 1;
	o->jobs = 1;
	o->dyn.load = 0.5;
	o->dyn.sizes = "websearch";
	o->dyn.nflows = 5000;
	o->dyn.warmup = 0.1;
	o->dyn.mode = &mode_ecmp;
}

static void progress(const struct cap *c, const char *what, uint64_t done,
		     uint64_t total)
{
	if (c->o->progress)
		c->o->progress(c->o->progress_arg, what, done, total);
}

/* Per tier: capacity down and up, and how many servers its first switch
 * reaches going down (model.h: topo_tier_capacity). */
static json_t *tiers_json(const struct topo *t)
{
	json_t *a = json_array();
	struct topo_tier_cap tc;
	uint32_t k;

	for (k = 0; k < t->ntiers; k++) {
		json_t *o;

		topo_tier_capacity(t, k, &tc);
		o = json_pack("{s:s, s:I, s:f, s:f, s:I, s:b}", "name",
			      t->tiers[k].name, "switches",
			      (json_int_t)tc.switches, "downGbps",
			      (double)tc.down_mbps / 1e3, "upGbps",
			      (double)tc.up_mbps / 1e3, "serversBelow",
			      (json_int_t)tc.servers_below, "top", tc.top);
		json_object_set_new(o, "oversubscription",
				    !tc.top && tc.up_mbps > 0
					    ? json_real((double)tc.down_mbps /
							(double)tc.up_mbps)
					    : json_null());
		json_array_append_new(a, o);
	}
	return a;
}

/* Each server to at most one, each receiving from at most one. */
static bool is_permutation(const struct flows *f, uint32_t nnodes)
{
	uint32_t *out = xcalloc((size_t)nnodes + 1, sizeof(uint32_t));
	uint32_t *in = xcalloc((size_t)nnodes + 1, sizeof(uint32_t));
	uint32_t i;
	bool ok = true;

	for (i = 0; i < f->n && ok; i++) {
		ok = (out[f->src[i]] == 0 || out[f->src[i]] == f->dst[i] + 1) &&
		     (in[f->dst[i]] == 0 || in[f->dst[i]] == f->src[i] + 1);
		out[f->src[i]] = f->dst[i] + 1;
		in[f->dst[i]] = f->src[i] + 1;
	}
	free(out);
	free(in);
	return ok;
}

/* After sim_load(): the class of links most often saturated while they
 * hold a flow below its demand, into buf ("" if none). A link that flows
 * at their demand fill (a 10G server's uplink at 10G) limits nothing and
 * is left out. */
static const char *bottleneck(const struct cap *c, char *buf, size_t len)
{
	const struct flows *f = c->f;
	const struct net *n = c->s->net;
	double *load = xcalloc((size_t)n->nlinks + 1, sizeof(double));
	struct flows_run run[2];
	uint32_t i, e, k, nr;

	for (i = 0; i < f->n; i++) {
		if (f->rate[i] >= f->demand[i] * FULL)
			continue;
		nr = flows_runs(f, i, run);
		for (k = 0; k < nr; k++)
			for (e = 0; e < run[k].n; e++)
				load[run[k].link[e]] = c->s->load[run[k].link[e]];
	}
	if (stats_bottleneck(n, load, buf, len) == NULL)
		buf[0] = '\0';
	free(load);
	return buf;
}

static json_t *bottleneck_json(const char *bn)
{
	return *bn ? json_string(bn) : json_null();
}

static json_t *mode_json(struct cap *c, const struct mode_ops *m,
			 const struct sim_result *r)
{
	json_t *o = json_pack("{s:s, s:f, s:f, s:f, s:I, s:f, s:f}", "mode",
			      m->name, "offeredGbps", r->offered / 1e9,
			      "achievedGbps", r->achieved / 1e9, "fraction",
			      sim_fraction(r), "unroutable",
			      (json_int_t)r->unroutable, "placeSeconds",
			      r->place_s, "solveSeconds", r->solve_s);
	char bn[128];

	sim_load(c->s, c->f);
	json_object_set_new(o, "links", stats_links(c->s->net, c->s->load));
	json_object_set_new(o, "mostSaturated",
			    bottleneck_json(bottleneck(c, bn, sizeof(bn))));
	return o;
}

/* The kept spray run on spec, SIZE_MAX if none. */
static size_t find_run(const struct cap *c, const char *spec)
{
	size_t i;

	for (i = 0; i < c->nruns; i++)
		if (strcmp(c->runs[i].spec, spec) == 0)
			return i;
	return SIZE_MAX;
}

/* Keep a spray run for the verdict (a later run on the same spec
 * replaces it): fraction, volumes, bottleneck. Returns its index. */
static size_t keep_spray(struct cap *c, const char *spec,
			 const struct sim_result *res)
{
	size_t i = find_run(c, spec);
	struct spray_run *r;

	if (i == SIZE_MAX) {
		c->runs = xgrow(c->runs, &c->runs_cap, c->nruns + 1,
				sizeof(*c->runs));
		i = c->nruns++;
	}
	r = &c->runs[i];
	snprintf(r->spec, sizeof(r->spec), "%s", spec);
	sim_load(c->s, c->f);
	r->fraction = sim_fraction(res);
	r->offered_gbps = res->offered / 1e9;
	r->achieved_gbps = res->achieved / 1e9;
	bottleneck(c, r->bottleneck, sizeof(r->bottleneck));
	return i;
}

/* List what was left out (once) with the reason. */
static void skip(struct cap *c, const char *what, const char *why)
{
	size_t i;

	for (i = 0; i < c->nskips; i++)
		if (strcmp(c->skips[i].what, what) == 0)
			return;
	c->skips = xgrow(c->skips, &c->skips_cap, c->nskips + 1,
			 sizeof(*c->skips));
	c->skips[c->nskips++] = (struct skip){ what, xstrdup(why) };
}

static json_t *skipped_json(const struct cap *c)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < c->nskips; i++)
		json_array_append_new(a, json_pack("{s:s, s:s}", "what",
						   c->skips[i].what, "why",
						   c->skips[i].why));
	return a;
}

/* 1: the pattern can run on this fabric; 0: it cannot and is listed as
 * skipped; -1: the spec is wrong. */
static int applies(struct cap *c, const char *spec, struct ck_err *err)
{
	struct traffic tr;
	char why[128];

	if (traffic_parse(spec, &tr, err) < 0)
		return -1;
	if (traffic_applies(&tr, c->s->net, why, sizeof(why)))
		return 1;
	skip(c, spec, why);
	return 0;
}

static int gen(struct cap *c, const char *spec, struct ck_err *err)
{
	struct traffic tr;

	if (traffic_parse(spec, &tr, err) < 0 ||
	    traffic_gen(&tr, c->s->net, c->o->seed, c->o->per_pair, c->f,
			err) < 0)
		return -1;
	return 0;
}

static int dump(struct cap *c, const struct mode_ops *m, struct ck_err *err)
{
	if (c->dumped || m->weighted || c->o->flows_out == NULL)
		return 0;
	c->dumped = true;
	return dump_flows(c->s->net, c->f, c->o->flows_out, err);
}

/* Pattern i under every mode; spray results are kept for the verdict. */
static json_t *pattern_json(struct cap *c, size_t i, struct ck_err *err)
{
	const char *spec = c->o->patterns[i];
	json_t *modes = json_array(), *p;
	struct sim_result r;
	size_t m;

	if (gen(c, spec, err) < 0) {
		json_decref(modes);
		return NULL;
	}
	c->perm[i] = is_permutation(c->f, c->s->net->nnodes);
	p = json_pack("{s:s, s:I, s:b}", "pattern", spec, "flows",
		      (json_int_t)c->f->n, "permutation", c->perm[i]);
	for (m = 0; m < c->o->nmodes; m++) {
		progress(c, spec, m, c->o->nmodes);
		sim_run(c->s, c->o->modes[m], c->f, &r);
		json_array_append_new(modes, mode_json(c, c->o->modes[m], &r));
		if (c->o->modes[m] == &mode_spray)
			keep_spray(c, spec, &r);
		if (dump(c, c->o->modes[m], err) < 0) {
			json_decref(modes);
			json_decref(p);
			return NULL;
		}
	}
	json_object_set_new(p, "modes", modes);
	return p;
}

static json_t *patterns_json(struct cap *c, struct ck_err *err)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < c->o->npatterns; i++) {
		int ok = applies(c, c->o->patterns[i], err);
		json_t *p = ok > 0 ? pattern_json(c, i, err) : NULL;

		if (ok == 0)
			continue;
		if (p == NULL) {
			json_decref(a);
			return NULL;
		}
		json_array_append_new(a, p);
	}
	return a;
}

/* Spray on one pattern, kept from a listed pattern's run if there was
 * one; the run's index, SIZE_MAX on error. */
static size_t spray(struct cap *c, const char *spec, struct ck_err *err)
{
	size_t i = find_run(c, spec);
	struct sim_result res;

	if (i != SIZE_MAX)
		return i;
	if (gen(c, spec, err) < 0)
		return SIZE_MAX;
	progress(c, spec, 0, 1);
	sim_run(c->s, &mode_spray, c->f, &res);
	return keep_spray(c, spec, &res);
}

static bool checked(const struct cap *c, const char *spec)
{
	size_t i;

	for (i = 0; i < c->nchecks; i++)
		if (strcmp(c->runs[c->checks[i].run].spec, spec) == 0)
			return true;
	return false;
}

/* A check on run; why is copied, subtrees (may be NULL) stolen. */
static void add_check(struct cap *c, size_t run, const char *why,
		      const char *tier, json_t *subtrees)
{
	c->checks = xgrow(c->checks, &c->checks_cap, c->nchecks + 1,
			  sizeof(*c->checks));
	c->checks[c->nchecks++] = (struct check){ run, xstrdup(why), tier,
						  subtrees };
}

static int check(struct cap *c, const char *spec, const char *why,
		 struct ck_err *err)
{
	int ok = applies(c, spec, err);
	size_t r = ok > 0 ? spray(c, spec, err) : SIZE_MAX;

	if (ok <= 0 || r == SIZE_MAX)
		return ok <= 0 ? ok : -1;
	if (!checked(c, spec))
		add_check(c, r, why, NULL, NULL);
	return 0;
}

/* The stride of the largest subtree of a tier empties every subtree at
 * once when no subtree holds more than half of the servers (servers are
 * in node order, each subtree a run of them): in a CLOS under spray it
 * loads that tier's uplinks as hard as any permutation can. The figures
 * quoted are each class of alike subtrees' own, from this run's flows. */
static int tier_check(struct cap *c, uint32_t k, struct ck_err *err)
{
	struct subtrees *st = subtree_new(c->s->net, k);
	char spec[64], why[1024];
	struct sim_result r;
	size_t run;
	json_t *cl;

	snprintf(spec, sizeof(spec), "stride:%u", st->max);
	if (st->max == 0 || st->max >= c->s->net->nservers ||
	    checked(c, spec)) {
		subtree_free(st);
		return 0;
	}
	if (gen(c, spec, err) < 0) {
		subtree_free(st);
		return -1;
	}
	progress(c, spec, 0, 1);
	sim_run(c->s, &mode_spray, c->f, &r);
	run = keep_spray(c, spec, &r);
	cl = subtree_classes(st, c->f);
	subtree_why(cl, c->t->tiers[k].name, why, sizeof(why));
	add_check(c, run, why, c->t->tiers[k].name, cl);
	subtree_free(st);
	return 0;
}

static int tier_checks(struct cap *c, struct ck_err *err)
{
	uint32_t k;

	for (k = 0; k < c->t->ntiers; k++)
		if (tier_check(c, k, err) < 0)
			return -1;
	return 0;
}

/* Into root, unless the fabric has no two halves. */
static int bisection(struct cap *c, json_t *root, struct ck_err *err)
{
	const struct spray_run *r;
	char spec[64];

	if (c->s->net->nservers < 2) {
		skip(c, "bisection", "needs at least 2 servers");
		return 0;
	}
	snprintf(spec, sizeof(spec), "stride:%u", c->s->net->nservers / 2);
	if (check(c, spec, "half of the servers to the other half "
		  "(bisection)", err) < 0)
		return -1;
	if (find_run(c, spec) == SIZE_MAX)	/* the check did not apply */
		return 0;
	r = &c->runs[find_run(c, spec)];
	json_object_set_new(root, "bisection", json_pack(
			 "{s:s, s:f, s:f, s:f}", "pattern", spec,
			 "offeredGbps", r->offered_gbps / 2, "gbps",
			 r->achieved_gbps / 2, "fraction", r->fraction));
	return 0;
}

static double frac(const struct cap *c, const struct check *k)
{
	return c->runs[k->run].fraction;
}

static void reason(struct sbuf *b, const struct cap *c,
		   const struct check *worst, uint64_t cut)
{
	const struct spray_run *r = worst ? &c->runs[worst->run] : NULL;

	if (cut > 0) {
		sbuf_addf(b, "partitioned: %llu server pair%s no path",
			  (unsigned long long)cut, cut > 1 ? "s have" : " has");
		if (worst == NULL)
			return;
		sbuf_adds(b, "; ");
	}
	if (c->nchecks == 0) {
		sbuf_adds(b, "nothing can block: no permutation applies to "
			  "this fabric; see skipped");
	} else if (worst == NULL) {
		sbuf_addf(b, "spray carried 100%% of the offered load in all "
			  "%zu permutation checks", c->nchecks);
	} else {
		sbuf_addf(b, "spray carried only %.1f%% of the offered load on "
			  "%s (%s); most saturated links: %s",
			  100 * r->fraction, r->spec, worst->why,
			  *r->bottleneck ? r->bottleneck : "none");
		if (worst->subtrees)
			subtree_worst(b, worst->subtrees, worst->tier);
	}
}

static json_t *checks_json(const struct cap *c)
{
	json_t *a = json_array(), *o;
	size_t i;

	for (i = 0; i < c->nchecks; i++) {
		const struct check *k = &c->checks[i];
		const struct spray_run *r = &c->runs[k->run];

		o = json_pack("{s:s, s:s, s:f, s:o}", "pattern", r->spec,
			      "why", k->why, "fraction", r->fraction,
			      "mostSaturated", bottleneck_json(r->bottleneck));
		if (k->subtrees) {
			json_object_set_new(o, "tier", json_string(k->tier));
			json_object_set(o, "subtrees", k->subtrees);
		}
		json_array_append_new(a, o);
	}
	return a;
}

/* Not non-blocking when a check falls short or some servers cannot reach
 * each other at all (whether a check's traffic met them or not). */
static json_t *verdict(struct cap *c)
{
	const struct check *worst = NULL;
	uint64_t cut = reach_unreachable_pairs(c->s->route);
	struct sbuf b;
	json_t *v;
	size_t i;

	for (i = 0; i < c->nchecks; i++)
		if (frac(c, &c->checks[i]) < FULL &&
		    (worst == NULL ||
		     frac(c, &c->checks[i]) < frac(c, worst)))
			worst = &c->checks[i];
	sbuf_init(&b);
	reason(&b, c, worst, cut);
	v = json_pack("{s:b, s:s, s:I, s:o}", "nonBlocking",
		      worst == NULL && cut == 0, "reason", b.s,
		      "unreachablePairs", (json_int_t)cut, "checks",
		      checks_json(c));
	sbuf_free(&b);
	return v;
}

static int verdict_json(struct cap *c, json_t *root, struct ck_err *err)
{
	size_t i;

	if (check(c, "permutation", "a random permutation (derangement)",
		  err) < 0 ||
	    tier_checks(c, err) < 0 ||
	    bisection(c, root, err) < 0)
		return -1;
	for (i = 0; i < c->o->npatterns; i++)
		if (c->perm[i] &&
		    check(c, c->o->patterns[i], "a requested permutation",
			  err) < 0)
			return -1;
	json_object_set_new(root, "verdict", verdict(c));
	return 0;
}

static void nplus1_progress(void *arg, uint64_t done, uint64_t total)
{
	progress(arg, "n+1", done, total);
}

static void dyn_progress(void *arg, uint64_t done, uint64_t total)
{
	progress(arg, "dynamic", done, total);
}

/* The first pattern that applies to this fabric; NULL if none does. */
static const char *first_pattern(struct cap *c, struct ck_err *err,
				 int *rc)
{
	size_t i;

	*rc = 0;
	for (i = 0; i < c->o->npatterns; i++) {
		int ok = applies(c, c->o->patterns[i], err);

		if (ok != 0) {
			*rc = ok < 0 ? -1 : 0;
			return ok > 0 ? c->o->patterns[i] : NULL;
		}
	}
	return NULL;
}

static int nplus1(struct cap *c, json_t *root, struct ck_err *err)
{
	const struct capacity_opts *o = c->o;
	struct nplus1_opts no = { o->nplus1_modes, o->nplus1_nmodes, o->shard,
				  o->nshards, o->jobs, nplus1_progress, c };
	int rc;
	const char *spec = first_pattern(c, err, &rc);

	if (spec == NULL) {
		if (rc == 0)
			skip(c, "n+1", "no traffic pattern applies to this "
			     "fabric");
		return rc;
	}
	if (gen(c, spec, err) < 0)
		return -1;
	json_object_set_new(root, "nPlusOne", nplus1_run(c->s, c->f, &no));
	json_object_set_new(json_object_get(root, "nPlusOne"), "pattern",
			    json_string(spec));
	return 0;
}

/* One dynamic run per load, all on the seed: "dynamic" for one load,
 * "dynamicSweep" for several. */
static int dynamic(struct cap *c, json_t *root, struct ck_err *err)
{
	const struct capacity_opts *o = c->o;
	struct dyn_opts d = o->dyn;
	size_t i, n = o->nloads < 2 ? 1 : o->nloads;
	json_t *runs = json_array();

	for (i = 0; i < n; i++) {
		json_t *one;

		if (o->nloads >= 2)
			d.load = o->loads[i];
		one = dyn_run(c->s, &d, o->seed, dyn_progress, c, err);
		if (one == NULL) {
			json_decref(runs);
			return -1;
		}
		json_array_append_new(runs, one);
	}
	if (n == 1) {
		json_object_set(root, "dynamic", json_array_get(runs, 0));
		json_decref(runs);
	} else {
		json_object_set_new(root, "dynamicSweep", runs);
	}
	return 0;
}

static int extras(struct cap *c, json_t *root, struct ck_err *err)
{
	const struct capacity_opts *o = c->o;

	if (o->nplus1 && nplus1(c, root, err) < 0)
		return -1;
	if (o->dynamic && c->s->net->nservers < 2) {
		skip(c, "dynamic", "needs at least 2 servers");
	} else if (o->dynamic) {
		return dynamic(c, root, err);
	}
	return 0;
}

static json_t *header(const struct cap *c)
{
	const struct net *n = c->s->net;
	json_t *modes = json_array();
	size_t i;

	for (i = 0; i < c->o->nmodes; i++)
		json_array_append_new(modes, json_string(c->o->modes[i]->name));
	return json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:o}", "fabric",
			 c->t->name, "topology", c->t->file, "servers",
			 (json_int_t)n->nservers, "switches",
			 (json_int_t)(n->nnodes - n->nservers), "links",
			 (json_int_t)c->t->nlinks, "seed",
			 (json_int_t)c->o->seed, "flowsPerPair",
			 (json_int_t)c->o->per_pair, "modes", modes);
}

static int body(struct cap *c, json_t *root, struct ck_err *err)
{
	json_t *p;

	json_object_set_new(root, "tiers", tiers_json(c->t));
	if (c->o->links_out && dump_links(c->s->net, c->o->links_out, err) < 0)
		return -1;
	p = patterns_json(c, err);
	if (p == NULL)
		return -1;
	json_object_set_new(root, "patterns", p);
	if (c->o->verdict && verdict_json(c, root, err) < 0)
		return -1;
	if (extras(c, root, err) < 0)
		return -1;
	json_object_set_new(root, "skipped", skipped_json(c));
	return 0;
}

static int apply_failures(struct cap *c, struct fail *fl, json_t *root,
			  struct ck_err *err)
{
	struct rng r;
	size_t i;

	rng_seed(&r, c->o->seed ^ 0xfa11ull);
	for (i = 0; i < c->o->nfails; i++)
		if (fail_add(fl, c->s->net, c->o->fails[i], &r, err) < 0)
			return -1;
	fail_apply(fl, c->s->net, +1);
	sim_failures_changed(c->s);
	json_object_set_new(root, "failures", fail_json(fl, c->s->net));
	return 0;
}

/* What capacity_run() kept while it ran. */
static void cap_free(struct cap *c)
{
	size_t i;

	for (i = 0; i < c->nchecks; i++) {
		free(c->checks[i].why);
		json_decref(c->checks[i].subtrees);
	}
	for (i = 0; i < c->nskips; i++)
		free(c->skips[i].why);
	free(c->checks);
	free(c->skips);
	free(c->runs);
}

json_t *capacity_run(const struct topo *t, const struct capacity_opts *o,
		     struct ck_err *err)
{
	struct cap c = { .t = t, .o = o, .s = sim_new(t), .f = flows_new() };
	double t0 = sim_now();
	json_t *root = header(&c);
	struct fail fl;
	int rc;

	c.s->share = true;	/* every reader here takes flows_runs() */
	fail_init(&fl);
	rc = apply_failures(&c, &fl, root, err);
	if (rc == 0)
		rc = body(&c, root, err);
	fail_free(&fl);
	json_object_set_new(root, "seconds", json_real(sim_now() - t0));
	cap_free(&c);
	flows_free(c.f);
	sim_free(c.s);
	progress(&c, "done", 0, 0);
	if (rc < 0) {
		json_decref(root);
		return NULL;
	}
	return root;
}
