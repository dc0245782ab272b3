/* frr_ops over fork/exec of vtysh and frr-reload.py. frr-reload.py is only
 * used for what it does well (compute and apply a diff) and never with
 * --overwrite: the agent writes frr.conf itself, and only after the running
 * config was verified. Every run is limited to frr_timeout_s and its child
 * dies with the agent (run_argv(), common/run.c) so a killed agent never
 * leaves a reload running behind its recovery. */
#include "apply.h"

#include <stdlib.h>
#include <string.h>

#include "conffile.h"
#include "run.h"
#include "xalloc.h"

/* 0 when the program ran and exited 0, -1 when it exited otherwise (out
 * has its output), FRR_UNFINISHED when it timed out, was killed or could
 * not run: then out starts with why (the transaction quotes its start). */
static int run(const struct config *c, const char *what, char *const argv[],
	       struct sbuf *out)
{
	struct ck_err err;
	struct sbuf got;
	int rc;

	sbuf_init(&got);
	rc = run_argv((const char *const *)argv, 1000 * c->frr_timeout_s, &got,
		      &err);
	if (rc < 0)
		sbuf_addf(out, "%s %s (frr_timeout_s = %d)%s", what, err.msg,
			  c->frr_timeout_s, got.len ? "; its output: " : "");
	if (got.len)
		sbuf_add(out, got.s, got.len);
	sbuf_free(&got);
	return rc == 0 ? 0 : rc < 0 ? FRR_UNFINISHED : -1;
}

/* argv for vtysh with the pathspace, then up to 16 more arguments. */
struct argv {
	char *v[40];
	int n;
};

static void arg(struct argv *a, const char *s)
{
	if (a->n < 38)
		a->v[a->n++] = (char *)s;
	a->v[a->n] = NULL;
}

static void vtysh_base(const struct config *c, struct argv *a)
{
	a->n = 0;
	arg(a, c->vtysh);
	if (c->frr_pathspace[0]) {
		arg(a, "-N");
		arg(a, c->frr_pathspace);
	}
}

static int frr_dryrun(const struct config *c, const char *file,
		      struct sbuf *out)
{
	struct argv a;

	a.n = 0;
	arg(&a, c->vtysh);
	arg(&a, "--dryrun");
	arg(&a, "-f");
	arg(&a, file);
	return run(c, "vtysh --dryrun", a.v, out);
}

/* frr-reload.py runs "write" (saving the running config, however half
 * applied, to frr.conf) unless the file it loads is CONFDIR/frr.conf. So
 * the file is always named frr.conf and its directory passed as --confdir:
 * the saved frr.conf is the agent's to write, after verification. */
static int reload(const struct config *c, const char *mode, const char *file,
		  struct sbuf *out)
{
	struct argv a;
	char *bindir = xstrdup(c->vtysh), *slash = strrchr(bindir, '/');
	char *confdir = xstrdup(file), *cs = strrchr(confdir, '/');
	int rc;

	if (slash)
		*slash = '\0';
	if (cs)
		*cs = '\0';
	a.n = 0;
	arg(&a, c->python);
	arg(&a, c->frr_reload);
	arg(&a, mode);
	arg(&a, "--stdout");
	arg(&a, "--log-level");
	arg(&a, "error");
	arg(&a, "--bindir");
	arg(&a, slash ? bindir : "/usr/bin");
	arg(&a, "--confdir");
	arg(&a, cs ? confdir : ".");
	if (c->frr_pathspace[0]) {
		arg(&a, "--pathspace");
		arg(&a, c->frr_pathspace);
	}
	arg(&a, file);
	rc = run(c, "frr-reload.py", a.v, out);
	free(bindir);
	free(confdir);
	return rc;
}

static int frr_reload(const struct config *c, const char *file,
		      struct sbuf *out)
{
	return reload(c, "--reload", file, out);
}

static int frr_diff(const struct config *c, const char *file,
		    struct sbuf *out)
{
	return reload(c, "--test", file, out);
}

static int frr_show(const struct config *c, const char *cmd, struct sbuf *out)
{
	struct argv a;

	vtysh_base(c, &a);
	arg(&a, "-c");
	arg(&a, cmd);
	return run(c, "vtysh", a.v, out);
}

static int frr_configure(const struct config *c, const char *const *cmds,
			 struct sbuf *out)
{
	struct argv a;
	int i;

	vtysh_base(c, &a);
	arg(&a, "-c");
	arg(&a, "configure terminal");
	for (i = 0; cmds[i] && i < 16; i++) {
		arg(&a, "-c");
		arg(&a, cmds[i]);
	}
	return run(c, "vtysh", a.v, out);
}

const struct frr_ops apply_frr_ops = {
	.dryrun = frr_dryrun,
	.reload = frr_reload,
	.diff = frr_diff,
	.show = frr_show,
	.configure = frr_configure,
};
