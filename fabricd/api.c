#include "api.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nodecfg.h"
#include "portcheck.h"
#include "sbuf.h"
#include "txn.h"
#include "verify.h"
#include "xalloc.h"

/* The HTTP status of every code of the transaction: 409 for what the
 * agent's state refuses, 422 for a bundle this box cannot take, 503 for
 * "try again later", 507 for a full or read-only state directory. */
static const int code_status[TXN_CODE_COUNT] = {
	[TXN_OK] = 200,
	[TXN_BAD_JSON] = 400,
	[TXN_INVALID_BUNDLE] = 400,
	[TXN_WRONG_NODE] = 422,
	[TXN_CHECKSUM_MISMATCH] = 422,
	[TXN_TOO_LARGE] = 413,
	[TXN_OVERLOADED] = 503,
	[TXN_BUSY] = 409,
	[TXN_RECOVERY_FAILED] = 409,
	[TXN_PENDING_CONFIRM] = 409,
	[TXN_STALE_GENERATION] = 409,
	[TXN_NO_PENDING] = 409,
	[TXN_NO_PREVIOUS] = 409,
	[TXN_NO_BGP] = 409,
	[TXN_FRR_SYNTAX] = 422,
	[TXN_FRR_TIMEOUT] = 503,
	[TXN_MISSING_INTERFACE] = 422,
	[TXN_MISWIRED] = 409,
	[TXN_STATE_UNWRITABLE] = 507,
	[TXN_INTERNAL] = 500,
	[TXN_VERIFY_FAILED] = 422,
	[TXN_ROLLBACK_FAILED] = 500,
	[TXN_FRR_FAILED] = 500,
};

int api_code_status(enum txn_code c)
{
	return c >= TXN_OK && c < TXN_CODE_COUNT ? code_status[c] : 0;
}

int api_status(const struct txn_result *r)
{
	int http = api_code_status(r->code);

	if (r->code == TXN_OK && r->pending)
		return 202;
	return http ? http : 500;
}

void api_response_free(struct api_response *resp)
{
	free(resp->body);
	resp->body = NULL;
}

static void set_json(struct api_response *resp, int http, json_t *j)
{
	resp->http = http;
	resp->content_type = "application/json";
	resp->body = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(j);
}

void api_error(struct api_response *resp, int http, const char *code,
	       const char *message)
{
	set_json(resp, http, json_pack("{s:s, s:s}", "error", code, "message",
				       message));
}

/* The dryRun query argument asks for a dry run unless it is "0". */
static bool is_dry(const char *dry_run)
{
	return dry_run && strcmp(dry_run, "0") != 0;
}

/* The history's kind of a transaction request, or NULL: the names txn.c
 * records under ("dry-run" for a dry push). */
static const char *txn_kind(const char *method, const char *path,
			    const char *dry_run)
{
	static const char *const posts[][2] = {
		{ "/v1/confirm", "confirm" }, { "/v1/rollback", "rollback" },
		{ "/v1/drain", "drain" }, { "/v1/undrain", "undrain" },
	};
	size_t i;

	if (strcmp(method, "PUT") == 0 && strcmp(path, "/v1/bundle") == 0)
		return is_dry(dry_run) ? "dry-run" : "push";
	for (i = 0; strcmp(method, "POST") == 0 &&
		    i < sizeof(posts) / sizeof(posts[0]); i++)
		if (strcmp(path, posts[i][0]) == 0)
			return posts[i][1];
	return NULL;
}

void api_refuse(struct agent *a, const char *method, const char *path,
		const char *dry_run, enum txn_code code, const char *message,
		struct api_response *resp)
{
	const char *kind = txn_kind(method, path, dry_run);
	struct txn_result r;

	api_error(resp, api_code_status(code), txn_code_name(code), message);
	if (kind == NULL)
		return;
	txn_result_init(&r);
	txn_result_refuse(&r, code, message);
	txn_note_refusal(a, kind, 0, &r);
	txn_result_fini(&r);
}

/* A message as a JSON string: jansson takes valid UTF-8 only, and a
 * message may quote anything (ck_utf8_scrub drops what is not UTF-8). */
static json_t *text(const char *s)
{
	char *c = xstrdup(s);
	json_t *j;

	ck_utf8_scrub(c);
	j = json_string(c);
	free(c);
	return j;
}

static void from_result(struct api_response *resp, struct txn_result *r)
{
	json_t *j = r->body ? json_incref(r->body) : json_object();

	if (r->code != TXN_OK) {
		json_object_set_new(j, "error",
				    json_string(txn_code_name(r->code)));
		json_object_set_new(j, "message", text(r->message));
	}
	set_json(resp, api_status(r), j);
	txn_result_fini(r);
}

/* --- status ------------------------------------------------------------- */

static void show(struct agent *a, const char *cmd, struct sbuf *out)
{
	sbuf_init(out);
	if (a->ops.frr->show(a->cfg, cmd, out) < 0)
		sbuf_reset(out);
}

struct bfd_show {
	struct agent *a;
	struct sbuf out;
};

static void *show_bfd(void *arg)
{
	struct bfd_show *b = arg;

	show(b->a, "show bfd peers json", &b->out);
	return NULL;
}

/* The two vtysh runs (each mostly vtysh's own start-up) go side by side, so
 * status waits for one, not for both in turn. */
static json_t *peers(struct agent *a, const struct nodecfg *n)
{
	struct sbuf bgp;
	struct bfd_show b = { a, { NULL, 0, 0 } };
	pthread_t th;
	int threaded = pthread_create(&th, NULL, show_bfd, &b) == 0;
	json_t *t;

	show(a, "show bgp summary json", &bgp);
	if (threaded)
		pthread_join(th, NULL);
	else
		show_bfd(&b);
	t = verify_peer_table(n, bgp.s, b.out.s);
	sbuf_free(&bgp);
	sbuf_free(&b.out);
	return t;
}

/* Packet counters of the fabric interfaces (drain --wait uses them). */
static json_t *counters(struct agent *a, const struct nodecfg *n)
{
	json_t *t = json_array();
	struct link_info li;
	struct ck_err err;
	size_t i;

	pthread_mutex_lock(&a->status_mu);
	for (i = 0; n && i < n->n_ifaces; i++)
		if (a->ops.net->link_get(a->status_ctx, n->ifaces[i].name, &li,
					 &err) == 0 && li.exists)
			json_array_append_new(t, json_pack(
				"{s:s, s:b, s:i, s:I, s:I}", "name",
				n->ifaces[i].name, "up", li.up, "mtu", li.mtu,
				"rxPackets", (json_int_t)li.rx_packets,
				"txPackets", (json_int_t)li.tx_packets));
	pthread_mutex_unlock(&a->status_mu);
	return t;
}

/* A private copy of the applied node: a commit may replace the LKG
 * meanwhile. NULL before the first push. */
struct lkg_text {
	char *node_json, *frr;
};

/* Copy the applied node's texts; the caller holds a->mu. */
static void lkg_take(struct agent *a, struct lkg_text *t)
{
	t->node_json = a->lkg.node ? xstrdup(a->lkg.node->node_json) : NULL;
	t->frr = a->lkg.node ? xstrdup(a->lkg.frr) : NULL;
}

/* Parse them outside the lock (and free them); NULL before any push. */
static struct nodecfg *lkg_parse(struct lkg_text *t)
{
	struct nodecfg_fail f;
	struct nodecfg *n = t->node_json ? nodecfg_from_parts(t->node_json,
							      t->frr, &f)
					 : NULL;

	free(t->node_json);
	free(t->frr);
	return n;
}

static struct nodecfg *lkg_copy(struct agent *a)
{
	struct lkg_text t;

	pthread_mutex_lock(&a->mu);
	lkg_take(a, &t);
	pthread_mutex_unlock(&a->mu);
	return lkg_parse(&t);
}

/* GET /v1/status; with keep, the applied node it was built from is handed
 * over (the caller frees it) rather than parsed once more. */
static json_t *status(struct agent *a, struct nodecfg **keep)
{
	struct lkg_text t;
	struct nodecfg *n;
	json_t *j;

	pthread_mutex_lock(&a->mu);
	lkg_take(a, &t);	/* one snapshot: generation and peers agree */
	j = json_pack("{s:s, s:I, s:s, s:b, s:o, s:I}", "node", a->cfg->node,
		      "generation", (json_int_t)a->lkg.generation, "state",
		      a->state, "drained", a->drained, "lastError",
		      text(a->last_error), "startedAt",
		      (json_int_t)a->started_at);
	if (a->pending.node)
		json_object_set_new(j, "pending", json_pack(
			"{s:I, s:i}", "generation",
			(json_int_t)a->pending.generation, "confirmInS",
			(int)(a->confirm_deadline - a->ops.now() + 0.5)));
	pthread_mutex_unlock(&a->mu);
	n = lkg_parse(&t);
	json_object_set_new(j, "peers", peers(a, n));
	json_object_set_new(j, "interfaces", counters(a, n));
	if (keep)
		*keep = n;
	else
		nodecfg_free(n);
	return j;
}

/* GET /v1/cabling: the applied plan's ports against LLDP; 503
 * lldp-unavailable when lldpd cannot be asked. */
static void cabling(struct agent *a, struct api_response *resp)
{
	struct nodecfg *n = lkg_copy(a);
	struct ck_err err;
	json_t *j = portcheck_node(a->cfg, a->ops.lldp, n, NULL, &err);

	nodecfg_free(n);
	if (j)
		set_json(resp, 200, j);
	else
		api_error(resp, 503, "lldp-unavailable", err.msg);
}

/* Ports of the applied node n by cabling state, for /metrics (nothing
 * without lldpd). */
static void cabling_metrics(struct agent *a, const struct nodecfg *n,
			    struct sbuf *b)
{
	unsigned long k[CABLING__COUNT];
	struct ck_err err;
	json_t *j = portcheck_node(a->cfg, a->ops.lldp, n, k, &err);
	int s;

	if (!j)
		return;
	json_decref(j);
	sbuf_adds(b, "# HELP fabricd_cabling_ports Fabric ports by LLDP "
		  "cabling state.\n# TYPE fabricd_cabling_ports gauge\n");
	for (s = CABLING_OK; s <= CABLING_UNEXPECTED; s++)
		sbuf_addf(b, "fabricd_cabling_ports{state=\"%s\"} %lu\n",
			  cabling_state_name(s), k[s]);
}

/* --- metrics ------------------------------------------------------------ */

static void count_peers(json_t *peers, struct sbuf *b)
{
	const char *states[] = { "Established", "other" };
	int bgp[2] = { 0, 0 }, bfd[2] = { 0, 0 };
	json_t *p;
	size_t i;

	json_array_foreach(peers, i, p) {
		const char *s = json_string_value(json_object_get(p, "bgp"));
		const char *f = json_string_value(json_object_get(p, "bfd"));

		bgp[s && strcmp(s, "Established") != 0]++;
		bfd[f && strcmp(f, "up") != 0]++;
	}
	sbuf_adds(b, "# HELP fabricd_bgp_peers Expected BGP peers by state.\n"
		  "# TYPE fabricd_bgp_peers gauge\n");
	for (i = 0; i < 2; i++)
		sbuf_addf(b, "fabricd_bgp_peers{state=\"%s\"} %d\n", states[i],
			  bgp[i]);
	sbuf_adds(b, "# HELP fabricd_bfd_peers Expected BFD sessions by status.\n"
		  "# TYPE fabricd_bfd_peers gauge\n");
	sbuf_addf(b, "fabricd_bfd_peers{status=\"up\"} %d\n"
		  "fabricd_bfd_peers{status=\"other\"} %d\n", bfd[0], bfd[1]);
}

static void metric(struct sbuf *b, const char *name, const char *type,
		   const char *help, double v)
{
	sbuf_addf(b, "# HELP %s %s\n# TYPE %s %s\n%s %.17g\n", name, help, name,
		  type, name, v);
}

static char *metrics(struct agent *a)
{
	struct nodecfg *n = NULL;
	json_t *st = status(a, &n);
	struct sbuf b;
	int i;

	sbuf_init(&b);
	pthread_mutex_lock(&a->mu);
	metric(&b, "fabricd_applied_generation", "gauge",
	       "Generation of the last-known-good configuration.",
	       (double)a->lkg.generation);
	metric(&b, "fabricd_drained", "gauge", "1 while drained.", a->drained);
	metric(&b, "fabricd_pending_confirm", "gauge",
	       "1 while a change waits for confirmation.",
	       a->pending.node != NULL);
	metric(&b, "fabricd_last_transaction_seconds", "gauge",
	       "Duration of the last transaction.", a->last_duration_s);
	sbuf_addf(&b, "# HELP fabricd_transaction_seconds Duration of "
		  "transactions.\n# TYPE fabricd_transaction_seconds summary\n"
		  "fabricd_transaction_seconds_sum %.6f\n"
		  "fabricd_transaction_seconds_count %lu\n", a->duration_sum_s,
		  a->duration_count);
	metric(&b, "fabricd_vtysh_writes_total", "counter",
	       "Configuration changes made through vtysh or frr-reload.",
	       (double)a->vtysh_writes);
	metric(&b, "fabricd_netlink_writes_total", "counter",
	       "Link, address and sysctl changes.", (double)a->netlink_writes);
	sbuf_adds(&b, "# HELP fabricd_transactions_total Transactions by "
		  "outcome.\n# TYPE fabricd_transactions_total counter\n");
	for (i = 0; i < OUT_COUNT; i++)
		sbuf_addf(&b, "fabricd_transactions_total{outcome=\"%s\"} %lu\n",
			  agent_outcome_names[i], a->outcomes[i]);
	pthread_mutex_unlock(&a->mu);
	count_peers(json_object_get(st, "peers"), &b);
	json_decref(st);
	cabling_metrics(a, n, &b);
	nodecfg_free(n);
	return sbuf_steal(&b);
}

/* --- routing ------------------------------------------------------------ */

/* PUT /v1/bundle: the body parsed into req, or r refused (and history, as
 * a refusal of the transaction it asked for). A code nodecfg_parse() may
 * add later is still a bad request. */
static int parse_push(struct agent *a, const char *body, size_t len,
		      bool dry_run, struct txn_push_req *req,
		      struct txn_result *r)
{
	struct nodecfg_fail f;
	enum txn_code c;

	req->dry_run = dry_run;
	req->node = nodecfg_parse(body, len, a->cfg->node, &f);
	if (req->node)
		return 0;
	c = txn_code_of(f.code);
	txn_result_refuse(r, c == TXN_CODE_COUNT ? TXN_INVALID_BUNDLE : c,
			  f.err.msg);
	txn_note_refusal(a, dry_run ? "dry-run" : "push", 0, r);
	return -1;
}

void api_put_bundle(struct agent *a, const char *body, size_t len,
		    bool dry_run, struct txn_result *r)
{
	struct txn_push_req req;

	if (parse_push(a, body ? body : "", len, dry_run, &req, r) == 0)
		txn_push(a, &req, r);
}

static int post(struct agent *a, const char *path, struct txn_result *r)
{
	if (strcmp(path, "/v1/confirm") == 0)
		return txn_confirm(a, r), 1;
	if (strcmp(path, "/v1/rollback") == 0)
		return txn_rollback(a, r), 1;
	if (strcmp(path, "/v1/drain") == 0)
		return txn_drain(a, 1, r), 1;
	if (strcmp(path, "/v1/undrain") == 0)
		return txn_drain(a, 0, r), 1;
	return 0;
}

static int get(struct agent *a, const char *path, struct api_response *resp)
{
	if (strcmp(path, "/v1/status") == 0)
		set_json(resp, 200, status(a, NULL));
	else if (strcmp(path, "/v1/history") == 0)
		set_json(resp, 200, json_pack("{s:o}", "transactions",
					      store_history(a->cfg->state_dir)));
	else if (strcmp(path, "/v1/cabling") == 0)
		cabling(a, resp);
	else if (strcmp(path, "/metrics") == 0) {
		resp->http = 200;
		resp->content_type = "text/plain; version=0.0.4";
		resp->body = metrics(a);
	} else
		return 0;
	return 1;
}

static int known(const char *path)
{
	static const char *const paths[] = {
		"/v1/bundle", "/v1/confirm", "/v1/rollback", "/v1/drain",
		"/v1/undrain", "/v1/status", "/v1/history", "/v1/cabling",
		"/metrics",
	};
	size_t i;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		if (strcmp(path, paths[i]) == 0)
			return 1;
	return 0;
}

void api_handle(struct agent *a, const char *method, const char *path,
		const char *dry_run, const char *body, size_t len,
		struct api_response *resp)
{
	struct txn_result r;

	memset(resp, 0, sizeof(*resp));
	txn_result_init(&r);
	if (strcmp(method, "PUT") == 0 && strcmp(path, "/v1/bundle") == 0) {
		api_put_bundle(a, body, len, is_dry(dry_run), &r);
		from_result(resp, &r);
	} else if (strcmp(method, "POST") == 0 && post(a, path, &r)) {
		from_result(resp, &r);
	} else if (strcmp(method, "GET") == 0 && get(a, path, resp)) {
		return;
	} else if (known(path)) {
		api_error(resp, 405, "method-not-allowed",
			  "see the API in fabricd(8) for the method to use");
	} else {
		api_error(resp, 404, "not-found", "no such endpoint");
	}
}
