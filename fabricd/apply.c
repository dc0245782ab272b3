#include "apply.h"

#include "plan.h"

static int step_do(const struct net_ops *ops, void *ctx,
		   const struct plan_step *s, int undo, struct ck_err *err)
{
	switch (s->kind) {
	case PLAN_LINK:
		return ops->link_set(ctx, s->name,
				     undo ? s->mtu_before : s->mtu_after,
				     undo ? s->up_before : s->up_after, err);
	case PLAN_ADDR_ADD:
		return (undo ? ops->addr_del : ops->addr_add)(ctx, s->name,
							      s->value, err);
	case PLAN_ADDR_DEL:
		return (undo ? ops->addr_add : ops->addr_del)(ctx, s->name,
							      s->value, err);
	case PLAN_SYSCTL:
		return ops->sysctl_set(ctx, s->name,
				       undo ? s->before : s->value, err);
	}
	return -1;
}

int apply_plan(const struct net_ops *ops, void *ctx, const struct plan *p,
	       int undo, size_t n, unsigned long *writes, struct ck_err *err)
{
	struct ck_err e2;
	size_t i;
	int rc = 0;

	if (n > p->n)
		n = p->n;
	for (i = 0; i < n; i++) {
		const struct plan_step *s = &p->steps[undo ? n - 1 - i : i];

		if (writes)
			(*writes)++;
		if (step_do(ops, ctx, s, undo, rc ? &e2 : err) == 0)
			continue;
		rc = -1;
		if (!undo)
			return -1;
	}
	return rc;
}
