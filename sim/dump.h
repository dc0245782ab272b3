/* Raw data for independent checking (e.g. feeding SimGrid), one JSON
 * object per line, streamed through the writer (common/out.h) in constant
 * memory:
 *   links: {"id": "NODE:PORT", "from": NODE, "to": NODE, "capacityBps": N}
 *          for every live directed link;
 *   flows: {"src", "dst", "demandBps", "rateBps", "path": [LINK_ID, ...]}
 *          for a single-path placement (ecmp); an unroutable flow has an
 *          empty path. */
#ifndef CK_DUMP_H
#define CK_DUMP_H

#include <stdio.h>

#include "err.h"
#include "flows.h"
#include "net.h"
#include "out.h"

/* Member key: ["LINK_ID", ...] for the n links of a path. */
void dump_path(struct out_stream *s, const char *key, const struct net *n,
	       const uint32_t *link, uint32_t nlinks);
int dump_links(const struct net *n, FILE *out, struct ck_err *err);
int dump_flows(const struct net *n, const struct flows *f, FILE *out,
	       struct ck_err *err);

#endif
