/* The fabric model: the types topo_load() fills (topo.h) and the small
 * lookups every consumer needs (tiers, ports, capacity, what lies below a
 * switch). Everything here reads a loaded model and allocates nothing
 * unless it says so; it depends on nothing else in libtopo, so the
 * modules that build the model (expand, asn, addr, override) and those
 * that read it (summary, export, sim/) share it without a cycle. */
#ifndef CK_MODEL_H
#define CK_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "err.h"

enum topo_role {
	ROLE_SERVER,
	ROLE_TOR,
	ROLE_LEAF,
	ROLE_SPINE,
	ROLE_SUPERSPINE,
	ROLE_BORDER,
	ROLE__COUNT
};

enum topo_scope { SCOPE_RACK, SCOPE_CLUSTER, SCOPE_POD, SCOPE_PLANE, SCOPE_FABRIC };
enum topo_wiring { WIRING_MESH, WIRING_PLANE };
enum topo_hostmode { HOST_BGP, HOST_STATIC };
enum topo_portuse { PORT_ANY, PORT_DOWN, PORT_UP };

#define TOPO_NONE UINT32_MAX	/* "not applicable" for indices */
#define TOPO_MAX_NODES 2000000u	/* servers and switches together */
#define TOPO_MAX_GROUPS 64u	/* port groups per model */

struct topo_loc {
	int line, col;
};

struct topo_portgroup {
	uint32_t count;
	uint32_t speed_mbps;
	uint32_t spare;		/* last `spare` ports of the group stay unused */
	enum topo_portuse use;
	uint32_t first_port;	/* swp number of its first port */
};

struct topo_model {
	const char *name;
	struct topo_portgroup *groups;
	uint32_t ngroups;
	uint32_t nports;
	struct topo_loc loc;
};

/* A switch tier. tiers[0] is always the ToR tier (scope rack). Each tier
 * says how the tier below it wires up to it. */
struct topo_tier {
	const char *name;
	enum topo_role role;
	uint32_t model;
	enum topo_scope scope;
	uint32_t count;		/* per scope instance (per plane for planes) */
	uint32_t planes;	/* scope plane: number of planes */
	enum topo_wiring wiring;
	uint32_t links;		/* links per connected pair */
	uint32_t speed_mbps;	/* speed of the links from the tier below */
	bool asn_shared;	/* one ASN per scope instance (RFC 7938 spines) */
	bool originate_default;
	uint32_t oversub_num, oversub_den;	/* declared down:up, 0 if not */
	const char *naming;
	struct topo_loc loc, model_loc, count_loc, name_loc, naming_loc;
};

struct topo_pod {
	const char *name;
	uint32_t racks;
	uint32_t racks_per_cluster;
	uint32_t servers_per_rack;
	uint32_t server_speed_mbps;
	uint32_t first_rack;	/* global rack index of its first rack */
	uint32_t first_cluster;	/* global cluster index of its first one */
	struct topo_loc loc, name_loc;
};

struct topo_asnrange {
	const char *tier;	/* "server" or a tier name */
	uint32_t lo, hi;
	struct topo_loc loc;
};

struct topo_override {
	const char *match;	/* fnmatch(3) glob on node names */
	uint32_t mtu;		/* 0: not set */
	uint32_t bfd_interval_ms, bfd_multiplier;
	uint32_t asn;
	int routing;		/* -1: not set, else enum topo_hostmode */
	uint32_t matched;	/* how many nodes it applied to */
	struct topo_loc loc, routing_loc;
};

struct topo_prefix {
	uint32_t addr;		/* host byte order */
	uint8_t len;
	struct topo_loc loc;	/* where the file gives it, for messages */
};

/* An IPv6 pool. Addresses are the pool's base plus an offset: the same
 * offset a node has in the matching IPv4 pool (addr6.h). */
struct topo_prefix6 {
	uint8_t addr[16];	/* network byte order */
	uint8_t len;
	struct topo_loc loc;
};

struct topo_node {
	const char *name;
	enum topo_role role;
	uint32_t tier;		/* index in tiers; TOPO_NONE for servers */
	uint32_t pod, cluster, plane, rack;	/* TOPO_NONE when n/a; rack and
						 * cluster are global indices */
	uint32_t index;		/* 0-based within its scope instance */
	uint32_t asn;
	uint32_t addr;		/* switches: loopback; servers: host address */
	uint32_t first_port, nports;
	uint32_t mtu;
	uint32_t mtu_override;	/* 1 + index of the last override that set
				 * mtu; 0: the fabric's */
	uint32_t bfd_interval_ms, bfd_multiplier;
	enum topo_hostmode routing;	/* servers */
};

struct topo_port {
	uint32_t node;
	uint32_t link;
	uint32_t peer_port;
	uint32_t speed_mbps;
	const char *name;	/* swpN, or the server's uplink name */
	bool up;		/* toward the upper tier */
};

/* A cable. a is the lower-tier end, b the upper. */
struct topo_link {
	uint32_t a_port, b_port;
	uint32_t speed_mbps;
};

struct topo {
	struct arena arena;
	const char *file;
	const char *name;
	uint32_t generation;
	uint32_t mtu;
	uint32_t bfd_interval_ms, bfd_multiplier;
	struct topo_prefix pool_loopbacks, pool_servers;
	bool dual_stack;	/* pools.loopbacks6 and pools.servers6 given */
	struct topo_prefix6 pool_loopbacks6, pool_servers6;
	enum topo_hostmode host_routing;
	const char *uplinks[8];
	uint32_t nuplinks;
	uint32_t server_speed_mbps;
	bool allow_partitioned;	/* servers may lack a path between them */

	struct topo_model *models;
	uint32_t nmodels;
	struct topo_tier *tiers;
	uint32_t ntiers;
	struct topo_pod *pods;
	uint32_t npods;
	struct topo_asnrange *asns;
	uint32_t nasns;
	struct topo_override *overrides;
	uint32_t noverrides;

	/* expanded model */
	struct topo_node *nodes;
	uint32_t nnodes;
	struct topo_port *ports;
	uint32_t nports;
	struct topo_link *links;
	uint32_t nlinks;
	uint32_t nracks, nclusters;
	uint32_t rack_block;	/* addresses per rack block (power of two) */
	uint32_t count_by_role[ROLE__COUNT];
	uint32_t *by_name;	/* node indices sorted by name */
};

/* Names by enum value, NULL-terminated (what the file says, what is
 * printed). */
extern const char *const topo_role_names[];
extern const char *const topo_scope_names[];
const char *topo_role_name(enum topo_role r);
const char *topo_scope_name(enum topo_scope s);
/* The instance of scope s (rack, cluster, pod, plane; 0 for the fabric) a
 * node belongs to, TOPO_NONE when it belongs to none. */
uint32_t topo_scope_instance(const struct topo_node *n, enum topo_scope s);
/* Node index by name, TOPO_NONE if absent (binary search on a sorted index
 * built at load). */
uint32_t topo_find_node(const struct topo *t, const char *name);
/* Tier index by name (len bytes of name, not necessarily terminated),
 * TOPO_NONE if no tier has it. */
uint32_t topo_find_tier(const struct topo *t, const char *name, size_t len);
/* The node at the other end of port p's cable. */
uint32_t topo_peer_node(const struct topo *t, uint32_t p);
/* The MTU of port p's cable, the same at both ends: an override that sets
 * a node's mtu applies to every cable of that node, both ends; where both
 * ends have one, the later override wins. */
uint32_t topo_port_mtu(const struct topo *t, uint32_t p);
/* "10.0.0.1" into buf (at least 16 bytes); returns buf. */
char *topo_ip4(uint32_t addr, char *buf);
/* "10G", "400G", "100M" */
const char *topo_speed_str(uint32_t mbps, char *buf, size_t len);

/* The switches of tier k in node order, or, with k TOPO_NONE, every
 * switch tier by tier; *n gets how many. Caller frees. */
uint32_t *topo_tier_switches(const struct topo *t, uint32_t k, uint32_t *n);
/* How many switches tier k has. */
uint32_t topo_tier_size(const struct topo *t, uint32_t k);

/* Capacity of a node's cables in Mb/s: toward the tier above (up) and
 * toward the tier below or its servers (down). */
void topo_node_capacity(const struct topo *t, uint32_t node, uint64_t *down,
			uint64_t *up);

/* A switch tier as a whole. */
struct topo_tier_cap {
	uint32_t switches;	/* how many nodes the tier has */
	uint32_t first;		/* its first node, TOPO_NONE if empty */
	uint64_t down_mbps, up_mbps;	/* summed over the tier */
	/* servers below its first switch: on uneven pods (pods of unlike
	 * racks) the first pod's figure, not every switch's */
	uint32_t servers_below;
	/* its switches reach every server: a top of the east-west path
	 * (uplinks, if any, only lead out), so it has no down:up ratio */
	bool top;
};

/* One pass over the nodes plus one walk down from the first switch. */
void topo_tier_capacity(const struct topo *t, uint32_t k,
			struct topo_tier_cap *c);

/* The nodes below node (node itself excluded): every node reached from
 * it by going only down, toward the servers, each once, in no particular
 * order; *n gets how many. Caller frees. The prefix filters (ctx.c) admit
 * exactly the addresses of these nodes. */
uint32_t *topo_below_nodes(const struct topo *t, uint32_t node, uint32_t *n);
/* How many servers lie below node. */
uint32_t topo_servers_below(const struct topo *t, uint32_t node);

#endif
