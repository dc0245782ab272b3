/* Output formats of capacity-report, all rendered from the one JSON value
 * capacity_run() returns: text (the default summary) and json through the
 * common writer (out.h), html (one self-contained page with SVG charts)
 * for --html FILE. */
#ifndef CK_REPORT_H
#define CK_REPORT_H

#include <jansson.h>
#include <stdio.h>

#include "err.h"

/* The report as text: the out_view text renderer (arg unused). */
void report_text(const json_t *r, FILE *out, const void *arg);
/* The report as one HTML page; 0, or -1 on a write error. */
int report_html(const json_t *r, FILE *out, struct ck_err *err);

/* "100%" only for a fraction that really is 1 (up to rounding), else two
 * decimals that never round up to 100. */
const char *report_pct(double frac, char *buf, size_t len);
/* Number field of an object (0 when absent). */
double report_num(const json_t *o, const char *key);
const char *report_str(const json_t *o, const char *key);

#endif
