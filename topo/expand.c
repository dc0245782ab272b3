/* Declared topology -> flat model: nodes, links, ports, ASNs, addresses.
 * Everything is validated here before any output exists. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "asn.h"
#include "conn.h"
#include "expand.h"
#include "nodename.h"
#include "override.h"
#include "sbuf.h"
#include "xalloc.h"

struct expand {
	struct topo *t;
	struct ck_err *err;
	/* node ids of each tier, in creation order (instance by instance) */
	uint32_t **tier_nodes;
	uint32_t *tier_len;
	/* links as (lower node, upper node) before ports exist */
	uint32_t *la, *lb;
	size_t nl, lcap;
	size_t ncap;
};

static int fail_at(struct expand *x, const struct topo_loc *l,
		   const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int fail_at(struct expand *x, const struct topo_loc *l,
		   const char *fmt, ...)
{
	char msg[sizeof(x->err->msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ck_err_set(x->err, x->t->file, l ? l->line : 0, l ? l->col : 0, "%s",
		   msg);
	return -1;
}

/* ---- nodes ---- */

static uint32_t scope_instances(const struct topo *t,
				const struct topo_tier *tr)
{
	switch (tr->scope) {
	case SCOPE_RACK:
		return t->nracks;
	case SCOPE_CLUSTER:
		return t->nclusters;
	case SCOPE_POD:
		return t->npods;
	case SCOPE_PLANE:
		return tr->planes;
	default:
		return 1;
	}
}

static struct topo_node *node_add(struct expand *x, enum topo_role role,
				  uint32_t tier)
{
	struct topo *t = x->t;
	struct topo_node *n;

	t->nodes = xgrow(t->nodes, &x->ncap, t->nnodes + 1, sizeof(*n));
	n = &t->nodes[t->nnodes];
	memset(n, 0, sizeof(*n));
	n->role = role;
	n->tier = tier;
	n->pod = n->cluster = n->plane = n->rack = TOPO_NONE;
	n->mtu = t->mtu;
	n->bfd_interval_ms = t->bfd_interval_ms;
	n->bfd_multiplier = t->bfd_multiplier;
	n->routing = t->host_routing;
	if (tier != TOPO_NONE) {
		uint32_t *len = &x->tier_len[tier];

		x->tier_nodes[tier][(*len)++] = t->nnodes;
	}
	t->nnodes++;
	t->count_by_role[role]++;
	return n;
}

static void add_tier_nodes(struct expand *x, uint32_t k, uint32_t pod,
			   uint32_t cluster, uint32_t rack, uint32_t plane)
{
	const struct topo_tier *tr = &x->t->tiers[k];
	uint32_t i;

	for (i = 0; i < tr->count; i++) {
		struct topo_node *n = node_add(x, tr->role, k);

		n->pod = pod;
		n->cluster = cluster;
		n->rack = rack;
		n->plane = plane;
		n->index = i;
	}
}

static void add_rack(struct expand *x, uint32_t p, uint32_t c, uint32_t r)
{
	const struct topo_pod *pod = &x->t->pods[p];
	uint32_t i;

	add_tier_nodes(x, 0, p, c, r, TOPO_NONE);
	for (i = 0; i < pod->servers_per_rack; i++) {
		struct topo_node *n = node_add(x, ROLE_SERVER, TOPO_NONE);

		n->pod = p;
		n->cluster = c;
		n->rack = r;
		n->index = i;
	}
}

/* Hierarchical order (pod, cluster, rack) so that everything below one
 * switch occupies a contiguous span of addresses. */
static void add_pod(struct expand *x, uint32_t p)
{
	struct topo *t = x->t;
	const struct topo_pod *pod = &t->pods[p];
	uint32_t nc = pod->racks / pod->racks_per_cluster, c, r, k;

	for (c = 0; c < nc; c++) {
		uint32_t gc = pod->first_cluster + c;

		for (r = 0; r < pod->racks_per_cluster; r++)
			add_rack(x, p, gc,
				 pod->first_rack + c * pod->racks_per_cluster +
					 r);
		for (k = 1; k < t->ntiers; k++)
			if (t->tiers[k].scope == SCOPE_CLUSTER)
				add_tier_nodes(x, k, p, gc, TOPO_NONE,
					       TOPO_NONE);
	}
	for (k = 1; k < t->ntiers; k++)
		if (t->tiers[k].scope == SCOPE_POD)
			add_tier_nodes(x, k, p, TOPO_NONE, TOPO_NONE,
				       TOPO_NONE);
}

static void add_shared(struct expand *x)
{
	struct topo *t = x->t;
	uint32_t k, pl;

	for (k = 1; k < t->ntiers; k++) {
		const struct topo_tier *tr = &t->tiers[k];

		if (tr->scope == SCOPE_PLANE)
			for (pl = 0; pl < tr->planes; pl++)
				add_tier_nodes(x, k, TOPO_NONE, TOPO_NONE,
					       TOPO_NONE, pl);
		else if (tr->scope == SCOPE_FABRIC)
			add_tier_nodes(x, k, TOPO_NONE, TOPO_NONE, TOPO_NONE,
				       TOPO_NONE);
	}
}

static int count_layout(struct expand *x)
{
	struct topo *t = x->t;
	uint32_t p, k;
	uint64_t total = 0;

	for (p = 0; p < t->npods; p++) {
		struct topo_pod *pod = &t->pods[p];

		pod->first_rack = t->nracks;
		pod->first_cluster = t->nclusters;
		t->nracks += pod->racks;
		t->nclusters += pod->racks / pod->racks_per_cluster;
		total += (uint64_t)pod->racks * pod->servers_per_rack;
	}
	x->tier_nodes = xcalloc(t->ntiers, sizeof(*x->tier_nodes));
	x->tier_len = xcalloc(t->ntiers, sizeof(*x->tier_len));
	for (k = 0; k < t->ntiers; k++) {
		uint64_t n = (uint64_t)scope_instances(t, &t->tiers[k]) *
			     t->tiers[k].count;

		total += n;
		if (total > TOPO_MAX_NODES)
			return fail_at(x, &t->tiers[k].count_loc,
				       "the fabric would have more than %u "
				       "nodes; closkit's limit (see "
				       "fabric-topology(5))", TOPO_MAX_NODES);
		x->tier_nodes[k] = xcalloc(n ? n : 1, sizeof(uint32_t));
	}
	return 0;
}

static int check_scopes(struct expand *x)
{
	struct topo *t = x->t;
	uint32_t k;

	for (k = 1; k < t->ntiers; k++) {
		const struct topo_tier *tr = &t->tiers[k];
		const struct topo_tier *lo = &t->tiers[k - 1];

		if (tr->scope == SCOPE_RACK)
			return fail_at(x, &tr->loc, "tier '%s': only the ToR "
				       "tier has scope rack; use cluster, "
				       "pod, plane or fabric", tr->name);
		if (tr->scope < lo->scope)
			return fail_at(x, &tr->loc, "tier '%s' (scope %s) "
				       "sits above '%s' (scope %s) but is "
				       "narrower; a tier's scope must be at "
				       "least that of the tier below", tr->name,
				       topo_scope_name(tr->scope), lo->name,
				       topo_scope_name(lo->scope));
	}
	return 0;
}

/* ---- names ---- */

#define NAME_RULE "a node name is one host-name label: lower-case " \
		  "letters, digits and '-', 1 to 63 characters"

static void fmt_num(struct sbuf *b, const char **pp, uint32_t v)
{
	const char *p = *pp;
	int width = 0;

	if (*p == ':') {
		p++;
		while (*p >= '0' && *p <= '9')
			width = width * 10 + (*p++ - '0');
	}
	sbuf_addf(b, "%0*u", width, v);
	*pp = p;
}

static int name_field(struct expand *x, const struct topo_node *n,
		      const char *f, size_t flen, const char **rest,
		      struct sbuf *b)
{
	const struct topo *t = x->t;
	const struct topo_pod *pod = n->pod != TOPO_NONE ? &t->pods[n->pod]
							  : NULL;

	if (flen == 4 && memcmp(f, "tier", 4) == 0 && n->tier != TOPO_NONE)
		sbuf_adds(b, t->tiers[n->tier].name);
	else if (flen == 3 && memcmp(f, "pod", 3) == 0 && pod)
		sbuf_adds(b, pod->name);
	else if (flen == 4 && memcmp(f, "rack", 4) == 0 && pod &&
		 n->rack != TOPO_NONE)
		fmt_num(b, rest, n->rack - pod->first_rack + 1);
	else if (flen == 7 && memcmp(f, "cluster", 7) == 0 && pod &&
		 n->cluster != TOPO_NONE)
		fmt_num(b, rest, n->cluster - pod->first_cluster + 1);
	else if (flen == 5 && memcmp(f, "plane", 5) == 0 &&
		 n->plane != TOPO_NONE)
		fmt_num(b, rest, n->plane + 1);
	else if (flen == 5 && memcmp(f, "index", 5) == 0)
		fmt_num(b, rest, n->index + 1);
	else
		return -1;
	return 0;
}

static const char *default_naming(const struct topo_node *n,
				  const struct topo_tier *tr)
{
	if (tr == NULL)
		return "{pod}-r{rack:03}-s{index:02}";
	switch (tr->scope) {
	case SCOPE_RACK:
		return "{pod}-r{rack:03}-{tier}{index}";
	case SCOPE_CLUSTER:
		return "{pod}-c{cluster:02}-{tier}{index}";
	case SCOPE_POD:
		return "{pod}-{tier}{index:02}";
	case SCOPE_PLANE:
		return "{tier}-p{plane}-{index:02}";
	default:
		(void)n;
		return "{tier}{index:02}";
	}
}

/* The pod or tier name (what) that a node name includes is not a valid
 * name by itself. */
static int bad_part(struct expand *x, const struct topo_node *n,
		    const char *what, const char *part,
		    const struct topo_loc *loc)
{
	const char *why;

	ck_nodename_check(part, &why);
	return fail_at(x, loc, "name: %s name '%s' %s, so node name '%s' is "
		       "not a host name; rename the %s (" NAME_RULE ")", what,
		       part, why, n->name, what);
}

/* A generated name that is not a node name (ck_nodename_check): blame a
 * pod or tier name it includes that is not one by itself, else the
 * pattern. */
static int bad_name(struct expand *x, const struct topo_node *n,
		    const char *pattern, const char *why)
{
	const struct topo *t = x->t;
	const struct topo_tier *tr = n->tier != TOPO_NONE ?
					     &t->tiers[n->tier] : NULL;
	const struct topo_pod *pod = n->pod != TOPO_NONE ?
					     &t->pods[n->pod] : NULL;

	if (pod && strstr(pattern, "{pod}") &&
	    ck_nodename_check(pod->name, NULL) < 0)
		return bad_part(x, n, "pod", pod->name, &pod->name_loc);
	if (tr && strstr(pattern, "{tier}") &&
	    ck_nodename_check(tr->name, NULL) < 0)
		return bad_part(x, n, "tier", tr->name, &tr->name_loc);
	if (tr && tr->naming)
		return fail_at(x, &tr->naming_loc, "naming '%s': generated "
			       "name '%s' %s; change the pattern (" NAME_RULE
			       ")", pattern, n->name, why);
	return fail_at(x, tr ? &tr->loc : &pod->name_loc, "the default "
		       "naming '%s' gives '%s', which %s; shorten the pod "
		       "and tier names or set the tier's 'naming' ("
		       NAME_RULE ")", pattern, n->name, why);
}

static int name_node(struct expand *x, struct topo_node *n, struct sbuf *b)
{
	const struct topo_tier *tr = n->tier != TOPO_NONE ?
					     &x->t->tiers[n->tier] : NULL;
	const char *f = tr && tr->naming ? tr->naming : default_naming(n, tr);
	const char *p = f, *why;

	sbuf_reset(b);
	while (*p) {
		const char *end;

		if (*p != '{') {
			sbuf_addc(b, *p++);
			continue;
		}
		end = p + 1 + strcspn(p + 1, ":}");
		if (!*end || name_field(x, n, p + 1, (size_t)(end - p - 1), &end,
					b) < 0 || *end != '}')
			return fail_at(x, tr ? &tr->loc : NULL,
				       "naming '%s': bad or inapplicable "
				       "field at '%s'; use {pod} {cluster} "
				       "{rack} {plane} {index} {tier}, with "
				       "an optional width like {index:02}",
				       f, p);
		p = end + 1;
	}
	n->name = arena_strndup(&x->t->arena, b->s, b->len);
	if (ck_nodename_check(n->name, &why) < 0)
		return bad_name(x, n, f, why);
	return 0;
}

static int cmp_name(const void *a, const void *b, void *arg)
{
	const struct topo *t = arg;

	return strcmp(t->nodes[*(const uint32_t *)a].name,
		      t->nodes[*(const uint32_t *)b].name);
}

static int name_nodes(struct expand *x)
{
	struct topo *t = x->t;
	struct sbuf b;
	uint32_t i;

	sbuf_init(&b);
	for (i = 0; i < t->nnodes; i++)
		if (name_node(x, &t->nodes[i], &b) < 0) {
			sbuf_free(&b);
			return -1;
		}
	sbuf_free(&b);
	t->by_name = arena_alloc(&t->arena, t->nnodes * sizeof(uint32_t));
	for (i = 0; i < t->nnodes; i++)
		t->by_name[i] = i;
	qsort_r(t->by_name, t->nnodes, sizeof(uint32_t), cmp_name, t);
	for (i = 1; i < t->nnodes; i++) {
		const struct topo_node *n = &t->nodes[t->by_name[i]];

		if (strcmp(n->name, t->nodes[t->by_name[i - 1]].name) == 0)
			return fail_at(x, n->tier != TOPO_NONE ?
					       &t->tiers[n->tier].loc : NULL,
				       "duplicate node name '%s'; make the "
				       "'naming' patterns distinct (include "
				       "{index}, {rack}, {plane}...)", n->name);
	}
	return 0;
}

/* ---- wiring ---- */

static void link_add(struct expand *x, uint32_t lower, uint32_t upper)
{
	size_t cap = x->lcap;

	x->la = xgrow(x->la, &cap, x->nl + 1, sizeof(uint32_t));
	x->lb = xgrow(x->lb, &x->lcap, x->nl + 1, sizeof(uint32_t));
	x->la[x->nl] = lower;
	x->lb[x->nl] = upper;
	x->nl++;
}

static void wire_servers(struct expand *x)
{
	const struct topo *t = x->t;
	uint32_t i, j, tors = t->tiers[0].count;
	uint32_t *tor_of_rack = xcalloc((size_t)t->nracks * tors,
					sizeof(uint32_t));

	for (i = 0; i < x->tier_len[0]; i++) {
		const struct topo_node *n = &t->nodes[x->tier_nodes[0][i]];

		tor_of_rack[(size_t)n->rack * tors + n->index] =
			x->tier_nodes[0][i];
	}
	for (i = 0; i < t->nnodes; i++)
		if (t->nodes[i].role == ROLE_SERVER)
			for (j = 0; j < tors; j++)
				link_add(x, i,
					 tor_of_rack[(size_t)t->nodes[i].rack *
							     tors + j]);
	free(tor_of_rack);
}

static int wire_tier(struct expand *x, uint32_t k)
{
	const struct topo *t = x->t;
	const struct topo_tier *tr = &t->tiers[k], *lo = &t->tiers[k - 1];
	uint32_t i, j, l;

	if (tr->wiring == WIRING_PLANE &&
	    (tr->scope != SCOPE_PLANE || lo->count != tr->planes))
		return fail_at(x, &tr->loc, "tier '%s': uneven fan-out: "
			       "plane wiring connects node i of each '%s' "
			       "group to plane i, so it needs 'scope: plane' "
			       "and planes equal to the %u '%s' nodes per "
			       "group (has %u)", tr->name, lo->name,
			       lo->count, lo->name, tr->planes);
	for (i = 0; i < x->tier_len[k - 1]; i++) {
		uint32_t ln = x->tier_nodes[k - 1][i];
		const struct topo_node *n = &t->nodes[ln];
		uint32_t g = tr->wiring == WIRING_PLANE ? n->index
							: topo_scope_instance(n, tr->scope);

		if (g == TOPO_NONE)
			return fail_at(x, &tr->loc, "tier '%s': mesh wiring "
				       "within a %s needs the tier below to "
				       "belong to one; use 'wiring: plane' or "
				       "a wider scope", tr->name,
				       topo_scope_name(tr->scope));
		if (g >= scope_instances(t, tr))
			return fail_at(x, &tr->loc, "tier '%s': uneven "
				       "fan-out: %s of tier '%s' is in %s %u "
				       "but '%s' has only %u; give both tiers "
				       "the same number of %ss", tr->name,
				       n->name, lo->name,
				       topo_scope_name(tr->scope), g + 1,
				       tr->name, scope_instances(t, tr),
				       topo_scope_name(tr->scope));
		for (j = 0; j < tr->count; j++)
			for (l = 0; l < tr->links; l++)
				link_add(x, ln,
					 x->tier_nodes[k][g * tr->count + j]);
	}
	return 0;
}

/* ---- ports ---- */

struct port_alloc {
	uint32_t used[TOPO_MAX_GROUPS];	/* per model group */
};

static uint32_t model_speed_default(const struct topo_model *m)
{
	uint32_t i, best = 0;

	for (i = 0; i < m->ngroups; i++)
		if (m->groups[i].speed_mbps > best)
			best = m->groups[i].speed_mbps;
	return best;
}

static int take_port(const struct topo_model *m, struct port_alloc *pa,
		     bool up, uint32_t speed)
{
	uint32_t g;

	for (g = 0; g < m->ngroups; g++) {
		const struct topo_portgroup *pg = &m->groups[g];

		if (pg->speed_mbps != speed ||
		    pg->use == (up ? PORT_DOWN : PORT_UP) ||
		    pa->used[g] >= pg->count - pg->spare)
			continue;
		return (int)(pg->first_port + pa->used[g]++);
	}
	return -1;
}

static int port_budget_error(struct expand *x, const struct topo_node *n,
			     bool up, uint32_t speed)
{
	const struct topo *t = x->t;
	const struct topo_tier *tr = &t->tiers[n->tier];
	const struct topo_model *m = &t->models[tr->model];
	uint32_t p, need = 0, have = 0, g;
	char sp[16];

	for (p = n->first_port; p < n->first_port + n->nports; p++)
		need += t->links[t->ports[p].link].speed_mbps == speed;
	for (g = 0; g < m->ngroups; g++)
		if (m->groups[g].speed_mbps == speed)
			have += m->groups[g].count - m->groups[g].spare;
	return fail_at(x, &tr->model_loc, "port budget exceeded: %s (tier "
		       "'%s', model '%s') needs %u %s ports but the model has "
		       "%u usable (after spares, for %s links); use a larger "
		       "model, fewer links, or fewer nodes below", n->name,
		       tr->name, m->name, need,
		       topo_speed_str(speed, sp, sizeof(sp)), have,
		       up ? "uplink" : "downlink");
}

static int name_port(struct expand *x, struct topo_node *n,
		     struct topo_port *p, struct port_alloc *pa,
		     uint32_t *uplink)
{
	const struct topo *t = x->t;
	int num;

	if (n->role == ROLE_SERVER) {
		p->name = t->uplinks[(*uplink)++];
		return 0;
	}
	num = take_port(&t->models[t->tiers[n->tier].model], pa, p->up,
			p->speed_mbps);
	if (num < 0)
		return port_budget_error(x, n, p->up, p->speed_mbps);
	p->name = arena_printf(&x->t->arena, "swp%d", num);
	return 0;
}

/* Downlinks first, then uplinks, each in link order: port numbers stay
 * stable when a tier above grows. */
static int assign_ports(struct expand *x)
{
	struct topo *t = x->t;
	uint32_t i, p, pass;

	for (i = 0; i < t->nnodes; i++) {
		struct topo_node *n = &t->nodes[i];
		struct port_alloc pa;
		uint32_t uplink = 0;

		memset(&pa, 0, sizeof(pa));
		for (pass = 0; pass < 2; pass++)
			for (p = n->first_port; p < n->first_port + n->nports;
			     p++)
				if (t->ports[p].up == (pass == 1) &&
				    name_port(x, n, &t->ports[p], &pa,
					      &uplink) < 0)
					return -1;
	}
	return 0;
}

static uint32_t link_speed(const struct topo *t, uint32_t lower)
{
	const struct topo_node *n = &t->nodes[lower];

	if (n->role == ROLE_SERVER)
		return t->pods[n->pod].server_speed_mbps;
	return t->tiers[n->tier + 1].speed_mbps;
}

static void build_ports(struct expand *x)
{
	struct topo *t = x->t;
	uint32_t *fill, i;
	size_t l;

	for (l = 0; l < x->nl; l++) {
		t->nodes[x->la[l]].nports++;
		t->nodes[x->lb[l]].nports++;
	}
	for (i = 1; i < t->nnodes; i++)
		t->nodes[i].first_port = t->nodes[i - 1].first_port +
					 t->nodes[i - 1].nports;
	t->nlinks = (uint32_t)x->nl;
	t->nports = (uint32_t)(2 * x->nl);
	t->links = arena_alloc(&t->arena, x->nl * sizeof(*t->links));
	t->ports = arena_alloc(&t->arena, t->nports * sizeof(*t->ports));
	fill = xcalloc(t->nnodes, sizeof(uint32_t));
	for (l = 0; l < x->nl; l++) {
		uint32_t a = t->nodes[x->la[l]].first_port + fill[x->la[l]]++;
		uint32_t b = t->nodes[x->lb[l]].first_port + fill[x->lb[l]]++;
		uint32_t sp = link_speed(t, x->la[l]);

		t->links[l] = (struct topo_link){ a, b, sp };
		t->ports[a] = (struct topo_port){ x->la[l], (uint32_t)l, b, sp,
						  NULL, true };
		t->ports[b] = (struct topo_port){ x->lb[l], (uint32_t)l, a, sp,
						  NULL, false };
	}
	free(fill);
}

static int wire(struct expand *x)
{
	struct topo *t = x->t;
	uint32_t k;

	if (t->nuplinks != t->tiers[0].count)
		return fail_at(x, &t->tiers[0].count_loc, "servers.uplinks "
			       "names %u interfaces but tier '%s' has %u ToRs "
			       "per rack; a server has one uplink per ToR",
			       t->nuplinks, t->tiers[0].name,
			       t->tiers[0].count);
	wire_servers(x);
	for (k = 1; k < t->ntiers; k++) {
		struct topo_tier *tr = &t->tiers[k];

		if (tr->speed_mbps == 0)
			tr->speed_mbps = model_speed_default(
				&t->models[t->tiers[k - 1].model]);
		if (wire_tier(x, k) < 0)
			return -1;
	}
	build_ports(x);
	return assign_ports(x);
}

/* Down:up capacity of every node of a tier against what the file
 * declares (the top tier has no uplinks and is not checked). */
static int check_ratios(struct expand *x)
{
	const struct topo *t = x->t;
	uint32_t i;

	for (i = 0; i < t->nnodes; i++) {
		const struct topo_node *n = &t->nodes[i];
		const struct topo_tier *tr;
		uint64_t down, up;

		if (n->tier == TOPO_NONE || n->tier + 1 == t->ntiers)
			continue;
		tr = &t->tiers[n->tier];
		if (tr->oversub_num == 0)
			continue;
		topo_node_capacity(t, i, &down, &up);
		if (down * tr->oversub_den > up * tr->oversub_num)
			return fail_at(x, &tr->loc, "tier '%s': %s has %llu "
				       "Mb/s down and %llu Mb/s up, more "
				       "oversubscribed than the declared "
				       "%u:%u; add uplinks or change "
				       "'oversubscription'", tr->name, n->name,
				       (unsigned long long)down,
				       (unsigned long long)up, tr->oversub_num,
				       tr->oversub_den);
	}
	return 0;
}

static void expand_free(struct expand *x)
{
	uint32_t k;

	for (k = 0; x->tier_nodes && k < x->t->ntiers; k++)
		free(x->tier_nodes[k]);
	free(x->tier_nodes);
	free(x->tier_len);
	free(x->la);
	free(x->lb);
}

int topo_expand(struct topo *t, struct ck_err *err)
{
	struct expand x;
	uint32_t p;
	int rc = -1;

	memset(&x, 0, sizeof(x));
	x.t = t;
	x.err = err;
	if (check_scopes(&x) < 0 || count_layout(&x) < 0)
		goto out;
	for (p = 0; p < t->npods; p++)
		add_pod(&x, p);
	add_shared(&x);
	if (name_nodes(&x) < 0 || wire(&x) < 0 || conn_check(t, err) < 0 ||
	    asn_plan(t, err) < 0 || addr_plan(t, err) < 0 ||
	    override_apply(t, err) < 0 || asn_check(t, err) < 0 ||
	    check_ratios(&x) < 0)
		goto out;
	rc = 0;
out:
	expand_free(&x);
	return rc;
}
