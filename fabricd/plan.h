/* What the kernel side of a transaction must change: links (MTU, up),
 * loopback addresses the agent owns, routing sysctls. plan_build() reads the
 * current state through net_ops and keeps only real changes, each with its
 * value before, so that the plan can be undone and journaled. */
#ifndef FD_PLAN_H
#define FD_PLAN_H

#include <stddef.h>

#include <jansson.h>

#include "apply.h"
#include "err.h"

struct nodecfg;

enum plan_kind { PLAN_LINK, PLAN_ADDR_ADD, PLAN_ADDR_DEL, PLAN_SYSCTL };

struct plan_step {
	enum plan_kind kind;
	char name[64];		/* interface, or sysctl key */
	int mtu_before, mtu_after;
	int up_before, up_after;
	char value[64];		/* prefix (addresses), value after (sysctl) */
	char before[64];	/* sysctl value before */
};

struct plan {
	struct plan_step *steps;
	size_t n, cap;
};

/* The interface that carries loopback addresses. */
#define PLAN_LOOPBACK "lo"

/* old: last-known-good, cand: the target (NULL at generation 0: owns
 * nothing, so a rollback to it removes old's loopback addresses). A
 * missing fabric interface is an error (code "missing-interface"). */
int plan_build(const struct net_ops *ops, void *ctx, const struct nodecfg *old,
	       const struct nodecfg *cand, struct plan *p, struct ck_err *err);
void plan_free(struct plan *p);
json_t *plan_to_json(const struct plan *p);		/* new reference */
int plan_from_json(json_t *a, struct plan *p, struct ck_err *err);
/* One line per step, for dry runs and logs. */
void plan_describe(const struct plan *p, struct sbuf *out);

#endif
