#include "subtree.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sbuf.h"
#include "xalloc.h"

#define NONE UINT32_MAX

/* Down from u, marking nodes with stamp; the servers found go to out (if
 * not NULL). Returns how many. */
static uint32_t walk(const struct net *n, uint32_t u, uint32_t *stack,
		     uint32_t *seen, uint32_t stamp, uint32_t *out)
{
	uint32_t sp = 0, cnt = 0, i, v;

	seen[u] = stamp;
	stack[sp++] = u;
	while (sp) {
		u = stack[--sp];
		if (n->lvl[u] == 0) {
			if (out)
				out[cnt] = u;
			cnt++;
		}
		for (i = n->off[u] + n->nup[u]; i < n->off[u + 1]; i++) {
			v = n->to[n->adj[i]];
			if (seen[v] != stamp) {
				seen[v] = stamp;
				stack[sp++] = v;
			}
		}
	}
	return cnt;
}

/* The first server down the first down-links from u: switches of one
 * scope instance share it, so one walk per subtree does. */
static uint32_t first_server(const struct net *n, uint32_t u)
{
	while (n->lvl[u] != 0) {
		if (n->off[u] + n->nup[u] == n->off[u + 1])
			return NONE;
		u = n->to[n->adj[n->off[u] + n->nup[u]]];
	}
	return u;
}

static double up_bps(const struct net *n, uint32_t u)
{
	double sum = 0;
	uint32_t i;

	for (i = n->off[u]; i < n->off[u] + n->nup[u]; i++)
		sum += n->cap[n->adj[i]];
	return sum;
}

static void label(struct subtrees *st, const uint32_t *srv, uint32_t k,
		  uint32_t id)
{
	const struct net *n = st->n;
	uint32_t i;

	st->pod[id] = n->t->nodes[srv[0]].pod;
	for (i = 0; i < k; i++) {
		if (st->of[srv[i]] != NONE)
			continue;
		st->of[srv[i]] = id;
		st->size[id]++;
		st->srv_bps[id] += n->srv_bps[srv[i]];
		if (n->t->nodes[srv[i]].pod != st->pod[id])
			st->pod[id] = TOPO_NONE;
	}
	if (st->size[id] > st->max)
		st->max = st->size[id];
}

struct subtrees *subtree_new(const struct net *n, uint32_t tier)
{
	struct subtrees *st = xcalloc(1, sizeof(*st));
	size_t ns = (size_t)n->nservers + 1, nn = (size_t)n->nnodes + 1;
	uint32_t *stack = xmalloc(nn * sizeof(uint32_t)), *list = xmalloc(nn * 4);
	uint32_t *seen = xcalloc(nn, sizeof(uint32_t)), u, x, k;

	st->n = n;
	st->of = xmalloc(nn * sizeof(uint32_t));
	memset(st->of, 0xff, nn * sizeof(uint32_t));
	st->size = xcalloc(ns, sizeof(uint32_t));
	st->pod = xcalloc(ns, sizeof(uint32_t));
	st->up_bps = xcalloc(ns, sizeof(double));
	st->srv_bps = xcalloc(ns, sizeof(double));
	for (u = 0; u < n->nnodes; u++) {
		if (n->lvl[u] == 0 || n->t->nodes[u].tier != tier ||
		    (x = first_server(n, u)) == NONE)
			continue;
		if (st->of[x] == NONE) {
			k = walk(n, u, stack, seen, st->count + 1, list);
			label(st, list, k, st->count++);
		}
		st->up_bps[st->of[x]] += up_bps(n, u);
	}
	free(stack);
	free(list);
	free(seen);
	return st;
}

void subtree_free(struct subtrees *st)
{
	if (st == NULL)
		return;
	free(st->of);
	free(st->size);
	free(st->pod);
	free(st->up_bps);
	free(st->srv_bps);
	free(st);
}

/* Per subtree, from the flows: servers whose traffic leaves it, and the
 * rates offered and achieved by the flows leaving it. */
struct leaving {
	uint32_t *out;
	double *offered, *achieved;
};

static void leaving(const struct subtrees *st, const struct flows *f,
		    struct leaving *l)
{
	size_t ns = (size_t)st->count + 1;
	uint8_t *seen = xcalloc((size_t)st->n->nnodes + 1, 1);
	uint32_t i, a, b;

	l->out = xcalloc(ns, sizeof(uint32_t));
	l->offered = xcalloc(ns, sizeof(double));
	l->achieved = xcalloc(ns, sizeof(double));
	for (i = 0; i < f->n; i++) {
		a = st->of[f->src[i]], b = st->of[f->dst[i]];
		if (a == NONE || a == b)
			continue;
		l->out[a] += !seen[f->src[i]];
		seen[f->src[i]] = 1;
		l->offered[a] += f->demand[i];
		l->achieved[a] += f->rate[i];
	}
	free(seen);
}

static bool alike(const struct subtrees *st, uint32_t x, uint32_t y)
{
	return st->size[x] == st->size[y] &&
	       st->up_bps[x] == st->up_bps[y] &&
	       st->srv_bps[x] == st->srv_bps[y];
}

static json_t *class_new(const struct subtrees *st, uint32_t x)
{
	return json_pack("{s:[], s:I, s:I, s:f, s:f, s:I, s:f, s:f}", "pods",
			 "subtrees", (json_int_t)0, "servers",
			 (json_int_t)st->size[x], "serverGbps",
			 st->srv_bps[x] / 1e9, "uplinkGbps", st->up_bps[x] / 1e9,
			 "serversOut", (json_int_t)0, "offeredGbps", 0.0,
			 "achievedGbps", 0.0);
}

static void add_num(json_t *o, const char *key, double v)
{
	json_t *x = json_object_get(o, key);

	if (json_is_integer(x))
		json_integer_set(x, json_integer_value(x) + (json_int_t)v);
	else
		json_real_set(x, json_real_value(x) + v);
}

/* The pod of subtree x into the list (once); none if x spans pods. */
static void add_pod(json_t *pods, const struct subtrees *st, uint32_t x)
{
	const char *name;
	const json_t *p;
	size_t i;

	if (st->pod[x] == TOPO_NONE)
		return;
	name = st->n->t->pods[st->pod[x]].name;
	json_array_foreach(pods, i, p)
		if (strcmp(json_string_value(p), name) == 0)
			return;
	json_array_append_new(pods, json_string(name));
}

json_t *subtree_classes(const struct subtrees *st, const struct flows *f)
{
	uint32_t *rep = xmalloc(((size_t)st->count + 1) * sizeof(uint32_t));
	uint32_t x, k, nc = 0;
	json_t *a = json_array(), *o;
	struct leaving l;
	size_t i;

	leaving(st, f, &l);
	for (x = 0; x < st->count; x++) {
		for (k = 0; k < nc && !alike(st, rep[k], x); k++)
			;
		if (k == nc) {
			rep[nc++] = x;
			json_array_append_new(a, class_new(st, x));
		}
		o = json_array_get(a, k);
		add_pod(json_object_get(o, "pods"), st, x);
		add_num(o, "subtrees", 1);
		add_num(o, "serversOut", l.out[x]);
		add_num(o, "offeredGbps", l.offered[x] / 1e9);
		add_num(o, "achievedGbps", l.achieved[x] / 1e9);
	}
	json_array_foreach(a, i, o) {
		double off = json_real_value(json_object_get(o, "offeredGbps"));

		json_object_set_new(o, "fraction", json_real(off > 0 ?
			json_real_value(json_object_get(o, "achievedGbps")) /
			off : 1.0));
	}
	free(rep);
	free(l.out);
	free(l.offered);
	free(l.achieved);
	return a;
}

static double num(const json_t *o, const char *key)
{
	return json_number_value(json_object_get(o, key));
}

static bool all_out(const json_t *o)
{
	return num(o, "serversOut") >= num(o, "servers") * num(o, "subtrees");
}

void subtree_pods(struct sbuf *b, const json_t *cls)
{
	const json_t *p;
	size_t i;

	json_array_foreach(json_object_get(cls, "pods"), i, p)
		sbuf_addf(b, "%s%s", i ? ", " : "", json_string_value(p));
	if (json_array_size(json_object_get(cls, "pods")) == 0)
		sbuf_adds(b, "cross-pod");
}

void subtree_why(const json_t *classes, const char *tier, char *buf,
		 size_t len)
{
	const json_t *o = json_array_get(classes, 0);
	struct sbuf b;
	size_t i;

	if (json_array_size(classes) == 1 && all_out(o)) {
		snprintf(buf, len, "every %s subtree (%.0f servers) sends all "
			 "its traffic out of it", tier, num(o, "servers"));
		return;
	}
	sbuf_init(&b);
	sbuf_addf(&b, "every %s subtree sends its traffic out of it:", tier);
	json_array_foreach(classes, i, o) {
		sbuf_adds(&b, i ? "; " : " ");
		subtree_pods(&b, o);
		sbuf_addf(&b, " %.0f x %.0f servers (%.0f Gb/s nominal, %.0f "
			  "Gb/s up)", num(o, "subtrees"), num(o, "servers"),
			  num(o, "serverGbps"), num(o, "uplinkGbps"));
		if (!all_out(o))
			sbuf_addf(&b, ", only %.0f of %.0f servers out",
				  num(o, "serversOut"),
				  num(o, "servers") * num(o, "subtrees"));
	}
	snprintf(buf, len, "%s", b.s);
	sbuf_free(&b);
}

/* The class that fared worst, when the classes are unlike. */
void subtree_worst(struct sbuf *b, const json_t *classes, const char *tier)
{
	const json_t *o, *w = NULL;
	size_t i;

	if (json_array_size(classes) < 2)
		return;
	json_array_foreach(classes, i, o)
		if (w == NULL || num(o, "fraction") < num(w, "fraction"))
			w = o;
	sbuf_adds(b, "; worst: ");
	subtree_pods(b, w);
	sbuf_addf(b, " %s subtrees, %.1f%% of the %.0f Gb/s they send out",
		  tier, 100 * num(w, "fraction"), num(w, "offeredGbps"));
}
