#include "merge.h"

#include <stdbool.h>
#include <string.h>

#include "xalloc.h"

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
