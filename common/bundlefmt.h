/* The bundle format: typed read and write of a bundle's manifest.json and
 * nodes/NAME/node.json, the one place that knows their keys. fabric-gen
 * writes through it; fabric-gen (diff, output check), fabricctl and the
 * agent read through it. Written text is jansson's 2-space indent in key
 * order plus a newline, so the same struct always gives the same bytes.
 *
 * Ownership: a struct filled by a read function owns its strings and
 * arrays (in its arena); free it with the matching _free(). A struct a
 * writer fills by hand may point anywhere (arena left zeroed) and is never
 * freed here. Errors name the file and the key ("interfaces[2].mtu"). */
#ifndef CK_BUNDLEFMT_H
#define CK_BUNDLEFMT_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "arena.h"
#include "err.h"

/* --- manifest.json: {"fabric", "generation", "nodes": [...]} ----------- */

struct bundlefmt_entry {
	const char *name;	/* checked with ck_nodename_check() */
	const char *role;
	const char *pod;	/* NULL: in no pod (written as null) */
	const char *sha256;	/* of node.json; NULL only when lenient */
};

struct bundlefmt_manifest {
	const char *fabric;	/* NULL only when lenient */
	long long generation;	/* 0 when lenient and absent */
	struct bundlefmt_entry *nodes;
	size_t n_nodes;
	struct arena mem;
};

/* Lenient: "fabric", "generation" and the entries' "sha256" may be
 * absent (a reader that only routes by name and role); present, they
 * must still have their type. Names and roles are always required. */
#define BUNDLEFMT_LENIENT 1u

/* Read DIR/manifest.json into m. On error, err names the file and says
 * "not a closkit manifest (WHAT)"; callers add what to do. m needs no
 * free then. */
int bundlefmt_manifest_read(const char *dir, unsigned flags,
			    struct bundlefmt_manifest *m, struct ck_err *err);
/* The text of manifest.json; caller frees. */
char *bundlefmt_manifest_text(const struct bundlefmt_manifest *m);
void bundlefmt_manifest_free(struct bundlefmt_manifest *m);

/* --- nodes/NAME/node.json ---------------------------------------------- */

struct bundlefmt_iface {
	const char *name;
	long long mtu;
	long long speed_mbps;
	const char *direction;	/* "up" or "down" */
	bool proxy_arp;
	const char *peer_node;
	const char *peer_port;
};

struct bundlefmt_peer {
	const char *iface;
	const char *peer_node;
	long long peer_asn;
};

struct bundlefmt_node {
	const char *name;
	const char *role;
	const char *fabric;
	long long generation;
	const char *host_routing;	/* servers: "bgp" or "static"; else NULL */
	long long asn;
	const char *router_id;
	const char **loopbacks;		/* "A.B.C.D/32" [, "X::Y/128"] */
	size_t n_loopbacks;
	long long mtu;
	bool has_bfd;
	long long bfd_interval_ms, bfd_multiplier;
	struct bundlefmt_iface *ifaces;
	size_t n_ifaces;
	struct bundlefmt_peer *peers;	/* expected BGP sessions */
	size_t n_peers;
	const char *frr_sha256;		/* files["frr.conf"].sha256 */
	struct arena mem;
};

/* Read the node.json at path into n; free with bundlefmt_node_free(). */
int bundlefmt_node_read(const char *path, struct bundlefmt_node *n,
			struct ck_err *err);
/* The same from a parsed object (o is borrowed); file is what errors
 * name. */
int bundlefmt_node_from_json(const json_t *o, const char *file,
			     struct bundlefmt_node *n, struct ck_err *err);
/* New reference; key order as in every bundle. */
json_t *bundlefmt_node_json(const struct bundlefmt_node *n);
/* The text of node.json; caller frees. */
char *bundlefmt_node_text(const struct bundlefmt_node *n);
void bundlefmt_node_free(struct bundlefmt_node *n);

#endif
