/* Merging the shards of an N+1 sweep (--shard I/N, run as an array job):
 * the JSON reports of shards 1..N of one fabric become one report whose
 * nPlusOne holds, per tier and mode, the worst switch over all shards and
 * the total tried. Everything else comes from the first report. */
#ifndef CK_MERGE_H
#define CK_MERGE_H

#include <jansson.h>
#include <stddef.h>

#include "err.h"

/* reports are borrowed; the result is a new reference, NULL with err when
 * the reports are not the N distinct shards of one sweep. */
json_t *merge_reports(json_t *const *reports, size_t n, struct ck_err *err);

#endif
