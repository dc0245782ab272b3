/* The apply transaction of DESIGN.md, per node:
 *   check (schema, checksums, generation, vtysh --dryrun) -> journal ->
 *   apply (netlink plan, then FRR by diff) -> verify (running == candidate,
 *   BGP/BFD up) -> commit (LKG + frr.conf) or roll back to LKG.
 * Every entry point fills a txn_result: a code (TXN_OK, or why it refused
 * or failed), a message and extra JSON fields. The transaction knows no
 * HTTP: api.c maps each code to its status. */
#ifndef FD_TXN_H
#define FD_TXN_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "agent.h"

/* Why a request was refused or a transaction failed. Each has a stable
 * name (txn_code_name()): the "error" of the JSON reply and of the
 * history entry. */
enum txn_code {
	TXN_OK,
	/* the request (nodecfg_parse() and the HTTP layer) */
	TXN_BAD_JSON,
	TXN_INVALID_BUNDLE,
	TXN_WRONG_NODE,
	TXN_CHECKSUM_MISMATCH,
	TXN_TOO_LARGE,
	TXN_OVERLOADED,
	/* the agent's state */
	TXN_BUSY,
	TXN_RECOVERY_FAILED,
	TXN_PENDING_CONFIRM,
	TXN_STALE_GENERATION,
	TXN_NO_PENDING,
	TXN_NO_PREVIOUS,
	TXN_NO_BGP,
	/* check: nothing was changed */
	TXN_FRR_SYNTAX,
	TXN_FRR_TIMEOUT,
	TXN_MISSING_INTERFACE,
	TXN_MISWIRED,
	TXN_STATE_UNWRITABLE,
	TXN_INTERNAL,
	/* apply */
	TXN_VERIFY_FAILED,
	TXN_ROLLBACK_FAILED,
	TXN_FRR_FAILED,
	TXN_CODE_COUNT
};

/* "busy", "frr-syntax" ...; NULL for TXN_OK (static strings). */
const char *txn_code_name(enum txn_code c);
/* The code of a name, TXN_CODE_COUNT when there is none. */
enum txn_code txn_code_of(const char *name);

struct txn_result {
	enum txn_code code;
	bool pending;		/* applied, waits for POST /v1/confirm */
	char message[1024];
	json_t *body;		/* owned; success body or extra error fields */
	int recorded;		/* the outcome is in the history already */
};

void txn_result_init(struct txn_result *r);
void txn_result_fini(struct txn_result *r);
/* A refusal: r gets code and message (cut to fit, made valid UTF-8). */
void txn_result_refuse(struct txn_result *r, enum txn_code code,
		       const char *message);

/* PUT /v1/bundle, parsed (api.c parses the body with nodecfg_parse()). */
struct txn_push_req {
	struct nodecfg *node;	/* owned; txn_push() takes it */
	bool dry_run;
};

int txn_push(struct agent *a, struct txn_push_req *req, struct txn_result *r);
int txn_confirm(struct agent *a, struct txn_result *r);
/* Pending change: undo it. Otherwise: go back to the previous LKG. */
int txn_rollback(struct agent *a, struct txn_result *r);
int txn_drain(struct agent *a, int drain, struct txn_result *r);
/* Every refusal is history: record r's refusal (kind: push, dry-run,
 * confirm, rollback, drain, undrain) unless the transaction did already.
 * The entry points call it themselves; the HTTP layer, for refusals it
 * makes before a request reaches them (too-large, overloaded, a body that
 * does not parse). */
void txn_note_refusal(struct agent *a, const char *kind, long long gen,
		      struct txn_result *r);
/* At start: finish or undo what journal.json says was in progress. */
int txn_recover(struct agent *a, struct ck_err *err);
/* Timer: roll back a pending change whose confirm deadline has passed.
 * Returns 1 when it did. */
int txn_confirm_expired(struct agent *a);

#endif
