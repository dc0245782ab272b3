/* The subtrees of one tier: the servers a switch of the tier reaches going
 * only down (on the intact model). Switches of one scope instance (the
 * ToRs of a rack, the leaves of a cluster) share a subtree; in a fabric of
 * unlike pods the subtrees of one tier differ in servers, speeds and
 * uplinks, so the verdict's subtree checks quote figures per class of
 * alike subtrees (same servers, nominal rate and uplinks), computed
 * from the flows of the check itself. subtree_new() borrows the net;
 * subtree_free() releases the rest. */
#ifndef CK_SUBTREE_H
#define CK_SUBTREE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "flows.h"
#include "net.h"
#include "sbuf.h"

struct subtrees {
	const struct net *n;
	uint32_t count;		/* subtrees */
	uint32_t max;		/* servers in the largest */
	uint32_t *of;		/* by node: its subtree, UINT32_MAX if none */
	uint32_t *size;		/* by subtree: servers */
	uint32_t *pod;		/* by subtree: its pod, TOPO_NONE if several */
	double *up_bps;		/* by subtree: its switches' uplinks */
	double *srv_bps;	/* by subtree: its servers' nominal rates */
};

struct subtrees *subtree_new(const struct net *n, uint32_t tier);
void subtree_free(struct subtrees *st);
/* Per class of alike subtrees (same servers, nominal rate and uplinks),
 * from solved flows f: [{"pods" (their pods' names; none for subtrees
 * that span pods), "subtrees", "servers", "serverGbps", "uplinkGbps" (each
 * subtree's), "serversOut" (of servers * subtrees, those whose traffic
 * leaves their subtree), "offeredGbps", "achievedGbps", "fraction" (of
 * the traffic leaving)}]. The caller owns it. */
json_t *subtree_classes(const struct subtrees *st, const struct flows *f);
/* The pods of a class, "pod1, pod2" ("cross-pod" if it spans pods). */
void subtree_pods(struct sbuf *b, const json_t *cls);
/* "every TIER subtree (N servers) sends all its traffic out of it" when
 * the classes are alike, else the figures of each class. */
void subtree_why(const json_t *classes, const char *tier, char *buf,
		 size_t len);
/* "; worst: PODS TIER subtrees, F% of the G Gb/s they send out" when the
 * classes differ; nothing when they are alike. */
void subtree_worst(struct sbuf *b, const json_t *classes, const char *tier);

#endif
