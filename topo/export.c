/* Node and port names are validated words ([A-Za-z0-9._-]), so they are
 * written into JSON and CSV without escaping. */
#include "export.h"

#include "addr6.h"

static const char *pod_name(const struct topo *t, const struct topo_node *n)
{
	return n->pod == TOPO_NONE ? NULL : t->pods[n->pod].name;
}

static void json_str_or_null(struct sbuf *b, const char *s)
{
	if (s)
		sbuf_addf(b, "\"%s\"", s);
	else
		sbuf_adds(b, "null");
}

static void json_index(struct sbuf *b, const char *key, uint32_t v)
{
	if (v == TOPO_NONE)
		sbuf_addf(b, ", \"%s\": null", key);
	else
		sbuf_addf(b, ", \"%s\": %u", key, v);
}

static void export_node(const struct topo *t, uint32_t i, struct sbuf *b)
{
	const struct topo_node *n = &t->nodes[i];
	char ip[16], ip6[INET6_ADDRSTRLEN];

	sbuf_addf(b, "    {\"name\": \"%s\", \"role\": \"%s\", \"tier\": ",
		  n->name, topo_role_name(n->role));
	json_str_or_null(b, n->tier == TOPO_NONE ? "server"
						 : t->tiers[n->tier].name);
	sbuf_adds(b, ", \"pod\": ");
	json_str_or_null(b, pod_name(t, n));
	json_index(b, "cluster", n->cluster);
	json_index(b, "rack", n->rack);
	json_index(b, "plane", n->plane);
	sbuf_addf(b, ", \"index\": %u, \"asn\": %u, \"address\": \"%s\", ",
		  n->index, n->asn, topo_ip4(n->addr, ip));
	if (t->dual_stack)
		sbuf_addf(b, "\"address6\": \"%s\", ", addr6_node(t, n, ip6));
	sbuf_addf(b, "\"mtu\": %u}", n->mtu);
}

static void export_link(const struct topo *t, uint32_t l, struct sbuf *b)
{
	const struct topo_port *a = &t->ports[t->links[l].a_port];
	const struct topo_port *z = &t->ports[t->links[l].b_port];

	sbuf_addf(b, "    {\"a\": {\"node\": \"%s\", \"port\": \"%s\"}, "
		  "\"b\": {\"node\": \"%s\", \"port\": \"%s\"}, "
		  "\"speedMbps\": %u}", t->nodes[a->node].name, a->name,
		  t->nodes[z->node].name, z->name, t->links[l].speed_mbps);
}

static void export_tiers(const struct topo *t, struct sbuf *b)
{
	uint32_t k;

	sbuf_adds(b, "  \"tiers\": [\n");
	for (k = 0; k < t->ntiers; k++) {
		const struct topo_tier *tr = &t->tiers[k];

		sbuf_addf(b, "    {\"name\": \"%s\", \"role\": \"%s\", "
			  "\"model\": \"%s\", \"scope\": \"%s\", \"count\": "
			  "%u, \"planes\": %u, \"links\": %u, \"speedMbps\": "
			  "%u}%s\n", tr->name, topo_role_name(tr->role),
			  t->models[tr->model].name,
			  topo_scope_name(tr->scope), tr->count, tr->planes,
			  tr->links, tr->speed_mbps,
			  k + 1 < t->ntiers ? "," : "");
	}
	sbuf_adds(b, "  ],\n");
}

/* The IPv6 pools only in a dual-stack fabric, so that an IPv4-only
 * export is what it always was. */
static void export_pools(const struct topo *t, struct sbuf *b)
{
	char a1[ADDR6_STRLEN], a2[ADDR6_STRLEN];

	sbuf_addf(b, "  \"pools\": {\"loopbacks\": \"%s/%u\", \"servers\": "
		  "\"%s/%u\"", topo_ip4(t->pool_loopbacks.addr, a1),
		  t->pool_loopbacks.len, topo_ip4(t->pool_servers.addr, a2),
		  t->pool_servers.len);
	if (t->dual_stack)
		sbuf_addf(b, ", \"loopbacks6\": \"%s\", \"servers6\": \"%s\"",
			  addr6_pool(&t->pool_loopbacks6, a1),
			  addr6_pool(&t->pool_servers6, a2));
	sbuf_adds(b, "},\n");
}

void export_json(const struct topo *t, struct sbuf *b)
{
	uint32_t i;

	sbuf_addf(b, "{\n  \"fabric\": \"%s\",\n  \"generation\": %u,\n"
		  "  \"mtu\": %u,\n", t->name, t->generation, t->mtu);
	export_pools(t, b);
	export_tiers(t, b);
	sbuf_adds(b, "  \"nodes\": [\n");
	for (i = 0; i < t->nnodes; i++) {
		export_node(t, i, b);
		sbuf_adds(b, i + 1 < t->nnodes ? ",\n" : "\n");
	}
	sbuf_adds(b, "  ],\n  \"links\": [\n");
	for (i = 0; i < t->nlinks; i++) {
		export_link(t, i, b);
		sbuf_adds(b, i + 1 < t->nlinks ? ",\n" : "\n");
	}
	sbuf_adds(b, "  ]\n}\n");
}

void export_cabling(const struct topo *t, struct sbuf *b)
{
	char sp[16];
	uint32_t l;

	sbuf_adds(b, "a_node,a_port,b_node,b_port,speed\n");
	for (l = 0; l < t->nlinks; l++) {
		const struct topo_port *a = &t->ports[t->links[l].a_port];
		const struct topo_port *z = &t->ports[t->links[l].b_port];

		sbuf_addf(b, "%s,%s,%s,%s,%s\n", t->nodes[a->node].name,
			  a->name, t->nodes[z->node].name, z->name,
			  topo_speed_str(t->links[l].speed_mbps, sp,
					 sizeof(sp)));
	}
}

void export_dot(const struct topo *t, struct sbuf *b)
{
	static const char *const shape[ROLE__COUNT] = {
		"ellipse", "box", "box", "box3d", "box3d", "octagon" };
	uint32_t i;

	sbuf_addf(b, "graph \"%s\" {\n  rankdir=BT;\n  node [fontsize=10];\n",
		  t->name);
	for (i = 0; i < t->nnodes; i++)
		sbuf_addf(b, "  \"%s\" [shape=%s];\n", t->nodes[i].name,
			  shape[t->nodes[i].role]);
	for (i = 0; i < t->nlinks; i++) {
		const struct topo_port *a = &t->ports[t->links[i].a_port];
		const struct topo_port *z = &t->ports[t->links[i].b_port];

		sbuf_addf(b, "  \"%s\" -- \"%s\" [taillabel=\"%s\", "
			  "headlabel=\"%s\"];\n", t->nodes[a->node].name,
			  t->nodes[z->node].name, a->name, z->name);
	}
	sbuf_adds(b, "}\n");
}
