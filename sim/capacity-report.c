/* capacity-report: a planner's verdict on a fabric (non-blocking or not,
 * what ECMP collisions and single failures cost). A thin main over libsim;
 * see doc/capacity-report.md. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capacity.h"
#include "cdf.h"
#include "combo.h"
#include "fsutil.h"
#include "merge.h"
#include "nplusk.h"
#include "out.h"
#include "progress.h"
#include "report.h"
#include "shard.h"
#include "sweep.h"
#include "topo.h"
#include "traffic.h"
#include "xalloc.h"

#define EXIT_USAGE 2

static const char usage_text[] =
	"Usage: capacity-report [OPTIONS] TOPOLOGY\n"
	"       capacity-report --merge [--json] [--html FILE] SHARD.json...\n"
	"\n"
	"Flow-level simulation of a CLOS fabric: throughput per traffic pattern\n"
	"under ideal (spray) and hashed (ecmp) load balancing, the verdict\n"
	"'non-blocking: yes|no', and optionally N+1 failure cost and flow\n"
	"completion times under a dynamic workload.\n"
	"\n"
	"Traffic and routing:\n"
	"  -t, --traffic SPEC      pattern (repeatable; default permutation and\n"
	"                          rack-to-rack): permutation, stride:K,\n"
	"                          rack-to-rack, all-to-all:N, incast:K,\n"
	"                          file:PATH (CSV src,dst[,flows])\n"
	"  -m, --mode MODE         routing mode (repeatable; default all three):\n"
	"                          spray, ecmp, ecmp-unsalted\n"
	"      --flows-per-pair N  flows between each pair (default 1)\n"
	"  -s, --seed N            seed of the traffic, the flows' source ports\n"
	"                          (hence their ECMP hashes), random failures\n"
	"                          and dynamic arrivals (default 1)\n"
	"      --no-verdict        skip the non-blocking checks\n"
	"\n"
	"Failures:\n"
	"      --fail SPEC         node:NAME, link:NODE:PORT, random:TIER:K\n"
	"                          (repeatable)\n"
	"      --n-plus-one        for every tier, the throughput lost when its\n"
	"                          worst single switch fails (first pattern)\n"
	"      --n-plus-one-mode MODE  modes for the N+1 and N+k sweeps\n"
	"                          (repeatable; default ecmp)\n"
	"      --n-plus-k K        every K switches failing together (K <= 4),\n"
	"                          within each tier; worst set per tier\n"
	"      --n-plus-k-scope S  tier (default) or all: sets across tiers too\n"
	"      --sample N          only N scenarios of the N+k sweep, drawn\n"
	"                          with the seed\n"
	"      --shard I/N|auto    run only shard I of N of the sweeps; auto:\n"
	"                          from SLURM_ARRAY_TASK_ID/_MIN/_MAX (or\n"
	"                          _COUNT), or JOB_COMPLETION_INDEX with --shards\n"
	"      --shards N          shard count for --shard auto outside Slurm\n"
	"      --sweep SPEC        what-if runs over the product of the values,\n"
	"                          e.g. seeds=1-20,load=0.3:0.9:0.2,\n"
	"                          traffic=permutation|rack-to-rack; min/median/\n"
	"                          max per figure\n"
	"      --merge             merge the --json reports of shards 1..N into\n"
	"                          one report (arguments are those files)\n"
	"  -j, --jobs N            threads for the N+1 and N+k sweeps\n"
	"                          (default: CPUs)\n"
	"\n"
	"Dynamic workload:\n"
	"      --dynamic           Poisson arrivals; FCT slowdown per size bucket\n"
	"      --load X[,Y...]     offered load, fraction of server capacity\n"
	"                          (default 0.5); several: one run per load\n"
	"                          on the same seed (a load sweep)\n"
	"      --sizes NAME        websearch (default), datamining, or a CDF file\n"
	"                          of 'BYTES PROBABILITY' lines\n"
	"      --dyn-flows N       flows to simulate (default 5000)\n"
	"      --dyn-mode MODE     routing mode of the dynamic run (default ecmp)\n"
	"      --warmup F          drop flows arriving in the first F of the\n"
	"                          arrivals' span from the figures (default 0.1)\n"
	"      --dyn-until N       measure N flows after the warm-up, arrivals\n"
	"                          going on until they have all finished\n"
	"      --dyn-flows-out FILE  one JSON object per dynamic flow\n"
	"      --dyn-engine NAME   incremental (default) or full (re-solve every\n"
	"                          flow at every event; the reference)\n"
	"      --dyn-check         compare with a full re-solve at every event\n"
	"                          (slow; a debugging aid)\n"
	"\n"
	"Output:\n"
	"      --json              the report as JSON on stdout instead of text\n"
	"      --html FILE         also write a self-contained HTML report\n"
	"      --links-out FILE    one JSON object per directed link\n"
	"      --flows-out FILE    one JSON object per flow (first pattern, first\n"
	"                          single-path mode)\n"
	"  -q, --quiet             no progress bar\n"
	"  -h, --help              show this help\n"
	"  -V, --version           show the version\n"
	"\n"
	"Exit status: 0 success, 1 failure (invalid topology, I/O error),\n"
	"2 usage error.\n";

struct main_opts {
	struct capacity_opts c;
	bool json, quiet, user_patterns, user_modes, user_np1_modes, merge;
	const char *html, *links_out, *flows_out, *dyn_flows_out, *topology;
	struct nplusk_opts npk;	/* npk.k == 0: no N+k sweep */
	bool shard_auto;
	bool sharded;		/* --shard given: the report says which shard */
	const char *sweep;	/* --sweep SPEC, parsed into sw */
	struct sweep_spec sw;
	uint32_t shards;	/* --shards */
	char **files;		/* --merge: shard reports */
	size_t nfiles;
};

static int usage_error(const char *fmt, const char *arg)
{
	fputs("capacity-report: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\nTry 'capacity-report --help'.\n", stderr);
	return EXIT_USAGE;
}

static int fail(const struct ck_err *err)
{
	char buf[1600];

	ck_err_format(err, buf, sizeof(buf));
	fprintf(stderr, "capacity-report: %s\n", buf);
	return EXIT_FAILURE;
}

static int parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || v > max)
		return -1;
	*out = v;
	return 0;
}

static int add_list(const char **list, size_t *n, const char *s)
{
	if (*n >= CAPACITY_MAX_LIST)
		return -1;
	list[(*n)++] = s;
	return 0;
}

static int add_mode(const struct mode_ops **list, size_t *n, bool *user,
		    const char *s)
{
	const struct mode_ops *m = mode_find(s);

	if (m == NULL)
		return usage_error("unknown mode '%s'; use spray, ecmp or "
				   "ecmp-unsalted", s);
	if (!*user)
		*n = 0;
	*user = true;
	if (*n >= CAPACITY_MAX_LIST)
		return usage_error("too many modes (at %s)", s);
	list[(*n)++] = m;
	return 0;
}

enum {
	OPT_FPP = 256, OPT_NOVERDICT, OPT_FAIL, OPT_NP1, OPT_NP1MODE,
	OPT_SHARD, OPT_DYN, OPT_LOAD, OPT_SIZES, OPT_DYNFLOWS, OPT_DYNMODE,
	OPT_JSON, OPT_HTML, OPT_LINKS, OPT_FLOWS, OPT_MERGE, OPT_WARMUP,
	OPT_DYNUNTIL, OPT_DYNOUT, OPT_DYNENGINE, OPT_DYNCHECK,
};

/* The sweep options (N+k, what-if, shards from the scheduler). */
enum {
	OPT_NPK = 512, OPT_NPKSCOPE, OPT_SAMPLE, OPT_SHARDS, OPT_SWEEP,
};

#define MAX_JOBS 64

static const struct option longopts[] = {
	{ "traffic", required_argument, NULL, 't' },
	{ "mode", required_argument, NULL, 'm' },
	{ "flows-per-pair", required_argument, NULL, OPT_FPP },
	{ "seed", required_argument, NULL, 's' },
	{ "no-verdict", no_argument, NULL, OPT_NOVERDICT },
	{ "fail", required_argument, NULL, OPT_FAIL },
	{ "n-plus-one", no_argument, NULL, OPT_NP1 },
	{ "n-plus-one-mode", required_argument, NULL, OPT_NP1MODE },
	{ "shard", required_argument, NULL, OPT_SHARD },
	{ "merge", no_argument, NULL, OPT_MERGE },
	{ "n-plus-k", required_argument, NULL, OPT_NPK },
	{ "n-plus-k-scope", required_argument, NULL, OPT_NPKSCOPE },
	{ "sample", required_argument, NULL, OPT_SAMPLE },
	{ "shards", required_argument, NULL, OPT_SHARDS },
	{ "sweep", required_argument, NULL, OPT_SWEEP },
	{ "jobs", required_argument, NULL, 'j' },
	{ "dynamic", no_argument, NULL, OPT_DYN },
	{ "load", required_argument, NULL, OPT_LOAD },
	{ "sizes", required_argument, NULL, OPT_SIZES },
	{ "dyn-flows", required_argument, NULL, OPT_DYNFLOWS },
	{ "dyn-mode", required_argument, NULL, OPT_DYNMODE },
	{ "warmup", required_argument, NULL, OPT_WARMUP },
	{ "dyn-until", required_argument, NULL, OPT_DYNUNTIL },
	{ "dyn-flows-out", required_argument, NULL, OPT_DYNOUT },
	{ "dyn-engine", required_argument, NULL, OPT_DYNENGINE },
	{ "dyn-check", no_argument, NULL, OPT_DYNCHECK },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "html", required_argument, NULL, OPT_HTML },
	{ "links-out", required_argument, NULL, OPT_LINKS },
	{ "flows-out", required_argument, NULL, OPT_FLOWS },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static int parse_shard(struct main_opts *o, const char *s)
{
	struct capacity_opts *c = &o->c;
	unsigned i, n;
	char extra;

	o->sharded = true;
	if (strcmp(s, "auto") == 0) {
		o->shard_auto = true;
		return 0;
	}
	if (sscanf(s, "%u/%u%c", &i, &n, &extra) != 2 || n == 0 || i == 0 ||
	    i > n)
		return usage_error("--shard '%s': expected I/N with 1 <= I <= N, "
				   "or auto",
				   s);
	c->shard = i - 1;
	c->nshards = n;
	return 0;
}

static int parse_number(const char *opt, const char *s, uint64_t max,
			bool zero_ok, uint64_t *out)
{
	if (parse_u64(s, max, out) == 0 && (zero_ok || *out > 0))
		return 0;
	fprintf(stderr, "capacity-report: %s '%s': expected %s integer up to "
		"%llu\nTry 'capacity-report --help'.\n", opt, s,
		zero_ok ? "an" : "a positive", (unsigned long long)max);
	return EXIT_USAGE;
}

static int parse_real(const char *s, double *v)
{
	char *end;

	errno = 0;
	*v = strtod(s, &end);
	return errno || end == s || *end ? -1 : 0;
}

static int load_error(const char *s, const char *item)
{
	char msg[256];

	if (strcmp(s, item) == 0)
		snprintf(msg, sizeof(msg), "--load '%.100s': expected a number "
			 "in (0, 1] (or a list of them: 0.3,0.5,0.9)", s);
	else
		snprintf(msg, sizeof(msg), "--load '%.100s': '%.60s' is not a "
			 "number in (0, 1]", s, item);
	return usage_error("%s", msg);
}

/* --load X or X,Y,...: each in (0, 1]; the first is dyn.load. */
static int parse_load(struct capacity_opts *c, const char *s)
{
	char item[64];
	const char *p = s;
	size_t len;
	double v;

	for (c->nloads = 0;; p += len + 1) {
		len = strcspn(p, ",");
		snprintf(item, sizeof(item), "%.*s", (int)len, p);
		if (len >= sizeof(item) || parse_real(item, &v) < 0 ||
		    !(v > 0 && v <= 1))
			return load_error(s, item);
		if (c->nloads == CAPACITY_MAX_LIST)
			return usage_error("too many loads in --load (at "
					   "%s)", item);
		c->loads[c->nloads++] = v;
		if (p[len] == '\0')
			break;
	}
	c->dyn.load = c->loads[0];
	return 0;
}

static int parse_warmup(struct capacity_opts *c, const char *s)
{
	double v;

	if (parse_real(s, &v) < 0 || !(v >= 0 && v < 1))
		return usage_error("--warmup '%s': expected a fraction in [0, 1)",
				   s);
	c->dyn.warmup = v;
	return 0;
}

static int parse_engine(struct capacity_opts *c, const char *s)
{
	if (strcmp(s, "full") && strcmp(s, "incremental"))
		return usage_error("--dyn-engine '%s': expected incremental or "
				   "full", s);
	c->dyn.full = strcmp(s, "full") == 0;
	return 0;
}

static int list_opt(struct main_opts *o, int ch, const char *arg)
{
	struct capacity_opts *c = &o->c;

	if (ch == 't') {
		if (!o->user_patterns)
			c->npatterns = 0;
		o->user_patterns = true;
		if (add_list(c->patterns, &c->npatterns, arg) < 0)
			return usage_error("too many patterns (at %s)", arg);
		return 0;
	}
	if (ch == 'm')
		return add_mode(c->modes, &c->nmodes, &o->user_modes, arg);
	if (ch == OPT_NP1MODE)
		return add_mode(c->nplus1_modes, &c->nplus1_nmodes,
				&o->user_np1_modes, arg);
	if (add_list(c->fails, &c->nfails, arg) < 0)
		return usage_error("too many --fail (at %s)", arg);
	return 0;
}

static int number_opt(struct main_opts *o, int ch, const char *arg)
{
	struct capacity_opts *c = &o->c;
	uint64_t v;

	if (ch == 's') {
		if (parse_number("--seed", arg, UINT64_MAX, true, &v))
			return EXIT_USAGE;
		c->seed = v;
	} else if (ch == OPT_FPP) {
		if (parse_number("--flows-per-pair", arg, 10000, false,
				 &v))
			return EXIT_USAGE;
		c->per_pair = (uint32_t)v;
	} else if (ch == OPT_DYNFLOWS) {
		if (parse_number("--dyn-flows", arg, 100000000, false, &v))
			return EXIT_USAGE;
		c->dyn.nflows = (uint32_t)v;
	} else if (ch == OPT_DYNUNTIL) {
		if (parse_number("--dyn-until", arg, 100000000, false, &v))
			return EXIT_USAGE;
		c->dyn.until = (uint32_t)v;
	} else if (ch == 'j') {
		if (parse_number("--jobs", arg, MAX_JOBS, false, &v))
			return EXIT_USAGE;
		c->jobs = (uint32_t)v;
	} else if (ch == OPT_SHARD) {
		return parse_shard(o, arg);
	} else if (ch == OPT_LOAD) {
		return parse_load(c, arg);
	} else if (ch == OPT_WARMUP) {
		return parse_warmup(c, arg);
	}
	return 0;
}

static int sweep_opt(struct main_opts *o, int ch, const char *arg)
{
	uint64_t v;

	if (ch == OPT_SWEEP) {
		o->sweep = arg;
		return 0;
	}
	if (ch == OPT_NPKSCOPE) {
		if (strcmp(arg, "tier") && strcmp(arg, "all"))
			return usage_error("--n-plus-k-scope '%s': expected "
					   "tier or all", arg);
		o->npk.all_tiers = strcmp(arg, "all") == 0;
		return 0;
	}
	if (ch == OPT_NPK) {
		if (parse_number("--n-plus-k", arg, COMBO_MAX_K, false, &v))
			return EXIT_USAGE;
		o->npk.k = (uint32_t)v;
	} else if (ch == OPT_SAMPLE) {
		if (parse_number("--sample", arg, UINT32_MAX, false, &v))
			return EXIT_USAGE;
		o->npk.sample = v;
	} else if (ch == OPT_SHARDS) {
		if (parse_number("--shards", arg, UINT32_MAX, false, &v))
			return EXIT_USAGE;
		o->shards = (uint32_t)v;
	}
	return 0;
}

static int option(struct main_opts *o, int ch, const char *arg)
{
	if (ch >= OPT_NPK)
		return sweep_opt(o, ch, arg);
	switch (ch) {
	case 't': case 'm': case OPT_NP1MODE: case OPT_FAIL:
		return list_opt(o, ch, arg);
	case 's': case 'j': case OPT_FPP: case OPT_DYNFLOWS: case OPT_SHARD: case OPT_LOAD:
	case OPT_WARMUP: case OPT_DYNUNTIL:
		return number_opt(o, ch, arg);
	case OPT_DYNENGINE: return parse_engine(&o->c, arg);
	case OPT_DYNCHECK: o->c.dyn.check = true; return 0;
	case OPT_DYNOUT: o->dyn_flows_out = arg; return 0;
	case OPT_NOVERDICT: o->c.verdict = false; return 0;
	case OPT_NP1: o->c.nplus1 = true; return 0;
	case OPT_DYN: o->c.dynamic = true; return 0;
	case OPT_SIZES: o->c.dyn.sizes = arg; return 0;
	case OPT_DYNMODE:
		o->c.dyn.mode = mode_find(arg);
		return o->c.dyn.mode ? 0 : usage_error("unknown mode '%s'; use "
						       "spray, ecmp or ecmp-unsalted", arg);
	case OPT_JSON: o->json = true; return 0;
	case OPT_MERGE: o->merge = true; return 0;
	case OPT_HTML: o->html = arg; return 0;
	case OPT_LINKS: o->links_out = arg; return 0;
	case OPT_FLOWS: o->flows_out = arg; return 0;
	case 'q': o->quiet = true; return 0;
	case 'h': fputs(usage_text, stdout); exit(EXIT_SUCCESS);
	case 'V': puts("capacity-report " PACKAGE_VERSION); exit(EXIT_SUCCESS);
	default: return usage_error("%s", "invalid option");
	}
}

static const char *env(const char *name)
{
	return getenv(name);
}

/* --shard auto from the scheduler's variables; --shards alone is a
 * count without an index. */
static int resolve_shard(struct main_opts *o)
{
	struct ck_err err;

	if (!o->shard_auto)
		return o->shards ? usage_error("%s", "--shards N goes with "
			"--shard auto (the index comes from "
			"JOB_COMPLETION_INDEX)") : 0;
	if (shard_auto(env, o->shards, &o->c.shard, &o->c.nshards, &err) < 0)
		return usage_error("%s", err.msg);
	return 0;
}

static int parse_sweep(struct main_opts *o)
{
	struct ck_err err;
	size_t i;

	if (o->npk.k == 0 && (o->npk.sample || o->npk.all_tiers))
		return usage_error("%s", "--sample and --n-plus-k-scope go "
				   "with --n-plus-k K");
	if (o->sweep == NULL)
		return 0;
	if (sweep_parse(o->sweep, &o->sw, &err) < 0)
		return usage_error("%s", err.msg);
	if (o->c.nloads > 1)
		return usage_error("%s", "--sweep and a --load list: put the "
				   "loads in the sweep (--sweep load=A|B...)");
	if (o->sw.nloads && !o->c.dynamic)
		return usage_error("%s", "--sweep load=...: the load only "
				   "changes the dynamic workload; add --dynamic");
	for (i = 0; i < o->sw.ntraffic; i++) {
		struct traffic tr;

		if (traffic_parse(o->sw.traffic[i], &tr, &err) < 0)
			return usage_error("--sweep: %s", err.msg);
	}
	return 0;
}

static int parse_args(struct main_opts *o, int argc, char **argv)
{
	long ncpu;
	int ch, rc;
	size_t i;

	capacity_defaults(&o->c);
	ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	o->c.jobs = ncpu < 1 ? 1 : ncpu > MAX_JOBS ? MAX_JOBS : (uint32_t)ncpu;
	while ((ch = getopt_long(argc, argv, "t:m:s:j:qhV", longopts, NULL)) !=
	       -1)
		if ((rc = option(o, ch, optarg)) != 0)
			return rc;
	if (o->merge) {
		o->files = argv + optind;
		o->nfiles = (size_t)(argc - optind);
		return o->nfiles ? 0 : usage_error("%s", "--merge needs the "
						   "shards' JSON reports");
	}
	if (optind != argc - 1)
		return usage_error("%s", optind >= argc ? "missing TOPOLOGY file"
				   : "expected exactly one TOPOLOGY file");
	o->topology = argv[optind];
	if ((rc = resolve_shard(o)) != 0 || (rc = parse_sweep(o)) != 0)
		return rc;
	for (i = 0; i < o->c.npatterns; i++) {
		struct traffic tr;
		struct ck_err err;

		if (traffic_parse(o->c.patterns[i], &tr, &err) < 0)
			return usage_error("%s", err.msg);
	}
	if (o->dyn_flows_out && !o->c.dynamic)
		return usage_error("%s", "--dyn-flows-out needs --dynamic");
	if (o->dyn_flows_out && (o->c.nloads > 1 || o->sweep))
		return usage_error("%s", "--dyn-flows-out writes the flows of one "
				   "run; drop --sweep or the other loads");
	if (o->flows_out) {
		for (i = 0; i < o->c.nmodes; i++)
			if (!o->c.modes[i]->weighted)
				return 0;
		return usage_error("--flows-out needs a single-path mode "
				   "(%s); add --mode ecmp", "ecmp, ecmp-unsalted");
	}
	return 0;
}

/* Dump files (--links-out, --flows-out, --dyn-flows-out) are written
 * beside their path and put in place only when the whole run succeeded:
 * a refused or failed run leaves what was there before untouched. */
static char *part_name(const char *path)
{
	return xasprintf("%s.part-%ld", path, (long)getpid());
}

/* The scratch file beside path, or NULL when path is a device or FIFO
 * (/dev/null, a pipe): that is written in place, never renamed over. */
static char *scratch_of(const char *path)
{
	return fs_is_special(path) ? NULL : part_name(path);
}

static FILE *open_out(const char *path, struct ck_err *err)
{
	FILE *f;
	char *part;

	if (path == NULL)
		return NULL;
	if (strcmp(path, "-") == 0)
		return stdout;
	part = scratch_of(path);
	f = fopen(part ? part : path, "w");
	if (f == NULL)
		ck_err_set(err, path, 0, 0, "cannot write %s: %s; check that "
			   "its directory exists and is writable",
			   part ? "beside it" : "it", strerror(errno));
	free(part);
	return f;
}

/* ok: the run succeeded, so the file replaces path; else it is dropped. */
static int close_out(FILE *f, const char *path, bool ok, struct ck_err *err)
{
	char *part;
	int rc = 0;

	if (f == NULL || f == stdout)
		return 0;
	part = scratch_of(path);
	if (fclose(f) != 0 || (ok && part && rename(part, path) != 0)) {
		ck_err_set(err, path, 0, 0, "cannot write: %s", strerror(errno));
		rc = -1;
	}
	if (part && (!ok || rc < 0))
		unlink(part);
	free(part);
	return rc;
}

/* Render into memory, then replace the file atomically: a half-written
 * report never appears. */
static int write_html(const json_t *r, const char *path, struct ck_err *err)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	int rc;

	if (m == NULL) {
		ck_err_set(err, path, 0, 0, "out of memory");
		return -1;
	}
	rc = report_html(r, m, err);
	fclose(m);
	if (rc == 0)
		rc = fs_write_atomic(path, buf, len, err);
	free(buf);
	return rc;
}

static void npk_progress(void *arg, uint64_t done, uint64_t total)
{
	progress_update(arg, "n+k", done, total);
}

/* The sweeps after the report they extend; a shard says which it is. */
static int sweeps(struct main_opts *o, const struct topo *t, json_t *r,
		  struct ck_err *err)
{
	struct nplusk_opts *k = &o->npk;
	json_t *j;

	if (k->k) {
		k->modes = o->c.nplus1_modes;
		k->nmodes = o->c.nplus1_nmodes;
		k->seed = o->c.seed;
		k->shard = o->c.shard;
		k->nshards = o->c.nshards;
		k->jobs = o->c.jobs;
		k->progress = npk_progress;
		k->arg = o->c.progress_arg;
		j = nplusk_report(t, &o->c, k, err);
		if (j == NULL)
			return -1;
		if (json_is_null(j))
			json_array_append_new(json_object_get(r, "skipped"),
				json_pack("{s:s, s:s}", "what", "n+k", "why",
					  "no traffic pattern applies to this "
					  "fabric"));
		else
			json_object_set(r, "nPlusK", j);
		json_decref(j);
	}
	if (o->sweep) {
		j = sweep_run(t, &o->c, &o->sw, err);
		if (j == NULL)
			return -1;
		json_object_set_new(r, "sweep", j);
	}
	if (o->sharded)	/* 1 of 1 too: a one-task array job merges as well */
		json_object_set_new(r, "shard", json_pack("{s:I, s:I}", "index",
			(json_int_t)o->c.shard + 1, "count",
			(json_int_t)o->c.nshards));
	return 0;
}

static json_t *run(struct main_opts *o, const struct topo *t,
		   struct ck_err *err)
{
	struct progress pg;
	json_t *r = NULL;
	int rc;

	o->c.links_out = open_out(o->links_out, err);
	if (o->links_out && o->c.links_out == NULL)
		return NULL;
	o->c.flows_out = open_out(o->flows_out, err);
	o->c.dyn.flows_out = open_out(o->dyn_flows_out, err);
	if ((o->flows_out == NULL || o->c.flows_out) &&
	    (o->dyn_flows_out == NULL || o->c.dyn.flows_out)) {
		progress_init(&pg, !o->quiet);
		o->c.progress = progress_update;
		o->c.progress_arg = &pg;
		r = capacity_run(t, &o->c, err);
		if (r && sweeps(o, t, r, err) < 0) {
			json_decref(r);
			r = NULL;
		}
	}
	rc = close_out(o->c.links_out, o->links_out, r != NULL, err);
	if (close_out(o->c.dyn.flows_out, o->dyn_flows_out, r != NULL, err) < 0)
		rc = -1;
	if (close_out(o->c.flows_out, o->flows_out, r != NULL, err) < 0 ||
	    rc < 0) {
		json_decref(r);
		return NULL;
	}
	return r;
}

static json_t *merge(const struct main_opts *o, struct ck_err *err)
{
	json_t **r = xcalloc(o->nfiles, sizeof(json_t *)), *m = NULL;
	json_error_t je;
	size_t i, n = 0;

	for (n = 0; n < o->nfiles; n++) {
		r[n] = json_load_file(o->files[n], 0, &je);
		if (r[n] == NULL) {
			ck_err_set(err, o->files[n], je.line, je.column, "%s",
				   je.text);
			break;
		}
	}
	if (n == o->nfiles)
		m = merge_is_sharded(r, n) || n == 1 ?
			merge_shards(r, (const char *const *)o->files, n, err) :
			merge_reports(r, n, err);
	for (i = 0; i < n; i++)
		json_decref(r[i]);
	free(r);
	return m;
}

static int output(const struct main_opts *o, json_t *r, struct ck_err *err)
{
	struct out_view v = { r, NULL, report_text, NULL };
	int rc = out_write(out_format(o->json), &v, stdout, "report", err);

	if (rc == 0 && o->html)
		rc = write_html(r, o->html, err);
	return rc;
}

int main(int argc, char **argv)
{
	struct main_opts o;
	struct ck_err err;
	struct topo *t;
	json_t *r;
	int rc;

	memset(&o, 0, sizeof(o));
	if ((rc = parse_args(&o, argc, argv)) != 0) {
		sweep_spec_free(&o.sw);
		return rc;
	}
	if (o.merge) {
		r = merge(&o, &err);
		rc = r ? output(&o, r, &err) : -1;
		json_decref(r);
		return rc < 0 ? fail(&err) : EXIT_SUCCESS;
	}
	t = topo_load(o.topology, &err);
	if (t == NULL)
		return fail(&err);
	r = run(&o, t, &err);
	rc = r ? output(&o, r, &err) : -1;
	json_decref(r);
	sweep_spec_free(&o.sw);
	topo_free(t);
	return rc < 0 ? fail(&err) : EXIT_SUCCESS;
}
