/* Which nodes a push goes to, and in which waves. Pure. */
#ifndef FD_ROLLOUT_H
#define FD_ROLLOUT_H

#include <stddef.h>

#include "err.h"

struct rollout_node {
	char *name;
	char *role;
	int wave;		/* index into rollout.waves */
};

struct rollout {
	struct rollout_node *nodes;	/* selected nodes, manifest order */
	size_t n;
	char **waves;			/* wave names */
	size_t n_waves;
};

/* Default wave order when --waves is not given. */
#define ROLLOUT_DEFAULT_WAVES "canary,server,tor,leaf,spine,superspine,border"

/* Load DIR/manifest.json, keep nodes matching only (glob, NULL = all). */
int rollout_load(const char *dir, const char *only, struct rollout *r,
		 long long *generation, struct ck_err *err);
/* Assign waves from spec: items "canary[:N]", a role, a glob, "rest";
 * nodes no item takes go to a final wave "rest". Empty waves vanish.
 * Afterwards nodes are ordered by wave (each wave contiguous). */
int rollout_plan(struct rollout *r, const char *spec, struct ck_err *err);
void rollout_free(struct rollout *r);

#endif
