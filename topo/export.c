/* topology.json is streamed (one record per line, in the order of the
 * model), not built as a json_t: it is the largest file of a bundle. */
#include "export.h"

#include "addr6.h"
#include "out.h"

static const char *pod_name(const struct topo *t, const struct topo_node *n)
{
	return n->pod == TOPO_NONE ? NULL : t->pods[n->pod].name;
}

static void index_or_null(struct out_stream *s, const char *key, uint32_t v)
{
	if (v == TOPO_NONE)
		out_null(s, key);
	else
		out_uint(s, key, v);
}

static void export_node(const struct topo *t, uint32_t i,
			struct out_stream *s)
{
	const struct topo_node *n = &t->nodes[i];
	char ip[16], ip6[INET6_ADDRSTRLEN];

	out_open(s, NULL, '{', 0);
	out_str(s, "name", n->name);
	out_str(s, "role", topo_role_name(n->role));
	out_str(s, "tier", n->tier == TOPO_NONE ? "server"
						: t->tiers[n->tier].name);
	out_str(s, "pod", pod_name(t, n));
	index_or_null(s, "cluster", n->cluster);
	index_or_null(s, "rack", n->rack);
	index_or_null(s, "plane", n->plane);
	out_uint(s, "index", n->index);
	out_uint(s, "asn", n->asn);
	out_str(s, "address", topo_ip4(n->addr, ip));
	if (t->dual_stack)
		out_str(s, "address6", addr6_node(t, n, ip6));
	out_uint(s, "mtu", n->mtu);
	out_close(s);
}

static void export_end(const struct topo *t, uint32_t p,
		       struct out_stream *s, const char *key)
{
	out_open(s, key, '{', 0);
	out_str(s, "node", t->nodes[t->ports[p].node].name);
	out_str(s, "port", t->ports[p].name);
	out_close(s);
}

static void export_link(const struct topo *t, uint32_t l,
			struct out_stream *s)
{
	out_open(s, NULL, '{', 0);
	export_end(t, t->links[l].a_port, s, "a");
	export_end(t, t->links[l].b_port, s, "b");
	out_uint(s, "speedMbps", t->links[l].speed_mbps);
	out_close(s);
}

static void export_tier(const struct topo *t, const struct topo_tier *tr,
			struct out_stream *s)
{
	out_open(s, NULL, '{', 0);
	out_str(s, "name", tr->name);
	out_str(s, "role", topo_role_name(tr->role));
	out_str(s, "model", t->models[tr->model].name);
	out_str(s, "scope", topo_scope_name(tr->scope));
	out_uint(s, "count", tr->count);
	out_uint(s, "planes", tr->planes);
	out_uint(s, "links", tr->links);
	out_uint(s, "speedMbps", tr->speed_mbps);
	out_close(s);
}

/* The IPv6 pools only in a dual-stack fabric, so that an IPv4-only
 * export is what it always was. */
static void export_pools(const struct topo *t, struct out_stream *s)
{
	char a[ADDR6_STRLEN + 4], ip[16];

	out_open(s, "pools", '{', 0);
	snprintf(a, sizeof(a), "%s/%u", topo_ip4(t->pool_loopbacks.addr, ip),
		 t->pool_loopbacks.len);
	out_str(s, "loopbacks", a);
	snprintf(a, sizeof(a), "%s/%u", topo_ip4(t->pool_servers.addr, ip),
		 t->pool_servers.len);
	out_str(s, "servers", a);
	if (t->dual_stack) {
		out_str(s, "loopbacks6", addr6_pool(&t->pool_loopbacks6, a));
		out_str(s, "servers6", addr6_pool(&t->pool_servers6, a));
	}
	out_close(s);
}

void export_json(const struct topo *t, struct sbuf *b)
{
	struct out_stream s;
	uint32_t i;

	out_stream_init(&s, b, NULL);
	out_open(&s, NULL, '{', 1);
	out_str(&s, "fabric", t->name);
	out_uint(&s, "generation", t->generation);
	out_uint(&s, "mtu", t->mtu);
	export_pools(t, &s);
	out_open(&s, "tiers", '[', 1);
	for (i = 0; i < t->ntiers; i++)
		export_tier(t, &t->tiers[i], &s);
	out_close(&s);
	out_open(&s, "nodes", '[', 1);
	for (i = 0; i < t->nnodes; i++)
		export_node(t, i, &s);
	out_close(&s);
	out_open(&s, "links", '[', 1);
	for (i = 0; i < t->nlinks; i++)
		export_link(t, i, &s);
	out_close(&s);
	out_close(&s);
}

/* Node and port names are validated words ([A-Za-z0-9._-]), so they go
 * into CSV and DOT without quoting. */
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
