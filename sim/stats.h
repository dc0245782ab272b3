/* Link utilisation statistics, by link class: the directed links between
 * two adjacent levels in one direction ("tor>leaf", "leaf>tor", ...),
 * which is how a planner reads a CLOS. */
#ifndef CK_STATS_H
#define CK_STATS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "net.h"

#define STATS_BINS 10	/* utilisation histogram: 0-10%, ..., 90-100% */
#define STATS_SATURATED (1.0 - 1e-9)

/* Class of a directed link: 2 * lower level, + 1 going down. */
static inline uint32_t stats_class(const struct net *n, uint32_t link)
{
	uint32_t lo = n->lvl[n->from[link]] < n->lvl[n->to[link]]
			      ? n->lvl[n->from[link]] : n->lvl[n->to[link]];

	return 2 * lo + (link & 1);
}

/* Sort doubles ascending (for quantiles). */
void stats_sort(double *v, size_t n);

/* "tor>leaf" for a class, into buf. */
const char *stats_class_name(const struct net *n, uint32_t cls, char *buf,
			     size_t len);
/* [{"links": "tor>leaf", "count", "saturated", "mean", "min", "p50",
 *   "p90", "max", "histogram": [STATS_BINS counts]}] over live links, from
 * load (bps by directed link); new reference. */
json_t *stats_links(const struct net *n, const double *load);
/* The class with the most saturated live links, or NULL if none is. */
const char *stats_bottleneck(const struct net *n, const double *load,
			     char *buf, size_t len);

#endif
