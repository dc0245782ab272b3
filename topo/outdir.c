#include "outdir.h"

#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fsutil.h"
#include "bundlefmt.h"
#include "xalloc.h"

/* What 'fabric-gen build' writes at the top of a bundle. */
static const char *const bundle_files[] = {
	"manifest.json", "topology.json", "cabling.csv", "topology.dot",
	"nodes", NULL
};

static bool is_bundle_file(const char *name)
{
	const char *const *f;

	for (f = bundle_files; *f; f++)
		if (strcmp(name, *f) == 0)
			return true;
	return false;
}

static bool is_dot(const char *name)
{
	return strcmp(name, ".") == 0 || strcmp(name, "..") == 0;
}

/* The first entry of dir (other than . and ..) that keep() rejects, as a
 * new string; NULL when none or dir is missing. */
static char *first_foreign(const char *dir, bool (*keep)(const char *,
							 const void *),
			   const void *arg)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char *found = NULL;

	if (d == NULL)
		return errno == ENOENT ? NULL : xstrdup(strerror(errno));
	while (found == NULL && (e = readdir(d)) != NULL)
		if (!is_dot(e->d_name) && !keep(e->d_name, arg))
			found = xstrdup(e->d_name);
	closedir(d);
	return found;
}

static bool keep_none(const char *name, const void *arg)
{
	(void)name;
	(void)arg;
	return false;
}

static bool keep_bundle(const char *name, const void *arg)
{
	(void)arg;
	return is_bundle_file(name);
}

static bool keep_listed(const char *name, const void *byname)
{
	return json_object_get(byname, name) != NULL;
}

/* What 'fabric-gen build' writes in nodes/NAME/. */
static bool keep_node_file(const char *name, const void *arg)
{
	(void)arg;
	return strcmp(name, "frr.conf") == 0 || strcmp(name, "node.json") == 0;
}

/* The first file in a listed node's directory that fabric-gen did not
 * write, as "NAME/FILE"; NULL when there is none. */
static char *foreign_in_nodes(const char *dir, const json_t *names)
{
	const char *name;
	json_t *v;
	char *x = NULL;

	json_object_foreach((json_t *)names, name, v) {
		char *nd = xasprintf("%s/nodes/%s", dir, name);
		char *f = first_foreign(nd, keep_node_file, NULL);

		free(nd);
		if (f != NULL) {
			x = xasprintf("%s/%s", name, f);
			free(f);
			break;
		}
	}
	return x;
}

static json_t *names_of(const struct bundlefmt_manifest *m)
{
	json_t *byname = json_object();
	size_t i;

	for (i = 0; i < m->n_nodes; i++)
		json_object_set_new(byname, m->nodes[i].name, json_true());
	return byname;
}

/* Why dir is not a closkit bundle, or NULL if it is one (caller frees). */
static char *not_bundle(const char *dir)
{
	struct ck_err e;
	struct bundlefmt_manifest m;
	json_t *names;
	char *nodes, *why, *x = xasprintf("%s/manifest.json", dir);
	struct stat st;

	if (stat(x, &st) < 0) {
		free(x);
		return xstrdup("no manifest.json");
	}
	free(x);
	if (bundlefmt_manifest_read(dir, 0, &m, &e) < 0)
		return xasprintf("manifest.json: %s", e.msg);
	if ((x = first_foreign(dir, keep_bundle, NULL)) != NULL) {
		bundlefmt_manifest_free(&m);
		why = xasprintf("it holds '%s', which fabric-gen did not write",
				x);
		free(x);
		return why;
	}
	names = names_of(&m);
	nodes = xasprintf("%s/nodes", dir);
	x = first_foreign(nodes, keep_listed, names);
	free(nodes);
	bundlefmt_manifest_free(&m);
	if (x != NULL) {
		json_decref(names);
		why = xasprintf("it holds 'nodes/%s', which its manifest.json "
				"does not list", x);
		free(x);
		return why;
	}
	x = foreign_in_nodes(dir, names);
	json_decref(names);
	if (x == NULL)
		return NULL;
	why = xasprintf("it holds 'nodes/%s', which fabric-gen did not write",
			x);
	free(x);
	return why;
}

/* Is path dir itself or inside it? Both absolute and resolved. */
static bool is_within(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (strcmp(dir, "/") == 0)
		return true;
	return strncmp(path, dir, n) == 0 &&
	       (path[n] == '\0' || path[n] == '/');
}

static int check_protected(const char *dir, const char *abs,
			   const char *const *protect, struct ck_err *err)
{
	char real[PATH_MAX];

	for (; protect && *protect; protect++) {
		if (realpath(*protect, real) == NULL || !is_within(real, abs))
			continue;
		ck_err_set(err, dir, 0, 0, "%s the input %s; 'fabric-gen "
			   "build' replaces the whole output directory, so it "
			   "never writes where its input is (not even with "
			   "--force): choose another output directory",
			   strcmp(real, abs) == 0 ? "is" : "contains",
			   *protect);
		return -1;
	}
	return 0;
}

static int check_content(const char *dir, const char *abs, bool force,
			 struct ck_err *err)
{
	struct stat st;
	char *why;

	if (lstat(abs, &st) < 0)
		return 0;	/* absent: nothing to lose */
	if (!S_ISDIR(st.st_mode)) {
		ck_err_set(err, dir, 0, 0, "exists and is not a directory; "
			   "choose another output directory");
		return -1;
	}
	why = first_foreign(abs, keep_none, NULL);
	if (why == NULL || force) {
		free(why);
		return 0;
	}
	free(why);
	why = not_bundle(abs);
	if (why == NULL)
		return 0;
	ck_err_set(err, dir, 0, 0, "not empty and not a closkit bundle (%s); "
		   "building would delete what is in it: choose another "
		   "output directory, or pass --force to replace it", why);
	free(why);
	return -1;
}

/* The first missing ancestor of path ("a/b" for "a/b/c/out" when only a
 * exists), or NULL when the parent exists. */
static char *first_missing_parent(const char *path)
{
	char *p = xstrdup(path), *missing = NULL;
	struct stat st;

	for (;;) {
		char *parent = xstrdup(dirname(p));

		free(p);
		p = parent;
		if (stat(p, &st) == 0 || strcmp(p, "/") == 0 ||
		    strcmp(p, ".") == 0)
			break;
		free(missing);
		missing = xstrdup(p);
	}
	free(p);
	return missing;
}

static char *strip_slashes(const char *dir)
{
	char *p = xstrdup(dir);
	size_t n = strlen(p);

	while (n > 1 && p[n - 1] == '/')
		p[--n] = '\0';
	return p;
}

/* Absolute path of p, whose parent exists. */
static char *resolve(const char *p, struct ck_err *err)
{
	char real[PATH_MAX], *copy, *res = NULL;
	struct stat st;

	if (lstat(p, &st) == 0) {
		if (realpath(p, real) != NULL)
			return xstrdup(real);
	} else {
		copy = xstrdup(p);
		if (realpath(dirname(copy), real) != NULL) {
			free(copy);
			copy = xstrdup(p);
			res = xasprintf("%s/%s", strcmp(real, "/") ? real : "",
					basename(copy));
		}
		free(copy);
		if (res)
			return res;
	}
	ck_err_set(err, p, 0, 0, "cannot resolve: %s", strerror(errno));
	return NULL;
}

static int make_parents(const char *p, struct outdir *out,
			struct ck_err *err)
{
	char *parent;
	int rc;

	out->created = first_missing_parent(p);
	if (out->created == NULL)
		return 0;
	parent = xstrdup(p);
	rc = fs_mkdirs(dirname(parent), 0755, err);
	free(parent);
	return rc;
}

int outdir_prepare(const char *dir, const char *const *protect, bool force,
		   struct outdir *out, struct ck_err *err)
{
	char *p = strip_slashes(dir);
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (*p == '\0') {
		ck_err_set(err, "", 0, 0, "-o: the output directory is an "
			   "empty string; name a directory");
		free(p);
		return -1;
	}
	if (make_parents(p, out, err) == 0 &&
	    (out->path = resolve(p, err)) != NULL) {
		if (strcmp(out->path, "/") == 0)
			ck_err_set(err, dir, 0, 0, "is the root directory; "
				   "choose another output directory");
		else if (check_protected(dir, out->path, protect, err) == 0 &&
			 check_content(dir, out->path, force, err) == 0)
			rc = 0;
	}
	free(p);
	if (rc < 0) {
		outdir_undo(out);
		outdir_free(out);
	}
	return rc;
}

void outdir_undo(struct outdir *out)
{
	if (out->created)
		fs_rmtree(out->created);
}

void outdir_free(struct outdir *out)
{
	free(out->path);
	free(out->created);
	out->path = out->created = NULL;
}
