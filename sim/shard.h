/* --shard auto: which shard this process is, from the batch scheduler
 * that started it. Slurm job arrays set SLURM_ARRAY_TASK_ID with
 * SLURM_ARRAY_TASK_MIN and _MAX (and _STEP), or SLURM_ARRAY_TASK_COUNT;
 * Kubernetes Indexed Jobs set JOB_COMPLETION_INDEX (0-based) and the
 * count comes from --shards. The environment is read through get (getenv
 * in the program, a table in tests). */
#ifndef CK_SHARD_H
#define CK_SHARD_H

#include <stdint.h>

#include "err.h"

typedef const char *(*shard_getenv_fn)(const char *name);

/* 0-based index and count; -1 with err naming the variables looked for.
 * shards: the --shards count, 0 when not given. */
int shard_auto(shard_getenv_fn get, uint32_t shards, uint32_t *index,
	       uint32_t *count, struct ck_err *err);

#endif
