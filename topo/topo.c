#include "topo.h"

#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "expand.h"
#include "load.h"
#include "xalloc.h"

#define TOPO_MAX_FILE (16u * 1024u * 1024u)

struct topo *topo_load_buf(const char *name, const char *buf, size_t len,
			   struct ck_err *err)
{
	struct topo *t = xcalloc(1, sizeof(*t));

	arena_init(&t->arena);
	t->file = arena_strdup(&t->arena, name);
	if (len > TOPO_MAX_FILE) {
		ck_err_set(err, name, 0, 0, "file is larger than %u bytes, "
			   "closkit's limit for a topology (see "
			   "fabric-topology(5))", TOPO_MAX_FILE);
		topo_free(t);
		return NULL;
	}
	if (topo_load_spec(t, buf, len, err) < 0 || topo_expand(t, err) < 0) {
		topo_free(t);
		return NULL;
	}
	return t;
}

struct topo *topo_load(const char *path, struct ck_err *err)
{
	struct topo *t;
	char *buf;
	size_t len;

	if (fs_read_file_max(path, TOPO_MAX_FILE, &buf, &len, err) < 0)
		return NULL;
	t = topo_load_buf(path, buf, len, err);
	free(buf);
	return t;
}

void topo_free(struct topo *t)
{
	if (t == NULL)
		return;
	free(t->nodes);
	arena_free(&t->arena);
	free(t);
}
