#include "state.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fsutil.h"
#include "out.h"
#include "xalloc.h"

static struct lab_state *state_alloc(const char *name)
{
	struct lab_state *s = xcalloc(1, sizeof(*s));

	s->name = xstrdup(name);
	s->dir = xasprintf("%s/%s", LAB_RUNDIR, name);
	return s;
}

struct lab_state *state_create(const char *name, const char *topology,
			       struct ck_err *err)
{
	struct lab_state *s = state_alloc(name);

	if (fs_mkdirs(LAB_RUNDIR, 0755, err) < 0)
		goto fail;
	if (mkdir(s->dir, 0755) < 0) {
		ck_err_set(err, s->dir, 0, 0, errno == EEXIST ?
			   "lab '%s' already exists; take it down first "
			   "(fabric-lab down --name %s) or choose another "
			   "--name" : "cannot create lab directory (%s)",
			   name, errno == EEXIST ? name : strerror(errno));
		goto fail;
	}
	s->j = json_pack("{s:s, s:s, s:[], s:[], s:[], s:{}}", "name", name,
			 "topology", topology, "namespaces", "dirs",
			 "processes", "stages");
	if (state_save(s, err) == 0)
		return s;
fail:
	state_free(s);
	return NULL;
}

/* The only lab there is, when none is named. */
static char *only_lab(struct ck_err *err)
{
	DIR *d = opendir(LAB_RUNDIR);
	struct dirent *e;
	char *found = NULL;
	int n = 0;

	while (d && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (n++ == 0)
			found = xstrdup(e->d_name);
	}
	if (d)
		closedir(d);
	if (n == 1)
		return found;
	free(found);
	ck_err_set(err, "", 0, 0, n == 0 ? "no lab is up (fabric-lab up "
		   "FILE)" : "several labs are up; say which with --name");
	return NULL;
}

struct lab_state *state_open(const char *name, struct ck_err *err)
{
	char *picked = name ? xstrdup(name) : only_lab(err);
	struct lab_state *s;
	json_error_t je;
	char *path;

	if (picked == NULL)
		return NULL;
	s = state_alloc(picked);
	free(picked);
	path = xasprintf("%s/state.json", s->dir);
	s->j = json_load_file(path, 0, &je);
	if (s->j == NULL) {
		ck_err_set(err, path, 0, 0, "no lab '%s' (%s)", s->name,
			   je.text);
		free(path);
		state_free(s);
		return NULL;
	}
	free(path);
	return s;
}

int state_save(struct lab_state *s, struct ck_err *err)
{
	char *path = xasprintf("%s/state.json", s->dir);
	char *text = out_json_dumps(s->j);
	int rc = fs_write_atomic(path, text, strlen(text), err);

	free(text);
	free(path);
	return rc;
}

void state_free(struct lab_state *s)
{
	if (s == NULL)
		return;
	json_decref(s->j);
	free(s->name);
	free(s->dir);
	free(s);
}

void state_add_namespace(struct lab_state *s, const char *ns)
{
	json_array_append_new(json_object_get(s->j, "namespaces"),
			      json_string(ns));
}

void state_add_dir(struct lab_state *s, const char *path)
{
	json_array_append_new(json_object_get(s->j, "dirs"),
			      json_string(path));
}

unsigned long long state_proc_start(long pid)
{
	char path[64], buf[1024], *p;
	unsigned long long start = 0;
	FILE *f;
	int field;

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	f = fopen(path, "r");
	if (f == NULL)
		return 0;
	if (fgets(buf, sizeof(buf), f) == NULL || !(p = strrchr(buf, ')'))) {
		fclose(f);
		return 0;
	}
	fclose(f);
	/* after "pid (comm)" come fields 3..; starttime is field 22 */
	for (field = 2; field < 22 && p; field++)
		p = strchr(p + 1, ' ');
	if (p)
		start = strtoull(p + 1, NULL, 10);
	return start;
}

void state_add_process(struct lab_state *s, const char *node,
		       const char *prog, long pid)
{
	json_array_append_new(json_object_get(s->j, "processes"), json_pack(
		"{s:s, s:s, s:I, s:I}", "node", node, "prog", prog, "pid",
		(json_int_t)pid, "start",
		(json_int_t)state_proc_start(pid)));
}

void state_set_stage(struct lab_state *s, const char *stage, double secs)
{
	json_object_set_new(json_object_get(s->j, "stages"), stage,
			    json_real(secs));
}
