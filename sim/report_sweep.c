#include "report_sweep.h"

#include <string.h>

#include "report.h"

/* "a+b" of a JSON array of names into buf. */
static const char *names(const json_t *a, char *buf, size_t len)
{
	const json_t *v;
	size_t i;

	buf[0] = '\0';
	json_array_foreach(a, i, v) {
		if (i > 0)
			strncat(buf, "+", len - strlen(buf) - 1);
		strncat(buf, json_string_value(v) ? json_string_value(v) : "?",
			len - strlen(buf) - 1);
	}
	return buf[0] ? buf : "-";
}

typedef void (*row_fn)(const json_t *t, const json_t *m, FILE *out,
		       void *ctx);

/* One row per tier and mode of the N+k section. */
static void rows(const json_t *n, row_fn row, FILE *out, void *ctx)
{
	const json_t *t, *m;
	size_t i, j;

	json_array_foreach(json_object_get(n, "tiers"), i, t)
		json_array_foreach(json_object_get(t, "modes"), j, m)
			row(t, m, out, ctx);
}

static const char *fraction(const json_t *m, char *buf, size_t len)
{
	if (json_object_get(m, "fraction") == NULL)
		return "-";
	return report_pct(report_num(m, "fraction"), buf, len);
}

static void text_row(const json_t *t, const json_t *m, FILE *out,
		     void *ctx)
{
	char pct[32], buf[512];

	(void)ctx;
	fprintf(out, "%-12s %9.0f %8.0f %8.0f %-8s %-34s %9s %10.1f\n",
		report_str(t, "tier"), report_num(t, "scenarios"),
		report_num(t, "tried"), report_num(t, "isolating"),
		report_str(m, "mode"), names(json_object_get(m, "worst"), buf,
					     sizeof(buf)),
		fraction(m, pct, sizeof(pct)), report_num(m, "lostGbps"));
}

static void nplusk_text(const json_t *r, FILE *out)
{
	const json_t *n = json_object_get(r, "nPlusK");

	if (n == NULL)
		return;
	fprintf(out, "\nN+%.0f (%s; worst %.0f switches failing together, "
		"%s; %.0f scenarios%s)\n", report_num(n, "k"),
		report_str(n, "pattern"), report_num(n, "k"),
		strcmp(report_str(n, "scope"), "all") ? "within each tier"
						       : "across tiers",
		report_num(n, "scenarios"),
		json_is_integer(json_object_get(n, "sample")) ? ", sampled" : "");
	fprintf(out, "%-12s %9s %8s %8s %-8s %-34s %9s %10s\n", "tier",
		"scenarios", "tried", "isolate", "mode", "worst set",
		"fraction", "lost Gb/s");
	rows(n, text_row, out, NULL);
	fputs("(isolate: scenarios that cut a server off, e.g. both ToRs "
	      "of its rack)\n", out);
}

static void sweep_text(const json_t *r, FILE *out)
{
	const json_t *s = json_object_get(r, "sweep"), *f;
	size_t i;

	if (s == NULL)
		return;
	fprintf(out, "\nwhat-if sweep (%s; %.0f runs of %.0f): spread per "
		"figure\n%-36s %5s %10s %10s %10s\n", report_str(s, "spec"),
		(double)json_array_size(json_object_get(s, "runs")),
		report_num(s, "points"), "figure", "runs", "min", "median",
		"max");
	json_array_foreach(json_object_get(s, "figures"), i, f)
		fprintf(out, "%-36s %5.0f %10.4f %10.4f %10.4f\n",
			report_str(f, "figure"), report_num(f, "runs"),
			report_num(f, "min"), report_num(f, "median"),
			report_num(f, "max"));
}

void report_sweep_text(const json_t *r, FILE *out)
{
	nplusk_text(r, out);
	sweep_text(r, out);
}

typedef void (*esc_fn)(FILE *out, const char *s);

static void html_row(const json_t *t, const json_t *m, FILE *out, void *ctx)
{
	esc_fn esc = *(esc_fn *)ctx;
	char pct[32], buf[512];

	fputs("<tr><td>", out);
	esc(out, report_str(t, "tier"));
	fprintf(out, "</td><td>%.0f</td><td>%.0f</td><td>",
		report_num(t, "tried"), report_num(t, "isolating"));
	esc(out, report_str(m, "mode"));
	fputs("</td><td>", out);
	esc(out, names(json_object_get(m, "worst"), buf, sizeof(buf)));
	fprintf(out, "</td><td>%s</td><td>%.1f</td></tr>\n",
		fraction(m, pct, sizeof(pct)), report_num(m, "lostGbps"));
}

static void nplusk_html(const json_t *r, FILE *out, esc_fn esc)
{
	const json_t *n = json_object_get(r, "nPlusK");

	if (n == NULL)
		return;
	fprintf(out, "<h2>N+%.0f: worst %.0f switches failing together</h2>\n"
		"<p>%.0f scenarios%s, pattern ", report_num(n, "k"),
		report_num(n, "k"), report_num(n, "scenarios"),
		json_is_integer(json_object_get(n, "sample")) ? " (sampled)"
							      : "");
	esc(out, report_str(n, "pattern"));
	fputs(". <i>Isolating</i>: scenarios that cut a server off (both "
	      "ToRs of its rack).</p>\n<table>\n<tr><th>tier</th><th>"
	      "scenarios</th><th>isolating</th><th>mode</th><th>worst set"
	      "</th><th>fraction</th><th>lost Gb/s</th></tr>\n", out);
	rows(n, html_row, out, &esc);
	fputs("</table>\n", out);
}

/* A fraction's spread as a bar: min..max, a tick at the median. */
static void range_svg(const json_t *f, FILE *out)
{
	double lo = report_num(f, "min"), md = report_num(f, "median");
	double hi = report_num(f, "max");

	if (lo < 0 || hi > 1)
		return;
	fprintf(out, "<svg width=\"204\" height=\"14\"><rect x=\"2\" "
		"y=\"5\" width=\"200\" height=\"4\" fill=\"#e2e8f0\"/>"
		"<rect x=\"%.1f\" y=\"2\" width=\"%.1f\" height=\"10\" "
		"fill=\"#2b6cb0\"/><rect x=\"%.1f\" y=\"0\" width=\"2\" "
		"height=\"14\" fill=\"#dd6b20\"/></svg>", 2 + 200 * lo,
		200 * (hi - lo) > 1 ? 200 * (hi - lo) : 1, 1 + 200 * md);
}

static void sweep_html(const json_t *r, FILE *out, esc_fn esc)
{
	const json_t *s = json_object_get(r, "sweep"), *f;
	size_t i;

	if (s == NULL)
		return;
	fputs("<h2>What-if sweep: spread per figure</h2>\n<p>", out);
	esc(out, report_str(s, "spec"));
	fprintf(out, ": %.0f runs. Bars span min to max over 0..1, the tick "
		"is the median.</p>\n<table>\n<tr><th>figure</th><th>runs"
		"</th><th>min</th><th>median</th><th>max</th><th></th></tr>\n",
		(double)json_array_size(json_object_get(s, "runs")));
	json_array_foreach(json_object_get(s, "figures"), i, f) {
		fputs("<tr><td>", out);
		esc(out, report_str(f, "figure"));
		fprintf(out, "</td><td>%.0f</td><td>%.4f</td><td>%.4f</td>"
			"<td>%.4f</td><td>", report_num(f, "runs"),
			report_num(f, "min"), report_num(f, "median"),
			report_num(f, "max"));
		range_svg(f, out);
		fputs("</td></tr>\n", out);
	}
	fputs("</table>\n", out);
}

void report_sweep_html(const json_t *r, FILE *out,
		       void (*esc)(FILE *out, const char *s))
{
	nplusk_html(r, out, esc);
	sweep_html(r, out, esc);
}
