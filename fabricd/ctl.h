/* fabricctl status | history | rollback | drain [--wait] | undrain on one
 * node or a glob over the inventory: one request per node, in parallel,
 * printed as a table or JSON. */
#ifndef FD_CTL_H
#define FD_CTL_H

#include <stdio.h>

#include "client.h"
#include "inventory.h"
#include "out.h"

struct ctl_opts {
	const char *cmd;
	char **targets;
	int n_targets;
	const struct out_ops *out;	/* text or JSON (--json) */
	int quiet;
	int parallel;
	int port;
	int wait;		/* drain: until transit traffic is low */
	double threshold_pps;	/* drain --wait */
	int wait_timeout_s;
	const struct inventory *inv;
	struct client_tls tls;
};

/* 0 when every node answered 2xx, 1 otherwise, -1 on usage errors. */
int ctl_run(const struct ctl_opts *o, FILE *out, struct ck_err *err);

#endif
