/* What `fabric-gen show` reports, as one JSON value (text is printed from
 * the same value, so the two never disagree). Caller owns the result. */
#ifndef CK_SUMMARY_H
#define CK_SUMMARY_H

#include <jansson.h>
#include <stdio.h>

#include "model.h"

json_t *summary_fabric(const struct topo *t);
void summary_print_text(const json_t *s, FILE *out);

#endif
