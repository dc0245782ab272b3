/* fabric-lab: a fabric emulated in network namespaces with real FRR. */
#ifndef CK_LAB_H
#define CK_LAB_H

#include <stdbool.h>
#include <stdio.h>

#include "bundlefmt.h"
#include "err.h"
#include "state.h"
#include "topo.h"

enum lab_push { LAB_PUSH_AGENT, LAB_PUSH_DIRECT };

struct lab {
	struct lab_state *st;
	struct topo *t;
	char *bundle;		/* bundle directory (fabric-gen output) */
	char **ns;		/* namespace name per node */
	char *mgmt_ns;		/* management network, where fabricctl runs */
	struct bundlefmt_node *nodes;	/* node.json per node, from the model */
	int timeout_s;		/* convergence limit */
	int verify_timeout_s;	/* agents: BGP/BFD must come up within */
	bool quiet;
};

struct lab_up_opts {
	const char *file;
	const char *name;	/* default: the fabric's name */
	const char *templates;
	enum lab_push push;
	int timeout_s;
	int verify_timeout_s;
	bool quiet;
};

int lab_up(const struct lab_up_opts *o, struct ck_err *err);
/* Removes what the lab's state says it created; no lab is not an error. */
int lab_down(const char *name, bool quiet, struct ck_err *err);
/* Open an existing lab (state, topology, namespaces). */
struct lab *lab_open(const char *name, struct ck_err *err);
void lab_free(struct lab *l);
/* Namespace of a node by name, or NULL. */
const char *lab_ns_of(const struct lab *l, const char *node);

/* netns.c: namespaces, cables, per-node kernel settings (via ip(8)). */
int netns_create(struct lab *l, struct ck_err *err);
int netns_cable(struct lab *l, struct ck_err *err);
int netns_base(struct lab *l, uint32_t node, struct ck_err *err);
/* What fabricd does on a real box, for --push direct: addresses, links
 * up, forwarding and multipath-hash sysctls. */
int netns_apply_node(struct lab *l, uint32_t node, struct ck_err *err);
int netns_mgmt(struct lab *l, struct ck_err *err);
/* 169.254.x.y: a node's management address */
void netns_mgmt_addr(uint32_t node, char buf[16]);

/* agents.c: a lab CA, fabricd in every node, fabricctl in the management
 * namespace. */
int agents_start(struct lab *l, struct ck_err *err);
int agents_push(struct lab *l, const char *bundle, struct ck_err *err);
/* argv prefix to run fabricctl as the lab's operator (NULL-terminated,
 * static storage inside l); append the command. */
size_t agents_ctl_argv(struct lab *l, const char **argv, size_t max);
/* Stop a node's agent and start it again (fault: FABRICD_TEST_FAULT for
 * the new one, NULL for none); waits until it answers unless it has a
 * fault to hit. */
int agents_restart(struct lab *l, uint32_t node, const char *fault,
		   struct ck_err *err);
int netns_delete(const char *ns, struct ck_err *err);

/* daemons.c: FRR daemons per namespace. */
/* FRR's daemons and lldpd in every node: each daemon on a batch of nodes
 * at once (a few per core), zebra first everywhere. */
int daemons_start_all(struct lab *l, struct ck_err *err);
/* The control socket of a node's lldpd: the agent's lldpd_socket
 * (malloc'd). */
char *daemons_lldp_socket(const struct lab *l, uint32_t node);
int daemons_load_config(struct lab *l, uint32_t node, struct ck_err *err);
/* Stop every process recorded in the state (checked by start time), or
 * those of one node and/or program (NULL: any). */
void daemons_stop_all(struct lab_state *st);
void daemons_stop(struct lab_state *st, const char *node, const char *prog);
bool daemons_alive(struct lab_state *st, const char *node, const char *prog);
void daemons_remove_dirs(struct lab_state *st);

/* vty.c: FRR queries. Caller owns results. */
json_t *vty_json(const char *ns, const char *cmd, struct ck_err *err);
int vty_cmd(const char *ns, const char *const *cmds, struct ck_err *err);

/* converge.c */
int converge_wait(struct lab *l, double *secs, struct ck_err *err);
/* Established sessions of a node, by interface name (json object). */
json_t *converge_sessions(const char *ns, struct ck_err *err);

/* check.c: the fabric-wide verdict as JSON ({"ok": bool, ...}). */
json_t *check_lab(struct lab *l);
void check_print_text(const json_t *r, FILE *out);

#endif
