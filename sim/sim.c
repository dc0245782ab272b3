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

void sim_run(struct sim *s, const struct mode_ops *m, struct flows *f,
	     struct sim_result *res)
{
	struct maxmin_problem p;
	double t0 = sim_now(), t1;
	uint32_t i;

	memset(res, 0, sizeof(*res));
	res->flows = f->n;
	res->unroutable = m->place(s->route, f);
	t1 = sim_now();
	p = (struct maxmin_problem){ s->net->nlinks, s->net->cap, f->n,
				     f->demand, f->off, f->link, f->w };
	maxmin_solve(s->mm, &p, f->rate);
	res->place_s = t1 - t0;
	res->solve_s = sim_now() - t1;
	for (i = 0; i < f->n; i++) {
		res->offered += f->demand[i];
		res->achieved += f->rate[i];
	}
}

void sim_load(struct sim *s, const struct flows *f)
{
	uint32_t i, e;

	memset(s->load, 0, (size_t)s->net->nlinks * sizeof(double));
	for (i = 0; i < f->n; i++)
		for (e = f->off[i]; e < f->off[i + 1]; e++)
			s->load[f->link[e]] +=
				f->rate[i] * (f->w ? f->w[e] : 1.0);
}

double sim_fraction(const struct sim_result *res)
{
	return res->offered > 0 ? res->achieved / res->offered : 1.0;
}
