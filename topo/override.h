/* Per-node overrides (the `overrides` list), applied in order after the
 * plan. Matching is cheap however long the list: a pattern without glob
 * characters is one lookup in the sorted name index, a glob is tried only
 * on the names that start with its literal prefix (all names when it
 * starts with a wildcard). */
#ifndef CK_OVERRIDE_H
#define CK_OVERRIDE_H

#include "model.h"

/* Apply every override to the nodes it matches. -1 with err set when one
 * matches no node, or sets something that does nothing on a node it
 * matches (routing on a switch), or leaves the two ends of a cable at
 * different MTUs. */
int override_apply(struct topo *t, struct ck_err *err);

/* Call fn on every node o matches, in name order; stops at the first
 * nonzero return and returns it. *matched counts the calls. */
int override_each(const struct topo *t, const struct topo_override *o,
		  int (*fn)(void *arg, uint32_t node), void *arg,
		  uint32_t *matched);

#endif
