#include "rollout.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundlefmt.h"
#include "xalloc.h"

void rollout_free(struct rollout *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		free(r->nodes[i].name);
		free(r->nodes[i].role);
	}
	for (i = 0; i < r->n_waves; i++)
		free(r->waves[i]);
	free(r->nodes);
	free(r->waves);
	memset(r, 0, sizeof(*r));
}

static void add_node(struct rollout *r, const char *name, const char *role)
{
	r->nodes = xrealloc(r->nodes, (r->n + 1) * sizeof(*r->nodes));
	r->nodes[r->n].name = xstrdup(name);
	r->nodes[r->n].role = xstrdup(role);
	r->nodes[r->n].wave = -1;
	r->n++;
}

/* Names from the manifest become paths (nodes/NAME/node.json); the
 * reader checks them with fabric-gen's rule, since a bundle on disk is
 * input like any other ("../../x" must not read outside it). Pushing
 * needs names and roles only, hence lenient. */
int rollout_load(const char *dir, const char *only, struct rollout *r,
		 long long *generation, struct ck_err *err)
{
	struct bundlefmt_manifest m;
	size_t i, n;

	memset(r, 0, sizeof(*r));
	if (bundlefmt_manifest_read(dir, BUNDLEFMT_LENIENT, &m, err) < 0) {
		n = err ? strlen(err->msg) : 0;
		if (err)
			snprintf(err->msg + n, sizeof(err->msg) - n,
				 ": rebuild the bundle with fabric-gen");
		return -1;
	}
	*generation = m.generation;
	for (i = 0; i < m.n_nodes; i++)
		if (!only || fnmatch(only, m.nodes[i].name, 0) == 0)
			add_node(r, m.nodes[i].name, m.nodes[i].role);
	bundlefmt_manifest_free(&m);
	return 0;
}

static int add_wave(struct rollout *r, const char *name)
{
	r->waves = xrealloc(r->waves, (r->n_waves + 1) * sizeof(char *));
	r->waves[r->n_waves] = xstrdup(name);
	return (int)r->n_waves++;
}

/* Assign unassigned nodes matching item to a new wave; returns count. */
static size_t take(struct rollout *r, const char *item)
{
	size_t i, got = 0, limit = (size_t)-1;
	int w = -1, canary = strncmp(item, "canary", 6) == 0;
	int all = strcmp(item, "rest") == 0 || strcmp(item, "all") == 0;

	if (canary)
		limit = item[6] == ':' ? strtoul(item + 7, NULL, 10) : 1;
	for (i = 0; i < r->n && got < limit; i++) {
		struct rollout_node *nd = &r->nodes[i];

		if (nd->wave >= 0 || !(canary || all ||
				       strcmp(nd->role, item) == 0 ||
				       fnmatch(item, nd->name, 0) == 0))
			continue;
		if (w < 0)
			w = add_wave(r, item);
		nd->wave = w;
		got++;
	}
	return got;
}

/* A role, canary[:N], rest/all, or a glob (or name) matching some node:
 * a typo must not silently make an empty wave. */
static int item_ok(const struct rollout *r, const char *item)
{
	static const char *const words[] = { "server", "tor", "leaf", "spine",
		"superspine", "border", "rest", "all", "canary" };
	size_t i;

	if (strncmp(item, "canary:", 7) == 0)
		return strtoul(item + 7, NULL, 10) > 0;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(item, words[i]) == 0)
			return 1;
	for (i = 0; i < r->n; i++)
		if (fnmatch(item, r->nodes[i].name, 0) == 0)
			return 1;
	return 0;
}

/* Stable: each wave becomes one contiguous run, in manifest order. */
static void sort_by_wave(struct rollout *r)
{
	struct rollout_node *v = xcalloc(r->n + 1, sizeof(*v));
	size_t i, k = 0;
	int w;

	for (w = 0; w < (int)r->n_waves; w++)
		for (i = 0; i < r->n; i++)
			if (r->nodes[i].wave == w)
				v[k++] = r->nodes[i];
	free(r->nodes);
	r->nodes = v;
}

int rollout_plan(struct rollout *r, const char *spec, struct ck_err *err)
{
	char *copy = xstrdup(spec), *save = NULL, *item;

	for (item = strtok_r(copy, ",", &save); item;
	     item = strtok_r(NULL, ",", &save)) {
		if (!item_ok(r, item)) {
			ck_err_set(err, "", 0, 0, "--waves: '%s' is no role and "
				   "matches no node; use canary[:N], a role "
				   "(server, tor, leaf, spine, superspine, "
				   "border), a node name or glob, or rest", item);
			free(copy);
			return -1;
		}
		take(r, item);
	}
	take(r, "rest");
	free(copy);
	sort_by_wave(r);
	return 0;
}
