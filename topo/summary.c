#include "summary.h"

#include <string.h>

/* "nodes" is the tier's total; "perScope" is the topology's count (per
 * rack, cluster, plane, ...). A top tier (model.h) has no down:up ratio,
 * as capacity-report says. */
static json_t *tier_json(const struct topo *t, uint32_t k)
{
	const struct topo_tier *tr = &t->tiers[k];
	struct topo_tier_cap c;
	json_t *o;

	topo_tier_capacity(t, k, &c);
	o = json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:b}",
		      "name", tr->name, "role", topo_role_name(tr->role),
		      "model", t->models[tr->model].name, "scope",
		      topo_scope_name(tr->scope), "nodes", (json_int_t)c.switches,
		      "perScope", (json_int_t)tr->count, "downGbps",
		      (json_int_t)(c.down_mbps / 1000), "upGbps",
		      (json_int_t)(c.up_mbps / 1000), "serversBelow",
		      (json_int_t)c.servers_below, "top", c.top);
	json_object_set_new(o, "oversubscription",
			    c.up_mbps && !c.top
				    ? json_real((double)c.down_mbps /
						(double)c.up_mbps)
				    : json_null());
	return o;
}

static json_t *links_json(const struct topo *t)
{
	json_t *by = json_object();
	uint32_t l;
	char sp[16];

	for (l = 0; l < t->nlinks; l++) {
		const char *k = topo_speed_str(t->links[l].speed_mbps, sp,
					       sizeof(sp));
		json_t *c = json_object_get(by, k);

		json_object_set_new(by, k, json_integer(
			(c ? json_integer_value(c) : 0) + 1));
	}
	return json_pack("{s:I, s:o}", "total", (json_int_t)t->nlinks,
			 "bySpeed", by);
}

static json_t *pool_json(const struct topo_prefix *p, uint64_t used)
{
	char ip[16], buf[24];

	snprintf(buf, sizeof(buf), "%s/%u", topo_ip4(p->addr, ip), p->len);
	return json_pack("{s:s, s:I, s:I}", "pool", buf, "used",
			 (json_int_t)used, "size",
			 (json_int_t)((uint64_t)1 << (32 - p->len)));
}

json_t *summary_fabric(const struct topo *t)
{
	json_t *tiers = json_array(), *roles = json_object(), *s;
	uint32_t k, servers = t->count_by_role[ROLE_SERVER];

	for (k = 0; k < t->ntiers; k++)
		json_array_append_new(tiers, tier_json(t, k));
	for (k = 0; k < ROLE__COUNT; k++)
		if (t->count_by_role[k])
			json_object_set_new(roles, topo_role_name(k),
					    json_integer(t->count_by_role[k]));
	s = json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:o, s:o, s:o}",
		      "fabric", t->name, "generation",
		      (json_int_t)t->generation, "nodes",
		      (json_int_t)t->nnodes, "switches",
		      (json_int_t)(t->nnodes - servers), "servers",
		      (json_int_t)servers, "racks", (json_int_t)t->nracks,
		      "roles", roles, "tiers", tiers, "links", links_json(t));
	json_object_set_new(s, "addresses", json_pack(
		"{s:o, s:o, s:I}", "loopbacks",
		pool_json(&t->pool_loopbacks, t->nnodes - servers), "servers",
		pool_json(&t->pool_servers, servers), "rackBlock",
		(json_int_t)t->rack_block));
	return s;
}

static void print_tier(const json_t *tr, FILE *out)
{
	const json_t *os = json_object_get(tr, "oversubscription");
	char ratio[32] = "-";

	if (json_is_true(json_object_get(tr, "top")))
		snprintf(ratio, sizeof(ratio), "top (reaches every server)");
	else if (json_is_real(os))
		snprintf(ratio, sizeof(ratio), "%.2f:1", json_real_value(os));
	fprintf(out, "  %-10s %-10s %-22s %-8s %7lld %10lld %10lld  %s\n",
		json_string_value(json_object_get(tr, "name")),
		json_string_value(json_object_get(tr, "role")),
		json_string_value(json_object_get(tr, "model")),
		json_string_value(json_object_get(tr, "scope")),
		json_integer_value(json_object_get(tr, "nodes")),
		json_integer_value(json_object_get(tr, "downGbps")),
		json_integer_value(json_object_get(tr, "upGbps")), ratio);
}

static void print_pool(const char *name, const json_t *p, FILE *out)
{
	fprintf(out, "  %-10s %-18s %lld of %lld used\n", name,
		json_string_value(json_object_get(p, "pool")),
		json_integer_value(json_object_get(p, "used")),
		json_integer_value(json_object_get(p, "size")));
}

void summary_print_text(const json_t *s, FILE *out)
{
	const json_t *tiers = json_object_get(s, "tiers");
	const json_t *links = json_object_get(s, "links");
	const json_t *addr = json_object_get(s, "addresses");
	const char *k;
	json_t *v;
	size_t i;

	fprintf(out, "fabric %s generation %lld: %lld nodes (%lld switches, "
		"%lld servers in %lld racks)\n",
		json_string_value(json_object_get(s, "fabric")),
		json_integer_value(json_object_get(s, "generation")),
		json_integer_value(json_object_get(s, "nodes")),
		json_integer_value(json_object_get(s, "switches")),
		json_integer_value(json_object_get(s, "servers")),
		json_integer_value(json_object_get(s, "racks")));
	fprintf(out, "\n  %-10s %-10s %-22s %-8s %7s %10s %10s  %s\n", "tier",
		"role", "model", "scope", "nodes", "down Gb/s", "up Gb/s",
		"down:up");
	for (i = 0; i < json_array_size(tiers); i++)
		print_tier(json_array_get(tiers, i), out);
	fprintf(out, "\n  links %lld:",
		json_integer_value(json_object_get(links, "total")));
	json_object_foreach((json_t *)json_object_get(links, "bySpeed"), k, v)
		fprintf(out, " %lld x %s", json_integer_value(v), k);
	fprintf(out, "\n\n");
	print_pool("loopbacks", json_object_get(addr, "loopbacks"), out);
	print_pool("servers", json_object_get(addr, "servers"), out);
}
