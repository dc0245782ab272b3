/* Check suite for the sweeps (issue 2.4): the N+k shortcut (delta.h)
 * against re-placing and re-solving everything, the scenario order and
 * sampling (combo.h), shards from the scheduler's variables (shard.h). */
#include "config.h"

#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "combo.h"
#include "delta.h"
#include "fail.h"
#include "shard.h"
#include "simtest.h"
#include "sim.h"
#include "xalloc.h"

/* From scratch: fail, route anew, place and solve every flow. */
static double scratch(struct sim *s, const struct mode_ops *m,
		      const struct flows *f, const uint32_t *x, uint32_t k)
{
	struct flows *g = flows_new();
	struct sim_result r;
	uint32_t j;

	flows_copy(g, f);
	for (j = 0; j < k; j++)
		net_fail_node(s->net, x[j], +1);
	sim_failures_changed(s);
	sim_run(s, m, g, &r);
	for (j = 0; j < k; j++)
		net_fail_node(s->net, x[j], -1);
	sim_failures_changed(s);
	flows_free(g);
	return r.achieved;
}

struct fab {
	const char *file, *pattern, *fail;
	bool all_tiers;
};

static const struct fab fabrics[] = {
	{ "examples/leaf-spine.yaml", "permutation", NULL, false },
	{ "tests/sim/small-3tier.yaml", "all-to-all:3", NULL, true },
	{ "tests/sim/two-to-one.yaml", "rack-to-rack", NULL, true },
	{ "tests/sim/small-3tier.yaml", "permutation", "random:leaf:1", false },
};

static void compare(const struct fab *fb, const struct mode_ops *m)
{
	struct topo *t = simtest_load(fb->file);
	struct sim *s = sim_new(t), *ref = sim_new(t), *w = sim_new(t);
	struct flows *f = flows_new();
	struct combo *c = combo_new(t, 2, !fb->all_tiers);
	struct fail fl, fr;
	struct delta_base *b;
	struct delta *d;
	struct ck_err err;
	const char *specs[1] = { fb->fail };
	uint32_t x[2];
	uint64_t i;

	fail_init(&fl);
	fail_init(&fr);
	ck_assert_int_eq(fail_add_all(&fl, s->net, specs, fb->fail ? 1 : 0,
				      1, &err), 0);
	ck_assert_int_eq(fail_add_all(&fr, ref->net, specs, fb->fail ? 1 : 0,
				      1, &err), 0);
	sim_failures_changed(s);
	sim_failures_changed(ref);
	simtest_gen(s, f, fb->pattern, 3, 2);
	route_save(s->route);
	b = delta_base_new(s, f, m);
	net_copy_failures(w->net, s->net);
	sim_failures_changed(w);
	route_save(w->route);
	d = delta_new(b, w);
	ck_assert_double_eq_tol(delta_base_achieved(b),
				scratch(ref, m, f, NULL, 0),
				1e-9 * delta_base_offered(b));
	ck_assert_uint_gt(c->total, 10);
	for (i = 0; i < c->total; i++) {
		double want, got;

		combo_unrank(c, i, x);
		want = scratch(ref, m, f, x, 2);
		net_fail_node(w->net, x[0], +1);
		net_fail_node(w->net, x[1], +1);
		route_switch_failed(w->route, x[0]);
		route_switch_failed(w->route, x[1]);
		got = delta_eval(d, x, 2);
		net_fail_node(w->net, x[0], -1);
		net_fail_node(w->net, x[1], -1);
		route_switch_restored(w->route);
		if (fabs(got - want) > 1e-9 * delta_base_offered(b))
			ck_abort_msg("%s %s: failing %s and %s: %.6f Gb/s, "
				     "from scratch %.6f", fb->file, m->name,
				     t->nodes[x[0]].name, t->nodes[x[1]].name,
				     got / 1e9, want / 1e9);
	}
	delta_free(d);
	delta_base_free(b);
	combo_free(c);
	fail_free(&fl);
	fail_free(&fr);
	flows_free(f);
	sim_free(w);
	sim_free(ref);
	sim_free(s);
	topo_free(t);
}

START_TEST(delta_equals_scratch_ecmp)
{
	compare(&fabrics[_i], &mode_ecmp);
}
END_TEST

START_TEST(delta_equals_scratch_spray)
{
	compare(&fabrics[_i], &mode_spray);
}
END_TEST

/* Every index unranks to a distinct sorted subset, in lexicographic
 * order within each segment, segments in tier order. */
START_TEST(combo_order)
{
	struct topo *t = simtest_load("tests/sim/small-3tier.yaml");
	struct combo *c = combo_new(t, 3, true);
	uint32_t prev[3] = { 0, 0, 0 }, x[3];
	uint64_t i, per = 0;
	uint32_t s;

	for (s = 0; s < c->nseg; s++)
		per += combo_count(c->nmem[s], 3);
	ck_assert_uint_eq(per, c->total);
	for (i = 0; i < c->total; i++) {
		combo_unrank(c, i, x);
		ck_assert_uint_lt(x[0], x[1]);
		ck_assert_uint_lt(x[1], x[2]);
		ck_assert_uint_eq(t->nodes[x[0]].tier, t->nodes[x[2]].tier);
		if (i > 0 && t->nodes[x[0]].tier == t->nodes[prev[0]].tier)
			ck_assert(memcmp(prev, x, sizeof(x)) < 0 &&
				  (x[0] > prev[0] || x[1] > prev[1] ||
				   x[2] > prev[2]));
		memcpy(prev, x, sizeof(x));
	}
	ck_assert_uint_eq(combo_count(948, 2), 448878);
	ck_assert_uint_eq(combo_count(5, 6), 0);
	combo_free(c);
	topo_free(t);
}
END_TEST

START_TEST(combo_sample_distinct)
{
	struct topo *t = simtest_load("examples/leaf-spine.yaml");
	struct combo *c = combo_new(t, 2, false);
	uint64_t *a = combo_sample(c, 100, 7), *b = combo_sample(c, 100, 7);
	uint64_t *o = combo_sample(c, 100, 8), i;

	ck_assert_mem_eq(a, b, 100 * sizeof(uint64_t));
	ck_assert(memcmp(a, o, 100 * sizeof(uint64_t)) != 0);
	for (i = 1; i < 100; i++)
		ck_assert_uint_lt(a[i - 1], a[i]);
	ck_assert_uint_lt(a[99], c->total);
	free(a);
	free(b);
	free(o);
	combo_free(c);
	topo_free(t);
}
END_TEST

static const char *const *env_table;

static const char *fake_env(const char *name)
{
	size_t i;

	for (i = 0; env_table[i]; i += 2)
		if (strcmp(env_table[i], name) == 0)
			return env_table[i + 1];
	return NULL;
}

static int shard_with(const char *const *table, uint32_t shards,
		      uint32_t *i, uint32_t *n, struct ck_err *err)
{
	env_table = table;
	return shard_auto(fake_env, shards, i, n, err);
}

START_TEST(shard_from_scheduler)
{
	static const char *const arr[] = { "SLURM_ARRAY_TASK_ID", "3",
		"SLURM_ARRAY_TASK_MIN", "1", "SLURM_ARRAY_TASK_MAX", "4", NULL };
	static const char *const step[] = { "SLURM_ARRAY_TASK_ID", "8",
		"SLURM_ARRAY_TASK_MIN", "0", "SLURM_ARRAY_TASK_MAX", "12",
		"SLURM_ARRAY_TASK_STEP", "4", NULL };
	static const char *const cnt[] = { "SLURM_ARRAY_TASK_ID", "0",
		"SLURM_ARRAY_TASK_MIN", "0", "SLURM_ARRAY_TASK_COUNT", "5",
		NULL };
	static const char *const k8s[] = { "JOB_COMPLETION_INDEX", "2", NULL };
	static const char *const none[] = { "HOME", "/root", NULL };
	static const char *const nobounds[] = { "SLURM_ARRAY_TASK_ID", "2",
		NULL };
	struct ck_err err;
	uint32_t i, n;

	ck_assert_int_eq(shard_with(arr, 0, &i, &n, &err), 0);
	ck_assert_uint_eq(i, 2);
	ck_assert_uint_eq(n, 4);
	ck_assert_int_eq(shard_with(step, 0, &i, &n, &err), 0);
	ck_assert_uint_eq(i, 2);
	ck_assert_uint_eq(n, 4);
	ck_assert_int_eq(shard_with(cnt, 0, &i, &n, &err), 0);
	ck_assert_uint_eq(i, 0);
	ck_assert_uint_eq(n, 5);
	ck_assert_int_eq(shard_with(k8s, 3, &i, &n, &err), 0);
	ck_assert_uint_eq(i, 2);
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(shard_with(k8s, 0, &i, &n, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "--shards N"));
	ck_assert_int_eq(shard_with(k8s, 2, &i, &n, &err), -1);
	ck_assert_int_eq(shard_with(nobounds, 0, &i, &n, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "SLURM_ARRAY_TASK_MIN"));
	ck_assert_int_eq(shard_with(none, 0, &i, &n, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "SLURM_ARRAY_TASK_ID"));
	ck_assert_ptr_nonnull(strstr(err.msg, "JOB_COMPLETION_INDEX"));
}
END_TEST

static Suite *sweep_suite(void)
{
	Suite *s = suite_create("sweep");
	TCase *d = tcase_create("delta"), *c = tcase_create("order");

	tcase_set_timeout(d, 300);
	tcase_add_loop_test(d, delta_equals_scratch_ecmp, 0,
			    sizeof(fabrics) / sizeof(fabrics[0]));
	tcase_add_loop_test(d, delta_equals_scratch_spray, 0,
			    sizeof(fabrics) / sizeof(fabrics[0]));
	tcase_add_test(c, combo_order);
	tcase_add_test(c, combo_sample_distinct);
	tcase_add_test(c, shard_from_scheduler);
	suite_add_tcase(s, d);
	suite_add_tcase(s, c);
	return s;
}

int main(void)
{
	return simtest_main(sweep_suite());
}
