/* Topology file -> the declared part of struct topo (fabric, pools, models,
 * pods, tiers, overrides). Expansion into nodes happens in expand.c. */
#include "load.h"

#include <stdio.h>
#include <string.h>

#include "addr6.h"
#include "asn.h"
#include "fsutil.h"
#include "xalloc.h"

#define MAX_COUNT 1000000u

static const char *const wiring_names[] = { "mesh", "plane", NULL };
static const char *const routing_names[] = { "bgp", "static", NULL };
static const char *const use_names[] = { "any", "down", "up", NULL };

static void set_loc(struct topo_loc *l, const ynode *n)
{
	ydoc_loc(n, &l->line, &l->col);
}

/* A name that ends up in hostnames, file names and FRR words. */
static int check_word(struct ydoc *d, ynode *n, const char *key,
		      const char *s, size_t max)
{
	size_t i, len = strlen(s);

	if (len == 0 || len > max)
		return ydoc_fail(d, n, "%s: '%s' must be 1 to %zu characters",
				 key, s, max);
	for (i = 0; i < len; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		      c == '.'))
			return ydoc_fail(d, n, "%s: '%s' may only contain "
					 "letters, digits, '-', '_' and '.'",
					 key, s);
	}
	return 0;
}

static int get_word(struct topo *t, struct ydoc *d, ynode *map,
		    const char *key, size_t max, const char **out)
{
	ynode *n;
	const char *s;

	if (ydoc_require(d, map, key, &n) < 0 ||
	    ydoc_str(d, n, key, &s) < 0 || check_word(d, n, key, s, max) < 0)
		return -1;
	*out = arena_strdup(&t->arena, s);
	return 0;
}

static int load_bfd(struct ydoc *d, ynode *n, uint32_t *interval,
		    uint32_t *mult)
{
	static const char *const keys[] = { "interval-ms", "multiplier",
					     NULL };

	if (ydoc_map(d, n, "bfd") < 0 || ydoc_keys(d, n, keys) < 0)
		return -1;
	if (ydoc_opt_uint(d, n, "interval-ms", 10, 60000, interval) < 0 ||
	    ydoc_opt_uint(d, n, "multiplier", 2, 255, mult) < 0)
		return -1;
	return 0;
}

static bool prefixes_overlap(const struct topo_prefix *a,
			     const struct topo_prefix *b)
{
	uint8_t len = a->len < b->len ? a->len : b->len;
	uint32_t mask = len ? ~(uint32_t)0 << (32 - len) : 0;

	return (a->addr & mask) == (b->addr & mask);
}

static int load_pool(struct ydoc *d, ynode *pools, const char *key,
		     struct topo_prefix *p)
{
	ynode *v;

	if (ydoc_require(d, pools, key, &v) < 0)
		return -1;
	set_loc(&p->loc, v);
	return ydoc_cidr(d, v, key, &p->addr, &p->len);
}

/* An address in two pools would belong to two nodes (a loopback that is
 * also a server's /32): every pool gets a prefix of its own. */
static int check_pools(struct ydoc *d, ynode *pools, const char *const *keys,
		       struct topo_prefix *const *p)
{
	char a[16], b[16];
	size_t i, j;

	for (i = 0; keys[i]; i++)
		for (j = 0; j < i; j++)
			if (prefixes_overlap(p[i], p[j]))
				return ydoc_fail(d, ydoc_get(d, pools, keys[i]),
						 "pools.%s: %s/%u overlaps "
						 "pools.%s (%s/%u); an address "
						 "would belong to two nodes, "
						 "so give each pool a prefix "
						 "of its own", keys[i],
						 topo_ip4(p[i]->addr, a),
						 p[i]->len, keys[j],
						 topo_ip4(p[j]->addr, b),
						 p[j]->len);
	return 0;
}

static int load_pools(struct topo *t, struct ydoc *d, ynode *root)
{
	static const char *const keys[] = { "loopbacks", "servers", NULL };
	static const char *const allowed[] = { "loopbacks", "servers",
					       "loopbacks6", "servers6", NULL };
	struct topo_prefix *const pools[] = { &t->pool_loopbacks,
					      &t->pool_servers };
	ynode *n;
	size_t i;

	if (ydoc_require(d, root, "pools", &n) < 0 ||
	    ydoc_map(d, n, "pools") < 0 || ydoc_keys(d, n, allowed) < 0)
		return -1;
	for (i = 0; keys[i]; i++)
		if (load_pool(d, n, keys[i], pools[i]) < 0)
			return -1;
	return check_pools(d, n, keys, pools) < 0 ? -1
						   : addr6_load(t, d, n);
}

/* pre + key name the value: "asn." "tor" (a range), or "" "asn" (an
 * override). */
static int check_asns(struct ydoc *d, ynode *v, const char *pre,
		      const char *key, uint32_t lo, uint32_t hi)
{
	const char *what;
	uint32_t bad;

	if (!asn_reserved(lo, hi, &bad, &what))
		return 0;
	if (lo == hi)
		return ydoc_fail(d, v, "%s%s: ASN %u is %s and no BGP "
				 "speaker may use it; choose another ("
				 ASN_PRIVATE_HINT ")", pre, key, bad, what);
	return ydoc_fail(d, v, "%s%s: range %u-%u includes ASN %u, %s, "
			 "which no BGP speaker may use; choose a range without "
			 "it (" ASN_PRIVATE_HINT ")", pre, key, lo, hi, bad,
			 what);
}

static int load_asns(struct topo *t, struct ydoc *d, ynode *root)
{
	yaml_node_pair_t *p;
	ynode *n;
	uint32_t i = 0;

	if (ydoc_require(d, root, "asn", &n) < 0 || ydoc_map(d, n, "asn") < 0)
		return -1;
	t->nasns = (uint32_t)(n->data.mapping.pairs.top -
			      n->data.mapping.pairs.start);
	t->asns = arena_alloc(&t->arena, t->nasns * sizeof(*t->asns));
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
	     p++, i++) {
		ynode *k = yaml_document_get_node(&d->doc, p->key);
		ynode *v = yaml_document_get_node(&d->doc, p->value);
		struct topo_asnrange *r = &t->asns[i];
		const char *name;

		if (ydoc_str(d, k, "asn", &name) < 0 ||
		    ydoc_range(d, v, name, &r->lo, &r->hi) < 0 ||
		    check_asns(d, v, "asn.", name, r->lo, r->hi) < 0)
			return -1;
		r->tier = arena_strdup(&t->arena, name);
		set_loc(&r->loc, k);
	}
	return 0;
}

static int load_group(struct ydoc *d, ynode *n, struct topo_portgroup *g)
{
	static const char *const keys[] = { "count", "speed", "spare", "use",
					    NULL };
	ynode *v;
	int use = PORT_ANY;

	if (ydoc_map(d, n, "ports item") < 0 || ydoc_keys(d, n, keys) < 0)
		return -1;
	if (ydoc_require(d, n, "count", &v) < 0 ||
	    ydoc_uint(d, v, "count", 1, 1024, &g->count) < 0)
		return -1;
	if (ydoc_require(d, n, "speed", &v) < 0 ||
	    ydoc_speed(d, v, "speed", &g->speed_mbps) < 0)
		return -1;
	if (ydoc_opt_uint(d, n, "spare", 0, g->count, &g->spare) < 0)
		return -1;
	v = ydoc_get(d, n, "use");
	if (v && ydoc_enum(d, v, "use", use_names, &use) < 0)
		return -1;
	g->use = (enum topo_portuse)use;
	return 0;
}

static int load_model(struct topo *t, struct ydoc *d, ynode *k, ynode *n,
		      struct topo_model *m)
{
	static const char *const keys[] = { "ports", NULL };
	ynode *ports;
	const char *name;
	uint32_t i, nports = 1;

	if (ydoc_str(d, k, "models", &name) < 0 ||
	    check_word(d, k, "model name", name, 63) < 0)
		return -1;
	m->name = arena_strdup(&t->arena, name);
	set_loc(&m->loc, k);
	if (ydoc_map(d, n, name) < 0 || ydoc_keys(d, n, keys) < 0 ||
	    ydoc_require(d, n, "ports", &ports) < 0 ||
	    ydoc_seq(d, ports, "ports", &m->ngroups) < 0)
		return -1;
	if (m->ngroups == 0 || m->ngroups > TOPO_MAX_GROUPS)
		return ydoc_fail(d, ports, "ports: list 1 to %u port groups "
				 "({count: 48, speed: 10G})", TOPO_MAX_GROUPS);
	m->groups = arena_alloc(&t->arena, m->ngroups * sizeof(*m->groups));
	for (i = 0; i < m->ngroups; i++) {
		if (load_group(d, ydoc_item(d, ports, i), &m->groups[i]) < 0)
			return -1;
		m->groups[i].first_port = nports;
		nports += m->groups[i].count;
	}
	m->nports = nports - 1;
	return 0;
}

static int load_models(struct topo *t, struct ydoc *d, ynode *root)
{
	yaml_node_pair_t *p;
	ynode *n;
	uint32_t i = 0, j;

	if (ydoc_require(d, root, "models", &n) < 0 ||
	    ydoc_map(d, n, "models") < 0)
		return -1;
	t->nmodels = (uint32_t)(n->data.mapping.pairs.top -
				n->data.mapping.pairs.start);
	t->models = arena_alloc(&t->arena, t->nmodels * sizeof(*t->models));
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
	     p++, i++) {
		ynode *k = yaml_document_get_node(&d->doc, p->key);

		if (load_model(t, d, k, yaml_document_get_node(&d->doc,
							       p->value),
			       &t->models[i]) < 0)
			return -1;
		for (j = 0; j < i; j++)
			if (strcmp(t->models[j].name, t->models[i].name) == 0)
				return ydoc_fail(d, k, "model '%s' defined "
						 "twice; rename one",
						 t->models[i].name);
	}
	return 0;
}

/* An interface name (IFNAMSIZ: 15 characters) that ends up in node.json,
 * cabling.csv and FRR `interface` lines, once per server. */
static int check_uplink(struct topo *t, struct ydoc *d, ynode *it,
			uint32_t i, const char *s)
{
	uint32_t j;

	if (check_word(d, it, "uplinks", s, 15) < 0)
		return -1;
	if (strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return ydoc_fail(d, it, "uplinks: '%s' is not an interface "
				 "name; use the server's NIC names, such as "
				 "eth0", s);
	for (j = 0; j < i; j++)
		if (strcmp(t->uplinks[j], s) == 0)
			return ydoc_fail(d, it, "uplinks: '%s' is listed "
					 "twice (items %u and %u); each uplink "
					 "goes to its own ToR, so list each "
					 "interface once", s, j + 1, i + 1);
	return 0;
}

static int load_servers(struct topo *t, struct ydoc *d, ynode *root)
{
	static const char *const keys[] = { "routing", "uplinks", "speed",
					    NULL };
	ynode *n = ydoc_get(d, root, "servers"), *v;
	uint32_t i;
	int mode = HOST_BGP;

	t->uplinks[0] = "eth0";
	t->uplinks[1] = "eth1";
	t->nuplinks = 2;
	t->server_speed_mbps = 10000;
	if (n == NULL)
		return 0;
	if (ydoc_map(d, n, "servers") < 0 || ydoc_keys(d, n, keys) < 0)
		return -1;
	v = ydoc_get(d, n, "routing");
	if (v && ydoc_enum(d, v, "routing", routing_names, &mode) < 0)
		return -1;
	t->host_routing = (enum topo_hostmode)mode;
	if (ydoc_opt_speed(d, n, "speed", &t->server_speed_mbps) < 0)
		return -1;
	v = ydoc_get(d, n, "uplinks");
	if (v == NULL)
		return 0;
	if (ydoc_seq(d, v, "uplinks", &t->nuplinks) < 0)
		return -1;
	if (t->nuplinks == 0 || t->nuplinks > 8)
		return ydoc_fail(d, v, "uplinks: list 1 to 8 interface "
				 "names, one per ToR of a rack");
	for (i = 0; i < t->nuplinks; i++) {
		ynode *it = ydoc_item(d, v, i);
		const char *s;

		if (ydoc_str(d, it, "uplinks", &s) < 0 ||
		    check_uplink(t, d, it, i, s) < 0)
			return -1;
		t->uplinks[i] = arena_strdup(&t->arena, s);
	}
	return 0;
}

static int load_pod(struct topo *t, struct ydoc *d, ynode *n,
		    struct topo_pod *p, bool need_name)
{
	p->racks_per_cluster = 0;
	p->server_speed_mbps = t->server_speed_mbps;
	if (need_name && get_word(t, d, n, "name", 32, &p->name) < 0)
		return -1;
	set_loc(&p->loc, n);
	set_loc(&p->name_loc, ydoc_get(d, n, "name") ? ydoc_get(d, n, "name")
						       : n);
	if (ydoc_opt_uint(d, n, "racks", 1, MAX_COUNT, &p->racks) < 0 ||
	    ydoc_opt_uint(d, n, "servers-per-rack", 1, 4096,
			  &p->servers_per_rack) < 0 ||
	    ydoc_opt_uint(d, n, "racks-per-cluster", 1, MAX_COUNT,
			  &p->racks_per_cluster) < 0 ||
	    ydoc_opt_speed(d, n, "server-speed", &p->server_speed_mbps) < 0)
		return -1;
	if (p->racks == 0 || p->servers_per_rack == 0)
		return ydoc_fail(d, n, "pod: missing required key '%s'; add "
				 "it (see fabric-topology(5))",
				 p->racks ? "servers-per-rack" : "racks");
	if (p->racks_per_cluster == 0)
		p->racks_per_cluster = p->racks;
	if (p->racks % p->racks_per_cluster)
		return ydoc_fail(d, ydoc_get(d, n, "racks-per-cluster"),
				 "uneven fan-out: %u racks do not divide into "
				 "clusters of %u; make racks a multiple of "
				 "racks-per-cluster", p->racks,
				 p->racks_per_cluster);
	return 0;
}

/* pods: either a list of pods, or one mapping with `count` for N alike. */
static int load_pods(struct topo *t, struct ydoc *d, ynode *root)
{
	static const char *const item_keys[] = {
		"name", "racks", "servers-per-rack", "racks-per-cluster",
		"server-speed", NULL };
	static const char *const many_keys[] = {
		"count", "name", "racks", "servers-per-rack",
		"racks-per-cluster", "server-speed", NULL };
	ynode *n;
	uint32_t i, j;

	if (ydoc_require(d, root, "pods", &n) < 0)
		return -1;
	if (n->type == YAML_MAPPING_NODE) {
		const char *prefix = "pod";

		if (ydoc_keys(d, n, many_keys) < 0 ||
		    ydoc_opt_uint(d, n, "count", 1, 4096, &t->npods) < 0 ||
		    ydoc_opt_str(d, n, "name", &prefix) < 0 ||
		    check_word(d, n, "name", prefix, 24) < 0)
			return -1;
		if (t->npods == 0)
			t->npods = 1;
		t->pods = arena_alloc(&t->arena, t->npods * sizeof(*t->pods));
		for (i = 0; i < t->npods; i++) {
			if (load_pod(t, d, n, &t->pods[i], false) < 0)
				return -1;
			t->pods[i].name = arena_printf(&t->arena, "%s%u",
						       prefix, i + 1);
		}
		return 0;
	}
	if (ydoc_seq(d, n, "pods", &t->npods) < 0)
		return -1;
	if (t->npods == 0)
		return ydoc_fail(d, n, "pods: list at least one pod");
	t->pods = arena_alloc(&t->arena, t->npods * sizeof(*t->pods));
	for (i = 0; i < t->npods; i++) {
		ynode *it = ydoc_item(d, n, i);

		if (ydoc_map(d, it, "pods item") < 0 ||
		    ydoc_keys(d, it, item_keys) < 0 ||
		    load_pod(t, d, it, &t->pods[i], true) < 0)
			return -1;
		for (j = 0; j < i; j++)
			if (strcmp(t->pods[j].name, t->pods[i].name) == 0)
				return ydoc_fail(d, it, "duplicate pod name "
						 "'%s'; pod names must be "
						 "unique", t->pods[i].name);
	}
	return 0;
}

static int find_model(struct topo *t, struct ydoc *d, ynode *v,
		      uint32_t *out)
{
	const char *s;
	uint32_t i;

	if (ydoc_str(d, v, "model", &s) < 0)
		return -1;
	for (i = 0; i < t->nmodels; i++)
		if (strcmp(t->models[i].name, s) == 0) {
			*out = i;
			return 0;
		}
	return ydoc_fail(d, v, "model: '%s' is not defined under 'models'; "
			 "define it or fix the name", s);
}

static int load_tier_enums(struct ydoc *d, ynode *n, struct topo_tier *tr)
{
	ynode *v;
	int x;

	if (ydoc_require(d, n, "role", &v) < 0 ||
	    ydoc_enum(d, v, "role", topo_role_names, &x) < 0)
		return -1;
	if (x == ROLE_SERVER)
		return ydoc_fail(d, v, "role: servers are not a tier; "
				 "describe them under 'pods'");
	tr->role = (enum topo_role)x;
	x = tr->role == ROLE_TOR ? SCOPE_RACK : SCOPE_FABRIC;
	v = ydoc_get(d, n, "scope");
	if (v && ydoc_enum(d, v, "scope", topo_scope_names, &x) < 0)
		return -1;
	tr->scope = (enum topo_scope)x;
	x = WIRING_MESH;
	v = ydoc_get(d, n, "wiring");
	if (v && ydoc_enum(d, v, "wiring", wiring_names, &x) < 0)
		return -1;
	tr->wiring = (enum topo_wiring)x;
	tr->asn_shared = tr->role == ROLE_SPINE ||
			 tr->role == ROLE_SUPERSPINE;
	v = ydoc_get(d, n, "asn-shared");
	if (v && ydoc_bool(d, v, "asn-shared", &tr->asn_shared) < 0)
		return -1;
	v = ydoc_get(d, n, "originate-default");
	if (v && ydoc_bool(d, v, "originate-default",
			   &tr->originate_default) < 0)
		return -1;
	return 0;
}

/* "2:1" (down:up capacity) */
static int load_ratio(struct ydoc *d, ynode *v, uint32_t *num, uint32_t *den)
{
	const char *s;
	unsigned a, b;
	char tail;

	if (ydoc_str(d, v, "oversubscription", &s) < 0)
		return -1;
	if (sscanf(s, "%u:%u%c", &a, &b, &tail) != 2 || a == 0 || b == 0)
		return ydoc_fail(d, v, "oversubscription: expected a ratio "
				 "down:up such as 1:1 or 3:1, got '%s'", s);
	*num = a;
	*den = b;
	return 0;
}

static int load_tier(struct topo *t, struct ydoc *d, ynode *n,
		     struct topo_tier *tr)
{
	static const char *const keys[] = {
		"name", "role", "model", "scope", "count", "planes", "wiring",
		"links", "speed", "asn-shared", "originate-default", "naming",
		"oversubscription", NULL };
	ynode *v;

	if (ydoc_map(d, n, "tiers item") < 0 || ydoc_keys(d, n, keys) < 0 ||
	    get_word(t, d, n, "name", 24, &tr->name) < 0 ||
	    load_tier_enums(d, n, tr) < 0)
		return -1;
	set_loc(&tr->loc, n);
	if (ydoc_require(d, n, "model", &v) < 0 ||
	    find_model(t, d, v, &tr->model) < 0)
		return -1;
	set_loc(&tr->model_loc, v);
	if (ydoc_require(d, n, "count", &v) < 0 ||
	    ydoc_uint(d, v, "count", 1, MAX_COUNT, &tr->count) < 0)
		return -1;
	set_loc(&tr->count_loc, v);
	tr->planes = 1;
	tr->links = 1;
	if (ydoc_opt_uint(d, n, "planes", 1, 1024, &tr->planes) < 0 ||
	    ydoc_opt_uint(d, n, "links", 1, 64, &tr->links) < 0 ||
	    ydoc_opt_speed(d, n, "speed", &tr->speed_mbps) < 0 ||
	    ydoc_opt_str(d, n, "naming", &tr->naming) < 0)
		return -1;
	if (tr->naming)
		tr->naming = arena_strdup(&t->arena, tr->naming);
	set_loc(&tr->name_loc, ydoc_get(d, n, "name"));
	set_loc(&tr->naming_loc, ydoc_get(d, n, "naming"));
	v = ydoc_get(d, n, "oversubscription");
	if (v && load_ratio(d, v, &tr->oversub_num, &tr->oversub_den) < 0)
		return -1;
	if (ydoc_get(d, n, "planes") && tr->scope != SCOPE_PLANE)
		return ydoc_fail(d, ydoc_get(d, n, "planes"), "planes: only "
				 "meaningful with 'scope: plane'");
	return 0;
}

static int check_tier_order(struct topo *t, struct ydoc *d, ynode *seq)
{
	uint32_t i, j;

	for (i = 0; i < t->ntiers; i++) {
		ynode *n = ydoc_item(d, seq, i);
		struct topo_tier *tr = &t->tiers[i];

		if ((i == 0) != (tr->role == ROLE_TOR) ||
		    (i == 0) != (tr->scope == SCOPE_RACK))
			return ydoc_fail(d, n, "tiers: the first tier must be "
					 "the ToR tier (role: tor, scope: "
					 "rack) and only it");
		for (j = 0; j < i; j++)
			if (strcmp(t->tiers[j].name, tr->name) == 0 ||
			    strcmp(tr->name, "server") == 0)
				return ydoc_fail(d, n, "tiers: name '%s' used "
						 "twice (or reserved); rename "
						 "it", tr->name);
	}
	return 0;
}

static int load_tiers(struct topo *t, struct ydoc *d, ynode *root)
{
	ynode *n;
	uint32_t i;

	if (ydoc_require(d, root, "tiers", &n) < 0 ||
	    ydoc_seq(d, n, "tiers", &t->ntiers) < 0)
		return -1;
	if (t->ntiers < 2)
		return ydoc_fail(d, n, "tiers: need the ToR tier and at "
				 "least one tier above it");
	t->tiers = arena_alloc(&t->arena, t->ntiers * sizeof(*t->tiers));
	for (i = 0; i < t->ntiers; i++)
		if (load_tier(t, d, ydoc_item(d, n, i), &t->tiers[i]) < 0)
			return -1;
	return check_tier_order(t, d, n);
}

/* An override that sets nothing (only `match`, or an empty `bfd`) is a
 * mistake: it would match nodes and change none. */
static int check_override_sets(struct ydoc *d, ynode *n,
			       const struct topo_override *o)
{
	ynode *bfd = ydoc_get(d, n, "bfd");

	if (bfd && o->bfd_interval_ms == 0 && o->bfd_multiplier == 0)
		return ydoc_fail(d, bfd, "bfd: sets nothing; give "
				 "interval-ms and/or multiplier, or remove "
				 "it");
	if (o->mtu == 0 && o->asn == 0 && o->routing < 0 && bfd == NULL)
		return ydoc_fail(d, n, "overrides: match '%s' sets nothing; "
				 "add mtu, bfd, asn or routing, or remove the "
				 "override", o->match);
	return 0;
}

static int load_override(struct topo *t, struct ydoc *d, ynode *n,
			 struct topo_override *o)
{
	static const char *const keys[] = { "match", "mtu", "bfd", "asn",
					    "routing", NULL };
	ynode *v;
	const char *s;
	int mode;

	if (ydoc_map(d, n, "overrides item") < 0 ||
	    ydoc_keys(d, n, keys) < 0 || ydoc_require(d, n, "match", &v) < 0 ||
	    ydoc_str(d, v, "match", &s) < 0)
		return -1;
	o->match = arena_strdup(&t->arena, s);
	o->routing = -1;
	set_loc(&o->loc, n);
	set_loc(&o->routing_loc, ydoc_get(d, n, "routing"));
	if (ydoc_opt_uint(d, n, "mtu", 1280, 65535, &o->mtu) < 0 ||
	    ydoc_opt_uint(d, n, "asn", 1, UINT32_MAX, &o->asn) < 0 ||
	    (o->asn && check_asns(d, ydoc_get(d, n, "asn"), "", "asn",
				  o->asn, o->asn) < 0))
		return -1;
	v = ydoc_get(d, n, "bfd");
	if (v && load_bfd(d, v, &o->bfd_interval_ms, &o->bfd_multiplier) < 0)
		return -1;
	v = ydoc_get(d, n, "routing");
	if (v) {
		if (ydoc_enum(d, v, "routing", routing_names, &mode) < 0)
			return -1;
		o->routing = mode;
	}
	return check_override_sets(d, n, o);
}

static int load_overrides(struct topo *t, struct ydoc *d, ynode *root)
{
	ynode *n = ydoc_get(d, root, "overrides");
	uint32_t i;

	if (n == NULL)
		return 0;
	if (ydoc_seq(d, n, "overrides", &t->noverrides) < 0)
		return -1;
	t->overrides = arena_alloc(&t->arena,
				   t->noverrides * sizeof(*t->overrides));
	for (i = 0; i < t->noverrides; i++)
		if (load_override(t, d, ydoc_item(d, n, i),
				  &t->overrides[i]) < 0)
			return -1;
	return 0;
}

static int load_fabric(struct topo *t, struct ydoc *d, ynode *root)
{
	static const char *const keys[] = {
		"fabric", "generation", "mtu", "bfd", "pools", "asn",
		"models", "servers", "pods", "tiers", "overrides",
		"allow-partitioned", NULL };
	ynode *v;

	if (ydoc_map(d, root, "top level") < 0 ||
	    ydoc_keys(d, root, keys) < 0 ||
	    get_word(t, d, root, "fabric", 63, &t->name) < 0)
		return -1;
	t->generation = 1;
	t->mtu = 9216;
	t->bfd_interval_ms = 300;
	t->bfd_multiplier = 3;
	if (ydoc_opt_uint(d, root, "generation", 1, UINT32_MAX - 1,
			  &t->generation) < 0 ||
	    ydoc_opt_uint(d, root, "mtu", 1280, 65535, &t->mtu) < 0)
		return -1;
	v = ydoc_get(d, root, "bfd");
	if (v && load_bfd(d, v, &t->bfd_interval_ms, &t->bfd_multiplier) < 0)
		return -1;
	v = ydoc_get(d, root, "allow-partitioned");
	if (v && ydoc_bool(d, v, "allow-partitioned",
			   &t->allow_partitioned) < 0)
		return -1;
	return 0;
}

int topo_load_spec(struct topo *t, const char *buf, size_t len,
		   struct ck_err *err)
{
	struct ydoc d;
	ynode *root;
	int rc = -1;

	if (ydoc_load(&d, t->file, buf, len, err) < 0)
		return -1;
	root = ydoc_root(&d);
	if (load_fabric(t, &d, root) == 0 && load_pools(t, &d, root) == 0 &&
	    load_asns(t, &d, root) == 0 && load_models(t, &d, root) == 0 &&
	    load_servers(t, &d, root) == 0 && load_pods(t, &d, root) == 0 &&
	    load_tiers(t, &d, root) == 0 && load_overrides(t, &d, root) == 0)
		rc = 0;
	ydoc_free(&d);
	return rc;
}
