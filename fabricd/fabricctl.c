/* fabricctl: the client of fabricd. Parses options, then calls push_run(),
 * ctl_run() or ca_*(). */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <gnutls/gnutls.h>

#include "ca.h"
#include "ctl.h"
#include "inventory.h"
#include "push.h"

static void usage(FILE *out)
{
	fputs("Usage: fabricctl [OPTIONS] COMMAND ARGS\n\n"
	      "Drive fabricd agents: push bundles in waves, inspect, drain.\n\n"
	      "Commands:\n"
	      "  push DIR             push a fabric-gen bundle to its agents\n"
	      "  status NODE|GLOB...  applied generation, state, peers, drain\n"
	      "  cabling [NODE|GLOB...] LLDP against the plan, one line per\n"
	      "                       cable (default: every inventory node);\n"
	      "                       exit 1 on any mismatch\n"
	      "  history NODE|GLOB... the last transactions\n"
	      "  rollback NODE|GLOB.. undo a pending change, or go back to the\n"
	      "                       previous configuration\n"
	      "  drain NODE|GLOB...   BGP graceful shutdown (RFC 8326)\n"
	      "  undrain NODE|GLOB... end it\n"
	      "  ca init DIR          create a fabric CA in DIR\n"
	      "  ca issue NAME        key + certificate for node NAME (a TLS\n"
	      "                       server), or with --operator for an\n"
	      "                       operator (a TLS client agents admit)\n\n"
	      "Options:\n"
	      "  -i, --inventory FILE  'NAME ADDRESS[:PORT]' per line\n"
	      "                        (default $FABRICCTL_INVENTORY)\n"
	      "      --ca FILE         fabric CA certificate ($FABRICCTL_CA)\n"
	      "      --cert FILE       operator certificate ($FABRICCTL_CERT)\n"
	      "      --key FILE        operator key ($FABRICCTL_KEY)\n"
	      "      --port N          agent port if the inventory has none "
	      "(8443)\n"
	      "      --timeout S       per request, seconds (300)\n"
	      "  -p, --parallel N      requests in flight (default 16)\n"
	      "      --json            machine-readable output\n"
	      "  -q, --quiet           print only failures\n"
	      "push:\n"
	      "      --only GLOB       only these nodes\n"
	      "      --waves SPEC      canary[:N], roles, globs, rest; default\n"
	      "                        " "canary,server,tor,leaf,spine,superspine,"
	      "border\n"
	      "      --confirm-timeout S  agents roll back unless confirmed in\n"
	      "                        S seconds; fabricctl confirms each node\n"
	      "                        that verified\n"
	      "      --allow-miswired  push even where LLDP shows a BGP port\n"
	      "                        cabled elsewhere (agents refuse that\n"
	      "                        by default; the history says so)\n"
	      "  -n, --dry-run         check and plan on the agents, change "
	      "nothing\n"
	      "drain:\n"
	      "      --wait            until transit traffic is below\n"
	      "      --threshold PPS   (default 1000 packets/s) or\n"
	      "      --wait-timeout S  (default 300)\n"
	      "ca:\n"
	      "      --ca-dir DIR      the CA (issue; default .)\n"
	      "      --out DIR         where NAME.key/NAME.crt go (default: CA dir)\n"
	      "      --days N          validity (default 825)\n"
	      "      --ip ADDR         IP address SAN (repeatable; nodes only)\n"
	      "      --operator        an operator's client certificate\n"
	      "  -h, --help            show this help\n"
	      "  -V, --version         show the version\n\n"
	      "Exit status: 0 all nodes succeeded, 1 some failed, 2 usage.\n",
	      out);
}

enum { O_CA = 256, O_CERT, O_KEY, O_PORT, O_TIMEOUT, O_JSON, O_ONLY, O_WAVES,
       O_CONFIRM, O_WAIT, O_THRESHOLD, O_WAIT_TIMEOUT, O_CA_DIR, O_OUT,
       O_DAYS, O_IP, O_OPERATOR, O_ALLOW_MISWIRED };

struct opts {
	const char *inventory, *only, *waves, *ca_dir, *out;
	struct client_tls tls;
	int port, parallel, json, quiet, dry_run, wait, wait_timeout, days;
	int operator_, allow_miswired;
	long confirm;
	double threshold;
	const char *ips[17];
	int n_ips;
};

static const char *env(const char *name)
{
	return getenv(name);
}

static void defaults(struct opts *o)
{
	memset(o, 0, sizeof(*o));
	o->inventory = env("FABRICCTL_INVENTORY");
	o->tls.ca = env("FABRICCTL_CA");
	o->tls.cert = env("FABRICCTL_CERT");
	o->tls.key = env("FABRICCTL_KEY");
	o->tls.timeout_s = 300;
	o->port = 8443;
	o->parallel = 16;
	o->threshold = 1000;
	o->wait_timeout = 300;
	o->days = 825;
	o->ca_dir = ".";
}

static int num(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < lo || v > hi) {
		fprintf(stderr, "fabricctl: '%s' is not a number in %ld..%ld\n",
			s, lo, hi);
		return -1;
	}
	*out = v;
	return 0;
}

static int set_opt(struct opts *o, int ch, const char *arg)
{
	long v = 0;

	switch (ch) {
	case 'i': o->inventory = arg; return 0;
	case O_CA: o->tls.ca = arg; return 0;
	case O_CERT: o->tls.cert = arg; return 0;
	case O_KEY: o->tls.key = arg; return 0;
	case O_JSON: o->json = 1; return 0;
	case 'q': o->quiet = 1; return 0;
	case 'n': o->dry_run = 1; return 0;
	case O_OPERATOR: o->operator_ = 1; return 0;
	case O_ALLOW_MISWIRED: o->allow_miswired = 1; return 0;
	case O_ONLY: o->only = arg; return 0;
	case O_WAVES: o->waves = arg; return 0;
	case O_WAIT: o->wait = 1; return 0;
	case O_CA_DIR: o->ca_dir = arg; return 0;
	case O_OUT: o->out = arg; return 0;
	case O_IP:
		if (o->n_ips < 16)
			o->ips[o->n_ips++] = arg;
		return 0;
	case O_THRESHOLD:
		o->threshold = atof(arg);
		return o->threshold > 0 ? 0 : -1;
	case O_PORT: if (num(arg, 1, 65535, &v) < 0) return -1; o->port = (int)v; return 0;
	case O_TIMEOUT: if (num(arg, 1, 86400, &v) < 0) return -1; o->tls.timeout_s = v; return 0;
	case 'p': if (num(arg, 1, 4096, &v) < 0) return -1; o->parallel = (int)v; return 0;
	case O_CONFIRM: if (num(arg, 1, 86400, &v) < 0) return -1; o->confirm = v; return 0;
	case O_WAIT_TIMEOUT: if (num(arg, 1, 86400, &v) < 0) return -1; o->wait_timeout = (int)v; return 0;
	case O_DAYS: if (num(arg, -36500, 36500, &v) < 0 || v == 0) return -1; o->days = (int)v; return 0;
	}
	return -1;
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "inventory", required_argument, NULL, 'i' },
		{ "ca", required_argument, NULL, O_CA },
		{ "cert", required_argument, NULL, O_CERT },
		{ "key", required_argument, NULL, O_KEY },
		{ "port", required_argument, NULL, O_PORT },
		{ "timeout", required_argument, NULL, O_TIMEOUT },
		{ "parallel", required_argument, NULL, 'p' },
		{ "json", no_argument, NULL, O_JSON },
		{ "quiet", no_argument, NULL, 'q' },
		{ "only", required_argument, NULL, O_ONLY },
		{ "waves", required_argument, NULL, O_WAVES },
		{ "confirm-timeout", required_argument, NULL, O_CONFIRM },
		{ "allow-miswired", no_argument, NULL, O_ALLOW_MISWIRED },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "wait", no_argument, NULL, O_WAIT },
		{ "threshold", required_argument, NULL, O_THRESHOLD },
		{ "wait-timeout", required_argument, NULL, O_WAIT_TIMEOUT },
		{ "ca-dir", required_argument, NULL, O_CA_DIR },
		{ "out", required_argument, NULL, O_OUT },
		{ "days", required_argument, NULL, O_DAYS },
		{ "ip", required_argument, NULL, O_IP },
		{ "operator", no_argument, NULL, O_OPERATOR },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	defaults(o);
	while ((ch = getopt_long(argc, argv, "i:p:qnhV", lo, NULL)) != -1) {
		if (ch == 'h') {
			usage(stdout);
			exit(0);
		}
		if (ch == 'V') {
			puts("fabricctl " PACKAGE_VERSION);
			exit(0);
		}
		if (ch == '?' || set_opt(o, ch, optarg) < 0)
			return -1;
	}
	return 0;
}

static int fail(const struct ck_err *err)
{
	char msg[1400];

	ck_err_format(err, msg, sizeof(msg));
	fprintf(stderr, "fabricctl: %s\n", msg);
	return 1;
}

static int cmd_ca(const struct opts *o, int argc, char **argv)
{
	struct ck_err err;
	struct ca_issue_opts io = { o->ca_dir, NULL, o->out, o->days, o->ips,
				    o->operator_ };

	if (argc == 2 && strcmp(argv[0], "init") == 0)
		return ca_init(argv[1], &err) < 0 ? fail(&err) : 0;
	if (argc == 2 && strcmp(argv[0], "issue") == 0) {
		io.name = argv[1];
		return ca_issue(&io, &err) < 0 ? fail(&err) : 0;
	}
	usage(stderr);
	return 2;
}

static int need_tls(const struct opts *o)
{
	if (o->tls.ca && o->tls.cert && o->tls.key)
		return 0;
	fprintf(stderr, "fabricctl: --ca, --cert and --key (or FABRICCTL_CA, "
		"FABRICCTL_CERT, FABRICCTL_KEY) are required: agents only "
		"accept clients with a certificate; see 'fabricctl ca issue'\n");
	return -1;
}

static int cmd_push(const struct opts *o, struct inventory *inv, char *dir)
{
	struct push_opts po = { dir, o->only, o->waves, o->parallel, o->confirm,
				o->dry_run, o->json, o->quiet, o->port, inv,
				o->tls, o->allow_miswired };
	struct ck_err err;
	int rc = push_run(&po, stdout, &err);

	return rc < 0 ? fail(&err) : rc;
}

static int cmd_ctl(const struct opts *o, struct inventory *inv, char *cmd,
		   int argc, char **argv)
{
	struct ctl_opts co = { cmd, argv, argc, out_format(o->json), o->quiet,
			       o->parallel, o->port, o->wait, o->threshold,
			       o->wait_timeout, inv, o->tls };
	struct ck_err err = { 0 };	/* ctl_run leaves it empty on usage */
	int rc = ctl_run(&co, stdout, &err);

	if (rc < 0 && err.msg[0] == '\0') {
		usage(stderr);
		return 2;
	}
	return rc < 0 ? fail(&err) : rc;
}

static int dispatch(struct opts *o, int argc, char **argv)
{
	struct inventory inv;
	struct ck_err err;
	int rc;

	if (argc >= 1 && strcmp(argv[0], "ca") == 0)
		return cmd_ca(o, argc - 1, argv + 1);
	if (argc < 2 && !(argc == 1 && strcmp(argv[0], "cabling") == 0)) {
		usage(stderr);
		return 2;
	}
	if (need_tls(o) < 0)
		return 2;
	memset(&inv, 0, sizeof(inv));
	if (o->inventory && inventory_load(o->inventory, &inv, &err) < 0)
		return fail(&err);
	if (strcmp(argv[0], "push") == 0 && argc == 2)
		rc = cmd_push(o, &inv, argv[1]);
	else
		rc = cmd_ctl(o, &inv, argv[0], argc - 1, argv + 1);
	inventory_free(&inv);
	return rc;
}

int main(int argc, char **argv)
{
	struct opts o;
	int rc;

	if (parse_opts(argc, argv, &o) < 0) {
		usage(stderr);
		return 2;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	gnutls_global_init();
	rc = dispatch(&o, argc - optind, argv + optind);
	gnutls_global_deinit();
	curl_global_cleanup();
	return rc;
}
