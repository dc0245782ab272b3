#include "tmpl.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "xalloc.h"

#ifndef CK_TEMPLATEDIR
#define CK_TEMPLATEDIR "/usr/share/closkit/templates"
#endif

static const char *const required[] = { "frr-switch.conf", "frr-server.conf",
					"frr-server-static.conf", NULL };

static int is_dir(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *tmpl_dir(const char *explicit_dir)
{
	static char beside[PATH_MAX];
	const char *env = getenv("CLOSKIT_TEMPLATES");
	ssize_t n;

	if (explicit_dir)
		return explicit_dir;
	if (env && *env)
		return env;
	n = readlink("/proc/self/exe", beside, sizeof(beside) - 16);
	if (n > 0) {
		char *slash;

		beside[n] = '\0';
		slash = strrchr(beside, '/');
		if (slash) {
			strcpy(slash, "/templates");
			if (is_dir(beside) && strncmp(beside, "/usr/", 5) != 0)
				return beside;
		}
	}
#ifdef CK_SRC_TEMPLATEDIR
	/* an uninstalled out-of-tree build: the source tree's copy */
	if (!is_dir(CK_TEMPLATEDIR) && is_dir(CK_SRC_TEMPLATEDIR))
		return CK_SRC_TEMPLATEDIR;
#endif
	return CK_TEMPLATEDIR;
}

static int load_one(struct mustache_set *set, const char *dir,
		    const char *file, struct ck_err *err)
{
	char *path = xasprintf("%s/%s", dir, file), *src;
	char *name = xstrndup(file, strlen(file) - strlen(".mustache"));
	size_t len;
	int rc = -1;

	if (fs_read_file(path, &src, &len, err) == 0) {
		if (mustache_set_add(set, name, src, len, err) != NULL)
			rc = 0;
		else if (err)	/* name the file, not the template */
			snprintf(err->file, sizeof(err->file), "%s", path);
		free(src);
	}
	free(path);
	free(name);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted file names, so that loading order never depends on the fs. */
static char **list_templates(const char *dir, size_t *n, struct ck_err *err)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t cap = 0;

	*n = 0;
	if (d == NULL) {
		ck_err_set(err, dir, 0, 0, "cannot open the template "
			   "directory; give one with --templates DIR");
		return NULL;
	}
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);

		if (len <= 9 || strcmp(e->d_name + len - 9, ".mustache") != 0)
			continue;
		names = xgrow(names, &cap, *n + 1, sizeof(*names));
		names[(*n)++] = xstrdup(e->d_name);
	}
	closedir(d);
	qsort(names, *n, sizeof(*names), cmp_str);
	return names;
}

static int check_required(struct mustache_set *set, const char *dir,
			  struct ck_err *err)
{
	size_t i;

	for (i = 0; required[i]; i++)
		if (mustache_set_get(set, required[i]) == NULL) {
			ck_err_set(err, dir, 0, 0, "template '%s.mustache' is "
				   "missing; copy it from the shipped "
				   "templates/ directory", required[i]);
			return -1;
		}
	return 0;
}

struct mustache_set *tmpl_load(const char *dir, struct ck_err *err)
{
	struct mustache_set *set;
	char **names;
	size_t n, i;
	int rc = 0;

	names = list_templates(dir, &n, err);
	if (names == NULL && n == 0 && !is_dir(dir))
		return NULL;
	set = mustache_set_new();
	for (i = 0; i < n; i++) {
		if (rc == 0)
			rc = load_one(set, dir, names[i], err);
		free(names[i]);
	}
	free(names);
	if (rc == 0)
		rc = check_required(set, dir, err);
	if (rc < 0) {
		mustache_set_free(set);
		return NULL;
	}
	return set;
}
