#include "txn.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "frrtext.h"
#include "fsutil.h"
#include "log.h"
#include "nodecfg.h"
#include "portcheck.h"
#include "verify.h"
#include "xalloc.h"

struct txn {
	struct agent *a;
	struct store_cfg cand;	/* owned */
	struct plan plan;
	unsigned long id;
	const char *kind;	/* push, rollback, recovery */
	long long gen;		/* generation the transaction is about */
	double t0, t_check, t_apply, t_verify;
	struct txn_result *r;
	/* a refusal before any transaction began (busy, recovery-failed, an
	 * HTTP-level refusal): history and the outcome counter only, so it
	 * neither hides the last real failure in lastError (the cause of a
	 * failed recovery, say) nor counts as a transaction's duration */
	bool noted;
	char *note;	/* owned; said in the history of a success */
};

static const char *const code_names[TXN_CODE_COUNT] = {
	[TXN_BAD_JSON] = "bad-json",
	[TXN_INVALID_BUNDLE] = "invalid-bundle",
	[TXN_WRONG_NODE] = "wrong-node",
	[TXN_CHECKSUM_MISMATCH] = "checksum-mismatch",
	[TXN_TOO_LARGE] = "too-large",
	[TXN_OVERLOADED] = "overloaded",
	[TXN_BUSY] = "busy",
	[TXN_RECOVERY_FAILED] = "recovery-failed",
	[TXN_PENDING_CONFIRM] = "pending-confirm",
	[TXN_STALE_GENERATION] = "stale-generation",
	[TXN_NO_PENDING] = "no-pending",
	[TXN_NO_PREVIOUS] = "no-previous",
	[TXN_NO_BGP] = "no-bgp",
	[TXN_FRR_SYNTAX] = "frr-syntax",
	[TXN_FRR_TIMEOUT] = "frr-timeout",
	[TXN_MISSING_INTERFACE] = "missing-interface",
	[TXN_MISWIRED] = "miswired",
	[TXN_STATE_UNWRITABLE] = "state-unwritable",
	[TXN_INTERNAL] = "internal",
	[TXN_VERIFY_FAILED] = "verify-failed",
	[TXN_ROLLBACK_FAILED] = "rollback-failed",
	[TXN_FRR_FAILED] = "frr-failed",
};

const char *txn_code_name(enum txn_code c)
{
	return c > TXN_OK && c < TXN_CODE_COUNT ? code_names[c] : NULL;
}

enum txn_code txn_code_of(const char *name)
{
	int c;

	for (c = TXN_OK + 1; name && c < TXN_CODE_COUNT; c++)
		if (code_names[c] && strcmp(code_names[c], name) == 0)
			return (enum txn_code)c;
	return TXN_CODE_COUNT;
}

void txn_result_init(struct txn_result *r)
{
	memset(r, 0, sizeof(*r));
}

void txn_result_fini(struct txn_result *r)
{
	json_decref(r->body);
	r->body = NULL;
}

static int refuse(struct txn_result *r, enum txn_code code, const char *fmt,
		  ...) __attribute__((format(printf, 3, 4)));

static int refuse(struct txn_result *r, enum txn_code code, const char *fmt,
		  ...)
{
	va_list ap;

	r->code = code;
	va_start(ap, fmt);
	vsnprintf(r->message, sizeof(r->message), fmt, ap);
	va_end(ap);
	/* "%.800s" may have cut a character, and the history is JSON */
	ck_utf8_scrub(r->message);
	return -1;
}

void txn_result_refuse(struct txn_result *r, enum txn_code code,
		       const char *message)
{
	refuse(r, code, "%s", message);
}

static void set_state(struct agent *a, const char *state)
{
	pthread_mutex_lock(&a->mu);
	a->state = state;
	pthread_mutex_unlock(&a->mu);
}

static const char *dir(const struct agent *a)
{
	return a->cfg->state_dir;
}

static void fault(struct agent *a, const char *point)
{
	if (a->ops.fault)
		a->ops.fault(point);
}

/* Add a reason to why: the reasons of a failed apply and of its undo end
 * up in one message, each after a "; ". */
static void why_add(struct sbuf *why, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void why_add(struct sbuf *why, const char *fmt, ...)
{
	char *part = NULL;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&part, fmt, ap);
	va_end(ap);
	if (why->len)
		sbuf_adds(why, "; ");
	sbuf_adds(why, n < 0 ? "(no memory for the message)" : part);
	free(part);
}

/* --- FRR steps ---------------------------------------------------------- */

/* Write the effective config of c (drain included) to name in the state
 * dir and return its path. */
static char *write_effective(struct agent *a, const char *name,
			     const char *frr, struct ck_err *err)
{
	char *eff = frrtext_effective(frr, a->drained);
	int rc = store_write(dir(a), name, eff, err);

	free(eff);
	return rc < 0 ? NULL : store_path(dir(a), name);
}

/* The config's hostname line, which frr-reload.py (through vtysh) never
 * passes on to the daemons (apply.h). Set before the reload, so that the
 * sessions the new config brings up announce it in their OPEN (the BGP
 * hostname capability); sessions already up keep the name they announced
 * until they are next established. Logged, not fatal, when it fails: the
 * name changes no route. */
static void apply_hostname(struct agent *a, const char *frr)
{
	char *name = frrtext_hostname(frr);
	struct sbuf out;

	if (name && a->ops.frr->hostname) {
		sbuf_init(&out);
		if (a->ops.frr->hostname(a->cfg, name, &out) < 0)
			log_warn("hostname %s: %s", name, out.s ? out.s : "");
		sbuf_free(&out);
	}
	free(name);
}

static int frr_load(struct agent *a, const char *frr, struct sbuf *why,
		    const char *fault_point)
{
	struct ck_err err;
	struct sbuf out, left;
	char *path = write_effective(a, "run/frr.conf", frr, &err);
	int rc;

	if (path == NULL) {
		why_add(why, "%s", err.msg);
		return -1;
	}
	apply_hostname(a, frr);
	sbuf_init(&out);
	a->vtysh_writes++;
	rc = a->ops.frr->reload(a->cfg, path, &out);
	if (rc < 0)
		log_warn("frr-reload: %s", out.s ? out.s : "");
	if (rc == FRR_UNFINISHED) {	/* what it left is for the undo to fix */
		why_add(why, "%.400s", out.s ? out.s : "");
		sbuf_free(&out);
		free(path);
		return -1;
	}
	if (fault_point)
		fault(a, fault_point);
	sbuf_reset(&out);
	/* whatever frr-reload said, the running config must now be frr */
	rc = a->ops.frr->diff(a->cfg, path, &out);
	sbuf_init(&left);
	if (rc < 0 || frrtext_residual(out.s ? out.s : "", &left) > 0) {
		const char *d = rc < 0 ? out.s : left.s;

		why_add(why, "running config differs from the target after "
			  "reload: %.400s", d && *d ? d : "the comparison "
			  "printed nothing; check that FRR is running");
		rc = -1;
	}
	sbuf_free(&left);
	sbuf_free(&out);
	free(path);
	return rc;
}

static int show(struct agent *a, const char *cmd, struct sbuf *out)
{
	sbuf_reset(out);
	return a->ops.frr->show(a->cfg, cmd, out);
}

/* After a failed change, the refused sessions sit in FRR's back-off: each
 * failed OPEN makes FRR wait longer (idle hold time) before it tries again,
 * which can outlast the verify window of the restore. The restored config
 * is known good, so reset the expected peers that are not Established (never
 * the others: they carry traffic) to make them try at once. */
static void retry_down_peers(struct agent *a, const struct nodecfg *n)
{
	struct sbuf bgp, out;
	json_t *t, *row;
	size_t i;

	if (n == NULL || n->n_peers == 0)
		return;
	sbuf_init(&bgp);
	sbuf_init(&out);
	show(a, "show bgp summary json", &bgp);
	t = verify_peer_table(n, bgp.s, NULL);
	json_array_foreach(t, i, row) {
		const char *ifc = json_string_value(json_object_get(row, "interface"));
		const char *st = json_string_value(json_object_get(row, "bgp"));
		char *cmd;

		if (ifc == NULL || st == NULL || strcmp(st, "Established") == 0 ||
		    ifc[strspn(ifc, "abcdefghijklmnopqrstuvwxyz"
				    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")])
			continue;
		cmd = xasprintf("clear bgp %s", ifc);
		log_info("restore: %s is %s, clearing it to retry now", ifc, st);
		show(a, cmd, &out);
		free(cmd);
	}
	json_decref(t);
	sbuf_free(&bgp);
	sbuf_free(&out);
}

/* Poll BGP/BFD until every expected peer is up or the timeout passes; on
 * failure, why gets the peers that are not. */
static int wait_healthy(struct agent *a, const struct nodecfg *n,
			struct sbuf *why)
{
	struct sbuf bgp, bfd, down;
	double deadline = a->ops.now() + a->cfg->verify_timeout_s;
	int ok = 0;

	if (n == NULL || n->n_peers == 0)
		return 0;
	sbuf_init(&bgp);
	sbuf_init(&bfd);
	sbuf_init(&down);
	for (;;) {
		show(a, "show bgp summary json", &bgp);
		show(a, "show bfd peers json", &bfd);
		sbuf_reset(&down);
		ok = verify_peers(n, bgp.s, bfd.s, a->cfg->check_bfd, &down);
		if (ok || a->ops.now() >= deadline)
			break;
		a->ops.sleep_ms(200);
	}
	if (!ok)
		why_add(why, "%s", down.s ? down.s : "");
	sbuf_free(&bgp);
	sbuf_free(&bfd);
	sbuf_free(&down);
	return ok ? 0 : -1;
}

/* --- history and metrics ------------------------------------------------ */

static double ms(double a, double b)
{
	return b > a ? (b - a) * 1000.0 : 0.0;
}

static void record(struct txn *t, enum agent_outcome o, const char *error,
		   const char *msg)
{
	struct agent *a = t->a;
	double end = a->ops.now();
	char when[32];
	time_t now = (time_t)a->ops.wall();
	struct ck_err err;
	json_t *e;

	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	e = json_pack("{s:I, s:s, s:I, s:s, s:s, s:i, s:i, s:i, s:i}", "id",
		      (json_int_t)t->id, "kind", t->kind, "generation",
		      (json_int_t)(t->gen ? t->gen : t->cand.generation),
		      "outcome", agent_outcome_names[o], "startedAt", when, "checkMs",
		      (int)ms(t->t0, t->t_check), "applyMs",
		      (int)ms(t->t_check, t->t_apply), "verifyMs",
		      (int)ms(t->t_apply, t->t_verify), "totalMs",
		      (int)ms(t->t0, end));
	t->r->recorded = 1;
	if (error)
		json_object_set_new(e, "error", json_string(error));
	if (msg && *msg)
		json_object_set_new(e, "message", json_string(msg));
	if (store_history_add(dir(a), e, a->cfg->history_size, &err) < 0)
		log_warn("history: %s", err.msg);
	json_decref(e);
	log_info("transaction %lu (%s) of generation %lld: %s%s%s in %.0f ms",
		 t->id, t->kind, t->gen ? t->gen : t->cand.generation,
		 agent_outcome_names[o], error ? ", " : "", error ? error : "",
		 ms(t->t0, end));
	pthread_mutex_lock(&a->mu);
	a->outcomes[o]++;
	if (!t->noted) {
		a->last_duration_s = end - t->t0;
		a->duration_sum_s += end - t->t0;
		a->duration_count++;
		if (error)
			snprintf(a->last_error, sizeof(a->last_error), "%s: %s",
				 error, msg ? msg : "");
	}
	pthread_mutex_unlock(&a->mu);
}

/* The outcome of a transaction that r says failed, under r's code. */
static void record_failure(struct txn *t, enum agent_outcome o,
			   const char *msg)
{
	record(t, o, txn_code_name(t->r->code), msg);
}

/* --- journal ------------------------------------------------------------ */

static int journal(struct txn *t, const char *phase, struct ck_err *err)
{
	json_t *j = json_pack("{s:I, s:s, s:I, s:I, s:s, s:o}", "txid",
			      (json_int_t)t->id, "kind", t->kind, "generation",
			      (json_int_t)t->cand.generation, "fromGeneration",
			      (json_int_t)t->a->lkg.generation, "phase", phase,
			      "plan", plan_to_json(&t->plan));
	int rc = store_journal_write(dir(t->a), j, err);

	json_decref(j);
	return rc;
}

/* --- undo and commit ---------------------------------------------------- */

/* Put the box back to LKG: inverse netlink plan, LKG config, verified.
 * Returns 0 when back and healthy, 1 when back (journal closed) but some
 * peer is not up, -1 when the kernel or FRR could not be restored (the
 * journal stays, so that a restart tries again). */
static int undo(struct txn *t, struct sbuf *why)
{
	struct agent *a = t->a;
	struct ck_err err;
	int rc;

	set_state(a, "rolling-back");
	rc = apply_plan(a->ops.net, a->net_ctx, &t->plan, 1, t->plan.n,
			&a->netlink_writes, &err);
	if (rc < 0)
		why_add(why, "undo netlink: %s", err.msg);
	if (frr_load(a, a->lkg.frr, why, NULL) < 0)
		rc = -1;
	if (rc == 0 && store_journal_clear(dir(a), &err) < 0) {
		why_add(why, "%s", err.msg);
		rc = -1;
	}
	if (rc == 0) {
		store_remove(dir(a), "cand");
		retry_down_peers(a, a->lkg.node);
		if (wait_healthy(a, a->lkg.node, why) < 0)
			rc = 1;
	}
	set_state(a, rc == 0 ? "idle" : "failed");
	return rc;
}

static int save_frr_conf(struct agent *a, const char *frr, struct ck_err *err)
{
	char *eff = frrtext_effective(frr, a->drained);
	int rc = fs_write_atomic(a->cfg->frr_conf, eff, strlen(eff), err);

	free(eff);
	return rc;
}

/* Candidate becomes LKG; the old LKG becomes prev (unless rolling back). */
static int commit(struct txn *t, struct ck_err *err)
{
	struct agent *a = t->a;

	if (journal(t, "commit", err) < 0 ||
	    (strcmp(t->kind, "rollback") == 0 ? store_remove(dir(a), "prev") :
	     store_save(dir(a), "prev", &a->lkg, err)) < 0 ||
	    store_save(dir(a), "lkg", &t->cand, err) < 0 ||
	    save_frr_conf(a, t->cand.frr, err) < 0 ||
	    store_journal_clear(dir(a), err) < 0)
		return -1;
	store_remove(dir(a), "cand");
	pthread_mutex_lock(&a->mu);
	store_cfg_free(&a->lkg);
	a->lkg = t->cand;
	memset(&t->cand, 0, sizeof(t->cand));
	a->state = "idle";
	a->last_error[0] = '\0';
	pthread_mutex_unlock(&a->mu);
	return 0;
}

/* --- the forward path --------------------------------------------------- */

/* Netlink plan, then FRR, then verification. On failure the box is rolled
 * back to LKG and r says why. */
static int forward(struct txn *t)
{
	struct agent *a = t->a;
	struct ck_err err;
	struct sbuf why;
	size_t half = t->plan.n / 2;
	int rc;

	sbuf_init(&why);
	set_state(a, "applying");
	rc = apply_plan(a->ops.net, a->net_ctx, &t->plan, 0, half,
			&a->netlink_writes, &err);
	if (rc == 0 && half > 0)
		fault(a, "mid-netlink");
	if (rc == 0)
		rc = apply_plan(a->ops.net, a->net_ctx, &t->plan, 0, t->plan.n,
				&a->netlink_writes, &err);
	if (rc < 0)
		why_add(&why, "netlink: %s", err.msg);
	if (rc == 0)
		rc = frr_load(a, t->cand.frr, &why, "mid-frr");
	t->t_apply = a->ops.now();
	set_state(a, "verifying");
	if (rc == 0)
		rc = wait_healthy(a, t->cand.node, &why);
	t->t_verify = a->ops.now();
	if (rc == 0) {
		sbuf_free(&why);
		return 0;
	}
	log_warn("transaction %lu: %s; rolling back", t->id, why.s);
	refuse(t->r, TXN_VERIFY_FAILED, "%s", why.s);
	rc = undo(t, &why);
	if (rc < 0) {
		refuse(t->r, TXN_ROLLBACK_FAILED,
		       "%s; could not restore generation %lld", why.s,
		       a->lkg.generation);
		record_failure(t, OUT_ROLLBACK_FAILED, why.s);
	} else {
		if (rc > 0)	/* back, but the network around is not */
			refuse(t->r, TXN_VERIFY_FAILED, "%s; generation %lld "
			       "is restored but not every peer is up", why.s,
			       a->lkg.generation);
		json_object_set_new(t->r->body, "rolledBack", json_true());
		record_failure(t, OUT_ROLLED_BACK, t->r->message);
	}
	sbuf_free(&why);
	return -1;
}

/* --- check -------------------------------------------------------------- */

static int same_as_lkg(const struct agent *a, const struct nodecfg *n)
{
	return a->lkg.node && n->generation == a->lkg.generation &&
	       strcmp(n->frr_sha, a->lkg.node->frr_sha) == 0 &&
	       strcmp(n->node_json, a->lkg.node->node_json) == 0;
}

static int check_generation(struct agent *a, const struct nodecfg *n,
			    struct txn_result *r)
{
	if (a->pending.node)
		return refuse(r, TXN_PENDING_CONFIRM, "generation %lld is "
			      "applied and waits for POST /v1/confirm; confirm "
			      "or roll it back first", a->pending.generation);
	if (n->generation <= a->lkg.generation)
		return refuse(r, TXN_STALE_GENERATION, "generation %lld is "
			      "not newer than the applied generation %lld; "
			      "rebuild the bundle with a higher generation",
			      n->generation, a->lkg.generation);
	return 0;
}

/* vtysh --dryrun on the effective candidate; path names the file. */
static int check_syntax(struct agent *a, const char *path,
			struct txn_result *r)
{
	struct sbuf out;
	int rc;

	sbuf_init(&out);
	rc = a->ops.frr->dryrun(a->cfg, path, &out);
	if (rc == FRR_UNFINISHED)
		refuse(r, TXN_FRR_TIMEOUT, "%.800s; nothing was changed",
		       out.s);
	else if (rc < 0)
		refuse(r, TXN_FRR_SYNTAX, "vtysh --dryrun refused frr.conf: "
		       "%.800s", out.s ? out.s : "");
	sbuf_free(&out);
	return rc;
}

/* The cabling check: a BGP peer on a port LLDP shows cabled elsewhere
 * would come up with the wrong neighbour (unnumbered BGP takes any cable),
 * so the push is refused unless it says allowMiswired; then the history
 * says so. Without lldpd the check is skipped, with a warning. */
static int check_cabling(struct txn *t, struct txn_result *r)
{
	struct agent *a = t->a;
	const struct nodecfg *n = t->cand.node;
	json_t *ports = json_array();
	struct ck_err err;
	struct sbuf why;
	int found, rc = 0;

	sbuf_init(&why);
	found = portcheck_miswired(a->cfg, a->ops.lldp, n, &why, ports, &err);
	if (found < 0)
		log_warn("cabling check skipped: %s", err.msg);
	if (found > 0 && !n->allow_miswired) {
		refuse(r, TXN_MISWIRED, "BGP peers on miswired ports: "
		       "%.700s; fix the cabling (fabricctl cabling) or push "
		       "with --allow-miswired; nothing was changed", why.s);
		json_object_set(r->body, "ports", ports);
		rc = -1;
	} else if (found > 0) {
		free(t->note);
		t->note = xasprintf("pushed with --allow-miswired onto "
				    "miswired ports: %.700s", why.s);
		json_object_set(r->body, "miswired", ports);
	}
	json_decref(ports);
	sbuf_free(&why);
	return rc;
}

/* A dry run reports the cabling refusal a push would meet, in
 * "wouldRefuse", without failing. */
static void would_refuse_cabling(struct txn *t)
{
	struct txn_result probe;

	txn_result_init(&probe);
	probe.body = json_object();
	if (check_cabling(t, &probe) < 0)
		json_object_set_new(t->r->body, "wouldRefuse", json_pack(
			"{s:s, s:s, s:O}", "error", txn_code_name(probe.code),
			"message", probe.message, "ports",
			json_object_get(probe.body, "ports")));
	txn_result_fini(&probe);
}

/* Dry run: check the syntax from a scratch file and show the plan. */
static int dry_run_check(struct txn *t)
{
	struct agent *a = t->a;
	char *eff = frrtext_effective(t->cand.frr, a->drained);
	struct ck_err err;
	struct sbuf d;
	char *path = store_scratch_new(dir(a), "dry-run", eff, &err);
	int rc = -1;

	if (path == NULL)
		refuse(t->r, TXN_INTERNAL, "%s", err.msg);
	else if (check_syntax(a, path, t->r) == 0)
		rc = 0;
	/* a dry run reports what a push would refuse, without failing: it
	 * is also how a bundle is checked against agents on other boxes */
	if (rc == 0 && plan_build(a->ops.net, a->net_ctx, a->lkg.node,
				  t->cand.node, &t->plan, &err) < 0)
		json_object_set_new(t->r->body, "wouldRefuse", json_pack(
			"{s:s, s:s}", "error",
			txn_code_name(TXN_MISSING_INTERFACE), "message",
			err.msg));
	else if (rc == 0)
		would_refuse_cabling(t);
	store_scratch_remove(path);
	free(eff);
	if (rc < 0)
		return -1;
	sbuf_init(&d);
	plan_describe(&t->plan, &d);
	json_object_set_new(t->r->body, "outcome", json_string("dry-run"));
	json_object_set_new(t->r->body, "plan", json_string(d.s ? d.s : ""));
	sbuf_free(&d);
	return 0;
}

/* Candidate and journal on disk, syntax checked, plan built: after this,
 * and only after this, the box may be touched. */
static int prepare(struct txn *t)
{
	struct agent *a = t->a;
	struct ck_err err;
	char *path;
	int rc;

	if (store_save(dir(a), "cand", &t->cand, &err) < 0 ||
	    (path = write_effective(a, "check.conf", t->cand.frr, &err)) == NULL)
		return refuse(t->r, TXN_STATE_UNWRITABLE, "state directory: "
			      "%s; nothing was changed", err.msg);
	rc = check_syntax(a, path, t->r);
	free(path);
	if (rc < 0 || check_cabling(t, t->r) < 0)
		return -1;
	if (plan_build(a->ops.net, a->net_ctx, a->lkg.node, t->cand.node,
		       &t->plan, &err) < 0)
		return refuse(t->r, TXN_MISSING_INTERFACE, "%s", err.msg);
	if (journal(t, "apply", &err) < 0)
		return refuse(t->r, TXN_STATE_UNWRITABLE, "journal: %s; "
			      "nothing was changed", err.msg);
	return 0;
}

/* --- entry points ------------------------------------------------------- */

static void txn_begin(struct txn *t, struct agent *a, const char *kind,
		      struct txn_result *r)
{
	memset(t, 0, sizeof(*t));
	t->a = a;
	t->kind = kind;
	t->r = r;
	t->t0 = a->ops.now();
	pthread_mutex_lock(&a->mu);
	t->id = ++a->txid;
	pthread_mutex_unlock(&a->mu);
	if (r->body == NULL)
		r->body = json_object();
}

static void txn_end(struct txn *t)
{
	free(t->note);
	store_cfg_free(&t->cand);
	plan_free(&t->plan);
}

/* A transaction that ended in a refusal the history has not seen yet. */
static void record_refusal(struct txn *t)
{
	if (t->r->code != TXN_OK && !t->r->recorded)
		record_failure(t, OUT_REFUSED, t->r->message);
}

void txn_note_refusal(struct agent *a, const char *kind, long long gen,
		      struct txn_result *r)
{
	struct txn t;

	if (r->code == TXN_OK || r->recorded)
		return;
	txn_begin(&t, a, kind, r);
	t.gen = gen;
	t.noted = true;
	record_refusal(&t);
	txn_end(&t);
}

/* Verified: wait for confirmation, or commit now. */
static int finish(struct txn *t, long confirm_s)
{
	struct agent *a = t->a;
	struct ck_err err;

	t->gen = t->cand.generation;
	json_object_set_new(t->r->body, "generation",
			    json_integer(t->cand.generation));
	if (confirm_s > 0 && journal(t, "pending", &err) == 0) {
		pthread_mutex_lock(&a->mu);
		a->pending = t->cand;
		a->pending_plan = t->plan;
		a->confirm_deadline = a->ops.now() + (double)confirm_s;
		a->state = "pending";
		pthread_cond_broadcast(&a->cond);
		pthread_mutex_unlock(&a->mu);
		memset(&t->cand, 0, sizeof(t->cand));
		memset(&t->plan, 0, sizeof(t->plan));
		t->r->pending = true;
		json_object_set_new(t->r->body, "outcome", json_string("pending"));
		json_object_set_new(t->r->body, "confirmTimeoutS",
				    json_integer(confirm_s));
		record(t, OUT_PENDING, NULL, t->note);
		return 0;
	}
	/* from here on, a crash finishes the commit instead of undoing */
	if (journal(t, "verified", &err) == 0)
		fault(a, "before-commit");
	if (commit(t, &err) < 0) {
		struct sbuf why;

		sbuf_init(&why);
		refuse(t->r, TXN_STATE_UNWRITABLE, "commit: %s; rolled back",
		       err.msg);
		undo(t, &why);
		record_failure(t, OUT_ROLLED_BACK, t->r->message);
		sbuf_free(&why);
		return -1;
	}
	json_object_set_new(t->r->body, "outcome", json_string("committed"));
	record(t, OUT_COMMITTED, NULL, t->note);
	return 0;
}

static int push_locked(struct txn *t, struct nodecfg *n, int dry_run)
{
	struct agent *a = t->a;
	long confirm = n->confirm_timeout_s;

	t->cand.generation = n->generation;
	t->cand.frr = xstrdup(n->frr_conf);
	t->cand.node = n;
	if (same_as_lkg(a, n)) {
		json_object_set_new(t->r->body, "outcome",
				    json_string("unchanged"));
		json_object_set_new(t->r->body, "generation",
				    json_integer(n->generation));
		pthread_mutex_lock(&a->mu);
		a->outcomes[OUT_UNCHANGED]++;
		pthread_mutex_unlock(&a->mu);
		return 0;
	}
	if (check_generation(a, n, t->r) < 0)
		return -1;
	if (dry_run)
		return dry_run_check(t);
	if (prepare(t) < 0) {
		store_remove(dir(a), "cand");
		record_failure(t, OUT_REFUSED, t->r->message);
		return -1;
	}
	t->t_check = a->ops.now();
	fault(a, "after-journal");
	if (forward(t) < 0)
		return -1;
	return finish(t, confirm);
}

/* One transaction at a time, and none after a failed recovery. */
static int lock_or_409(struct agent *a, struct txn_result *r)
{
	if (pthread_mutex_trylock(&a->txn_lock) != 0)
		return refuse(r, TXN_BUSY, "another transaction is in "
			      "progress; retry when it has finished");
	if (!a->recovery_failed)
		return 0;
	pthread_mutex_unlock(&a->txn_lock);
	return refuse(r, TXN_RECOVERY_FAILED, "an interrupted transaction "
		      "could not be undone (see lastError in /v1/status); "
		      "fix the cause and restart fabricd");
}

int txn_push(struct agent *a, struct txn_push_req *req, struct txn_result *r)
{
	struct nodecfg *n = req->node;
	const char *kind = req->dry_run ? "dry-run" : "push";
	struct txn t;
	int rc;

	req->node = NULL;
	if (lock_or_409(a, r) < 0) {
		txn_note_refusal(a, kind, n->generation, r);
		nodecfg_free(n);
		return -1;
	}
	txn_begin(&t, a, kind, r);
	rc = push_locked(&t, n, req->dry_run);
	if (rc < 0)
		record_refusal(&t);
	txn_end(&t);
	pthread_mutex_unlock(&a->txn_lock);
	return rc;
}

/* Take the pending transaction out of the agent into t. */
static int take_pending(struct txn *t)
{
	struct agent *a = t->a;

	pthread_mutex_lock(&a->mu);
	if (a->pending.node == NULL) {
		pthread_mutex_unlock(&a->mu);
		return -1;
	}
	t->cand = a->pending;
	t->plan = a->pending_plan;
	memset(&a->pending, 0, sizeof(a->pending));
	memset(&a->pending_plan, 0, sizeof(a->pending_plan));
	a->confirm_deadline = 0;
	pthread_mutex_unlock(&a->mu);
	return 0;
}



int txn_confirm(struct agent *a, struct txn_result *r)
{
	struct txn t;
	int rc;

	if (lock_or_409(a, r) < 0) {
		txn_note_refusal(a, "confirm", 0, r);
		return -1;
	}
	txn_begin(&t, a, "confirm", r);
	if (take_pending(&t) < 0)
		rc = refuse(r, TXN_NO_PENDING, "nothing waits for "
			    "confirmation");
	else
		rc = finish(&t, 0);
	if (rc < 0)
		record_refusal(&t);
	txn_end(&t);
	pthread_mutex_unlock(&a->txn_lock);
	return rc;
}

static int undo_pending(struct txn *t, const char *why_text)
{
	struct sbuf why;
	int rc;

	sbuf_init(&why);
	rc = undo(t, &why) < 0 ? -1 : 0;
	if (rc < 0)
		refuse(t->r, TXN_ROLLBACK_FAILED, "%s", why.s ? why.s : "");
	else
		json_object_set_new(t->r->body, "outcome",
				    json_string("rolled-back"));
	record(t, rc < 0 ? OUT_ROLLBACK_FAILED : OUT_ROLLED_BACK,
	       rc < 0 ? txn_code_name(t->r->code) : "rolled-back", why_text);
	sbuf_free(&why);
	return rc;
}

/* Back to the LKG before the current one, as a full transaction. */
static int rollback_prev(struct txn *t)
{
	struct agent *a = t->a;
	struct ck_err err;

	if (store_load(dir(a), "prev", &t->cand, &err) != 0)
		return refuse(t->r, TXN_NO_PREVIOUS, "no previous "
			      "configuration to roll back to");
	if (prepare(t) < 0) {
		store_remove(dir(a), "cand");
		return -1;
	}
	t->t_check = a->ops.now();
	if (forward(t) < 0)
		return -1;
	return finish(t, 0);
}

int txn_rollback(struct agent *a, struct txn_result *r)
{
	struct txn t;
	int rc;

	if (lock_or_409(a, r) < 0) {
		txn_note_refusal(a, "rollback", 0, r);
		return -1;
	}
	txn_begin(&t, a, "rollback", r);
	if (take_pending(&t) == 0)
		rc = undo_pending(&t, "rolled back on request");
	else
		rc = rollback_prev(&t);
	if (rc < 0)
		record_refusal(&t);
	txn_end(&t);
	pthread_mutex_unlock(&a->txn_lock);
	return rc;
}

int txn_confirm_expired(struct agent *a)
{
	struct txn_result r;
	struct txn t;
	int did = 0;

	if (pthread_mutex_trylock(&a->txn_lock) != 0)
		return 0;
	txn_result_init(&r);
	txn_begin(&t, a, "confirm-timeout", &r);
	pthread_mutex_lock(&a->mu);
	did = a->pending.node && a->confirm_deadline > 0 &&
	      a->ops.now() >= a->confirm_deadline;
	pthread_mutex_unlock(&a->mu);
	if (did && take_pending(&t) == 0) {
		log_warn("generation %lld was not confirmed in time; rolling "
			 "back to %lld", t.cand.generation, a->lkg.generation);
		undo_pending(&t, "confirm timeout expired");
	}
	txn_end(&t);
	txn_result_fini(&r);
	pthread_mutex_unlock(&a->txn_lock);
	return did;
}

/* --- drain -------------------------------------------------------------- */

static int drain_locked(struct agent *a, int drain, struct txn_result *r)
{
	long long asn = frrtext_bgp_asn(a->lkg.frr);
	char rb[64];
	const char *cmds[] = { rb, drain ? "bgp graceful-shutdown" :
			       "no bgp graceful-shutdown", NULL };
	struct ck_err err;
	struct sbuf out;
	int rc;

	if (asn == 0)
		return refuse(r, TXN_NO_BGP, "the applied configuration has "
			      "no 'router bgp'; push a bundle first");
	if (store_set_drained(dir(a), drain, &err) < 0)
		return refuse(r, TXN_STATE_UNWRITABLE, "%s", err.msg);
	snprintf(rb, sizeof(rb), "router bgp %lld", asn);
	sbuf_init(&out);
	a->vtysh_writes++;
	rc = a->ops.frr->configure(a->cfg, cmds, &out);
	pthread_mutex_lock(&a->mu);
	a->drained = drain;
	pthread_mutex_unlock(&a->mu);
	if (rc < 0)
		refuse(r, TXN_FRR_FAILED, "vtysh: %.500s", out.s ? out.s : "");
	else if (save_frr_conf(a, a->lkg.frr, &err) < 0)
		rc = refuse(r, TXN_STATE_UNWRITABLE, "%s", err.msg);
	sbuf_free(&out);
	return rc;
}

int txn_drain(struct agent *a, int drain, struct txn_result *r)
{
	int rc;

	if (lock_or_409(a, r) < 0) {
		txn_note_refusal(a, drain ? "drain" : "undrain", 0, r);
		return -1;
	}
	if (r->body == NULL)
		r->body = json_object();
	rc = drain_locked(a, drain, r);
	if (rc == 0)
		json_object_set_new(r->body, "drained", json_boolean(drain));
	else
		txn_note_refusal(a, drain ? "drain" : "undrain",
				 a->lkg.generation, r);
	pthread_mutex_unlock(&a->txn_lock);
	return rc;
}

/* --- recovery ----------------------------------------------------------- */

static int recover_forward(struct txn *t)
{
	struct ck_err err;
	struct sbuf why;
	int rc;

	sbuf_init(&why);
	rc = apply_plan(t->a->ops.net, t->a->net_ctx, &t->plan, 0, t->plan.n,
			&t->a->netlink_writes, &err);
	if (rc == 0)
		rc = frr_load(t->a, t->cand.frr, &why, NULL);
	if (rc == 0)
		rc = commit(t, &err);
	sbuf_free(&why);
	return rc;
}

static int recover(struct txn *t, json_t *j, struct ck_err *err)
{
	const char *phase = json_string_value(json_object_get(j, "phase"));
	int fwd = phase && (!strcmp(phase, "verified") || !strcmp(phase,
								  "commit"));
	struct sbuf why;
	int rc;

	if (plan_from_json(json_object_get(j, "plan"), &t->plan, err) < 0)
		return -1;
	if (store_load(dir(t->a), "cand", &t->cand, err) != 0)
		fwd = 0;
	log_info("journal: transaction %s of generation %lld was interrupted "
		 "in phase %s; %s", t->kind, t->cand.generation,
		 phase ? phase : "?", fwd ? "finishing it" : "undoing it");
	if (fwd && recover_forward(t) == 0) {
		record(t, OUT_COMMITTED, NULL, "recovered: committed");
		return 0;
	}
	sbuf_init(&why);
	rc = undo(t, &why);
	if (rc > 0)
		log_warn("recovery: generation %lld restored, but %s",
			 t->a->lkg.generation, why.s);
	record(t, rc < 0 ? OUT_ROLLBACK_FAILED : OUT_ROLLED_BACK,
	       "interrupted", rc < 0 ? why.s : "recovered: rolled back");
	if (rc < 0)
		ck_err_set(err, "", 0, 0, "recovery: %s", why.s);
	rc = rc < 0 ? -1 : 0;
	sbuf_free(&why);
	return rc;
}

int txn_recover(struct agent *a, struct ck_err *err)
{
	struct txn_result r;
	struct txn t;
	json_t *j = NULL;
	int rc = store_journal_read(dir(a), &j, err);

	if (rc != 0)
		return rc > 0 ? 0 : -1;
	txn_result_init(&r);
	txn_begin(&t, a, "recovery", &r);
	rc = recover(&t, j, err);
	json_decref(j);
	txn_end(&t);
	txn_result_fini(&r);
	return rc;
}
