/* fabric-lab: the whole fabric emulated in network namespaces with real
 * FRR. A thin main over lab/; see fabric-lab(8). */
#include "config.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lab.h"
#include "out.h"
#include "probe.h"

#define EXIT_USAGE 2

static const char usage_text[] =
	"Usage: fabric-lab COMMAND [OPTIONS] [ARGS]\n"
	"\n"
	"Emulate a fabric in network namespaces with real FRR: one namespace\n"
	"per switch and server, one veth pair per cable, as in cabling.csv.\n"
	"\n"
	"Commands:\n"
	"  up FILE               build the lab from a topology file, push the\n"
	"                        generated configs, wait for BGP to converge\n"
	"  check                 sessions match the cabling plan, every server\n"
	"                        reaches every other, ECMP over all ToRs,\n"
	"                        valley-free paths\n"
	"  status                nodes, daemons alive, sessions up\n"
	"  exec NODE CMD...      run CMD inside NODE's namespace\n"
	"  ctl ARGS...           fabricctl as the lab's operator, from the lab's\n"
	"                        management network (e.g. ctl drain --wait T)\n"
	"  restart-agent NODE    stop NODE's fabricd and start it again (with\n"
	"                        --fault POINT: a test fault point to die at)\n"
	"  probe SRC DST         UDP stream between two servers (their own\n"
	"                        addresses): sent, lost, longest gap\n"
	"  down                  remove exactly what `up` created (idempotent)\n"
	"\n"
	"Options:\n"
	"      --name LAB        lab name (default: the fabric's name; other\n"
	"                        commands: the only lab that is up)\n"
	"      --push MODE       how configs reach the nodes: agent (fabricd in\n"
	"                        every node, fabricctl over mutual TLS; the\n"
	"                        default) or direct (vtysh, no agents)\n"
	"      --timeout S       convergence limit in seconds (default 120)\n"
	"      --verify-timeout S  agents: how long a pushed change has to\n"
	"                        bring its BGP/BFD sessions up (default 30)\n"
	"      --templates DIR   customised templates for the bundle\n"
	"      --keep            up: on failure, keep what was built (then\n"
	"                        inspect it and run `down`)\n"
	"      --fault POINT     restart-agent: after-journal, mid-netlink,\n"
	"                        mid-frr or before-commit (tests only)\n"
	"      --rate PPS        probe: packets per second (default 1000)\n"
	"      --count N         probe: packets (default 5000; at most 1000000)\n"
	"      --port N          probe: UDP port (default 50000)\n"
	"      --ready-file F    probe: created once the stream flows\n"
	"      --json            machine-readable output (check, status, probe)\n"
	"  -q, --quiet           print nothing on success\n"
	"  -h, --help            show this help\n"
	"  -V, --version         show the version\n"
	"\n"
	"Options go anywhere, except with exec and ctl: there everything after\n"
	"the command belongs to it (fabric-lab --name L exec NODE ip route).\n"
	"Needs root. Exit status: 0 success, 1 failure, 2 usage error.\n";

struct opts {
	const char *name;
	const char *ready_file;
	const char *fault;
	unsigned rate, count, port;
	const char *templates;
	int timeout_s;
	int verify_timeout_s;
	int json;
	int quiet;
	int keep;
	enum lab_push push;
};

static int fail(const struct ck_err *err)
{
	char buf[1600];

	ck_err_format(err, buf, sizeof(buf));
	fprintf(stderr, "fabric-lab: %s\n", buf);
	return EXIT_FAILURE;
}

static int cmd_up(const struct opts *o, const char *file)
{
	struct lab_up_opts uo = { file, o->name, o->templates, o->push,
				  o->timeout_s, o->verify_timeout_s,
				  o->quiet };
	struct ck_err err;

	if (lab_up(&uo, &err) == 0)
		return EXIT_SUCCESS;
	fail(&err);
	/* a lab that failed to come up is taken down unless --keep; a lab
	 * that already existed is not ours to remove */
	if (!o->keep && strstr(err.msg, "already exists") == NULL) {
		lab_down(o->name ? o->name : NULL, true, &err);
	}
	return EXIT_FAILURE;
}

static void check_text(const json_t *r, FILE *f, const void *arg)
{
	(void)arg;
	check_print_text(r, f);
}

static int cmd_check(const struct opts *o)
{
	struct ck_err err;
	struct lab *l = lab_open(o->name, &err);
	struct out_view v = { NULL, NULL, NULL, NULL };
	json_t *r;
	int ok;

	if (l == NULL)
		return fail(&err);
	r = check_lab(l);
	ok = json_is_true(json_object_get(r, "ok"));
	v.json = r;
	v.text = !o->quiet || !ok ? check_text : NULL;
	out_format(o->json)->write(&v, stdout);
	json_decref(r);
	lab_free(l);
	return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}

static json_t *status_json(struct lab *l)
{
	json_t *nodes = json_array();
	uint32_t i;

	for (i = 0; i < l->t->nnodes; i++) {
		json_t *up = converge_sessions(l->ns[i], NULL);

		json_array_append_new(nodes, json_pack(
			"{s:s, s:s, s:s, s:i, s:i}", "name",
			l->t->nodes[i].name, "role",
			topo_role_name(l->t->nodes[i].role), "namespace",
			l->ns[i], "sessionsUp", (int)json_object_size(up),
			"sessionsExpected",
			(int)l->nodes[i].n_peers));
		json_decref(up);
	}
	return json_pack("{s:s, s:O, s:o}", "lab", l->st->name, "stages",
			 json_object_get(l->st->j, "stages"), "nodes", nodes);
}

static void status_text(const json_t *s, FILE *f, const void *arg)
{
	const struct lab *l = arg;
	const json_t *n;
	size_t i;

	fprintf(f, "lab %s: %u nodes\n", l->st->name, l->t->nnodes);
	json_array_foreach(json_object_get(s, "nodes"), i, n)
		fprintf(f, "  %-24s %-7s sessions %lld/%lld\n",
			json_string_value(json_object_get(n, "name")),
			json_string_value(json_object_get(n, "role")),
			json_integer_value(json_object_get(n, "sessionsUp")),
			json_integer_value(json_object_get(n,
							   "sessionsExpected")));
}

static int cmd_status(const struct opts *o)
{
	struct ck_err err;
	struct lab *l = lab_open(o->name, &err);
	struct out_view v = { NULL, NULL, status_text, NULL };
	json_t *s;

	if (l == NULL)
		return fail(&err);
	s = status_json(l);
	v.json = s;
	v.arg = l;
	out_format(o->json)->write(&v, stdout);
	json_decref(s);
	lab_free(l);
	return EXIT_SUCCESS;
}

static int cmd_exec(const struct opts *o, char **argv)
{
	struct ck_err err;
	struct lab *l = lab_open(o->name, &err);
	const char *ns;
	char *args[256];
	int i, n = 0;

	if (l == NULL)
		return fail(&err);
	ns = lab_ns_of(l, argv[0]);
	if (ns == NULL) {
		fprintf(stderr, "fabric-lab: no node '%s' in lab %s; see "
			"fabric-lab status\n", argv[0], l->st->name);
		lab_free(l);
		return EXIT_FAILURE;
	}
	args[n++] = "ip";
	args[n++] = "netns";
	args[n++] = "exec";
	args[n++] = (char *)ns;
	for (i = 1; argv[i] && n < 255; i++)
		args[n++] = argv[i];
	args[n] = NULL;
	execvp("ip", args);
	perror("fabric-lab: ip");
	return EXIT_FAILURE;
}

/* permute: options may come anywhere (after the command too) */
static int cmd_ctl(const struct opts *o, char **argv)
{
	struct ck_err err;
	struct lab *l = lab_open(o->name, &err);
	const char *args[256];
	size_t n;
	int i;

	if (l == NULL)
		return fail(&err);
	n = agents_ctl_argv(l, args, 200);
	for (i = 0; argv[i] && n < 255; i++)
		args[n++] = argv[i];
	args[n] = NULL;
	execvp(args[0], (char *const *)args);
	perror("fabric-lab: ip");
	return EXIT_FAILURE;
}

static int cmd_restart_agent(const struct opts *o, const char *node)
{
	struct ck_err err;
	struct lab *l = lab_open(o->name, &err);
	uint32_t i;
	int rc;

	if (l == NULL)
		return fail(&err);
	i = topo_find_node(l->t, node);
	if (i == TOPO_NONE) {
		fprintf(stderr, "fabric-lab: no node '%s' in lab %s\n", node,
			l->st->name);
		lab_free(l);
		return EXIT_FAILURE;
	}
	rc = agents_restart(l, i, o->fault, &err);
	lab_free(l);
	return rc == 0 ? EXIT_SUCCESS : fail(&err);
}

static int server_of(struct lab *l, const char *name, uint32_t *node)
{
	*node = topo_find_node(l->t, name);
	if (*node == TOPO_NONE || l->t->nodes[*node].role != ROLE_SERVER) {
		fprintf(stderr, "fabric-lab: '%s' is not a server of lab %s\n",
			name, l->st->name);
		return -1;
	}
	return 0;
}

struct probed {
	const char *src, *dst;
	const struct probe_result *r;
};

/* One line; the times keep three decimals (microseconds). */
static void probe_json(struct out_stream *s, const void *arg)
{
	const struct probed *p = arg;

	out_open(s, NULL, '{', 0);
	out_str(s, "src", p->src);
	out_str(s, "dst", p->dst);
	out_uint(s, "sent", p->r->sent);
	out_uint(s, "received", p->r->received);
	out_uint(s, "lost", p->r->lost);
	out_uint(s, "duplicates", p->r->duplicates);
	out_fixed(s, "maxGapMs", p->r->max_gap_ms, 3);
	out_fixed(s, "seconds", p->r->seconds, 3);
	out_close(s);
}

static void probe_text(const json_t *j, FILE *f, const void *arg)
{
	const struct probed *p = arg;

	(void)j;
	fprintf(f, "probe %s -> %s: sent %u, received %u, lost %u, longest "
		"gap %.1f ms\n", p->src, p->dst, p->r->sent, p->r->received,
		p->r->lost, p->r->max_gap_ms);
}

static void print_probe(const struct opts *o, const char *src,
			const char *dst, const struct probe_result *r)
{
	struct probed p = { src, dst, r };
	struct out_view v = { NULL, probe_json, o->quiet ? NULL : probe_text,
			      &p };

	out_format(o->json)->write(&v, stdout);
}

static int cmd_probe(const struct opts *o, const char *src, const char *dst)
{
	struct ck_err err;
	struct lab *l = lab_open(o->name, &err);
	struct probe_opts po = { 0 };
	struct probe_result r;
	uint32_t s, d;
	int rc;

	if (l == NULL)
		return fail(&err);
	if (server_of(l, src, &s) < 0 || server_of(l, dst, &d) < 0) {
		lab_free(l);
		return EXIT_FAILURE;
	}
	po = (struct probe_opts){ l->ns[s], l->ns[d], l->t->nodes[s].addr,
				  l->t->nodes[d].addr, o->rate, o->count,
				  (uint16_t)o->port, o->ready_file };
	rc = probe_run(&po, &r, &err);
	if (rc == 0)
		print_probe(o, src, dst, &r);
	lab_free(l);
	return rc == 0 ? EXIT_SUCCESS : fail(&err);
}

static int parse_opts(int argc, char **argv, struct opts *o, bool permute)
{
	enum { O_NAME = 256, O_PUSH, O_TIMEOUT, O_TEMPLATES, O_JSON, O_KEEP,
	       O_RATE, O_COUNT, O_PORT, O_READY, O_FAULT, O_VTIMEOUT };
	static const struct option lopts[] = {
		{ "name", required_argument, NULL, O_NAME },
		{ "push", required_argument, NULL, O_PUSH },
		{ "timeout", required_argument, NULL, O_TIMEOUT },
		{ "templates", required_argument, NULL, O_TEMPLATES },
		{ "json", no_argument, NULL, O_JSON },
		{ "keep", no_argument, NULL, O_KEEP },
		{ "rate", required_argument, NULL, O_RATE },
		{ "count", required_argument, NULL, O_COUNT },
		{ "port", required_argument, NULL, O_PORT },
		{ "ready-file", required_argument, NULL, O_READY },
		{ "fault", required_argument, NULL, O_FAULT },
		{ "verify-timeout", required_argument, NULL, O_VTIMEOUT },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	/* "+": options stop at the first non-option, so exec's command
	 * keeps its own options */
	while ((c = getopt_long(argc, argv, permute ? "qhV" : "+qhV", lopts,
				NULL)) != -1) {
		switch (c) {
		case O_NAME: o->name = optarg; break;
		case O_PUSH:
			if (strcmp(optarg, "direct") == 0)
				o->push = LAB_PUSH_DIRECT;
			else if (strcmp(optarg, "agent") == 0)
				o->push = LAB_PUSH_AGENT;
			else
				return -1;
			break;
		case O_TIMEOUT: o->timeout_s = atoi(optarg); break;
		case O_TEMPLATES: o->templates = optarg; break;
		case O_JSON: o->json = 1; break;
		case O_KEEP: o->keep = 1; break;
		case O_RATE: o->rate = (unsigned)strtoul(optarg, NULL, 10); break;
		case O_COUNT: o->count = (unsigned)strtoul(optarg, NULL, 10); break;
		case O_PORT: o->port = (unsigned)strtoul(optarg, NULL, 10); break;
		case O_READY: o->ready_file = optarg; break;
		case O_FAULT: o->fault = optarg; break;
		case O_VTIMEOUT: o->verify_timeout_s = atoi(optarg); break;
		case 'q': o->quiet = 1; break;
		case 'h': fputs(usage_text, stdout); exit(EXIT_SUCCESS);
		case 'V': puts("fabric-lab " PACKAGE_VERSION); exit(0);
		default: return -1;
		}
	}
	return o->timeout_s > 0 && o->verify_timeout_s > 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct opts o = { .timeout_s = 120, .verify_timeout_s = 30,
			  .push = LAB_PUSH_AGENT,
			  .rate = 1000, .count = 5000, .port = 50000 };
	const char *cmd;
	int nargs;

	if (parse_opts(argc, argv, &o, false) < 0 || optind >= argc) {
		fputs(usage_text, stderr);
		return EXIT_USAGE;
	}
	cmd = argv[optind];
	/* the rest again, as its own argv with cmd in argv[0]; exec and ctl
	 * pass everything after the command on untouched */
	argc -= optind;
	argv += optind;
	optind = 0;
	if (strcmp(cmd, "exec") == 0 || strcmp(cmd, "ctl") == 0)
		optind = 1;
	else if (parse_opts(argc, argv, &o, true) < 0) {
		fputs(usage_text, stderr);
		return EXIT_USAGE;
	}
	nargs = argc - optind;
	if (strcmp(cmd, "up") == 0 && nargs == 1)
		return cmd_up(&o, argv[optind]);
	if (strcmp(cmd, "check") == 0 && nargs == 0)
		return cmd_check(&o);
	if (strcmp(cmd, "status") == 0 && nargs == 0)
		return cmd_status(&o);
	if (strcmp(cmd, "exec") == 0 && nargs >= 2)
		return cmd_exec(&o, argv + optind);
	if (strcmp(cmd, "ctl") == 0 && nargs >= 1)
		return cmd_ctl(&o, argv + optind);
	if (strcmp(cmd, "restart-agent") == 0 && nargs == 1)
		return cmd_restart_agent(&o, argv[optind]);
	if (strcmp(cmd, "probe") == 0 && nargs == 2)
		return cmd_probe(&o, argv[optind], argv[optind + 1]);
	if (strcmp(cmd, "down") == 0 && nargs == 0) {
		struct ck_err err;

		return lab_down(o.name, o.quiet, &err) == 0 ? EXIT_SUCCESS
							    : fail(&err);
	}
	fprintf(stderr, "fabric-lab: unknown command or wrong arguments: "
		"'%s'; see fabric-lab --help\n", cmd);
	return EXIT_USAGE;
}
