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
	if (o->mtu)
		n->mtu = o->mtu;
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

/* The last override that set the MTU of node n: the one that made a
 * cable's ends differ. */
static const struct topo_override *mtu_source(const struct topo *t,
					      const struct topo_node *n)
{
	uint32_t j = t->noverrides;

	while (j-- > 0)
		if (t->overrides[j].mtu &&
		    fnmatch(t->overrides[j].match, n->name, 0) == 0)
			return &t->overrides[j];
	return NULL;
}

static int mtu_mismatch(const struct topo *t, const struct topo_link *l,
			struct ck_err *err)
{
	const struct topo_port *pa = &t->ports[l->a_port];
	const struct topo_port *pb = &t->ports[l->b_port];
	const struct topo_node *a = &t->nodes[pa->node];
	const struct topo_node *b = &t->nodes[pb->node];
	const struct topo_override *oa = mtu_source(t, a);
	const struct topo_override *ob = mtu_source(t, b);
	/* the later of the two overrides is the one that split the cable;
	 * at least one end has one, since without overrides all agree */
	const struct topo_override *o = !ob || (oa && oa > ob) ? oa : ob;
	const struct topo_node *hit = o == oa ? a : b;

	ck_err_set(err, t->file, o->mtu_loc.line, o->mtu_loc.col, "mtu: "
		   "match '%s' sets MTU %u on %s but not on the other end of "
		   "its cable %s:%s - %s:%s (MTU %u and %u); a cable's ends "
		   "must agree, so match both ends of every cable of the "
		   "nodes, or remove the override", o->match, o->mtu,
		   hit->name, a->name, pa->name, b->name, pb->name, a->mtu,
		   b->mtu);
	return -1;
}

static int check_mtus(const struct topo *t, struct ck_err *err)
{
	uint32_t l;

	for (l = 0; l < t->nlinks; l++) {
		const struct topo_link *k = &t->links[l];

		if (t->nodes[t->ports[k->a_port].node].mtu !=
		    t->nodes[t->ports[k->b_port].node].mtu)
			return mtu_mismatch(t, k, err);
	}
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
	return check_mtus(t, err);
}
