/* libsim on whole fabrics: valley-free routing and its ECMP sets, the
 * placement of ecmp and spray, failures, and the known results the issue
 * lists (non-blocking 1:1 fabrics, 50% on 2:1, ECMP collisions on an
 * n-spine leaf/spine, polarization without salt). */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capacity.h"
#include "fail.h"
#include "rng.h"
#include "reach.h"
#include "sim.h"
#include "simtest.h"
#include "subtree.h"
#include "traffic.h"
#include "xalloc.h"

static void gen(struct sim *s, struct flows *f, const char *spec,
		uint64_t seed)
{
	simtest_gen(s, f, spec, seed, 1);
}

static double run(struct sim *s, const struct mode_ops *m, struct flows *f)
{
	struct sim_result r;

	sim_run(s, m, f, &r);
	return sim_fraction(&r);
}

/* Lowest level at which a and b share a subtree: 1 same rack, 2 same
 * cluster (below one leaf), 3 beyond. */
static uint32_t meet_level(const struct topo *t, uint32_t a, uint32_t b)
{
	const struct topo_node *x = &t->nodes[a], *y = &t->nodes[b];

	if (x->rack == y->rack)
		return 1;
	return x->cluster == y->cluster && t->ntiers > 2 ? 2 : 3;
}

/* Every ecmp path on line-2pod is connected, starts and ends where the
 * flow does, climbs strictly then descends strictly, and turns at the
 * lowest level that holds both ends (shortest valley-free). */
START_TEST(ecmp_paths_valley_free)
{
	struct topo *t = simtest_load("examples/line-2pod.yaml");
	struct sim *s = sim_new(t);
	struct flows *f = flows_new();
	uint32_t i, e, turns[4] = { 0 };

	gen(s, f, "permutation", 11);
	ck_assert_uint_eq(mode_ecmp.place(s->route, f), 0);
	for (i = 0; i < f->n; i++) {
		uint32_t h = f->off[i + 1] - f->off[i], peak = 0, u = f->src[i];
		bool down = false;

		for (e = f->off[i]; e < f->off[i + 1]; e++) {
			uint32_t l = f->link[e], v = s->net->to[l];

			if (s->net->from[l] != u)
				ck_abort_msg("flow %u: path breaks at %u", i, e);
			if (s->net->lvl[v] > s->net->lvl[u]) {
				if (down)
					ck_abort_msg("flow %u climbs again", i);
				peak = s->net->lvl[v];
			} else {
				down = true;
			}
			u = v;
		}
		if (u != f->dst[i] || h != 2 * peak ||
		    peak != meet_level(t, f->src[i], f->dst[i]))
			ck_abort_msg("flow %u: ends at %u, %u hops, turns at "
				     "level %u", i, u, h, peak);
		turns[peak]++;
	}
	ck_assert(turns[1] > 0 || turns[2] > 0);	/* both kinds seen */
	ck_assert_uint_gt(turns[3], 0);
	flows_free(f);
	sim_free(s);
	topo_free(t);
}
END_TEST

/* A server's ECMP set holds both ToR uplinks; a ToR's its 4 leaves; a
 * leaf facing another cluster its 20 spines; a spine the one leaf of the
 * destination's cluster in its plane. */
START_TEST(ecmp_sets)
{
	struct topo *t = simtest_load("examples/line-2pod.yaml");
	struct sim *s = sim_new(t);
	uint32_t src = topo_find_node(t, "pod1-r001-s01");
	uint32_t dst = topo_find_node(t, "pod2-r180-s40");
	uint32_t c = route_class(s->route, dst), out[128], u = src;
	static const uint32_t fanout[] = { 2, 4, 20, 1, 2, 1 };
	size_t i;

	for (i = 0; i < sizeof(fanout) / sizeof(*fanout); i++) {
		ck_assert_uint_eq(route_next(s->route, c, u, dst, out),
				  fanout[i]);
		u = s->net->to[out[0]];
		if (i == 0)
			ck_assert_str_eq(t->nodes[s->net->to[out[1]]].name,
					 "pod1-r001-tor2");
		if (i == 3)	/* the leaf of the destination's cluster */
			ck_assert_uint_eq(t->nodes[u].cluster,
					  t->nodes[dst].cluster);
	}
	ck_assert_uint_eq(u, dst);
	ck_assert_uint_eq(route_dist(s->route, c, src), 6);
	sim_free(s);
	topo_free(t);
}
END_TEST

/* Spray weights form one unit of flow from source to destination, and on
 * line-2pod across pods the 320 paths (2 ToRs x 4 leaves x 20 spines x 1
 * leaf x 2 ToRs) give each server uplink 1/2, each ToR uplink 1/8 and
 * each leaf uplink 1/80 (a leaf is reached from both ToRs, and each of
 * its spines leads to both destination ToRs: 4 of the 320). */
START_TEST(spray_unit_flow)
{
	struct topo *t = simtest_load("examples/line-2pod.yaml");
	struct sim *s = sim_new(t);
	struct flows *f = flows_new();
	double *bal = xcalloc(t->nnodes, sizeof(double)), worst;
	uint32_t i, e, u;

	gen(s, f, "stride:7200", 1);	/* every flow crosses pods */
	f->n = 300;
	ck_assert_uint_eq(mode_spray.place(s->route, f), 0);
	for (i = 0; i < f->n; i++) {
		memset(bal, 0, t->nnodes * sizeof(double));
		for (e = f->off[i]; e < f->off[i + 1]; e++) {
			uint32_t l = f->link[e], lv = s->net->lvl[s->net->from[l]];
			bool up = s->net->lvl[s->net->to[l]] > lv;

			bal[s->net->from[l]] -= f->w[e];
			bal[s->net->to[l]] += f->w[e];
			if (up && fabs(f->w[e] - (lv == 0 ? 0.5 : lv == 1 ?
					0.125 : 1.0 / 80)) > 1e-12)
				ck_abort_msg("flow %u: weight %g at level %u", i,
					     f->w[e], lv);
		}
		/* one assertion per flow: Check logs every one it passes */
		for (u = 0, worst = 0; u < t->nnodes; u++)
			worst = fmax(worst, fabs(bal[u] - (u == f->src[i] ? -1
					: u == f->dst[i] ? 1 : 0)));
		ck_assert_double_le(worst, 1e-12);
		ck_assert_uint_eq(f->off[i + 1] - f->off[i],
				  2 + 8 + 80 + 80 + 8 + 2);
	}
	free(bal);
	flows_free(f);
	sim_free(s);
	topo_free(t);
}
END_TEST

static uint32_t tier_of(const struct topo *t, const char *name)
{
	uint32_t k;

	for (k = 0; k < t->ntiers; k++)
		if (strcmp(t->tiers[k].name, name) == 0)
			return k;
	ck_abort_msg("no tier %s", name);
	return 0;
}

/* No path crosses a failed node or cable; everything stays routable
 * while one uplink of each server survives. */
START_TEST(failures_avoided)
{
	struct topo *t = simtest_load("examples/line-2pod.yaml");
	struct sim *s = sim_new(t);
	struct flows *f = flows_new();
	struct fail fl;
	struct rng g;
	struct ck_err err;
	const struct mode_ops *m = _i ? &mode_spray : &mode_ecmp;
	uint32_t i, e, spines = 0;

	fail_init(&fl);
	rng_seed(&g, 1);
	ck_assert_int_eq(fail_add(&fl, s->net, "node:spine-p1-01", &g, &err), 0);
	ck_assert_int_eq(fail_add(&fl, s->net, "random:spine:5", &g, &err), 0);
	ck_assert_int_eq(fail_add(&fl, s->net, "node:pod1-c01-leaf2", &g,
				  &err), 0);
	ck_assert_int_eq(fail_add(&fl, s->net, "link:pod1-r001-s01:eth0", &g,
				  &err), 0);
	for (i = 0; i < fl.nnodes; i++)
		spines += t->nodes[fl.nodes[i]].tier == tier_of(t, "spine");
	ck_assert_uint_eq(spines, 6);	/* 5 distinct besides spine-p1-01 */
	fail_apply(&fl, s->net, +1);
	sim_failures_changed(s);
	gen(s, f, "permutation", 2);
	ck_assert_uint_eq(m->place(s->route, f), 0);
	for (i = 0; i < f->n; i++)
		for (e = f->off[i]; e < f->off[i + 1]; e++) {
			uint32_t l = f->link[e];

			if (!net_alive(s->net, l) ||
			    s->net->node_dead[s->net->to[l]] ||
			    (s->net->from[l] == topo_find_node(t,
				"pod1-r001-s01") &&
			     strcmp(net_port(s->net, l)->name, "eth0") == 0))
				ck_abort_msg("flow %u crosses a failure", i);
		}
	fail_apply(&fl, s->net, -1);
	ck_assert(net_intact(s->net));
	fail_free(&fl);
	flows_free(f);
	sim_free(s);
	topo_free(t);
}
END_TEST

/* Both ToRs of a rack down: its servers' flows are unroutable (rate 0),
 * every other flow is still served. */
START_TEST(failures_unroutable)
{
	struct topo *t = simtest_load("examples/lab-small.yaml");
	struct sim *s = sim_new(t);
	struct flows *f = flows_new();
	struct sim_result r;
	uint32_t i, lost = 0;

	net_fail_node(s->net, topo_find_node(t, "pod1-r001-tor1"), +1);
	net_fail_node(s->net, topo_find_node(t, "pod1-r001-tor2"), +1);
	sim_failures_changed(s);
	gen(s, f, "permutation", 1);
	sim_run(s, &mode_ecmp, f, &r);
	for (i = 0; i < f->n; i++) {
		bool cut = t->nodes[f->src[i]].rack == 0 ||
			   t->nodes[f->dst[i]].rack == 0;

		lost += cut;
		ck_assert(cut ? f->rate[i] == 0 : f->rate[i] > 0);
	}
	ck_assert_uint_eq(r.unroutable, lost);
	ck_assert_uint_gt(lost, 0);
	flows_free(f);
	sim_free(s);
	topo_free(t);
}
END_TEST

static bool same_placement(const struct flows *a, const struct flows *b)
{
	uint32_t i;

	if (a->n != b->n || a->off[a->n] != b->off[b->n])
		return false;
	for (i = 0; i <= a->n; i++)
		if (a->off[i] != b->off[i])
			return false;
	for (i = 0; i < a->off[a->n]; i++)
		if (a->link[i] != b->link[i] ||
		    (a->w && fabs(a->w[i] - b->w[i]) > 1e-12))
			return false;
	return true;
}

/* The N+1 shortcut (keep the routing tables a failed switch cannot
 * change) places every flow exactly as routing from scratch does, for
 * every switch of a 5-stage fabric with dual ToRs and of a leaf/spine
 * with single ToRs, under ecmp and spray. */
START_TEST(incremental_tables_exact)
{
	struct topo *t = simtest_load(_i / 2 ? "tests/sim/two-to-one.yaml"
				     : "tests/sim/small-3tier.yaml");
	struct sim *inc = sim_new(t), *ref = sim_new(t);
	struct flows *a = flows_new(), *b = flows_new();
	const struct mode_ops *m = _i % 2 ? &mode_spray : &mode_ecmp;
	uint32_t u;

	gen(inc, a, "all-to-all:6", 3);
	flows_copy(b, a);
	route_save(inc->route);
	for (u = 0; u < t->nnodes; u++) {
		if (inc->net->lvl[u] == 0)
			continue;
		net_fail_node(inc->net, u, +1);
		route_switch_failed(inc->route, u);
		net_fail_node(ref->net, u, +1);
		sim_failures_changed(ref);
		m->place(inc->route, a);
		m->place(ref->route, b);
		ck_assert_msg(same_placement(a, b), "%s failed: placements "
			      "differ", t->nodes[u].name);
		net_fail_node(inc->net, u, -1);
		route_switch_restored(inc->route);
		net_fail_node(ref->net, u, -1);
		sim_failures_changed(ref);
	}
	m->place(inc->route, a);
	m->place(ref->route, b);
	ck_assert(same_placement(a, b));
	flows_free(a);
	flows_free(b);
	sim_free(inc);
	sim_free(ref);
	topo_free(t);
}
END_TEST

/* Brute force: every up*down* path from u to dst over live links (ups
 * strictly climb, downs strictly descend), keeping per link how many of
 * the shortest ones cross it. */
struct brute {
	const struct net *n;
	uint32_t dst, best, npaths;
	uint32_t stack[16];
	double *cnt;	/* by directed link */
};

static void brute_walk(struct brute *b, uint32_t u, uint32_t depth, bool down)
{
	const struct net *n = b->n;
	uint32_t i, k;

	if (depth > b->best)
		return;
	if (u == b->dst) {
		if (depth < b->best) {
			b->best = depth;
			b->npaths = 0;
			memset(b->cnt, 0, n->nlinks * sizeof(double));
		}
		b->npaths++;
		for (k = 0; k < depth; k++)
			b->cnt[b->stack[k]]++;
		return;
	}
	if (depth == 15 || (n->lvl[u] == 0 && depth > 0))
		return;	/* servers only start and end paths */
	for (i = n->off[u]; i < n->off[u + 1]; i++) {
		uint32_t l = n->adj[i];
		bool up = i < n->off[u] + n->nup[u];

		if (!net_alive(n, l) || (down && up))
			continue;
		b->stack[depth] = l;
		brute_walk(b, n->to[l], depth + 1, down || !up);
	}
}

/* spray's shares equal the brute-force ones (path counts per link over
 * all shortest valley-free paths), under random failures, for every pair
 * of servers; pairs with no path are unroutable. */
static void check_against_brute(const char *rel, uint64_t seed)
{
	struct topo *t = simtest_load(rel);
	struct sim *s = sim_new(t);
	struct flows *f = flows_new();
	struct brute b = { s->net, 0, 0, 0, { 0 },
			   xcalloc(s->net->nlinks, sizeof(double)) };
	struct rng g;
	uint32_t i, j, e, k;

	rng_seed(&g, seed);
	for (k = 0; k < 1 + rng_below(&g, 4); k++)	/* some cables */
		net_fail_cable(s->net, 2 * rng_below(&g, t->nlinks), +1);
	for (k = 0; k < rng_below(&g, 3); k++) {	/* some switches */
		uint32_t u = rng_below(&g, t->nnodes);

		if (s->net->lvl[u] > 0)
			net_fail_node(s->net, u, +1);
	}
	sim_failures_changed(s);
	for (i = 0; i < s->net->nservers; i++)
		for (j = 0; j < s->net->nservers; j++)
			if (i != j)
				flows_add(f, s->net->servers[i],
					  s->net->servers[j], 40000);
	mode_spray.place(s->route, f);
	for (i = 0; i < f->n; i++) {
		b.dst = f->dst[i];
		b.best = UINT32_MAX;
		b.npaths = 0;
		brute_walk(&b, f->src[i], 0, false);
		if (b.npaths == 0) {
			if (f->off[i] != f->off[i + 1])
				ck_abort_msg("%s seed %llu: flow %u routed, no "
					     "path exists", rel,
					     (unsigned long long)seed, i);
			continue;
		}
		for (e = f->off[i]; e < f->off[i + 1]; e++)
			b.cnt[f->link[e]] -= f->w[e] * b.npaths;
		for (e = 0; e < s->net->nlinks; e++)
			if (fabs(b.cnt[e]) > 1e-9 * b.npaths)
				ck_abort_msg("%s seed %llu: flow %u, link %u: "
					     "shares differ by %g paths", rel,
					     (unsigned long long)seed, i, e,
					     b.cnt[e]);
	}
	free(b.cnt);
	flows_free(f);
	sim_free(s);
	topo_free(t);
}

START_TEST(routing_matches_brute_force)
{
	uint64_t seed;

	for (seed = 1; seed <= 6; seed++) {
		check_against_brute("tests/sim/small-3tier.yaml", seed);
		check_against_brute("examples/lab-small.yaml", seed);
		check_against_brute("tests/sim/two-to-one.yaml", seed);
	}
}
END_TEST

/* A random small leaf/spine: racks, servers per rack, ToRs per rack,
 * spines, links per ToR-spine pair and speeds all drawn from g. */
static struct topo *random_topo(struct rng *g)
{
	uint32_t racks = 2 + rng_below(g, 4), per = 1 + rng_below(g, 6);
	uint32_t tors = 1 + rng_below(g, 2), spines = 1 + rng_below(g, 4);
	uint32_t links = 1 + rng_below(g, 2);
	static const uint32_t srv[] = { 10, 25 }, fab[] = { 10, 25, 40 };
	uint32_t ss = srv[rng_below(g, 2)], fs = fab[rng_below(g, 3)];
	char *y = xasprintf(
		"fabric: random\npools:\n  loopbacks: 10.255.0.0/24\n"
		"  servers: 10.1.0.0/22\nasn:\n  server: 4200000001-4200000999\n"
		"  tor: 4201000001-4201000099\n  spine: 4202000001-4202000009\n"
		"models:\n  tor:\n    ports:\n"
		"      - {count: %u, speed: %uG, use: down}\n"
		"      - {count: %u, speed: %uG, use: up}\n"
		"  spine:\n    ports:\n      - {count: %u, speed: %uG}\n"
		"servers:\n  uplinks: [%s]\n  speed: %uG\n"
		"pods:\n  - name: pod1\n    racks: %u\n    servers-per-rack: %u\n"
		"tiers:\n  - name: tor\n    role: tor\n    model: tor\n"
		"    count: %u\n  - name: spine\n    role: spine\n"
		"    model: spine\n    scope: fabric\n    count: %u\n"
		"    links: %u\n    speed: %uG\n",
		per, ss, spines * links, fs, racks * tors * links, fs,
		tors == 2 ? "eth0, eth1" : "eth0", ss, racks, per, tors, spines,
		links, fs);
	struct ck_err err;
	struct topo *t = topo_load_buf("random.yaml", y, strlen(y), &err);

	if (t == NULL)
		ck_abort_msg("random topology: %s\n%s", err.msg, y);
	free(y);
	return t;
}

/* The two properties that define max-min fairness, on a solved fabric:
 * no live link over capacity, and every flow at its demand, unroutable
 * (rate 0), or with a bottleneck: a saturated link on its path where no
 * flow gets more. */
static void check_fair(const struct sim *s, const struct flows *f)
{
	const struct net *n = s->net;
	double *mx = xcalloc(n->nlinks, sizeof(double));
	uint32_t i, e, l;

	for (i = 0; i < f->n; i++)
		for (e = f->off[i]; e < f->off[i + 1]; e++)
			mx[f->link[e]] = fmax(mx[f->link[e]], f->rate[i]);
	for (l = 0; l < n->nlinks; l++)
		if (s->load[l] > n->cap[l] * (1 + 1e-9))
			ck_abort_msg("link %u over capacity", l);
	for (i = 0; i < f->n; i++) {
		bool ok = f->rate[i] >= f->demand[i] * (1 - 1e-9) ||
			  (f->off[i] == f->off[i + 1] && f->rate[i] == 0);

		for (e = f->off[i]; e < f->off[i + 1] && !ok; e++) {
			l = f->link[e];
			ok = s->load[l] >= n->cap[l] * (1 - 1e-9) &&
			     f->rate[i] >= mx[l] * (1 - 1e-9);
		}
		if (!ok || f->rate[i] > f->demand[i] * (1 + 1e-9))
			ck_abort_msg("flow %u (rate %g of %g) is not max-min", i,
				     f->rate[i], f->demand[i]);
	}
	free(mx);
}

START_TEST(random_fabrics_max_min)
{
	static const char *const pats[] = { "permutation", "all-to-all:2",
					    "incast:2", "rack-to-rack" };
	struct rng g;
	int k;

	rng_seed(&g, 1234);
	for (k = 0; k < 60; k++) {
		struct topo *t = random_topo(&g);
		struct sim *s = sim_new(t);
		struct flows *f = flows_new();
		struct traffic tr;
		struct ck_err err;
		size_t m;

		if (rng_below(&g, 2))	/* sometimes a failed cable */
			net_fail_cable(s->net, 2 * rng_below(&g, t->nlinks), +1);
		sim_failures_changed(s);
		ck_assert_int_eq(traffic_parse(pats[k % 4], &tr, &err), 0);
		if (traffic_gen(&tr, s->net, (uint64_t)k, 1 + rng_below(&g, 3),
				f, &err) == 0)
			for (m = 0; mode_all[m]; m++) {
				struct sim_result r;

				sim_run(s, mode_all[m], f, &r);
				sim_load(s, f);
				check_fair(s, f);
			}
		flows_free(f);
		sim_free(s);
		topo_free(t);
	}
}
END_TEST

/* Shared spray placement (sim.share): every flow crosses the links of its
 * per-flow DAG with the same weights, bit for bit, and gets the same rate
 * (every link the same load) within 1e-9. */
struct shared_chk {
	struct sim *s;
	struct flows *f, *g;	/* per flow, shared */
	double *w;		/* by link, for one flow */
	const char *what;
};

static void same_links(struct shared_chk *c, uint32_t i)
{
	const struct flows *f = c->f;
	struct flows_run run[2];
	uint32_t e, k, nr = flows_runs(c->g, i, run), n = 0;

	for (e = f->off[i]; e < f->off[i + 1]; e++)
		c->w[f->link[e]] = f->w[e];
	for (k = 0; k < nr; k++)
		for (e = 0; e < run[k].n; e++, n++)
			if (c->w[run[k].link[e]] != run[k].w[e])
				ck_abort_msg("%s: flow %u: link %u weighs %g "
					     "shared, %g per flow", c->what, i,
					     run[k].link[e], run[k].w[e],
					     c->w[run[k].link[e]]);
	if (n != f->off[i + 1] - f->off[i])
		ck_abort_msg("%s: flow %u: %u links shared, %u per flow",
			     c->what, i, n, f->off[i + 1] - f->off[i]);
	for (e = f->off[i]; e < f->off[i + 1]; e++)
		c->w[f->link[e]] = 0;
}

static bool near(double a, double b)
{
	return fabs(a - b) <= 1e-9 * fmax(fabs(a), fabs(b));
}

static void same_rates(struct shared_chk *c)
{
	struct sim *s = c->s;
	double *load = xcalloc(s->net->nlinks + 1, sizeof(double));
	struct sim_result r;
	uint32_t i, lost;

	sim_run(s, &mode_spray, c->f, &r);
	sim_load(s, c->f);
	memcpy(load, s->load, s->net->nlinks * sizeof(double));
	lost = r.unroutable;
	s->share = true;
	sim_run(s, &mode_spray, c->g, &r);
	s->share = false;
	sim_load(s, c->g);
	if (!c->g->shared || r.unroutable != lost)
		ck_abort_msg("%s: %u unroutable shared, %u per flow", c->what,
			     r.unroutable, lost);
	for (i = 0; i < c->f->n; i++) {
		if (!near(c->f->rate[i], c->g->rate[i]))
			ck_abort_msg("%s: flow %u: %.17g shared, %.17g per flow",
				     c->what, i, c->g->rate[i], c->f->rate[i]);
		same_links(c, i);
	}
	for (i = 0; i < s->net->nlinks; i++)
		if (!near(load[i], s->load[i]))
			ck_abort_msg("%s: link %u: %.17g shared, %.17g per flow",
				     c->what, i, s->load[i], load[i]);
	free(load);
}

/* Both placements of spec on s, where the pattern fits the fabric. */
static void shared_case(struct sim *s, const char *spec, uint64_t seed,
			uint32_t per_pair, const char *what)
{
	struct shared_chk c = { s, flows_new(), flows_new(),
				xcalloc(s->net->nlinks + 1, sizeof(double)),
				what };
	struct traffic tr;
	struct ck_err err;

	ck_assert_int_eq(traffic_parse(spec, &tr, &err), 0);
	if (traffic_gen(&tr, s->net, seed, per_pair, c.f, &err) == 0) {
		flows_copy(c.g, c.f);
		same_rates(&c);
	}
	free(c.w);
	flows_free(c.f);
	flows_free(c.g);
}

START_TEST(spray_shared_same_rates)
{
	static const char *const files[] = {
		"examples/lab-small.yaml", "tests/sim/two-to-one.yaml",
		"tests/sim/small-3tier.yaml", "tests/sim/mixed-speed.yaml",
		"tests/sim/uneven-pods.yaml", "examples/leaf-spine.yaml" };
	static const char *const pats[] = { "permutation", "all-to-all:3",
					    "incast:3", "rack-to-rack",
					    "stride:2" };
	size_t i, j;

	for (i = 0; i < sizeof(files) / sizeof(*files); i++) {
		struct topo *t = simtest_load(files[i]);
		struct sim *s = sim_new(t);
		char what[128];

		for (j = 0; j < sizeof(pats) / sizeof(*pats); j++) {
			snprintf(what, sizeof(what), "%s %s", files[i], pats[j]);
			shared_case(s, pats[j], 7 + j, 1 + (uint32_t)j % 2, what);
		}
		/* a failed ToR: its servers leave by one uplink */
		net_fail_node(s->net, s->net->to[s->net->adj[s->net->off[
			s->net->servers[0]]]], +1);
		sim_failures_changed(s);
		snprintf(what, sizeof(what), "%s all-to-all:4, a ToR down",
			 files[i]);
		shared_case(s, "all-to-all:4", 3, 1, what);
		sim_free(s);
		topo_free(t);
	}
}
END_TEST

/* The same on random leaf/spines, some with a failed cable, and on
 * line-2pod with switches of every tier down. */
START_TEST(spray_shared_random_and_failures)
{
	static const char *const pats[] = { "permutation", "all-to-all:2",
					    "incast:2", "rack-to-rack" };
	static const char *const down[] = { "spine-p1-01", "pod1-c01-leaf2",
					    "pod2-r003-tor1" };
	struct topo *t;
	struct sim *s;
	struct rng g;
	size_t k;

	rng_seed(&g, 99);
	for (k = 0; k < 40; k++) {
		t = random_topo(&g);
		s = sim_new(t);
		if (rng_below(&g, 2))
			net_fail_cable(s->net, 2 * rng_below(&g, t->nlinks), +1);
		sim_failures_changed(s);
		shared_case(s, pats[k % 4], k, 1 + rng_below(&g, 3), "random");
		sim_free(s);
		topo_free(t);
	}
	t = simtest_load("examples/line-2pod.yaml");
	s = sim_new(t);
	for (k = 0; k < sizeof(down) / sizeof(*down); k++)
		net_fail_node(s->net, topo_find_node(t, down[k]), +1);
	sim_failures_changed(s);
	shared_case(s, "permutation", 5, 1, "line-2pod, 3 switches down");
	sim_free(s);
	topo_free(t);
}
END_TEST

static const char *const one_to_one[] = { "examples/lab-small.yaml",
					  "examples/leaf-spine.yaml",
					  "examples/line-2pod.yaml" };

/* spray on a 1:1 CLOS carries every permutation and rack-to-rack whole. */
START_TEST(spray_full_on_1to1)
{
	struct topo *t = simtest_load(one_to_one[_i]);
	struct sim *s = sim_new(t);
	struct flows *f = flows_new();

	gen(s, f, "permutation", 5);
	ck_assert_double_eq_tol(run(s, &mode_spray, f), 1, 1e-9);
	gen(s, f, "rack-to-rack", 5);
	ck_assert_double_eq_tol(run(s, &mode_spray, f), 1, 1e-9);
	flows_free(f);
	sim_free(s);
	topo_free(t);
}
END_TEST

/* On a 2:1 fabric spray carries exactly half of rack-to-rack, and a
 * permutation at least half (intra-rack flows go at full rate). */
START_TEST(spray_half_on_2to1)
{
	struct topo *t = simtest_load("tests/sim/two-to-one.yaml");
	struct sim *s = sim_new(t);
	struct flows *f = flows_new();
	double p;

	gen(s, f, "rack-to-rack", 1);
	ck_assert_double_eq_tol(run(s, &mode_spray, f), 0.5, 1e-9);
	gen(s, f, "permutation", 1);
	p = run(s, &mode_spray, f);
	ck_assert(p >= 0.5 - 1e-9 && p < 1);
	flows_free(f);
	sim_free(s);
	topo_free(t);
}
END_TEST

/* incast:5 on leaf-spine: 5 senders of 25G into a 25G receiver. The
 * ideal is what the receiver can take, 5G per flow, and its two 25G links
 * carry that whole under spray; ecmp no more. */
START_TEST(incast_receiver_bound)
{
	struct topo *t = simtest_load("examples/leaf-spine.yaml");
	struct sim *s = sim_new(t);
	struct flows *f = flows_new();
	struct sim_result r;

	gen(s, f, "incast:5", 3);
	sim_run(s, &mode_spray, f, &r);
	ck_assert_double_eq_tol(r.offered, 64 * 25e9, 1);
	ck_assert_double_eq_tol(sim_fraction(&r), 1, 1e-9);
	ck_assert_double_le(run(s, &mode_ecmp, f), 1 + 1e-9);
	flows_free(f);
	sim_free(s);
	topo_free(t);
}
END_TEST

/* rack-to-rack under ecmp on an 8-spine leaf/spine with 8 servers per
 * leaf: each rack's 8 flows pick spines independently, so the fraction of
 * ideal is the expected share of spines used, 1 - (1 - 1/8)^8. */
START_TEST(ecmp_collisions_n_spine)
{
	struct topo *t = simtest_load("tests/sim/spine8.yaml");
	struct sim *s = sim_new(t);
	struct flows *f = flows_new();
	double sum = 0, want = 1 - pow(1 - 1.0 / 8, 8);
	int seed, seeds = 40;

	for (seed = 1; seed <= seeds; seed++) {
		gen(s, f, "rack-to-rack", (uint64_t)seed);
		sum += run(s, &mode_ecmp, f);
	}
	ck_assert_double_eq_tol(sum / seeds, want, 0.02);
	flows_free(f);
	sim_free(s);
	topo_free(t);
}
END_TEST

static uint32_t links_used(const struct sim *s, const struct flows *f,
			   uint32_t from_lvl)
{
	uint8_t *seen = xcalloc(s->net->nlinks, 1);
	uint32_t e, n = 0;

	for (e = 0; e < f->off[f->n]; e++) {
		uint32_t l = f->link[e];

		if (s->net->lvl[s->net->from[l]] == from_lvl &&
		    s->net->lvl[s->net->to[l]] == from_lvl + 1 && !seen[l]) {
			seen[l] = 1;
			n++;
		}
	}
	free(seen);
	return n;
}

/* The same hash at every hop correlates choices: on line-2pod the
 * unsalted hash leaves most leaf->spine links idle and loses throughput;
 * the salted one spreads flows over nearly all of them. */
START_TEST(polarization_without_salt)
{
	struct topo *t = simtest_load("examples/line-2pod.yaml");
	struct sim *s = sim_new(t);
	struct flows *f = flows_new();
	double salted, unsalted;
	uint32_t n_salted, n_unsalted;

	gen(s, f, "permutation", 1);
	salted = run(s, &mode_ecmp, f);
	n_salted = links_used(s, f, 2);
	unsalted = run(s, &mode_ecmp_unsalted, f);
	n_unsalted = links_used(s, f, 2);
	ck_assert_uint_gt(n_salted, 2880 * 9 / 10);
	ck_assert_uint_le(n_unsalted, 2880 / 2);
	ck_assert_double_lt(unsalted, salted - 0.1);
	flows_free(f);
	sim_free(s);
	topo_free(t);
}
END_TEST

static json_t *report(const char *rel, bool nplus1, bool dynamic)
{
	struct topo *t = simtest_load(rel);
	struct capacity_opts o;
	struct ck_err err;
	json_t *r;

	capacity_defaults(&o);
	o.nplus1 = nplus1;
	o.dynamic = dynamic;
	o.dyn.nflows = 400;
	o.jobs = 2;
	r = capacity_run(t, &o, &err);
	if (r == NULL)
		ck_abort_msg("%s: %s", rel, err.msg);
	topo_free(t);
	return r;
}

static bool non_blocking(const json_t *r)
{
	return json_is_true(json_object_get(json_object_get(r, "verdict"),
					    "nonBlocking"));
}

/* 25G and 10G servers on a 1:1 fabric: a flow offers what both ends can
 * take (the slower one's rate), so spray carries every permutation whole
 * and the fabric is non-blocking, although 25G senders meet 10G
 * receivers whose two 10G links could not take 25G. */
START_TEST(mixed_speeds)
{
	struct topo *t = simtest_load("tests/sim/mixed-speed.yaml");
	struct sim *s = sim_new(t);
	struct flows *f = flows_new();
	const double *bps = s->net->srv_bps;
	uint32_t seed, i, slow = 0;
	json_t *r;

	for (seed = 1; seed <= 5; seed++) {
		gen(s, f, "permutation", seed);
		for (i = 0; i < f->n; i++) {
			ck_assert_double_eq_tol(f->demand[i], fmin(bps[f->src[i]],
				bps[f->dst[i]]), 1e-3);
			slow += bps[f->src[i]] > bps[f->dst[i]];
		}
		ck_assert_double_eq_tol(run(s, &mode_spray, f), 1, 1e-9);
	}
	ck_assert_uint_gt(slow, 0);	/* 25G met 10G */
	flows_free(f);
	sim_free(s);
	topo_free(t);
	r = report("tests/sim/mixed-speed.yaml", false, false);
	ck_assert(non_blocking(r));
	json_decref(r);
}
END_TEST

/* Subtrees of unlike pods: 4 racks of 2 10G servers and 2 of 3 25G ones;
 * a leaf subtree is a pod, the spines reach every server. */
START_TEST(subtrees_uneven)
{
	struct topo *t = simtest_load("tests/sim/uneven-pods.yaml");
	struct net *n = net_new(t);
	struct subtrees *st = subtree_new(n, 0);
	uint32_t i;

	ck_assert_uint_eq(st->count, 6);
	ck_assert_uint_eq(st->max, 3);
	for (i = 0; i < st->count; i++) {
		ck_assert_uint_eq(st->size[i], i < 4 ? 2 : 3);
		ck_assert_double_eq_tol(st->srv_bps[i], i < 4 ? 20e9 : 75e9, 1);
		ck_assert_double_eq_tol(st->up_bps[i], 50e9, 1);
		ck_assert_uint_eq(st->pod[i], i < 4 ? 0 : 1);
	}
	for (i = 0; i < n->nservers; i++)	/* runs in node order */
		ck_assert_uint_eq(st->of[n->servers[i]], i < 8 ? i / 2
				  : 4 + (i - 8) / 3);
	subtree_free(st);
	st = subtree_new(n, 1);
	ck_assert_uint_eq(st->count, 2);
	ck_assert_uint_eq(st->max, 8);
	ck_assert_double_eq_tol(st->up_bps[1], 400e9, 1);
	subtree_free(st);
	st = subtree_new(n, 2);
	ck_assert_uint_eq(st->count, 1);
	ck_assert_uint_eq(st->max, n->nservers);
	ck_assert_uint_eq(st->pod[0], TOPO_NONE);
	subtree_free(st);
	net_free(n);
	topo_free(t);
}
END_TEST

static void fail_port(struct sim *s, const char *node, const char *port)
{
	uint32_t u = topo_find_node(s->net->t, node);

	net_fail_cable(s->net, net_link_by_port(s->net, u, port), +1);
	sim_failures_changed(s);
}

/* Server pairs with no path on lab-small (4 servers, 2 racks): none
 * intact; 3 once a server loses both uplinks; the 2 x 2 across racks once
 * both spines are gone; and the verdict says so. */
START_TEST(partitioned_pairs)
{
	struct topo *t = simtest_load("examples/lab-small.yaml");
	struct sim *s = sim_new(t);
	struct capacity_opts o;
	struct ck_err err;
	const json_t *v;
	json_t *r;

	ck_assert_uint_eq(reach_unreachable_pairs(s->route), 0);
	fail_port(s, "pod1-r001-s01", "eth0");
	ck_assert_uint_eq(reach_unreachable_pairs(s->route), 0);
	fail_port(s, "pod1-r001-s01", "eth1");
	ck_assert_uint_eq(reach_unreachable_pairs(s->route), 3);
	sim_free(s);
	s = sim_new(t);
	net_fail_node(s->net, topo_find_node(t, "spine01"), +1);
	net_fail_node(s->net, topo_find_node(t, "spine02"), +1);
	sim_failures_changed(s);
	ck_assert_uint_eq(reach_unreachable_pairs(s->route), 4);
	sim_free(s);
	capacity_defaults(&o);
	o.fails[o.nfails++] = "node:spine01";
	o.fails[o.nfails++] = "node:spine02";
	r = capacity_run(t, &o, &err);
	ck_assert_ptr_nonnull(r);
	v = json_object_get(r, "verdict");
	ck_assert(json_is_false(json_object_get(v, "nonBlocking")));
	ck_assert_int_eq(json_integer_value(json_object_get(v,
		"unreachablePairs")), 4);
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(v,
		"reason")), "partitioned: 4 server pairs have no path"));
	json_decref(r);
	topo_free(t);
}
END_TEST

/* The reference build is reported non-blocking; the 2:1 fabric is not,
 * and the reason names the saturated tor uplinks. */
START_TEST(verdicts)
{
	json_t *r = report("examples/line-2pod.yaml", false, false);
	const char *why;

	ck_assert(non_blocking(r));
	ck_assert_double_eq_tol(json_real_value(json_object_get(
		json_object_get(r, "bisection"), "gbps")), 72000, 1e-6);
	json_decref(r);
	r = report("tests/sim/two-to-one.yaml", false, false);
	ck_assert(!non_blocking(r));
	why = json_string_value(json_object_get(json_object_get(r, "verdict"),
						"reason"));
	ck_assert_ptr_nonnull(strstr(why, "50.0%"));
	ck_assert_ptr_nonnull(strstr(why, "tor>spine"));
	json_decref(r);
}
END_TEST

static double np1_fraction(const char *rel, size_t tier)
{
	struct topo *t = simtest_load(rel);
	struct capacity_opts o;
	struct ck_err err;
	const json_t *m;
	json_t *r;
	double v;

	capacity_defaults(&o);
	o.patterns[0] = "rack-to-rack";
	o.npatterns = 1;
	o.nplus1 = true;
	o.nplus1_modes[0] = &mode_spray;
	o.verdict = false;
	o.jobs = 2;
	r = capacity_run(t, &o, &err);
	ck_assert_ptr_nonnull(r);
	m = json_array_get(json_object_get(json_array_get(json_object_get(
		json_object_get(r, "nPlusOne"), "tiers"), tier), "modes"), 0);
	v = json_real_value(json_object_get(m, "fraction"));
	json_decref(r);
	topo_free(t);
	return v;
}

/* N+1 under spray, rack-to-rack. lab-small: a server offers 10G over two
 * 10G uplinks, so losing a ToR or one of the 2 spines costs nothing.
 * two-to-one (8 racks of 8 x 10G, 4 x 10G up, one ToR each): losing a
 * spine leaves 30G per rack for 80G (0.375); losing a ToR cuts its rack
 * off, and the 6 racks left send 40G each of 640G (0.375 too). */
START_TEST(nplus1_hand_computed)
{
	ck_assert_double_eq_tol(np1_fraction("examples/lab-small.yaml", 0), 1,
				1e-9);
	ck_assert_double_eq_tol(np1_fraction("examples/lab-small.yaml", 1), 1,
				1e-9);
	ck_assert_double_eq_tol(np1_fraction("tests/sim/two-to-one.yaml", 0),
				0.375, 1e-9);
	ck_assert_double_eq_tol(np1_fraction("tests/sim/two-to-one.yaml", 1),
				0.375, 1e-9);
}
END_TEST

/* Shards of the N+1 sweep partition the switches. */
START_TEST(nplus1_shards)
{
	struct topo *t = simtest_load("examples/leaf-spine.yaml");
	struct capacity_opts o;
	struct ck_err err;
	json_int_t tried[2] = { 0, 0 };
	uint32_t sh, k;

	capacity_defaults(&o);
	o.nplus1 = true;
	o.verdict = false;
	o.nshards = 3;
	for (sh = 0; sh < 3; sh++) {
		json_t *r, *tiers;

		o.shard = sh;
		r = capacity_run(t, &o, &err);
		ck_assert_ptr_nonnull(r);
		tiers = json_object_get(json_object_get(r, "nPlusOne"), "tiers");
		for (k = 0; k < 2; k++)
			tried[k] += json_integer_value(json_object_get(
				json_array_get(tiers, k), "tried"));
		json_decref(r);
	}
	ck_assert_int_eq(tried[0], 32);
	ck_assert_int_eq(tried[1], 6);
	topo_free(t);
}
END_TEST

/* Dynamic workload: slowdowns are at least 1 (nothing beats an idle
 * fabric), the tail is above the median, and at a light load most flows
 * run alone (median close to 1). */
START_TEST(dynamic_slowdowns)
{
	json_t *r = report("examples/leaf-spine.yaml", false, true), *b;
	const json_t *all;
	size_t i;

	const json_t *d = json_object_get(r, "dynamic");

	b = json_object_get(d, "buckets");
	ck_assert_uint_eq(json_array_size(b), 4);
	all = json_array_get(b, 3);
	/* the warm-up's flows are simulated, not measured */
	ck_assert_int_eq(json_integer_value(json_object_get(all, "flows")),
			 json_integer_value(json_object_get(d, "measuredFlows")));
	ck_assert_int_eq(json_integer_value(json_object_get(d, "measuredFlows")) +
			 json_integer_value(json_object_get(d, "warmupFlows")), 400);
	json_array_foreach(b, i, all) {
		if (json_integer_value(json_object_get(all, "flows")) == 0)
			continue;
		ck_assert_double_ge(json_real_value(json_object_get(all, "p50")),
				    1 - 1e-9);
		ck_assert_double_ge(json_real_value(json_object_get(all, "p99")),
				    json_real_value(json_object_get(all, "p50")));
	}
	json_decref(r);
}
END_TEST

START_TEST(dynamic_light_load)
{
	struct topo *t = simtest_load("examples/leaf-spine.yaml");
	struct sim *s = sim_new(t);
	struct dyn_opts o = { .load = 0.01, .sizes = "websearch", .nflows = 300,
			      .mode = &mode_ecmp, .warmup = 0.1 };
	struct ck_err err;
	json_t *r = dyn_run(s, &o, 1, NULL, NULL, &err);
	const json_t *all = json_array_get(json_object_get(r, "buckets"), 3);

	ck_assert_double_eq_tol(json_real_value(json_object_get(all, "p50")),
				1, 0.01);
	json_decref(r);
	o.load = 0;
	ck_assert_ptr_null(dyn_run(s, &o, 1, NULL, NULL, &err));
	o.load = 0.5;
	o.sizes = "/nonexistent.cdf";
	ck_assert_ptr_null(dyn_run(s, &o, 1, NULL, NULL, &err));
	sim_free(s);
	topo_free(t);
}
END_TEST

static Suite *fabric_suite(void)
{
	Suite *s = suite_create("sim-fabric");
	TCase *rt = tcase_create("routing");
	TCase *known = tcase_create("known-results");
	TCase *rep = tcase_create("report");

	tcase_set_timeout(rt, 120);
	tcase_set_timeout(known, 120);
	tcase_set_timeout(rep, 120);
	tcase_add_test(rt, ecmp_paths_valley_free);
	tcase_add_test(rt, ecmp_sets);
	tcase_add_test(rt, spray_unit_flow);
	tcase_add_loop_test(rt, failures_avoided, 0, 2);
	tcase_add_test(rt, failures_unroutable);
	tcase_add_loop_test(rt, incremental_tables_exact, 0, 4);
	tcase_add_test(rt, routing_matches_brute_force);
	tcase_add_test(known, random_fabrics_max_min);
	tcase_add_test(known, spray_shared_same_rates);
	tcase_add_test(known, spray_shared_random_and_failures);
	tcase_add_loop_test(known, spray_full_on_1to1, 0, 3);
	tcase_add_test(known, spray_half_on_2to1);
	tcase_add_test(known, incast_receiver_bound);
	tcase_add_test(known, ecmp_collisions_n_spine);
	tcase_add_test(known, polarization_without_salt);
	tcase_add_test(rep, verdicts);
	tcase_add_test(rep, mixed_speeds);
	tcase_add_test(rep, subtrees_uneven);
	tcase_add_test(rep, partitioned_pairs);
	tcase_add_test(rep, nplus1_hand_computed);
	tcase_add_test(rep, nplus1_shards);
	tcase_add_test(rep, dynamic_slowdowns);
	tcase_add_test(rep, dynamic_light_load);
	suite_add_tcase(s, rt);
	suite_add_tcase(s, known);
	suite_add_tcase(s, rep);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(fabric_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
