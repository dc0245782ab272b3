/* The agents: every node runs fabricd (listening on its management address
 * with a certificate from the lab's CA) and the bundle reaches it the way
 * it reaches a real switch, through fabricctl over mutual TLS. */
#include "lab.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fsutil.h"
#include "run.h"
#include "xalloc.h"

#define CA_TIMEOUT_MS 60000
#define AGENT_PORT 8443

/* fabricd / fabricctl: $CLOSKIT_FABRICD etc., else beside fabric-lab in a
 * build tree (fabricd/NAME), else installed (../sbin or ../bin), else PATH. */
static const char *tool(const char *name, const char *env)
{
	static char paths[2][PATH_MAX];
	char *p = paths[strcmp(name, "fabricd") != 0];
	const char *e = getenv(env);
	ssize_t n;
	char *slash;

	if (e && *e)
		return e;
	n = readlink("/proc/self/exe", p, PATH_MAX - 32);
	if (n <= 0)
		return name;
	p[n] = '\0';
	slash = strrchr(p, '/');
	if (slash == NULL)
		return name;
	sprintf(slash, "/fabricd/%s", name);
	if (access(p, X_OK) == 0)
		return p;
	sprintf(slash, "/../%s/%s", strcmp(name, "fabricd") ? "bin" : "sbin",
		name);
	return access(p, X_OK) == 0 ? p : name;
}

static int run_ok(const char *const *argv, int timeout_ms, const char *what,
		  struct ck_err *err)
{
	struct sbuf out;
	int rc;

	sbuf_init(&out);
	rc = run_argv(argv, timeout_ms, &out, err);
	if (rc > 0)
		ck_err_set(err, what, 0, 0, "failed: %s", out.s ? out.s : "");
	sbuf_free(&out);
	return rc == 0 ? 0 : -1;
}

static int make_pki(struct lab *l, struct ck_err *err)
{
	const char *ctl = tool("fabricctl", "CLOSKIT_FABRICCTL");
	char *pki = xasprintf("%s/pki", l->st->dir);
	const char *init[] = { ctl, "ca", "init", pki, NULL };
	const char *op[] = { ctl, "ca", "issue", "--ca-dir", pki, "--operator",
			     "operator", NULL };
	uint32_t i;
	int rc = run_ok(init, CA_TIMEOUT_MS, "fabricctl ca init", err);

	if (rc == 0)
		rc = run_ok(op, CA_TIMEOUT_MS, "fabricctl ca issue", err);
	for (i = 0; rc == 0 && i < l->t->nnodes; i++) {
		char ip[16];
		const char *node[] = { ctl, "ca", "issue", "--ca-dir", pki,
				       l->t->nodes[i].name, "--ip", ip, NULL };

		netns_mgmt_addr(i, ip);
		rc = run_ok(node, CA_TIMEOUT_MS, "fabricctl ca issue", err);
	}
	free(pki);
	return rc;
}

static int write_inventory(struct lab *l, struct ck_err *err)
{
	char *path = xasprintf("%s/inventory", l->st->dir);
	struct sbuf b;
	uint32_t i;
	int rc;

	sbuf_init(&b);
	for (i = 0; i < l->t->nnodes; i++) {
		char ip[16];

		netns_mgmt_addr(i, ip);
		sbuf_addf(&b, "%s %s:%d\n", l->t->nodes[i].name, ip,
			  AGENT_PORT);
	}
	rc = fs_write_atomic(path, b.s, b.len, err);
	sbuf_free(&b);
	free(path);
	return rc;
}

static char *agent_conf(struct lab *l, uint32_t i, struct ck_err *err)
{
	const char *d = l->st->dir, *name = l->t->nodes[i].name;
	char *dir = xasprintf("%s/agents/%s", d, name);
	char *path = xasprintf("%s/fabricd.conf", dir);
	char *lldp = daemons_lldp_socket(l, i);
	struct sbuf b;
	char ip[16];

	netns_mgmt_addr(i, ip);
	sbuf_init(&b);
	sbuf_addf(&b, "# fabric-lab: the agent of %s\nnode = %s\n"
		  "listen_address = %s\nlisten_port = %d\n"
		  "tls_cert = %s/pki/%s.crt\ntls_key = %s/pki/%s.key\n"
		  "client_ca = %s/pki/ca.crt\nallowed_clients = operator\n"
		  "state_dir = %s/state\nfrr_conf = /etc/frr/%s/frr.conf\n"
		  "frr_pathspace = %s\nverify_timeout_s = %d\n"
		  "lldpd_socket = %s\n", name, name,
		  ip, AGENT_PORT, d, name, d, name, d, dir, l->ns[i], l->ns[i],
		  l->verify_timeout_s, lldp);
	free(lldp);
	if (fs_mkdirs(dir, 0755, err) < 0 ||
	    fs_write_atomic(path, b.s, b.len, err) < 0) {
		free(path);
		path = NULL;
	}
	sbuf_free(&b);
	free(dir);
	return path;
}

static int start_agent(struct lab *l, uint32_t i, const char *fault,
		       struct ck_err *err)
{
	char *conf = agent_conf(l, i, err), *log;
	char *env = fault ? xasprintf("FABRICD_TEST_FAULT=%s", fault) : NULL;
	const char *argv[] = { "ip", "netns", "exec", l->ns[i], "env",
			       env ? env : "FABRICD_TEST_FAULT=",
			       tool("fabricd", "CLOSKIT_FABRICD"), "-f", "-c",
			       conf, NULL };
	long pid;

	if (conf == NULL)
		return -1;
	log = xasprintf("%s/agents/%s/fabricd.log", l->st->dir,
			l->t->nodes[i].name);
	pid = run_spawn(argv, log, err);
	if (pid > 0)
		state_add_process(l->st, l->t->nodes[i].name, "fabricd", pid);
	free(log);
	free(conf);
	free(env);
	return pid > 0 ? state_save(l->st, err) : -1;
}

size_t agents_ctl_argv(struct lab *l, const char **argv, size_t max)
{
	static char inv[PATH_MAX], ca[PATH_MAX], cert[PATH_MAX], key[PATH_MAX];
	const char *const fixed[] = {
		"ip", "netns", "exec", l->mgmt_ns,
		tool("fabricctl", "CLOSKIT_FABRICCTL"), "--inventory", inv,
		"--ca", ca, "--cert", cert, "--key", key };
	size_t i, n = sizeof(fixed) / sizeof(fixed[0]);

	snprintf(inv, sizeof(inv), "%s/inventory", l->st->dir);
	snprintf(ca, sizeof(ca), "%s/pki/ca.crt", l->st->dir);
	snprintf(cert, sizeof(cert), "%s/pki/operator.crt", l->st->dir);
	snprintf(key, sizeof(key), "%s/pki/operator.key", l->st->dir);
	for (i = 0; i < n && i < max; i++)
		argv[i] = fixed[i];
	return n;
}

/* Agents matching glob answer status (polled with a bound, not slept on). */
static int wait_agents(struct lab *l, const char *glob, struct ck_err *err)
{
	const char *argv[32];
	size_t n = agents_ctl_argv(l, argv, 28);
	time_t end = time(NULL) + 60;
	struct timespec pause = { 0, 200 * 1000000 };

	argv[n++] = "--quiet";
	argv[n++] = "--timeout";
	argv[n++] = "5";
	argv[n++] = "status";
	argv[n++] = glob;
	argv[n] = NULL;
	while (run_argv(argv, 30000, NULL, NULL) != 0) {
		if (time(NULL) > end) {
			ck_err_set(err, l->st->dir, 0, 0, "agents did not "
				   "answer in 60 s; see agents/*/fabricd.log");
			return -1;
		}
		nanosleep(&pause, NULL);
	}
	return 0;
}

int agents_start(struct lab *l, struct ck_err *err)
{
	uint32_t i;

	if (make_pki(l, err) < 0 || write_inventory(l, err) < 0)
		return -1;
	for (i = 0; i < l->t->nnodes; i++)
		if (start_agent(l, i, NULL, err) < 0)
			return -1;
	return wait_agents(l, "*", err);
}

int agents_restart(struct lab *l, uint32_t node, const char *fault,
		   struct ck_err *err)
{
	const char *name = l->t->nodes[node].name;

	daemons_stop(l->st, name, "fabricd");
	if (start_agent(l, node, fault, err) < 0)
		return -1;
	return fault ? 0 : wait_agents(l, name, err);
}

/* Every node at once: a fabric coming up has no neighbour to verify
 * against until its neighbours have their configs too. */
int agents_push(struct lab *l, const char *bundle, struct ck_err *err)
{
	const char *argv[32];
	char par[16], *log = xasprintf("%s/push.log", l->st->dir);
	size_t n = agents_ctl_argv(l, argv, 24);
	struct sbuf out;
	int rc;

	snprintf(par, sizeof(par), "%u", l->t->nnodes);
	argv[n++] = "--parallel";
	argv[n++] = par;
	argv[n++] = "push";
	argv[n++] = "--waves";
	argv[n++] = "*";
	argv[n++] = bundle;
	argv[n] = NULL;
	sbuf_init(&out);
	rc = run_argv(argv, (l->timeout_s + 60) * 1000, &out, err);
	fs_write_atomic(log, out.s ? out.s : "", out.len, NULL);
	if (rc > 0)
		ck_err_set(err, log, 0, 0, "fabricctl push failed:\n%s",
			   out.s ? out.s : "");
	sbuf_free(&out);
	free(log);
	return rc == 0 ? 0 : -1;
}
