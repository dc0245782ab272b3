#include "push.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "bundlefmt.h"
#include "fsutil.h"
#include "out.h"
#include "rollout.h"
#include "xalloc.h"

struct push {
	const struct push_opts *o;
	struct rollout ro;
	long long generation;
	struct client_req *reqs;	/* one per node, rollout order */
	const char **outcome;		/* per node, owned; NULL: skipped */
	char **message;			/* per node, owned */
	int wave;			/* running wave, for progress */
};

/* {"node": node.json, "files": {"frr.conf": text}, "generation": G} */
static char *body_of(const struct push *p, const struct bundlefmt_node *n,
		     const char *frr)
{
	json_t *b = json_pack("{s:o, s:{s:s}, s:I}", "node",
			      bundlefmt_node_json(n), "files", "frr.conf", frr,
			      "generation", (json_int_t)n->generation);
	char *s;

	if (p->o->confirm_s > 0)
		json_object_set_new(b, "confirmTimeoutS",
				    json_integer(p->o->confirm_s));
	if (p->o->allow_miswired)
		json_object_set_new(b, "allowMiswired", json_true());
	s = json_dumps(b, JSON_COMPACT);
	json_decref(b);
	return s;
}

static char *bundle_body(const struct push *p, const char *node, char *msg,
			 size_t len)
{
	char *nj = xasprintf("%s/nodes/%s/node.json", p->o->dir, node);
	char *fc = xasprintf("%s/nodes/%s/frr.conf", p->o->dir, node);
	struct bundlefmt_node n;
	char *frr = NULL, *s = NULL;
	struct ck_err err;

	if (bundlefmt_node_read(nj, &n, &err) < 0) {
		snprintf(msg, len, "cannot read %s: %.160s", nj, err.msg);
	} else {
		if (fs_read_file(fc, &frr, NULL, &err) < 0)
			snprintf(msg, len, "cannot read %s", fc);
		else
			s = body_of(p, &n, frr);
		bundlefmt_node_free(&n);
	}
	free(frr);
	free(nj);
	free(fc);
	return s;
}

static void prep(struct client_req *r, void *arg)
{
	struct push *p = arg;
	size_t i = (size_t)(r - p->reqs);

	r->body = bundle_body(p, r->node, r->error, sizeof(r->error));
	if (r->body == NULL) {	/* unreadable bundle: send nothing usable */
		p->message[i] = xstrdup(r->error);
		r->body = xstrdup("{}");
	}
}

static const char *json_field(json_t *j, const char *k)
{
	const char *s = json_string_value(json_object_get(j, k));

	return s ? s : "";
}

/* Record the outcome of node i from its last response. */
static void outcome(struct push *p, struct client_req *r, json_t *j)
{
	size_t i = (size_t)(r - p->reqs);
	const char *err = json_field(j, "error");

	free(p->message[i]);
	p->message[i] = NULL;
	if (r->http == 0) {
		p->outcome[i] = xstrdup("unreachable");
		p->message[i] = xstrdup(r->error);
	} else if (*err) {
		p->outcome[i] = xstrdup(err);
		p->message[i] = xstrdup(json_field(j, "message"));
	} else if (json_object_get(j, "wouldRefuse")) {
		/* a dry run that a push would fail fails too, with the code
		 * the push would get */
		json_t *w = json_object_get(j, "wouldRefuse");

		p->outcome[i] = xstrdup(*json_field(w, "error") ?
					json_field(w, "error") : "would-refuse");
		p->message[i] = xasprintf("a push would be refused: %s",
					  json_field(w, "message"));
	} else {
		p->outcome[i] = xstrdup(*json_field(j, "outcome") ?
					json_field(j, "outcome") : "ok");
	}
}

static int done(struct client_req *r, void *arg)
{
	struct push *p = arg;
	json_t *j = r->resp.s ? json_loads(r->resp.s, 0, NULL) : NULL;
	int again = 0;

	if (r->stage == 0 && r->http == 202) {
		/* verified, pending: our confirmation proves the management
		 * path still works after the change */
		r->stage = 1;
		r->method = "POST";
		free(r->path);
		r->path = xstrdup("/v1/confirm");
		free(r->body);
		r->body = NULL;
		again = 1;
	} else {
		outcome(p, r, j);
		free(r->body);
		r->body = NULL;
		sbuf_free(&r->resp);
	}
	json_decref(j);
	return again;
}

static void progress(size_t n, size_t total, void *arg)
{
	struct push *p = arg;

	if (p->o->quiet || p->o->json || !isatty(2))
		return;
	fprintf(stderr, "\rwave %d/%zu %-12s [%-30.*s] %zu/%zu", p->wave + 1,
		p->ro.n_waves, p->ro.waves[p->wave],
		(int)(30 * n / (total ? total : 1)),
		"==============================", n, total);
	if (n == total)
		fputc('\n', stderr);
}

static int ok(const char *outcome)
{
	return outcome && (!strcmp(outcome, "committed") ||
			   !strcmp(outcome, "unchanged") ||
			   !strcmp(outcome, "dry-run"));
}

static void init_req(struct push *p, size_t i)
{
	struct client_req *r = &p->reqs[i];

	memset(r, 0, sizeof(*r));
	r->node = p->ro.nodes[i].name;
	r->addr = inventory_addr(p->o->inv, r->node);
	r->port = p->o->port;
	r->method = "PUT";
	r->path = xstrdup(p->o->dry_run ? "/v1/bundle?dryRun=1" : "/v1/bundle");
	sbuf_init(&r->resp);
}

/* Run wave w (a contiguous run of nodes); returns how many failed. */
static size_t run_wave(struct push *p, int w)
{
	struct client_hooks hk = { prep, done, progress, p };
	size_t first = 0, n = 0, i, failed = 0;

	while (first < p->ro.n && p->ro.nodes[first].wave != w)
		first++;
	while (first + n < p->ro.n && p->ro.nodes[first + n].wave == w)
		n++;
	p->wave = w;
	client_run(&p->o->tls, p->reqs + first, n, p->o->parallel, &hk);
	for (i = first; i < first + n; i++)
		failed += !ok(p->outcome[i]);
	return failed;
}

static void print_table(const json_t *j, FILE *out, const void *arg)
{
	const struct push *p = arg;
	size_t i;

	(void)j;
	fprintf(out, "%-24s %-12s %10s %-18s %8s  %s\n", "NODE", "WAVE",
		"GENERATION", "OUTCOME", "SECONDS", "MESSAGE");
	for (i = 0; i < p->ro.n; i++)
		fprintf(out, "%-24s %-12s %10lld %-18s %8.2f  %.120s\n",
			p->ro.nodes[i].name, p->ro.waves[p->ro.nodes[i].wave],
			p->generation, p->outcome[i] ? p->outcome[i] : "skipped",
			p->reqs[i].seconds, p->message[i] ? p->message[i] : "");
}

static json_t *result(const struct push *p, int all_ok)
{
	json_t *nodes = json_array(), *j;
	size_t i;

	for (i = 0; i < p->ro.n; i++) {
		j = json_pack("{s:s, s:s, s:I, s:s, s:f, s:i}", "node",
			      p->ro.nodes[i].name, "wave",
			      p->ro.waves[p->ro.nodes[i].wave], "generation",
			      (json_int_t)p->generation, "outcome",
			      p->outcome[i] ? p->outcome[i] : "skipped",
			      "seconds", p->reqs[i].seconds, "http",
			      (int)p->reqs[i].http);
		if (p->message[i])
			json_object_set_new(j, "message",
					    json_string(p->message[i]));
		json_array_append_new(nodes, j);
	}
	return json_pack("{s:I, s:b, s:o}", "generation",
			 (json_int_t)p->generation, "ok", all_ok, "nodes",
			 nodes);
}

/* The table (--quiet: only when something failed) or the JSON. */
static void print(const struct push *p, size_t failed, FILE *out)
{
	struct out_view v = { NULL, NULL, NULL, p };

	v.json = result(p, failed == 0);
	v.text = !p->o->quiet || failed ? print_table : NULL;
	out_format(p->o->json)->write(&v, out);
	json_decref((json_t *)v.json);
}

static void push_free(struct push *p)
{
	size_t i;

	for (i = 0; i < p->ro.n; i++) {
		client_req_fini(&p->reqs[i]);
		free((char *)p->outcome[i]);
		free(p->message[i]);
	}
	free(p->reqs);
	free(p->outcome);
	free(p->message);
	rollout_free(&p->ro);
}

int push_run(const struct push_opts *o, FILE *out, struct ck_err *err)
{
	struct push p;
	size_t i, failed = 0;
	int w;

	memset(&p, 0, sizeof(p));
	p.o = o;
	if (rollout_load(o->dir, o->only, &p.ro, &p.generation, err) < 0 ||
	    rollout_plan(&p.ro, o->waves ? o->waves : ROLLOUT_DEFAULT_WAVES,
			 err) < 0) {
		rollout_free(&p.ro);
		return -1;
	}
	if (p.ro.n == 0) {
		ck_err_set(err, o->dir, 0, 0, "no node matches --only '%s'",
			   o->only ? o->only : "*");
		rollout_free(&p.ro);
		return -1;
	}
	p.reqs = xcalloc(p.ro.n, sizeof(*p.reqs));
	p.outcome = xcalloc(p.ro.n, sizeof(char *));
	p.message = xcalloc(p.ro.n, sizeof(char *));
	for (i = 0; i < p.ro.n; i++)
		init_req(&p, i);
	/* a dry run changes nothing: it checks every wave, to list every
	 * refusal; a push stops at the first wave with a failure */
	for (w = 0; w < (int)p.ro.n_waves && (failed == 0 || o->dry_run); w++)
		failed += run_wave(&p, w);
	for (i = 0; i < p.ro.n; i++)
		failed += p.outcome[i] == NULL;	/* skipped after a failure */
	print(&p, failed, out);
	push_free(&p);
	return failed ? 1 : 0;
}
