#include "reach.h"

#include <stdlib.h>

#include "xalloc.h"

/* Does a server of class a reach the servers of class b? */
static int reaches(const struct route *r, const uint32_t *rep, uint32_t a,
		   uint32_t b)
{
	return route_dist(r, b, rep[a]) != UINT32_MAX;
}

uint64_t reach_unreachable_pairs(struct route *r)
{
	const struct net *n = route_net(r);
	uint32_t s = n->nservers, i, j, c, nc = 0, cut = 0;
	uint32_t *rep = xmalloc(((size_t)s + 1) * sizeof(uint32_t));
	uint32_t *cnt = xcalloc((size_t)s + 1, sizeof(uint32_t));
	uint32_t *ids = xmalloc(((size_t)s + 1) * sizeof(uint32_t));
	uint64_t pairs;

	for (i = 0; i < s; i++) {	/* classes are below s: one server each */
		c = route_class(r, n->servers[i]);
		if (c == ROUTE_NONE)
			cut++;
		else if (cnt[c]++ == 0)
			rep[c] = n->servers[i], ids[nc++] = c;
	}
	/* a server without a live uplink reaches nobody */
	pairs = (uint64_t)cut * (s - cut) + (uint64_t)cut * (cut ? cut - 1 : 0) / 2;
	for (i = 0; i < nc; i++)
		for (j = i + 1; j < nc; j++)
			if (!reaches(r, rep, ids[i], ids[j]) ||
			    !reaches(r, rep, ids[j], ids[i]))
				pairs += (uint64_t)cnt[ids[i]] * cnt[ids[j]];
	free(rep);
	free(cnt);
	free(ids);
	return pairs;
}
