/* The agent: configuration, side-effect ops, what is applied, the open
 * transaction and counters. One transaction at a time (txn_lock, never
 * waited for: a second caller gets 409); mu guards the fields that status
 * and metrics read while a transaction runs. */
#ifndef FD_AGENT_H
#define FD_AGENT_H

#include <pthread.h>

#include "apply.h"
#include "conffile.h"
#include "lldp.h"
#include "plan.h"
#include "store.h"

struct agent_ops {
	const struct net_ops *net;
	const struct frr_ops *frr;
	double (*now)(void);		/* seconds, monotonic */
	double (*wall)(void);		/* seconds since the epoch */
	void (*sleep_ms)(int ms);
	/* test-only fault point: called with "after-journal", "mid-netlink",
	 * "mid-frr", "before-commit"; may kill the process */
	void (*fault)(const char *point);
	/* LLDP neighbours (GET /v1/cabling, the push's cabling check);
	 * NULL: no LLDP, the check is skipped */
	const struct lldp_ops *lldp;
};

enum agent_outcome {
	OUT_COMMITTED, OUT_UNCHANGED, OUT_REFUSED, OUT_ROLLED_BACK,
	OUT_ROLLBACK_FAILED, OUT_PENDING, OUT_COUNT
};

struct agent {
	const struct config *cfg;
	struct agent_ops ops;
	void *net_ctx;		/* used by transactions only */
	void *status_ctx;	/* used by status, under status_mu */
	pthread_mutex_t status_mu;

	pthread_mutex_t txn_lock;	/* held for a whole transaction */
	pthread_mutex_t mu;		/* guards everything below */
	pthread_cond_t cond;		/* confirm timer wake-up */

	struct store_cfg lkg;		/* applied, last-known-good */
	int drained;
	int recovery_failed;		/* journal could not be undone: no
					 * changes until a restart recovers */
	const char *state;		/* idle, applying, verifying, pending,
					 * rolling-back, failed */
	/* "code: message": room for a whole ck_err message and a code, so
	 * a recovery error is shown in full */
	char last_error[sizeof(((struct ck_err *)0)->msg) + 64];
	unsigned long txid;

	/* commit-confirmed: verified, waiting for POST /v1/confirm */
	struct store_cfg pending;
	struct plan pending_plan;
	double confirm_deadline;	/* ops.now() time; 0: none */
	int stopping;

	/* metrics */
	unsigned long outcomes[OUT_COUNT];
	unsigned long vtysh_writes, netlink_writes;
	double last_duration_s;
	double duration_sum_s;		/* all transactions, for a rate */
	unsigned long duration_count;
	long long started_at;
};

extern const char *const agent_outcome_names[OUT_COUNT];
extern const struct agent_ops agent_system_ops;

/* Load state (LKG, drained) and finish or undo an interrupted transaction;
 * net_ctx comes from apply_netlink_open() (or a fake). */
int agent_init(struct agent *a, const struct config *cfg,
	       const struct agent_ops *ops, void *net_ctx, void *status_ctx,
	       struct ck_err *err);
void agent_fini(struct agent *a);
/* Confirm-timeout thread body: rolls back a pending transaction whose
 * deadline passed; returns when a->stopping is set. */
void *agent_timer(void *arg);
void agent_stop(struct agent *a);

#endif
