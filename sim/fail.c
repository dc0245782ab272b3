#include "fail.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

void fail_init(struct fail *fl)
{
	memset(fl, 0, sizeof(*fl));
}

void fail_free(struct fail *fl)
{
	free(fl->nodes);
	free(fl->links);
	fail_init(fl);
}

static bool has_node(const struct fail *fl, uint32_t u)
{
	size_t i;

	for (i = 0; i < fl->nnodes; i++)
		if (fl->nodes[i] == u)
			return true;
	return false;
}

static void add_node(struct fail *fl, uint32_t u)
{
	if (has_node(fl, u))
		return;
	fl->nodes = xgrow(fl->nodes, &fl->ncap, fl->nnodes + 1,
			  sizeof(uint32_t));
	fl->nodes[fl->nnodes++] = u;
}

static int find_node(const struct net *n, const char *spec, const char *name,
		     uint32_t *out, struct ck_err *err)
{
	*out = topo_find_node(n->t, name);
	if (*out != TOPO_NONE)
		return 0;
	ck_err_set(err, NULL, 0, 0, "--fail %s: no node '%s' in fabric '%s'; "
		   "names are as in `fabric-gen show` and cabling.csv "
		   "(e.g. '%s')", spec, name, n->t->name,
		   n->t->nodes[n->t->nnodes - 1].name);
	return -1;
}

static int add_link(struct fail *fl, const struct net *n, const char *spec,
		    const char *arg, struct ck_err *err)
{
	const char *colon = strrchr(arg, ':');
	char *name;
	uint32_t u, l;
	int rc;

	if (colon == NULL || colon == arg || colon[1] == '\0') {
		ck_err_set(err, NULL, 0, 0, "--fail %s: expected "
			   "link:NODE:PORT, e.g. link:%s:%s", spec,
			   n->t->nodes[n->from[0]].name, net_port(n, 0)->name);
		return -1;
	}
	name = xstrndup(arg, (size_t)(colon - arg));
	rc = find_node(n, spec, name, &u, err);
	free(name);
	if (rc < 0)
		return -1;
	l = net_link_by_port(n, u, colon + 1);
	if (l == UINT32_MAX) {
		ck_err_set(err, NULL, 0, 0, "--fail %s: node '%s' has no "
			   "cabled port '%s' (its ports are %s..., see "
			   "cabling.csv)", spec, n->t->nodes[u].name, colon + 1,
			   net_port(n, n->adj[n->off[u]])->name);
		return -1;
	}
	fl->links = xgrow(fl->links, &fl->lcap, fl->nlinks + 1,
			  sizeof(uint32_t));
	fl->links[fl->nlinks++] = l;
	return 0;
}

/* K distinct live switches of the tier, by a partial shuffle. */
static int add_random(struct fail *fl, const struct net *n, const char *spec,
		      const char *arg, struct rng *rng, struct ck_err *err)
{
	const struct topo *t = n->t;
	const char *colon = strrchr(arg, ':');
	uint32_t k, cnt = 0, i, n_tier, *pool;
	unsigned long want;
	char *end;

	k = colon ? topo_find_tier(t, arg, (size_t)(colon - arg)) : TOPO_NONE;
	errno = 0;
	want = colon ? strtoul(colon + 1, &end, 10) : 0;
	if (k == TOPO_NONE || errno || *end || want == 0) {
		ck_err_set(err, NULL, 0, 0, "--fail %s: expected "
			   "random:TIER:K with TIER one of the topology's "
			   "tiers (e.g. random:%s:1) and K > 0", spec,
			   t->tiers[t->ntiers - 1].name);
		return -1;
	}
	pool = topo_tier_switches(t, k, &n_tier);
	for (i = 0; i < n_tier; i++)
		if (!has_node(fl, pool[i]))
			pool[cnt++] = pool[i];
	if (want > cnt) {
		ck_err_set(err, NULL, 0, 0, "--fail %s: tier '%s' has only %u "
			   "switches left to fail", spec, t->tiers[k].name, cnt);
		free(pool);
		return -1;
	}
	for (i = 0; i < want; i++) {
		uint32_t j = i + rng_below(rng, cnt - i), x = pool[i];

		pool[i] = pool[j];
		pool[j] = x;
		add_node(fl, pool[i]);
	}
	free(pool);
	return 0;
}

int fail_add(struct fail *fl, const struct net *n, const char *spec,
	     struct rng *rng, struct ck_err *err)
{
	uint32_t u;

	if (strncmp(spec, "node:", 5) == 0) {
		if (find_node(n, spec, spec + 5, &u, err) < 0)
			return -1;
		add_node(fl, u);
		return 0;
	}
	if (strncmp(spec, "link:", 5) == 0)
		return add_link(fl, n, spec, spec + 5, err);
	if (strncmp(spec, "random:", 7) == 0)
		return add_random(fl, n, spec, spec + 7, rng, err);
	ck_err_set(err, NULL, 0, 0, "--fail %s: expected node:NAME, "
		   "link:NODE:PORT or random:TIER:K", spec);
	return -1;
}

int fail_add_all(struct fail *fl, struct net *n, const char *const *specs,
		 size_t nspecs, uint64_t seed, struct ck_err *err)
{
	struct rng r;
	size_t i;

	rng_seed(&r, seed ^ 0xfa11ull);
	for (i = 0; i < nspecs; i++)
		if (fail_add(fl, n, specs[i], &r, err) < 0)
			return -1;
	fail_apply(fl, n, +1);
	return 0;
}

void fail_apply(const struct fail *fl, struct net *n, int delta)
{
	size_t i;

	for (i = 0; i < fl->nnodes; i++)
		net_fail_node(n, fl->nodes[i], delta);
	for (i = 0; i < fl->nlinks; i++)
		net_fail_cable(n, fl->links[i], delta);
}

json_t *fail_json(const struct fail *fl, const struct net *n)
{
	json_t *a = json_array();
	char buf[512];
	size_t i;

	for (i = 0; i < fl->nnodes; i++)
		json_array_append_new(a, json_pack("{s:s, s:s}", "kind",
			"node", "name", n->t->nodes[fl->nodes[i]].name));
	for (i = 0; i < fl->nlinks; i++)
		json_array_append_new(a, json_pack("{s:s, s:s}", "kind",
			"link", "name", net_link_name(n, fl->links[i], buf,
						      sizeof(buf))));
	return a;
}
