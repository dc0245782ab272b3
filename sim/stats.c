#include "stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

static const char *level_name(const struct net *n, uint32_t lvl)
{
	return lvl == 0 ? "server" : n->t->tiers[lvl - 1].name;
}

const char *stats_class_name(const struct net *n, uint32_t cls, char *buf,
			     size_t len)
{
	uint32_t lo = cls / 2;

	if (cls & 1)
		snprintf(buf, len, "%s>%s", level_name(n, lo + 1),
			 level_name(n, lo));
	else
		snprintf(buf, len, "%s>%s", level_name(n, lo),
			 level_name(n, lo + 1));
	return buf;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

void stats_sort(double *v, size_t n)
{
	qsort(v, n, sizeof(double), cmp_double);
}

static double quantile(const double *v, size_t cnt, double q)
{
	size_t i = (size_t)(q * (double)(cnt - 1) + 0.5);

	return v[i < cnt ? i : cnt - 1];
}

static json_t *class_json(const struct net *n, uint32_t cls, double *u,
			  size_t cnt)
{
	json_t *h = json_array(), *o;
	size_t i, sat = 0, bins[STATS_BINS] = { 0 };
	double sum = 0;
	char name[128];

	stats_sort(u, cnt);
	for (i = 0; i < cnt; i++) {
		size_t b = (size_t)(u[i] * STATS_BINS);

		sum += u[i];
		sat += u[i] >= STATS_SATURATED;
		bins[b < STATS_BINS ? b : STATS_BINS - 1]++;
	}
	for (i = 0; i < STATS_BINS; i++)
		json_array_append_new(h, json_integer((json_int_t)bins[i]));
	o = json_pack("{s:s, s:I, s:I, s:f, s:f, s:f, s:f, s:f, s:o}",
		      "links", stats_class_name(n, cls, name, sizeof(name)),
		      "count", (json_int_t)cnt, "saturated", (json_int_t)sat,
		      "mean", sum / (double)cnt, "min", u[0], "p50",
		      quantile(u, cnt, 0.5), "p90", quantile(u, cnt, 0.9),
		      "max", u[cnt - 1], "histogram", h);
	return o;
}

json_t *stats_links(const struct net *n, const double *load)
{
	uint32_t ncls = 2 * n->maxlvl, c, l;
	double *u = xmalloc(((size_t)n->nlinks + 1) * sizeof(double));
	json_t *a = json_array();

	for (c = 0; c < ncls; c++) {
		size_t cnt = 0;

		for (l = 0; l < n->nlinks; l++)
			if (net_alive(n, l) && stats_class(n, l) == c &&
			    n->cap[l] > 0)
				u[cnt++] = load[l] / n->cap[l];
		if (cnt)
			json_array_append_new(a, class_json(n, c, u, cnt));
	}
	free(u);
	return a;
}

const char *stats_bottleneck(const struct net *n, const double *load,
			     char *buf, size_t len)
{
	uint32_t ncls = 2 * n->maxlvl, l, best = 0;
	uint32_t *sat = xcalloc((size_t)ncls + 1, sizeof(uint32_t));

	for (l = 0; l < n->nlinks; l++)
		if (net_alive(n, l) && load[l] >= n->cap[l] * STATS_SATURATED)
			sat[stats_class(n, l)]++;
	for (l = 1; l < ncls; l++)
		if (sat[l] > sat[best])
			best = l;
	if (sat[best] == 0) {
		free(sat);
		return NULL;
	}
	free(sat);
	return stats_class_name(n, best, buf, len);
}
