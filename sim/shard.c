#include "shard.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

#define LOOKED "SLURM_ARRAY_TASK_ID (with SLURM_ARRAY_TASK_MIN and " \
	"SLURM_ARRAY_TASK_MAX, or SLURM_ARRAY_TASK_COUNT) and " \
	"JOB_COMPLETION_INDEX (with --shards N)"

/* A variable's value as a number; false when unset or not a number. */
static bool num(shard_getenv_fn get, const char *name, uint64_t *v,
		bool *bad)
{
	const char *s = get(name);
	char *end;

	if (s == NULL || *s == '\0')
		return false;
	errno = 0;
	*v = strtoull(s, &end, 10);
	if (errno || *end || *s == '-' || *v > UINT32_MAX) {
		*bad = true;
		return false;
	}
	return true;
}

static int slurm(shard_getenv_fn get, uint64_t id, uint32_t *index,
		 uint32_t *count, struct ck_err *err)
{
	uint64_t min = 0, max = 0, step = 1, cnt = 0;
	bool bad = false, have_min = num(get, "SLURM_ARRAY_TASK_MIN", &min,
					 &bad);
	bool have_max = num(get, "SLURM_ARRAY_TASK_MAX", &max, &bad);
	bool have_cnt = num(get, "SLURM_ARRAY_TASK_COUNT", &cnt, &bad);

	num(get, "SLURM_ARRAY_TASK_STEP", &step, &bad);
	if (!bad && have_min && have_max && step > 0 && max >= min)
		cnt = (max - min) / step + 1;
	else if (!bad && have_min && have_cnt && step > 0)
		max = min + (cnt - 1) * step;
	else
		bad = true;
	if (bad || cnt == 0 || id < min || id > max || (id - min) % step) {
		ck_err_set(err, NULL, 0, 0, "--shard auto: SLURM_ARRAY_TASK_ID "
			   "is set but the array's bounds are missing or "
			   "inconsistent; looked for " LOOKED);
		return -1;
	}
	*index = (uint32_t)((id - min) / step);
	*count = (uint32_t)cnt;
	return 0;
}

int shard_auto(shard_getenv_fn get, uint32_t shards, uint32_t *index,
	       uint32_t *count, struct ck_err *err)
{
	uint64_t v;
	bool bad = false;

	if (num(get, "SLURM_ARRAY_TASK_ID", &v, &bad))
		return slurm(get, v, index, count, err);
	if (!bad && num(get, "JOB_COMPLETION_INDEX", &v, &bad) && shards &&
	    v < shards) {
		*index = (uint32_t)v;
		*count = shards;
		return 0;
	}
	if (!bad && get("JOB_COMPLETION_INDEX") && shards == 0)
		ck_err_set(err, NULL, 0, 0, "--shard auto: JOB_COMPLETION_INDEX "
			   "is set; give the number of shards with --shards N "
			   "(the Indexed Job's completions)");
	else if (!bad && get("JOB_COMPLETION_INDEX"))
		ck_err_set(err, NULL, 0, 0, "--shard auto: JOB_COMPLETION_INDEX "
			   "%s is not below --shards %u",
			   get("JOB_COMPLETION_INDEX"), shards);
	else
		ck_err_set(err, NULL, 0, 0, "--shard auto: no scheduler "
			   "variables %s; looked for " LOOKED " (run it as a "
			   "Slurm array task or in a Kubernetes Indexed Job, "
			   "or give --shard I/N)", bad ? "readable" : "set");
	return -1;
}
