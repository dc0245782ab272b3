/* libsim building blocks: the max-min solver (hand-computed cases and the
 * two properties that define max-min fairness on random problems), the
 * heap, traffic patterns, size CDFs. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cdf.h"
#include "heap.h"
#include "maxmin.h"
#include "net.h"
#include "rng.h"
#include "simtest.h"
#include "topo.h"
#include "traffic.h"
#include "xalloc.h"

#define EPS 1e-9

static void solve(uint32_t nl, const double *cap, uint32_t nf,
		  const double *demand, const uint32_t *off,
		  const uint32_t *link, const double *w, double *rate)
{
	struct maxmin *m = maxmin_new();
	struct maxmin_problem p = { nl, cap, nf, demand, off, link, w };

	maxmin_solve(m, &p, rate);
	maxmin_free(m);
}

/* Two flows share link 0 (10); the second also crosses link 1 (3). */
START_TEST(maxmin_two_links)
{
	double cap[] = { 10, 3 }, dem[] = { INFINITY, INFINITY }, r[2];
	uint32_t off[] = { 0, 1, 3 }, link[] = { 0, 0, 1 };

	solve(2, cap, 2, dem, off, link, NULL, r);
	ck_assert_double_eq_tol(r[0], 7, EPS);
	ck_assert_double_eq_tol(r[1], 3, EPS);
}
END_TEST

/* The textbook line: one long flow over three unit links, one short flow
 * on each: everybody gets 1/2. */
START_TEST(maxmin_line)
{
	double cap[] = { 1, 1, 1 }, dem[4], r[4];
	uint32_t off[] = { 0, 3, 4, 5, 6 }, link[] = { 0, 1, 2, 0, 1, 2 };
	int i;

	for (i = 0; i < 4; i++)
		dem[i] = INFINITY;
	solve(3, cap, 4, dem, off, link, NULL, r);
	for (i = 0; i < 4; i++)
		ck_assert_double_eq_tol(r[i], 0.5, EPS);
}
END_TEST

/* Demands are caps: 1 and 2 are met, the third takes what is left. */
START_TEST(maxmin_demands)
{
	double cap[] = { 10 }, dem[] = { 1, 100, 2 }, r[3];
	uint32_t off[] = { 0, 1, 2, 3 }, link[] = { 0, 0, 0 };

	solve(1, cap, 3, dem, off, link, NULL, r);
	ck_assert_double_eq_tol(r[0], 1, EPS);
	ck_assert_double_eq_tol(r[1], 7, EPS);
	ck_assert_double_eq_tol(r[2], 2, EPS);
}
END_TEST

/* Flow 0 splits half/half over links 0 and 1, flow 1 uses link 0 whole:
 * link 0 carries 0.5 r + r = 1, so both get 2/3 and link 1 has spare. */
START_TEST(maxmin_weighted)
{
	double cap[] = { 1, 1 }, dem[] = { INFINITY, INFINITY }, r[2];
	double w[] = { 0.5, 0.5, 1 };
	uint32_t off[] = { 0, 2, 3 }, link[] = { 0, 1, 0 };

	solve(2, cap, 2, dem, off, link, w, r);
	ck_assert_double_eq_tol(r[0], 2.0 / 3, EPS);
	ck_assert_double_eq_tol(r[1], 2.0 / 3, EPS);
}
END_TEST

/* A flow without links (unroutable) gets 0 and takes nothing. */
START_TEST(maxmin_unroutable)
{
	double cap[] = { 4 }, dem[] = { 10, 10 }, r[2];
	uint32_t off[] = { 0, 0, 1 }, link[] = { 0 };

	solve(1, cap, 2, dem, off, link, NULL, r);
	ck_assert_double_eq(r[0], 0);
	ck_assert_double_eq_tol(r[1], 4, EPS);
}
END_TEST

struct randprob {
	uint32_t nl, nf;
	double cap[32], dem[64], w[64 * 5], r[64];
	uint32_t off[65], link[64 * 5];
};

static void random_problem(struct randprob *p, struct rng *g, bool weighted)
{
	uint32_t f, k, e = 0;

	p->nl = 1 + rng_below(g, 30);
	p->nf = 1 + rng_below(g, 60);
	for (k = 0; k < p->nl; k++)
		p->cap[k] = 1 + 99 * rng_double(g);
	for (f = 0; f < p->nf; f++) {
		uint32_t h = 1 + rng_below(g, p->nl < 5 ? p->nl : 5);

		p->dem[f] = rng_below(g, 3) ? 1 + 50 * rng_double(g) : INFINITY;
		p->off[f] = e;
		while (e - p->off[f] < h) {	/* distinct links */
			uint32_t l = rng_below(g, p->nl), j;

			for (j = p->off[f]; j < e && p->link[j] != l; j++)
				;
			if (j < e)
				continue;
			p->link[e] = l;
			p->w[e++] = weighted ? 0.05 + 0.95 * rng_double(g) : 1;
		}
	}
	p->off[p->nf] = e;
}

/* Feasible (no link over capacity, no flow over demand), and every flow
 * is at its demand or has a bottleneck: a saturated link on its path
 * where no other flow gets more. */
static void check_maxmin(const struct randprob *p)
{
	double load[32] = { 0 };
	uint32_t f, g, e, e2;

	for (f = 0; f < p->nf; f++)
		for (e = p->off[f]; e < p->off[f + 1]; e++)
			load[p->link[e]] += p->w[e] * p->r[f];
	for (e = 0; e < p->nl; e++)
		ck_assert_double_le(load[e], p->cap[e] * (1 + 1e-9));
	for (f = 0; f < p->nf; f++) {
		bool bottleneck = p->r[f] >= p->dem[f] * (1 - 1e-9);

		ck_assert_double_le(p->r[f], p->dem[f] * (1 + 1e-9));
		for (e = p->off[f]; e < p->off[f + 1] && !bottleneck; e++) {
			uint32_t l = p->link[e];

			if (load[l] < p->cap[l] * (1 - 1e-9))
				continue;
			bottleneck = true;
			for (g = 0; g < p->nf; g++)
				for (e2 = p->off[g]; e2 < p->off[g + 1]; e2++)
					if (p->link[e2] == l &&
					    p->r[g] > p->r[f] * (1 + 1e-9))
						bottleneck = false;
		}
		ck_assert_msg(bottleneck, "flow %u (rate %g) has no bottleneck",
			      f, p->r[f]);
	}
}

START_TEST(maxmin_random_properties)
{
	struct randprob p;
	struct rng g;
	int i;

	rng_seed(&g, 42 + (uint64_t)_i);
	for (i = 0; i < 300; i++) {
		random_problem(&p, &g, _i == 1);
		solve(p.nl, p.cap, p.nf, p.dem, p.off, p.link, p.w, p.r);
		check_maxmin(&p);
	}
}
END_TEST

START_TEST(heap_matches_scan)
{
	struct heap h;
	double key[100];
	bool in[100] = { false };
	struct rng g;
	int i;

	heap_init(&h);
	heap_reset(&h, 100);
	rng_seed(&g, 7);
	for (i = 0; i < 20000; i++) {
		uint32_t id = rng_below(&g, 100), j, best = UINT32_MAX;

		if (rng_below(&g, 3) == 0) {
			heap_remove(&h, id);
			in[id] = false;
		} else {
			key[id] = rng_double(&g);
			heap_set(&h, id, key[id]);
			in[id] = true;
		}
		for (j = 0; j < 100; j++)
			if (in[j] && (best == UINT32_MAX || key[j] < key[best]))
				best = j;
		if (best == UINT32_MAX)
			ck_assert_uint_eq(h.len, 0);
		else
			ck_assert_double_eq(h.key[heap_top(&h)], key[best]);
	}
	heap_free(&h);
}
END_TEST

/* Generate a pattern on leaf-spine (384 servers in 16 racks of 24). */
static struct flows *gen(struct net **np, struct topo **tp, const char *spec,
			 uint64_t seed, uint32_t per_pair)
{
	struct traffic tr;
	struct ck_err err;
	struct flows *f = flows_new();

	*tp = simtest_load("examples/leaf-spine.yaml");
	*np = net_new(*tp);
	ck_assert_int_eq(traffic_parse(spec, &tr, &err), 0);
	if (traffic_gen(&tr, *np, seed, per_pair, f, &err) < 0)
		ck_abort_msg("%s: %s", spec, err.msg);
	return f;
}

static void done(struct net *n, struct topo *t, struct flows *f)
{
	flows_free(f);
	net_free(n);
	topo_free(t);
}

static uint32_t ord(const struct net *n, uint32_t node)
{
	uint32_t i;

	for (i = 0; i < n->nservers; i++)
		if (n->servers[i] == node)
			return i;
	ck_abort_msg("node %u is not a server", node);
	return 0;
}

START_TEST(traffic_permutation)
{
	struct net *n;
	struct topo *t;
	struct flows *f = gen(&n, &t, "permutation", 3, 1), *g;
	uint32_t *in = xcalloc(n->nnodes, 4), *out = xcalloc(n->nnodes, 4), i;
	int differ = 0;

	ck_assert_uint_eq(f->n, n->nservers);
	for (i = 0; i < f->n; i++) {
		ck_assert_uint_ne(f->src[i], f->dst[i]);
		in[f->dst[i]]++;
		out[f->src[i]]++;
		ck_assert_double_eq_tol(f->demand[i], 25e9, 1);
	}
	for (i = 0; i < n->nservers; i++) {
		ck_assert_uint_eq(in[n->servers[i]], 1);
		ck_assert_uint_eq(out[n->servers[i]], 1);
	}
	g = flows_new();	/* another seed, another permutation */
	{
		struct traffic tr;
		struct ck_err err;

		traffic_parse("permutation", &tr, &err);
		traffic_gen(&tr, n, 4, 1, g, &err);
	}
	for (i = 0; i < f->n; i++)
		differ += f->dst[i] != g->dst[i];
	ck_assert_int_gt(differ, 0);
	flows_free(g);
	free(in);
	free(out);
	done(n, t, f);
}
END_TEST

START_TEST(traffic_stride_and_racks)
{
	struct net *n;
	struct topo *t;
	struct flows *f = gen(&n, &t, "stride:5", 1, 1);
	uint32_t i;

	for (i = 0; i < f->n; i++)
		ck_assert_uint_eq(ord(n, f->dst[i]),
				  (ord(n, f->src[i]) + 5) % n->nservers);
	done(n, t, f);
	f = gen(&n, &t, "rack-to-rack", 1, 1);
	ck_assert_uint_eq(f->n, 384);
	for (i = 0; i < f->n; i++) {
		const struct topo_node *a = &t->nodes[f->src[i]];
		const struct topo_node *b = &t->nodes[f->dst[i]];

		ck_assert_uint_eq(b->rack, (a->rack + 1) % t->nracks);
		ck_assert_uint_eq(b->index, a->index);
	}
	done(n, t, f);
}
END_TEST

/* Demands follow the hose model: no server sends or receives more than
 * its nominal rate, and every flow is held back by one of its ends, which
 * is full and gives no flow of its own more (max-min fair). */
static void assert_hose(const struct net *n, const struct flows *f)
{
	double *out = xcalloc(n->nnodes, sizeof(double));
	double *in = xcalloc(n->nnodes, sizeof(double));
	double *maxout = xcalloc(n->nnodes, sizeof(double));
	double *maxin = xcalloc(n->nnodes, sizeof(double));
	uint32_t i, a, b;

	for (i = 0; i < f->n; i++) {
		a = f->src[i], b = f->dst[i];
		out[a] += f->demand[i];
		in[b] += f->demand[i];
		maxout[a] = fmax(maxout[a], f->demand[i]);
		maxin[b] = fmax(maxin[b], f->demand[i]);
	}
	for (i = 0; i < n->nnodes; i++) {
		ck_assert_double_le(out[i], n->srv_bps[i] * (1 + EPS));
		ck_assert_double_le(in[i], n->srv_bps[i] * (1 + EPS));
	}
	for (i = 0; i < f->n; i++) {
		a = f->src[i], b = f->dst[i];
		ck_assert_msg((out[a] >= n->srv_bps[a] * (1 - EPS) &&
			       f->demand[i] >= maxout[a] * (1 - EPS)) ||
			      (in[b] >= n->srv_bps[b] * (1 - EPS) &&
			       f->demand[i] >= maxin[b] * (1 - EPS)),
			      "flow %u (%g bps) has no full end", i,
			      f->demand[i]);
	}
	free(out);
	free(in);
	free(maxout);
	free(maxin);
}

/* Every server sends to 7 others, 3 flows each: 21 flows sharing its
 * 25G; a server that 8 or more others pick receives more than 21 flows,
 * and its nominal rate caps them (the ideal is what both ends can take);
 * their senders' spare rate goes to their other flows (max-min). */
START_TEST(traffic_all_to_all_and_pairs)
{
	struct net *n;
	struct topo *t;
	struct flows *f = gen(&n, &t, "all-to-all:7", 9, 3);
	uint32_t i, j;

	ck_assert_uint_eq(f->n, 384 * 7 * 3);
	for (i = 0; i < f->n; i += 21) {
		for (j = i; j < i + 21; j++) {
			ck_assert_uint_eq(f->src[j], f->src[i]);
			ck_assert_uint_ne(f->dst[j], f->src[j]);
		}
		for (j = i; j + 3 < i + 21; j += 3)	/* 7 distinct */
			ck_assert_uint_ne(f->dst[j], f->dst[j + 3]);
	}
	assert_hose(n, f);
	for (i = 0, j = 0; i < f->n; i++)	/* some are receiver-bound */
		j += f->demand[i] < 25e9 / 21 * (1 - EPS);
	ck_assert_uint_gt(j, 0);
	done(n, t, f);
}
END_TEST

START_TEST(traffic_incast)
{
	struct net *n;
	struct topo *t;
	struct flows *f = gen(&n, &t, "incast:5", 2, 1);
	uint32_t *in = xcalloc(n->nnodes, 4), *out = xcalloc(n->nnodes, 4), i;
	uint32_t receivers = 0;

	ck_assert_uint_eq(f->n, 384 / 6 * 5);
	for (i = 0; i < f->n; i++) {
		in[f->dst[i]]++;
		out[f->src[i]]++;
	}
	for (i = 0; i < n->nnodes; i++) {
		ck_assert_uint_le(out[i], 1);
		ck_assert(in[i] == 0 || (in[i] == 5 && out[i] == 0));
		receivers += in[i] == 5;
	}
	ck_assert_uint_eq(receivers, 64);
	for (i = 0; i < f->n; i++)	/* 5 senders share a 25G receiver */
		ck_assert_double_eq_tol(f->demand[i], 5e9, 1e-3);
	assert_hose(n, f);
	free(in);
	free(out);
	done(n, t, f);
}
END_TEST

static int gen_file(const char *csv, struct flows *f, struct ck_err *err)
{
	char path[] = "/tmp/check_sim.XXXXXX";
	int fd = mkstemp(path), rc;
	struct topo *t = simtest_load("examples/lab-small.yaml");
	struct net *n = net_new(t);
	struct traffic tr;
	char *spec = xasprintf("file:%s", path);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, csv, strlen(csv)), (int)strlen(csv));
	close(fd);
	ck_assert_int_eq(traffic_parse(spec, &tr, err), 0);
	rc = traffic_gen(&tr, n, 1, 2, f, err);
	unlink(path);
	free(spec);
	net_free(n);
	topo_free(t);
	return rc;
}

START_TEST(traffic_file)
{
	struct flows *f = flows_new();
	struct ck_err err;

	ck_assert_int_eq(gen_file("src,dst,flows\n# comment\n"
				  "pod1-r001-s01,pod1-r002-s02,3\n"
				  "pod1-r002-s01, pod1-r001-s01\n", f, &err), 0);
	ck_assert_uint_eq(f->n, 8);	/* (3 + 1) x 2 flows per pair */
	ck_assert_double_eq_tol(f->demand[0], 10e9 / 6, 1e-3);
	ck_assert_int_eq(gen_file("pod1-r001-s01,nosuch\n", f, &err), -1);
	ck_assert_int_eq(err.line, 1);
	ck_assert_ptr_nonnull(strstr(err.msg, "'nosuch' is not a server"));
	ck_assert_int_eq(gen_file("\npod1-r001-s01,pod1-r001-s01\n", f, &err),
			 -1);
	ck_assert_int_eq(err.line, 2);
	ck_assert_int_eq(gen_file("pod1-r001-s01,pod1-r001-s02,x\n", f, &err),
			 -1);
	ck_assert_int_eq(gen_file("pod1-r001-s01\n", f, &err), -1);
	ck_assert_int_eq(gen_file("pod1-r001-s01,pod1-r001-tor1\n", f, &err),
			 -1);
	flows_free(f);
}
END_TEST

START_TEST(traffic_parse_errors)
{
	static const char *const bad[] = { "permutations", "stride", "stride:",
					   "stride:x", "stride:0", "permutation:3",
					   "file:", "all-to-all:-1", "" };
	struct traffic tr;
	struct ck_err err;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		err.msg[0] = '\0';
		ck_assert_msg(traffic_parse(bad[i], &tr, &err) == -1, "%s",
			      bad[i]);
		ck_assert_msg(err.msg[0] != '\0', "no message for '%s'", bad[i]);
	}
	ck_assert_int_eq(traffic_parse("incast:4", &tr, &err), 0);
	ck_assert_uint_eq(tr.k, 4);
}
END_TEST

START_TEST(cdf_builtin)
{
	static const char *const names[] = { "websearch", "datamining" };
	struct cdf c;
	struct rng g;
	struct ck_err err;
	double sum = 0, lo, hi;
	int i, n = 400000;

	ck_assert_int_eq(cdf_load(names[_i], &c, &err), 0);
	lo = c.size[0];
	hi = c.size[c.n - 1];
	rng_seed(&g, 5);
	for (i = 0; i < n; i++) {
		double s = cdf_sample(&c, &g);

		if (s < lo || s > hi)
			ck_abort_msg("sample %g outside [%g, %g]", s, lo, hi);
		sum += s;
	}
	/* the sample mean converges on the piecewise-linear mean; the
	 * data-mining tail (up to 1 GB) needs a wide margin */
	ck_assert_double_eq_tol(sum / n / cdf_mean(&c), 1, _i ? 0.15 : 0.02);
	cdf_free(&c);
	ck_assert_int_eq(cdf_load("/nonexistent/cdf", &c, &err), -1);
}
END_TEST

static Suite *sim_suite(void)
{
	Suite *s = suite_create("sim");
	TCase *mm = tcase_create("maxmin");
	TCase *tr = tcase_create("traffic");

	tcase_set_timeout(mm, 60);
	tcase_set_timeout(tr, 60);
	tcase_add_test(mm, maxmin_two_links);
	tcase_add_test(mm, maxmin_line);
	tcase_add_test(mm, maxmin_demands);
	tcase_add_test(mm, maxmin_weighted);
	tcase_add_test(mm, maxmin_unroutable);
	tcase_add_loop_test(mm, maxmin_random_properties, 0, 2);
	tcase_add_test(mm, heap_matches_scan);
	tcase_add_test(tr, traffic_permutation);
	tcase_add_test(tr, traffic_stride_and_racks);
	tcase_add_test(tr, traffic_all_to_all_and_pairs);
	tcase_add_test(tr, traffic_incast);
	tcase_add_test(tr, traffic_file);
	tcase_add_test(tr, traffic_parse_errors);
	tcase_add_loop_test(tr, cdf_builtin, 0, 2);
	suite_add_tcase(s, mm);
	suite_add_tcase(s, tr);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(sim_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
