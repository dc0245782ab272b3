/* fabricctl push: a fabric-gen bundle to its agents, canary first, wave by
 * wave, stopping at the first wave with a failure; confirms each node that
 * verified when --confirm-timeout is given; prints a table per node. */
#ifndef FD_PUSH_H
#define FD_PUSH_H

#include <stdio.h>

#include "client.h"
#include "err.h"
#include "inventory.h"

struct push_opts {
	const char *dir;
	const char *only;	/* glob or NULL */
	const char *waves;	/* spec or NULL (default) */
	int parallel;
	long confirm_s;		/* 0: commit without confirmation */
	int dry_run;
	int json, quiet;
	int port;		/* agent port when the inventory has none */
	const struct inventory *inv;
	struct client_tls tls;
	int allow_miswired;	/* agents push even where LLDP shows the
				 * BGP ports miswired (the history says so) */
};

/* 0: every node succeeded; 1: some failed or were skipped; -1: err. */
int push_run(const struct push_opts *o, FILE *out, struct ck_err *err);

#endif
