#include "plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nodecfg.h"
#include "xalloc.h"

/* Routing sysctls every node needs: forwarding, and L4 (5-tuple) ECMP
 * hashing like the rest of the fabric. Keys below /proc/sys/net. */
static const char *const sysctls[][2] = {
	{ "ipv4/ip_forward", "1" },
	{ "ipv6/conf/all/forwarding", "1" },
	{ "ipv4/fib_multipath_hash_policy", "1" },
	{ "ipv6/fib_multipath_hash_policy", "1" },
};

static struct plan_step *add_step(struct plan *p, enum plan_kind kind,
				  const char *name)
{
	struct plan_step *s;

	p->steps = xgrow(p->steps, &p->cap, p->n + 1, sizeof(*p->steps));
	s = &p->steps[p->n++];
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	snprintf(s->name, sizeof(s->name), "%s", name);
	return s;
}

static int plan_link(const struct net_ops *ops, void *ctx, struct plan *p,
		     const char *ifname, int mtu, struct ck_err *err)
{
	struct link_info li;
	struct plan_step *s;

	if (ops->link_get(ctx, ifname, &li, err) < 0)
		return -1;
	if (!li.exists) {
		ck_err_set(err, "", 0, 0, "interface %s does not exist on this "
			   "box; check the cabling or the bundle", ifname);
		return -1;
	}
	if (li.up && (mtu == 0 || li.mtu == mtu))
		return 0;
	s = add_step(p, PLAN_LINK, ifname);
	s->mtu_before = li.mtu;
	s->mtu_after = mtu ? mtu : li.mtu;
	s->up_before = li.up;
	s->up_after = 1;
	return 0;
}

static int has_str(char *const *v, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return 1;
	return 0;
}

static int plan_addrs(const struct net_ops *ops, void *ctx, struct plan *p,
		      const struct nodecfg *old, const struct nodecfg *cand,
		      struct ck_err *err)
{
	size_t i;
	int has;

	for (i = 0; old && i < old->n_loopbacks; i++) {
		if (has_str(cand->loopbacks, cand->n_loopbacks, old->loopbacks[i]))
			continue;
		if (ops->addr_has(ctx, PLAN_LOOPBACK, old->loopbacks[i], &has,
				  err) < 0)
			return -1;
		if (has)
			snprintf(add_step(p, PLAN_ADDR_DEL, PLAN_LOOPBACK)->value,
				 64, "%s", old->loopbacks[i]);
	}
	for (i = 0; i < cand->n_loopbacks; i++) {
		if (ops->addr_has(ctx, PLAN_LOOPBACK, cand->loopbacks[i], &has,
				  err) < 0)
			return -1;
		if (!has)
			snprintf(add_step(p, PLAN_ADDR_ADD, PLAN_LOOPBACK)->value,
				 64, "%s", cand->loopbacks[i]);
	}
	return 0;
}

static int plan_sysctl(const struct net_ops *ops, void *ctx, struct plan *p,
		       const char *key, const char *want, struct ck_err *err)
{
	char cur[64];
	struct plan_step *s;

	if (ops->sysctl_get(ctx, key, cur, sizeof(cur), err) < 0)
		return -1;
	if (strcmp(cur, want) == 0)
		return 0;
	s = add_step(p, PLAN_SYSCTL, key);
	snprintf(s->before, sizeof(s->before), "%s", cur);
	snprintf(s->value, sizeof(s->value), "%s", want);
	return 0;
}

/* The routing sysctls, and IPv6 on every fabric port: BGP unnumbered
 * (RFC 5549) runs over the link-local address the kernel gives a port
 * once it is up with IPv6 enabled. */
static int plan_sysctls(const struct net_ops *ops, void *ctx, struct plan *p,
			const struct nodecfg *cand, struct ck_err *err)
{
	char key[64];
	size_t i;

	for (i = 0; i < sizeof(sysctls) / sizeof(sysctls[0]); i++)
		if (plan_sysctl(ops, ctx, p, sysctls[i][0], sysctls[i][1],
				err) < 0)
			return -1;
	for (i = 0; i < cand->n_ifaces; i++) {
		snprintf(key, sizeof(key), "ipv6/conf/%s/disable_ipv6",
			 cand->ifaces[i].name);
		if (plan_sysctl(ops, ctx, p, key, "0", err) < 0)
			return -1;
	}
	return 0;
}

int plan_build(const struct net_ops *ops, void *ctx, const struct nodecfg *old,
	       const struct nodecfg *cand, struct plan *p, struct ck_err *err)
{
	static const struct nodecfg none;	/* generation 0 */
	size_t i;

	memset(p, 0, sizeof(*p));
	if (cand == NULL)
		cand = &none;
	if (plan_link(ops, ctx, p, PLAN_LOOPBACK, 0, err) < 0)
		goto fail;
	for (i = 0; i < cand->n_ifaces; i++)
		if (plan_link(ops, ctx, p, cand->ifaces[i].name,
			      cand->ifaces[i].mtu, err) < 0)
			goto fail;
	if (plan_addrs(ops, ctx, p, old, cand, err) < 0 ||
	    plan_sysctls(ops, ctx, p, cand, err) < 0)
		goto fail;
	return 0;
fail:
	plan_free(p);
	return -1;
}

void plan_free(struct plan *p)
{
	free(p->steps);
	memset(p, 0, sizeof(*p));
}

static const char *const kind_names[] = { "link", "addr-add", "addr-del",
					  "sysctl" };

json_t *plan_to_json(const struct plan *p)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < p->n; i++) {
		const struct plan_step *s = &p->steps[i];

		json_array_append_new(a, json_pack(
			"{s:s, s:s, s:i, s:i, s:b, s:b, s:s, s:s}", "kind",
			kind_names[s->kind], "name", s->name, "mtuBefore",
			s->mtu_before, "mtuAfter", s->mtu_after, "upBefore",
			s->up_before, "upAfter", s->up_after, "value", s->value,
			"before", s->before));
	}
	return a;
}

static int step_from_json(json_t *o, struct plan *p, struct ck_err *err)
{
	const char *kind, *name, *value, *before;
	struct plan_step s;
	size_t k;

	memset(&s, 0, sizeof(s));
	if (json_unpack(o, "{s:s, s:s, s:i, s:i, s:b, s:b, s:s, s:s}", "kind",
			&kind, "name", &name, "mtuBefore", &s.mtu_before,
			"mtuAfter", &s.mtu_after, "upBefore", &s.up_before,
			"upAfter", &s.up_after, "value", &value, "before",
			&before) < 0)
		goto bad;
	for (k = 0; k < 4 && strcmp(kind, kind_names[k]) != 0; k++)
		;
	if (k == 4)
		goto bad;
	*add_step(p, (enum plan_kind)k, name) = s;
	p->steps[p->n - 1].kind = (enum plan_kind)k;
	snprintf(p->steps[p->n - 1].name, 64, "%s", name);
	snprintf(p->steps[p->n - 1].value, 64, "%s", value);
	snprintf(p->steps[p->n - 1].before, 64, "%s", before);
	return 0;
bad:
	ck_err_set(err, "", 0, 0, "journal: malformed plan step");
	return -1;
}

int plan_from_json(json_t *a, struct plan *p, struct ck_err *err)
{
	json_t *o;
	size_t i;

	memset(p, 0, sizeof(*p));
	if (!json_is_array(a)) {
		ck_err_set(err, "", 0, 0, "journal: plan is not an array");
		return -1;
	}
	json_array_foreach(a, i, o)
		if (step_from_json(o, p, err) < 0) {
			plan_free(p);
			return -1;
		}
	return 0;
}

void plan_describe(const struct plan *p, struct sbuf *out)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		const struct plan_step *s = &p->steps[i];

		if (s->kind == PLAN_LINK)
			sbuf_addf(out, "link %s: mtu %d -> %d, %s -> up\n",
				  s->name, s->mtu_before, s->mtu_after,
				  s->up_before ? "up" : "down");
		else if (s->kind == PLAN_SYSCTL)
			sbuf_addf(out, "sysctl net/%s: %s -> %s\n", s->name,
				  s->before, s->value);
		else
			sbuf_addf(out, "address %s %s on %s\n",
				  s->kind == PLAN_ADDR_ADD ? "add" : "delete",
				  s->value, s->name);
	}
}
