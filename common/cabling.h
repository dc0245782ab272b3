/* The fabric as built against the fabric as planned: what LLDP sees on a
 * port against what the bundle says is cabled there. Pure logic, no I/O:
 * the agent classifies its own ports (GET /v1/cabling), fabricctl and
 * fabric-lab fold every node's ports into a list of cables, each mismatch
 * once, and recognise two miswired cables that are a swap.
 *
 * An end is a (node, port) pair; a NULL node means "nothing": no LLDP
 * neighbour, or a port the plan leaves empty. Strings are borrowed: every
 * result points into the inputs, which must outlive it. */
#ifndef CK_CABLING_H
#define CK_CABLING_H

#include <stddef.h>

#include <jansson.h>

enum cabling_state {
	CABLING_OK,
	CABLING_MISWIRED,	/* a neighbour, not the planned one */
	CABLING_MISSING,	/* planned, but no neighbour seen */
	CABLING_UNEXPECTED,	/* a neighbour on a port the plan leaves empty */
	CABLING_UNUSED,		/* neither planned nor seen: not reported */
	CABLING__COUNT
};

struct cabling_end {
	const char *node, *port;
};

/* One port of one node, as its agent reports it. */
struct cabling_port {
	struct cabling_end self;	/* the node and its port */
	struct cabling_end expected;	/* from node.json */
	struct cabling_end seen;	/* from LLDP */
};

/* A cable in the report: the two ends as found (miswired, unexpected) or
 * as planned (missing), what each end should be cabled to, and the other
 * half of a swap. */
struct cabling_cable {
	enum cabling_state state;
	struct cabling_end a, b;	/* a < b; b.node NULL: far end unknown */
	struct cabling_end a_plan, b_plan; /* planned peers; node NULL: none */
	long swap;			/* index of its swap partner, or -1 */
};

/* An end as GET /v1/cabling and fabricctl cabling --json write it:
 * {"node", "port"}, or null for nothing (a new reference). */
json_t *cabling_end_json(const struct cabling_end *e);
/* The same read back: strings borrowed from o; a non-object is nothing. */
void cabling_end_of(const json_t *o, struct cabling_end *e);

/* "ok", "miswired", "missing", "unexpected", "unused". */
const char *cabling_state_name(enum cabling_state s);

/* The state of one port. Ports compare by name: the agent and the lab
 * run lldpd with the interface name as port id. */
enum cabling_state cabling_classify(const struct cabling_port *p);

/* Every mismatch among ports[0, n) as a cable, once even when both of its
 * ends reported it, in a stable order (sorted by a, then b). Two miswired
 * cables whose four ends the plan pairs crosswise are marked as each
 * other's swap. Returns the number of cables written to *out (malloc'd,
 * the caller frees it; NULL when there are none). */
size_t cabling_fold(const struct cabling_port *ports, size_t n,
		    struct cabling_cable **out);

/* For two cables that are a swap: the two ends whose cables, exchanged,
 * make both right (*x in c, *y in d), ends on one node preferred ("swap
 * the cables on t1 swp1 and swp2"). 0, or -1 when they are no swap. */
int cabling_swap_ends(const struct cabling_cable *c,
		      const struct cabling_cable *d, struct cabling_end *x,
		      struct cabling_end *y);

#endif
