/* Planned against seen cabling (common/cabling.c), without lldpd: each
 * port's state, one line per cable whichever ends report it, and swaps;
 * and the agent's answer to GET /v1/cabling (fabricd/portcheck.c). */
#include <check.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cabling.h"
#include "portcheck.h"

#define END(n, p) { (n), (p) }
#define NONE { NULL, NULL }

static struct cabling_port port(const char *node, const char *p,
				const char *en, const char *ep,
				const char *sn, const char *sp)
{
	struct cabling_port x = { END(node, p), END(en, ep), END(sn, sp) };

	return x;
}

static int end_is(struct cabling_end e, const char *node, const char *p)
{
	if (!node)
		return e.node == NULL;
	return e.node && strcmp(e.node, node) == 0 && strcmp(e.port, p) == 0;
}

START_TEST(classify_each_state)
{
	struct cabling_port ok = port("t1", "swp1", "l1", "swp5", "l1", "swp5");
	struct cabling_port other_node = port("t1", "swp1", "l1", "swp5",
					      "l2", "swp5");
	struct cabling_port other_port = port("t1", "swp1", "l1", "swp5",
					      "l1", "swp6");
	struct cabling_port missing = port("t1", "swp1", "l1", "swp5",
					   NULL, NULL);
	struct cabling_port unexp = port("t1", "swp9", NULL, NULL, "l1",
					 "swp7");
	struct cabling_port unused = port("t1", "swp10", NULL, NULL, NULL,
					  NULL);

	ck_assert_int_eq(cabling_classify(&ok), CABLING_OK);
	ck_assert_int_eq(cabling_classify(&other_node), CABLING_MISWIRED);
	ck_assert_int_eq(cabling_classify(&other_port), CABLING_MISWIRED);
	ck_assert_int_eq(cabling_classify(&missing), CABLING_MISSING);
	ck_assert_int_eq(cabling_classify(&unexp), CABLING_UNEXPECTED);
	ck_assert_int_eq(cabling_classify(&unused), CABLING_UNUSED);
	ck_assert_str_eq(cabling_state_name(CABLING_MISWIRED), "miswired");
	ck_assert_str_eq(cabling_state_name(CABLING_UNEXPECTED),
			 "unexpected");
}
END_TEST

START_TEST(fold_all_ok_is_empty)
{
	struct cabling_port p[] = {
		port("t1", "swp1", "l1", "swp5", "l1", "swp5"),
		port("l1", "swp5", "t1", "swp1", "t1", "swp1"),
		port("t1", "swp2", NULL, NULL, NULL, NULL),
	};
	struct cabling_cable *c = (void *)1;

	ck_assert_uint_eq(cabling_fold(p, 3, &c), 0);
	ck_assert_ptr_null(c);
	ck_assert_uint_eq(cabling_fold(NULL, 0, &c), 0);
}
END_TEST

/* The swap of the issue: t1's two uplinks have their far ends exchanged,
 * and all four ends report. Two cables, each the other's swap. */
START_TEST(fold_swap_both_ends)
{
	struct cabling_port p[] = {
		port("t1", "swp1", "l1", "swp5", "l2", "swp5"),
		port("t1", "swp2", "l2", "swp5", "l1", "swp5"),
		port("l1", "swp5", "t1", "swp1", "t1", "swp2"),
		port("l2", "swp5", "t1", "swp2", "t1", "swp1"),
		port("t1", "swp3", "l3", "swp5", "l3", "swp5"),
	};
	struct cabling_cable *c;
	size_t n = cabling_fold(p, 5, &c);

	ck_assert_uint_eq(n, 2);
	/* sorted: {l1.swp5, t1.swp2} before {l2.swp5, t1.swp1} */
	ck_assert(end_is(c[0].a, "l1", "swp5") && end_is(c[0].b, "t1", "swp2"));
	ck_assert(end_is(c[1].a, "l2", "swp5") && end_is(c[1].b, "t1", "swp1"));
	ck_assert_int_eq(c[0].state, CABLING_MISWIRED);
	ck_assert_int_eq(c[1].state, CABLING_MISWIRED);
	ck_assert(end_is(c[0].a_plan, "t1", "swp1"));
	ck_assert(end_is(c[0].b_plan, "l2", "swp5"));
	ck_assert_int_eq(c[0].swap, 1);
	ck_assert_int_eq(c[1].swap, 0);
	{	/* the fix is told at the ToR: exchange its swp2 and swp1 */
		struct cabling_end x, y;

		ck_assert_int_eq(cabling_swap_ends(&c[0], &c[1], &x, &y), 0);
		ck_assert(end_is(x, "t1", "swp2") && end_is(y, "t1", "swp1"));
	}
	free(c);
}
END_TEST

/* Only the ToR is asked (fabricctl cabling t1): the swap is still seen. */
START_TEST(fold_swap_one_end)
{
	struct cabling_port p[] = {
		port("t1", "swp1", "l1", "swp5", "l2", "swp5"),
		port("t1", "swp2", "l2", "swp5", "l1", "swp5"),
	};
	struct cabling_cable *c;

	ck_assert_uint_eq(cabling_fold(p, 2, &c), 2);
	ck_assert_int_eq(c[0].swap, 1);
	ck_assert_int_eq(c[1].swap, 0);
	ck_assert_ptr_null(c[0].a_plan.node);	/* l1 did not report */
	ck_assert(end_is(c[0].b_plan, "l2", "swp5"));
	free(c);
}
END_TEST

/* Three cables rotated: every one miswired, no two of them a swap. */
START_TEST(fold_rotation_is_no_swap)
{
	struct cabling_port p[] = {
		port("t1", "swp1", "l1", "swp5", "l2", "swp5"),
		port("t1", "swp2", "l2", "swp5", "l3", "swp5"),
		port("t1", "swp3", "l3", "swp5", "l1", "swp5"),
	};
	struct cabling_cable *c;
	size_t i, n = cabling_fold(p, 3, &c);

	ck_assert_uint_eq(n, 3);
	for (i = 0; i < n; i++) {
		struct cabling_end x, y;

		ck_assert_int_eq(c[i].state, CABLING_MISWIRED);
		ck_assert_int_eq(c[i].swap, -1);
		ck_assert_int_eq(cabling_swap_ends(&c[i], &c[(i + 1) % n],
						   &x, &y), -1);
	}
	free(c);
}
END_TEST

/* A cable that is gone shows from both ends: once, as planned. */
START_TEST(fold_missing_once)
{
	struct cabling_port p[] = {
		port("t1", "swp1", "l1", "swp5", NULL, NULL),
		port("l1", "swp5", "t1", "swp1", NULL, NULL),
	};
	struct cabling_cable *c;

	ck_assert_uint_eq(cabling_fold(p, 2, &c), 1);
	ck_assert_int_eq(c[0].state, CABLING_MISSING);
	ck_assert(end_is(c[0].a, "l1", "swp5") && end_is(c[0].b, "t1", "swp1"));
	ck_assert(end_is(c[0].a_plan, "t1", "swp1"));
	ck_assert(end_is(c[0].b_plan, "l1", "swp5"));
	ck_assert_int_eq(c[0].swap, -1);
	free(c);
}
END_TEST

/* A cable between two ports the plan leaves empty is unexpected, once;
 * if either end was planned elsewhere the cable is miswired. */
START_TEST(fold_unexpected_and_mixed)
{
	struct cabling_port p[] = {
		port("t1", "swp9", NULL, NULL, "t2", "swp9"),
		port("t2", "swp9", NULL, NULL, "t1", "swp9"),
		port("t1", "swp4", NULL, NULL, "l4", "swp5"),
		port("l4", "swp5", "t3", "swp4", "t1", "swp4"),
	};
	struct cabling_cable *c;

	ck_assert_uint_eq(cabling_fold(p, 4, &c), 2);
	ck_assert(end_is(c[0].a, "l4", "swp5") && end_is(c[0].b, "t1", "swp4"));
	ck_assert_int_eq(c[0].state, CABLING_MISWIRED);
	ck_assert(end_is(c[0].a_plan, "t3", "swp4"));
	ck_assert_ptr_null(c[0].b_plan.node);
	ck_assert(end_is(c[1].a, "t1", "swp9") && end_is(c[1].b, "t2", "swp9"));
	ck_assert_int_eq(c[1].state, CABLING_UNEXPECTED);
	free(c);
}
END_TEST

/* One end missing its peer while the peer sees a third port: a missing
 * cable and a miswired one, both kept (different things). */
START_TEST(fold_missing_and_found_apart)
{
	struct cabling_port p[] = {
		port("t1", "swp1", "l1", "swp5", NULL, NULL),
		port("l1", "swp5", "t1", "swp1", "t1", "swp7"),
	};
	struct cabling_cable *c;

	ck_assert_uint_eq(cabling_fold(p, 2, &c), 2);
	ck_assert_int_eq(c[0].state, CABLING_MISSING);
	ck_assert(end_is(c[0].b, "t1", "swp1"));
	ck_assert_int_eq(c[1].state, CABLING_MISWIRED);
	ck_assert(end_is(c[1].b, "t1", "swp7"));
	free(c);
}
END_TEST

static const char *port_state(json_t *j, size_t i, const char **seen)
{
	json_t *p = json_array_get(json_object_get(j, "ports"), i);

	*seen = json_string_value(json_object_get(json_object_get(p, "seen"),
						  "node"));
	return json_string_value(json_object_get(p, "state"));
}

/* The agent: its planned ports in order with what LLDP sees, then a
 * neighbour on a front-panel port the plan leaves empty; a neighbour on
 * the management port is left out. */
START_TEST(agent_ports)
{
	struct cabling_port plan[] = {
		port("t1", "swp1", "s1", "eth0", NULL, NULL),
		port("t1", "swp5", "l1", "swp5", NULL, NULL),
		port("t1", "swp6", "l2", "swp5", NULL, NULL),
	};
	struct lldp_neighbor nb[] = {
		{ "swp6", "l1", "swp5" }, { "swp5", "l1", "swp5" },
		{ "swp9", "x9", "swp1" }, { "eth0", "mgmt-sw", "ge-0/0/7" },
	};
	unsigned long k[CABLING__COUNT];
	const char *seen;
	json_t *j = portcheck_json("t1", plan, 3, nb, 4, k);

	ck_assert_str_eq(json_string_value(json_object_get(j, "node")), "t1");
	ck_assert_uint_eq(json_array_size(json_object_get(j, "ports")), 4);
	ck_assert_str_eq(port_state(j, 0, &seen), "missing");
	ck_assert_ptr_null(seen);
	ck_assert_str_eq(port_state(j, 1, &seen), "ok");
	ck_assert_str_eq(port_state(j, 2, &seen), "miswired");
	ck_assert_str_eq(seen, "l1");
	ck_assert_str_eq(port_state(j, 3, &seen), "unexpected");
	ck_assert_str_eq(seen, "x9");
	ck_assert_uint_eq(k[CABLING_OK], 1);
	ck_assert_uint_eq(k[CABLING_MISWIRED], 1);
	ck_assert_uint_eq(k[CABLING_MISSING], 1);
	ck_assert_uint_eq(k[CABLING_UNEXPECTED], 1);
	ck_assert_int_eq(json_integer_value(json_object_get(
		json_object_get(j, "counts"), "miswired")), 1);
	json_decref(j);
}
END_TEST

static Suite *cabling_suite(void)
{
	Suite *s = suite_create("cabling");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, classify_each_state);
	tcase_add_test(tc, fold_all_ok_is_empty);
	tcase_add_test(tc, fold_swap_both_ends);
	tcase_add_test(tc, fold_swap_one_end);
	tcase_add_test(tc, fold_rotation_is_no_swap);
	tcase_add_test(tc, fold_missing_once);
	tcase_add_test(tc, fold_unexpected_and_mixed);
	tcase_add_test(tc, fold_missing_and_found_apart);
	tcase_add_test(tc, agent_ports);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(cabling_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
