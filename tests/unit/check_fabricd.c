/* fabricd's logic without side effects: config file, bundle parsing, FRR
 * text helpers, verification, plans, rollout waves, and whole transactions
 * over fake net/FRR ops (the integration tests use the real ones). */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <gnutls/gnutls.h>
#include <jansson.h>

#include "fabricd/agent.h"
#include "fabricd/api.h"
#include "fabricd/ca.h"
#include "fabricd/conffile.h"
#include "fabricd/frrtext.h"
#include "fabricd/nodecfg.h"
#include "fabricd/plan.h"
#include "fabricd/rollout.h"
#include "fabricd/store.h"
#include "fabricd/txn.h"
#include "fabricd/verify.h"
#include "fsutil.h"
#include "sha256.h"
#include "xalloc.h"

#define FRR "frr version 8.4\nrouter bgp 65000\n neighbor swp1 interface remote-as 65001\n!\n"

/* A request body for node name at generation gen (loopback 10.0.0.gen). */
static char *body_frr(const char *name, long gen, const char *frr, int confirm)
{
	char sum[65], lo[32];
	json_t *b;
	char *s;

	ck_sha256_hex(frr, strlen(frr), sum);
	snprintf(lo, sizeof(lo), "10.0.0.%ld/32", gen);
	b = json_pack("{s:{s:s, s:s, s:i, s:i, s:i, s:{}, s:[s], s:[{s:s, s:i}],"
		      " s:[{s:s, s:s, s:i}], s:{s:{s:s}}}, s:{s:s}, s:i}",
		      "node", "name", name, "role", "tor", "generation", (int)gen,
		      "asn", 65000, "mtu", 9000, "bfd", "loopbacks", lo,
		      "interfaces", "name", "swp1", "mtu", 9000, "bgpPeers",
		      "interface", "swp1", "peerNode", "spine1", "peerAsn", 65001,
		      "files", "frr.conf", "sha256", sum, "files", "frr.conf", frr,
		      "generation", (int)gen);
	if (confirm)
		json_object_set_new(b, "confirmTimeoutS", json_integer(confirm));
	s = json_dumps(b, JSON_COMPACT);
	json_decref(b);
	return s;
}

static char *body(const char *name, long gen)
{
	return body_frr(name, gen, FRR, 0);
}

/* --- conffile ---------------------------------------------------------- */

#define CONF "node = n1\ntls_cert = /c\ntls_key = /k\nclient_ca = /ca\n"

START_TEST(conf_defaults_and_values)
{
	struct config c;
	struct ck_err err;

	ck_assert_int_eq(conffile_parse(CONF "listen_port = 9443 # x\n"
					"allowed_clients = a, b\ncheck_bfd = no\n",
					"t.conf", &c, &err), 0);
	ck_assert_str_eq(c.node, "n1");
	ck_assert_int_eq(c.listen_port, 9443);
	ck_assert_int_eq(c.verify_timeout_s, 60);
	ck_assert_str_eq(c.state_dir, "/var/lib/fabricd");
	ck_assert_int_eq((int)c.n_allowed, 2);
	ck_assert_str_eq(c.allowed[1], "b");
	ck_assert_int_eq(c.check_bfd, 0);
	conffile_free(&c);
}
END_TEST

START_TEST(conf_errors)
{
	struct config c;
	struct ck_err err;

	ck_assert_int_eq(conffile_parse("node = n1\ntls_cert = /c\ntls_key = /k\n",
					"t.conf", &c, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "client_ca is required"));
	ck_assert_int_eq(conffile_parse(CONF "colour = blue\n", "t.conf", &c,
					&err), -1);
	ck_assert_int_eq(err.line, 5);
	ck_assert_ptr_nonnull(strstr(err.msg, "unknown key 'colour'"));
	ck_assert_int_eq(conffile_parse(CONF "listen_port = 70000\n", "t.conf",
					&c, &err), -1);
	ck_assert_int_eq(conffile_parse(CONF "state_dir = rel\n", "t.conf", &c,
					&err), -1);
	ck_assert_int_eq(conffile_parse(CONF "just words\n", "t.conf", &c,
					&err), -1);
}
END_TEST

/* Who is admitted: a client certificate (clientAuth), by default an
 * operator's; "every certificate of the CA" only when spelled out. */
START_TEST(conf_allowed_clients)
{
	struct config c;
	struct ck_err err;

	ck_assert_int_eq(conffile_parse(CONF, "t.conf", &c, &err), 0);
	ck_assert_str_eq(conffile_admit(&c, "op", 0, 1), "client-cert-purpose");
	ck_assert_str_eq(conffile_admit(&c, "spine1", 1, 0), "client-not-operator");
	ck_assert_ptr_null(conffile_admit(&c, "anyone", 1, 1));
	conffile_free(&c);
	ck_assert_int_eq(conffile_parse(CONF "allowed_clients = op\n", "t.conf",
					&c, &err), 0);
	ck_assert_ptr_null(conffile_admit(&c, "op", 1, 1));
	ck_assert_str_eq(conffile_admit(&c, "op2", 1, 1), "client-not-allowed");
	ck_assert_str_eq(conffile_admit(&c, "op", 1, 0), "client-not-operator");
	conffile_free(&c);
	ck_assert_int_eq(conffile_parse(CONF "allowed_clients = *\n", "t.conf",
					&c, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "allow_any_client = yes"));
	ck_assert_int_eq(conffile_parse(CONF "allowed_clients = *, op\n"
					"allow_any_client = yes\n", "t.conf",
					&c, &err), -1);
	ck_assert_int_eq(conffile_parse(CONF "allow_any_client = yes\n",
					"t.conf", &c, &err), -1);
	ck_assert_int_eq(conffile_parse(CONF "allowed_clients = *\n"
					"allow_any_client = yes\n", "t.conf",
					&c, &err), 0);
	ck_assert_ptr_null(conffile_admit(&c, "spine1", 1, 0));
	ck_assert_str_eq(conffile_admit(&c, "spine1", 0, 0), "client-cert-purpose");
	conffile_free(&c);
}
END_TEST

START_TEST(conf_limits)
{
	static const char *const bad[] = {
		"max_connections = 1\n", "max_connections = 70000\n",
		"max_connections_per_ip = -1\n", "connection_timeout_s = 0\n",
		"max_header_kb = 2\n", "max_header_kb = 16k\n",
		"frr_timeout_s = \n", "max_bundle_kb = 1e3\n",
	};
	struct config c;
	struct ck_err err;
	char *out = NULL;
	size_t i, len = 0;
	FILE *f;

	ck_assert_int_eq(conffile_parse(CONF, "t.conf", &c, &err), 0);
	ck_assert_int_eq(c.max_connections, 64);
	ck_assert_int_eq(c.max_connections_per_ip, 16);
	ck_assert_int_eq(c.connection_timeout_s, 30);
	ck_assert_int_eq(c.max_header_kb, 16);
	ck_assert_int_eq(c.max_bundle_kb, 1024);
	ck_assert_int_eq(c.frr_timeout_s, 60);
	f = open_memstream(&out, &len);
	conffile_print(&c, f);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(out, "\nmax_connections_per_ip = 16\n"));
	ck_assert_ptr_nonnull(strstr(out, "\nconnection_timeout_s = 30\n"));
	ck_assert_ptr_nonnull(strstr(out, "\nmax_header_kb = 16\n"));
	free(out);
	conffile_free(&c);
	ck_assert_int_eq(conffile_parse(CONF "max_connections = 2000\n"
					"max_connections_per_ip = 0\n"
					"connection_timeout_s = 3600\n"
					"max_header_kb = 4\nfrr_timeout_s = 1\n",
					"t.conf", &c, &err), 0);
	ck_assert_int_eq(c.max_connections, 2000);
	ck_assert_int_eq(c.max_connections_per_ip, 0);
	ck_assert_int_eq(c.connection_timeout_s, 3600);
	ck_assert_int_eq(c.max_header_kb, 4);
	ck_assert_int_eq(c.frr_timeout_s, 1);
	conffile_free(&c);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *t = xasprintf(CONF "%s", bad[i]);

		ck_assert_msg(conffile_parse(t, "t.conf", &c, &err) == -1,
			      "accepted %s", bad[i]);
		ck_assert_int_eq(err.line, 5);
		ck_assert_ptr_nonnull(strstr(err.msg, "a whole number from"));
		free(t);
	}
	ck_assert_ptr_nonnull(strstr(err.msg, "max_bundle_kb: invalid value "
				     "'1e3'; expected a whole number from 4 "
				     "to 65536"));
}
END_TEST

/* An executable script dir/name (path returned, caller frees). */
static char *script_in(const char *dir, const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", dir, name);
	struct ck_err err;

	ck_assert_int_eq(fs_write_atomic(path, text, strlen(text), &err), 0);
	chmod(path, 0755);
	return path;
}

static void script_done(struct config *c, char *conf, char *script,
			const char *dir)
{
	conffile_free(c);
	free(conf);
	free(script);
	fs_rmtree(dir);
}

/* The real frr_ops: a vtysh that hangs is killed at frr_timeout_s and
 * the output says so; one that fails is a plain failure. */
START_TEST(frr_command_timeout)
{
	static const char sh[] = "#!/bin/sh\necho working\n"
				 "[ \"$2\" = fail ] && exit 3\nexec sleep 30\n";
	char dir[] = "/tmp/check_fabricd.XXXXXX", *script, *conf;
	struct config c;
	struct ck_err err;
	struct sbuf out;
	struct timespec t0, t1;
	double secs;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	script = script_in(dir, "vtysh", sh);
	conf = xasprintf(CONF "vtysh = %s\nfrr_timeout_s = 1\n", script);
	ck_assert_int_eq(conffile_parse(conf, "t.conf", &c, &err), 0);
	sbuf_init(&out);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(apply_frr_ops.show(&c, "show version", &out),
			 FRR_UNFINISHED);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) +
	       (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	ck_assert_msg(secs >= 0.9 && secs < 5, "took %.1f s", secs);
	ck_assert_msg(strncmp(out.s, "vtysh timed out after 1000 ms; killed "
			      "(frr_timeout_s = 1); its output: working", 66) == 0,
		      "%s", out.s);
	sbuf_reset(&out);
	ck_assert_int_eq(apply_frr_ops.show(&c, "fail", &out), -1);
	ck_assert_str_eq(out.s, "working\n");
	sbuf_free(&out);
	script_done(&c, conf, script, dir);
}
END_TEST

/* frr-reload.py writes a reload-XXXXXX.txt into its --rundir per run and
 * leaves it when killed: the agent gives it a directory of its own below
 * state_dir and empties it at start and after every run. The fake
 * "python" here writes its file where --rundir says, then hangs. */
START_TEST(frr_reload_rundir_cleaned)
{
	static const char sh[] = "#!/bin/sh\n"
		"while [ $# -gt 0 ]; do [ \"$1\" = --rundir ] && d=$2; shift; done\n"
		"[ -n \"$d\" ] || exit 5\n"
		"echo 'router bgp 1' >\"$d/reload-ABC123.txt\"\n"
		"echo \"$d\" >\"$d/../rundir-seen\"\nexec sleep 30\n";
	char dir[] = "/tmp/check_fabricd.XXXXXX", *script, *conf, *rd, *seen;
	char *left, *seen_path;
	struct config c;
	struct ck_err err;
	struct sbuf out;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	script = script_in(dir, "python", sh);
	conf = xasprintf(CONF "python = %s\nfrr_timeout_s = 1\nstate_dir = %s\n",
			 script, dir);
	ck_assert_int_eq(conffile_parse(conf, "t.conf", &c, &err), 0);
	rd = xasprintf("%s/" STORE_RELOAD_DIR, dir);
	left = xasprintf("%s/reload-OLD.txt", rd);
	ck_assert_int_eq(fs_mkdirs(rd, 0700, &err), 0);
	ck_assert_int_eq(fs_write_atomic(left, "x", 1, &err), 0);
	ck_assert_int_eq(store_init(dir, &err), 0);	/* at start */
	ck_assert_int_eq(access(left, F_OK), -1);
	free(left);
	sbuf_init(&out);
	ck_assert_int_eq(apply_frr_ops.reload(&c, "/nonexistent/frr.conf", &out),
			 FRR_UNFINISHED);
	seen = NULL;
	seen_path = xasprintf("%s/rundir-seen", dir);
	ck_assert_int_eq(fs_read_file(seen_path, &seen, NULL, &err), 0);
	free(seen_path);
	ck_assert_int_eq(strncmp(seen, rd, strlen(rd)), 0);	/* its own */
	left = xasprintf("%s/reload-ABC123.txt", rd);
	ck_assert_msg(access(left, F_OK) == -1, "the killed run's file is left");
	ck_assert_int_eq(access(rd, W_OK), 0);	/* ready for the next run */
	free(left);
	free(seen);
	free(rd);
	sbuf_free(&out);
	script_done(&c, conf, script, dir);
}
END_TEST

/* Show commands for bgpd and bfdd go to the daemon's vty socket
 * (frr_vty_dir/pathspace/DAEMON.vty), in vtysh's protocol. A fake bgpd
 * here answers by the command: "enable" first, then the output, three
 * NULs and a status byte, sometimes in pieces, sometimes never. */
static void *fake_bgpd(void *arg)
{
	int lfd = *(int *)arg, fd;
	char cmd[256];
	size_t n;

	while ((fd = accept(lfd, NULL, NULL)) >= 0) {
		for (;;) {
			for (n = 0; n < sizeof(cmd) - 1; n++)
				if (read(fd, cmd + n, 1) != 1 || cmd[n] == '\0')
					break;
			cmd[n] = '\0';
			if (n == 0 || strcmp(cmd, "show bgp close") == 0)
				break;
			if (strcmp(cmd, "enable") == 0)
				write(fd, "\0\0\0\0", 4);
			else if (strcmp(cmd, "show bgp summary json") == 0)
				write(fd, "{\"peers\": {}}\n\0\0\0\1", 18);
			else if (strcmp(cmd, "show bgp pieces") == 0) {
				write(fd, "one ", 4);
				usleep(50000);
				write(fd, "two\0\0", 5);
				usleep(50000);
				write(fd, "\0\0", 2);
			} else if (strcmp(cmd, "show bgp stop") == 0) {
				close(fd);
				return NULL;
			} else if (strcmp(cmd, "show bgp hang") != 0)
				write(fd, "% Unknown command\n\0\0\0\2", 22);
		}
		close(fd);
	}
	return NULL;
}

START_TEST(frr_vty_socket)
{
	static const char sh[] = "#!/bin/sh\necho \"vtysh $*\"\n";
	static const struct {
		const char *cmd;
		int rc;
		const char *out;
	} cases[] = {
		/* a warning (status 1, as "no BGP instance" is) counts as
		 * success, as it does for vtysh */
		{ "show bgp summary json", 0, "{\"peers\": {}}\n" },
		{ "show bgp pieces", 0, "one two" },
		{ "show bgp nonsense", -1, "% Unknown command\n" },
		{ "show bgp hang", FRR_UNFINISHED, "bgpd's vty socket did not "
		  "answer 'show bgp hang' (frr_timeout_s = 1)" },
		{ "show bgp close", FRR_UNFINISHED, "bgpd's vty socket closed "
		  "the connection before answering 'show bgp close' "
		  "(frr_timeout_s = 1)" },
		/* no bfdd.vty, and commands for no known daemon: vtysh */
		{ "show bfd peers json", 0, "vtysh -N ns1 -c show bfd peers json\n" },
		{ "show version", 0, "vtysh -N ns1 -c show version\n" },
	};
	char dir[] = "/tmp/check_fabricd.XXXXXX", *conf, *sock, *script;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct config c;
	struct ck_err err;
	struct sbuf out;
	pthread_t th;
	size_t i;
	int lfd;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	sock = xasprintf("%s/ns1", dir);
	ck_assert_int_eq(mkdir(sock, 0700), 0);
	free(sock);
	sock = xasprintf("%s/ns1/bgpd.vty", dir);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock);
	lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	ck_assert_int_eq(bind(lfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ck_assert_int_eq(listen(lfd, 4), 0);
	ck_assert_int_eq(pthread_create(&th, NULL, fake_bgpd, &lfd), 0);
	script = xasprintf("%s/vtysh", dir);
	ck_assert_int_eq(fs_write_atomic(script, sh, strlen(sh), &err), 0);
	chmod(script, 0755);
	conf = xasprintf(CONF "frr_vty_dir = %s\nfrr_pathspace = ns1\n"
			 "vtysh = %s\nfrr_timeout_s = 1\n", dir, script);
	ck_assert_int_eq(conffile_parse(conf, "t.conf", &c, &err), 0);
	sbuf_init(&out);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sbuf_reset(&out);
		ck_assert_msg(apply_frr_ops.show(&c, cases[i].cmd, &out) ==
			      cases[i].rc, "%s: rc", cases[i].cmd);
		ck_assert_msg(strcmp(out.s ? out.s : "", cases[i].out) == 0,
			      "%s: '%s'", cases[i].cmd, out.s ? out.s : "");
	}
	apply_frr_ops.show(&c, "show bgp stop", &out);
	pthread_join(th, NULL);
	close(lfd);
	sbuf_free(&out);
	conffile_free(&c);
	free(conf);
	free(sock);
	free(script);
	fs_rmtree(dir);
}
END_TEST

/* Setting the hostname takes one frr_timeout_s for all the daemons: a
 * daemon that accepts but never answers (a listening socket nobody reads)
 * spends it, and the daemons after it are not tried. */
static int listen_at(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ck_assert_int_eq(listen(fd, 4), 0);
	return fd;
}

START_TEST(frr_hostname_one_timeout)
{
	char dir[] = "/tmp/check_fabricd.XXXXXX", *conf, *zebra, *bgpd;
	struct config c;
	struct ck_err err;
	struct sbuf out;
	int zfd, bfd;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	zebra = xasprintf("%s/zebra.vty", dir);
	bgpd = xasprintf("%s/bgpd.vty", dir);
	zfd = listen_at(zebra);
	bfd = listen_at(bgpd);
	conf = xasprintf(CONF "frr_vty_dir = %s\nfrr_timeout_s = 1\n", dir);
	ck_assert_int_eq(conffile_parse(conf, "t.conf", &c, &err), 0);
	sbuf_init(&out);
	ck_assert_int_eq(apply_frr_ops.hostname(&c, "n1", &out), -1);
	ck_assert_msg(strstr(out.s, "zebra's vty socket did not answer") != NULL,
		      "%s", out.s);
	ck_assert_msg(strstr(out.s, "bgpd") == NULL, "bgpd tried after the "
		      "time was spent: %s", out.s);
	sbuf_free(&out);
	close(zfd);
	close(bfd);
	conffile_free(&c);
	free(conf);
	free(zebra);
	free(bgpd);
	fs_rmtree(dir);
}
END_TEST

/* --- nodecfg ------------------------------------------------------------- */

START_TEST(nodecfg_good)
{
	char *b = body("n1", 3);
	struct nodecfg_fail f;
	struct nodecfg *c = nodecfg_parse(b, strlen(b), "n1", &f);

	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq((int)c->generation, 3);
	ck_assert_int_eq((int)c->n_ifaces, 1);
	ck_assert_str_eq(c->peers[0].iface, "swp1");
	ck_assert_str_eq(c->loopbacks[0], "10.0.0.3/32");
	ck_assert_int_eq(c->bfd, 1);
	ck_assert_str_eq(c->frr_conf, FRR);
	nodecfg_free(c);
	free(b);
}
END_TEST

static const char *refusal(const char *b, const char *name)
{
	static struct nodecfg_fail f;
	struct nodecfg *c = nodecfg_parse(b, strlen(b), name, &f);

	ck_assert_ptr_null(c);
	return f.code;
}

START_TEST(nodecfg_refusals)
{
	char *b = body("n1", 3), *p;

	ck_assert_str_eq(refusal(b, "n2"), "wrong-node");
	ck_assert_str_eq(refusal("{\"node\":", "n1"), "bad-json");
	ck_assert_str_eq(refusal("{\"node\": {}, \"generation\": 1}", "n1"),
			 "invalid-bundle");
	p = strstr(b, "remote-as 65001");
	p[10] = '9';	/* content no longer matches its sha256 */
	ck_assert_str_eq(refusal(b, "n1"), "checksum-mismatch");
	free(b);
	b = body_frr("n1", 3, FRR, 0);
	p = strstr(b, "10.0.0.3/32");
	memcpy(p, "10.0.0.300", 10);
	ck_assert_str_eq(refusal(b, "n1"), "invalid-bundle");
	free(b);
}
END_TEST

/* --- frrtext, verify --------------------------------------------------- */

START_TEST(frrtext_drain)
{
	char *e = frrtext_effective(FRR, 1), *same = frrtext_effective(FRR, 0);

	ck_assert_int_eq((int)frrtext_bgp_asn(FRR), 65000);
	ck_assert_int_eq((int)frrtext_bgp_asn("hostname x\n"), 0);
	ck_assert_str_eq(same, FRR);
	ck_assert_str_eq(e, "frr version 8.4\nrouter bgp 65000\n bgp graceful-shutdown\n"
			 " neighbor swp1 interface remote-as 65001\n!\n");
	free(e);
	free(same);
}
END_TEST

START_TEST(frrtext_residual_noise)
{
	struct sbuf r;
	const char *noise = "\nLines To Delete\n===============\nno hostname vm\n\n"
		"Lines To Add\n============\nbfd\n profile ck\n  detect-multiplier 3\n"
		"frr version 8.4\nhostname t1\nline vty\n";
	const char *real = "\nLines To Add\n============\nrouter bgp 1\n neighbor x remote-as 2\n"
		"bfd\n profile ck\n  receive-interval 400\n";

	sbuf_init(&r);
	ck_assert_int_eq(frrtext_residual(noise, &r), 0);
	ck_assert_int_eq(frrtext_residual("", &r), 0);
	ck_assert_int_eq(frrtext_residual(real, &r), 2);
	ck_assert_ptr_nonnull(strstr(r.s, "remote-as 2"));
	sbuf_free(&r);
}
END_TEST

#define BGP_UP "{\"ipv4Unicast\": {\"peers\": {\"swp1\": {\"state\": \"Established\"}}}}"
#define BGP_DOWN "{\"ipv4Unicast\": {\"peers\": {\"swp1\": {\"state\": \"Active\"}}}}"
#define BFD_UP "[{\"interface\": \"swp1\", \"status\": \"up\"}]"

START_TEST(verify_states)
{
	char *b = body("n1", 1);
	struct nodecfg_fail f;
	struct nodecfg *c = nodecfg_parse(b, strlen(b), "n1", &f);
	struct sbuf why;
	json_t *t;

	sbuf_init(&why);
	ck_assert_int_eq(verify_peers(c, BGP_UP, BFD_UP, 1, &why), 1);
	ck_assert_int_eq(verify_peers(c, BGP_DOWN, BFD_UP, 1, &why), 0);
	ck_assert_ptr_nonnull(strstr(why.s, "swp1 (spine1): bgp Active"));
	ck_assert_int_eq(verify_peers(c, BGP_UP, "[]", 1, NULL), 0);
	ck_assert_int_eq(verify_peers(c, BGP_UP, "[]", 0, NULL), 1);
	ck_assert_int_eq(verify_peers(c, "garbage", NULL, 1, NULL), 0);
	t = verify_peer_table(c, BGP_UP, BFD_UP);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(t, 0),
							   "bfd")), "up");
	json_decref(t);
	sbuf_free(&why);
	nodecfg_free(c);
	free(b);
}
END_TEST

/* --- fake kernel and FRR ---------------------------------------------------- */

static struct {
	int mtu, up, lo_up;
	char addrs[8][32];
	int n_addrs;
	char sysctl[5][8];
	int fail_link;		/* link_set fails */
	char running[4096];	/* "FRR" config */
	int established;	/* BGP state the fake reports */
	int reload_garbles;	/* reload leaves something else running */
	int reload_hangs;	/* the next reload half-applies, then is
				 * killed at frr_timeout_s */
	int frr_down;		/* vtysh cannot reach the daemons */
	int dryrun_hangs;	/* vtysh --dryrun outlives frr_timeout_s */
	int configure_fails;	/* vtysh -c refuses a command */
	int writes;
	int lldp;		/* 0: no neighbour; 1: swp1 sees spine9 swp3
				 * (miswired); 2: swp1 sees spine1 swp1;
				 * -1: lldpd cannot be asked */
	char lldp_name[64];	/* the system name lldpd announces */
} k;

static int f_link_get(void *ctx, const char *n, struct link_info *li,
		      struct ck_err *err)
{
	(void)ctx;
	(void)err;
	memset(li, 0, sizeof(*li));
	li->exists = !strcmp(n, "lo") || !strcmp(n, "swp1");
	li->mtu = strcmp(n, "lo") ? k.mtu : 65536;
	li->up = strcmp(n, "lo") ? k.up : k.lo_up;
	return 0;
}

static int f_link_set(void *ctx, const char *n, int mtu, int up,
		      struct ck_err *err)
{
	(void)ctx;
	k.writes++;
	if (k.fail_link) {
		ck_err_set(err, "", 0, 0, "fake failure");
		return -1;
	}
	if (strcmp(n, "lo") == 0) {
		k.lo_up = up;
		return 0;
	}
	k.mtu = mtu;
	k.up = up;
	return 0;
}

static int find_addr(const char *p)
{
	int i;

	for (i = 0; i < k.n_addrs; i++)
		if (strcmp(k.addrs[i], p) == 0)
			return i;
	return -1;
}

static int f_addr_has(void *ctx, const char *n, const char *p, int *has,
		      struct ck_err *err)
{
	(void)ctx;
	(void)n;
	(void)err;
	*has = find_addr(p) >= 0;
	return 0;
}

static int f_addr_add(void *ctx, const char *n, const char *p,
		      struct ck_err *err)
{
	(void)ctx;
	(void)n;
	(void)err;
	k.writes++;
	if (find_addr(p) < 0)
		snprintf(k.addrs[k.n_addrs++], 32, "%s", p);
	return 0;
}

static int f_addr_del(void *ctx, const char *n, const char *p,
		      struct ck_err *err)
{
	int i = find_addr(p);

	(void)ctx;
	(void)n;
	(void)err;
	k.writes++;
	if (i >= 0)
		memcpy(k.addrs[i], k.addrs[--k.n_addrs], 32);
	return 0;
}

static int sysctl_idx(const char *key)
{
	return strstr(key, "ip_forward") ? 0 : strstr(key, "all/forwarding") ?
		1 : strstr(key, "ipv4/fib") ? 2 : strstr(key, "disable_ipv6") ?
		4 : 3;
}

static int f_sysctl_get(void *ctx, const char *key, char *buf, size_t len,
			struct ck_err *err)
{
	(void)ctx;
	(void)err;
	snprintf(buf, len, "%s", k.sysctl[sysctl_idx(key)]);
	return 0;
}

static int f_sysctl_set(void *ctx, const char *key, const char *v,
			struct ck_err *err)
{
	(void)ctx;
	(void)err;
	k.writes++;
	snprintf(k.sysctl[sysctl_idx(key)], 8, "%s", v);
	return 0;
}

static const struct net_ops fake_net = {
	f_link_get, f_link_set, f_addr_has, f_addr_add, f_addr_del,
	f_sysctl_get, f_sysctl_set,
};

/* the file the last vtysh --dryrun read */
static char dryrun_file[4096];

static int f_dryrun(const struct config *c, const char *file, struct sbuf *o)
{
	char *text = NULL, *b;

	(void)c;
	snprintf(dryrun_file, sizeof(dryrun_file), "%s", file);
	if (k.dryrun_hangs) {
		sbuf_adds(o, "vtysh --dryrun timed out after 60000 ms; killed");
		return FRR_UNFINISHED;
	}
	fs_read_file(file, &text, NULL, NULL);
	b = text ? strstr(text, "bogus") : NULL;
	if (text == NULL || b) {	/* as vtysh: quote the line */
		sbuf_adds(o, "% Unknown command: ");
		sbuf_add(o, b ? b : "", b ? strcspn(b, "\n") : 0);
	}
	free(text);
	return text == NULL || b ? -1 : 0;
}

static int f_reload(const struct config *c, const char *file, struct sbuf *o)
{
	char *text = NULL;

	(void)c;
	k.writes++;
	if (k.frr_down)
		return -1;
	if (k.reload_hangs) {
		k.reload_hangs = 0;
		snprintf(k.running, sizeof(k.running), "half applied\n");
		sbuf_adds(o, "frr-reload.py timed out after 60000 ms; killed "
			  "(frr_timeout_s = 60)");
		return FRR_UNFINISHED;
	}
	fs_read_file(file, &text, NULL, NULL);
	snprintf(k.running, sizeof(k.running), "%s%s", text ? text : "",
		 k.reload_garbles ? "garbage\n" : "");
	free(text);
	return 0;
}

static int f_diff(const struct config *c, const char *file, struct sbuf *o)
{
	char *text = NULL;

	(void)c;
	if (k.frr_down)
		return -1;
	fs_read_file(file, &text, NULL, NULL);
	if (text == NULL || strcmp(text, k.running) != 0)
		sbuf_adds(o, "Lines To Delete\n===============\ngarbage\n");
	free(text);
	return 0;
}

static int f_show(const struct config *c, const char *cmd, struct sbuf *o)
{
	(void)c;
	if (strstr(cmd, "bgp"))
		/* a wrong peer ASN never establishes */
		sbuf_adds(o, k.established && !strstr(k.running, "65099") ?
			  BGP_UP : BGP_DOWN);
	else
		sbuf_adds(o, BFD_UP);
	return 0;
}

static int f_configure(const struct config *c, const char *const *cmds,
		       struct sbuf *o)
{
	(void)c;
	(void)o;
	(void)cmds;
	k.writes++;
	return k.configure_fails ? -1 : 0;
}

static char hostname_set[64];

static int f_hostname(const struct config *c, const char *name,
		      struct sbuf *o)
{
	(void)c;
	(void)o;
	snprintf(hostname_set, sizeof(hostname_set), "%s", name);
	return 0;
}

static const struct frr_ops fake_frr = {
	f_dryrun, f_reload, f_diff, f_show, f_configure, f_hostname,
};

static double fake_clock;
static double f_now(void) { return fake_clock; }
static double f_wall(void) { return 1.8e9 + fake_clock; }
static void f_sleep(int ms) { fake_clock += ms / 1000.0; }

static int f_neighbors(const struct config *c, struct lldp_neighbor **out,
		       size_t *n, struct ck_err *err)
{
	(void)c;
	*out = NULL;
	*n = 0;
	if (k.lldp < 0) {
		ck_err_set(err, "", 0, 0, "lldpd at /x: not running");
		return -1;
	}
	if (k.lldp > 0) {
		*out = xcalloc(1, sizeof(**out));
		strcpy((*out)->port, "swp1");
		strcpy((*out)->node, k.lldp == 1 ? "spine9" : "spine1");
		strcpy((*out)->peer_port, k.lldp == 1 ? "swp3" : "swp1");
		*n = 1;
	}
	return 0;
}

static int f_system_name(const struct config *c, const char *name,
			 struct ck_err *err)
{
	(void)c;
	(void)err;
	if (strcmp(k.lldp_name, name) == 0)
		return 0;
	snprintf(k.lldp_name, sizeof(k.lldp_name), "%s", name);
	return 1;
}

static const struct lldp_ops fake_lldp = { f_neighbors, f_system_name };

static const struct agent_ops fake_ops = {
	&fake_net, &fake_frr, f_now, f_wall, f_sleep, NULL, &fake_lldp,
};

static char state_dir[64];
static struct config cfg;
static struct agent ag;

static void agent_up(void)
{
	struct ck_err err;
	char *conf;

	memset(&k, 0, sizeof(k));
	k.mtu = 1500;
	strcpy(k.sysctl[0], "0");
	strcpy(k.sysctl[1], "0");
	strcpy(k.sysctl[2], "0");
	strcpy(k.sysctl[3], "0");
	strcpy(k.sysctl[4], "1");	/* IPv6 off on swp1 */
	strcpy(k.running, "hostname bare\n");
	k.established = 1;
	fake_clock = 0;
	snprintf(state_dir, sizeof(state_dir), "/tmp/check_fabricd.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(state_dir));
	conf = xasprintf(CONF "state_dir = %s/state\nfrr_conf = %s/frr.conf\n"
			 "verify_timeout_s = 5\n", state_dir, state_dir);
	ck_assert_int_eq(conffile_parse(conf, "t", &cfg, &err), 0);
	free(conf);
	ck_assert_int_eq(agent_init(&ag, &cfg, &fake_ops, NULL, NULL, &err), 0);
}

static void agent_down(void)
{
	agent_fini(&ag);
	conffile_free(&cfg);
	fs_rmtree(state_dir);
}

/* Push body; return the HTTP status; *code gets the error code or "". */
static int push(char *b, int dry, const char **code)
{
	static char last[64];
	struct txn_result r;
	int http;

	txn_result_init(&r);
	api_put_bundle(&ag, b, strlen(b), dry, &r);
	snprintf(last, sizeof(last), "%s", txn_code_name(r.code) ?
		 txn_code_name(r.code) : "");
	http = api_status(&r);
	txn_result_fini(&r);
	free(b);
	if (code)
		*code = last;
	return http;
}

static char *saved(void)
{
	char *p = xasprintf("%s/frr.conf", state_dir), *t = NULL;

	fs_read_file(p, &t, NULL, NULL);
	free(p);
	return t;
}

/* --- plans -------------------------------------------------------------- */

START_TEST(plan_and_undo)
{
	char *b = body("n1", 1);
	struct nodecfg_fail f;
	struct nodecfg *c = nodecfg_parse(b, strlen(b), "n1", &f);
	struct plan p;
	struct ck_err err;
	json_t *j;
	struct plan q;

	agent_up();
	ck_assert_int_eq(plan_build(&fake_net, NULL, NULL, c, &p, &err), 0);
	ck_assert_int_eq((int)p.n, 1 + 1 + 1 + 5);	/* lo, swp1, addr, sysctls */
	j = plan_to_json(&p);
	ck_assert_int_eq(plan_from_json(j, &q, &err), 0);
	ck_assert_int_eq((int)q.n, (int)p.n);
	ck_assert_str_eq(q.steps[2].value, "10.0.0.1/32");
	json_decref(j);
	ck_assert_int_eq(apply_plan(&fake_net, NULL, &q, 0, q.n, NULL, &err), 0);
	ck_assert_int_eq(k.mtu, 9000);
	ck_assert_int_eq(k.n_addrs, 1);
	ck_assert_str_eq(k.sysctl[2], "1");
	ck_assert_str_eq(k.sysctl[4], "0");
	plan_free(&p);
	ck_assert_int_eq(plan_build(&fake_net, NULL, c, c, &p, &err), 0);
	ck_assert_int_eq((int)p.n, 0);		/* applied: nothing to do */
	ck_assert_int_eq(apply_plan(&fake_net, NULL, &q, 1, q.n, NULL, &err), 0);
	ck_assert_int_eq(k.mtu, 1500);
	ck_assert_int_eq(k.up, 0);
	ck_assert_int_eq(k.n_addrs, 0);
	ck_assert_str_eq(k.sysctl[0], "0");
	ck_assert_str_eq(k.sysctl[4], "1");
	plan_free(&p);
	plan_free(&q);
	nodecfg_free(c);
	free(b);
	agent_down();
}
END_TEST

/* body() with a second, IPv6, loopback fd00::GEN/LEN, as fabric-gen
 * writes for a dual-stack fabric. */
static char *body6(const char *name, long gen, int len)
{
	char *b = body(name, gen), lo6[48], *s;
	json_t *j = json_loads(b, 0, NULL);

	snprintf(lo6, sizeof(lo6), "fd00::%ld/%d", gen, len);
	json_array_append_new(json_object_get(json_object_get(j, "node"),
					      "loopbacks"), json_string(lo6));
	s = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	free(b);
	return s;
}

static struct nodecfg *cfg6(long gen, int len)
{
	char *b = body6("n1", gen, len);
	struct nodecfg_fail f;
	struct nodecfg *c = nodecfg_parse(b, strlen(b), "n1", &f);

	free(b);
	return c;
}

/* Generation 2 replaces both loopbacks of generation 1: the plan removes
 * the old IPv4 and IPv6 addresses and adds the new ones, and undoing it
 * restores generation 1's. */
START_TEST(plan_dual_stack_loopbacks)
{
	struct nodecfg *c1 = cfg6(1, 128), *c2 = cfg6(2, 128);
	struct plan p;
	struct ck_err err;

	ck_assert_ptr_null(cfg6(1, 129));
	agent_up();
	ck_assert_ptr_nonnull(c1);
	ck_assert_int_eq(plan_build(&fake_net, NULL, NULL, c1, &p, &err), 0);
	ck_assert_int_eq(apply_plan(&fake_net, NULL, &p, 0, p.n, NULL, &err), 0);
	ck_assert_int_eq(k.n_addrs, 2);
	ck_assert_int_ge(find_addr("fd00::1/128"), 0);
	plan_free(&p);
	ck_assert_int_eq(plan_build(&fake_net, NULL, c1, c2, &p, &err), 0);
	ck_assert_int_eq((int)p.n, 4);
	ck_assert_int_eq(p.steps[1].kind, PLAN_ADDR_DEL);
	ck_assert_str_eq(p.steps[1].value, "fd00::1/128");
	ck_assert_int_eq(p.steps[3].kind, PLAN_ADDR_ADD);
	ck_assert_str_eq(p.steps[3].value, "fd00::2/128");
	ck_assert_int_eq(apply_plan(&fake_net, NULL, &p, 0, p.n, NULL, &err), 0);
	ck_assert_int_eq(k.n_addrs, 2);
	ck_assert_int_lt(find_addr("fd00::1/128"), 0);
	ck_assert_int_ge(find_addr("fd00::2/128"), 0);
	ck_assert_int_eq(apply_plan(&fake_net, NULL, &p, 1, p.n, NULL, &err), 0);
	ck_assert_int_ge(find_addr("fd00::1/128"), 0);
	ck_assert_int_lt(find_addr("fd00::2/128"), 0);
	plan_free(&p);
	nodecfg_free(c1);
	nodecfg_free(c2);
	agent_down();
}
END_TEST

/* --- transactions -------------------------------------------------------- */

START_TEST(txn_commit_then_noop)
{
	const char *code;
	char *s;
	int w;

	agent_up();
	ck_assert_int_eq(push(body("n1", 1), 0, &code), 200);
	ck_assert_int_eq((int)ag.lkg.generation, 1);
	ck_assert_int_eq(k.mtu, 9000);
	s = saved();
	ck_assert_str_eq(s, FRR);
	free(s);
	w = k.writes;
	ck_assert_int_eq(push(body("n1", 1), 0, &code), 200);
	ck_assert_int_eq(k.writes, w);			/* no-op */
	ck_assert_int_eq((int)ag.outcomes[OUT_UNCHANGED], 1);
	ck_assert_int_eq(push(body_frr("n1", 1, FRR "!\n", 0), 0, &code), 409);
	ck_assert_str_eq(code, "stale-generation");
	agent_down();
}
END_TEST

START_TEST(txn_verify_fails_rolls_back)
{
	const char *code;

	agent_up();
	ck_assert_int_eq(push(body("n1", 1), 0, &code), 200);
	ck_assert_int_eq(push(body_frr("n1", 2, FRR " neighbor swp1 remote-as 65099\n",
				       0), 0, &code), 422);
	ck_assert_str_eq(code, "verify-failed");
	ck_assert_int_eq((int)ag.lkg.generation, 1);
	ck_assert_int_eq(k.n_addrs, 1);
	ck_assert_str_eq(k.addrs[0], "10.0.0.1/32");	/* gen 2's was removed */
	ck_assert_str_eq(k.running, FRR);
	agent_down();
}
END_TEST

START_TEST(txn_check_refusals_touch_nothing)
{
	const char *code;
	int w;

	agent_up();
	ck_assert_int_eq(push(body("n1", 1), 0, &code), 200);
	w = k.writes;
	ck_assert_int_eq(push(body_frr("n1", 2, FRR " bogus\n", 0), 0, &code), 422);
	ck_assert_str_eq(code, "frr-syntax");
	ck_assert_int_eq(push(body("n2", 2), 0, &code), 422);
	ck_assert_str_eq(code, "wrong-node");
	ck_assert_int_eq(push(xstrdup("{"), 0, &code), 400);
	ck_assert_int_eq(push(body("n1", 2), 1, &code), 200);	/* dry run */
	ck_assert_int_eq(k.writes, w);
	/* its scratch file was in the state dir and is gone */
	ck_assert_int_eq(strncmp(dryrun_file, cfg.state_dir,
				 strlen(cfg.state_dir)), 0);
	ck_assert_int_eq(access(dryrun_file, F_OK), -1);
	ck_assert_int_eq((int)ag.lkg.generation, 1);
	pthread_mutex_lock(&ag.txn_lock);
	ck_assert_int_eq(push(body("n1", 2), 0, &code), 409);
	ck_assert_str_eq(code, "busy");
	pthread_mutex_unlock(&ag.txn_lock);
	agent_down();
}
END_TEST

/* ck_utf8_scrub, and a refusal whose "%.800s" quote of vtysh cuts a
 * multi-byte character (a long non-ASCII line) still reaches the history:
 * the partial character is dropped, not the whole message. */
START_TEST(txn_cut_utf8_message_kept)
{
	static const char *const scrub[][2] = {
		{ "ab\xc3\xa9\xe2\x82", "ab\xc3\xa9" },	/* cut at the end */
		{ "a\xe2\x82;b", "a;b" },		/* cut, then more */
		{ "\xff\xc0\xafok", "ok" },		/* stray, overlong */
		{ "\xed\xa0\x80x", "x" },		/* a surrogate */
		{ "\xf0\x9f\x98\x80!", "\xf0\x9f\x98\x80!" },	/* U+1F600 */
	};
	char name[1401] = "", cut[16], frr[1600];
	const char *code, *msg;
	json_t *h, *e;
	int i;

	for (i = 0; i < 700; i++)
		strcat(name, "\xc3\xa9");	/* é */
	for (i = 0; i < (int)(sizeof(scrub) / sizeof(scrub[0])); i++) {
		snprintf(cut, sizeof(cut), "%s", scrub[i][0]);
		ck_utf8_scrub(cut);
		ck_assert_str_eq(cut, scrub[i][1]);
	}
	agent_up();
	ck_assert_int_eq(push(body("n1", 1), 0, &code), 200);
	snprintf(frr, sizeof(frr), "%s bogus %s\n", FRR, name);
	ck_assert_int_eq(push(body_frr("n1", 2, frr, 0), 0, &code), 422);
	ck_assert_str_eq(code, "frr-syntax");
	h = store_history(ag.cfg->state_dir);
	ck_assert_ptr_nonnull(h);
	e = json_array_get(h, 0);	/* newest first */
	msg = json_string_value(json_object_get(e, "message"));
	ck_assert_msg(msg && strlen(msg) > 800, "history message: %s",
		      msg ? msg : "(none)");
	ck_assert_ptr_nonnull(strstr(msg, "Unknown command: bogus \xc3\xa9"));
	json_decref(h);
	agent_down();
}
END_TEST

START_TEST(txn_reload_mismatch_rolls_back)
{
	const char *code;

	agent_up();
	ck_assert_int_eq(push(body("n1", 1), 0, &code), 200);
	k.reload_garbles = 1;
	ck_assert_int_eq(push(body("n1", 2), 0, &code), 500);
	ck_assert_str_eq(code, "rollback-failed");
	k.reload_garbles = 0;
	ck_assert_int_eq((int)ag.lkg.generation, 1);
	agent_down();
}
END_TEST

/* frr-reload.py killed at frr_timeout_s: rolled back like any failed
 * apply, and the result says it timed out. */
START_TEST(txn_reload_timeout_rolls_back)
{
	struct txn_result r;
	const char *code;
	char *b;

	agent_up();
	ck_assert_int_eq(push(body("n1", 1), 0, &code), 200);
	k.reload_hangs = 1;
	b = body_frr("n1", 2, FRR " bfd\n", 0);
	txn_result_init(&r);
	api_put_bundle(&ag, b, strlen(b), 0, &r);
	free(b);
	ck_assert_int_eq(api_status(&r), 422);
	ck_assert_str_eq(txn_code_name(r.code), "verify-failed");
	ck_assert_msg(strstr(r.message, "frr-reload.py timed out") != NULL &&
		      strstr(r.message, "frr_timeout_s = 60") != NULL, "%s",
		      r.message);
	txn_result_fini(&r);
	ck_assert_int_eq((int)ag.lkg.generation, 1);
	ck_assert_str_eq(k.running, FRR);
	ck_assert_int_eq(k.n_addrs, 1);
	agent_down();
}
END_TEST

START_TEST(txn_confirm_timeout)
{
	const char *code;
	struct txn_result r;

	agent_up();
	ck_assert_int_eq(push(body("n1", 1), 0, &code), 200);
	ck_assert_int_eq(push(body_frr("n1", 2, FRR, 30), 0, &code), 202);
	ck_assert_int_eq(k.mtu, 9000);
	ck_assert_int_eq(find_addr("10.0.0.2/32") >= 0, 1);
	ck_assert_int_eq(txn_confirm_expired(&ag), 0);	/* not yet */
	fake_clock += 31;
	ck_assert_int_eq(txn_confirm_expired(&ag), 1);
	ck_assert_int_eq(find_addr("10.0.0.2/32"), -1);
	ck_assert_int_eq((int)ag.lkg.generation, 1);
	ck_assert_int_eq(push(body_frr("n1", 3, FRR, 30), 0, &code), 202);
	txn_result_init(&r);
	ck_assert_int_eq(txn_confirm(&ag, &r), 0);
	txn_result_fini(&r);
	ck_assert_int_eq((int)ag.lkg.generation, 3);
	agent_down();
}
END_TEST

START_TEST(txn_recovers_from_journal)
{
	const char *code;
	struct ck_err err;
	json_t *j;

	agent_up();
	ck_assert_int_eq(push(body("n1", 1), 0, &code), 200);
	ck_assert_int_eq(push(body("n1", 2), 0, &code), 200);
	/* pretend generation 3 was killed after the journal and netlink */
	k.fail_link = 0;
	ck_assert_int_eq(push(body_frr("n1", 3, FRR, 30), 0, &code), 202);
	agent_fini(&ag);		/* "crash": pending in the journal */
	ck_assert_int_eq(store_journal_read(cfg.state_dir, &j, &err), 0);
	json_decref(j);
	ck_assert_int_eq(agent_init(&ag, &cfg, &fake_ops, NULL, NULL, &err), 0);
	ck_assert_int_eq((int)ag.lkg.generation, 2);
	ck_assert_int_eq(find_addr("10.0.0.3/32"), -1);
	ck_assert_int_eq(find_addr("10.0.0.2/32") >= 0, 1);
	ck_assert_int_eq(store_journal_read(cfg.state_dir, &j, &err), 1);
	agent_down();
}
END_TEST

START_TEST(txn_failed_recovery_refuses_changes)
{
	char cause[sizeof(ag.last_error)];
	const char *code;
	struct ck_err err;
	json_t *j;

	agent_up();
	ck_assert_int_eq(push(body("n1", 1), 0, &code), 200);
	ck_assert_int_eq(push(body_frr("n1", 2, FRR, 30), 0, &code), 202);
	agent_fini(&ag);		/* "crash" while pending */
	k.frr_down = 1;			/* and FRR is not there at restart */
	ck_assert_int_eq(agent_init(&ag, &cfg, &fake_ops, NULL, NULL, &err), 0);
	ck_assert_int_eq(ag.recovery_failed, 1);
	ck_assert_str_eq(ag.state, "failed");
	ck_assert_int_eq(store_journal_read(cfg.state_dir, &j, &err), 0);
	json_decref(j);			/* kept for the next attempt */
	strcpy(cause, ag.last_error);
	ck_assert_str_ne(cause, "");
	ck_assert_int_eq(push(body("n1", 3), 0, &code), 409);
	ck_assert_str_eq(code, "recovery-failed");
	/* the refusal is history, but lastError keeps the recovery's cause */
	ck_assert_str_eq(ag.last_error, cause);
	agent_fini(&ag);
	k.frr_down = 0;			/* FRR is back: a restart recovers */
	ck_assert_int_eq(agent_init(&ag, &cfg, &fake_ops, NULL, NULL, &err), 0);
	ck_assert_int_eq(ag.recovery_failed, 0);
	ck_assert_int_eq((int)ag.lkg.generation, 1);
	ck_assert_int_eq(push(body("n1", 3), 0, &code), 200);
	agent_down();
}
END_TEST

/* FRR's reload never passes the hostname line on: the agent sets it in
 * the daemons after every load, the rollback's included. */
START_TEST(txn_applies_hostname)
{
	const char *code;

	agent_up();
	hostname_set[0] = '\0';
	ck_assert_int_eq(push(body_frr("n1", 1, "hostname n1\n" FRR, 0), 0,
			      &code), 200);
	ck_assert_str_eq(hostname_set, "n1");
	k.established = 0;	/* generation 2 fails: back to 1's name */
	ck_assert_int_eq(push(body_frr("n1", 2, "hostname other\n" FRR, 0),
			      0, &code), 422);
	ck_assert_str_eq(hostname_set, "n1");
	agent_down();
}
END_TEST

/* A failed apply whose undo fails too: both reasons, one after "; ". */
START_TEST(txn_joined_messages_separated)
{
	struct txn_result r;
	char *b = body("n1", 1);
	const char *m;

	agent_up();
	k.reload_garbles = 1;
	txn_result_init(&r);
	api_put_bundle(&ag, b, strlen(b), 0, &r);
	ck_assert_str_eq(txn_code_name(r.code), "rollback-failed");
	m = strstr(r.message, "running config differs");
	ck_assert_ptr_nonnull(m);
	ck_assert_msg(strstr(m + 1, "; running config differs") != NULL,
		      "not separated: %s", r.message);
	txn_result_fini(&r);
	free(b);
	agent_down();
}
END_TEST

/* --- every refusal is history -------------------------------------------- */

/* One request through the API; returns its error code ("" on success). */
static const char *call(const char *method, const char *path, const char *dry,
			char *b)
{
	static char code[64];
	struct api_response r;
	json_t *j;

	api_handle(&ag, method, path, dry, b, b ? strlen(b) : 0, &r);
	j = json_loads(r.body, 0, NULL);
	snprintf(code, sizeof(code), "%s",
		 json_string_value(json_object_get(j, "error")) ?
		 json_string_value(json_object_get(j, "error")) : "");
	json_decref(j);
	api_response_free(&r);
	free(b);
	return code;
}

/* body("n1", gen) edited: the frr.conf text changed without its checksum
 * (bad_sum), or its fabric port renamed to one the box does not have. */
static char *edited(long gen, int bad_sum)
{
	char *b = body("n1", gen), *out;
	json_t *j = json_loads(b, 0, NULL), *n = json_object_get(j, "node");

	if (bad_sum)
		json_object_set_new(json_object_get(j, "files"), "frr.conf",
				    json_string(FRR "!\n"));
	else {
		json_object_set_new(json_array_get(json_object_get(n,
			"interfaces"), 0), "name", json_string("swp9"));
		json_object_set_new(json_array_get(json_object_get(n,
			"bgpPeers"), 0), "interface", json_string("swp9"));
	}
	out = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	free(b);
	return out;
}

/* body() with the cable planned on swp1 (to spine1 swp1), and the
 * request's allowMiswired. */
static char *cabled(long gen, int allow)
{
	char *b = body("n1", gen), *out;
	json_t *j = json_loads(b, 0, NULL), *n = json_object_get(j, "node");

	json_object_set_new(json_array_get(json_object_get(n, "interfaces"), 0),
			    "peer", json_pack("{s:s, s:s}", "node", "spine1",
					      "port", "swp1"));
	if (allow)
		json_object_set_new(j, "allowMiswired", json_true());
	out = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	free(b);
	return out;
}

#define PUT(b) call("PUT", "/v1/bundle", NULL, (b))
#define POST(p) call("POST", (p), NULL, NULL)

/* The dry run's scratch file cannot be made (run/ is a file: root too is
 * refused), the one way to an "internal" refusal. */
static const char *dry_run_without_scratch(void)
{
	char *run = xasprintf("%s/run", cfg.state_dir);
	const char *code;

	ck_assert_int_eq(fs_rmtree(run), 0);
	ck_assert_int_eq(fs_write_atomic(run, "x", 1, NULL), 0);
	code = call("PUT", "/v1/bundle", "1", body("n1", 1));
	ck_assert_int_eq(unlink(run), 0);
	ck_assert_int_eq(mkdir(run, 0700), 0);
	free(run);
	return code;
}

static int times_in(json_t *history, const char *code)
{
	json_t *e;
	size_t i;
	int seen = 0;

	json_array_foreach(history, i, e)
		seen += !strcmp(json_string_value(json_object_get(e, "error"))
				?: "", code);
	return seen;
}

/* Every code of the transaction has an HTTP status in api.c's table, and
 * each refusal is produced once and must then be in GET /v1/history.
 * (state-unwritable is the exception: the history lives in the same
 * directory; tests/netns/fabricd-api.sh checks it once there is room.) */
START_TEST(api_every_refusal_is_history)
{
	/* the codes doc/fabricd.md documents: all in the table */
	static const char *const codes[] = { "no-bgp", "no-previous",
		"no-pending", "bad-json", "invalid-bundle", "wrong-node",
		"checksum-mismatch", "frr-syntax", "frr-timeout",
		"missing-interface", "stale-generation", "verify-failed",
		"busy", "pending-confirm", "recovery-failed", "frr-failed",
		"too-large", "overloaded", "rollback-failed", "miswired" };
	struct api_response r;
	const char *name;
	json_t *h, *e;
	size_t i, j;
	int c, seen;

	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		ck_assert_msg(txn_code_of(codes[i]) != TXN_CODE_COUNT,
			      "%s is not a code", codes[i]);
	agent_up();
	ck_assert_str_eq(dry_run_without_scratch(), "internal");
	ck_assert_str_eq(POST("/v1/drain"), "no-bgp");
	ck_assert_str_eq(POST("/v1/rollback"), "no-previous");
	ck_assert_str_eq(POST("/v1/confirm"), "no-pending");
	ck_assert_str_eq(PUT(xstrdup("{")), "bad-json");
	ck_assert_str_eq(PUT(xstrdup("{\"files\": {}, \"generation\": 9}")),
			 "invalid-bundle");
	ck_assert_str_eq(PUT(body("n2", 1)), "wrong-node");
	ck_assert_str_eq(PUT(edited(1, 1)), "checksum-mismatch");
	ck_assert_str_eq(PUT(body_frr("n1", 1, FRR " bogus\n", 0)), "frr-syntax");
	k.dryrun_hangs = 1;
	ck_assert_str_eq(PUT(body("n1", 1)), "frr-timeout");
	k.dryrun_hangs = 0;
	ck_assert_str_eq(PUT(edited(1, 0)), "missing-interface");
	k.lldp = 1;
	ck_assert_str_eq(PUT(cabled(1, 0)), "miswired");
	k.lldp = 0;
	ck_assert_str_eq(PUT(body("n1", 1)), "");
	ck_assert_str_eq(PUT(body_frr("n1", 1, FRR "!\n", 0)), "stale-generation");
	k.established = 0;
	ck_assert_str_eq(PUT(body("n1", 2)), "verify-failed");
	k.established = 1;
	pthread_mutex_lock(&ag.txn_lock);
	ck_assert_str_eq(PUT(body("n1", 2)), "busy");
	ck_assert_str_eq(POST("/v1/confirm"), "busy");
	pthread_mutex_unlock(&ag.txn_lock);
	ck_assert_str_eq(PUT(body_frr("n1", 2, FRR, 30)), "");	/* pending */
	ck_assert_str_eq(PUT(body("n1", 3)), "pending-confirm");
	ck_assert_str_eq(POST("/v1/rollback"), "");
	ag.recovery_failed = 1;
	ck_assert_str_eq(PUT(body("n1", 3)), "recovery-failed");
	ag.recovery_failed = 0;
	k.configure_fails = 1;
	ck_assert_str_eq(POST("/v1/drain"), "frr-failed");
	k.configure_fails = 0;
	api_refuse(&ag, "PUT", "/v1/bundle", NULL, TXN_TOO_LARGE, "big", &r);
	api_response_free(&r);
	api_refuse(&ag, "PUT", "/v1/bundle", "1", TXN_TOO_LARGE, "dry", &r);
	api_response_free(&r);
	api_refuse(&ag, "POST", "/v1/drain", NULL, TXN_OVERLOADED, "many", &r);
	api_response_free(&r);
	api_refuse(&ag, "GET", "/v1/status", NULL, TXN_OVERLOADED, "many", &r);
	api_response_free(&r);	/* not a transaction: not history */
	k.reload_garbles = 1;
	ck_assert_str_eq(PUT(body("n1", 3)), "rollback-failed");
	k.reload_garbles = 0;
	h = store_history(cfg.state_dir);
	for (c = TXN_OK + 1; c < TXN_CODE_COUNT; c++) {
		name = txn_code_name(c);
		ck_assert_msg(name && api_code_status(c) >= 400, "code %d (%s) "
			      "has no HTTP status", c, name ? name : "no name");
		if (strcmp(name, "state-unwritable") == 0)
			continue;
		seen = times_in(h, name);
		ck_assert_msg(seen == (strcmp(name, "busy") &&
				       strcmp(name, "too-large") ? 1 : 2),
			      "%s is %d times in the history", name, seen);
	}
	/* under the kind txn.c would have recorded: a dry push is a dry run */
	seen = 0;
	json_array_foreach(h, j, e)
		if (!strcmp(json_string_value(json_object_get(e, "error")) ?: "",
			    "too-large"))
			seen |= !strcmp(json_string_value(json_object_get(e,
					"kind")), "dry-run") ? 1 :
				!strcmp(json_string_value(json_object_get(e,
					"kind")), "push") ? 2 : 4;
	ck_assert_int_eq(seen, 3);
	json_decref(h);
	agent_down();
}
END_TEST

static json_t *get_json(const char *path, long *http)
{
	struct api_response r;
	json_t *j;

	api_handle(&ag, "GET", path, NULL, NULL, 0, &r);
	*http = r.http;
	j = json_loads(r.body, 0, NULL);
	api_response_free(&r);
	return j;
}

/* The push's cabling check and GET /v1/cabling, with a fake lldpd: a BGP
 * port cabled elsewhere refuses the push with nothing changed (a dry run
 * says it would), allowMiswired pushes and the history says so; a port
 * with no neighbour yet, or no lldpd at all, does not hold a push up. */
START_TEST(txn_cabling_check)
{
	json_t *j, *h;
	long http;
	int writes;

	agent_up();
	k.lldp = 1;
	writes = k.writes;
	ck_assert_str_eq(PUT(cabled(1, 0)), "miswired");
	ck_assert_int_eq(k.writes, writes);
	ck_assert_int_eq(ag.lkg.generation, 0);
	{	/* a dry run: would refuse, changes nothing, is no failure */
		struct api_response r;
		char *b = cabled(1, 0);

		api_handle(&ag, "PUT", "/v1/bundle", "1", b, strlen(b), &r);
		ck_assert_int_eq(r.http, 200);
		j = json_loads(r.body, 0, NULL);
		ck_assert_str_eq(json_string_value(json_object_get(json_object_get(
			j, "wouldRefuse"), "error")), "miswired");
		json_decref(j);
		api_response_free(&r);
		free(b);
	}
	ck_assert_str_eq(PUT(cabled(1, 1)), "");
	ck_assert_int_eq(ag.lkg.generation, 1);
	h = store_history(cfg.state_dir);
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(
		json_array_get(h, 0), "message")) ?: "", "--allow-miswired"));
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(
		json_array_get(h, 0), "message")) ?: "", "swp1 (sees spine9 swp3"));
	json_decref(h);
	j = get_json("/v1/cabling", &http);
	ck_assert_int_eq(http, 200);
	ck_assert_str_eq(k.lldp_name, "n1");	/* announced as the node */
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(
		json_object_get(j, "ports"), 0), "state")), "miswired");
	json_decref(j);
	k.lldp = 2;
	j = get_json("/v1/cabling", &http);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(j,
		"counts"), "ok")), 1);
	json_decref(j);
	k.lldp = 0;
	ck_assert_str_eq(PUT(cabled(2, 0)), "");	/* not lit yet */
	k.lldp = -1;
	ck_assert_str_eq(PUT(cabled(3, 0)), "");	/* no lldpd: skipped */
	j = get_json("/v1/cabling", &http);
	ck_assert_int_eq(http, 503);
	ck_assert_str_eq(json_string_value(json_object_get(j, "error")),
			 "lldp-unavailable");
	json_decref(j);
	k.lldp = 0;
	agent_down();
}
END_TEST

START_TEST(api_routes)
{
	struct api_response r;

	agent_up();
	api_handle(&ag, "GET", "/v1/status", NULL, NULL, 0, &r);
	ck_assert_int_eq(r.http, 200);
	ck_assert_ptr_nonnull(strstr(r.body, "\"generation\": 0"));
	api_response_free(&r);
	api_handle(&ag, "GET", "/metrics", NULL, NULL, 0, &r);
	ck_assert_ptr_nonnull(strstr(r.body, "fabricd_applied_generation 0"));
	api_response_free(&r);
	api_handle(&ag, "DELETE", "/v1/status", NULL, NULL, 0, &r);
	ck_assert_int_eq(r.http, 405);
	api_response_free(&r);
	api_handle(&ag, "GET", "/nope", NULL, NULL, 0, &r);
	ck_assert_int_eq(r.http, 404);
	ck_assert_ptr_nonnull(strstr(r.body, "\"error\": \"not-found\""));
	api_response_free(&r);
	api_handle(&ag, "POST", "/v1/confirm", NULL, NULL, 0, &r);
	ck_assert_int_eq(r.http, 409);
	api_response_free(&r);
	api_handle(&ag, "POST", "/v1/drain", NULL, NULL, 0, &r);
	ck_assert_int_eq(r.http, 409);	/* no router bgp at generation 0 */
	api_response_free(&r);
	agent_down();
}
END_TEST

/* --- rollout ------------------------------------------------------------ */

#define MANIFEST "{\"generation\": 7, \"nodes\": [" \
	"{\"name\": \"t1\", \"role\": \"tor\"}, {\"name\": \"s1\", \"role\": \"server\"}," \
	"{\"name\": \"t2\", \"role\": \"tor\"}, {\"name\": \"sp1\", \"role\": \"spine\"}," \
	"{\"name\": \"b1\", \"role\": \"border\"}]}"

START_TEST(rollout_waves)
{
	char dir[] = "/tmp/check_rollout.XXXXXX", *p;
	struct rollout r;
	struct ck_err err;
	long long gen;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	p = xasprintf("%s/manifest.json", dir);
	ck_assert_int_eq(fs_write_atomic(p, MANIFEST, strlen(MANIFEST), &err), 0);
	ck_assert_int_eq(rollout_load(dir, NULL, &r, &gen, &err), 0);
	ck_assert_int_eq((int)gen, 7);
	ck_assert_int_eq(rollout_plan(&r, "canary,tor,spine", &err), 0);
	ck_assert_int_eq((int)r.n_waves, 4);	/* canary, tor, spine, rest */
	ck_assert_str_eq(r.nodes[0].name, "t1");
	ck_assert_str_eq(r.nodes[1].name, "t2");
	ck_assert_str_eq(r.waves[r.nodes[4].wave], "rest");
	rollout_free(&r);
	ck_assert_int_eq(rollout_load(dir, "t*", &r, &gen, &err), 0);
	ck_assert_int_eq((int)r.n, 2);
	ck_assert_int_eq(rollout_plan(&r, "canary,bogus", &err), -1);
	rollout_free(&r);
	free(p);
	fs_rmtree(dir);
}
END_TEST

/* Names from manifest.json become paths (nodes/NAME/node.json): every one
 * is checked with fabric-gen's rule before anything is read or sent. */
START_TEST(rollout_refuses_bad_names)
{
	static const char *const bad[] = { "../../x", "..", "a/b", "", "-a",
		"a.b", "x\\n", "Spine01" };
	char dir[] = "/tmp/check_rollout.XXXXXX", *p, *m;
	struct rollout r;
	struct ck_err err;
	long long gen;
	size_t i;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	p = xasprintf("%s/manifest.json", dir);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		m = xasprintf("{\"generation\": 1, \"nodes\": [{\"name\": \"t1\", "
			      "\"role\": \"tor\"}, {\"name\": \"%s\", \"role\": "
			      "\"tor\"}]}", bad[i]);
		ck_assert_int_eq(fs_write_atomic(p, m, strlen(m), &err), 0);
		/* even when --only would not select it */
		ck_assert_msg(rollout_load(dir, "t1", &r, &gen, &err) == -1,
			      "name '%s' accepted", bad[i]);
		ck_assert_ptr_nonnull(strstr(err.msg, "nodes[1]: node name"));
		ck_assert_int_eq((int)r.n, 0);
		free(m);
	}
	m = xstrdup("{\"generation\": 1, \"nodes\": [{\"role\": \"tor\"}]}");
	ck_assert_int_eq(fs_write_atomic(p, m, strlen(m), &err), 0);
	ck_assert_int_eq(rollout_load(dir, NULL, &r, &gen, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "nodes[0] has no \"name\""));
	free(m);
	m = xstrdup("{\"generation\": 1, \"nodes\": [{\"name\": \"t2\"}]}");
	ck_assert_int_eq(fs_write_atomic(p, m, strlen(m), &err), 0);
	ck_assert_int_eq(rollout_load(dir, NULL, &r, &gen, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "nodes[0] ('t2') has no \"role\""));
	ck_assert_ptr_null(strstr(err.msg, "host-name label"));
	free(m);
	free(p);
	fs_rmtree(dir);
}
END_TEST

/* --- ca: keys as RFC 5915 wants them ----------------------------------- */

/* The DER of the PEM key at path: 0 when it is an ECPrivateKey whose
 * private value is an OCTET STRING of exactly 32 bytes (copied to priv). */
static int key_der_ok(const char *path, unsigned char priv[32])
{
	char *pem = NULL;
	struct ck_err err;
	gnutls_datum_t in, der = { NULL, 0 };
	int ok;

	ck_assert_int_eq(fs_read_file(path, &pem, NULL, &err), 0);
	in.data = (unsigned char *)pem;
	in.size = (unsigned)strlen(pem);
	ck_assert_int_eq(gnutls_pem_base64_decode2("EC PRIVATE KEY", &in, &der), 0);
	/* 30 77 | 02 01 01 | 04 20 k(32) | a0 0a ... | a1 44 ... */
	ok = der.size == 121 && der.data[0] == 0x30 && der.data[1] == 0x77 &&
	     der.data[5] == 0x04 && der.data[6] == 0x20;
	if (ok)
		memcpy(priv, der.data + 7, 32);
	gnutls_free(der.data);
	free(pem);
	return ok ? 0 : -1;
}

static void hex(const char *s, unsigned char *out, gnutls_datum_t *d)
{
	size_t i, n = strlen(s) / 2;

	for (i = 0; i < n; i++)
		sscanf(s + 2 * i, "%2hhx", &out[i]);
	d->data = out;
	d->size = (unsigned)n;
}

/* k = 1 (public G) has 31 leading zero bytes; k = n - 1 (public -G) has its
 * top bit set, where GnuTLS writes 33 bytes. Both must come out as 32. */
START_TEST(ca_key_fixed_width)
{
	static const char *const keys[2][3] = {
		{ "01", "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a1"
		  "3945d898c296", "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b31"
		  "5ececbb6406837bf51f5" },
		{ "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc"
		  "632550", "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0"
		  "f4a13945d898c296", "b01cbd1c01e58065711814b583f061e9d431cca9"
		  "94cea1313449bf97c840ae0a" },
	};
	char dir[] = "/tmp/check_ca.XXXXXX", *path;
	unsigned char kb[32], xb[32], yb[32], got[32], want[32];
	gnutls_datum_t kd, x, y;
	gnutls_x509_privkey_t key;
	struct ck_err err;
	int i;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	path = xasprintf("%s/k.key", dir);
	for (i = 0; i < 2; i++) {
		hex(keys[i][0], kb, &kd);
		hex(keys[i][1], xb, &x);
		hex(keys[i][2], yb, &y);
		gnutls_x509_privkey_init(&key);
		ck_assert_int_eq(gnutls_x509_privkey_import_ecc_raw(
			key, GNUTLS_ECC_CURVE_SECP256R1, &x, &y, &kd), 0);
		ck_assert_int_eq(ca_save_key(key, path, &err), 0);
		gnutls_x509_privkey_deinit(key);
		ck_assert_int_eq(key_der_ok(path, got), 0);
		memset(want, 0, sizeof(want));
		memcpy(want + 32 - kd.size, kb, kd.size);
		ck_assert_int_eq(memcmp(got, want, 32), 0);
	}
	free(path);
	fs_rmtree(dir);
}
END_TEST

/* Generated keys: half have the top bit set, so 64 miss none by chance. */
START_TEST(ca_issued_keys_are_rfc5915)
{
	char dir[] = "/tmp/check_ca.XXXXXX", name[16], *path;
	struct ca_issue_opts o;
	unsigned char priv[32];
	struct ck_err err;
	int i;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	memset(&o, 0, sizeof(o));
	o.ca_dir = dir;
	o.name = name;
	o.days = 30;
	ck_assert_int_eq(ca_init(dir, &err), 0);
	path = xasprintf("%s/ca.key", dir);
	ck_assert_int_eq(key_der_ok(path, priv), 0);
	free(path);
	for (i = 0; i < 64; i++) {
		snprintf(name, sizeof(name), "n%d", i);
		ck_assert_int_eq(ca_issue(&o, &err), 0);
		path = xasprintf("%s/%s.key", dir, name);
		ck_assert_msg(key_der_ok(path, priv) == 0, "%s is not RFC 5915", path);
		free(path);
	}
	fs_rmtree(dir);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("fabricd");
	TCase *t = tcase_create("pure");
	TCase *x = tcase_create("transactions");

	tcase_add_test(t, conf_defaults_and_values);
	tcase_add_test(t, conf_errors);
	tcase_add_test(t, conf_limits);
	tcase_add_test(t, conf_allowed_clients);
	tcase_add_test(t, frr_command_timeout);
	tcase_add_test(t, frr_reload_rundir_cleaned);
	tcase_add_test(t, frr_vty_socket);
	tcase_add_test(t, frr_hostname_one_timeout);
	tcase_add_test(t, nodecfg_good);
	tcase_add_test(t, nodecfg_refusals);
	tcase_add_test(t, frrtext_drain);
	tcase_add_test(t, frrtext_residual_noise);
	tcase_add_test(t, verify_states);
	tcase_add_test(t, rollout_waves);
	tcase_add_test(t, rollout_refuses_bad_names);
	tcase_add_test(t, ca_key_fixed_width);
	tcase_add_test(t, ca_issued_keys_are_rfc5915);
	tcase_add_test(x, plan_and_undo);
	tcase_add_test(x, plan_dual_stack_loopbacks);
	tcase_add_test(x, txn_commit_then_noop);
	tcase_add_test(x, txn_verify_fails_rolls_back);
	tcase_add_test(x, txn_check_refusals_touch_nothing);
	tcase_add_test(x, txn_cut_utf8_message_kept);
	tcase_add_test(x, txn_reload_mismatch_rolls_back);
	tcase_add_test(x, txn_reload_timeout_rolls_back);
	tcase_add_test(x, txn_confirm_timeout);
	tcase_add_test(x, txn_recovers_from_journal);
	tcase_add_test(x, txn_failed_recovery_refuses_changes);
	tcase_add_test(x, api_routes);
	tcase_add_test(x, txn_joined_messages_separated);
	tcase_add_test(x, txn_applies_hostname);
	tcase_add_test(x, api_every_refusal_is_history);
	tcase_add_test(x, txn_cabling_check);
	/* (Check's default is 4 s: too tight for fsyncs and real timeouts
	 * under valgrind or ASan on a loaded machine) */
	tcase_set_timeout(t, 60);
	tcase_set_timeout(x, 60);
	suite_add_tcase(s, t);
	suite_add_tcase(s, x);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(suite());
	int failed;

	srunner_run_all(r, CK_NORMAL);
	failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? 1 : 0;
}
