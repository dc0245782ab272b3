#include "fib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lab.h"
#include "run.h"
#include "xalloc.h"

#define IP_TIMEOUT_MS 10000

static uint32_t parse_dst(const char *s, int *len)
{
	unsigned a, b, c, d, l = 32;

	if (s && strcmp(s, "default") == 0) {
		*len = 0;
		return 0;
	}
	if (s == NULL ||
	    sscanf(s, "%u.%u.%u.%u/%u", &a, &b, &c, &d, &l) < 4 || l > 32) {
		*len = -1;
		return 0;
	}
	*len = (int)l;
	return a << 24 | b << 16 | c << 8 | d;
}

static void route_add_dev(struct route *r, const json_t *o)
{
	const char *dev = json_string_value(json_object_get(o, "dev"));

	if (dev && r->ndev < 8)
		snprintf(r->devs[r->ndev++], sizeof(r->devs[0]), "%s", dev);
}

static void fib_add(struct fib *f, size_t *cap, const json_t *e)
{
	json_t *nh = json_object_get(e, "nexthops"), *h;
	struct route r;
	size_t k;

	memset(&r, 0, sizeof(r));
	r.dst = parse_dst(json_string_value(json_object_get(e, "dst")),
			  &r.len);
	if (r.len < 0)
		return;
	if (nh)
		json_array_foreach(nh, k, h)
			route_add_dev(&r, h);
	else
		route_add_dev(&r, e);
	f->r = xgrow(f->r, cap, f->n + 1, sizeof(r));
	f->r[f->n++] = r;
}

void fib_load(const char *ns, struct fib *f)
{
	const char *argv[] = { "ip", "-j", "-n", ns, "route", "show", NULL };
	struct sbuf out;
	json_t *a = NULL, *e;
	size_t i, cap = 0;

	sbuf_init(&out);
	f->r = NULL;
	f->n = 0;
	if (run_argv(argv, IP_TIMEOUT_MS, &out, NULL) == 0)
		a = json_loads(out.s ? out.s : "[]", 0, NULL);
	sbuf_free(&out);
	json_array_foreach(a, i, e)
		fib_add(f, &cap, e);
	json_decref(a);
}

const struct route *fib_lookup(const struct fib *f, uint32_t dst)
{
	const struct route *best = NULL;
	size_t i;

	for (i = 0; i < f->n; i++) {
		uint32_t mask = f->r[i].len ? ~0u << (32 - f->r[i].len) : 0;

		if ((dst & mask) == f->r[i].dst &&
		    (!best || f->r[i].len > best->len))
			best = &f->r[i];
	}
	return best;
}

struct fib *fib_load_all(struct lab *l)
{
	struct fib *fibs = xcalloc(l->t->nnodes, sizeof(*fibs));
	uint32_t i;

	for (i = 0; i < l->t->nnodes; i++)
		fib_load(l->ns[i], &fibs[i]);
	return fibs;
}

void fib_free_all(struct lab *l, struct fib *fibs)
{
	uint32_t i;

	for (i = 0; fibs && i < l->t->nnodes; i++)
		free(fibs[i].r);
	free(fibs);
}

bool fib_servers_complete(struct lab *l, const struct fib *fibs)
{
	const struct topo *t = l->t;
	uint32_t s, d;

	for (s = 0; s < t->nnodes; s++) {
		if (t->nodes[s].role != ROLE_SERVER ||
		    t->nodes[s].routing != HOST_BGP)
			continue;
		for (d = 0; d < t->nnodes; d++) {
			const struct route *r;

			if (d == s || t->nodes[d].role != ROLE_SERVER)
				continue;
			r = fib_lookup(&fibs[s], t->nodes[d].addr);
			if (r == NULL || (uint32_t)r->ndev != t->nodes[s].nports)
				return false;
		}
	}
	return true;
}
