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

struct cap {
	const struct topo *t;
	const struct capacity_opts *o;
	struct sim *s;
	struct flows *f;
	json_t *spray_cache;	/* spec -> spray fraction */
	json_t *checks;		/* verdict checks, in order */
	json_t *skipped;	/* what does not apply here, and why */
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

static void tier_capacity(const struct net *n, uint32_t k, double *down,
			  double *up, uint32_t *count, uint32_t *first)
{
	uint32_t u, i;

	*down = *up = 0;
	*count = 0;
	*first = TOPO_NONE;
	for (u = 0; u < n->nnodes; u++) {
		if (n->t->nodes[u].tier != k)
			continue;
		if ((*count)++ == 0)
			*first = u;
		for (i = n->off[u]; i < n->off[u + 1]; i++)
			*(i < n->off[u] + n->nup[u] ? up : down) +=
				n->cap[n->adj[i]];
	}
}

/* Per tier: capacity down and up, and how many servers one switch of it
 * reaches going down; a tier whose switches reach every server is a top
 * of the east-west path (its uplinks, if any, only lead out). */
static json_t *tiers_json(const struct net *n)
{
	json_t *a = json_array();
	uint32_t k;

	for (k = 0; k < n->t->ntiers; k++) {
		double down, up;
		uint32_t count, first, sb;
		json_t *o;

		tier_capacity(n, k, &down, &up, &count, &first);
		sb = first == TOPO_NONE ? 0 : subtree_below(n, first);
		o = json_pack("{s:s, s:I, s:f, s:f, s:I, s:b}", "name",
			      n->t->tiers[k].name, "switches",
			      (json_int_t)count, "downGbps", down / 1e9,
			      "upGbps", up / 1e9, "serversBelow",
			      (json_int_t)sb, "top", sb >= n->nservers);
		json_object_set_new(o, "oversubscription",
				    sb < n->nservers && up > 0
					    ? json_real(down / up)
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
 * hold a flow below its demand. A link that flows at their demand fill
 * (a 10G server's uplink at 10G) limits nothing and is left out. */
static json_t *bottleneck(const struct cap *c)
{
	const struct flows *f = c->f;
	const struct net *n = c->s->net;
	double *load = xcalloc((size_t)n->nlinks + 1, sizeof(double));
	struct flows_run run[2];
	uint32_t i, e, k, nr;
	char buf[128];
	const char *bn;

	for (i = 0; i < f->n; i++) {
		if (f->rate[i] >= f->demand[i] * FULL)
			continue;
		nr = flows_runs(f, i, run);
		for (k = 0; k < nr; k++)
			for (e = 0; e < run[k].n; e++)
				load[run[k].link[e]] = c->s->load[run[k].link[e]];
	}
	bn = stats_bottleneck(n, load, buf, sizeof(buf));
	free(load);
	return bn ? json_string(bn) : json_null();
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

	sim_load(c->s, c->f);
	json_object_set_new(o, "links", stats_links(c->s->net, c->s->load));
	json_object_set_new(o, "mostSaturated", bottleneck(c));
	return o;
}

/* Remember a spray run for the verdict: fraction, volumes, bottleneck. */
static json_t *cache_spray(struct cap *c, const char *spec,
			   const struct sim_result *res)
{
	json_t *r;

	sim_load(c->s, c->f);
	r = json_pack("{s:f, s:f, s:f}", "fraction", sim_fraction(res),
		      "offeredGbps", res->offered / 1e9, "achievedGbps",
		      res->achieved / 1e9);
	json_object_set_new(r, "mostSaturated", bottleneck(c));
	json_object_set_new(c->spray_cache, spec, r);
	return r;
}

/* Does array a hold an object whose string key k is v? */
static bool has_entry(const json_t *a, const char *k, const char *v)
{
	const json_t *o;
	size_t i;

	json_array_foreach(a, i, o)
		if (strcmp(json_string_value(json_object_get(o, k)) ?: "", v) == 0)
			return true;
	return false;
}

/* List what was left out (once) with the reason. */
static void skip(struct cap *c, const char *what, const char *why)
{
	if (!has_entry(c->skipped, "what", what))
		json_array_append_new(c->skipped, json_pack("{s:s, s:s}",
					"what", what, "why", why));
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

/* One pattern under every mode; spray results go to the verdict cache. */
static json_t *pattern_json(struct cap *c, const char *spec,
			    struct ck_err *err)
{
	json_t *modes = json_array(), *p;
	struct sim_result r;
	size_t m;

	if (gen(c, spec, err) < 0) {
		json_decref(modes);
		return NULL;
	}
	p = json_pack("{s:s, s:I, s:b}", "pattern", spec, "flows",
		      (json_int_t)c->f->n, "permutation",
		      is_permutation(c->f, c->s->net->nnodes));
	for (m = 0; m < c->o->nmodes; m++) {
		progress(c, spec, m, c->o->nmodes);
		sim_run(c->s, c->o->modes[m], c->f, &r);
		json_array_append_new(modes, mode_json(c, c->o->modes[m], &r));
		if (c->o->modes[m] == &mode_spray)
			cache_spray(c, spec, &r);
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
		json_t *p = ok > 0 ? pattern_json(c, c->o->patterns[i], err)
				   : NULL;

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

/* Spray on one pattern, from the cache when a listed pattern ran it. */
static json_t *spray(struct cap *c, const char *spec, struct ck_err *err)
{
	json_t *r = json_object_get(c->spray_cache, spec);
	struct sim_result res;

	if (r)
		return r;
	if (gen(c, spec, err) < 0)
		return NULL;
	progress(c, spec, 0, 1);
	sim_run(c->s, &mode_spray, c->f, &res);
	return cache_spray(c, spec, &res);
}

static bool checked(const struct cap *c, const char *spec)
{
	return has_entry(c->checks, "pattern", spec);
}

static int check(struct cap *c, const char *spec, const char *why,
		 struct ck_err *err)
{
	int ok = applies(c, spec, err);
	json_t *r = ok > 0 ? spray(c, spec, err) : NULL, *o;

	if (ok <= 0 || r == NULL)
		return ok <= 0 ? ok : -1;
	if (checked(c, spec))
		return 0;
	o = json_pack("{s:s, s:s, s:O, s:O}", "pattern", spec, "why", why,
		      "fraction", json_object_get(r, "fraction"),
		      "mostSaturated", json_object_get(r, "mostSaturated"));
	json_array_append_new(c->checks, o);
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
	json_t *cl, *o;

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
	o = cache_spray(c, spec, &r);
	cl = subtree_classes(st, c->f);
	subtree_why(cl, c->t->tiers[k].name, why, sizeof(why));
	json_array_append_new(c->checks, json_pack("{s:s, s:s, s:O, s:O, "
		"s:s, s:o}", "pattern", spec, "why", why, "fraction",
		json_object_get(o, "fraction"), "mostSaturated",
		json_object_get(o, "mostSaturated"), "tier",
		c->t->tiers[k].name, "subtrees", cl));
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
	char spec[64];
	json_t *r;

	if (c->s->net->nservers < 2) {
		skip(c, "bisection", "needs at least 2 servers");
		return 0;
	}
	snprintf(spec, sizeof(spec), "stride:%u", c->s->net->nservers / 2);
	if (check(c, spec, "half of the servers to the other half "
		  "(bisection)", err) < 0)
		return -1;
	r = json_object_get(c->spray_cache, spec);
	json_object_set_new(root, "bisection", json_pack(
			 "{s:s, s:f, s:f, s:O}", "pattern", spec,
			 "offeredGbps", json_real_value(json_object_get(
				 r, "offeredGbps")) / 2,
			 "gbps", json_real_value(json_object_get(
				 r, "achievedGbps")) / 2,
			 "fraction", json_object_get(r, "fraction")));
	return 0;
}

static double frac(const json_t *o)
{
	return json_real_value(json_object_get(o, "fraction"));
}

static const char *str(const json_t *o, const char *key, const char *dflt)
{
	const char *v = json_string_value(json_object_get(o, key));

	return v ? v : dflt;
}

/* In a subtree check over unlike subtrees, the class that fared worst. */
static void worst_subtrees(struct sbuf *b, const json_t *check)
{
	const json_t *cl = json_object_get(check, "subtrees"), *o, *w = NULL;
	size_t i;

	if (json_array_size(cl) < 2)
		return;
	json_array_foreach(cl, i, o)
		if (w == NULL || frac(o) < frac(w))
			w = o;
	sbuf_adds(b, "; worst: ");
	subtree_pods(b, w);
	sbuf_addf(b, " %s subtrees, %.1f%% of the %.0f Gb/s they send out",
		  str(check, "tier", ""), 100 * frac(w),
		  json_real_value(json_object_get(w, "offeredGbps")));
}

static void reason(struct sbuf *b, const json_t *checks, const json_t *worst,
		   uint64_t cut)
{
	if (cut > 0) {
		sbuf_addf(b, "partitioned: %llu server pair%s no path",
			  (unsigned long long)cut, cut > 1 ? "s have" : " has");
		if (worst == NULL)
			return;
		sbuf_adds(b, "; ");
	}
	if (json_array_size(checks) == 0) {
		sbuf_adds(b, "nothing can block: no permutation applies to "
			  "this fabric; see skipped");
	} else if (worst == NULL) {
		sbuf_addf(b, "spray carried 100%% of the offered load in all "
			  "%zu permutation checks", json_array_size(checks));
	} else {
		sbuf_addf(b, "spray carried only %.1f%% of the offered load on "
			  "%s (%s); most saturated links: %s", 100 * frac(worst),
			  str(worst, "pattern", ""), str(worst, "why", ""),
			  str(worst, "mostSaturated", "none"));
		worst_subtrees(b, worst);
	}
}

/* Not non-blocking when a check falls short or some servers cannot reach
 * each other at all (whether a check's traffic met them or not). */
static json_t *verdict(struct cap *c)
{
	const json_t *o, *worst = NULL;
	uint64_t cut = reach_unreachable_pairs(c->s->route);
	struct sbuf b;
	json_t *v;
	size_t i;

	json_array_foreach(c->checks, i, o)
		if (frac(o) < FULL && (worst == NULL || frac(o) < frac(worst)))
			worst = o;
	sbuf_init(&b);
	reason(&b, c->checks, worst, cut);
	v = json_pack("{s:b, s:s, s:I, s:O}", "nonBlocking",
		      worst == NULL && cut == 0, "reason", b.s,
		      "unreachablePairs", (json_int_t)cut, "checks", c->checks);
	sbuf_free(&b);
	return v;
}

static int verdict_json(struct cap *c, json_t *root, struct ck_err *err)
{
	const json_t *p;
	size_t i;

	if (check(c, "permutation", "a random permutation (derangement)",
		  err) < 0 ||
	    tier_checks(c, err) < 0 ||
	    bisection(c, root, err) < 0)
		return -1;
	json_array_foreach(json_object_get(root, "patterns"), i, p) {
		const char *spec = json_string_value(
			json_object_get(p, "pattern"));

		if (json_is_true(json_object_get(p, "permutation")) &&
		    check(c, spec, "a requested permutation", err) < 0)
			return -1;
	}
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

	json_object_set_new(root, "tiers", tiers_json(c->s->net));
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
	json_object_set(root, "skipped", c->skipped);
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

json_t *capacity_run(const struct topo *t, const struct capacity_opts *o,
		     struct ck_err *err)
{
	struct cap c = { t, o, sim_new(t), flows_new(), json_object(),
			 json_array(), json_array(), false };
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
	json_decref(c.spray_cache);
	json_decref(c.checks);
	json_decref(c.skipped);
	flows_free(c.f);
	sim_free(c.s);
	progress(&c, "done", 0, 0);
	if (rc < 0) {
		json_decref(root);
		return NULL;
	}
	return root;
}
