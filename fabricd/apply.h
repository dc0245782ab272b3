/* Side effects of the agent, behind const ops tables so that the
 * transaction logic can be unit-tested with fakes:
 *   net_ops  links, addresses, sysctls (apply_netlink.c: libnl-3, /proc/sys)
 *   frr_ops  vtysh and frr-reload.py (apply_frr.c: fork/exec)
 * and apply_plan(), the executor of a plan (plan.h) over net_ops. */
#ifndef FD_APPLY_H
#define FD_APPLY_H

#include <stddef.h>

#include "err.h"
#include "sbuf.h"

struct config;
struct plan;

struct link_info {
	int exists;
	int mtu;
	int up;
	unsigned long long rx_packets, tx_packets;
};

struct net_ops {
	int (*link_get)(void *ctx, const char *ifname, struct link_info *li,
			struct ck_err *err);
	int (*link_set)(void *ctx, const char *ifname, int mtu, int up,
			struct ck_err *err);
	/* *has = 1 when prefix ("10.0.0.1/32") is configured on ifname */
	int (*addr_has)(void *ctx, const char *ifname, const char *prefix,
			int *has, struct ck_err *err);
	int (*addr_add)(void *ctx, const char *ifname, const char *prefix,
			struct ck_err *err);
	int (*addr_del)(void *ctx, const char *ifname, const char *prefix,
			struct ck_err *err);
	/* key is a /proc/sys path below net/, e.g. "ipv4/ip_forward" */
	int (*sysctl_get)(void *ctx, const char *key, char *buf, size_t len,
			  struct ck_err *err);
	int (*sysctl_set)(void *ctx, const char *key, const char *val,
			  struct ck_err *err);
};

/* Every call returns 0 on success; out receives the program's output.
 * FRR_UNFINISHED (< 0 like any failure) when the program did not finish:
 * it outlived frr_timeout_s and was killed, died of a signal, or could not
 * run; out then starts with a sentence saying so. */
#define FRR_UNFINISHED (-2)
struct frr_ops {
	/* vtysh --dryrun -f file */
	int (*dryrun)(const struct config *c, const char *file, struct sbuf *out);
	/* frr-reload.py --reload file (never --overwrite); file must be
	 * named frr.conf (see apply_frr.c) */
	int (*reload)(const struct config *c, const char *file, struct sbuf *out);
	/* frr-reload.py --test file: out empty when running == file */
	int (*diff)(const struct config *c, const char *file, struct sbuf *out);
	/* vtysh -c cmd (show commands) */
	int (*show)(const struct config *c, const char *cmd, struct sbuf *out);
	/* vtysh -c "configure terminal" -c cmds[0] ...; cmds NULL-terminated */
	int (*configure)(const struct config *c, const char *const *cmds,
			 struct sbuf *out);
	/* "hostname NAME" in every running daemon. FRR 8.4's vtysh (and so
	 * frr-reload.py) keeps a hostname line to itself and never passes it
	 * on: the daemons go on using the system's host name. NULL: skip. */
	int (*hostname)(const struct config *c, const char *name,
			struct sbuf *out);
};

extern const struct net_ops apply_netlink_ops;
extern const struct frr_ops apply_frr_ops;

/* libnl socket for apply_netlink_ops (ctx); NULL + err on failure. */
void *apply_netlink_open(struct ck_err *err);
void apply_netlink_close(void *ctx);

/* Execute steps [0, n) of plan forward (undo = 0) or their inverse in
 * reverse order (undo = 1). Undo is best effort and idempotent: it goes on
 * after an error and reports the first. *writes counts kernel writes. */
int apply_plan(const struct net_ops *ops, void *ctx, const struct plan *p,
	       int undo, size_t n, unsigned long *writes, struct ck_err *err);

#endif
