#include "merge.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "sweep.h"
#include "xalloc.h"

#define MAX_SHARDS 1000000

static const json_t *np1(const json_t *r)
{
	return json_object_get(r, "nPlusOne");
}

static json_int_t num(const json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

/* Same fabric, same number of shards, each shard exactly once. */
static int check_set(json_t *const *r, size_t n, struct ck_err *err)
{
	bool *seen = xcalloc(n + 1, sizeof(bool));
	size_t i;
	int rc = 0;

	for (i = 0; i < n && rc == 0; i++) {
		json_int_t sh = num(np1(r[i]), "shard");

		if (np1(r[i]) == NULL || num(np1(r[i]), "shards") != (json_int_t)n ||
		    strcmp(json_string_value(json_object_get(r[i], "fabric")),
			   json_string_value(json_object_get(r[0], "fabric"))) ||
		    sh < 1 || sh > (json_int_t)n || seen[sh]) {
			ck_err_set(err, NULL, 0, 0, "report %zu: not one of the "
				   "%zu distinct shards of one N+1 sweep of "
				   "fabric '%s' (run each with --json "
				   "--n-plus-one --shard I/%zu)", i + 1, n,
				   json_string_value(json_object_get(r[0],
								     "fabric")),
				   n);
			rc = -1;
		} else {
			seen[sh] = true;
		}
	}
	free(seen);
	return rc;
}

/* Fold mode entry b (another shard's) into a: keep the worse one; on a
 * tie the smaller switch name, as an unsharded sweep does. */
static void fold_mode(json_t *a, json_t *b)
{
	const json_t *fb = json_object_get(b, "fraction");
	const json_t *fa = json_object_get(a, "fraction");

	if (fb == NULL)
		return;
	if (fa && (json_real_value(fa) < json_real_value(fb) ||
		   (json_real_value(fa) == json_real_value(fb) &&
		    strcmp(json_string_value(json_object_get(a, "worst")),
			   json_string_value(json_object_get(b, "worst"))) <= 0)))
		return;
	json_object_update(a, b);
}

static int fold_tiers(json_t *tiers, const json_t *other, struct ck_err *err)
{
	size_t k, m;
	json_t *t;

	if (json_array_size(tiers) != json_array_size(other)) {
		ck_err_set(err, NULL, 0, 0, "shards disagree on the tiers; "
			   "were they run on the same topology?");
		return -1;
	}
	json_array_foreach(tiers, k, t) {
		const json_t *o = json_array_get(other, k);
		json_t *modes = json_object_get(t, "modes");

		json_object_set_new(t, "tried", json_integer(num(t, "tried") +
							     num(o, "tried")));
		for (m = 0; m < json_array_size(modes); m++)
			fold_mode(json_array_get(modes, m), json_array_get(
				json_object_get(o, "modes"), m));
	}
	return 0;
}

json_t *merge_reports(json_t *const *reports, size_t n, struct ck_err *err)
{
	json_t *out, *tiers;
	size_t i;

	if (n == 0 || check_set(reports, n, err) < 0)
		return NULL;
	out = json_deep_copy(reports[0]);
	tiers = json_object_get(json_object_get(out, "nPlusOne"), "tiers");
	for (i = 1; i < n; i++)
		if (fold_tiers(tiers, json_object_get(np1(reports[i]), "tiers"),
			       err) < 0) {
			json_decref(out);
			return NULL;
		}
	json_object_set_new(json_object_get(out, "nPlusOne"), "shard",
			    json_integer(0));
	return out;
}

bool merge_is_sharded(json_t *const *reports, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (json_object_get(reports[i], "shard"))
			return true;
	return false;
}

/* What every shard of one run shares: the report without its results
 * per shard and without times. */
static void strip_times(json_t *v)
{
	const char *k;
	json_t *x;
	void *tmp;
	size_t i;

	if (json_is_array(v))
		json_array_foreach(v, i, x)
			strip_times(x);
	if (!json_is_object(v))
		return;
	json_object_foreach_safe(v, tmp, k, x) {
		size_t len = strlen(k);

		if (strcmp(k, "seconds") == 0 ||
		    (len >= 7 && strcmp(k + len - 7, "Seconds") == 0))
			json_object_del(v, k);
		else
			strip_times(x);
	}
}

static json_t *fingerprint(const json_t *r)
{
	json_t *f = json_deep_copy(r);

	json_object_del(f, "shard");
	json_object_del(json_object_get(f, "nPlusK"), "tiers");
	json_object_del(json_object_get(f, "nPlusOne"), "tiers");
	json_object_del(json_object_get(f, "nPlusOne"), "shard");
	json_object_del(json_object_get(f, "sweep"), "runs");
	json_object_del(json_object_get(f, "sweep"), "figures");
	strip_times(f);
	return f;
}

/* The first top-level key on which two fingerprints differ. */
static const char *differs(const json_t *a, const json_t *b)
{
	const char *k;
	json_t *x;

	json_object_foreach((json_t *)a, k, x)
		if (!json_equal(x, json_object_get(b, k)))
			return k;
	json_object_foreach((json_t *)b, k, x)
		if (json_object_get(a, k) == NULL)
			return k;
	return "?";
}

static int same_run(json_t *const *r, const char *const *names, size_t n,
		    struct ck_err *err)
{
	json_t *f0 = fingerprint(r[0]);
	size_t i;
	int rc = 0;

	for (i = 1; i < n && rc == 0; i++) {
		json_t *fi = fingerprint(r[i]);

		if (!json_equal(f0, fi)) {
			ck_err_set(err, names[i], 0, 0, "not a shard of the "
				   "same run as %s: its '%s' differs; merge "
				   "the shards of one run (same topology, "
				   "seed and options)", names[0],
				   differs(f0, fi));
			rc = -1;
		}
		json_decref(fi);
	}
	json_decref(f0);
	return rc;
}

/* A report without "shard" is a whole run: shard 1 of 1. */
static json_int_t shard_num(const json_t *r, const char *k)
{
	const json_t *s = json_object_get(r, "shard");

	return s ? json_integer_value(json_object_get(s, k)) : 1;
}

/* Shards 1..N, each once; by[i] is the report of shard i + 1. */
static int all_shards(json_t *const *r, const char *const *names, size_t n,
		      size_t *by, struct ck_err *err)
{
	json_int_t cnt = shard_num(r[0], "count");
	size_t i;

	for (i = 0; i < n; i++) {
		json_int_t ix = shard_num(r[i], "index");

		if (shard_num(r[i], "count") != cnt || ix < 1 || ix > cnt ||
		    cnt < 1 || n > (size_t)cnt) {
			ck_err_set(err, names[i], 0, 0, "not shard I of %lld "
				   "like %s (run each shard with --json "
				   "--shard I/N or --shard auto)",
				   (long long)cnt, names[0]);
			return -1;
		}
		if (by[ix - 1] != SIZE_MAX) {
			ck_err_set(err, names[i], 0, 0, "shard %lld of %lld "
				   "again (already in %s); give the %lld "
				   "distinct shards of one run", (long long)ix,
				   (long long)cnt, names[by[ix - 1]],
				   (long long)cnt);
			return -1;
		}
		by[ix - 1] = i;
	}
	for (i = 0; i < (size_t)cnt; i++)
		if (by[i] == SIZE_MAX) {
			ck_err_set(err, NULL, 0, 0, "shard %zu of %lld is "
				   "missing (%zu files given, the first %s); "
				   "rerun it or add its file", i + 1,
				   (long long)cnt, n, names[0]);
			return -1;
		}
	return 0;
}

/* Keep the worse of two N+k entries: smaller fraction, then smaller
 * scenario index (the unsharded sweep's tie rule). */
static void fold_worst(json_t *a, const json_t *b)
{
	const json_t *fa = json_object_get(a, "fraction");
	const json_t *fb = json_object_get(b, "fraction");

	if (fb == NULL)
		return;
	if (fa && (json_real_value(fa) < json_real_value(fb) ||
		   (json_real_value(fa) == json_real_value(fb) &&
		    json_integer_value(json_object_get(a, "scenario")) <
			    json_integer_value(json_object_get(b, "scenario")))))
		return;
	json_object_update(a, (json_t *)b);
}

static void add_int(json_t *a, const json_t *b, const char *k)
{
	json_object_set_new(a, k, json_integer(num(a, k) + num(b, k)));
}

static void fold_nplusk(json_t *out, const json_t *r)
{
	json_t *tiers = json_object_get(json_object_get(out, "nPlusK"), "tiers");
	const json_t *other = json_object_get(json_object_get(r, "nPlusK"),
					      "tiers");
	json_t *t;
	size_t k, m;

	json_array_foreach(tiers, k, t) {
		const json_t *o = json_array_get(other, k);
		json_t *modes = json_object_get(t, "modes");

		add_int(t, o, "tried");
		add_int(t, o, "isolating");
		for (m = 0; m < json_array_size(modes); m++)
			fold_worst(json_array_get(modes, m), json_array_get(
				json_object_get(o, "modes"), m));
	}
}

static int fold_shard(json_t *out, const json_t *r, struct ck_err *err)
{
	json_t *np1 = json_object_get(out, "nPlusOne");

	if (np1 && fold_tiers(json_object_get(np1, "tiers"), json_object_get(
		json_object_get(r, "nPlusOne"), "tiers"), err) < 0)
		return -1;
	if (json_object_get(out, "nPlusK"))
		fold_nplusk(out, r);
	if (json_object_get(out, "sweep"))
		sweep_fold(json_object_get(out, "sweep"),
			   json_object_get(r, "sweep"));
	return 0;
}

static json_t *fold_all(json_t *const *r, const size_t *by, size_t n,
			struct ck_err *err)
{
	json_t *out = json_deep_copy(r[by[0]]);
	json_t *np1 = json_object_get(out, "nPlusOne");
	size_t i;

	json_object_del(out, "shard");
	for (i = 1; i < n; i++)
		if (fold_shard(out, r[by[i]], err) < 0) {
			json_decref(out);
			return NULL;
		}
	if (np1) {	/* as the unsharded sweep says it */
		json_object_set_new(np1, "shard", json_integer(1));
		json_object_set_new(np1, "shards", json_integer(1));
	}
	if (json_object_get(out, "sweep"))
		sweep_finish(json_object_get(out, "sweep"));
	return out;
}

json_t *merge_shards(json_t *const *reports, const char *const *names,
		     size_t n, struct ck_err *err)
{
	size_t *by, i;
	json_int_t cnt;
	json_t *out = NULL;

	for (i = 0; i < n && n > 1; i++)
		if (json_object_get(reports[i], "shard") == NULL) {
			ck_err_set(err, names[i], 0, 0, "not a shard (no "
				   "\"shard\" key): run each shard with --json "
				   "--shard I/N or --shard auto");
			return NULL;
		}
	cnt = shard_num(reports[0], "count");
	if (cnt < 1 || cnt > MAX_SHARDS) {
		ck_err_set(err, names[0], 0, 0, "shard count %lld out of range "
			   "(1 to %d)", (long long)cnt, MAX_SHARDS);
		return NULL;
	}
	by = xmalloc(((size_t)cnt + 1) * sizeof(size_t));
	for (i = 0; i < (size_t)cnt; i++)
		by[i] = SIZE_MAX;
	if (all_shards(reports, names, n, by, err) == 0 &&
	    same_run(reports, names, n, err) == 0)
		out = fold_all(reports, by, n, err);
	free(by);
	return out;
}
