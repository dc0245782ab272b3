/* Failure sets: what `--fail` names, resolved against the net.
 *   node:NAME          a switch or server, with every cable on it
 *   link:NODE:PORT     one cable, named by either end (NODE's port PORT)
 *   random:TIER:K      K distinct switches of tier TIER, drawn with the seed
 * A fail set only lists; fail_apply() adds or removes it on a net. The
 * caller owns the set: fail_init() / fail_free(). */
#ifndef CK_FAIL_H
#define CK_FAIL_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "net.h"
#include "rng.h"

struct fail {
	uint32_t *nodes;
	size_t nnodes, ncap;
	uint32_t *links;	/* one directed link per failed cable */
	size_t nlinks, lcap;
};

void fail_init(struct fail *fl);
void fail_free(struct fail *fl);
/* Resolve one spec and add it; -1 with err saying what names exist. */
int fail_add(struct fail *fl, const struct net *n, const char *spec,
	     struct rng *rng, struct ck_err *err);
/* Resolve every spec (random ones drawn from seed, as capacity-report
 * does), fail them on the net; -1 with err at the first bad spec. */
int fail_add_all(struct fail *fl, struct net *n, const char *const *specs,
		 size_t nspecs, uint64_t seed, struct ck_err *err);
/* delta +1 fails everything listed, -1 restores it. */
void fail_apply(const struct fail *fl, struct net *n, int delta);
/* [{"kind": "node"|"link", "name": ...}]; new reference. */
json_t *fail_json(const struct fail *fl, const struct net *n);

#endif
