/* Mustache templates (the mustache spec without lambdas and the optional
 * ~ modules): parse once into a flat node array, render many times
 * against jansson values.
 *
 * Ownership: a mustache_set owns its templates and their sources (the
 * source passed to mustache_set_add() is copied). Templates are immutable
 * after parse; rendering takes no references on the context (ctx is
 * borrowed for the duration of the call) and appends to a caller-owned
 * sbuf. */
#ifndef CK_MUSTACHE_H
#define CK_MUSTACHE_H

#include <stddef.h>

#include <jansson.h>

#include "err.h"
#include "sbuf.h"

struct mustache;		/* one parsed template (immutable after parse) */
struct mustache_set;		/* named templates; {{>name}} resolves here */

struct mustache_set *mustache_set_new(void);
/* Frees every template in the set; NULL is a no-op. */
void mustache_set_free(struct mustache_set *set);

/* Parse src (len bytes, need not be NUL-terminated) and add it to set
 * under name. Returns the template (owned by the set) or NULL with err
 * filled: err->file = name, line/col of the problem and what is wrong.
 * Adding a name that is already in the set is an error. */
struct mustache *mustache_set_add(struct mustache_set *set, const char *name,
				  const char *src, size_t len,
				  struct ck_err *err);
/* The template called name, or NULL. */
struct mustache *mustache_set_get(const struct mustache_set *set,
				  const char *name);
/* The name a template was added under (owned by the template). */
const char *mustache_name(const struct mustache *t);

enum {
	/* {{x}} HTML-escapes (spec behaviour); without it {{x}} is verbatim */
	MUSTACHE_HTML_ESCAPE = 1 << 0,
	/* fail if an interpolated value contains a control character
	 * (< 0x20 or 0x7f), e.g. a newline: config injection guard */
	MUSTACHE_NO_CTRL = 1 << 1,
	/* fail, naming the key and template line, when a variable, section
	 * (inverted too) or partial name is not found */
	MUSTACHE_STRICT = 1 << 2,
};

/* Render t with the context stack starting at ctx, appending to out.
 * Partials are looked up in t's set at render time; a missing partial
 * renders as empty unless MUSTACHE_STRICT.
 *
 * Truthiness: false, null, "" and [] are falsey (the spec's `!!data`);
 * numbers, including 0, are truthy because they are data in configs.
 * Interpolating an object or an array is an error (it is always a
 * template bug; use a section).
 *
 * Returns 0, or -1 with err filled (file = the template the failing tag
 * is in). On error, out holds a partial result. */
int mustache_render(const struct mustache *t, json_t *ctx, unsigned flags,
		    struct sbuf *out, struct ck_err *err);

#endif
