#include "simtest.h"

#include <check.h>
#include <stdlib.h>

#include "xalloc.h"

struct topo *simtest_load(const char *rel)
{
	const char *top = getenv("top_srcdir");
	char *path = xasprintf("%s/%s", top ? top : ".", rel);
	struct ck_err err;
	struct topo *t = topo_load(path, &err);

	if (t == NULL)
		ck_abort_msg("%s: %s", path, err.msg);
	free(path);
	return t;
}
