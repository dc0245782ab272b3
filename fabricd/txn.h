/* The apply transaction of DESIGN.md, per node:
 *   check (schema, checksums, generation, vtysh --dryrun) -> journal ->
 *   apply (netlink plan, then FRR by diff) -> verify (running == candidate,
 *   BGP/BFD up) -> commit (LKG + frr.conf) or roll back to LKG.
 * Every entry point fills a txn_result: HTTP status, a stable error code
 * (NULL on success), a message and extra JSON fields. */
#ifndef FD_TXN_H
#define FD_TXN_H

#include <stddef.h>

#include <jansson.h>

#include "agent.h"

struct txn_result {
	int http;
	const char *error;
	char message[1024];
	json_t *body;		/* owned; success body or extra error fields */
	int recorded;		/* the outcome is in the history already */
};

void txn_result_init(struct txn_result *r);
void txn_result_fini(struct txn_result *r);

int txn_push(struct agent *a, const char *body, size_t len, int dry_run,
	     struct txn_result *r);
int txn_confirm(struct agent *a, struct txn_result *r);
/* Pending change: undo it. Otherwise: go back to the previous LKG. */
int txn_rollback(struct agent *a, struct txn_result *r);
int txn_drain(struct agent *a, int drain, struct txn_result *r);
/* Every refusal is history: record r's refusal (kind: push, dry-run,
 * confirm, rollback, drain, undrain) unless the transaction did already.
 * The entry points call it themselves; the HTTP layer, for refusals it
 * makes before a request reaches them (too-large, overloaded). */
void txn_note_refusal(struct agent *a, const char *kind, long long gen,
		      struct txn_result *r);
/* At start: finish or undo what journal.json says was in progress. */
int txn_recover(struct agent *a, struct ck_err *err);
/* Timer: roll back a pending change whose confirm deadline has passed.
 * Returns 1 when it did. */
int txn_confirm_expired(struct agent *a);

#endif
