#include "asn.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

static const struct {
	uint32_t lo, hi;
	const char *what;
} reserved[] = {
	{ 0, 0, "reserved (RFC 7607)" },
	{ 23456, 23456, "AS_TRANS (RFC 6793)" },
	{ 64496, 64511, "reserved for documentation (RFC 5398)" },
	{ 65535, 65535, "reserved (RFC 7300)" },
	{ 65536, 65551, "reserved for documentation (RFC 5398)" },
	{ UINT32_MAX, UINT32_MAX, "reserved (RFC 7300)" },
};

int asn_reserved(uint32_t lo, uint32_t hi, uint32_t *asn, const char **what)
{
	size_t i;

	for (i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
		if (lo <= reserved[i].hi && reserved[i].lo <= hi) {
			*asn = lo > reserved[i].lo ? lo : reserved[i].lo;
			*what = reserved[i].what;
			return 1;
		}
	return 0;
}

static const struct topo_asnrange *range_for(const struct topo *t,
					     const char *tier)
{
	uint32_t i;

	for (i = 0; i < t->nasns; i++)
		if (strcmp(t->asns[i].tier, tier) == 0)
			return &t->asns[i];
	return NULL;
}

static int check_ranges(const struct topo *t, struct ck_err *err)
{
	uint32_t i, j, k;

	for (i = 0; i < t->nasns; i++) {
		const struct topo_asnrange *a = &t->asns[i];

		k = topo_find_tier(t, a->tier, strlen(a->tier));
		if (k == TOPO_NONE && strcmp(a->tier, "server") != 0) {
			ck_err_set(err, t->file, a->loc.line, a->loc.col,
				   "asn: '%s' is neither 'server' nor a tier "
				   "name; fix the key", a->tier);
			return -1;
		}
		for (j = 0; j < i; j++)
			if (a->lo <= t->asns[j].hi && t->asns[j].lo <= a->hi) {
				ck_err_set(err, t->file, a->loc.line,
					   a->loc.col, "asn: range of '%s' "
					   "overlaps that of '%s'; give each "
					   "tier its own range", a->tier,
					   t->asns[j].tier);
				return -1;
			}
	}
	return 0;
}

static int plan_kind(struct topo *t, const char *name, uint32_t tier,
		     const struct topo_loc *loc, struct ck_err *err)
{
	const struct topo_asnrange *r = range_for(t, name);
	const struct topo_tier *tr = tier != TOPO_NONE ? &t->tiers[tier] : NULL;
	uint64_t next = 0, size, need = 0;
	uint32_t i;

	if (r == NULL) {
		ck_err_set(err, t->file, loc->line, loc->col, "asn: no range "
			   "for '%s'; add '%s: LOW-HIGH' under 'asn' ("
			   ASN_PRIVATE_HINT ")", name, name);
		return -1;
	}
	size = (uint64_t)r->hi - r->lo + 1;
	for (i = 0; i < t->nnodes; i++) {
		struct topo_node *n = &t->nodes[i];
		uint64_t off;

		if (n->tier != tier)
			continue;
		off = tr && tr->asn_shared ? topo_scope_instance(n, tr->scope) : next++;
		if (off + 1 > need)
			need = off + 1;
		if (off < size)
			n->asn = r->lo + (uint32_t)off;
	}
	if (need > size) {
		ck_err_set(err, t->file, r->loc.line, r->loc.col, "asn: range "
			   "of '%s' holds %llu ASNs but %llu are needed; "
			   "widen it", name, (unsigned long long)size,
			   (unsigned long long)need);
		return -1;
	}
	return 0;
}

int asn_plan(struct topo *t, struct ck_err *err)
{
	struct topo_loc top = { 1, 1 };
	uint32_t k;

	if (check_ranges(t, err) < 0 ||
	    plan_kind(t, "server", TOPO_NONE, &top, err) < 0)
		return -1;
	for (k = 0; k < t->ntiers; k++)
		if (plan_kind(t, t->tiers[k].name, k, &t->tiers[k].loc,
			      err) < 0)
			return -1;
	return 0;
}

static int cmp_asn(const void *a, const void *b, void *arg)
{
	const struct topo *t = arg;
	uint32_t x = t->nodes[*(const uint32_t *)a].asn;
	uint32_t y = t->nodes[*(const uint32_t *)b].asn;

	return x < y ? -1 : x > y;
}

static bool may_share(const struct topo *t, const struct topo_node *a,
		      const struct topo_node *b)
{
	const struct topo_tier *tr;

	if (a->tier != b->tier || a->tier == TOPO_NONE)
		return false;
	tr = &t->tiers[a->tier];
	return tr->asn_shared && topo_scope_instance(a, tr->scope) == topo_scope_instance(b, tr->scope);
}

/* The override that set an ASN, if any: that is where a clash was made. */
static const struct topo_loc *override_of(const struct topo *t, uint32_t asn)
{
	uint32_t i;

	for (i = 0; i < t->noverrides; i++)
		if (t->overrides[i].asn == asn)
			return &t->overrides[i].loc;
	return NULL;
}

int asn_check(struct topo *t, struct ck_err *err)
{
	uint32_t *idx = xmalloc(t->nnodes * sizeof(uint32_t)), i;
	int rc = 0;

	for (i = 0; i < t->nnodes; i++)
		idx[i] = i;
	qsort_r(idx, t->nnodes, sizeof(uint32_t), cmp_asn, t);
	for (i = 1; i < t->nnodes && rc == 0; i++) {
		const struct topo_node *a = &t->nodes[idx[i - 1]];
		const struct topo_node *b = &t->nodes[idx[i]];

		if (a->asn == b->asn && !may_share(t, a, b)) {
			const struct topo_loc *l = override_of(t, a->asn);

			ck_err_set(err, t->file, l ? l->line : 0,
				   l ? l->col : 0, "ASN %u is used by both "
				   "%s and %s; check 'overrides' and the "
				   "'asn' ranges", a->asn, a->name, b->name);
			rc = -1;
		}
	}
	free(idx);
	return rc;
}
