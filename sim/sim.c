#include "sim.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xalloc.h"

double sim_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

struct sim *sim_new(const struct topo *t)
{
	struct sim *s = xcalloc(1, sizeof(*s));

	s->net = net_new(t);
	s->route = route_new(s->net);
	s->mm = maxmin_new();
	s->load = xcalloc((size_t)s->net->nlinks + 1, sizeof(double));
	return s;
}

void sim_free(struct sim *s)
{
	if (s == NULL)
		return;
	maxmin_free(s->mm);
	route_free(s->route);
	net_free(s->net);
	free(s->load);
	free(s);
}

void sim_failures_changed(struct sim *s)
{
	route_reset(s->route);
}

static void solve(struct sim *s, struct flows *f)
{
	struct maxmin_problem p = { s->net->nlinks, s->net->cap, f->n,
				    f->demand, f->off, f->link, f->w };
	struct maxmin_dags g = { f->dag, f->ndag, f->doff, f->dlink, f->dw };

	if (f->shared)
		maxmin_solve_dags(s->mm, &p, &g, f->rate);
	else
		maxmin_solve(s->mm, &p, f->rate);
}

void sim_run(struct sim *s, const struct mode_ops *m, struct flows *f,
	     struct sim_result *res)
{
	double t0 = sim_now(), t1;
	uint32_t i;

	memset(res, 0, sizeof(*res));
	res->flows = f->n;
	res->unroutable = s->share && m->place_shared
				  ? m->place_shared(s->route, f)
				  : m->place(s->route, f);
	t1 = sim_now();
	solve(s, f);
	res->place_s = t1 - t0;
	res->solve_s = sim_now() - t1;
	for (i = 0; i < f->n; i++) {
		res->offered += f->demand[i];
		res->achieved += f->rate[i];
	}
}

/* Flow by flow in order, so that each link sums the same terms in the
 * same order whether the placement is shared or not. */
void sim_load(struct sim *s, const struct flows *f)
{
	struct flows_run run[2];
	uint32_t i, e, k, nr;

	memset(s->load, 0, (size_t)s->net->nlinks * sizeof(double));
	for (i = 0; i < f->n; i++) {
		nr = flows_runs(f, i, run);
		for (k = 0; k < nr; k++)
			for (e = 0; e < run[k].n; e++)
				s->load[run[k].link[e]] += f->rate[i] *
					(run[k].w ? run[k].w[e] : 1.0);
	}
}

double sim_fraction(const struct sim_result *res)
{
	return res->offered > 0 ? res->achieved / res->offered : 1.0;
}
