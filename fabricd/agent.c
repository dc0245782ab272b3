#include "agent.h"

#include <errno.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fsutil.h"
#include "log.h"
#include "nodecfg.h"
#include "txn.h"
#include "xalloc.h"

const char *const agent_outcome_names[OUT_COUNT] = {
	"committed", "unchanged", "refused", "rolled-back", "rollback-failed",
	"pending",
};

static double sys_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double sys_wall(void)
{
	return (double)time(NULL);
}

static void sys_sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* FABRICD_TEST_FAULT=POINT makes the agent SIGKILL itself at POINT: the
 * crash-recovery tests' way in. Never set in production. */
static void sys_fault(const char *point)
{
	const char *want = getenv("FABRICD_TEST_FAULT");

	if (want && strcmp(want, point) == 0) {
		log_warn("test fault point %s: killing myself", point);
		raise(SIGKILL);
	}
}

const struct agent_ops agent_system_ops = {
	.net = &apply_netlink_ops,
	.frr = &apply_frr_ops,
	.now = sys_now,
	.wall = sys_wall,
	.sleep_ms = sys_sleep_ms,
	.fault = sys_fault,
	.lldp = &lldp_lldpctl_ops,
};

/* First start: the box's saved frr.conf (or nothing) is generation 0. */
static int adopt_saved(struct agent *a, struct ck_err *err)
{
	char *text = NULL;

	if (access(a->cfg->frr_conf, F_OK) == 0 &&
	    fs_read_file(a->cfg->frr_conf, &text, NULL, err) < 0)
		return -1;
	a->lkg.generation = 0;
	a->lkg.frr = text ? text : xstrdup("");
	log_info("no last-known-good yet: adopting %s as generation 0",
		 a->cfg->frr_conf);
	return store_save(a->cfg->state_dir, "lkg", &a->lkg, err);
}

/* frr-reload.py runs vtysh with --config_dir STATE/run (see apply_frr.c):
 * give it an empty vtysh.conf there so that it has nothing to complain of. */
static int vtysh_conf(const struct config *c, struct ck_err *err)
{
	char *d = xasprintf("%s/run/%s", c->state_dir, c->frr_pathspace);
	char *f = xasprintf("%s/vtysh.conf", d);
	int rc = fs_mkdirs(d, 0700, err);

	if (rc == 0 && access(f, F_OK) < 0)
		rc = fs_write_atomic(f, "", 0, err);
	free(d);
	free(f);
	return rc;
}

int agent_init(struct agent *a, const struct config *cfg,
	       const struct agent_ops *ops, void *net_ctx, void *status_ctx,
	       struct ck_err *err)
{
	int rc;

	memset(a, 0, sizeof(*a));
	a->cfg = cfg;
	a->ops = *ops;
	a->net_ctx = net_ctx;
	a->status_ctx = status_ctx;
	pthread_mutex_init(&a->status_mu, NULL);
	a->state = "idle";
	a->started_at = (long long)ops->wall();
	pthread_mutex_init(&a->txn_lock, NULL);
	pthread_mutex_init(&a->mu, NULL);
	pthread_cond_init(&a->cond, NULL);
	if (store_init(cfg->state_dir, err) < 0 || vtysh_conf(cfg, err) < 0)
		return -1;
	rc = store_load(cfg->state_dir, "lkg", &a->lkg, err);
	if (rc < 0 || (rc == 1 && adopt_saved(a, err) < 0))
		return -1;
	a->drained = store_drained(cfg->state_dir);
	if (txn_recover(a, err) < 0) {
		/* keep serving status: the operator must see what is wrong */
		log_err("%s; refusing changes until a restart recovers",
			err->msg);
		a->state = "failed";
		a->recovery_failed = 1;
		snprintf(a->last_error, sizeof(a->last_error), "%s", err->msg);
	}
	return 0;
}

void agent_fini(struct agent *a)
{
	store_cfg_free(&a->lkg);
	store_cfg_free(&a->pending);
	plan_free(&a->pending_plan);
	pthread_mutex_destroy(&a->txn_lock);
	pthread_mutex_destroy(&a->mu);
	pthread_mutex_destroy(&a->status_mu);
	pthread_cond_destroy(&a->cond);
}

void agent_stop(struct agent *a)
{
	pthread_mutex_lock(&a->mu);
	a->stopping = 1;
	pthread_cond_broadcast(&a->cond);
	pthread_mutex_unlock(&a->mu);
}

/* Sleep until the confirm deadline (or 1 s, to notice a new one). */
static int timer_wait(struct agent *a)
{
	struct timespec ts;
	int stop;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 1;
	pthread_mutex_lock(&a->mu);
	if (!a->stopping)
		pthread_cond_timedwait(&a->cond, &a->mu, &ts);
	stop = a->stopping;
	pthread_mutex_unlock(&a->mu);
	return stop;
}

void *agent_timer(void *arg)
{
	struct agent *a = arg;

	while (!timer_wait(a))
		txn_confirm_expired(a);
	return NULL;
}
