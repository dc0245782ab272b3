/* Properties of the expanded model on the shipped examples: what the issue
 * calls the proof that a bundle describes a buildable fabric. */
#include <arpa/inet.h>
#include <check.h>
#include <fnmatch.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "addr6.h"
#include "ctx.h"
#include "override.h"
#include "topo.h"
#include "xalloc.h"

/* "x.yaml" from examples/, "data/x.yaml" from tests/data/ */
static struct topo *load_example(const char *name)
{
	const char *top = getenv("top_srcdir");
	char *path = strncmp(name, "data/", 5) == 0 ?
		xasprintf("%s/tests/%s", top ? top : ".", name) :
		xasprintf("%s/examples/%s", top ? top : ".", name);
	struct ck_err err;
	struct topo *t = topo_load(path, &err);

	if (t == NULL)
		ck_abort_msg("%s: %s:%d:%d: %s", name, err.file, err.line,
			     err.col, err.msg);
	free(path);
	return t;
}

static const char *const examples[] = { "lab-small.yaml", "leaf-spine.yaml",
					"line-2pod.yaml", "data/superspine.yaml",
					"data/lab-static.yaml" };
#define NEXAMPLES (int)(sizeof(examples) / sizeof(examples[0]))

/* Each switch uses at most its model's usable ports, each number once. */
START_TEST(ports_within_model)
{
	struct topo *t = load_example(examples[_i]);
	uint32_t i, p;

	for (i = 0; i < t->nnodes; i++) {
		const struct topo_node *n = &t->nodes[i];
		const struct topo_model *m;
		char seen[1025] = { 0 };

		if (n->role == ROLE_SERVER)
			continue;
		m = &t->models[t->tiers[n->tier].model];
		ck_assert_uint_le(n->nports, m->nports);
		for (p = n->first_port; p < n->first_port + n->nports; p++) {
			int num = atoi(t->ports[p].name + 3);

			ck_assert_int_eq(strncmp(t->ports[p].name, "swp", 3),
					 0);
			ck_assert_int_ge(num, 1);
			ck_assert_int_le(num, (int)m->nports);
			ck_assert_msg(!seen[num], "%s: %s used twice",
				      n->name, t->ports[p].name);
			seen[num] = 1;
		}
	}
	topo_free(t);
}
END_TEST

/* Both ends of every link agree on each other and on the speed. */
START_TEST(link_ends_agree)
{
	struct topo *t = load_example(examples[_i]);
	uint32_t l;

	for (l = 0; l < t->nlinks; l++) {
		const struct topo_link *k = &t->links[l];
		const struct topo_port *a = &t->ports[k->a_port];
		const struct topo_port *b = &t->ports[k->b_port];

		ck_assert_uint_eq(a->link, l);
		ck_assert_uint_eq(b->link, l);
		ck_assert_uint_eq(a->peer_port, k->b_port);
		ck_assert_uint_eq(b->peer_port, k->a_port);
		ck_assert_uint_eq(a->speed_mbps, k->speed_mbps);
		ck_assert_uint_eq(b->speed_mbps, k->speed_mbps);
		ck_assert(a->up && !b->up);
		ck_assert_uint_ne(a->node, b->node);
	}
	topo_free(t);
}
END_TEST

/* Every server: exactly one link to each ToR of its rack, nothing else. */
START_TEST(servers_dual_homed)
{
	struct topo *t = load_example(examples[_i]);
	uint32_t i, p, tors = t->tiers[0].count;

	for (i = 0; i < t->nnodes; i++) {
		const struct topo_node *n = &t->nodes[i];
		uint32_t hit = 0;

		if (n->role != ROLE_SERVER)
			continue;
		ck_assert_uint_eq(n->nports, tors);
		for (p = n->first_port; p < n->first_port + n->nports; p++) {
			const struct topo_node *m =
				&t->nodes[t->ports[t->ports[p].peer_port].node];

			ck_assert_int_eq(m->role, ROLE_TOR);
			ck_assert_uint_eq(m->rack, n->rack);
			ck_assert_msg(!(hit & (1u << m->index)), "%s twice",
				      m->name);
			hit |= 1u << m->index;
		}
		ck_assert_uint_eq(hit, (1u << tors) - 1);
	}
	topo_free(t);
}
END_TEST

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Addresses unique and inside their pools; ASNs unique except spines
 * sharing one per plane (RFC 7938). */
START_TEST(addresses_and_asns)
{
	struct topo *t = load_example(examples[_i]);
	uint32_t *addr = xmalloc(t->nnodes * sizeof(uint32_t)), i;
	uint32_t *asn = xmalloc(t->nnodes * sizeof(uint32_t)), nasn = 0;

	for (i = 0; i < t->nnodes; i++) {
		const struct topo_node *n = &t->nodes[i];
		const struct topo_prefix *pool = n->role == ROLE_SERVER ?
			&t->pool_servers : &t->pool_loopbacks;
		uint32_t mask = ~(uint32_t)0 << (32 - pool->len);

		ck_assert_uint_eq(n->addr & mask, pool->addr);
		addr[i] = n->addr;
		if (n->tier == TOPO_NONE || !t->tiers[n->tier].asn_shared)
			asn[nasn++] = n->asn;
		ck_assert_uint_ge(n->asn, 4200000000u);
	}
	qsort(addr, t->nnodes, sizeof(uint32_t), cmp_u32);
	qsort(asn, nasn, sizeof(uint32_t), cmp_u32);
	for (i = 1; i < t->nnodes; i++)
		ck_assert_uint_ne(addr[i], addr[i - 1]);
	for (i = 1; i < nasn; i++)
		ck_assert_uint_ne(asn[i], asn[i - 1]);
	free(addr);
	free(asn);
	topo_free(t);
}
END_TEST

/* Spines of one plane share an ASN, other planes differ. */
START_TEST(spine_asn_per_plane)
{
	struct topo *t = load_example("line-2pod.yaml");
	uint32_t i, plane_asn[4] = { 0 };

	for (i = 0; i < t->nnodes; i++) {
		const struct topo_node *n = &t->nodes[i];

		if (n->role != ROLE_SPINE)
			continue;
		ck_assert_uint_lt(n->plane, 4);
		if (plane_asn[n->plane] == 0)
			plane_asn[n->plane] = n->asn;
		ck_assert_uint_eq(n->asn, plane_asn[n->plane]);
	}
	for (i = 1; i < 4; i++)
		ck_assert_uint_ne(plane_asn[i], plane_asn[i - 1]);
	topo_free(t);
}
END_TEST

/* The reference build: 2 x 7,200 servers, 948 switches, as examples/line-2pod.yaml. */
START_TEST(line_2pod_counts)
{
	struct topo *t = load_example("line-2pod.yaml");

	ck_assert_uint_eq(t->count_by_role[ROLE_SERVER], 14400);
	ck_assert_uint_eq(t->count_by_role[ROLE_TOR], 720);
	ck_assert_uint_eq(t->count_by_role[ROLE_LEAF], 144);
	ck_assert_uint_eq(t->count_by_role[ROLE_SPINE], 80);
	ck_assert_uint_eq(t->count_by_role[ROLE_BORDER], 4);
	ck_assert_uint_eq(t->nnodes - t->count_by_role[ROLE_SERVER], 948);
	topo_free(t);
}
END_TEST

/* Each tier's down:up capacity equals what the file declares. */
START_TEST(tier_ratios_as_declared)
{
	struct topo *t = load_example(examples[_i]);
	uint32_t i, p, checked = 0;

	for (i = 0; i < t->nnodes; i++) {
		const struct topo_node *n = &t->nodes[i];
		const struct topo_tier *tr;
		uint64_t up = 0, down = 0;

		if (n->tier == TOPO_NONE)
			continue;
		tr = &t->tiers[n->tier];
		if (tr->oversub_num == 0)
			continue;
		for (p = n->first_port; p < n->first_port + n->nports; p++)
			*(t->ports[p].up ? &up : &down) +=
				t->ports[p].speed_mbps;
		ck_assert_uint_eq(down * tr->oversub_den,
				  up * tr->oversub_num);
		checked++;
	}
	ck_assert_uint_gt(checked, 0);
	topo_free(t);
}
END_TEST

/* Node sets as bitsets, one row of nnodes bits per node. */
#define BIT(set, row, i, w) ((set)[(size_t)(row) * (w) + (i) / 64] >> ((i) % 64) & 1)

/* below[n]: every node reached from n going only down, computed here from
 * the ports alone, tier by tier, as the reference for the filters. */
static uint64_t *below_sets(const struct topo *t, size_t w)
{
	uint64_t *set = xcalloc((size_t)t->nnodes * w, sizeof(uint64_t));
	uint32_t k, i, p, j;

	for (k = 0; k < t->ntiers; k++)
		for (i = 0; i < t->nnodes; i++) {
			const struct topo_node *n = &t->nodes[i];

			if (n->tier != k)
				continue;
			for (p = n->first_port; p < n->first_port + n->nports; p++) {
				uint32_t m = t->ports[t->ports[p].peer_port].node;

				if (t->ports[p].up)
					continue;
				set[(size_t)i * w + m / 64] |= 1ull << (m % 64);
				for (j = 0; j < w; j++)
					set[(size_t)i * w + j] |= set[(size_t)m * w + j];
			}
		}
	return set;
}

struct pfx {
	uint32_t base, mask;
};

/* The "below" list of a render context as (base, mask) pairs; each entry
 * is a /32 or a block with hostsOnly ("ge 32"). Caller frees. */
static struct pfx *parse_list(const json_t *list, size_t *n)
{
	struct pfx *p = xcalloc(json_array_size(list) + 1, sizeof(*p));
	const json_t *e;
	size_t i;

	json_array_foreach(list, i, e) {
		unsigned o[4], len;

		ck_assert(sscanf(json_string_value(json_object_get(e, "prefix")),
				 "%u.%u.%u.%u/%u", &o[0], &o[1], &o[2], &o[3],
				 &len) == 5);
		ck_assert(json_is_true(json_object_get(e, "hostsOnly")) == (len < 32));
		p[i].base = o[0] << 24 | o[1] << 16 | o[2] << 8 | o[3];
		p[i].mask = len ? ~0u << (32 - len) : 0;
	}
	*n = json_array_size(list);
	return p;
}

/* Does the list admit the /32 of a? */
static bool admits(const struct pfx *p, size_t n, uint32_t a)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((a & p[i].mask) == p[i].base)
			return true;
	return false;
}

/* CK-BELOW of every switch admits exactly its own loopback, the loopbacks
 * of the switches below it and the server addresses of the racks whose
 * ToRs are below it (or that it is): nothing of another plane. */
START_TEST(below_filters_exact)
{
	struct topo *t = load_example(examples[_i]);
	size_t w = t->nnodes / 64 + 1;
	uint64_t *set = below_sets(t, w);
	bool *rack = xcalloc(t->nracks + 1, sizeof(*rack));
	uint32_t i, m, checked = 0;

	for (i = 0; i < t->nnodes; i++) {
		json_t *ctx;
		struct pfx *list;
		size_t nl;

		if (t->nodes[i].role == ROLE_SERVER)
			continue;
		ctx = ctx_node(t, i);
		list = parse_list(json_object_get(ctx, "below"), &nl);
		for (m = 0; m < t->nnodes; m++) {
			const struct topo_node *n = &t->nodes[m];
			bool want = m == i || BIT(set, i, m, w);

			if (n->role == ROLE_SERVER)
				continue;
			ck_assert_msg(admits(list, nl, n->addr) == want,
				      "%s: CK-BELOW %s %s", t->nodes[i].name,
				      want ? "lacks" : "admits", n->name);
			if (n->role == ROLE_TOR && want)
				rack[n->rack] = true;
			checked++;
		}
		for (m = 0; m < t->nracks; m++)
			ck_assert_msg(admits(list, nl, addr_rack_base(t, m) + 1) ==
				      rack[m] && admits(list, nl,
				      addr_rack_base(t, m) + t->rack_block - 1) == rack[m],
				      "%s: CK-BELOW %s rack %u", t->nodes[i].name,
				      rack[m] ? "lacks" : "admits", m);
		memset(rack, 0, t->nracks * sizeof(*rack));
		free(list);
		json_decref(ctx);
	}
	ck_assert_uint_gt(checked, 0);
	free(rack);
	free(set);
	topo_free(t);
}
END_TEST

/* Does an IPv6 list (render-context entries) admit the /128 addr? */
static bool admits6(const json_t *list, const char *addr)
{
	unsigned char a[16], p[16];
	char buf[64], *slash;
	const json_t *e;
	size_t i;
	unsigned len, b;

	ck_assert(inet_pton(AF_INET6, addr, a) == 1);
	json_array_foreach(list, i, e) {
		snprintf(buf, sizeof(buf), "%s",
			 json_string_value(json_object_get(e, "prefix")));
		slash = strchr(buf, '/');
		ck_assert_ptr_nonnull(slash);
		*slash = '\0';
		len = (unsigned)atoi(slash + 1);
		ck_assert(inet_pton(AF_INET6, buf, p) == 1);
		ck_assert(json_is_true(json_object_get(e, "hostsOnly")) ==
			  (len < 128));
		for (b = 0; b < len; b++)
			if ((a[b / 8] ^ p[b / 8]) & (0x80 >> (b % 8)))
				break;
		if (b == len)
			return true;
	}
	return false;
}

static const json_t *family_list(const json_t *ctx, size_t f, const char *k)
{
	return json_object_get(json_array_get(json_object_get(ctx, "families"),
					      f), k);
}

/* Dual-stack: every switch's IPv6 CK-BELOW, CK-RACK and CK-FABRIC admit
 * the /128 of exactly the nodes whose /32 the IPv4 lists admit. */
START_TEST(ipv6_lists_mirror_ipv4)
{
	static const char *const keys[] = { "below", "rackPrefixes",
					     "fabricPrefixes" };
	struct topo *t = load_example("lab-small-dualstack.yaml");
	char a6[ADDR6_STRLEN];
	uint32_t i, m, k, admitted = 0;

	ck_assert(t->dual_stack);
	for (i = 0; i < t->nnodes; i++) {
		json_t *ctx;

		if (t->nodes[i].role == ROLE_SERVER)
			continue;
		ctx = ctx_node(t, i);
		for (k = 0; k < 3; k++) {
			size_t nl;
			struct pfx *l4 = parse_list(family_list(ctx, 0, keys[k]),
						    &nl);

			for (m = 0; m < t->nnodes; m++) {
				bool v4 = admits(l4, nl, t->nodes[m].addr);

				addr6_node(t, &t->nodes[m], a6);
				ck_assert_msg(admits6(family_list(ctx, 1, keys[k]),
						      a6) == v4, "%s: %s %s",
					      t->nodes[i].name, keys[k], a6);
				admitted += v4;
			}
			free(l4);
		}
		json_decref(ctx);
	}
	ck_assert_uint_gt(admitted, 0);
	topo_free(t);
}
END_TEST

START_TEST(cover_exact)
{
	struct topo_prefix p[64];
	size_t n;

	n = addr_cover(0x0a000000, 0x0a0000ff, p, 64);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(p[0].len, 24);
	/* .1-.6 = .1/32 .2/31 .4/31 .6/32 */
	n = addr_cover(0x0a000001, 0x0a000006, p, 64);
	ck_assert_uint_eq(n, 4);
	ck_assert_uint_eq(p[0].addr, 0x0a000001);
	ck_assert_uint_eq(p[0].len, 32);
	ck_assert_uint_eq(p[1].addr, 0x0a000002);
	ck_assert_uint_eq(p[1].len, 31);
	ck_assert_uint_eq(p[2].addr, 0x0a000004);
	ck_assert_uint_eq(p[2].len, 31);
	ck_assert_uint_eq(p[3].addr, 0x0a000006);
	ck_assert_uint_eq(p[3].len, 32);
	/* the whole address space */
	n = addr_cover(0, 0xffffffff, p, 64);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(p[0].len, 0);
}
END_TEST

/* Parallel links: each leaf-to-superspine pair has `links` cables on
 * distinct ports, and spare ports are never used. */
START_TEST(parallel_links_and_spares)
{
	struct topo *t = load_example("data/superspine.yaml");
	uint32_t i, p, supers = 0;

	for (i = 0; i < t->nnodes; i++) {
		const struct topo_node *n = &t->nodes[i];

		if (n->role == ROLE_SUPERSPINE) {
			/* 3 pods x 1 pod spine of its plane x 2 links */
			ck_assert_uint_eq(n->nports, 6);
			supers++;
		}
		if (n->role != ROLE_TOR)
			continue;
		for (p = n->first_port; p < n->first_port + n->nports; p++)
			if (t->ports[p].up)	/* swp9-10 up, 11-12 spare */
				ck_assert(strcmp(t->ports[p].name, "swp9") ==
						  0 ||
					  strcmp(t->ports[p].name, "swp10") ==
						  0);
	}
	ck_assert_uint_eq(supers, 4);
	topo_free(t);
}
END_TEST

START_TEST(find_node)
{
	struct topo *t = load_example("lab-small.yaml");
	uint32_t i;

	for (i = 0; i < t->nnodes; i++)
		ck_assert_uint_eq(topo_find_node(t, t->nodes[i].name), i);
	ck_assert_uint_eq(topo_find_node(t, "no-such-node"), TOPO_NONE);
	topo_free(t);
}
END_TEST

/* allow-partitioned: true takes a fabric in which no tier joins the pods
 * (tests/invalid/partitioned.yaml is the same file without it). */
START_TEST(partitioned_when_allowed)
{
	struct topo *t = load_example("data/partitioned.yaml");
	uint32_t l;

	ck_assert(t->allow_partitioned);
	for (l = 0; l < t->nlinks; l++) {
		const struct topo_node *a =
			&t->nodes[t->ports[t->links[l].a_port].node];
		const struct topo_node *b =
			&t->nodes[t->ports[t->links[l].b_port].node];

		ck_assert_uint_eq(a->pod, b->pod);
	}
	topo_free(t);
}
END_TEST

static int mark(void *arg, uint32_t node)
{
	((char *)arg)[node] = 1;
	return 0;
}

/* The indexed matcher finds exactly what fnmatch(3) over every name
 * finds: exact names, globs with a literal prefix, with none, classes
 * and escapes. */
START_TEST(override_matching)
{
	static const char *const pats[] = {
		"spine-p2-07", "pod1-r017-*", "pod2-c0?-leaf[13]", "*-s40",
		"[p]od1-r001-s0*", "pod1-r00\1-tor1", "pod1-r001-tor", "pod3*",
		"", "*", "spine-p4-2?", "pod2-r180-s40" };
	struct topo *t = load_example("line-2pod.yaml");
	char *seen = xcalloc(t->nnodes, 1);
	size_t k;

	for (k = 0; k < sizeof(pats) / sizeof(pats[0]); k++) {
		struct topo_override o = { .match = pats[k] };
		uint32_t i, matched, want = 0;

		memset(seen, 0, t->nnodes);
		ck_assert_int_eq(override_each(t, &o, mark, seen, &matched), 0);
		for (i = 0; i < t->nnodes; i++) {
			int m = fnmatch(pats[k], t->nodes[i].name, 0) == 0;

			ck_assert_msg(seen[i] == m, "%s on %s", pats[k],
				      t->nodes[i].name);
			want += (uint32_t)m;
		}
		ck_assert_uint_eq(matched, want);
	}
	free(seen);
	topo_free(t);
}
END_TEST

static Suite *topo_suite(void)
{
	Suite *s = suite_create("topo");
	TCase *props = tcase_create("properties");
	TCase *plan = tcase_create("plan");

	tcase_set_timeout(props, 60);
	tcase_add_loop_test(props, ports_within_model, 0, NEXAMPLES);
	tcase_add_loop_test(props, link_ends_agree, 0, NEXAMPLES);
	tcase_add_loop_test(props, servers_dual_homed, 0, NEXAMPLES);
	tcase_add_loop_test(props, addresses_and_asns, 0, NEXAMPLES);
	tcase_add_loop_test(props, tier_ratios_as_declared, 0, NEXAMPLES);
	tcase_add_test(props, spine_asn_per_plane);
	tcase_add_test(props, line_2pod_counts);
	tcase_add_loop_test(props, below_filters_exact, 0, NEXAMPLES);
	tcase_add_test(plan, cover_exact);
	tcase_add_test(plan, ipv6_lists_mirror_ipv4);
	tcase_add_test(plan, find_node);
	tcase_add_test(props, parallel_links_and_spares);
	tcase_add_test(props, partitioned_when_allowed);
	tcase_add_test(plan, override_matching);
	suite_add_tcase(s, props);
	suite_add_tcase(s, plan);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(topo_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
