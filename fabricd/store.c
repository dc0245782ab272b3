#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fsutil.h"
#include "nodecfg.h"
#include "xalloc.h"

char *store_path(const char *dir, const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

int store_write(const char *dir, const char *name, const char *text,
		struct ck_err *err)
{
	char *p = store_path(dir, name);
	int rc = fs_write_atomic(p, text, strlen(text), err);

	free(p);
	return rc;
}

char *store_scratch_new(const char *dir, const char *name, const char *text,
			struct ck_err *err)
{
	char *p = xasprintf("%s/run/%s.XXXXXX", dir, name);
	size_t len = strlen(text);
	int fd = mkstemp(p);
	ssize_t n = fd < 0 ? -1 : write(fd, text, len);

	if (fd >= 0 && close(fd) < 0)
		n = -1;
	if (n == (ssize_t)len)
		return p;
	ck_err_set(err, "", 0, 0, "cannot write %s: %s", p,
		   n < 0 ? strerror(errno) : "short write");
	if (fd >= 0)
		unlink(p);
	free(p);
	return NULL;
}

void store_scratch_remove(char *path)
{
	if (path)
		unlink(path);
	free(path);
}

static int write_json(const char *dir, const char *name, json_t *j,
		      struct ck_err *err)
{
	char *s = json_dumps(j, JSON_INDENT(1) | JSON_SORT_KEYS);
	int rc = store_write(dir, name, s, err);

	free(s);
	return rc;
}

/* 1 when missing, -1 on other errors. */
static int read_text(const char *dir, const char *name, char **out,
		     struct ck_err *err)
{
	char *p = store_path(dir, name);
	int rc = 0;

	if (access(p, F_OK) < 0 && errno == ENOENT)
		rc = 1;
	else if (fs_read_file(p, out, NULL, err) < 0)
		rc = -1;
	free(p);
	return rc;
}

static json_t *read_json(const char *dir, const char *name, int *missing,
			 struct ck_err *err)
{
	char *s = NULL;
	json_error_t je;
	json_t *j;
	int rc = read_text(dir, name, &s, err);

	*missing = rc == 1;
	if (rc != 0)
		return NULL;
	j = json_loads(s, 0, &je);
	free(s);
	if (j == NULL)
		ck_err_set(err, name, je.line, je.column, "%s", je.text);
	return j;
}

int store_reload_dir_reset(const char *dir, struct ck_err *err)
{
	char *p = store_path(dir, STORE_RELOAD_DIR);
	int rc;

	fs_rmtree(p);
	rc = fs_mkdirs(p, 0700, err);
	free(p);
	return rc;
}

int store_init(const char *dir, struct ck_err *err)
{
	char *run = store_path(dir, "run");
	int rc = fs_mkdirs(run, 0700, err);

	free(run);
	return rc < 0 ? -1 : store_reload_dir_reset(dir, err);
}

void store_cfg_free(struct store_cfg *c)
{
	nodecfg_free(c->node);
	free(c->frr);
	memset(c, 0, sizeof(*c));
}

static int cfg_from(json_t *meta, char *frr, struct store_cfg *out,
		    struct ck_err *err)
{
	json_t *node = json_object_get(meta, "node");
	struct nodecfg_fail f;
	char *nj;

	out->generation = json_integer_value(json_object_get(meta,
							     "generation"));
	out->frr = frr;
	if (!json_is_object(node))
		return 0;
	nj = json_dumps(node, JSON_COMPACT);
	out->node = nodecfg_from_parts(nj, frr, &f);
	free(nj);
	if (out->node == NULL) {
		*err = f.err;
		store_cfg_free(out);
		return -1;
	}
	return 0;
}

int store_load(const char *dir, const char *slot, struct store_cfg *out,
	       struct ck_err *err)
{
	char *name = xasprintf("%s.json", slot), *frr = NULL;
	int missing, rc;
	json_t *meta = read_json(dir, name, &missing, err);

	memset(out, 0, sizeof(*out));
	free(name);
	if (meta == NULL)
		return missing ? 1 : -1;
	name = xasprintf("%s.frr.conf", slot);
	rc = read_text(dir, name, &frr, err);
	free(name);
	if (rc == 0)
		rc = cfg_from(meta, frr, out, err);
	else if (rc == 1)
		ck_err_set(err, dir, 0, 0, "%s.json without %s.frr.conf", slot,
			   slot);
	json_decref(meta);
	return rc == 0 ? 0 : -1;
}

int store_save(const char *dir, const char *slot, const struct store_cfg *c,
	       struct ck_err *err)
{
	char *name = xasprintf("%s.frr.conf", slot);
	json_t *meta = json_pack("{s:I}", "generation", (json_int_t)c->generation);
	int rc = store_write(dir, name, c->frr, err);

	if (c->node)
		json_object_set_new(meta, "node",
				    json_loads(c->node->node_json, 0, NULL));
	free(name);
	name = xasprintf("%s.json", slot);
	if (rc == 0)
		rc = write_json(dir, name, meta, err);
	free(name);
	json_decref(meta);
	return rc;
}

int store_remove(const char *dir, const char *slot)
{
	char *a = xasprintf("%s/%s.json", dir, slot);
	char *b = xasprintf("%s/%s.frr.conf", dir, slot);
	int rc = (unlink(a) < 0 && errno != ENOENT) ||
		 (unlink(b) < 0 && errno != ENOENT) ? -1 : 0;

	free(a);
	free(b);
	return rc;
}

int store_journal_read(const char *dir, json_t **out, struct ck_err *err)
{
	int missing;

	*out = read_json(dir, "journal.json", &missing, err);
	return *out ? 0 : missing ? 1 : -1;
}

int store_journal_write(const char *dir, json_t *j, struct ck_err *err)
{
	return write_json(dir, "journal.json", j, err);
}

static int unlink_in(const char *dir, const char *name, struct ck_err *err)
{
	char *p = store_path(dir, name);
	int rc = unlink(p) < 0 && errno != ENOENT ? -1 : 0;

	if (rc < 0)
		ck_err_set(err, p, 0, 0, "cannot remove: %s", strerror(errno));
	free(p);
	return rc;
}

int store_journal_clear(const char *dir, struct ck_err *err)
{
	return unlink_in(dir, "journal.json", err);
}

json_t *store_history(const char *dir)
{
	struct ck_err err;
	int missing;
	json_t *h = read_json(dir, "history.json", &missing, &err);

	if (!json_is_array(h)) {
		json_decref(h);
		h = json_array();
	}
	return h;
}

/* Refusals outside the transaction lock (busy, too-large) add entries
 * while a transaction does: read-modify-write one at a time. */
static pthread_mutex_t history_mu = PTHREAD_MUTEX_INITIALIZER;

int store_history_add(const char *dir, json_t *entry, int keep,
		      struct ck_err *err)
{
	json_t *h;
	int rc;

	pthread_mutex_lock(&history_mu);
	h = store_history(dir);
	json_array_insert(h, 0, entry);
	while (json_array_size(h) > (size_t)keep)
		json_array_remove(h, json_array_size(h) - 1);
	rc = write_json(dir, "history.json", h, err);
	pthread_mutex_unlock(&history_mu);
	json_decref(h);
	return rc;
}

int store_drained(const char *dir)
{
	char *p = store_path(dir, "drained");
	int rc = access(p, F_OK) == 0;

	free(p);
	return rc;
}

int store_set_drained(const char *dir, int drained, struct ck_err *err)
{
	return drained ? store_write(dir, "drained", "1\n", err) :
			 unlink_in(dir, "drained", err);
}
