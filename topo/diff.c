#include "diff.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bundlefmt.h"

/* A missing directory is named as such, not as an unreadable manifest. */
static int check_dir(const char *dir, struct ck_err *err)
{
	struct stat st;

	if (stat(dir, &st) < 0) {
		ck_err_set(err, dir, 0, 0, "%s; give bundle directories "
			   "written by 'fabric-gen build'", errno == ENOENT ?
			   "no such directory" : strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		ck_err_set(err, dir, 0, 0, "not a directory; give bundle "
			   "directories written by 'fabric-gen build'");
		return -1;
	}
	return 0;
}

/* {name: {"role", "sha256"}} of the bundle in dir. */
static json_t *load_manifest(const char *dir, struct ck_err *err)
{
	struct bundlefmt_manifest m;
	json_t *byname;
	size_t i;

	if (bundlefmt_manifest_read(dir, 0, &m, err) < 0) {
		size_t n = err ? strlen(err->msg) : 0;

		if (err)
			snprintf(err->msg + n, sizeof(err->msg) - n,
				 "; give bundle directories written by "
				 "'fabric-gen build'");
		return NULL;
	}
	byname = json_object();
	for (i = 0; i < m.n_nodes; i++)
		json_object_set_new(byname, m.nodes[i].name, json_pack(
			"{s:s, s:s}", "role", m.nodes[i].role, "sha256",
			m.nodes[i].sha256));
	bundlefmt_manifest_free(&m);
	return byname;
}

static void diff_side(json_t *from, json_t *to, json_t *only, json_t *chg,
		      size_t *same)
{
	const char *name;
	json_t *n;

	json_object_foreach(from, name, n) {
		json_t *m = json_object_get(to, name);

		if (m == NULL) {
			json_array_append_new(only, json_string(name));
		} else if (chg == NULL) {
			continue;
		} else if (!json_equal(json_object_get(n, "sha256"),
				       json_object_get(m, "sha256"))) {
			json_array_append_new(chg, json_pack(
				"{s:s, s:O}", "name", name, "role",
				json_object_get(m, "role")));
		} else {
			(*same)++;
		}
	}
}

json_t *diff_bundles(const char *old_dir, const char *new_dir,
		     struct ck_err *err)
{
	json_t *a, *b, *d;
	size_t same = 0;

	if (check_dir(old_dir, err) < 0 || check_dir(new_dir, err) < 0)
		return NULL;
	a = load_manifest(old_dir, err);
	if (a == NULL)
		return NULL;
	b = load_manifest(new_dir, err);
	if (b == NULL) {
		json_decref(a);
		return NULL;
	}
	d = json_pack("{s:s, s:s, s:[], s:[], s:[]}", "old", old_dir, "new",
		      new_dir, "added", "removed", "changed");
	diff_side(a, b, json_object_get(d, "removed"),
		  json_object_get(d, "changed"), &same);
	diff_side(b, a, json_object_get(d, "added"), NULL, NULL);
	json_object_set_new(d, "unchanged", json_integer((json_int_t)same));
	json_decref(a);
	json_decref(b);
	return d;
}

size_t diff_count(const json_t *d)
{
	return json_array_size(json_object_get(d, "added")) +
	       json_array_size(json_object_get(d, "removed")) +
	       json_array_size(json_object_get(d, "changed"));
}

static void print_names(const json_t *a, const char *mark, FILE *out)
{
	size_t i;

	for (i = 0; i < json_array_size(a); i++) {
		const json_t *e = json_array_get(a, i);

		if (json_is_object(e))
			fprintf(out, "%s %s (%s)\n", mark,
				json_string_value(json_object_get(e, "name")),
				json_string_value(json_object_get(e, "role")));
		else
			fprintf(out, "%s %s\n", mark, json_string_value(e));
	}
}

void diff_print_text(const json_t *d, FILE *out)
{
	print_names(json_object_get(d, "added"), "+", out);
	print_names(json_object_get(d, "removed"), "-", out);
	print_names(json_object_get(d, "changed"), "~", out);
	fprintf(out, "%zu added, %zu removed, %zu changed, %lld unchanged\n",
		json_array_size(json_object_get(d, "added")),
		json_array_size(json_object_get(d, "removed")),
		json_array_size(json_object_get(d, "changed")),
		json_integer_value(json_object_get(d, "unchanged")));
}
