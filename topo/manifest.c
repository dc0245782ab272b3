#include "manifest.h"

#include <stdlib.h>

#include "xalloc.h"

static const char *node_problem(const json_t *n)
{
	static const char *const keys[] = { "name", "role", "sha256" };
	size_t k;

	if (!json_is_object(n))
		return "a 'nodes' entry is not an object";
	for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
		if (!json_is_string(json_object_get(n, keys[k])))
			return "a 'nodes' entry lacks name, role or sha256";
	return NULL;
}

static const char *problem(const json_t *m)
{
	const json_t *nodes = json_object_get(m, "nodes");
	const char *why;
	size_t i;

	if (!json_is_object(m))
		return "not a JSON object";
	if (!json_is_string(json_object_get(m, "fabric")))
		return "no 'fabric' name";
	if (!json_is_integer(json_object_get(m, "generation")))
		return "no 'generation' number";
	if (!json_is_array(nodes))
		return "no 'nodes' list";
	for (i = 0; i < json_array_size(nodes); i++)
		if ((why = node_problem(json_array_get(nodes, i))) != NULL)
			return why;
	return NULL;
}

json_t *manifest_load(const char *dir, struct ck_err *err)
{
	char *path = xasprintf("%s/manifest.json", dir);
	json_error_t je;
	json_t *m = json_load_file(path, 0, &je);
	const char *why = m ? problem(m) : je.text;

	if (why != NULL) {
		ck_err_set(err, path, m ? 0 : je.line, m ? 0 : je.column,
			   "not a closkit manifest (%s)", why);
		json_decref(m);
		m = NULL;
	}
	free(path);
	return m;
}
