/* FRR's daemons in each namespace, with pathspace -N NS so that config
 * (/etc/frr/NS) and sockets (/var/run/frr/NS) stay apart. */
#include "lab.h"

#include <errno.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fsutil.h"
#include "run.h"
#include "xalloc.h"

#define FRR_SBIN "/usr/lib/frr"
#define START_TIMEOUT_MS 30000

static const char *const frr_daemons[] = { "zebra", "bgpd", "bfdd",
					   "staticd", NULL };

/* FRR's daemons run as user frr (when there is one): path is theirs. */
static int give_frr(const struct passwd *pw, const char *path,
		    struct ck_err *err)
{
	if (!pw || chown(path, pw->pw_uid, pw->pw_gid) == 0)
		return 0;
	ck_err_set(err, path, 0, 0, "cannot give it to user frr: %s; run "
		   "fabric-lab as root", strerror(errno));
	return -1;
}

static void record_frr_dirs(struct lab *l, const char *ns)
{
	char *etc = xasprintf("/etc/frr/%s", ns);
	char *run = xasprintf("/var/run/frr/%s", ns);

	state_add_dir(l->st, etc);
	state_add_dir(l->st, run);
	free(etc);
	free(run);
}

/* FRR's directories of one namespace (the caller has put them in the
 * state already, so that down removes them even if this fails). */
static int frr_dirs(const char *ns, struct ck_err *err)
{
	char *etc = xasprintf("/etc/frr/%s", ns);
	char *run = xasprintf("/var/run/frr/%s", ns);
	char *conf = xasprintf("%s/frr.conf", etc);
	char *vty = xasprintf("%s/vtysh.conf", etc);
	struct passwd *pw = getpwnam("frr");
	int rc = fs_mkdirs(etc, 0755, err);

	if (rc == 0)
		rc = fs_mkdirs(run, 0755, err);
	if (rc == 0)
		rc = give_frr(pw, run, err);
	if (rc == 0)
		rc = give_frr(pw, etc, err);
	/* an empty start: the configuration comes with the push */
	if (rc == 0)
		rc = fs_write_atomic(conf, "frr defaults datacenter\n", 24, err);
	if (rc == 0)
		rc = fs_write_atomic(vty, "", 0, err);
	if (rc == 0)
		rc = give_frr(pw, conf, err);
	free(etc);
	free(run);
	free(conf);
	free(vty);
	return rc;
}

static long read_pidfile(const char *path)
{
	FILE *f = fopen(path, "r");
	long pid = -1;

	if (f) {
		if (fscanf(f, "%ld", &pid) != 1)
			pid = -1;
		fclose(f);
	}
	return pid;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/* The start-up commands of one daemon on nodes [lo, hi), side by side: each
 * FRR daemon forks into the background and its command exits, so waiting
 * for the commands is waiting for the daemons to be up. */
static int start_batch(struct lab *l, const char *d, uint32_t lo, uint32_t hi,
		       struct ck_err *err)
{
	long pid[hi - lo];
	long long end = run_now_ms() + START_TIMEOUT_MS;
	uint32_t i, left = 0;
	int rc = 0, st;

	for (i = lo; i < hi; i++) {
		const char *ns = l->ns[i];
		char *prog = xasprintf("%s/%s", FRR_SBIN, d);
		char *pidf = xasprintf("/var/run/frr/%s/%s.pid", ns, d);
		char *conf = xasprintf("/etc/frr/%s/frr.conf", ns);
		char *log = xasprintf("%s/daemons/%s.log", l->st->dir,
				      l->t->nodes[i].name);
		const char *argv[] = { "ip", "netns", "exec", ns, prog, "-N",
				       ns, "-d", "-F", "datacenter", "-i", pidf,
				       "-f", conf, "--log", "syslog", NULL };

		pid[i - lo] = run_spawn(argv, log, err);
		left += pid[i - lo] > 0;
		rc |= pid[i - lo] > 0 ? 0 : -1;
		free(prog);
		free(pidf);
		free(conf);
		free(log);
	}
	while (left && run_now_ms() < end) {
		for (i = 0; i < hi - lo; i++)
			if (pid[i] > 0 && waitpid((pid_t)pid[i], &st, WNOHANG) ==
						  (pid_t)pid[i]) {
				pid[i] = 0;
				left--;
				if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
					ck_err_set(err, l->st->dir, 0, 0, "%s "
						   "did not start in %s; see "
						   "daemons/%s.log", d,
						   l->ns[lo + i],
						   l->t->nodes[lo + i].name);
					rc = -1;
				}
			}
		if (left)
			sleep_ms(10);
	}
	for (i = 0; i < hi - lo; i++)
		if (pid[i] > 0) {	/* outlived the limit */
			kill((pid_t)pid[i], SIGKILL);
			waitpid((pid_t)pid[i], NULL, 0);
			ck_err_set(err, l->st->dir, 0, 0, "%s did not start in "
				   "%s within %d s", d, l->ns[lo + i],
				   START_TIMEOUT_MS / 1000);
			rc = -1;
		}
	return rc;
}

/* A daemon's pid from its pid file, into the state. */
static int record(struct lab *l, uint32_t node, const char *d,
		  struct ck_err *err)
{
	char *pidf = xasprintf("/var/run/frr/%s/%s.pid", l->ns[node], d);
	long pid = read_pidfile(pidf);

	if (pid > 0)
		state_add_process(l->st, l->t->nodes[node].name, d, pid);
	else
		ck_err_set(err, pidf, 0, 0, "%s started in %s but left no "
			   "pid file", d, l->ns[node]);
	free(pidf);
	return pid > 0 ? 0 : -1;
}

/* How many nodes start a daemon at once: a start is mostly exec and
 * waiting, so a few per core. */
static uint32_t batch_size(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (uint32_t)n * 4 : 4;
}


char *daemons_lldp_socket(const struct lab *l, uint32_t node)
{
	return xasprintf("%s/lldp/%s/lldpd.socket", l->st->dir,
			 l->t->nodes[node].name);
}

/* lldpd reads this at start (through lldpcli): a second between
 * announcements (the TTL is four times that), ports named by interface,
 * the node's name whatever the namespace's host name is. */
static char *lldp_conf(struct lab *l, uint32_t node, struct ck_err *err)
{
	char *dir = xasprintf("%s/lldp/%s", l->st->dir, l->t->nodes[node].name);
	char *path = xasprintf("%s/lldpd.conf", dir);
	char *text = xasprintf("configure lldp tx-interval 1\n"
			       "configure lldp portidsubtype ifname\n"
			       "configure system hostname %s\n",
			       l->t->nodes[node].name);
	int rc = fs_mkdirs(dir, 0755, err);

	if (rc == 0)
		rc = fs_write_atomic(path, text, strlen(text), err);
	free(dir);
	free(text);
	if (rc < 0) {
		free(path);
		path = NULL;
	}
	return path;
}

/* The node's cabled ports as lldpd's -I list: the management interface
 * stays out of LLDP. */
static char *lldp_ifaces(const struct lab *l, uint32_t node)
{
	const struct topo_node *n = &l->t->nodes[node];
	struct sbuf b;
	uint32_t p;

	sbuf_init(&b);
	for (p = n->first_port; p < n->first_port + n->nports; p++)
		if (l->t->ports[p].link != TOPO_NONE)
			sbuf_addf(&b, "%s%s", b.len ? "," : "",
				  l->t->ports[p].name);
	return b.s ? b.s : xstrdup("");
}

/* lldpd in the node's namespace, on its cabled ports only, announcing the
 * node name and the interface name as port id every second; recorded in
 * the state (saved by the caller). */
static int start_lldpd(struct lab *l, uint32_t node, struct ck_err *err)
{
	char *conf = lldp_conf(l, node, err), *sock, *ifaces, *log;
	long pid;

	if (!conf)
		return -1;
	sock = daemons_lldp_socket(l, node);
	ifaces = lldp_ifaces(l, node);
	log = xasprintf("%s/lldp/%s/lldpd.log", l->st->dir,
			l->t->nodes[node].name);
	{
		/* -d: stay in the foreground (run_spawn keeps the pid, and
		 * no instance writes the host's /run/lldpd.pid) */
		const char *argv[] = { "ip", "netns", "exec", l->ns[node],
				       "lldpd", "-d", "-u", sock, "-O", conf,
				       "-I", ifaces, NULL };

		pid = run_spawn(argv, log, err);
	}
	if (pid > 0)
		state_add_process(l->st, l->t->nodes[node].name, "lldpd", pid);
	free(conf);
	free(sock);
	free(ifaces);
	free(log);
	return pid > 0 ? 0 : -1;
}

int daemons_start_all(struct lab *l, struct ck_err *err)
{
	char *dir = xasprintf("%s/daemons", l->st->dir);
	uint32_t i, lo, n = l->t->nnodes, b = batch_size();
	size_t d;
	int rc = fs_mkdirs(dir, 0755, err);

	free(dir);
	for (i = 0; i < n; i++)		/* recorded first, created after */
		record_frr_dirs(l, l->ns[i]);
	if (rc == 0)
		rc = state_save(l->st, err);
	for (i = 0; rc == 0 && i < n; i++)
		rc = frr_dirs(l->ns[i], err);
	/* daemon by daemon (zebra first everywhere), nodes side by side */
	for (d = 0; rc == 0 && frr_daemons[d]; d++) {
		for (lo = 0; rc == 0 && lo < n; lo += b)
			rc = start_batch(l, frr_daemons[d], lo,
					 lo + b < n ? lo + b : n, err);
		for (i = 0; i < n; i++)	/* what started is stopped by down */
			if (record(l, i, frr_daemons[d], rc < 0 ? NULL : err) < 0)
				rc = -1;
		if (state_save(l->st, rc < 0 ? NULL : err) < 0)
			rc = -1;
	}
	for (i = 0; rc == 0 && i < n; i++)
		rc = start_lldpd(l, i, err);
	return state_save(l->st, rc < 0 ? NULL : err) < 0 ? -1 : rc;
}

/* --push direct: what an operator would do by hand with vtysh. */
int daemons_load_config(struct lab *l, uint32_t node, struct ck_err *err)
{
	char *conf = xasprintf("%s/nodes/%s/frr.conf", l->bundle,
			       l->t->nodes[node].name);
	const char *argv[] = { "vtysh", "-N", l->ns[node], "-f", conf, NULL };
	struct sbuf out;
	int rc;

	sbuf_init(&out);
	rc = run_argv(argv, START_TIMEOUT_MS, &out, err);
	if (rc > 0)
		ck_err_set(err, conf, 0, 0, "vtysh -f failed: %s", out.s);
	sbuf_free(&out);
	free(conf);
	return rc == 0 ? 0 : -1;
}

static bool same_process(json_t *p)
{
	long pid = (long)json_integer_value(json_object_get(p, "pid"));
	unsigned long long start = (unsigned long long)json_integer_value(
		json_object_get(p, "start"));

	return pid > 0 && start != 0 && state_proc_start(pid) == start;
}

static bool matches(json_t *p, const char *node, const char *prog)
{
	return (!node || strcmp(json_string_value(json_object_get(p, "node")),
				node) == 0) &&
	       (!prog || strcmp(json_string_value(json_object_get(p, "prog")),
				prog) == 0);
}

static void signal_matching(json_t *procs, const char *node, const char *prog,
			    int sig)
{
	json_t *p;
	size_t i;

	json_array_foreach(procs, i, p)
		if (matches(p, node, prog) && same_process(p))
			kill((pid_t)json_integer_value(json_object_get(p, "pid")),
			     sig);
}

void daemons_stop(struct lab_state *st, const char *node, const char *prog)
{
	json_t *procs = json_object_get(st->j, "processes"), *p;
	size_t i;
	int round;

	signal_matching(procs, node, prog, SIGTERM);
	/* wait for them to go (bounded), then insist */
	for (round = 0; round < 50; round++) {
		bool alive = false;

		json_array_foreach(procs, i, p)
			alive |= matches(p, node, prog) && same_process(p);
		if (!alive)
			return;
		sleep_ms(100);
	}
	signal_matching(procs, node, prog, SIGKILL);
}

void daemons_stop_all(struct lab_state *st)
{
	daemons_stop(st, NULL, NULL);
}

bool daemons_alive(struct lab_state *st, const char *node, const char *prog)
{
	json_t *procs = json_object_get(st->j, "processes"), *p;
	size_t i;

	json_array_foreach(procs, i, p)
		if (matches(p, node, prog) && same_process(p))
			return true;
	return false;
}

void daemons_remove_dirs(struct lab_state *st)
{
	json_t *dirs = json_object_get(st->j, "dirs"), *d;
	size_t i;

	json_array_foreach(dirs, i, d)
		fs_rmtree(json_string_value(d));
}
