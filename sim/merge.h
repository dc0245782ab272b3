/* Merging the shards of an N+1 sweep (--shard I/N, run as an array job):
 * the JSON reports of shards 1..N of one fabric become one report whose
 * nPlusOne holds, per tier and mode, the worst switch over all shards and
 * the total tried. Everything else comes from the first report. */
#ifndef CK_MERGE_H
#define CK_MERGE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "err.h"

/* reports are borrowed; the result is a new reference, NULL with err when
 * the reports are not the N distinct shards of one sweep. */
json_t *merge_reports(json_t *const *reports, size_t n, struct ck_err *err);

/* Reports of a sharded run (a root "shard": {"index", "count"}), named by
 * the files they came from: the same report the unsharded run prints,
 * times aside (nPlusOne, nPlusK and sweep folded over the shards, the rest
 * from shard 1). NULL with err naming the file when a shard is missing or
 * duplicated, or comes from another sweep (topology, seed, options). */
json_t *merge_shards(json_t *const *reports, const char *const *names,
		     size_t n, struct ck_err *err);
/* Whether any report carries a root "shard" (else merge_reports()). */
bool merge_is_sharded(json_t *const *reports, size_t n);

#endif
