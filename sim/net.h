/* The simulator's view of a fabric: every cable of the topology becomes
 * two directed links (up and down) with the cable's capacity, and every
 * node gets its out-links split into up and down lists. Failures are
 * counters on directed links, so a sweep can fail and restore nodes
 * without rebuilding anything.
 *
 * Directed link ids: 2*l is the up direction of topo link l (a_port ->
 * b_port), 2*l+1 the down direction. A directed link is named by its
 * egress port, "NODE:PORT", which is also what `--fail link:` takes.
 *
 * net_new() borrows the topology (it must outlive the net); net_free()
 * releases everything else. */
#ifndef CK_NET_H
#define CK_NET_H

#include <stdbool.h>
#include <stdint.h>

#include "topo.h"

struct net {
	const struct topo *t;
	uint32_t nnodes, nlinks;	/* nlinks = directed links */
	uint32_t maxlvl;		/* highest node level */
	uint32_t maxdeg;		/* most out-links of any node */
	uint32_t nservers;
	double *cap;		/* bits per second, by directed link */
	uint32_t *from, *to;	/* nodes, by directed link */
	uint8_t *lvl;		/* 0 for servers, tier + 1 for switches */
	double *srv_bps;	/* nominal offered rate, by node (0: switch) */
	uint32_t *servers;	/* server node ids, in node order */
	/* out-links of node u: up ones adj[off[u] .. off[u] + nup[u]),
	 * then down ones up to off[u + 1] */
	uint32_t *off, *nup, *adj;
	uint64_t *salt;		/* by node: its ECMP hash seed */
	uint32_t *dead;		/* by directed link: failures covering it */
	uint32_t *node_dead;	/* by node: failures of the node itself */
};

struct net *net_new(const struct topo *t);
void net_free(struct net *n);

static inline bool net_alive(const struct net *n, uint32_t link)
{
	return n->dead[link] == 0;
}

/* The directed link in the other direction of the same cable. */
static inline uint32_t net_reverse(uint32_t link)
{
	return link ^ 1u;
}

/* Fail (delta +1) or restore (delta -1) a node with every cable on it. */
void net_fail_node(struct net *n, uint32_t node, int delta);
/* Fail or restore one cable, given either of its directed links. */
void net_fail_cable(struct net *n, uint32_t link, int delta);
/* Give dst (a net of the same topology) the failures of src. */
void net_copy_failures(struct net *dst, const struct net *src);
/* True when nothing is failed. */
bool net_intact(const struct net *n);

/* Egress port of a directed link, and the link leaving node by port name
 * (UINT32_MAX if none). */
const struct topo_port *net_port(const struct net *n, uint32_t link);
uint32_t net_link_by_port(const struct net *n, uint32_t node,
			  const char *port);
/* "NODE:PORT" into buf. */
const char *net_link_name(const struct net *n, uint32_t link, char *buf,
			  size_t len);

#endif
