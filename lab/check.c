/* `fabric-lab check`: the fabric works as designed.
 * - sessions: Established BGP sessions equal the cabling plan;
 * - ecmp: every bgp server routes to every other server over all its ToRs;
 * - reachability: every server reaches every other from its own address;
 * - valley-free: following every node's FIB (all ECMP next hops) from each
 *   server to each other, tiers only go up, then only down;
 * - cabling: what LLDP sees equals cabling.csv, asked the way an operator
 *   asks (fabricctl cabling through the agents; skipped without agents). */
#include "lab.h"
#include "fib.h"

#include "run.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

#define PING_TIMEOUT_MS 5000

static json_t *check_sessions(struct lab *l)
{
	json_t *missing = json_array();
	uint32_t i, expected = 0, up = 0;

	for (i = 0; i < l->t->nnodes; i++) {
		const struct bundlefmt_node *want = &l->nodes[i];
		json_t *est = converge_sessions(l->ns[i], NULL);
		size_t k;

		for (k = 0; k < want->n_peers; k++) {
			const char *ifn = want->peers[k].iface;

			expected++;
			if (est && json_object_get(est, ifn))
				up++;
			else
				json_array_append_new(missing, json_sprintf(
					"%s:%s", l->t->nodes[i].name, ifn));
		}
		json_decref(est);
	}
	return json_pack("{s:b, s:i, s:i, s:o}", "ok",
			 json_array_size(missing) == 0, "expected",
			 (int)expected, "established", (int)up, "missing",
			 missing);
}

static uint32_t port_of(const struct topo *t, uint32_t node, const char *dev)
{
	const struct topo_node *n = &t->nodes[node];
	uint32_t p;

	for (p = n->first_port; p < n->first_port + n->nports; p++)
		if (strcmp(t->ports[p].name, dev) == 0)
			return p;
	return TOPO_NONE;
}

static int height(const struct topo *t, uint32_t node)
{
	return t->nodes[node].tier == TOPO_NONE ? 0
						: (int)t->nodes[node].tier + 1;
}

/* Depth-first over every ECMP branch. Returns 0, or -1 with why. */
static int walk(struct lab *l, struct fib *fibs, uint32_t node, uint32_t dst,
		int prev_h, bool down, int hops, char *why, size_t wlen)
{
	const struct topo *t = l->t;
	const struct route *r;
	int h = height(t, node), i;

	if (hops > 0 && ((down && h >= prev_h) || (!down && h == prev_h)))
		return snprintf(why, wlen, "valley at %s", t->nodes[node].name),
		       -1;
	down = down || h < prev_h;
	if (t->nodes[node].addr == dst && t->nodes[node].role == ROLE_SERVER)
		return 0;
	if (hops > 16)
		return snprintf(why, wlen, "loop through %s",
				t->nodes[node].name), -1;
	r = fib_lookup(&fibs[node], dst);
	if (r == NULL || r->ndev == 0)
		return snprintf(why, wlen, "no route at %s",
				t->nodes[node].name), -1;
	for (i = 0; i < r->ndev; i++) {
		uint32_t p = port_of(t, node, r->devs[i]);

		if (p == TOPO_NONE)
			return snprintf(why, wlen, "%s routes via %s, not a "
					"fabric port", t->nodes[node].name,
					r->devs[i]), -1;
		if (walk(l, fibs, t->ports[t->ports[p].peer_port].node, dst, h,
			 down, hops + 1, why, wlen) < 0)
			return -1;
	}
	return 0;
}

static bool is_bgp_server(const struct topo_node *n)
{
	return n->role == ROLE_SERVER && n->routing == HOST_BGP;
}

static json_t *check_paths(struct lab *l, struct fib *fibs)
{
	const struct topo *t = l->t;
	json_t *bad_ecmp = json_array(), *bad_path = json_array();
	uint32_t s, d, pairs = 0;
	char why[256];

	for (s = 0; s < t->nnodes; s++) {
		if (t->nodes[s].role != ROLE_SERVER)
			continue;
		for (d = 0; d < t->nnodes; d++) {
			const struct route *r;

			if (d == s || t->nodes[d].role != ROLE_SERVER)
				continue;
			pairs++;
			r = fib_lookup(&fibs[s], t->nodes[d].addr);
			if (is_bgp_server(&t->nodes[s]) &&
			    (!r || (uint32_t)r->ndev != t->nodes[s].nports))
				json_array_append_new(bad_ecmp, json_sprintf(
					"%s->%s: %d of %u uplinks",
					t->nodes[s].name, t->nodes[d].name,
					r ? r->ndev : 0, t->nodes[s].nports));
			if (walk(l, fibs, s, t->nodes[d].addr, 0, false, 0, why,
				 sizeof(why)) < 0)
				json_array_append_new(bad_path, json_sprintf(
					"%s->%s: %s", t->nodes[s].name,
					t->nodes[d].name, why));
		}
	}
	return json_pack("{s:{s:b, s:i, s:o}, s:{s:b, s:i, s:o}}", "ecmp",
			 "ok", json_array_size(bad_ecmp) == 0, "pairs",
			 (int)pairs, "failed", bad_ecmp, "valleyFree", "ok",
			 json_array_size(bad_path) == 0, "pairs", (int)pairs,
			 "failed", bad_path);
}

static bool ping(const char *ns, uint32_t src, uint32_t dst)
{
	char s[16], d[16];
	const char *argv[] = { "ip", "netns", "exec", ns, "ping", "-q", "-n",
			       "-c", "1", "-W", "2", "-I", topo_ip4(src, s),
			       topo_ip4(dst, d), NULL };

	return run_argv(argv, PING_TIMEOUT_MS, NULL, NULL) == 0;
}

static json_t *check_reach(struct lab *l)
{
	const struct topo *t = l->t;
	json_t *failed = json_array();
	uint32_t s, d, pairs = 0;

	for (s = 0; s < t->nnodes; s++) {
		if (t->nodes[s].role != ROLE_SERVER)
			continue;
		for (d = 0; d < t->nnodes; d++) {
			if (d == s || t->nodes[d].role != ROLE_SERVER)
				continue;
			pairs++;
			if (!ping(l->ns[s], t->nodes[s].addr, t->nodes[d].addr))
				json_array_append_new(failed, json_sprintf(
					"%s->%s", t->nodes[s].name,
					t->nodes[d].name));
		}
	}
	return json_pack("{s:b, s:i, s:o}", "ok", json_array_size(failed) == 0,
			 "pairs", (int)pairs, "failed", failed);
}

/* One report line per mismatched cable (and per agent that did not
 * answer) of fabricctl cabling --json. */
static void cabling_lines(json_t *rep, json_t *failed)
{
	json_t *c, *a, *b;
	size_t i;

	json_array_foreach(json_object_get(rep, "cables"), i, c) {
		a = json_object_get(c, "a");
		b = json_object_get(c, "b");
		json_array_append_new(failed, json_sprintf("%s %s %s -- %s %s%s",
			json_string_value(json_object_get(c, "state")),
			json_string_value(json_object_get(a, "node")),
			json_string_value(json_object_get(a, "port")),
			json_string_value(json_object_get(b, "node")) ?: "?",
			json_string_value(json_object_get(b, "port")) ?: "?",
			json_object_get(c, "swap") ? " (a swap)" : ""));
	}
	json_array_foreach(json_object_get(rep, "unanswered"), i, c)
		json_array_append_new(failed, json_sprintf("unanswered %s",
			json_string_value(json_object_get(c, "node"))));
}

static json_t *check_cabling(struct lab *l)
{
	const char *argv[40];
	size_t n = agents_ctl_argv(l, argv, 36);
	json_t *failed = json_array(), *rep;
	struct ck_err err;
	struct sbuf out;
	int rc;

	if (!daemons_alive(l->st, NULL, "fabricd"))
		return json_pack("{s:b, s:b, s:i, s:o}", "ok", 1, "skipped", 1,
				 "expected", (int)l->t->nlinks, "failed", failed);
	argv[n++] = "--json";
	argv[n++] = "cabling";
	argv[n] = NULL;
	sbuf_init(&out);
	rc = run_argv(argv, 120000, &out, &err);
	rep = out.s ? json_loads(out.s, 0, NULL) : NULL;
	if (rep)
		cabling_lines(rep, failed);
	else
		json_array_append_new(failed, json_sprintf("fabricctl cabling: "
			"%s", rc < 0 ? err.msg : out.s ? out.s : "no output"));
	json_decref(rep);
	sbuf_free(&out);
	return json_pack("{s:b, s:i, s:o}", "ok", rc == 0 &&
			 json_array_size(failed) == 0, "expected",
			 (int)l->t->nlinks, "failed", failed);
}

json_t *check_lab(struct lab *l)
{
	struct fib *fibs = fib_load_all(l);
	json_t *r, *paths;
	bool ok;

	r = json_pack("{s:s, s:o, s:o}", "lab", l->st->name, "sessions",
		      check_sessions(l), "reachability", check_reach(l));
	paths = check_paths(l, fibs);
	json_object_update(r, paths);
	json_decref(paths);
	json_object_set_new(r, "cabling", check_cabling(l));
	ok = json_is_true(json_object_get(json_object_get(r, "sessions"), "ok")) &&
	     json_is_true(json_object_get(json_object_get(r, "reachability"), "ok")) &&
	     json_is_true(json_object_get(json_object_get(r, "ecmp"), "ok")) &&
	     json_is_true(json_object_get(json_object_get(r, "valleyFree"), "ok")) &&
	     json_is_true(json_object_get(json_object_get(r, "cabling"), "ok"));
	json_object_set_new(r, "ok", json_boolean(ok));
	fib_free_all(l, fibs);
	return r;
}

static void print_part(const json_t *r, const char *key, const char *label,
		       const char *unit, FILE *out)
{
	const json_t *p = json_object_get(r, key), *f;
	const json_t *list = json_object_get(p, json_object_get(p, "missing") ?
							   "missing" : "failed");
	size_t i;

	fprintf(out, "%-13s %s  (%lld %s%s)\n", label,
		json_is_true(json_object_get(p, "ok")) ? "ok  " : "FAIL",
		json_integer_value(json_object_get(p, json_object_get(
			p, "pairs") ? "pairs" : "expected")), unit,
		json_array_size(list) ? ", problems below" : "");
	json_array_foreach(list, i, f)
		if (i < 20)
			fprintf(out, "    %s\n", json_string_value(f));
}

void check_print_text(const json_t *r, FILE *out)
{
	print_part(r, "sessions", "sessions", "expected", out);
	print_part(r, "reachability", "reachability", "server pairs", out);
	print_part(r, "ecmp", "ecmp", "server pairs", out);
	print_part(r, "valleyFree", "valley-free", "server pairs", out);
	print_part(r, "cabling", "cabling", json_is_true(json_object_get(
		json_object_get(r, "cabling"), "skipped")) ? "cables; skipped: "
		"no agents (--push direct)" : "cables (LLDP)", out);
	fprintf(out, "%s\n", json_is_true(json_object_get(r, "ok")) ?
				     "check: ok" : "check: FAILED");
}
