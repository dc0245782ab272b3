#include "nplus1.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

#define MAX_JOBS 64

/* The sweep is embarrassingly parallel: each worker owns a whole sim (net
 * with the same failures, routing tables, solver) and a copy of the
 * flows, and takes every nworkers-th switch of the list. */
struct sweep {
	const struct sim *base;
	const struct flows *f;
	const struct nplus1_opts *o;
	const uint32_t *sw;	/* switches to try, this shard's */
	uint32_t nsw;
	double *ach;		/* nsw x nmodes achieved bps */
	atomic_uint_fast64_t done;
};

struct worker {
	struct sweep *sw;
	uint32_t id, n;
	pthread_t th;
};

static double achieved(struct sim *s, const struct mode_ops *m,
		       struct flows *f, double *offered)
{
	struct sim_result r;
	bool share = s->share;

	s->share = false;	/* as the workers' own sims: the same sums */
	sim_run(s, m, f, &r);
	s->share = share;
	if (offered)
		*offered = r.offered;
	return r.achieved;
}

static void *work(void *arg)
{
	struct worker *w = arg;
	struct sweep *sw = w->sw;
	struct sim *s = sim_new(sw->base->net->t);
	struct flows *f = flows_new();
	uint32_t j;
	size_t m;

	net_copy_failures(s->net, sw->base->net);
	sim_failures_changed(s);
	route_save(s->route);
	flows_copy(f, sw->f);
	for (j = w->id; j < sw->nsw; j += w->n) {
		net_fail_node(s->net, sw->sw[j], +1);
		route_switch_failed(s->route, sw->sw[j]);
		for (m = 0; m < sw->o->nmodes; m++)
			sw->ach[(size_t)j * sw->o->nmodes + m] =
				achieved(s, sw->o->modes[m], f, NULL);
		net_fail_node(s->net, sw->sw[j], -1);
		route_switch_restored(s->route);
		sw->done++;
		if (w->id == 0 && sw->o->progress)
			sw->o->progress(sw->o->arg, sw->done, sw->nsw);
	}
	flows_free(f);
	sim_free(s);
	return NULL;
}

static void run_workers(struct sweep *sw, uint32_t jobs)
{
	struct worker w[MAX_JOBS];
	uint32_t i, n = jobs < 1 ? 1 : jobs > MAX_JOBS ? MAX_JOBS : jobs;

	if (n > sw->nsw)
		n = sw->nsw ? sw->nsw : 1;
	for (i = 0; i < n; i++) {
		w[i] = (struct worker){ sw, i, n, 0 };
		if (i > 0 && pthread_create(&w[i].th, NULL, work, &w[i]) != 0)
			w[i].n = 0;	/* could not start: run it here */
	}
	work(&w[0]);
	for (i = 1; i < n; i++) {
		if (w[i].n)
			pthread_join(w[i].th, NULL);
		else
			work(&(struct worker){ sw, i, n, 0 });
	}
}

static json_t *mode_json(const struct sweep *sw, uint32_t lo, uint32_t hi,
			 size_t m, double base, double offered)
{
	const struct topo *t = sw->base->net->t;
	uint32_t j, worst = lo;
	json_t *x = json_pack("{s:s}", "mode", sw->o->modes[m]->name);
	size_t nm = sw->o->nmodes;

	if (lo == hi)
		return x;
	for (j = lo; j < hi; j++) {	/* ties: the smaller name, as merges do */
		double a = sw->ach[(size_t)j * nm + m];
		double b = sw->ach[(size_t)worst * nm + m];

		if (a < b || (a == b && strcmp(t->nodes[sw->sw[j]].name,
					       t->nodes[sw->sw[worst]].name) < 0))
			worst = j;
	}
	json_object_set_new(x, "worst", json_string(t->nodes[sw->sw[worst]].name));
	json_object_set_new(x, "fraction",
			    json_real(sw->ach[(size_t)worst * nm + m] / offered));
	json_object_set_new(x, "lostGbps", json_real(
		(base - sw->ach[(size_t)worst * nm + m]) / 1e9));
	json_object_set_new(x, "lostFraction", json_real(
		(base - sw->ach[(size_t)worst * nm + m]) / offered));
	return x;
}

/* The shard's switches in tier order; a switch's shard is its ordinal
 * over all switches (tier by tier) mod nshards. tier_at[k] is where tier
 * k's switches start in the list, count[k] how many the tier has. */
static uint32_t *switch_list(const struct topo *t, const struct nplus1_opts *o,
			     uint32_t *n, uint32_t *tier_at, uint32_t *count)
{
	uint32_t *sw = xmalloc(((size_t)t->nnodes + 1) * sizeof(uint32_t));
	uint32_t k, u, ord = 0;

	*n = 0;
	for (k = 0; k < t->ntiers; k++) {
		tier_at[k] = *n;
		count[k] = 0;
		for (u = 0; u < t->nnodes; u++) {
			if (t->nodes[u].tier != k)
				continue;
			count[k]++;
			if (ord++ % o->nshards == o->shard)
				sw[(*n)++] = u;
		}
	}
	tier_at[t->ntiers] = *n;
	return sw;
}

static json_t *tiers_json(const struct sweep *sw, const uint32_t *tier_at,
			  const uint32_t *count, const double *base,
			  double offered)
{
	const struct topo *t = sw->base->net->t;
	json_t *tiers = json_array();
	uint32_t k;
	size_t m;

	for (k = 0; k < t->ntiers; k++) {
		json_t *modes = json_array();

		for (m = 0; m < sw->o->nmodes; m++)
			json_array_append_new(modes, mode_json(sw, tier_at[k],
				tier_at[k + 1], m, base[m], offered));
		json_array_append_new(tiers, json_pack("{s:s, s:I, s:I, s:o}",
			"tier", t->tiers[k].name, "switches",
			(json_int_t)count[k], "tried",
			(json_int_t)(tier_at[k + 1] - tier_at[k]), "modes",
			modes));
	}
	return tiers;
}

json_t *nplus1_run(struct sim *s, struct flows *f,
		   const struct nplus1_opts *o)
{
	const struct topo *t = s->net->t;
	uint32_t *tier_at = xcalloc(t->ntiers + 1, sizeof(uint32_t));
	uint32_t *count = xcalloc(t->ntiers + 1, sizeof(uint32_t));
	double *base = xcalloc(o->nmodes + 1, sizeof(double)), offered = 0;
	struct sweep sw = { s, f, o, NULL, 0, NULL, 0 };
	json_t *bl = json_array(), *r;
	size_t m;

	for (m = 0; m < o->nmodes; m++) {
		base[m] = achieved(s, o->modes[m], f, &offered);
		json_array_append_new(bl, json_pack("{s:s, s:f, s:f}", "mode",
			o->modes[m]->name, "achievedGbps", base[m] / 1e9,
			"fraction", offered > 0 ? base[m] / offered : 1.0));
	}
	sw.sw = switch_list(t, o, &sw.nsw, tier_at, count);
	sw.ach = xcalloc((size_t)sw.nsw * o->nmodes + 1, sizeof(double));
	run_workers(&sw, o->jobs);
	r = json_pack("{s:I, s:I, s:o, s:o}", "shard", (json_int_t)o->shard + 1,
		      "shards", (json_int_t)o->nshards, "baseline", bl, "tiers",
		      tiers_json(&sw, tier_at, count, base,
				 offered > 0 ? offered : 1));
	free((void *)sw.sw);
	free(sw.ach);
	free(tier_at);
	free(count);
	free(base);
	return r;
}
