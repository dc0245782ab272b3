/* A node's bundle as the agent receives it (PUT /v1/bundle): node.json, the
 * contents of frr.conf and the generation. nodecfg_parse() checks the schema,
 * the node name and the checksums and builds an immutable nodecfg. */
#ifndef FD_NODECFG_H
#define FD_NODECFG_H

#include <stddef.h>

#include <jansson.h>

#include "err.h"

struct nodecfg_iface {
	char *name;
	int mtu;
	char *peer_node, *peer_port;	/* the cable's far end as planned
					 * ("peer"); NULL when not given */
};

struct nodecfg_peer {
	char *iface;
	char *node;
	long long asn;
};

struct nodecfg {
	char *name;
	char *role;
	long long generation;
	long long asn;
	int mtu;
	int bfd;		/* BFD expected on every peer */
	char **loopbacks;	/* "A.B.C.D/32", and "X:X::X/128" in dual-stack */
	size_t n_loopbacks;
	struct nodecfg_iface *ifaces;
	size_t n_ifaces;
	struct nodecfg_peer *peers;
	size_t n_peers;
	char *frr_conf;		/* file content, NUL-terminated */
	char frr_sha[65];	/* sha256 of frr_conf */
	char *node_json;	/* node.json as received, compact, for the state dir */
	long confirm_timeout_s;	/* 0: commit as soon as verified */
	int allow_miswired;	/* push even onto ports LLDP shows miswired */
};

/* Why a bundle was refused: a stable error code ("invalid-bundle",
 * "wrong-node", "checksum-mismatch") plus err. */
struct nodecfg_fail {
	const char *code;
	struct ck_err err;
};

/* Parse a request body {"node": {...}, "files": {"frr.conf": "..."},
 * "generation": N, "confirmTimeoutS": S}. expect_name: the agent's node
 * name. Returns a new nodecfg (free with nodecfg_free) or NULL. */
struct nodecfg *nodecfg_parse(const char *body, size_t len,
			      const char *expect_name, struct nodecfg_fail *f);
/* Load what nodecfg_save_node() stored: node.json + frr.conf text. */
struct nodecfg *nodecfg_from_parts(const char *node_json, const char *frr_conf,
				   struct nodecfg_fail *f);
void nodecfg_free(struct nodecfg *c);

#endif
