/* Output formats of capacity-report, all rendered from the one JSON value
 * capacity_run() returns: text (the default summary), json, html (one
 * self-contained page with SVG charts). */
#ifndef CK_REPORT_H
#define CK_REPORT_H

#include <jansson.h>
#include <stdio.h>

#include "err.h"

struct report_ops {
	const char *name;
	int (*write)(const json_t *r, FILE *out, struct ck_err *err);
};

extern const struct report_ops report_text, report_json, report_html;

/* "100%" only for a fraction that really is 1 (up to rounding), else two
 * decimals that never round up to 100. */
const char *report_pct(double frac, char *buf, size_t len);
/* Number field of an object (0 when absent). */
double report_num(const json_t *o, const char *key);
const char *report_str(const json_t *o, const char *key);
/* Finish a write: flush and report an I/O error. */
int report_finish(FILE *out, struct ck_err *err);

#endif
