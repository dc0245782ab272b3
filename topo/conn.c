#include "conn.h"

#include <stdlib.h>

#include "xalloc.h"

static uint32_t uf_find(uint32_t *parent, uint32_t i)
{
	while (parent[i] != i) {
		parent[i] = parent[parent[i]];	/* path halving */
		i = parent[i];
	}
	return i;
}

static void uf_union(uint32_t *parent, uint32_t a, uint32_t b)
{
	a = uf_find(parent, a);
	b = uf_find(parent, b);
	if (a != b)
		parent[a < b ? b : a] = a < b ? a : b;
}

/* Two servers in different components, as node indices; 0 if none. */
static int split_servers(const struct topo *t, uint32_t *parent,
			 uint32_t *a, uint32_t *b)
{
	uint32_t i, first = TOPO_NONE;

	for (i = 0; i < t->nnodes; i++) {
		if (t->nodes[i].role != ROLE_SERVER)
			continue;
		if (first == TOPO_NONE)
			first = i;
		else if (uf_find(parent, i) != uf_find(parent, first)) {
			*a = first;
			*b = i;
			return 1;
		}
	}
	return 0;
}

int conn_check(const struct topo *t, struct ck_err *err)
{
	const struct topo_tier *top = &t->tiers[t->ntiers - 1];
	uint32_t *parent, i, a, b;
	int split;

	if (t->allow_partitioned)
		return 0;
	parent = xmalloc((size_t)t->nnodes * sizeof(uint32_t));
	for (i = 0; i < t->nnodes; i++)
		parent[i] = i;
	for (i = 0; i < t->nlinks; i++)
		uf_union(parent, t->ports[t->links[i].a_port].node,
			 t->ports[t->links[i].b_port].node);
	split = split_servers(t, parent, &a, &b);
	free(parent);
	if (!split)
		return 0;
	ck_err_set(err, t->file, top->loc.line, top->loc.col, "the fabric "
		   "is partitioned: no path between %s and %s, since no tier "
		   "joins them; widen the scope of a tier above them (up to "
		   "'scope: fabric'), or set 'allow-partitioned: true' at the "
		   "top level if that is intended", t->nodes[a].name,
		   t->nodes[b].name);
	return -1;
}
