#include "below.h"

#include <stdlib.h>

#include "xalloc.h"

/* Breadth-first over down ports; out doubles as the queue. */
uint32_t *below_nodes(const struct topo *t, uint32_t node, uint32_t *n)
{
	uint32_t *out = xmalloc(((size_t)t->nnodes + 1) * sizeof(*out));
	uint8_t *seen = xcalloc((size_t)t->nnodes + 1, 1);
	uint32_t head = 0, cur = node, p;

	*n = 0;
	seen[node] = 1;
	for (;;) {
		const struct topo_node *c = &t->nodes[cur];

		for (p = c->first_port; p < c->first_port + c->nports; p++) {
			uint32_t m = t->ports[t->ports[p].peer_port].node;

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

uint32_t below_servers(const struct topo *t, uint32_t node)
{
	uint32_t n, i, servers = 0;
	uint32_t *b = below_nodes(t, node, &n);

	for (i = 0; i < n; i++)
		servers += t->nodes[b[i]].role == ROLE_SERVER;
	free(b);
	return servers;
}
