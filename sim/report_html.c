/* One self-contained HTML page (inline CSS and SVG, no scripts or fonts
 * fetched) with the charts a planner would rather look at than read. */
#include "report.h"
#include "report_sweep.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "dyn.h"
#include "out.h"

#define W 760		/* chart width, px */
#define LEFT 170	/* room for labels */
#define PLOT (W - LEFT - 110)	/* the 0..1 span; values print to its right */
#define ROW 18

static const char *const palette[] = { "#2b6cb0", "#dd6b20", "#718096",
				       "#38a169", "#805ad5", "#e53e3e" };
#define NCOLORS (sizeof(palette) / sizeof(*palette))

static void esc(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '<')
			fputs("&lt;", out);
		else if (*s == '>')
			fputs("&gt;", out);
		else if (*s == '&')
			fputs("&amp;", out);
		else if (*s == '"')
			fputs("&quot;", out);
		else
			fputc(*s, out);
	}
}

static void text(FILE *out, double x, double y, const char *anchor,
		 const char *s)
{
	fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">", x, y,
		anchor);
	esc(out, s);
	fputs("</text>\n", out);
}

static void legend(FILE *out, const json_t *modes, double y)
{
	const json_t *m;
	size_t i;

	json_array_foreach(modes, i, m) {
		double x = LEFT + (double)i * 140;

		fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" "
			"height=\"12\" fill=\"%s\"/>\n", x, y - 10,
			palette[i % NCOLORS]);
		text(out, x + 16, y, "start", json_string_value(m));
	}
}

/* Horizontal bars in [0, 1] of the plot width; label and value text. */
static void bar(FILE *out, double y, double frac, size_t color,
		const char *value)
{
	double w = PLOT * (frac < 0 ? 0 : frac > 1 ? 1 : frac);

	fprintf(out, "<rect x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" "
		"fill=\"%s\"><title>%s</title></rect>\n", LEFT, y, w, ROW - 4,
		palette[color % NCOLORS], value);
	text(out, LEFT + w + 4, y + ROW - 7, "start", value);
}

static void throughput(const json_t *r, FILE *out)
{
	const json_t *pats = json_object_get(r, "patterns"), *p, *m;
	size_t i, j, nm = json_array_size(json_object_get(r, "modes"));
	double h = (double)json_array_size(pats) * (double)(nm * ROW + 10) + 40;
	char pct[32];

	fputs("<h2>Throughput per pattern and mode</h2>\n<p>Aggregate rate as "
	      "a fraction of what the servers offer (spray is ideal load "
	      "balancing, ecmp one hashed path per flow).</p>\n", out);
	fprintf(out, "<svg width=\"%d\" height=\"%.0f\">\n", W, h);
	legend(out, json_object_get(r, "modes"), 14);
	json_array_foreach(pats, i, p) {
		double y = 30 + (double)i * (double)(nm * ROW + 10);

		text(out, LEFT - 8, y + (double)(nm * ROW) / 2 + 4, "end",
		     report_str(p, "pattern"));
		json_array_foreach(json_object_get(p, "modes"), j, m)
			bar(out, y + (double)(j * ROW), report_num(m,
			    "fraction"), j, report_pct(report_num(m,
			    "fraction"), pct, sizeof(pct)));
	}
	fputs("</svg>\n", out);
}

/* Per link class: whisker min..max, box p50..p90, tick at the mean. */
static void util_row(FILE *out, const json_t *c, double y)
{
	double span = PLOT;
	double x0 = LEFT + span * report_num(c, "min");
	double x1 = LEFT + span * report_num(c, "max");
	double b0 = LEFT + span * report_num(c, "p50");
	double b1 = LEFT + span * report_num(c, "p90");
	double mx = LEFT + span * report_num(c, "mean");
	char lbl[160];

	snprintf(lbl, sizeof(lbl), "%s (%.0f)", report_str(c, "links"),
		 report_num(c, "count"));
	text(out, LEFT - 8, y + 11, "end", lbl);
	fprintf(out, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
		"stroke=\"#4a5568\"/>\n<rect x=\"%.1f\" y=\"%.1f\" "
		"width=\"%.1f\" height=\"10\" fill=\"#90cdf4\" stroke=\"#2b6cb0\""
		"/>\n<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
		"stroke=\"#e53e3e\" stroke-width=\"2\"/>\n", x0, x1, y + 7, y + 7,
		b0, y + 2, b1 - b0 > 1 ? b1 - b0 : 1, mx, mx, y, y + 14);
	snprintf(lbl, sizeof(lbl), "%.0f saturated", report_num(c, "saturated"));
	text(out, LEFT + PLOT + 6, y + 11, "start", lbl);
}

static void utilisation(const json_t *r, FILE *out)
{
	const json_t *p = json_array_get(json_object_get(r, "patterns"), 0), *m;
	const json_t *c;
	size_t i, j;

	if (p == NULL)
		return;
	fputs("<h2>Link utilisation per tier</h2>\n<p>Pattern ", out);
	esc(out, report_str(p, "pattern"));
	fputs(": for each class of directed links, the line spans min to max, "
	      "the box median to 90th percentile, the red tick is the mean "
	      "(0 to 100%).</p>\n", out);
	json_array_foreach(json_object_get(p, "modes"), i, m) {
		const json_t *links = json_object_get(m, "links");

		fputs("<h3>", out);
		esc(out, report_str(m, "mode"));
		fprintf(out, "</h3>\n<svg width=\"%d\" height=\"%zu\">\n", W,
			json_array_size(links) * ROW + 10);
		json_array_foreach(links, j, c)
			util_row(out, c, 4 + (double)(j * ROW));
		fputs("</svg>\n", out);
	}
}

/* The largest loss of the sweep, for the failure chart's scale. */
static double max_lost(const json_t *n)
{
	const json_t *t, *m;
	double mx = 0;
	size_t i, j;

	json_array_foreach(json_object_get(n, "tiers"), i, t)
		json_array_foreach(json_object_get(t, "modes"), j, m)
			mx = fmax(mx, report_num(m, "lostFraction"));
	return mx;
}

static void failures(const json_t *r, FILE *out)
{
	const json_t *n = json_object_get(r, "nPlusOne"), *t, *m;
	size_t i, j, rows = 0;
	double scale;
	char lbl[160];

	if (n == NULL)
		return;
	scale = max_lost(n) > 0 ? 0.5 / max_lost(n) : 0;
	json_array_foreach(json_object_get(n, "tiers"), i, t)
		rows += json_array_size(json_object_get(t, "modes"));
	fputs("<h2>Failure impact (N+1)</h2>\n<p>Share of the offered load "
	      "lost when the worst single switch of each tier fails (the "
	      "longest bar is the largest loss).</p>\n", out);
	fprintf(out, "<svg width=\"%d\" height=\"%zu\">\n", W, rows * ROW + 10);
	rows = 0;
	json_array_foreach(json_object_get(n, "tiers"), i, t)
		json_array_foreach(json_object_get(t, "modes"), j, m) {
			double y = 4 + (double)(rows++ * ROW);

			snprintf(lbl, sizeof(lbl), "%s, %s", report_str(t,
				 "tier"), report_str(m, "mode"));
			text(out, LEFT - 8, y + 11, "end", lbl);
			snprintf(lbl, sizeof(lbl), "%.2f%% (%s)",
				 100 * report_num(m, "lostFraction"),
				 report_str(m, "worst"));
			bar(out, y, report_num(m, "lostFraction") * scale, j,
			    lbl);
		}
	fputs("</svg>\n", out);
}

/* Slowdown CDF, log-scaled x from 1 to the largest slowdown. */
static void fct(const json_t *r, FILE *out)
{
	const json_t *d = json_object_get(r, "dynamic"), *pt;
	const json_t *cdf = d ? json_object_get(d, "cdf") : NULL;
	double maxs = 1, span = PLOT;
	size_t i;
	char lbl[64];

	if (cdf == NULL || json_array_size(cdf) == 0)
		return;
	json_array_foreach(cdf, i, pt)
		if (json_real_value(json_array_get(pt, 0)) > maxs)
			maxs = json_real_value(json_array_get(pt, 0));
	fputs("<h2>Flow completion time slowdown (CDF)</h2>\n<p>FCT over the "
	      "FCT alone on an idle fabric; x is logarithmic.</p>\n", out);
	fprintf(out, "<svg width=\"%d\" height=\"240\">\n<polyline "
		"fill=\"none\" stroke=\"#2b6cb0\" stroke-width=\"2\" points=\"",
		W);
	json_array_foreach(cdf, i, pt) {
		double s = json_real_value(json_array_get(pt, 0));
		double x = LEFT + span * (maxs > 1 ? log(s < 1 ? 1 : s) /
							     log(maxs) : 0);

		fprintf(out, "%.1f,%.1f ", x,
			210 - 200 * json_real_value(json_array_get(pt, 1)));
	}
	fprintf(out, "\"/>\n<line x1=\"%d\" x2=\"%d\" y1=\"210\" y2=\"210\" "
		"stroke=\"#4a5568\"/>\n", LEFT, LEFT + PLOT);
	text(out, LEFT, 228, "middle", "1");
	snprintf(lbl, sizeof(lbl), "%.1f", maxs);
	text(out, LEFT + PLOT, 228, "middle", lbl);
	text(out, LEFT - 8, 14, "end", "100%");
	text(out, LEFT - 8, 210, "end", "0%");
	fputs("</svg>\n", out);
}

/* The load sweep's chart (--load A,B,...): p99 slowdown against load,
 * one line per size bucket; x is load from 0 to 100 %, y linear from 1
 * to the largest p99. A point resting on too few flows is hollow. */
#define SW_TOP 30.0	/* y of the largest p99 */
#define SW_BOT 230.0	/* y of slowdown 1, the x axis */

static double sweep_y(double p99, double maxp)
{
	return SW_BOT - (SW_BOT - SW_TOP) * (p99 - 1) / (maxp - 1);
}

static double sweep_max(const json_t *sw)
{
	const json_t *d, *b;
	double maxp = 2;
	size_t i, j;

	json_array_foreach(sw, i, d)
		json_array_foreach(json_object_get(d, "buckets"), j, b)
			if (report_num(b, "p99") > maxp)
				maxp = report_num(b, "p99");
	return maxp;
}

static void sweep_line(FILE *out, const json_t *sw, size_t k, double maxp)
{
	const char *color = palette[k % NCOLORS];
	const json_t *d, *b;
	size_t i;

	fprintf(out, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" "
		"points=\"", color);
	json_array_foreach(sw, i, d)
		if (json_is_number(json_object_get(b = json_array_get(
			json_object_get(d, "buckets"), k), "p99")))
			fprintf(out, "%.1f,%.1f ", LEFT + PLOT * report_num(d,
				"load"), sweep_y(report_num(b, "p99"), maxp));
	fputs("\"/>\n", out);
	json_array_foreach(sw, i, d) {
		b = json_array_get(json_object_get(d, "buckets"), k);
		if (!json_is_number(json_object_get(b, "p99")))
			continue;
		fprintf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" "
			"stroke=\"%s\" fill=\"%s\"><title>%s, load %.2f: p99 "
			"%.2f over %.0f flows</title></circle>\n", LEFT + PLOT *
			report_num(d, "load"), sweep_y(report_num(b, "p99"),
			maxp), color, json_is_true(json_object_get(b,
			"p99FewFlows")) ? "white" : color, report_str(b,
			"bucket"), report_num(d, "load"), report_num(b, "p99"),
			report_num(b, "flows"));
	}
}

static void sweep_axes(FILE *out, double maxp)
{
	char lbl[32];
	int i;

	fprintf(out, "<line x1=\"%d\" x2=\"%d\" y1=\"%.0f\" y2=\"%.0f\" "
		"stroke=\"#4a5568\"/>\n<line x1=\"%d\" x2=\"%d\" y1=\"%.0f\" "
		"y2=\"%.0f\" stroke=\"#4a5568\"/>\n", LEFT, LEFT + PLOT, SW_BOT,
		SW_BOT, LEFT, LEFT, SW_TOP, SW_BOT);
	for (i = 0; i <= 4; i++) {
		snprintf(lbl, sizeof(lbl), "%d%%", i * 25);
		text(out, LEFT + PLOT * i / 4.0, SW_BOT + 16, "middle", lbl);
		snprintf(lbl, sizeof(lbl), "%.1f", 1 + (maxp - 1) * i / 4.0);
		text(out, LEFT - 8, sweep_y(1 + (maxp - 1) * i / 4.0, maxp) + 4,
		     "end", lbl);
	}
	text(out, LEFT + PLOT / 2.0, SW_BOT + 34, "middle",
	     "offered load (% of server capacity)");
	fprintf(out, "<text x=\"%d\" y=\"%.0f\" text-anchor=\"middle\" "
		"transform=\"rotate(-90 %d %.0f)\">p99 FCT slowdown (&#215; "
		"idle-fabric FCT)</text>\n", LEFT - 60, (SW_TOP + SW_BOT) / 2,
		LEFT - 60, (SW_TOP + SW_BOT) / 2);
}

static void load_sweep(const json_t *r, FILE *out)
{
	const json_t *sw = json_object_get(r, "dynamicSweep"), *b;
	const json_t *bk = json_object_get(json_array_get(sw, 0), "buckets");
	json_t *names = json_array();
	double maxp = sweep_max(sw);
	size_t k;

	if (json_array_size(sw) == 0) {
		json_decref(names);
		return;
	}
	fprintf(out, "<h2>p99 FCT slowdown against load</h2>\n<p>One line per "
		"flow-size bucket, the same seed at every load. A hollow point "
		"rests on fewer than %d flows.</p>\n<svg width=\"%d\" "
		"height=\"290\">\n", DYN_MIN_P99_FLOWS, W);
	sweep_axes(out, maxp);
	json_array_foreach(bk, k, b) {
		json_array_append_new(names, json_string(report_str(b,
								 "bucket")));
		sweep_line(out, sw, k, maxp);
	}
	legend(out, names, 284);
	json_decref(names);
	fputs("</svg>\n", out);
}

/* What does not apply to this fabric, as the text report lists it. */
static void skipped(const json_t *r, FILE *out)
{
	const json_t *o;
	size_t i;

	json_array_foreach(json_object_get(r, "skipped"), i, o) {
		fputs(i ? "<li>" : "<p>Skipped (does not apply to this "
		      "fabric):</p>\n<ul><li>", out);
		esc(out, report_str(o, "what"));
		fputs(": ", out);
		esc(out, report_str(o, "why"));
		fputs("</li>\n", out);
	}
	if (json_array_size(json_object_get(r, "skipped")))
		fputs("</ul>\n", out);
}

static void summary(const json_t *r, FILE *out)
{
	const json_t *v = json_object_get(r, "verdict");

	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	      "<title>capacity-report: ", out);
	esc(out, report_str(r, "fabric"));
	fputs("</title>\n<style>body{font-family:sans-serif;max-width:800px;"
	      "margin:2em auto;color:#1a202c}svg text{font-size:12px;"
	      "font-family:sans-serif}.yes{color:#276749}.no{color:#c53030}"
	      "</style></head><body>\n<h1>", out);
	esc(out, report_str(r, "fabric"));
	fprintf(out, "</h1>\n<p>%.0f servers, %.0f switches, seed %.0f.</p>\n",
		report_num(r, "servers"), report_num(r, "switches"),
		report_num(r, "seed"));
	if (v) {
		bool yes = json_is_true(json_object_get(v, "nonBlocking"));

		fprintf(out, "<p class=\"%s\"><b>non-blocking: %s</b> (",
			yes ? "yes" : "no", yes ? "yes" : "no");
		esc(out, report_str(v, "reason"));
		fputs(")</p>\n", out);
	}
	skipped(r, out);
}

int report_html(const json_t *r, FILE *out, struct ck_err *err)
{
	summary(r, out);
	throughput(r, out);
	utilisation(r, out);
	failures(r, out);
	report_sweep_html(r, out, esc);
	fct(r, out);
	load_sweep(r, out);
	fputs("</body></html>\n", out);
	return out_finish(out, "report", err);
}
