#include "net.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"
#include "xalloc.h"

static void build_links(struct net *n)
{
	const struct topo *t = n->t;
	uint32_t l;

	for (l = 0; l < t->nlinks; l++) {
		const struct topo_link *tl = &t->links[l];
		uint32_t a = t->ports[tl->a_port].node;
		uint32_t b = t->ports[tl->b_port].node;
		double bps = (double)tl->speed_mbps * 1e6;

		n->from[2 * l] = a;
		n->to[2 * l] = b;
		n->from[2 * l + 1] = b;
		n->to[2 * l + 1] = a;
		n->cap[2 * l] = n->cap[2 * l + 1] = bps;
	}
}

/* Counting sort of out-links by node, up links first within a node. */
static void build_adj(struct net *n)
{
	uint32_t *fill = xcalloc(n->nnodes, sizeof(uint32_t));
	uint32_t l, u;

	for (l = 0; l < n->nlinks; l++) {
		n->off[n->from[l] + 1]++;
		n->nup[n->from[l]] += (l & 1) == 0;
	}
	for (u = 0; u < n->nnodes; u++) {
		n->off[u + 1] += n->off[u];
		if (n->off[u + 1] - n->off[u] > n->maxdeg)
			n->maxdeg = n->off[u + 1] - n->off[u];
	}
	for (l = 0; l < n->nlinks; l++) {
		u = n->from[l];
		if ((l & 1) == 0)
			n->adj[n->off[u] + fill[u]++] = l;
	}
	for (l = 0; l < n->nlinks; l++) {
		u = n->from[l];
		if (l & 1)
			n->adj[n->off[u] + fill[u]++] = l;
	}
	free(fill);
}

static void build_nodes(struct net *n)
{
	const struct topo *t = n->t;
	uint32_t u, k = 0;

	n->servers = xmalloc((size_t)t->count_by_role[ROLE_SERVER] *
			     sizeof(uint32_t) + 1);
	for (u = 0; u < t->nnodes; u++) {
		const struct topo_node *tn = &t->nodes[u];

		if (tn->role == ROLE_SERVER) {
			n->lvl[u] = 0;
			n->srv_bps[u] =
				(double)t->pods[tn->pod].server_speed_mbps * 1e6;
			n->servers[k++] = u;
		} else {
			n->lvl[u] = (uint8_t)(tn->tier + 1);
		}
		if (n->lvl[u] > n->maxlvl)
			n->maxlvl = n->lvl[u];
		/* switch OSes seed the hash from the box's identity */
		n->salt[u] = rng_mix(0x5a17ull << 32 | tn->addr);
	}
	n->nservers = k;
}

struct net *net_new(const struct topo *t)
{
	struct net *n = xcalloc(1, sizeof(*n));

	n->t = t;
	n->nnodes = t->nnodes;
	n->nlinks = 2 * t->nlinks;
	n->cap = xcalloc(n->nlinks + 1, sizeof(double));
	n->from = xcalloc(n->nlinks + 1, sizeof(uint32_t));
	n->to = xcalloc(n->nlinks + 1, sizeof(uint32_t));
	n->dead = xcalloc(n->nlinks + 1, sizeof(uint32_t));
	n->adj = xcalloc(n->nlinks + 1, sizeof(uint32_t));
	n->off = xcalloc(n->nnodes + 1, sizeof(uint32_t));
	n->nup = xcalloc(n->nnodes + 1, sizeof(uint32_t));
	n->lvl = xcalloc(n->nnodes + 1, sizeof(uint8_t));
	n->srv_bps = xcalloc(n->nnodes + 1, sizeof(double));
	n->node_dead = xcalloc(n->nnodes + 1, sizeof(uint32_t));
	n->salt = xcalloc(n->nnodes + 1, sizeof(uint64_t));
	build_links(n);
	build_adj(n);
	build_nodes(n);
	return n;
}

void net_free(struct net *n)
{
	if (n == NULL)
		return;
	free(n->cap);
	free(n->from);
	free(n->to);
	free(n->dead);
	free(n->adj);
	free(n->off);
	free(n->nup);
	free(n->lvl);
	free(n->srv_bps);
	free(n->servers);
	free(n->node_dead);
	free(n->salt);
	free(n);
}

void net_fail_cable(struct net *n, uint32_t link, int delta)
{
	n->dead[link] += (uint32_t)delta;
	n->dead[net_reverse(link)] += (uint32_t)delta;
}

void net_fail_node(struct net *n, uint32_t node, int delta)
{
	uint32_t i;

	n->node_dead[node] += (uint32_t)delta;
	for (i = n->off[node]; i < n->off[node + 1]; i++)
		net_fail_cable(n, n->adj[i], delta);
}

void net_copy_failures(struct net *dst, const struct net *src)
{
	memcpy(dst->dead, src->dead, (size_t)src->nlinks * sizeof(uint32_t));
	memcpy(dst->node_dead, src->node_dead,
	       (size_t)src->nnodes * sizeof(uint32_t));
}

bool net_intact(const struct net *n)
{
	uint32_t l;

	for (l = 0; l < n->nlinks; l++)
		if (n->dead[l])
			return false;
	return true;
}

const struct topo_port *net_port(const struct net *n, uint32_t link)
{
	const struct topo_link *tl = &n->t->links[link / 2];

	return &n->t->ports[(link & 1) ? tl->b_port : tl->a_port];
}

uint32_t net_link_by_port(const struct net *n, uint32_t node,
			  const char *port)
{
	uint32_t i;

	for (i = n->off[node]; i < n->off[node + 1]; i++)
		if (strcmp(net_port(n, n->adj[i])->name, port) == 0)
			return n->adj[i];
	return UINT32_MAX;
}

const char *net_link_name(const struct net *n, uint32_t link, char *buf,
			  size_t len)
{
	snprintf(buf, len, "%s:%s", n->t->nodes[n->from[link]].name,
		 net_port(n, link)->name);
	return buf;
}
