/* Which nodes differ between two bundles, from their manifests: the input
 * to a staged rollout. Result: {"old", "new", "added": [names],
 * "removed": [names], "changed": [{"name", "role"}], "unchanged": N}. */
#ifndef CK_DIFF_H
#define CK_DIFF_H

#include <jansson.h>
#include <stdio.h>

#include "err.h"

json_t *diff_bundles(const char *old_dir, const char *new_dir,
		     struct ck_err *err);
size_t diff_count(const json_t *d);
void diff_print_text(const json_t *d, FILE *out);

#endif
