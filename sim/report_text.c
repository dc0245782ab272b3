/* The text summary: what a planner reads first. */
#include "report.h"
#include "report_sweep.h"

#include <stdbool.h>
#include <string.h>

#include "dyn.h"

static void header(const json_t *r, FILE *out)
{
	const json_t *m, *f;
	size_t i;

	fprintf(out, "%s (%s): %.0f servers, %.0f switches, %.0f cables\n",
		report_str(r, "fabric"), report_str(r, "topology"),
		report_num(r, "servers"), report_num(r, "switches"),
		report_num(r, "links"));
	fprintf(out, "seed %.0f, %.0f flow(s) per pair, modes:",
		report_num(r, "seed"), report_num(r, "flowsPerPair"));
	json_array_foreach(json_object_get(r, "modes"), i, m)
		fprintf(out, " %s", json_string_value(m));
	fputc('\n', out);
	json_array_foreach(json_object_get(r, "failures"), i, f)
		fprintf(out, "%s %s %s\n", i ? "       " : "failed:",
			report_str(f, "kind"), report_str(f, "name"));
}

static void tiers(const json_t *r, FILE *out)
{
	const json_t *t;
	size_t i;

	fprintf(out, "\n%-12s %8s %12s %12s  %s\n", "tier", "switches",
		"down Gb/s", "up Gb/s", "down:up");
	json_array_foreach(json_object_get(r, "tiers"), i, t) {
		fprintf(out, "%-12s %8.0f %12.0f %12.0f  ", report_str(t, "name"),
			report_num(t, "switches"), report_num(t, "downGbps"),
			report_num(t, "upGbps"));
		if (json_is_true(json_object_get(t, "top")))
			fprintf(out, "top (reaches every server)\n");
		else if (json_is_number(json_object_get(t, "oversubscription")))
			fprintf(out, "%.2f:1\n",
				report_num(t, "oversubscription"));
		else
			fprintf(out, "-\n");
	}
}

static void patterns(const json_t *r, FILE *out)
{
	const json_t *p, *m;
	size_t i, j;
	char pct[32];

	fprintf(out, "\n%-20s %9s", "fraction of ideal", "flows");
	json_array_foreach(json_object_get(r, "modes"), i, m)
		fprintf(out, " %14s", json_string_value(m));
	fputc('\n', out);
	json_array_foreach(json_object_get(r, "patterns"), i, p) {
		fprintf(out, "%-20s %9.0f", report_str(p, "pattern"),
			report_num(p, "flows"));
		json_array_foreach(json_object_get(p, "modes"), j, m)
			fprintf(out, " %14s", report_pct(report_num(m,
				"fraction"), pct, sizeof(pct)));
		fputc('\n', out);
	}
}

static void verdict(const json_t *r, FILE *out)
{
	const json_t *v = json_object_get(r, "verdict"), *b, *c;
	size_t i;
	char pct[32];

	b = json_object_get(r, "bisection");
	if (b)
		fprintf(out, "\nbisection (spray, %s): %.0f of %.0f Gb/s each "
			"way (%s)\n", report_str(b, "pattern"),
			report_num(b, "gbps"), report_num(b, "offeredGbps"),
			report_pct(report_num(b, "fraction"), pct, sizeof(pct)));
	if (v == NULL)
		return;
	fprintf(out, "\nnon-blocking: %s (%s)\n",
		json_is_true(json_object_get(v, "nonBlocking")) ? "yes" : "no",
		report_str(v, "reason"));
	json_array_foreach(json_object_get(v, "checks"), i, c)
		fprintf(out, "  %-16s %8s  %s\n", report_str(c, "pattern"),
			report_pct(report_num(c, "fraction"), pct, sizeof(pct)),
			report_str(c, "why"));
}

static void skipped(const json_t *r, FILE *out)
{
	const json_t *o;
	size_t i;

	json_array_foreach(json_object_get(r, "skipped"), i, o)
		fprintf(out, "%s%-24s %s\n", i ? "  " : "\nskipped (does not "
			"apply to this fabric):\n  ", report_str(o, "what"),
			report_str(o, "why"));
}

static void nplus1(const json_t *r, FILE *out)
{
	const json_t *n = json_object_get(r, "nPlusOne"), *t, *m;
	size_t i, j;
	char pct[32];

	if (n == NULL)
		return;
	if (report_num(n, "shard") > 0)
		fprintf(out, "\nN+1 (%s; worst single switch per tier; shard "
			"%.0f/%.0f)\n", report_str(n, "pattern"),
			report_num(n, "shard"), report_num(n, "shards"));
	else	/* merged */
		fprintf(out, "\nN+1 (%s; worst single switch per tier; %.0f "
			"shards merged)\n", report_str(n, "pattern"),
			report_num(n, "shards"));
	fprintf(out, "%-12s %6s %-14s %-28s %9s %10s\n", "tier", "tried",
		"mode", "worst switch", "fraction", "lost Gb/s");
	json_array_foreach(json_object_get(n, "baseline"), i, m)
		fprintf(out, "%-12s %6s %-14s %-28s %9s %10s\n", "(none)", "-",
			report_str(m, "mode"), "-", report_pct(report_num(m,
			"fraction"), pct, sizeof(pct)), "0");
	json_array_foreach(json_object_get(n, "tiers"), i, t)
		json_array_foreach(json_object_get(t, "modes"), j, m) {
			if (report_num(t, "tried") == 0)
				continue;
			fprintf(out, "%-12s %6.0f %-14s %-28s %9s %10.1f\n",
				report_str(t, "tier"), report_num(t, "tried"),
				report_str(m, "mode"), report_str(m, "worst"),
				report_pct(report_num(m, "fraction"), pct,
					   sizeof(pct)),
				report_num(m, "lostGbps"));
		}
}

/* One bucket's row after PREFIX; true when its p99 rests on too few
 * flows (marked '*'). */
static bool bucket_row(FILE *out, const char *prefix, const json_t *b)
{
	bool few = json_is_true(json_object_get(b, "p99FewFlows"));

	fprintf(out, "%s%-8s %8.0f %10.2f %10.2f%s %10.2f\n", prefix,
		report_str(b, "bucket"), report_num(b, "flows"),
		report_num(b, "p50"), report_num(b, "p99"), few ? "*" : " ",
		report_num(b, "mean"));
	return few;
}

static void few_note(bool few, FILE *out)
{
	if (few)
		fprintf(out, "* p99 rests on fewer than %d flows; raise "
			"--dyn-flows or use --dyn-until\n", DYN_MIN_P99_FLOWS);
}

static void dynamic(const json_t *r, FILE *out)
{
	const json_t *d = json_object_get(r, "dynamic"), *b;
	bool few = false;
	size_t i;

	if (d == NULL)
		return;
	fprintf(out, "\ndynamic (%s sizes, load %.2f, %s, %.0f flows, %.0f "
		"unroutable): FCT slowdown\n%-8s %8s %10s %10s  %10s\n",
		report_str(d, "sizes"), report_num(d, "load"),
		report_str(d, "mode"), report_num(d, "flows"),
		report_num(d, "unroutable"), "bucket", "flows", "p50", "p99",
		"mean");
	json_array_foreach(json_object_get(d, "buckets"), i, b)
		few |= bucket_row(out, "", b);
	few_note(few, out);
	fprintf(out, "figures rest on the %.0f flows arriving after the "
		"warm-up (%.0f dropped, %.3g s)\n", report_num(d,
		"measuredFlows"), report_num(d, "warmupFlows"),
		report_num(d, "warmupSeconds"));
	if (json_object_get(d, "note"))
		fprintf(out, "note: %s\n", report_str(d, "note"));
}

/* --load A,B,...: a table per load, the same seed and flows count. */
static void dynamic_sweep(const json_t *r, FILE *out)
{
	const json_t *sw = json_object_get(r, "dynamicSweep"), *d, *b;
	bool few = false;
	size_t i, j;
	char prefix[32];

	if (json_array_size(sw) == 0)
		return;
	d = json_array_get(sw, 0);
	fprintf(out, "\ndynamic load sweep (%s sizes, %s, seed %.0f): FCT "
		"slowdown per load\n%-6s %-8s %8s %10s %10s  %10s\n",
		report_str(d, "sizes"), report_str(d, "mode"),
		report_num(r, "seed"), "load", "bucket", "flows", "p50",
		"p99", "mean");
	json_array_foreach(sw, i, d) {
		snprintf(prefix, sizeof(prefix), "%-6.2f ",
			 report_num(d, "load"));
		json_array_foreach(json_object_get(d, "buckets"), j, b)
			few |= bucket_row(out, prefix, b);
		if (json_object_get(d, "note"))
			fprintf(out, "note (load %.2f): %s\n",
				report_num(d, "load"), report_str(d, "note"));
	}
	few_note(few, out);
}

void report_text(const json_t *r, FILE *out, const void *arg)
{
	(void)arg;
	header(r, out);
	tiers(r, out);
	patterns(r, out);
	verdict(r, out);
	nplus1(r, out);
	report_sweep_text(r, out);
	dynamic(r, out);
	dynamic_sweep(r, out);
	skipped(r, out);
}
