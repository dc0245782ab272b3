#include "model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

const char *const topo_role_names[] = { "server", "tor", "leaf", "spine",
					"superspine", "border", NULL };
const char *const topo_scope_names[] = { "rack", "cluster", "pod", "plane",
					 "fabric", NULL };

const char *topo_role_name(enum topo_role r)
{
	return r < ROLE__COUNT ? topo_role_names[r] : "?";
}

const char *topo_scope_name(enum topo_scope s)
{
	return s <= SCOPE_FABRIC ? topo_scope_names[s] : "?";
}

uint32_t topo_scope_instance(const struct topo_node *n, enum topo_scope s)
{
	switch (s) {
	case SCOPE_RACK:
		return n->rack;
	case SCOPE_CLUSTER:
		return n->cluster;
	case SCOPE_POD:
		return n->pod;
	case SCOPE_PLANE:
		return n->plane;
	default:
		return 0;
	}
}

uint32_t topo_find_node(const struct topo *t, const char *name)
{
	size_t lo = 0, hi = t->nnodes;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(t->nodes[t->by_name[mid]].name, name);

		if (c == 0)
			return t->by_name[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return TOPO_NONE;
}

uint32_t topo_find_tier(const struct topo *t, const char *name, size_t len)
{
	uint32_t k;

	for (k = 0; k < t->ntiers; k++)
		if (strlen(t->tiers[k].name) == len &&
		    strncmp(t->tiers[k].name, name, len) == 0)
			return k;
	return TOPO_NONE;
}

uint32_t topo_peer_node(const struct topo *t, uint32_t p)
{
	return t->ports[t->ports[p].peer_port].node;
}

uint32_t topo_port_mtu(const struct topo *t, uint32_t p)
{
	const struct topo_node *a = &t->nodes[t->ports[p].node];
	const struct topo_node *b = &t->nodes[topo_peer_node(t, p)];

	return b->mtu_override > a->mtu_override ? b->mtu : a->mtu;
}

char *topo_ip4(uint32_t a, char *buf)
{
	snprintf(buf, 16, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255,
		 (a >> 8) & 255, a & 255);
	return buf;
}

const char *topo_speed_str(uint32_t mbps, char *buf, size_t len)
{
	if (mbps % 1000 == 0)
		snprintf(buf, len, "%uG", mbps / 1000);
	else
		snprintf(buf, len, "%uM", mbps);
	return buf;
}

/* Appends tier k's switches to out at *n. */
static void tier_append(const struct topo *t, uint32_t k, uint32_t *out,
			uint32_t *n)
{
	uint32_t i;

	for (i = 0; i < t->nnodes; i++)
		if (t->nodes[i].tier == k)
			out[(*n)++] = i;
}

uint32_t *topo_tier_switches(const struct topo *t, uint32_t k, uint32_t *n)
{
	uint32_t *out = xmalloc(((size_t)t->nnodes + 1) * sizeof(*out));
	uint32_t j;

	*n = 0;
	if (k != TOPO_NONE)
		tier_append(t, k, out, n);
	else
		for (j = 0; j < t->ntiers; j++)
			tier_append(t, j, out, n);
	return out;
}

uint32_t topo_tier_size(const struct topo *t, uint32_t k)
{
	uint32_t i, n = 0;

	for (i = 0; i < t->nnodes; i++)
		n += t->nodes[i].tier == k;
	return n;
}

void topo_node_capacity(const struct topo *t, uint32_t node, uint64_t *down,
			uint64_t *up)
{
	const struct topo_node *n = &t->nodes[node];
	uint32_t p;

	*down = *up = 0;
	for (p = n->first_port; p < n->first_port + n->nports; p++)
		*(t->ports[p].up ? up : down) += t->ports[p].speed_mbps;
}

void topo_tier_capacity(const struct topo *t, uint32_t k,
			struct topo_tier_cap *c)
{
	uint64_t down, up;
	uint32_t i;

	memset(c, 0, sizeof(*c));
	c->first = TOPO_NONE;
	for (i = 0; i < t->nnodes; i++) {
		if (t->nodes[i].tier != k)
			continue;
		if (c->switches++ == 0)
			c->first = i;
		topo_node_capacity(t, i, &down, &up);
		c->down_mbps += down;
		c->up_mbps += up;
	}
	if (c->first != TOPO_NONE)
		c->servers_below = topo_servers_below(t, c->first);
	c->top = c->servers_below >= t->count_by_role[ROLE_SERVER];
}

/* Breadth-first over down ports; out doubles as the queue. */
uint32_t *topo_below_nodes(const struct topo *t, uint32_t node, uint32_t *n)
{
	uint32_t *out = xmalloc(((size_t)t->nnodes + 1) * sizeof(*out));
	uint8_t *seen = xcalloc((size_t)t->nnodes + 1, 1);
	uint32_t head = 0, cur = node, p;

	*n = 0;
	seen[node] = 1;
	for (;;) {
		const struct topo_node *c = &t->nodes[cur];

		for (p = c->first_port; p < c->first_port + c->nports; p++) {
			uint32_t m = topo_peer_node(t, p);

			if (t->ports[p].up || seen[m])
				continue;
			seen[m] = 1;
			out[(*n)++] = m;
		}
		if (head == *n)
			break;
		cur = out[head++];
	}
	free(seen);
	return out;
}

uint32_t topo_servers_below(const struct topo *t, uint32_t node)
{
	uint32_t n, i, servers = 0;
	uint32_t *b = topo_below_nodes(t, node, &n);

	for (i = 0; i < n; i++)
		servers += t->nodes[b[i]].role == ROLE_SERVER;
	free(b);
	return servers;
}
