#include "override.h"

#include <fnmatch.h>
#include <string.h>

static const char *name_at(const struct topo *t, uint32_t i)
{
	return t->nodes[t->by_name[i]].name;
}

/* First position in the sorted name index whose name is not below the
 * len-character prefix pre: comparing only len characters keeps the
 * order of a sorted list. */
static uint32_t lower_bound(const struct topo *t, const char *pre, size_t len)
{
	uint32_t lo = 0, hi = t->nnodes;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (strncmp(name_at(t, mid), pre, len) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int override_each(const struct topo *t, const struct topo_override *o,
		  int (*fn)(void *arg, uint32_t node), void *arg,
		  uint32_t *matched)
{
	size_t len = strcspn(o->match, "*?[\\");
	uint32_t i, n;
	int rc;

	*matched = 0;
	if (o->match[len] == '\0') {	/* no glob character: exact */
		n = topo_find_node(t, o->match);
		if (n == TOPO_NONE)
			return 0;
		*matched = 1;
		return fn(arg, n);
	}
	for (i = lower_bound(t, o->match, len);
	     i < t->nnodes && strncmp(name_at(t, i), o->match, len) == 0;
	     i++) {
		if (fnmatch(o->match, name_at(t, i), 0) != 0)
			continue;
		(*matched)++;
		if ((rc = fn(arg, t->by_name[i])) != 0)
			return rc;
	}
	return 0;
}

struct apply {
	struct topo *t;
	const struct topo_override *o;
	struct ck_err *err;
};

static int apply_node(void *arg, uint32_t node)
{
	struct apply *a = arg;
	const struct topo_override *o = a->o;
	struct topo_node *n = &a->t->nodes[node];

	if (o->routing >= 0 && n->role != ROLE_SERVER) {
		ck_err_set(a->err, a->t->file, o->routing_loc.line,
			   o->routing_loc.col, "routing: applies to servers "
			   "only, but match '%s' also matches %s (%s), where "
			   "it would do nothing; narrow the match to servers",
			   o->match, n->name, topo_role_name(n->role));
		return -1;
	}
	if (o->mtu) {
		n->mtu = o->mtu;
		n->mtu_override = (uint32_t)(o - a->t->overrides) + 1;
	}
	if (o->bfd_interval_ms)
		n->bfd_interval_ms = o->bfd_interval_ms;
	if (o->bfd_multiplier)
		n->bfd_multiplier = o->bfd_multiplier;
	if (o->asn)
		n->asn = o->asn;
	if (o->routing >= 0)
		n->routing = (enum topo_hostmode)o->routing;
	return 0;
}

int override_apply(struct topo *t, struct ck_err *err)
{
	struct apply a = { t, NULL, err };
	uint32_t j, matched;

	for (j = 0; j < t->noverrides; j++) {
		a.o = &t->overrides[j];
		if (override_each(t, a.o, apply_node, &a, &matched) != 0)
			return -1;
		t->overrides[j].matched = matched;
		if (matched == 0) {
			ck_err_set(err, t->file, a.o->loc.line, a.o->loc.col,
				   "overrides: match '%s' matches no node; "
				   "fix the pattern or remove the override "
				   "(see fabric-gen show for names)",
				   a.o->match);
			return -1;
		}
	}
	return 0;
}
