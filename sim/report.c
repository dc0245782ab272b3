#include "report.h"

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
