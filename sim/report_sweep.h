/* The sweep sections of the text and HTML reports: N+k (worst set per
 * tier, how many sets isolate a server) and what-if spreads (min /
 * median / max per figure). Each writes nothing when its key is absent. */
#ifndef CK_REPORT_SWEEP_H
#define CK_REPORT_SWEEP_H

#include <jansson.h>
#include <stdio.h>

void report_sweep_text(const json_t *r, FILE *out);
/* esc: the page's HTML escaper. */
void report_sweep_html(const json_t *r, FILE *out,
		       void (*esc)(FILE *out, const char *s));

#endif
