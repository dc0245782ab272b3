#include "report.h"

#include <errno.h>
#include <string.h>

const char *report_pct(double frac, char *buf, size_t len)
{
	double p = frac * 100;

	if (frac >= 1.0 - 1e-9)
		snprintf(buf, len, "100%%");
	else
		snprintf(buf, len, "%.2f%%", p > 99.99 ? 99.99 : p);
	return buf;
}

double report_num(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	return json_is_number(v) ? json_number_value(v) : 0;
}

const char *report_str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

int report_finish(FILE *out, struct ck_err *err)
{
	if (fflush(out) == 0 && !ferror(out))
		return 0;
	ck_err_set(err, NULL, 0, 0, "writing the report: %s", strerror(errno));
	return -1;
}

static int write_json(const json_t *r, FILE *out, struct ck_err *err)
{
	if (json_dumpf(r, out, JSON_INDENT(2)) < 0 || fputc('\n', out) < 0) {
		ck_err_set(err, NULL, 0, 0, "writing the JSON report failed");
		return -1;
	}
	return report_finish(out, err);
}

const struct report_ops report_json = { "json", write_json };
