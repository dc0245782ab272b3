/* fabric-gen: one topology file -> FRR configs for every switch and server.
 * A thin main over libtopo; see fabric-gen(1). */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bundle.h"
#include "diff.h"
#include "out.h"
#include "summary.h"
#include "tmpl.h"
#include "topo.h"

#define EXIT_USAGE 2

struct opts {
	const char *out;
	const char *only;
	const char *templates;
	int json;
	int dry_run;
	int force;
	int exit_code;
	int quiet;
};

static const char usage_text[] =
	"Usage: fabric-gen COMMAND [OPTIONS] ARGS\n"
	"\n"
	"Turn one topology file into the FRRouting config of every switch and\n"
	"server of a CLOS fabric.\n"
	"\n"
	"Commands:\n"
	"  check FILE              validate the topology and print a summary\n"
	"  show FILE               counts per tier, oversubscription, links,\n"
	"                          addresses used\n"
	"  build FILE -o DIR       write the bundle (configs, node.json,\n"
	"                          manifest, cabling plan) to DIR, atomically\n"
	"  diff OLD_DIR NEW_DIR    which nodes' configs differ between bundles\n"
	"\n"
	"Options:\n"
	"  -o, --output DIR        bundle directory (build); missing parents\n"
	"                          are created; an existing DIR is replaced\n"
	"                          only if empty or a bundle\n"
	"      --only GLOB         build only nodes whose name matches GLOB\n"
	"      --templates DIR     use a customised copy of the templates\n"
	"  -n, --dry-run           build: render and checksum, write nothing\n"
	"      --force             build: replace DIR even if it is not a\n"
	"                          bundle (never if it holds the input)\n"
	"      --json              machine-readable output\n"
	"      --exit-code         diff: exit 1 when the bundles differ\n"
	"  -q, --quiet             print nothing on success\n"
	"  -h, --help              show this help\n"
	"  -V, --version           show the version\n"
	"\n"
	"Exit status: 0 success, 1 failure (invalid topology, I/O error),\n"
	"2 usage error.\n";

static void usage(FILE *f)
{
	fputs(usage_text, f);
}

static int fail(const struct ck_err *err)
{
	char buf[1600];

	ck_err_format(err, buf, sizeof(buf));
	fprintf(stderr, "fabric-gen: %s\n", buf);
	return EXIT_FAILURE;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void summary_text(const json_t *s, FILE *f, const void *arg)
{
	(void)arg;
	summary_print_text(s, f);
}

struct checked {
	const char *file;
	const struct topo *t;
};

static void checked_text(const json_t *s, FILE *f, const void *arg)
{
	const struct checked *c = arg;
	const struct topo *t = c->t;

	(void)s;
	fprintf(f, "%s: ok: %s, %u nodes (%u switches, %u servers), %u "
		"links\n", c->file, t->name, t->nnodes,
		t->nnodes - t->count_by_role[ROLE_SERVER],
		t->count_by_role[ROLE_SERVER], t->nlinks);
}

static int cmd_check(const struct opts *o, const char *file, int show)
{
	struct ck_err err;
	struct topo *t = topo_load(file, &err);
	struct checked c = { file, t };
	struct out_view v = { NULL, NULL, NULL, &c };

	if (t == NULL)
		return fail(&err);
	v.json = summary_fabric(t);
	if (show)
		v.text = summary_text;
	else if (!o->quiet)
		v.text = checked_text;
	out_format(o->json)->write(&v, stdout);
	json_decref((json_t *)v.json);
	topo_free(t);
	return EXIT_SUCCESS;
}

struct built {
	const struct opts *o;
	const struct bundle_stats *st;
	double secs;
};

static void built_text(const json_t *s, FILE *f, const void *arg)
{
	const struct built *b = arg;

	summary_print_text(s, f);
	fprintf(f, "\n%s %u node bundles, %u files, %.1f MB in %.2f s%s%s\n",
		b->o->dry_run ? "rendered" : "wrote", b->st->nodes,
		b->st->files, (double)b->st->bytes / 1e6, b->secs,
		b->o->dry_run ? "" : " to ", b->o->dry_run ? "" : b->o->out);
}

static void print_build(const struct opts *o, const struct topo *t,
			const struct bundle_stats *st, double secs)
{
	struct built b = { o, st, secs };
	struct out_view v = { NULL, NULL, built_text, &b };
	json_t *s;

	if (o->quiet)
		return;
	s = summary_fabric(t);
	json_object_set_new(s, "bundle", json_pack(
		"{s:s?, s:b, s:i, s:i, s:I, s:f}", "dir",
		o->dry_run ? NULL : o->out, "dryRun", o->dry_run,
		"nodesWritten", (int)st->nodes, "files", (int)st->files,
		"bytes", (json_int_t)st->bytes, "seconds", secs));
	v.json = s;
	out_format(o->json)->write(&v, stdout);
	json_decref(s);
}

static int cmd_build(const struct opts *o, const char *file)
{
	const char *protect[] = { file, tmpl_dir(o->templates), NULL };
	struct bundle_opts bo = { NULL, o->only, o->dry_run, o->force,
				  protect };
	struct bundle_stats st;
	struct ck_err err;
	struct mustache_set *set;
	struct topo *t;
	double t0 = now();
	int rc;

	if (o->out == NULL && !o->dry_run) {
		fprintf(stderr, "fabric-gen: build needs -o DIR (or "
			"--dry-run)\n");
		return EXIT_USAGE;
	}
	t = topo_load(file, &err);
	if (t == NULL)
		return fail(&err);
	set = tmpl_load(protect[1], &err);
	if (set == NULL) {
		topo_free(t);
		return fail(&err);
	}
	bo.templates = set;
	rc = bundle_build(t, &bo, o->out, &st, &err);
	if (rc == 0)
		print_build(o, t, &st, now() - t0);
	mustache_set_free(set);
	topo_free(t);
	return rc == 0 ? EXIT_SUCCESS : fail(&err);
}

static void diff_text(const json_t *d, FILE *f, const void *arg)
{
	(void)arg;
	diff_print_text(d, f);
}

static int cmd_diff(const struct opts *o, const char *a, const char *b)
{
	struct ck_err err;
	json_t *d = diff_bundles(a, b, &err);
	struct out_view v = { d, NULL, o->quiet ? NULL : diff_text, NULL };
	int changed;

	if (d == NULL)
		return fail(&err);
	changed = diff_count(d) > 0;
	out_format(o->json)->write(&v, stdout);
	json_decref(d);
	return o->exit_code && changed ? EXIT_FAILURE : EXIT_SUCCESS;
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
	enum { OPT_ONLY = 256, OPT_TEMPLATES, OPT_JSON, OPT_EXIT_CODE,
	       OPT_FORCE };
	static const struct option lopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "only", required_argument, NULL, OPT_ONLY },
		{ "templates", required_argument, NULL, OPT_TEMPLATES },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "exit-code", no_argument, NULL, OPT_EXIT_CODE },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	while ((c = getopt_long(argc, argv, "o:nqhV", lopts, NULL)) != -1) {
		switch (c) {
		case 'o': o->out = optarg; break;
		case OPT_ONLY: o->only = optarg; break;
		case OPT_TEMPLATES: o->templates = optarg; break;
		case 'n': o->dry_run = 1; break;
		case OPT_FORCE: o->force = 1; break;
		case OPT_JSON: o->json = 1; break;
		case OPT_EXIT_CODE: o->exit_code = 1; break;
		case 'q': o->quiet = 1; break;
		case 'h': usage(stdout); exit(EXIT_SUCCESS);
		case 'V': puts("fabric-gen " PACKAGE_VERSION); exit(0);
		default: return -1;
		}
	}
	return 0;
}

static int run_check(const struct opts *o, char **args)
{
	return cmd_check(o, args[0], 0);
}

static int run_show(const struct opts *o, char **args)
{
	return cmd_check(o, args[0], 1);
}

static int run_build(const struct opts *o, char **args)
{
	return cmd_build(o, args[0]);
}

static int run_diff(const struct opts *o, char **args)
{
	return cmd_diff(o, args[0], args[1]);
}

/* What each command takes, so a missing or extra argument gets a message
 * naming it rather than "unknown command", and what runs it. */
static const struct command {
	const char *name;
	int nargs;
	const char *what;	/* what is missing when arguments are short */
	const char *usage;
	int (*run)(const struct opts *, char **);
} commands[] = {
	{ "check", 1, "topology file", "check FILE", run_check },
	{ "show", 1, "topology file", "show FILE", run_show },
	{ "build", 1, "topology file", "build FILE -o DIR", run_build },
	{ "diff", 2, "bundle directory", "diff OLD_DIR NEW_DIR", run_diff },
};

/* The command named cmd with its arguments in order, or NULL after saying
 * what is wrong. */
static const struct command *find_command(const char *cmd, int nargs,
					  char **args)
{
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		const struct command *c = &commands[i];

		if (strcmp(cmd, c->name) != 0)
			continue;
		if (nargs == c->nargs)
			return c;
		if (nargs < c->nargs)
			fprintf(stderr, "fabric-gen: %s: %s missing; usage: "
				"fabric-gen %s\n", cmd, c->what, c->usage);
		else
			fprintf(stderr, "fabric-gen: %s: unexpected argument "
				"'%s'; usage: fabric-gen %s\n", cmd,
				args[c->nargs], c->usage);
		return NULL;
	}
	fprintf(stderr, "fabric-gen: unknown command '%s'; the commands are "
		"check, show, build, diff (see fabric-gen --help)\n", cmd);
	return NULL;
}

int main(int argc, char **argv)
{
	struct opts o = { 0 };
	const struct command *c;
	char **args;

	if (parse_opts(argc, argv, &o) < 0 || optind >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	args = argv + optind + 1;
	c = find_command(argv[optind], argc - optind - 1, args);
	return c ? c->run(&o, args) : EXIT_USAGE;
}
