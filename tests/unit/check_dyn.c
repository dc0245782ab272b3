/* The dynamic engine: the incremental max-min solver (dynmm) against a
 * full re-solve after every event, on random problems and on whole
 * fabrics under random workloads; the warm-up, the steady-state check,
 * --dyn-until and the per-flow output. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dyn.h"
#include "dynmm.h"
#include "rng.h"
#include "sim.h"
#include "simtest.h"
#include "topo.h"
#include "xalloc.h"

#define REL 1e-9

struct problem {
	struct dynmm_net n;
	double *cap, *demand, *w;
	uint32_t *off, *link;
};

/* A random problem: links of a few capacities; each flow crosses up to
 * five distinct links, sometimes with weights (spray-like), plus its
 * source's link, which caps it at its demand as a server would. */
static void random_problem(struct rng *g, struct problem *p)
{
	static const double caps[] = { 10, 25, 40, 100 };
	uint32_t nsrc = 1 + rng_below(g, 6), nl = nsrc + 2 + rng_below(g, 30);
	uint32_t nf = 1 + rng_below(g, 60), f, k = 0, i;
	int weighted = rng_below(g, 2);

	p->cap = xmalloc(nl * sizeof(double));
	for (i = 0; i < nl; i++)
		p->cap[i] = caps[rng_below(g, 4)];
	p->demand = xmalloc(nf * sizeof(double));
	p->off = xmalloc((nf + 1) * sizeof(uint32_t));
	p->link = xmalloc(nf * 6 * sizeof(uint32_t));
	p->w = weighted ? xmalloc(nf * 6 * sizeof(double)) : NULL;
	for (f = 0; f < nf; f++) {
		uint32_t src = rng_below(g, nsrc), h = rng_below(g, 6), j;

		p->off[f] = k;
		p->demand[f] = p->cap[src];
		for (j = 0; j < h; j++) {
			uint32_t l = nsrc + rng_below(g, nl - nsrc), m;

			for (m = p->off[f]; m < k && p->link[m] != l; m++)
				;
			if (m < k)
				continue;
			if (p->w)
				p->w[k] = 0.25 * (1 + rng_below(g, 4));
			p->link[k++] = l;
		}
		if (p->w)
			p->w[k] = 1;
		p->link[k++] = src;
	}
	p->off[nf] = k;
	p->n = (struct dynmm_net){ nl, p->cap, nf, p->demand, p->off,
				   p->link, p->w };
}

static void problem_free(struct problem *p)
{
	free(p->cap);
	free(p->demand);
	free(p->w);
	free(p->off);
	free(p->link);
}

/* Random arrivals and completions; after each, every active rate equals
 * the full re-solve's. */
START_TEST(incremental_equals_full_resolve)
{
	struct rng g;
	uint32_t k, worst = 0;

	rng_seed(&g, 4242 + (uint64_t)_i);
	for (k = 0; k < 300; k++) {
		struct problem p;
		struct dynmm *m;
		uint8_t *on;
		uint32_t ev;

		random_problem(&g, &p);
		m = dynmm_new(&p.n);
		on = xcalloc(p.n.nflows, 1);
		for (ev = 0; ev < 4 * p.n.nflows; ev++) {
			uint32_t f = rng_below(&g, p.n.nflows);

			if (on[f])
				dynmm_remove(m, f);
			else
				dynmm_add(m, f);
			on[f] ^= 1;
			if (dynmm_check(m, REL, &worst))
				ck_abort_msg("problem %u event %u: flow %u at "
					     "%.17g differs from the full "
					     "re-solve", k, ev, worst,
					     dynmm_rate(m, worst));
		}
		free(on);
		dynmm_free(m);
		problem_free(&p);
	}
}
END_TEST

/* Rates the incremental solver keeps are the max-min ones, not those of
 * a stale allocation: one link of 10 shared by three flows in turn. */
START_TEST(shares_follow_arrivals_and_completions)
{
	double cap[] = { 10, 100, 100, 100 }, dem[] = { 100, 100, 100 };
	uint32_t off[] = { 0, 2, 4, 6 }, link[] = { 0, 1, 0, 2, 0, 3 };
	struct dynmm_net n = { 4, cap, 3, dem, off, link, NULL };
	struct dynmm *m = dynmm_new(&n);
	uint32_t nch;

	dynmm_add(m, 0);
	ck_assert_double_eq_tol(dynmm_rate(m, 0), 10, REL);
	dynmm_add(m, 1);
	dynmm_add(m, 2);
	ck_assert_double_eq_tol(dynmm_rate(m, 0), 10.0 / 3, REL);
	ck_assert_double_eq_tol(dynmm_rate(m, 2), 10.0 / 3, REL);
	dynmm_remove(m, 1);
	ck_assert_double_eq_tol(dynmm_rate(m, 0), 5, REL);
	ck_assert_double_eq_tol(dynmm_rate(m, 1), 0, REL);
	dynmm_changed(m, &nch);
	ck_assert_uint_eq(nch, 2);
	dynmm_free(m);
}
END_TEST

static json_t *run(struct sim *s, struct dyn_opts *o, uint64_t seed)
{
	struct ck_err err;
	json_t *r = dyn_run(s, o, seed, NULL, NULL, &err);

	if (r == NULL)
		ck_abort_msg("dyn_run: %s", err.msg);
	return r;
}

static double num(const json_t *o, const char *key)
{
	return json_number_value(json_object_get(o, key));
}

static void same_cdf(const json_t *a, const json_t *b)
{
	const json_t *x = json_object_get(a, "cdf"), *y = json_object_get(b,
								       "cdf");
	size_t i;

	ck_assert_uint_eq(json_array_size(x), json_array_size(y));
	for (i = 0; i < json_array_size(x); i++) {
		double u = json_number_value(json_array_get(
			json_array_get(x, i), 0));
		double v = json_number_value(json_array_get(
			json_array_get(y, i), 0));

		ck_assert_msg(fabs(u - v) <= 1e-9 * fmax(u, v), "%g vs %g", u,
			      v);
	}
}

/* Whole fabrics, random workloads (seed, load, sizes, routing mode):
 * the incremental engine checked against a full re-solve at every
 * event, and its slowdowns equal to the full engine's. */
START_TEST(fabrics_match_full_engine)
{
	static const char *const topos[] = { "examples/lab-small.yaml",
					     "examples/leaf-spine.yaml",
					     "tests/sim/two-to-one.yaml",
					     "tests/sim/small-3tier.yaml" };
	static const char *const sizes[] = { "websearch", "datamining" };
	struct topo *t = simtest_load(topos[_i % 4]);
	struct sim *s = sim_new(t);
	struct rng g;
	int k;

	rng_seed(&g, 77 + (uint64_t)_i);
	for (k = 0; k < 4; k++) {
		struct dyn_opts o = {
			.load = 0.1 + 0.9 * rng_double(&g),
			.sizes = sizes[rng_below(&g, 2)],
			.nflows = 200 + rng_below(&g, 400),
			.mode = mode_all[rng_below(&g, 3)],
			.warmup = 0.1, .check = true,
		};
		json_t *inc = run(s, &o, (uint64_t)k), *full;

		o.full = true;
		o.check = false;
		full = run(s, &o, (uint64_t)k);
		ck_assert_ptr_nonnull(json_object_get(inc, "checkMismatches"));
		ck_assert_double_eq(num(inc, "checkMismatches"), 0);
		ck_assert_double_eq(num(inc, "events"), num(full, "events"));
		same_cdf(inc, full);
		json_decref(inc);
		json_decref(full);
	}
	sim_free(s);
	topo_free(t);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("dyn");
	TCase *mm = tcase_create("incremental"), *fab = tcase_create("fabric");
	SRunner *sr;
	int failed;

	tcase_set_timeout(mm, 120);
	tcase_set_timeout(fab, 120);
	tcase_add_loop_test(mm, incremental_equals_full_resolve, 0, 4);
	tcase_add_test(mm, shares_follow_arrivals_and_completions);
	tcase_add_loop_test(fab, fabrics_match_full_engine, 0, 4);
	suite_add_tcase(s, mm);
	suite_add_tcase(s, fab);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
