#include "maxmin.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "heap.h"
#include "xalloc.h"

struct maxmin {
	struct heap heap;
	double *rem;		/* by link: capacity left by frozen flows */
	double *wsum;		/* by link: weight of unfrozen flows */
	uint32_t *nlive;	/* by link: unfrozen flows (exact) */
	uint32_t *lf_off, *lf_flow;	/* link -> flows (CSR) */
	uint32_t *order;	/* flows by demand */
	uint8_t *frozen;
	size_t lcap, fcap, ecap;
};

struct maxmin *maxmin_new(void)
{
	struct maxmin *m = xcalloc(1, sizeof(*m));

	heap_init(&m->heap);
	return m;
}

void maxmin_free(struct maxmin *m)
{
	if (m == NULL)
		return;
	heap_free(&m->heap);
	free(m->rem);
	free(m->wsum);
	free(m->nlive);
	free(m->lf_off);
	free(m->lf_flow);
	free(m->order);
	free(m->frozen);
	free(m);
}

static void reserve(struct maxmin *m, const struct maxmin_problem *p)
{
	size_t nl = (size_t)p->nlinks + 1, nf = (size_t)p->nflows + 1;
	size_t ne = (size_t)p->off[p->nflows] + 1;

	if (nl > m->lcap) {
		m->rem = xrealloc(m->rem, nl * sizeof(double));
		m->wsum = xrealloc(m->wsum, nl * sizeof(double));
		m->nlive = xrealloc(m->nlive, nl * sizeof(uint32_t));
		m->lf_off = xrealloc(m->lf_off, (nl + 1) * sizeof(uint32_t));
		m->lcap = nl;
	}
	if (nf > m->fcap) {
		m->order = xrealloc(m->order, nf * sizeof(uint32_t));
		m->frozen = xrealloc(m->frozen, nf);
		m->fcap = nf;
	}
	if (ne > m->ecap) {
		m->lf_flow = xrealloc(m->lf_flow, ne * sizeof(uint32_t));
		m->ecap = ne;
	}
}

/* Link -> flows incidence by counting sort, and the per-link sums. */
static void incidence(struct maxmin *m, const struct maxmin_problem *p)
{
	uint32_t f, e, l;

	memset(m->lf_off, 0, ((size_t)p->nlinks + 2) * sizeof(uint32_t));
	memset(m->wsum, 0, (size_t)p->nlinks * sizeof(double));
	for (e = 0; e < p->off[p->nflows]; e++) {
		m->lf_off[p->link[e] + 2]++;
		m->wsum[p->link[e]] += p->w ? p->w[e] : 1.0;
	}
	for (l = 0; l < p->nlinks; l++) {
		m->nlive[l] = m->lf_off[l + 2];
		m->lf_off[l + 2] += m->lf_off[l + 1];
	}
	for (f = 0; f < p->nflows; f++)
		for (e = p->off[f]; e < p->off[f + 1]; e++)
			m->lf_flow[m->lf_off[p->link[e] + 1]++] = f;
}

static int cmp_demand(const void *a, const void *b, void *arg)
{
	const double *d = arg;
	double x = d[*(const uint32_t *)a], y = d[*(const uint32_t *)b];

	return x < y ? -1 : x > y;
}

static void setup(struct maxmin *m, const struct maxmin_problem *p)
{
	uint32_t f, l;

	reserve(m, p);
	incidence(m, p);
	heap_reset(&m->heap, p->nlinks);
	for (l = 0; l < p->nlinks; l++) {
		m->rem[l] = p->cap[l];
		if (m->nlive[l])
			heap_set(&m->heap, l, m->rem[l] / m->wsum[l]);
	}
	for (f = 0; f < p->nflows; f++)
		m->order[f] = f;
	qsort_r(m->order, p->nflows, sizeof(uint32_t), cmp_demand,
		(void *)p->demand);
	memset(m->frozen, 0, p->nflows);
}

/* Fix flow f at rate r and move the links it crosses in the heap. */
static void freeze(struct maxmin *m, const struct maxmin_problem *p,
		   uint32_t f, double r, double *rate)
{
	uint32_t e;

	m->frozen[f] = 1;
	rate[f] = r;
	for (e = p->off[f]; e < p->off[f + 1]; e++) {
		uint32_t l = p->link[e];
		double w = p->w ? p->w[e] : 1.0;

		m->rem[l] -= w * r;
		m->wsum[l] -= w;
		if (--m->nlive[l] == 0 || m->wsum[l] <= 0) {
			heap_remove(&m->heap, l);
			continue;
		}
		heap_set(&m->heap, l, (m->rem[l] > 0 ? m->rem[l] : 0) /
					      m->wsum[l]);
	}
}

void maxmin_solve(struct maxmin *m, const struct maxmin_problem *p,
		  double *rate)
{
	uint32_t k = 0, i;

	setup(m, p);
	for (;;) {
		while (k < p->nflows && m->frozen[m->order[k]])
			k++;
		if (k == p->nflows)
			break;
		if (m->heap.len == 0 ||
		    p->demand[m->order[k]] <= m->heap.key[heap_top(&m->heap)]) {
			uint32_t f = m->order[k];

			/* no link at all: unroutable, not demand-limited */
			freeze(m, p, f, p->off[f] == p->off[f + 1] ? 0
				   : p->demand[f], rate);
			continue;
		}
		{
			uint32_t l = heap_top(&m->heap);
			double share = m->heap.key[l];

			heap_remove(&m->heap, l);
			for (i = m->lf_off[l]; i < m->lf_off[l + 1]; i++)
				if (!m->frozen[m->lf_flow[i]])
					freeze(m, p, m->lf_flow[i], share,
					       rate);
		}
	}
}
