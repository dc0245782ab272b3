#include "traffic.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "sbuf.h"
#include "xalloc.h"

void traffic_pair(struct traffic_gen *g, uint32_t src, uint32_t dst,
		  uint32_t count)
{
	uint32_t i;

	for (i = 0; i < count * g->per_pair; i++)
		flows_add(g->f, src, dst,
			  (uint16_t)(32768 + rng_below(&g->rng, 28232)));
}

static uint32_t *shuffled(struct traffic_gen *g)
{
	uint32_t s = g->n->nservers, i, *p = xmalloc(((size_t)s + 1) * 4);

	for (i = 0; i < s; i++)
		p[i] = i;
	for (i = s; i > 1; i--) {
		uint32_t j = rng_below(&g->rng, i), x = p[i - 1];

		p[i - 1] = p[j];
		p[j] = x;
	}
	return p;
}

/* A shuffle with its fixed points swapped away: swapping a fixed point i
 * with any j makes neither a fixed point. */
static int gen_permutation(struct traffic_gen *g, struct ck_err *err)
{
	uint32_t s = g->n->nservers, i, *p;

	(void)err;
	if (s < 2)
		return 0;
	p = shuffled(g);
	for (i = 0; i < s; i++)
		if (p[i] == i) {
			uint32_t j = (i + 1) % s, x = p[i];

			p[i] = p[j];
			p[j] = x;
		}
	for (i = 0; i < s; i++)
		traffic_pair(g, g->n->servers[i], g->n->servers[p[i]], 1);
	free(p);
	return 0;
}

static int gen_stride(struct traffic_gen *g, struct ck_err *err)
{
	uint32_t s = g->n->nservers, i;

	if (g->tr->k % s == 0) {
		ck_err_set(err, NULL, 0, 0, "traffic '%s': a stride that is a "
			   "multiple of the %u servers sends every server to "
			   "itself; use 1..%u", g->tr->spec, s, s - 1);
		return -1;
	}
	for (i = 0; i < s; i++)
		traffic_pair(g, g->n->servers[i],
			     g->n->servers[(uint32_t)(((uint64_t)i + g->tr->k) % s)],
			     1);
	return 0;
}

/* traffic_applies() saw 2 racks or more */
static int gen_rack(struct traffic_gen *g, struct ck_err *err)
{
	const struct topo *t = g->n->t;
	uint32_t s = g->n->nservers, i, r;
	uint32_t *first = xcalloc((size_t)t->nracks + 1, sizeof(uint32_t));
	uint32_t *cnt = xcalloc((size_t)t->nracks + 1, sizeof(uint32_t));

	(void)err;
	for (i = s; i-- > 0;) {	/* servers are in rack order */
		r = t->nodes[g->n->servers[i]].rack;
		first[r] = i;
		cnt[r]++;
	}
	for (i = 0; i < s; i++) {
		uint32_t u = g->n->servers[i], nr = (t->nodes[u].rack + 1) %
						     t->nracks;

		traffic_pair(g, u, g->n->servers[first[nr] + (i -
			     first[t->nodes[u].rack]) % cnt[nr]], 1);
	}
	free(first);
	free(cnt);
	return 0;
}

/* Partial Fisher-Yates over one array that stays a permutation, with the
 * sender parked in the last slot: O(N) per server, no rejection. */
static int gen_all(struct traffic_gen *g, struct ck_err *err)
{
	uint32_t s = g->n->nservers, i, j, *p, *pos;

	if (g->tr->k == 0 || g->tr->k >= s) {
		ck_err_set(err, NULL, 0, 0, "traffic '%s': N must be 1..%u "
			   "(servers - 1)", g->tr->spec, s - 1);
		return -1;
	}
	p = xmalloc((size_t)s * 4);
	pos = xmalloc((size_t)s * 4);
	for (i = 0; i < s; i++)
		p[i] = pos[i] = i;
	for (i = 0; i < s; i++) {
		uint32_t a = pos[i], x = p[s - 1];

		p[s - 1] = i, p[a] = x, pos[x] = a, pos[i] = s - 1;
		for (j = 0; j < g->tr->k; j++) {
			uint32_t r = j + rng_below(&g->rng, s - 1 - j);

			x = p[j], p[j] = p[r], p[r] = x;
			pos[p[j]] = j, pos[p[r]] = r;
			traffic_pair(g, g->n->servers[i],
				     g->n->servers[p[j]], 1);
		}
	}
	free(p);
	free(pos);
	return 0;
}

static int gen_incast(struct traffic_gen *g, struct ck_err *err)
{
	uint32_t s = g->n->nservers, i, *p, k = g->tr->k;

	if (k == 0 || k >= s) {
		ck_err_set(err, NULL, 0, 0, "traffic '%s': K senders per "
			   "receiver must be 1..%u", g->tr->spec, s - 1);
		return -1;
	}
	p = shuffled(g);
	for (i = 0; i + 1 < s; i += k + 1) {
		uint32_t j, rcv = g->n->servers[p[i]];

		for (j = 1; j <= k && i + j < s; j++)
			traffic_pair(g, g->n->servers[p[i + j]], rcv, 1);
	}
	free(p);
	return 0;
}

static int file_server(const struct net *n, const char *path, int line,
		       const char *name, uint32_t *out, struct ck_err *err)
{
	uint32_t u = topo_find_node(n->t, name);

	if (u == TOPO_NONE || n->t->nodes[u].role != ROLE_SERVER) {
		ck_err_set(err, path, line, 0, "'%s' is not a server of "
			   "fabric '%s'; use server names as in `fabric-gen "
			   "show`/cabling.csv", name, n->t->name);
		return -1;
	}
	*out = u;
	return 0;
}

/* A count of at most 100,000 times --flows-per-pair (at most 10,000)
 * stays within 32 bits; the file's flows in all are capped too, as each
 * takes memory and solver time (a small file could ask for billions), and
 * checked before any is made. */
#define FILE_MAX_FLOWS 10000000u

struct file_pair {
	uint32_t src, dst, count;
};

static int file_line(struct traffic_gen *g, char *s, int line,
		     struct file_pair *p, uint64_t *total, struct ck_err *err)
{
	const char *path = g->tr->path;
	char *f[4], *save = NULL, *tok;
	uint32_t nf = 0, a, b;
	unsigned long cnt = 1;

	for (tok = strtok_r(s, ",", &save); tok && nf < 4;
	     tok = strtok_r(NULL, ",", &save))
		f[nf++] = tok + strspn(tok, " \t");
	if (nf < 2 || nf > 3) {
		ck_err_set(err, path, line, 0, "expected 'src,dst[,flows]'");
		return -1;
	}
	for (a = 0; a < nf; a++)
		f[a][strcspn(f[a], " \t\r")] = '\0';
	if (file_server(g->n, path, line, f[0], &a, err) < 0 ||
	    file_server(g->n, path, line, f[1], &b, err) < 0)
		return -1;
	if (nf == 3) {
		char *end;

		errno = 0;
		cnt = strtoul(f[2], &end, 10);
		if (errno || *end || cnt == 0 || cnt > 100000) {
			ck_err_set(err, path, line, 0, "flows '%s': expected "
				   "a count from 1 to 100000", f[2]);
			return -1;
		}
	}
	if (a == b) {
		ck_err_set(err, path, line, 0, "'%s' sends to itself; a flow "
			   "needs two different servers", f[0]);
		return -1;
	}
	*total += (uint64_t)cnt * g->per_pair;
	if (*total > FILE_MAX_FLOWS) {
		ck_err_set(err, path, line, 0, "more than %u flows in all "
			   "(counts times --flows-per-pair %u); use smaller "
			   "counts", FILE_MAX_FLOWS, g->per_pair);
		return -1;
	}
	*p = (struct file_pair){ a, b, (uint32_t)cnt };
	return 0;
}

static int gen_file(struct traffic_gen *g, struct ck_err *err)
{
	struct file_pair *pairs = NULL;
	char *buf, *s, *nl;
	size_t len, n = 0, cap = 0, i;
	uint64_t total = 0;
	int line = 0, rc = 0;

	if (fs_read_file(g->tr->path, &buf, &len, err) < 0)
		return -1;
	for (s = buf; rc == 0 && s && *s; s = nl) {
		nl = strchr(s, '\n');
		if (nl)
			*nl++ = '\0';
		line++;
		s += strspn(s, " \t\r");
		if (*s == '\0' || *s == '#' ||
		    (line == 1 && strncmp(s, "src,", 4) == 0))
			continue;
		pairs = xgrow(pairs, &cap, n + 1, sizeof(*pairs));
		rc = file_line(g, s, line, &pairs[n++], &total, err);
	}
	for (i = 0; rc == 0 && i < n; i++)
		traffic_pair(g, pairs[i].src, pairs[i].dst, pairs[i].count);
	free(pairs);
	free(buf);
	return rc;
}

static const struct traffic_ops t_perm = { "permutation", NULL,
					   gen_permutation };
static const struct traffic_ops t_stride = { "stride", "K", gen_stride };
static const struct traffic_ops t_rack = { "rack-to-rack", NULL, gen_rack };
static const struct traffic_ops t_all = { "all-to-all", "N", gen_all };
static const struct traffic_ops t_incast = { "incast", "K", gen_incast };
static const struct traffic_ops t_file = { "file", "PATH", gen_file };

const struct traffic_ops *const traffic_all[] = {
	&t_perm, &t_stride, &t_rack, &t_all, &t_incast, &t_file, NULL
};

static int parse_arg(const char *spec, const char *arg, struct traffic *tr,
		     struct ck_err *err)
{
	char *end;
	unsigned long v;

	if (tr->ops == &t_file) {
		tr->path = arg;
		if (*arg)
			return 0;
		ck_err_set(err, NULL, 0, 0, "traffic '%s': file needs a path, "
			   "e.g. file:flows.csv", spec);
		return -1;
	}
	errno = 0;
	v = strtoul(arg, &end, 10);
	if (errno || *end || end == arg || v == 0 || v > UINT32_MAX) {
		ck_err_set(err, NULL, 0, 0, "traffic '%s': %s must be a "
			   "positive integer", spec, tr->ops->arg);
		return -1;
	}
	tr->k = (uint32_t)v;
	return 0;
}

static void known(struct sbuf *b)
{
	size_t i;

	for (i = 0; traffic_all[i]; i++)
		sbuf_addf(b, "%s%s%s%s", i ? ", " : "", traffic_all[i]->name,
			  traffic_all[i]->arg ? ":" : "",
			  traffic_all[i]->arg ? traffic_all[i]->arg : "");
}

int traffic_parse(const char *spec, struct traffic *tr, struct ck_err *err)
{
	const char *colon = strchr(spec, ':');
	size_t nlen = colon ? (size_t)(colon - spec) : strlen(spec), i;
	struct sbuf b;

	memset(tr, 0, sizeof(*tr));
	snprintf(tr->spec, sizeof(tr->spec), "%s", spec);
	for (i = 0; traffic_all[i]; i++) {
		const struct traffic_ops *o = traffic_all[i];

		if (strlen(o->name) != nlen || strncmp(o->name, spec, nlen))
			continue;
		tr->ops = o;
		if (!o->arg != !colon) {
			ck_err_set(err, NULL, 0, 0, "traffic '%s': %s %s%s%s%s",
				   spec, o->name, o->arg ? "needs an argument: "
				   : "takes no argument", o->arg ? o->name : "",
				   o->arg ? ":" : "", o->arg ? o->arg : "");
			return -1;
		}
		return o->arg ? parse_arg(spec, tr->spec + nlen + 1, tr, err)
			      : 0;
	}
	sbuf_init(&b);
	known(&b);
	ck_err_set(err, NULL, 0, 0, "unknown traffic pattern '%s'; use one "
		   "of: %s", spec, b.s);
	sbuf_free(&b);
	return -1;
}

bool traffic_applies(const struct traffic *tr, const struct net *n,
		     char *why, size_t len)
{
	if (n->nservers < 2)
		snprintf(why, len, "needs at least 2 servers; this fabric has "
			 "%u", n->nservers);
	else if (tr->ops == &t_rack && n->t->nracks < 2)
		snprintf(why, len, "needs at least 2 racks; this fabric has %u",
			 n->t->nracks);
	else
		return true;
	return false;
}

int traffic_gen(const struct traffic *tr, const struct net *n, uint64_t seed,
		uint32_t per_pair, struct flows *f, struct ck_err *err)
{
	struct traffic_gen g = { tr, n, { { 0 } }, per_pair ? per_pair : 1,
				 f };

	char why[128];

	rng_seed(&g.rng, seed);
	flows_clear(f);
	if (!traffic_applies(tr, n, why, sizeof(why))) {
		ck_err_set(err, NULL, 0, 0, "traffic '%s' %s", tr->spec, why);
		return -1;
	}
	if (tr->ops->gen(&g, err) < 0)
		return -1;
	flows_set_demands(f, n->srv_bps, n->nnodes);
	return 0;
}
