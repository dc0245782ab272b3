#include "combo.h"

#include <stdlib.h>

#include "rng.h"
#include "xalloc.h"

uint64_t combo_count(uint64_t n, uint32_t k)
{
	uint64_t r = 1, i;

	if (k > n)
		return 0;
	for (i = 1; i <= k; i++) {	/* r * (n - k + i) / i stays exact */
		if (r > UINT64_MAX / (n - k + i))
			return UINT64_MAX;
		r = r * (n - k + i) / i;
	}
	return r;
}

static void add_segment(struct combo *c, const struct topo *t, uint32_t tier)
{
	uint32_t s = c->nseg++;

	c->mem[s] = topo_tier_switches(t, tier, &c->nmem[s]);
	c->first[s] = c->total;
	c->total += combo_count(c->nmem[s], c->k);
}

struct combo *combo_new(const struct topo *t, uint32_t k, bool within_tiers)
{
	struct combo *c = xcalloc(1, sizeof(*c));
	uint32_t i;

	c->k = k;
	c->mem = xcalloc((size_t)t->ntiers + 1, sizeof(uint32_t *));
	c->nmem = xcalloc((size_t)t->ntiers + 1, sizeof(uint32_t));
	c->first = xcalloc((size_t)t->ntiers + 1, sizeof(uint64_t));
	/* all: every switch tier by tier, the order N+1 shards use */
	if (!within_tiers)
		add_segment(c, t, TOPO_NONE);
	else
		for (i = 0; i < t->ntiers; i++)
			add_segment(c, t, i);
	return c;
}

void combo_free(struct combo *c)
{
	uint32_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nseg; i++)
		free(c->mem[i]);
	free(c->mem);
	free(c->nmem);
	free(c->first);
	free(c);
}

/* Lexicographic unranking: the first member is the smallest a such that
 * fewer than C(n - a - 1, k - 1) subsets start before it, and so on. */
void combo_unrank(const struct combo *c, uint64_t idx, uint32_t *nodes)
{
	uint32_t s = 0, a = 0, j, n;

	while (s + 1 < c->nseg && idx >= c->first[s + 1])
		s++;
	idx -= c->first[s];
	n = c->nmem[s];
	for (j = 0; j < c->k; j++) {
		for (;;) {
			uint64_t below = combo_count(n - a - 1, c->k - j - 1);

			if (idx < below)
				break;
			idx -= below;
			a++;
		}
		nodes[j] = c->mem[s][a++];
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static uint64_t dedupe(uint64_t *v, uint64_t n)
{
	uint64_t i, m = 0;

	qsort(v, n, sizeof(uint64_t), cmp_u64);
	for (i = 0; i < n; i++)
		if (m == 0 || v[m - 1] != v[i])
			v[m++] = v[i];
	return m;
}

/* Draw until at least n distinct (a handful of rounds when n is well
 * below total), keep a uniform n of them, sort. */
uint64_t *combo_sample(const struct combo *c, uint64_t n, uint64_t seed)
{
	uint64_t *v = xmalloc((size_t)(2 * n + 1) * sizeof(uint64_t)), have = 0;
	uint64_t i;
	struct rng r;

	rng_seed(&r, seed ^ 0x5a3b1eull);
	while (have < n) {
		while (have < 2 * n)
			v[have++] = rng_next(&r) % c->total;
		have = dedupe(v, have);
	}
	for (i = 0; i < n; i++) {	/* partial shuffle picks n of them */
		uint64_t j = i + rng_next(&r) % (have - i), x = v[i];

		v[i] = v[j];
		v[j] = x;
	}
	qsort(v, n, sizeof(uint64_t), cmp_u64);
	return v;
}
