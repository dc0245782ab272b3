/* Template directory: finds it and parses every *.mustache file in it once
 * (name = file name without the extension, so partials resolve by name). */
#ifndef CK_TMPL_H
#define CK_TMPL_H

#include "err.h"
#include "mustache.h"

/* The directory to use: explicit (--templates) if given, else
 * $CLOSKIT_TEMPLATES, else templates/ beside the executable (build tree),
 * else the installed one. Returns a static or the given string. */
const char *tmpl_dir(const char *explicit_dir);
/* Parse all templates in dir; checks that the required ones exist.
 * Caller frees with mustache_set_free(). */
struct mustache_set *tmpl_load(const char *dir, struct ck_err *err);

#endif
