/* ecmp and ecmp-unsalted: one path per flow, chosen hop by hop. */
#include "mode.h"

#include <stdlib.h>

#include "xalloc.h"

/* Walk one flow from its source; false when it dead-ends. */
static bool walk(struct route *r, struct flows *f, uint32_t i, bool salted,
		 uint32_t *buf)
{
	const struct net *n = route_net(r);
	uint32_t c = route_class(r, f->dst[i]), u = f->src[i], hops = 0;
	uint64_t h = f->hash[i];

	if (c == ROUTE_NONE)
		return false;
	while (u != f->dst[i]) {
		uint32_t k = route_next(r, c, u, f->dst[i], buf), l;

		if (k == 0 || ++hops > 2 * n->maxlvl + 2)
			return false;
		l = buf[(salted ? mode_salt(n, h, u) : h) % k];
		flows_place_add(f, l, 1.0);
		u = n->to[l];
	}
	return true;
}

static uint32_t place(struct route *r, struct flows *f, bool salted)
{
	uint32_t *buf = xmalloc(((size_t)route_net(r)->maxdeg + 1) *
				sizeof(uint32_t));
	uint32_t i, lost = 0;

	flows_place_begin(f, 0);
	for (i = 0; !f->hashed && i < f->n; i++)	/* once per flow set */
		f->hash[i] = mode_hash(route_net(r), f->src[i], f->dst[i],
				       f->sport[i]);
	f->hashed = true;
	for (i = 0; i < f->n; i++) {
		if (!walk(r, f, i, salted, buf)) {
			f->nent = f->off[i];
			lost++;
		}
		flows_place_end_flow(f, i);
	}
	free(buf);
	return lost;
}

static uint32_t place_salted(struct route *r, struct flows *f)
{
	return place(r, f, true);
}

static uint32_t place_unsalted(struct route *r, struct flows *f)
{
	return place(r, f, false);
}

const struct mode_ops mode_ecmp = {
	.name = "ecmp",
	.what = "one path per flow, per-switch salted 5-tuple hash",
	.weighted = false,
	.place = place_salted,
};

const struct mode_ops mode_ecmp_unsalted = {
	.name = "ecmp-unsalted",
	.what = "one path per flow, the same hash at every switch",
	.weighted = false,
	.place = place_unsalted,
};
