#include "nplusk.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "combo.h"
#include "delta.h"
#include "fail.h"
#include "par.h"
#include "traffic.h"
#include "xalloc.h"

#define NPK_MODES 64	/* as CAPACITY_MAX_LIST */

struct sweep {
	const struct sim *base;
	const struct nplusk_opts *o;
	struct combo *c;
	uint64_t *sample;	/* NULL: every scenario */
	uint64_t npos;		/* positions in the sweep (all shards) */
	uint64_t nmine;		/* this shard's */
	struct delta_base **db;	/* by mode */
	double *ach;		/* nmine x nmodes */
	uint8_t *iso;		/* by position: isolates a server */
	atomic_uint_fast64_t done;
};

struct wstate {
	struct sweep *sw;
	struct sim *s;
	struct delta **d;	/* by mode */
};

static uint64_t scenario(const struct sweep *sw, uint64_t mine)
{
	uint64_t pos = sw->o->shard + mine * sw->o->nshards;

	return sw->sample ? sw->sample[pos] : pos;
}

static void *winit(void *arg)
{
	struct sweep *sw = arg;
	struct wstate *w = xcalloc(1, sizeof(*w));
	size_t m;

	w->sw = sw;
	w->s = sim_new(sw->base->net->t);
	net_copy_failures(w->s->net, sw->base->net);
	sim_failures_changed(w->s);
	route_save(w->s->route);
	w->d = xcalloc(sw->o->nmodes + 1, sizeof(*w->d));
	for (m = 0; m < sw->o->nmodes; m++)
		w->d[m] = delta_new(sw->db[m], w->s);
	return w;
}

static void wfini(void *state, void *arg)
{
	struct wstate *w = state;
	size_t m;

	(void)arg;
	for (m = 0; m < w->sw->o->nmodes; m++)
		delta_free(w->d[m]);
	free(w->d);
	sim_free(w->s);
	free(w);
}

/* A server all of whose uplinks lead to failed switches. */
static bool isolates(const struct net *n, const uint32_t *x, uint32_t k)
{
	uint32_t j, i, h;

	for (j = 0; j < k; j++)
		for (i = n->off[x[j]]; i < n->off[x[j] + 1]; i++) {
			uint32_t s = n->to[n->adj[i]];
			bool cut = n->lvl[s] == 0;

			for (h = n->off[s]; cut && h < n->off[s] + n->nup[s];
			     h++)
				cut = n->node_dead[n->to[n->adj[h]]] > 0;
			if (cut)
				return true;
		}
	return false;
}

static void witem(void *state, uint64_t mine, void *arg)
{
	struct wstate *w = state;
	struct sweep *sw = arg;
	uint32_t x[COMBO_MAX_K], j, k = sw->o->k;
	size_t m;

	combo_unrank(sw->c, scenario(sw, mine), x);
	for (j = 0; j < k; j++)
		net_fail_node(w->s->net, x[j], +1);
	for (j = 0; j < k; j++)
		route_switch_failed(w->s->route, x[j]);
	sw->iso[mine] = isolates(w->s->net, x, k);
	for (m = 0; m < sw->o->nmodes; m++)
		sw->ach[mine * sw->o->nmodes + m] = delta_eval(w->d[m], x, k);
	for (j = 0; j < k; j++)
		net_fail_node(w->s->net, x[j], -1);
	route_switch_restored(w->s->route);
	if (++sw->done % 256 == 0 && sw->o->progress)
		sw->o->progress(sw->o->arg, sw->done, sw->nmine);
}

/* A scenario's group: its tuple of tiers, as a number base ntiers. */
static uint32_t group_of(const struct topo *t, const uint32_t *x, uint32_t k)
{
	uint32_t g = 0, j;

	for (j = 0; j < k; j++)
		g = g * t->ntiers + t->nodes[x[j]].tier;
	return g;
}

static void group_tiers(const struct topo *t, uint32_t g, uint32_t k,
			uint32_t *tiers)
{
	uint32_t j;

	for (j = k; j-- > 0; g /= t->ntiers)
		tiers[j] = g % t->ntiers;
}

/* How many scenarios of the space fall in group g (0: not a sorted
 * tuple, or not in the scope). */
static uint64_t group_size(const struct topo *t, const struct nplusk_opts *o,
			   uint32_t g)
{
	uint32_t tiers[COMBO_MAX_K], j, i;
	uint64_t n = 1;

	group_tiers(t, g, o->k, tiers);
	for (j = 0; j < o->k; j = i) {
		if (j > 0 && tiers[j] < tiers[j - 1])
			return 0;
		if (!o->all_tiers && tiers[j] != tiers[0])
			return 0;
		for (i = j; i < o->k && tiers[i] == tiers[j]; i++)
			;
		n *= combo_count(topo_tier_size(t, tiers[j]), i - j);
	}
	return n;
}

static json_t *group_name(const struct topo *t, uint32_t g, uint32_t k)
{
	uint32_t tiers[COMBO_MAX_K], j;
	char buf[512] = "";

	group_tiers(t, g, k, tiers);
	for (j = 0; j < k; j++) {
		if (j > 0 && tiers[j] == tiers[0] && tiers[k - 1] == tiers[0])
			break;	/* within one tier: just its name */
		if (j > 0)
			strncat(buf, "+", sizeof(buf) - strlen(buf) - 1);
		strncat(buf, t->tiers[tiers[j]].name,
			sizeof(buf) - strlen(buf) - 1);
	}
	return json_string(buf);
}

struct group {
	uint64_t tried, isolating;
	uint64_t worst[NPK_MODES];	/* by mode: position in mine */
};

static json_t *worst_json(const struct sweep *sw, const struct group *g,
			  size_t m, double base, double offered)
{
	const struct topo *t = sw->base->net->t;
	uint32_t x[COMBO_MAX_K], j;
	uint64_t at = g->worst[m];
	double a;
	json_t *names, *o = json_pack("{s:s}", "mode", sw->o->modes[m]->name);

	if (g->tried == 0)
		return o;
	a = sw->ach[at * sw->o->nmodes + m];
	names = json_array();
	combo_unrank(sw->c, scenario(sw, at), x);
	for (j = 0; j < sw->o->k; j++)
		json_array_append_new(names, json_string(t->nodes[x[j]].name));
	json_object_set_new(o, "worst", names);
	json_object_set_new(o, "scenario", json_integer(
		(json_int_t)scenario(sw, at)));
	json_object_set_new(o, "fraction", json_real(a / offered));
	json_object_set_new(o, "lostGbps", json_real((base - a) / 1e9));
	json_object_set_new(o, "lostFraction", json_real((base - a) /
							   offered));
	return o;
}

/* Fold the shard's results into groups, in scenario order: the first
 * of equal fractions (the smaller index) stays the worst. */
static void fold(const struct sweep *sw, struct group *gs, uint32_t ng)
{
	const struct topo *t = sw->base->net->t;
	uint32_t x[COMBO_MAX_K];
	uint64_t i;
	size_t m, nm = sw->o->nmodes;

	memset(gs, 0, ng * sizeof(*gs));
	for (i = 0; i < sw->nmine; i++) {
		struct group *g;

		combo_unrank(sw->c, scenario(sw, i), x);
		g = &gs[group_of(t, x, sw->o->k)];
		for (m = 0; m < nm && g->tried; m++)
			if (sw->ach[i * nm + m] < sw->ach[g->worst[m] * nm + m])
				g->worst[m] = i;
		if (g->tried++ == 0)
			for (m = 0; m < nm; m++)
				g->worst[m] = i;
		g->isolating += sw->iso[i];
	}
}

static json_t *groups_json(const struct sweep *sw, const double *base,
			   double offered)
{
	const struct topo *t = sw->base->net->t;
	uint32_t ng = 1, g, j;
	struct group *gs;
	json_t *a = json_array();
	size_t m;

	for (j = 0; j < sw->o->k; j++)
		ng *= t->ntiers;
	gs = xcalloc(ng, sizeof(*gs));
	fold(sw, gs, ng);
	for (g = 0; g < ng; g++) {
		uint64_t size = group_size(t, sw->o, g);
		json_t *modes = json_array();

		if (size == 0) {
			json_decref(modes);
			continue;
		}
		for (m = 0; m < sw->o->nmodes; m++)
			json_array_append_new(modes, worst_json(sw, &gs[g], m,
				base[m], offered));
		json_array_append_new(a, json_pack("{s:o, s:I, s:I, s:I, s:o}",
			"tier", group_name(t, g, sw->o->k), "scenarios",
			(json_int_t)size, "tried", (json_int_t)gs[g].tried,
			"isolating", (json_int_t)gs[g].isolating, "modes",
			modes));
	}
	free(gs);
	return a;
}

uint64_t nplusk_count(const struct topo *t, const struct nplusk_opts *o)
{
	struct combo *c = combo_new(t, o->k, !o->all_tiers);
	uint64_t n = c->total;

	combo_free(c);
	return o->sample && o->sample < n ? o->sample : n;
}

static json_t *baseline(struct sweep *sw, struct sim *s, const struct flows *f,
			double *base, double *offered)
{
	json_t *bl = json_array();
	size_t m;

	sw->db = xcalloc(sw->o->nmodes + 1, sizeof(*sw->db));
	for (m = 0; m < sw->o->nmodes; m++) {
		sw->db[m] = delta_base_new(s, f, sw->o->modes[m]);
		base[m] = delta_base_achieved(sw->db[m]);
		*offered = delta_base_offered(sw->db[m]);
		json_array_append_new(bl, json_pack("{s:s, s:f, s:f}", "mode",
			sw->o->modes[m]->name, "achievedGbps", base[m] / 1e9,
			"fraction", *offered > 0 ? base[m] / *offered : 1.0));
	}
	return bl;
}

static void plan(struct sweep *sw)
{
	const struct nplusk_opts *o = sw->o;

	sw->c = combo_new(sw->base->net->t, o->k, !o->all_tiers);
	sw->npos = sw->c->total;
	if (o->sample && o->sample < sw->c->total) {
		sw->sample = combo_sample(sw->c, o->sample, o->seed);
		sw->npos = o->sample;
	}
	sw->nmine = sw->npos > o->shard ?
		(sw->npos - o->shard + o->nshards - 1) / o->nshards : 0;
	sw->ach = xcalloc(sw->nmine * o->nmodes + 1, sizeof(double));
	sw->iso = xcalloc(sw->nmine + 1, 1);
}

json_t *nplusk_run(struct sim *s, const struct flows *f,
		   const struct nplusk_opts *o)
{
	struct sweep sw = { .base = s, .o = o };
	double *base = xcalloc(o->nmodes + 1, sizeof(double)), offered = 0;
	struct par p = { winit, witem, wfini, &sw };
	json_t *bl, *r;
	size_t m;

	double t0 = sim_now(), t1;

	route_save(s->route);
	bl = baseline(&sw, s, f, base, &offered);
	plan(&sw);
	t1 = sim_now();
	par_run(&p, sw.nmine, o->jobs);
	r = json_pack("{s:I, s:s, s:o, s:I, s:o, s:o}", "k", (json_int_t)o->k,
		      "scope", o->all_tiers ? "all" : "tier", "sample",
		      o->sample ? json_integer((json_int_t)o->sample)
				: json_null(),
		      "scenarios", (json_int_t)sw.npos, "baseline", bl,
		      "tiers", groups_json(&sw, base, offered > 0 ? offered
							      : 1));
	json_object_set_new(r, "setupSeconds", json_real(t1 - t0));
	json_object_set_new(r, "sweepSeconds", json_real(sim_now() - t1));
	for (m = 0; m < o->nmodes; m++)
		delta_base_free(sw.db[m]);
	free(sw.db);
	free(sw.sample);
	free(sw.ach);
	free(sw.iso);
	combo_free(sw.c);
	free(base);
	return r;
}

json_t *nplusk_report(const struct topo *t, const struct capacity_opts *c,
		      const struct nplusk_opts *o, struct ck_err *err)
{
	struct sim *s = sim_new(t);
	struct flows *f = flows_new();
	struct traffic tr;
	struct fail fl;
	json_t *r = NULL;

	const char *spec = NULL;
	size_t i;

	fail_init(&fl);
	if (fail_add_all(&fl, s->net, c->fails, c->nfails, c->seed, err) < 0)
		goto out;
	/* the first pattern that runs on this fabric, as N+1 takes it */
	for (i = 0; i < c->npatterns && spec == NULL; i++) {
		if (traffic_parse(c->patterns[i], &tr, err) < 0)
			goto out;
		if (traffic_applies(&tr, s->net, NULL, 0))
			spec = c->patterns[i];
	}
	if (spec == NULL) {
		r = json_null();
		goto out;
	}
	if (traffic_gen(&tr, s->net, c->seed, c->per_pair, f, err) == 0) {
		sim_failures_changed(s);
		r = nplusk_run(s, f, o);
		json_object_set_new(r, "pattern", json_string(spec));
	}
out:
	fail_free(&fl);
	flows_free(f);
	sim_free(s);
	return r;
}
