/* fabricd: the closkit agent. Parses options and the config file, then
 * hands over to the library (agent, txn, httpd). Not FRR's fabricd. */
#include "config.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent.h"
#include "conffile.h"
#include "httpd.h"
#include "log.h"

#define DEFAULT_CONF "/etc/closkit/fabricd.conf"

static void usage(FILE *out)
{
	fputs("Usage: fabricd [-c FILE] [-n] [-f] [-d]\n\n"
	      "The closkit agent: applies node bundles pushed by fabricctl\n"
	      "over HTTPS (mutual TLS), verifies BGP/BFD and rolls back on\n"
	      "failure. Not related to FRR's fabricd (OpenFabric).\n\n"
	      "  -c, --config FILE  configuration (default " DEFAULT_CONF ")\n"
	      "  -n, --check        check the configuration, print it, exit\n"
	      "  -f, --foreground   log to stderr instead of syslog\n"
	      "  -d, --debug        log debug messages\n"
	      "  -h, --help         show this help\n"
	      "  -V, --version      show the version\n\n"
	      "See fabricd.conf(5). Exit status: 0 ok, 1 error, 2 usage.\n",
	      out);
}

struct opts {
	const char *conf;
	int check, foreground, debug;
};

static int parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "check", no_argument, NULL, 'n' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "debug", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	memset(o, 0, sizeof(*o));
	o->conf = DEFAULT_CONF;
	while ((ch = getopt_long(argc, argv, "c:nfdhV", lo, NULL)) != -1) {
		switch (ch) {
		case 'c': o->conf = optarg; break;
		case 'n': o->check = 1; break;
		case 'f': o->foreground = 1; break;
		case 'd': o->debug = 1; break;
		case 'h': usage(stdout); exit(0);
		case 'V': puts("fabricd " PACKAGE_VERSION); exit(0);
		default: usage(stderr); return -1;
		}
	}
	return optind == argc ? 0 : -1;
}

static int wait_for_signal(void)
{
	sigset_t set;
	int sig = 0;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigwait(&set, &sig);
	log_info("signal %d: stopping", sig);
	return 0;
}

static int serve(const struct config *c)
{
	struct ck_err err;
	struct agent a;
	struct httpd *h = NULL;
	void *nl = apply_netlink_open(&err), *nl2 = NULL;
	pthread_t timer;
	int rc = 1;

	if (nl && (nl2 = apply_netlink_open(&err)) != NULL &&
	    agent_init(&a, c, &agent_system_ops, nl, nl2, &err) == 0 &&
	    (h = httpd_start(&a, &err)) != NULL) {
		pthread_create(&timer, NULL, agent_timer, &a);
		rc = wait_for_signal();
		httpd_stop(h);
		agent_stop(&a);
		pthread_join(timer, NULL);
	}
	if (rc) {
		char msg[1400];

		ck_err_format(&err, msg, sizeof(msg));
		log_err("%s", msg);
	}
	if (nl2)
		agent_fini(&a);
	apply_netlink_close(nl);
	apply_netlink_close(nl2);
	return rc;
}

int main(int argc, char **argv)
{
	struct config c;
	struct ck_err err;
	char msg[1400];
	struct opts o;
	sigset_t set;
	int rc;

	if (parse_opts(argc, argv, &o) < 0)
		return 2;
	ck_log_init("fabricd", o.debug ? CK_LOG_DEBUG : CK_LOG_INFO);
	if (conffile_load(o.conf, &c, &err) < 0) {
		ck_err_format(&err, msg, sizeof(msg));
		fprintf(stderr, "fabricd: %s\n", msg);
		return 1;
	}
	/* no usable client CA, no start: checked before anything is touched */
	if (httpd_check_tls(&c, &err) < 0) {
		ck_err_format(&err, msg, sizeof(msg));
		fprintf(stderr, "fabricd: %s\n", msg);
		conffile_free(&c);
		return 1;
	}
	if (o.check) {
		conffile_print(&c, stdout);
		conffile_free(&c);
		return 0;
	}
	if (!o.foreground)
		ck_log_syslog();
	/* signals are taken by sigwait() in the main thread only */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	rc = serve(&c);
	conffile_free(&c);
	return rc;
}
