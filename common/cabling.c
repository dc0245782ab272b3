/* Planned against seen cabling: see cabling.h. Folding is a sort and a
 * merge of neighbours, O(p log p) for p reported ports; swap detection
 * compares the miswired cables pairwise, O(m^2) for m of them (a handful
 * on a real day one; 1,000 miswired cables are 500,000 cheap compares). */
#include "cabling.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

static const char *const state_names[CABLING__COUNT] = {
	"ok", "miswired", "missing", "unexpected", "unused",
};

const char *cabling_state_name(enum cabling_state s)
{
	return (unsigned)s < CABLING__COUNT ? state_names[s] : "?";
}

json_t *cabling_end_json(const struct cabling_end *e)
{
	if (!e->node)
		return json_null();
	return json_pack("{s:s, s:s}", "node", e->node, "port", e->port);
}

void cabling_end_of(const json_t *o, struct cabling_end *e)
{
	e->node = json_string_value(json_object_get(o, "node"));
	e->port = json_string_value(json_object_get(o, "port"));
}

static bool end_set(const struct cabling_end *e)
{
	return e->node && e->port;
}

static int str_cmp(const char *a, const char *b)
{
	if (!a || !b)
		return !!a - !!b;
	return strcmp(a, b);
}

static int end_cmp(const struct cabling_end *a, const struct cabling_end *b)
{
	int c = str_cmp(a->node, b->node);

	return c ? c : str_cmp(a->port, b->port);
}

static bool end_eq(const struct cabling_end *a, const struct cabling_end *b)
{
	return end_set(a) && end_set(b) && end_cmp(a, b) == 0;
}

enum cabling_state cabling_classify(const struct cabling_port *p)
{
	bool exp = end_set(&p->expected), seen = end_set(&p->seen);

	if (!exp && !seen)
		return CABLING_UNUSED;
	if (!seen)
		return CABLING_MISSING;
	if (!exp)
		return CABLING_UNEXPECTED;
	return end_eq(&p->expected, &p->seen) ? CABLING_OK : CABLING_MISWIRED;
}

/* The cable a port's mismatch stands for, its ends in order: the cable
 * found (seen) or, when nothing is seen, the cable planned. */
static struct cabling_cable cable_of(const struct cabling_port *p,
				     enum cabling_state s)
{
	struct cabling_cable c = { .state = s, .swap = -1 };
	const struct cabling_end *far = s == CABLING_MISSING ? &p->expected
							    : &p->seen;
	struct cabling_end far_plan = { 0 };

	if (s == CABLING_MISSING)
		far_plan = p->self;	/* the plan pairs them both ways */
	if (end_cmp(&p->self, far) <= 0) {
		c.a = p->self, c.b = *far;
		c.a_plan = p->expected, c.b_plan = far_plan;
	} else {
		c.a = *far, c.b = p->self;
		c.a_plan = far_plan, c.b_plan = p->expected;
	}
	return c;
}

/* Found cables (miswired, unexpected) and planned ones (missing) are
 * different things even between the same two ports. */
static int kind(enum cabling_state s)
{
	return s == CABLING_MISSING;
}

static int cable_cmp(const void *x, const void *y)
{
	const struct cabling_cable *a = x, *b = y;
	int c = end_cmp(&a->a, &b->a);

	if (!c)
		c = end_cmp(&a->b, &b->b);
	return c ? c : kind(a->state) - kind(b->state);
}

/* b reported the same cable as a (from the other end): take its plan. */
static void merge(struct cabling_cable *a, const struct cabling_cable *b)
{
	if (!end_set(&a->a_plan))
		a->a_plan = b->a_plan;
	if (!end_set(&a->b_plan))
		a->b_plan = b->b_plan;
	if (kind(a->state) == 0)	/* found: miswired if either end was
					 * planned to be cabled elsewhere */
		a->state = end_set(&a->a_plan) || end_set(&a->b_plan)
				   ? CABLING_MISWIRED : CABLING_UNEXPECTED;
}

/* Does the plan pair end x with end y (as either end reports it)? */
static bool planned(const struct cabling_cable *c, const struct cabling_end *x,
		    const struct cabling_cable *d, const struct cabling_end *y)
{
	const struct cabling_end *px = x == &c->a ? &c->a_plan : &c->b_plan;
	const struct cabling_end *py = y == &d->a ? &d->a_plan : &d->b_plan;

	return end_eq(px, y) || end_eq(py, x);
}

/* Cables {p, q} and {r, s} are a swap when the plan pairs p-s and r-q,
 * or p-r and q-s: exchanging two ends makes both right. */
static bool is_swap(const struct cabling_cable *c, const struct cabling_cable *d)
{
	return (planned(c, &c->a, d, &d->b) && planned(d, &d->a, c, &c->b)) ||
	       (planned(c, &c->a, d, &d->a) && planned(c, &c->b, d, &d->b));
}

static const struct cabling_end *other(const struct cabling_cable *c,
				       const struct cabling_end *e)
{
	return e == &c->a ? &c->b : &c->a;
}

/* Does exchanging end x of c with end y of d make both cables planned? */
static bool fixes(const struct cabling_cable *c, const struct cabling_end *x,
		  const struct cabling_cable *d, const struct cabling_end *y)
{
	return planned(c, other(c, x), d, y) && planned(d, other(d, y), c, x);
}

int cabling_swap_ends(const struct cabling_cable *c,
		      const struct cabling_cable *d, struct cabling_end *x,
		      struct cabling_end *y)
{
	const struct cabling_end *ce[2] = { &c->a, &c->b };
	const struct cabling_end *de[2] = { &d->a, &d->b };
	int i, j, pass;

	for (pass = 0; pass < 2; pass++)	/* same node first */
		for (i = 0; i < 2; i++)
			for (j = 0; j < 2; j++)
				if ((pass || str_cmp(ce[i]->node,
						     de[j]->node) == 0) &&
				    fixes(c, ce[i], d, de[j])) {
					*x = *ce[i];
					*y = *de[j];
					return 0;
				}
	return -1;
}

static void find_swaps(struct cabling_cable *c, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++)
		for (j = i + 1; j < n && c[i].state == CABLING_MISWIRED &&
				c[i].swap < 0; j++)
			if (c[j].state == CABLING_MISWIRED && c[j].swap < 0 &&
			    is_swap(&c[i], &c[j])) {
				c[i].swap = (long)j;
				c[j].swap = (long)i;
			}
}

size_t cabling_fold(const struct cabling_port *ports, size_t n,
		    struct cabling_cable **out)
{
	struct cabling_cable *c = n ? xmalloc(n * sizeof(*c)) : NULL;
	size_t i, m = 0, k = 0;

	for (i = 0; i < n; i++) {
		enum cabling_state s = cabling_classify(&ports[i]);

		if (s != CABLING_OK && s != CABLING_UNUSED)
			c[m++] = cable_of(&ports[i], s);
	}
	if (m)
		qsort(c, m, sizeof(*c), cable_cmp);
	for (i = 0; i < m; i++) {
		if (k && cable_cmp(&c[k - 1], &c[i]) == 0) {
			merge(&c[k - 1], &c[i]);
			continue;
		}
		c[k] = c[i];
		merge(&c[k], &c[k]);
		k++;
	}
	find_swaps(c, k);
	if (!k) {
		free(c);
		c = NULL;
	}
	*out = c;
	return k;
}
