/* libFuzzer target: the mustache renderer. The input is a template (and,
 * after a NUL byte, a partial); it is parsed and rendered against a fixed
 * context with every flag combination. Errors are values; nothing may
 * crash, hang or leak. */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "mustache.h"
#include "sbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static json_t *context(void)
{
	return json_pack("{s:s, s:i, s:b, s:[{s:s}, {s:s}], s:{s:{s:s}}, "
			 "s:n, s:s}", "a", "value", "n", 42, "t", 1, "list",
			 "x", "one", "x", "two", "obj", "inner", "deep", "d",
			 "null", "ctrl", "line\nbreak");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *src = (const char *)data;
	size_t tlen = strnlen(src, size);
	struct mustache_set *set = mustache_set_new();
	struct mustache *m;
	struct ck_err err;
	json_t *ctx = context();
	unsigned flags;

	if (tlen < size)	/* what follows the NUL is a partial "p" */
		mustache_set_add(set, "p", src + tlen + 1, size - tlen - 1,
				 &err);
	m = mustache_set_add(set, "t", src, tlen, &err);
	for (flags = 0; m && flags < 8; flags++) {
		struct sbuf out;

		sbuf_init(&out);
		mustache_render(m, ctx, flags, &out, &err);
		sbuf_free(&out);
	}
	json_decref(ctx);
	mustache_set_free(set);
	return 0;
}
