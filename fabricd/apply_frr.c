/* frr_ops over fork/exec of vtysh and frr-reload.py. frr-reload.py is only
 * used for what it does well (compute and apply a diff) and never with
 * --overwrite: the agent writes frr.conf itself, and only after the running
 * config was verified. Every run is limited to frr_timeout_s and its child
 * dies with the agent (run_argv(), common/run.c) so a killed agent never
 * leaves a reload running behind its recovery. */
#include "apply.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "conffile.h"
#include "run.h"
#include "store.h"
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
 * the saved frr.conf is the agent's to write, after verification. Its
 * temporary files go to a --rundir of the agent's own, emptied before and
 * after every run (store.h); runs never overlap (one transaction at a
 * time). */
static int reload(const struct config *c, const char *mode, const char *file,
		  struct sbuf *out)
{
	struct argv a;
	char *bindir = xstrdup(c->vtysh), *slash = strrchr(bindir, '/');
	char *confdir = xstrdup(file), *cs = strrchr(confdir, '/');
	char *rundir = store_path(c->state_dir, STORE_RELOAD_DIR);
	struct ck_err err;
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
	arg(&a, "--rundir");
	arg(&a, rundir);
	if (c->frr_pathspace[0]) {
		arg(&a, "--pathspace");
		arg(&a, c->frr_pathspace);
	}
	arg(&a, file);
	rc = store_reload_dir_reset(c->state_dir, &err) < 0 ? -1 : 0;
	if (rc < 0)
		sbuf_addf(out, "frr-reload.py's --rundir: %s", err.msg);
	else
		rc = run(c, "frr-reload.py", a.v, out);
	/* a killed or timed-out run leaves its reload-*.txt behind */
	store_reload_dir_reset(c->state_dir, &err);
	free(rundir);
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

/* --- show commands straight to the daemon --------------------------------
 * vtysh spends 35-50 ms starting up for every run, far more than bgpd
 * takes to answer; status and verification ask the same questions many times. So
 * show commands for bgpd and bfdd go to the daemon's vty socket, speaking
 * vtysh's own protocol: the command and a NUL; back come the output, three
 * NULs and the command's status byte (0 = success). */

/* lib/command.h's CMD_SUCCESS, CMD_WARNING, CMD_SUCCESS_DAEMON */
enum { VTY_SUCCESS = 0, VTY_WARNING = 1, VTY_SUCCESS_DAEMON = 10 };

static const char *daemon_of(const char *cmd)
{
	if (strncmp(cmd, "show bgp ", 9) == 0 ||
	    strncmp(cmd, "show ip bgp ", 12) == 0)
		return "bgpd";
	if (strncmp(cmd, "show bfd ", 9) == 0)
		return "bfdd";
	return NULL;
}

static int vty_connect(const struct config *c, const char *daemon)
{
	struct sockaddr_un sa;
	int fd, n;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	n = snprintf(sa.sun_path, sizeof(sa.sun_path), "%s%s%s/%s.vty",
		     c->frr_vty_dir, c->frr_pathspace[0] ? "/" : "",
		     c->frr_pathspace, daemon);
	if (n < 0 || (size_t)n >= sizeof(sa.sun_path))
		return -1;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* Send cmd and read its answer into got: the daemon's status byte, or -1
 * with why set when no complete answer came before the deadline. */
static int vty_ask(int fd, const char *cmd, long long deadline,
		   struct sbuf *got, const char **why)
{
	size_t len = strlen(cmd) + 1, off = 0, end = 0;	/* end: the NUL + 1 */
	char buf[16384], *nul;
	ssize_t k;

	*why = "did not answer";
	while (off < len) {
		if (run_wait_fd(fd, POLLOUT, deadline) < 0)
			return -1;
		k = send(fd, cmd + off, len - off, MSG_NOSIGNAL);
		if (k < 0 && errno != EINTR && errno != EAGAIN) {
			*why = "refused";
			return -1;
		}
		off += k > 0 ? (size_t)k : 0;
	}
	while (!end || got->len < end + 3) {
		if (run_wait_fd(fd, POLLIN, deadline) < 0)
			return -1;
		k = read(fd, buf, sizeof(buf));
		if (k < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (k <= 0) {
			*why = "closed the connection before answering";
			return -1;
		}
		if (!end && (nul = memchr(buf, '\0', (size_t)k)) != NULL)
			end = got->len + (size_t)(nul - buf) + 1;
		sbuf_add(got, buf, (size_t)k);
	}
	got->len = end - 1;	/* the output alone */
	return (unsigned char)got->s[end + 2];
}

/* The connection starts in view mode, like vtysh's: "enable" first (some
 * show commands, bfdd's among them, exist only there). 0 / -1 (the daemon
 * refused the command; as vtysh, a warning is not a failure) /
 * FRR_UNFINISHED (no complete answer within frr_timeout_s). */
static int vty_ok(int st)
{
	return st == VTY_SUCCESS || st == VTY_WARNING ||
	       st == VTY_SUCCESS_DAEMON;
}

static long long vty_deadline(const struct config *c)
{
	return run_now_ms() + 1000LL * c->frr_timeout_s;
}

/* "enable", then cmds in turn (NULL-terminated) while they succeed, all
 * before deadline (run_now_ms() time); out gets the last one's output. */
static int vty_run(const struct config *c, int fd, const char *daemon,
		   const char *const *cmds, long long deadline,
		   struct sbuf *out)
{
	const char *why, *cmd = "enable";
	struct sbuf got;
	int st, i = 0;

	sbuf_init(&got);
	do {
		sbuf_reset(&got);
		st = vty_ask(fd, cmd, deadline, &got, &why);
	} while (st >= 0 && vty_ok(st) && (cmd = cmds[i++]) != NULL);
	if (st < 0)
		sbuf_addf(out, "%s's vty socket %s '%s' (frr_timeout_s = %d)",
			  daemon, why, cmd, c->frr_timeout_s);
	else if (got.len)
		sbuf_add(out, got.s, got.len);
	sbuf_free(&got);
	return st < 0 ? FRR_UNFINISHED : vty_ok(st) ? 0 : -1;
}

static int vty_show(const struct config *c, int fd, const char *daemon,
		    const char *cmd, struct sbuf *out)
{
	const char *cmds[] = { cmd, NULL };

	return vty_run(c, fd, daemon, cmds, vty_deadline(c), out);
}

static int frr_show(const struct config *c, const char *cmd, struct sbuf *out)
{
	const char *daemon = daemon_of(cmd);
	struct argv a;
	int fd = daemon ? vty_connect(c, daemon) : -1, rc;

	if (fd >= 0) {
		rc = vty_show(c, fd, daemon, cmd, out);
		close(fd);
		return rc;
	}
	/* no socket to talk to (the daemon is not running, or FRR keeps its
	 * sockets elsewhere): vtysh says what is wrong */

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

/* The daemons FRR runs for closkit (frr/ and templates/): each takes the
 * hostname on its own vty socket; one that is not running is skipped. */
static const char *const hostname_daemons[] = { "zebra", "bgpd", "bfdd",
						"staticd", NULL };

/* One frr_timeout_s for all the daemons together, not one each: a wedged
 * daemon must not hold the transaction four times over for a step whose
 * failure is only logged. */
static int frr_hostname(const struct config *c, const char *name,
			struct sbuf *out)
{
	char *cmd = xasprintf("hostname %s", name);
	const char *cmds[] = { "configure terminal", cmd, NULL };
	long long deadline = vty_deadline(c);
	int i, fd, st, rc = 0, set = 0;

	for (i = 0; hostname_daemons[i]; i++) {
		fd = vty_connect(c, hostname_daemons[i]);
		if (fd < 0)
			continue;
		st = vty_run(c, fd, hostname_daemons[i], cmds, deadline, out);
		close(fd);
		if (st == 0)
			set++;
		else
			rc = -1;
		if (st == FRR_UNFINISHED)
			break;		/* the time is spent */
	}
	if (set == 0 && rc == 0) {
		sbuf_addf(out, "no FRR daemon's vty socket in %s%s%s",
			  c->frr_vty_dir, c->frr_pathspace[0] ? "/" : "",
			  c->frr_pathspace);
		rc = -1;
	}
	free(cmd);
	return rc;
}

const struct frr_ops apply_frr_ops = {
	.dryrun = frr_dryrun,
	.reload = frr_reload,
	.diff = frr_diff,
	.show = frr_show,
	.configure = frr_configure,
	.hostname = frr_hostname,
};
