#include "capacity.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dump.h"
#include "fail.h"
#include "nplus1.h"
#include "sim.h"
#include "stats.h"
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

/* Servers reachable going only down from u, on the intact model. */
static uint32_t below(const struct net *n, uint32_t u, uint32_t *stack,
		      uint8_t *seen)
{
	uint32_t sp = 0, cnt = 0, i;

	memset(seen, 0, n->nnodes);
	stack[sp++] = u;
	while (sp) {
		u = stack[--sp];
		cnt += n->lvl[u] == 0;
		for (i = n->off[u] + n->nup[u]; i < n->off[u + 1]; i++)
			if (!seen[n->to[n->adj[i]]]) {
				seen[n->to[n->adj[i]]] = 1;
				stack[sp++] = n->to[n->adj[i]];
			}
	}
	return cnt;
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
	uint32_t *stack = xmalloc(((size_t)n->nlinks + n->nnodes + 1) * 4);
	uint8_t *seen = xmalloc((size_t)n->nnodes + 1);
	json_t *a = json_array();
	uint32_t k;

	for (k = 0; k < n->t->ntiers; k++) {
		double down, up;
		uint32_t count, first, sb;
		json_t *o;

		tier_capacity(n, k, &down, &up, &count, &first);
		sb = first == TOPO_NONE ? 0 : below(n, first, stack, seen);
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
	free(stack);
	free(seen);
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

static json_t *mode_json(struct cap *c, const struct mode_ops *m,
			 const struct sim_result *r)
{
	json_t *o = json_pack("{s:s, s:f, s:f, s:f, s:I, s:f, s:f}", "mode",
			      m->name, "offeredGbps", r->offered / 1e9,
			      "achievedGbps", r->achieved / 1e9, "fraction",
			      sim_fraction(r), "unroutable",
			      (json_int_t)r->unroutable, "placeSeconds",
			      r->place_s, "solveSeconds", r->solve_s);
	char buf[128];
	const char *bn;

	sim_load(c->s, c->f);
	json_object_set_new(o, "links", stats_links(c->s->net, c->s->load));
	bn = stats_bottleneck(c->s->net, c->s->load, buf, sizeof(buf));
	json_object_set_new(o, "mostSaturated", bn ? json_string(bn)
						    : json_null());
	return o;
}

/* Remember a spray run for the verdict: fraction, volumes, bottleneck. */
static json_t *cache_spray(struct cap *c, const char *spec,
			   const struct sim_result *res)
{
	char buf[128];
	const char *bn;
	json_t *r;

	sim_load(c->s, c->f);
	bn = stats_bottleneck(c->s->net, c->s->load, buf, sizeof(buf));
	r = json_pack("{s:f, s:f, s:f}", "fraction", sim_fraction(res),
		      "offeredGbps", res->offered / 1e9, "achievedGbps",
		      res->achieved / 1e9);
	json_object_set_new(r, "mostSaturated",
			    bn ? json_string(bn) : json_null());
	json_object_set_new(c->spray_cache, spec, r);
	return r;
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
		json_t *p = pattern_json(c, c->o->patterns[i], err);

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

static int check(struct cap *c, const char *spec, const char *why,
		 struct ck_err *err)
{
	json_t *r = spray(c, spec, err), *o;
	size_t i;

	if (r == NULL)
		return -1;
	json_array_foreach(c->checks, i, o)
		if (strcmp(json_string_value(json_object_get(o, "pattern")),
			   spec) == 0)
			return 0;
	o = json_pack("{s:s, s:s, s:O, s:O}", "pattern", spec, "why", why,
		      "fraction", json_object_get(r, "fraction"),
		      "mostSaturated", json_object_get(r, "mostSaturated"));
	json_array_append_new(c->checks, o);
	return 0;
}

/* Stride patterns that empty every subtree of a tier at once: in a CLOS
 * under spray they load that tier's uplinks as hard as any permutation
 * can (every server's traffic leaves its subtree). */
static int tier_checks(struct cap *c, const json_t *tiers, struct ck_err *err)
{
	uint32_t s = c->s->net->nservers;
	const json_t *t;
	size_t i;

	json_array_foreach(tiers, i, t) {
		json_int_t sb = json_integer_value(
			json_object_get(t, "serversBelow"));
		char spec[64], why[256];

		if (sb <= 0 || (uint32_t)sb >= s)
			continue;
		snprintf(spec, sizeof(spec), "stride:%lld", (long long)sb);
		snprintf(why, sizeof(why), "every %s subtree (%lld servers) "
			 "sends all its traffic out of it",
			 json_string_value(json_object_get(t, "name")),
			 (long long)sb);
		if (check(c, spec, why, err) < 0)
			return -1;
	}
	return 0;
}

static json_t *bisection(struct cap *c, struct ck_err *err)
{
	char spec[64];
	json_t *r;

	snprintf(spec, sizeof(spec), "stride:%u", c->s->net->nservers / 2);
	if (check(c, spec, "half of the servers to the other half "
		  "(bisection)", err) < 0)
		return NULL;
	r = json_object_get(c->spray_cache, spec);
	return json_pack("{s:s, s:f, s:f, s:O}", "pattern", spec,
			 "offeredGbps", json_real_value(json_object_get(
				 r, "offeredGbps")) / 2,
			 "gbps", json_real_value(json_object_get(
				 r, "achievedGbps")) / 2,
			 "fraction", json_object_get(r, "fraction"));
}

static json_t *verdict(struct cap *c)
{
	const json_t *o, *worst = NULL;
	size_t i;
	char reason[1024];

	json_array_foreach(c->checks, i, o)
		if (json_real_value(json_object_get(o, "fraction")) < FULL &&
		    (worst == NULL ||
		     json_real_value(json_object_get(o, "fraction")) <
			     json_real_value(json_object_get(worst, "fraction"))))
			worst = o;
	if (worst == NULL)
		snprintf(reason, sizeof(reason), "spray carried 100%% of the "
			 "offered load in all %zu permutation checks",
			 json_array_size(c->checks));
	else
		snprintf(reason, sizeof(reason), "spray carried only %.1f%% "
			 "of the offered load on %s (%s); most saturated "
			 "links: %s",
			 100 * json_real_value(json_object_get(worst, "fraction")),
			 json_string_value(json_object_get(worst, "pattern")),
			 json_string_value(json_object_get(worst, "why")),
			 json_is_string(json_object_get(worst, "mostSaturated"))
			 ? json_string_value(json_object_get(worst,
							     "mostSaturated"))
			 : "none");
	return json_pack("{s:b, s:s, s:O}", "nonBlocking", worst == NULL,
			 "reason", reason, "checks", c->checks);
}

static int verdict_json(struct cap *c, json_t *root, struct ck_err *err)
{
	const json_t *p;
	json_t *b;
	size_t i;

	if (check(c, "permutation", "a random permutation (derangement)",
		  err) < 0 ||
	    tier_checks(c, json_object_get(root, "tiers"), err) < 0)
		return -1;
	b = bisection(c, err);
	if (b == NULL)
		return -1;
	json_object_set_new(root, "bisection", b);
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

static int extras(struct cap *c, json_t *root, struct ck_err *err)
{
	const struct capacity_opts *o = c->o;

	if (o->nplus1) {
		struct nplus1_opts no = { o->nplus1_modes, o->nplus1_nmodes,
					  o->shard, o->nshards, o->jobs,
					  nplus1_progress, c };

		if (gen(c, o->patterns[0], err) < 0)
			return -1;
		json_object_set_new(root, "nPlusOne", nplus1_run(c->s, c->f,
								 &no));
		json_object_set_new(json_object_get(root, "nPlusOne"),
				    "pattern", json_string(o->patterns[0]));
	}
	if (o->dynamic) {
		json_t *d = dyn_run(c->s, &o->dyn, o->seed, dyn_progress, c,
				    err);

		if (d == NULL)
			return -1;
		json_object_set_new(root, "dynamic", d);
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
	return extras(c, root, err);
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
			 json_array(), false };
	double t0 = sim_now();
	json_t *root = header(&c);
	struct fail fl;
	int rc;

	fail_init(&fl);
	rc = apply_failures(&c, &fl, root, err);
	if (rc == 0)
		rc = body(&c, root, err);
	fail_free(&fl);
	json_object_set_new(root, "seconds", json_real(sim_now() - t0));
	json_decref(c.spray_cache);
	json_decref(c.checks);
	flows_free(c.f);
	sim_free(c.s);
	progress(&c, "done", 0, 0);
	if (rc < 0) {
		json_decref(root);
		return NULL;
	}
	return root;
}
