#include "ctx.h"

#include <stdio.h>
#include <stdlib.h>

#include "addr.h"
#include "addr6.h"
#include "xalloc.h"

/* A list of prefixes, kept as IPv4 prefixes: the IPv6 list is the same
 * one, mapped through addr6_prefix(). */
struct plist {
	struct topo_prefix *p;
	size_t n, cap;
};

/* The address families a node's configuration is written for. */
struct family {
	const char *afi;	/* FRR's word: "ip", "ipv6" */
	const char *name;	/* address-family name */
	const char *dflt;	/* the default route */
	int host_len;
	int rm_seq;		/* route-map entries: gshut at rm_seq - 5 */
	bool v6;
};

static const struct family fam4 = { "ip", "ipv4", "0.0.0.0/0", 32, 10,
				    false };
static const struct family fam6 = { "ipv6", "ipv6", "::/0", 128, 20, true };

/* Every address in these lists is a host route (a loopback or a server's
 * /32 or /128), so a block admits only host routes inside it ("ge 32",
 * "ge 128"): never the block itself nor any aggregate. */
static json_t *entry(const char *prefix, int seq, bool hosts_only)
{
	return json_pack("{s:s, s:i, s:b}", "prefix", prefix, "seq", seq,
			 "hostsOnly", hosts_only);
}

static char *prefix_str(const struct topo *t, const struct family *f,
			const struct topo_prefix *p, char *buf)
{
	char ip[16];

	if (f->v6)
		return addr6_prefix(t, p, buf);
	snprintf(buf, ADDR6_STRLEN, "%s/%u", topo_ip4(p->addr, ip), p->len);
	return buf;
}

static json_t *plist_json(const struct topo *t, const struct family *f,
			  const struct plist *l)
{
	json_t *a = json_array();
	char buf[ADDR6_STRLEN];
	size_t i;

	for (i = 0; i < l->n; i++)
		json_array_append_new(a, entry(prefix_str(t, f, &l->p[i], buf),
					       10 + 5 * (int)i,
					       l->p[i].len < 32));
	return a;
}

static void cover_into(struct plist *l, uint32_t lo, uint32_t hi)
{
	l->p = xgrow(l->p, &l->cap, l->n + 64, sizeof(*l->p));
	l->n += addr_cover(lo, hi, l->p + l->n, 64);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Append to l the fewest prefixes that hold exactly the blocks
 * [v, v + size) for each v of v[0..n) (sorted in place; duplicates
 * allowed). */
static void cover_blocks(struct plist *l, uint32_t *v, size_t n,
			 uint32_t size)
{
	size_t i = 0, j;

	qsort(v, n, sizeof(*v), cmp_u32);
	while (i < n) {
		for (j = i; j + 1 < n && v[j + 1] <= v[j] + size; j++)
			;
		cover_into(l, v[i], v[j] + (size - 1));
		i = j + 1;
	}
}

/* Host routes of the whole fabric: the default route (listed apart in
 * the templates) and host routes inside the pools. The pools, not just the
 * addresses in use, so that adding a rack changes no other node. */
static json_t *fabric_prefixes(const struct topo *t, const struct family *f)
{
	const struct topo_prefix6 *p6[2] = { &t->pool_loopbacks6,
					     &t->pool_servers6 };
	struct topo_prefix p4[2] = { t->pool_loopbacks, t->pool_servers };
	struct plist l = { p4, 2, 2 };
	json_t *a;
	char buf[ADDR6_STRLEN];
	int i;

	if (!f->v6)
		return plist_json(t, f, &l);
	a = json_array();
	for (i = 0; i < 2; i++)
		json_array_append_new(a, entry(addr6_pool(p6[i], buf),
					       10 + 5 * i, p6[i]->len < 128));
	return a;
}

static json_t *port_json(const struct topo *t, uint32_t p)
{
	const struct topo_port *me = &t->ports[p];
	const struct topo_port *peer = &t->ports[me->peer_port];
	const struct topo_node *pn = &t->nodes[peer->node];

	return json_pack("{s:s, s:s, s:s, s:I}", "port", me->name, "peer",
			 pn->name, "peerPort", peer->name, "peerAsn",
			 (json_int_t)pn->asn);
}

/* Upward every uplink is an equal-cost next hop; downward a prefix may be
 * reached over several ports (dual-homed racks, parallel links). The
 * larger of the two, capped at FRR's build limit, covers both. */
uint32_t ctx_max_paths(const struct topo *t, uint32_t node)
{
	const struct topo_node *n = &t->nodes[node];
	uint32_t p, up = 0, down = 0, m;

	for (p = n->first_port; p < n->first_port + n->nports; p++)
		*(t->ports[p].up ? &up : &down) += 1;
	m = up > down ? up : down;
	return m < 2 ? 2 : m > 256 ? 256 : m;
}

/* What a node's lists hold, whatever the family. */
struct lists {
	struct plist below, rack;
	uint32_t *statics, nstatics;	/* ports toward static servers */
};

static void add_neighbours(const struct topo *t, const struct topo_node *n,
			   json_t *o, struct lists *l)
{
	json_t *up = json_array(), *low = json_array(), *srv = json_array();
	uint32_t p;

	l->statics = xmalloc(((size_t)n->nports + 1) * sizeof(uint32_t));
	for (p = n->first_port; p < n->first_port + n->nports; p++) {
		const struct topo_port *pt = &t->ports[p];
		const struct topo_node *pn =
			&t->nodes[topo_peer_node(t, p)];

		if (pt->up)
			json_array_append_new(up, port_json(t, p));
		else if (pn->role != ROLE_SERVER)
			json_array_append_new(low, port_json(t, p));
		else if (pn->routing == HOST_BGP)
			json_array_append_new(srv, port_json(t, p));
		else
			l->statics[l->nstatics++] = p;
	}
	json_object_set_new(o, "hasUpper", json_boolean(json_array_size(up)));
	json_object_set_new(o, "hasLower", json_boolean(json_array_size(low)));
	json_object_set_new(o, "hasServers",
			    json_boolean(json_array_size(srv)));
	json_object_set_new(o, "staticServers", json_boolean(l->nstatics));
	json_object_set_new(o, "upper", up);
	json_object_set_new(o, "lower", low);
	json_object_set_new(o, "servers", srv);
}

static char *host_str(const struct topo *t, const struct family *f,
		      const struct topo_node *n, char *buf)
{
	char ip[INET6_ADDRSTRLEN];

	if (f->v6)
		addr6_node(t, n, ip);
	else
		topo_ip4(n->addr, ip);
	snprintf(buf, ADDR6_STRLEN, "%s/%u", ip, (unsigned char)f->host_len);
	return buf;
}

static json_t *static_routes(const struct topo *t, const struct family *f,
			     const struct lists *l)
{
	json_t *a = json_array();
	char buf[ADDR6_STRLEN];
	uint32_t i;

	for (i = 0; i < l->nstatics; i++) {
		const struct topo_port *pt = &t->ports[l->statics[i]];
		const struct topo_node *pn =
			&t->nodes[topo_peer_node(t, l->statics[i])];

		json_array_append_new(a, json_pack(
			"{s:s, s:s}", "prefix", host_str(t, f, pn, buf),
			"port", pt->name));
	}
	return a;
}

struct addrs {
	uint32_t *lo, nlo;	/* switch loopbacks */
	uint32_t *rack, nrack;	/* rack block bases */
};

static void add_node_addrs(const struct topo *t, uint32_t node,
			   struct addrs *a)
{
	const struct topo_node *m = &t->nodes[node];

	if (m->role != ROLE_SERVER)
		a->lo[a->nlo++] = m->addr;
	if (m->role == ROLE_TOR)
		a->rack[a->nrack++] = addr_rack_base(t, m->rack);
}

/* CK-BELOW: exactly what lies below this switch (topo_below_nodes) and what it
 * sends up: its own loopback, the loopback of every switch below it, and
 * the rack block of every ToR among them (itself included), each as host
 * routes only. A spine of plane i lists the leaves of plane i, not the
 * other planes' leaves that happen to sit between them in the address
 * plan. CK-RACK: the ToR's own rack block, host routes only. */
static void filter_lists(const struct topo *t, uint32_t node, struct lists *l)
{
	const struct topo_node *n = &t->nodes[node];
	uint32_t nb, i, *b = topo_below_nodes(t, node, &nb);
	struct addrs a = { xmalloc(((size_t)nb + 1) * sizeof(uint32_t)), 0,
			   xmalloc(((size_t)nb + 1) * sizeof(uint32_t)), 0 };

	add_node_addrs(t, node, &a);
	for (i = 0; i < nb; i++)
		add_node_addrs(t, b[i], &a);
	if (n->role == ROLE_TOR)	/* a.rack[0]: its own, before sorting */
		cover_blocks(&l->rack, a.rack, 1, t->rack_block);
	cover_blocks(&l->below, a.lo, a.nlo, 1);
	cover_blocks(&l->below, a.rack, a.nrack, t->rack_block);
	free(b);
	free(a.lo);
	free(a.rack);
}

/* The keys the templates see inside {{#families}}: the same names for
 * both families, so one template section serves both. */
static json_t *family_json(const struct topo *t, const struct topo_node *n,
			   const struct family *f, const struct lists *l)
{
	char own[ADDR6_STRLEN];

	return json_pack("{s:s, s:s, s:s, s:i, s:i, s:i, s:b, s:s, s:o, s:o, "
			 "s:o, s:o}",
			 "afi", f->afi, "addressFamily", f->name,
			 "defaultRoute", f->dflt, "hostLen", f->host_len,
			 "rmGshut", f->rm_seq - 5, "rmSeq", f->rm_seq,
			 "activate", f->v6, "ownPrefix",
			 host_str(t, f, n, own), "fabricPrefixes",
			 fabric_prefixes(t, f), "below",
			 plist_json(t, f, &l->below), "rackPrefixes",
			 plist_json(t, f, &l->rack), "staticRoutes",
			 static_routes(t, f, l));
}

/* The IPv4 family's lists also sit at the top level, where templates
 * written before dual-stack look for them. */
static void add_families(const struct topo *t, uint32_t node, json_t *o,
			 const struct lists *l)
{
	static const char *const keys[] = { "ownPrefix", "fabricPrefixes",
					     "below", "rackPrefixes",
					     "staticRoutes", NULL };
	const struct topo_node *n = &t->nodes[node];
	json_t *v4 = family_json(t, n, &fam4, l), *fams = json_array();
	size_t i;

	for (i = 0; keys[i]; i++)
		json_object_set(o, keys[i], json_object_get(v4, keys[i]));
	json_array_append_new(fams, v4);
	if (t->dual_stack)
		json_array_append_new(fams, family_json(t, n, &fam6, l));
	json_object_set_new(o, "dualStack", json_boolean(t->dual_stack));
	json_object_set_new(o, "families", fams);
}

const char *ctx_template(const struct topo *t, uint32_t node)
{
	const struct topo_node *n = &t->nodes[node];

	if (n->role != ROLE_SERVER)
		return "frr-switch.conf";
	return n->routing == HOST_BGP ? "frr-server.conf"
				      : "frr-server-static.conf";
}

json_t *ctx_node(const struct topo *t, uint32_t node)
{
	const struct topo_node *n = &t->nodes[node];
	struct lists l = { { NULL, 0, 0 }, { NULL, 0, 0 }, NULL, 0 };
	char ip[16];
	json_t *o;

	topo_ip4(n->addr, ip);
	o = json_pack("{s:s, s:I, s:s, s:s, s:I, s:s, s:i, s:i, s:i, s:b}",
		      "fabric", t->name, "generation",
		      (json_int_t)t->generation, "hostname", n->name, "role",
		      topo_role_name(n->role), "asn", (json_int_t)n->asn,
		      "routerId", ip, "bfdInterval",
		      (int)n->bfd_interval_ms, "bfdMultiplier",
		      (int)n->bfd_multiplier, "maximumPaths",
		      (int)ctx_max_paths(t, node), "originateDefault",
		      n->tier != TOPO_NONE &&
			      t->tiers[n->tier].originate_default);
	add_neighbours(t, n, o, &l);
	if (n->role != ROLE_SERVER)
		filter_lists(t, node, &l);
	add_families(t, node, o, &l);
	free(l.below.p);
	free(l.rack.p);
	free(l.statics);
	return o;
}
