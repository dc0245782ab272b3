#include "ctx.h"

#include <stdio.h>
#include <stdlib.h>

#include "addr.h"
#include "below.h"
#include "xalloc.h"

/* Every address in these lists is a host route (a loopback or a server's
 * /32), so a block admits only /32s inside it ("ge 32"): never the block
 * itself nor any aggregate. */
static json_t *prefix_list(const struct topo_prefix *p, size_t n,
			   int seq_base)
{
	json_t *a = json_array();
	char ip[16], buf[24];
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(buf, sizeof(buf), "%s/%u", topo_ip4(p[i].addr, ip),
			 p[i].len);
		json_array_append_new(a, json_pack(
			"{s:s, s:i, s:b}", "prefix", buf, "seq",
			seq_base + 5 * (int)i, "hostsOnly", p[i].len < 32));
	}
	return a;
}

static void cover_into(json_t *a, uint32_t lo, uint32_t hi)
{
	struct topo_prefix p[64];
	json_t *part;
	size_t n;

	n = addr_cover(lo, hi, p, 64);
	part = prefix_list(p, n, 10 + 5 * (int)json_array_size(a));
	json_array_extend(a, part);
	json_decref(part);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Append to a the fewest prefixes that hold exactly the blocks
 * [v, v + size) for each v of v[0..n) (sorted in place; duplicates
 * allowed). */
static void cover_blocks(json_t *a, uint32_t *v, size_t n, uint32_t size)
{
	size_t i = 0, j;

	qsort(v, n, sizeof(*v), cmp_u32);
	while (i < n) {
		for (j = i; j + 1 < n && v[j + 1] <= v[j] + size; j++)
			;
		cover_into(a, v[i], v[j] + (size - 1));
		i = j + 1;
	}
}

/* Host routes of the whole fabric: the default route (listed apart in
 * the templates) and /32s inside the pools. The pools, not just the
 * addresses in use, so that adding a rack changes no other node. */
static json_t *fabric_prefixes(const struct topo *t)
{
	struct topo_prefix p[2] = { t->pool_loopbacks, t->pool_servers };

	return prefix_list(p, 2, 10);
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

static void add_neighbours(const struct topo *t, const struct topo_node *n,
			   json_t *o)
{
	json_t *up = json_array(), *low = json_array(), *srv = json_array();
	json_t *statics = json_array();
	uint32_t p;
	char ip[16], buf[24];

	for (p = n->first_port; p < n->first_port + n->nports; p++) {
		const struct topo_port *pt = &t->ports[p];
		const struct topo_node *pn =
			&t->nodes[t->ports[pt->peer_port].node];

		if (pt->up) {
			json_array_append_new(up, port_json(t, p));
		} else if (pn->role != ROLE_SERVER) {
			json_array_append_new(low, port_json(t, p));
		} else if (pn->routing == HOST_BGP) {
			json_array_append_new(srv, port_json(t, p));
		} else {
			snprintf(buf, sizeof(buf), "%s/32",
				 topo_ip4(pn->addr, ip));
			json_array_append_new(statics, json_pack(
				"{s:s, s:s}", "prefix", buf, "port", pt->name));
		}
	}
	json_object_set_new(o, "hasUpper", json_boolean(json_array_size(up)));
	json_object_set_new(o, "hasLower", json_boolean(json_array_size(low)));
	json_object_set_new(o, "hasServers",
			    json_boolean(json_array_size(srv)));
	json_object_set_new(o, "staticServers",
			    json_boolean(json_array_size(statics)));
	json_object_set_new(o, "upper", up);
	json_object_set_new(o, "lower", low);
	json_object_set_new(o, "servers", srv);
	json_object_set_new(o, "staticRoutes", statics);
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

/* CK-BELOW: exactly what lies below this switch (below.c) and what it
 * sends up: its own loopback, the loopback of every switch below it, and
 * the rack block of every ToR among them (itself included), each as /32s
 * only. A spine of plane i lists the leaves of plane i, not the other
 * planes' leaves that happen to sit between them in the address plan.
 * CK-RACK: the ToR's own rack block, /32s only. */
static void add_filters(const struct topo *t, uint32_t node, json_t *o)
{
	const struct topo_node *n = &t->nodes[node];
	json_t *below = json_array(), *rack = json_array();
	uint32_t nb, i, *b = below_nodes(t, node, &nb);
	struct addrs a = { xmalloc(((size_t)nb + 1) * sizeof(uint32_t)), 0,
			   xmalloc(((size_t)nb + 1) * sizeof(uint32_t)), 0 };

	add_node_addrs(t, node, &a);
	for (i = 0; i < nb; i++)
		add_node_addrs(t, b[i], &a);
	if (n->role == ROLE_TOR)	/* a.rack[0]: its own, before sorting */
		cover_blocks(rack, a.rack, 1, t->rack_block);
	cover_blocks(below, a.lo, a.nlo, 1);
	cover_blocks(below, a.rack, a.nrack, t->rack_block);
	json_object_set_new(o, "below", below);
	json_object_set_new(o, "rackPrefixes", rack);
	json_object_set_new(o, "fabricPrefixes", fabric_prefixes(t));
	free(b);
	free(a.lo);
	free(a.rack);
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
	char ip[16], own[24];
	json_t *o;

	topo_ip4(n->addr, ip);
	snprintf(own, sizeof(own), "%s/32", ip);
	o = json_pack("{s:s, s:I, s:s, s:s, s:I, s:s, s:s, s:i, s:i, s:i, "
		      "s:b}",
		      "fabric", t->name, "generation",
		      (json_int_t)t->generation, "hostname", n->name, "role",
		      topo_role_name(n->role), "asn", (json_int_t)n->asn,
		      "routerId", ip, "ownPrefix", own, "bfdInterval",
		      (int)n->bfd_interval_ms, "bfdMultiplier",
		      (int)n->bfd_multiplier, "maximumPaths",
		      (int)ctx_max_paths(t, node), "originateDefault",
		      n->tier != TOPO_NONE &&
			      t->tiers[n->tier].originate_default);
	add_neighbours(t, n, o);
	if (n->role != ROLE_SERVER)
		add_filters(t, node, o);
	else
		json_object_set_new(o, "fabricPrefixes", fabric_prefixes(t));
	return o;
}
