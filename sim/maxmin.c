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
	/* shared DAGs */
	uint32_t *ld_off, *ld_dag;	/* link -> DAGs (CSR) */
	uint32_t *df_off, *df_flow;	/* DAG -> flows (CSR) */
	uint32_t *live;		/* by DAG: unfrozen flows */
	uint32_t *gone;		/* by DAG: frozen, not yet off its links */
	double *gone_r;		/* by DAG: their rates, summed */
	uint32_t *dirty, ndirty;	/* DAGs with gone > 0 */
	size_t dcap, dlcap;
	const struct maxmin_dags *g;	/* this solve's, or NULL */
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
	free(m->ld_off);
	free(m->ld_dag);
	free(m->df_off);
	free(m->df_flow);
	free(m->live);
	free(m->gone);
	free(m->gone_r);
	free(m->dirty);
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

static void dags_reserve(struct maxmin *m, const struct maxmin_problem *p)
{
	const struct maxmin_dags *g = m->g;
	size_t nd = (size_t)g->n + 2, ne = (size_t)g->off[g->n] + 1;

	m->ld_off = xrealloc(m->ld_off, ((size_t)p->nlinks + 2) *
					sizeof(uint32_t));
	m->df_flow = xrealloc(m->df_flow, ((size_t)p->nflows + 1) *
					  sizeof(uint32_t));
	if (nd > m->dcap) {
		m->df_off = xrealloc(m->df_off, nd * sizeof(uint32_t));
		m->live = xrealloc(m->live, nd * sizeof(uint32_t));
		m->gone = xrealloc(m->gone, nd * sizeof(uint32_t));
		m->gone_r = xrealloc(m->gone_r, nd * sizeof(double));
		m->dirty = xrealloc(m->dirty, nd * sizeof(uint32_t));
		m->dcap = nd;
	}
	if (ne > m->dlcap) {
		m->ld_dag = xrealloc(m->ld_dag, ne * sizeof(uint32_t));
		m->dlcap = ne;
	}
}

/* DAG -> flows, link -> DAGs, and the DAGs' part of the link sums. */
static void dags_incidence(struct maxmin *m, const struct maxmin_problem *p)
{
	const struct maxmin_dags *g = m->g;
	uint32_t f, d, e, l;

	memset(m->df_off, 0, ((size_t)g->n + 2) * sizeof(uint32_t));
	memset(m->ld_off, 0, ((size_t)p->nlinks + 2) * sizeof(uint32_t));
	for (f = 0; f < p->nflows; f++)
		if (g->dag[f] != UINT32_MAX)
			m->df_off[g->dag[f] + 2]++;
	for (d = 0; d < g->n; d++) {
		m->live[d] = m->df_off[d + 2];
		m->gone[d] = 0;
		m->gone_r[d] = 0;
		m->df_off[d + 2] += m->df_off[d + 1];
		for (e = g->off[d]; e < g->off[d + 1]; e++) {
			l = g->link[e];
			m->ld_off[l + 2]++;
			m->wsum[l] += g->w[e] * m->live[d];
			m->nlive[l] += m->live[d];
		}
	}
	for (l = 0; l < p->nlinks; l++)
		m->ld_off[l + 2] += m->ld_off[l + 1];
	for (f = 0; f < p->nflows; f++)
		if (g->dag[f] != UINT32_MAX)
			m->df_flow[m->df_off[g->dag[f] + 1]++] = f;
	for (d = 0; d < g->n; d++)
		for (e = g->off[d]; e < g->off[d + 1]; e++)
			m->ld_dag[m->ld_off[g->link[e] + 1]++] = d;
	m->ndirty = 0;
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
	if (m->g) {
		dags_reserve(m, p);
		dags_incidence(m, p);
	}
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

/* A flow of DAG d froze at rate r. */
static void dag_leave(struct maxmin *m, uint32_t d, double r)
{
	if (m->gone[d]++ == 0)
		m->dirty[m->ndirty++] = d;
	m->gone_r[d] += r;
	m->live[d]--;
}

/* Fix flow f at rate r and move the links it crosses in the heap (its
 * DAG's later, by flush()). */
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
	if (m->g && m->g->dag[f] != UINT32_MAX)
		dag_leave(m, m->g->dag[f], r);
}

/* Take the flows that left DAGs off the DAGs' links: their keys rise,
 * and are left low in the heap until settle() looks at them. */
static void flush(struct maxmin *m)
{
	const struct maxmin_dags *g = m->g;
	uint32_t i, e;

	for (i = 0; i < m->ndirty; i++) {
		uint32_t d = m->dirty[i], k = m->gone[d];
		double r = m->gone_r[d];

		for (e = g->off[d]; e < g->off[d + 1]; e++) {
			uint32_t l = g->link[e];

			m->rem[l] -= g->w[e] * r;
			m->wsum[l] -= g->w[e] * k;
			m->nlive[l] -= k;
			if (m->nlive[l] == 0 || m->wsum[l] <= 0)
				heap_remove(&m->heap, l);
		}
		m->gone[d] = 0;
		m->gone_r[d] = 0;
	}
	m->ndirty = 0;
}

/* Every key in the heap is at most its link's true level; make the top's
 * exact, and with it the least. */
static void settle(struct maxmin *m)
{
	flush(m);
	while (m->heap.len > 0) {
		uint32_t l = heap_top(&m->heap);
		double key = (m->rem[l] > 0 ? m->rem[l] : 0) / m->wsum[l];

		if (key == m->heap.key[l])
			return;
		heap_set(&m->heap, l, key);
	}
}

/* Whether flow f reaches its demand before any link saturates. */
static bool demand_first(struct maxmin *m, const struct maxmin_problem *p,
			 uint32_t f)
{
	if (m->heap.len == 0 ||
	    p->demand[f] <= m->heap.key[heap_top(&m->heap)])
		return true;
	if (m->g == NULL)
		return false;
	settle(m);
	return m->heap.len == 0 ||
	       p->demand[f] <= m->heap.key[heap_top(&m->heap)];
}

static bool linkless(const struct maxmin *m, const struct maxmin_problem *p,
		     uint32_t f)
{
	const struct maxmin_dags *g = m->g;
	uint32_t d = g ? g->dag[f] : UINT32_MAX;

	return p->off[f] == p->off[f + 1] &&
	       (d == UINT32_MAX || g->off[d] == g->off[d + 1]);
}

/* The heap's top link saturates at share: freeze every flow on it. */
static void saturate(struct maxmin *m, const struct maxmin_problem *p,
		     double *rate)
{
	uint32_t l = heap_top(&m->heap), i, j;
	double share = m->heap.key[l];

	heap_remove(&m->heap, l);
	for (i = m->lf_off[l]; i < m->lf_off[l + 1]; i++)
		if (!m->frozen[m->lf_flow[i]])
			freeze(m, p, m->lf_flow[i], share, rate);
	if (m->g == NULL)
		return;
	for (i = m->ld_off[l]; i < m->ld_off[l + 1]; i++) {
		uint32_t d = m->ld_dag[i];

		for (j = m->df_off[d]; j < m->df_off[d + 1] && m->live[d]; j++)
			if (!m->frozen[m->df_flow[j]])
				freeze(m, p, m->df_flow[j], share, rate);
	}
}

static void solve(struct maxmin *m, const struct maxmin_problem *p,
		  double *rate)
{
	uint32_t k = 0;

	setup(m, p);
	for (;;) {
		while (k < p->nflows && m->frozen[m->order[k]])
			k++;
		if (k == p->nflows)
			break;
		if (demand_first(m, p, m->order[k])) {
			uint32_t f = m->order[k];

			/* no link at all: unroutable, not demand-limited */
			freeze(m, p, f, linkless(m, p, f) ? 0 : p->demand[f], rate);
			continue;
		}
		saturate(m, p, rate);
	}
}

void maxmin_solve(struct maxmin *m, const struct maxmin_problem *p,
		  double *rate)
{
	m->g = NULL;
	solve(m, p, rate);
}

void maxmin_solve_dags(struct maxmin *m, const struct maxmin_problem *p,
		       const struct maxmin_dags *g, double *rate)
{
	m->g = g;
	solve(m, p, rate);
	m->g = NULL;
}
