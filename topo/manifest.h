/* Reading a bundle's manifest.json back: the one test of "is this a
 * closkit bundle" that diff and the output-directory check share. */
#ifndef CK_MANIFEST_H
#define CK_MANIFEST_H

#include <jansson.h>

#include "err.h"

/* Load DIR/manifest.json and check its shape: an object with "fabric"
 * (string), "generation" (integer) and "nodes", an array of objects each
 * with "name", "role" and "sha256" strings. Returns a new reference, or
 * NULL with err naming the file and what is wrong (callers add what
 * to do). */
json_t *manifest_load(const char *dir, struct ck_err *err);

#endif
