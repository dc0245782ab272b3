#include "lab.h"

#include <string.h>

#include "run.h"
#include "sbuf.h"

#define VTY_TIMEOUT_MS 20000

json_t *vty_json(const char *ns, const char *cmd, struct ck_err *err)
{
	const char *argv[] = { "vtysh", "-N", ns, "-c", cmd, NULL };
	struct sbuf out;
	json_error_t je;
	json_t *j = NULL;
	int rc;

	sbuf_init(&out);
	rc = run_argv(argv, VTY_TIMEOUT_MS, &out, err);
	if (rc == 0) {
		j = json_loads(out.s ? out.s : "", 0, &je);
		if (j == NULL)
			ck_err_set(err, ns, 0, 0, "'%s': not JSON: %s", cmd,
				   je.text);
	} else if (rc > 0) {
		ck_err_set(err, ns, 0, 0, "'%s' failed: %s", cmd,
			   out.s ? out.s : "");
	}
	sbuf_free(&out);
	return j;
}

int vty_cmd(const char *ns, const char *const *cmds, struct ck_err *err)
{
	const char *argv[32] = { "vtysh", "-N", ns };
	size_t n = 3;
	struct sbuf out;
	int rc;

	while (*cmds && n < 30) {
		argv[n++] = "-c";
		argv[n++] = *cmds++;
	}
	argv[n] = NULL;
	sbuf_init(&out);
	rc = run_argv(argv, VTY_TIMEOUT_MS, &out, err);
	if (rc > 0)
		ck_err_set(err, ns, 0, 0, "vtysh failed: %s",
			   out.s ? out.s : "");
	sbuf_free(&out);
	return rc == 0 ? 0 : -1;
}
