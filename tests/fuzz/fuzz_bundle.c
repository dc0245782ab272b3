/* libFuzzer target: the bundle parser of fabricd, the body of PUT
 * /v1/bundle (nodecfg_parse). Any input is refused with a code and a
 * message or parsed; what is parsed must load again from the parts the
 * agent stores (node.json and frr.conf), as a restart would. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fabricd/nodecfg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void parse(const char *body, size_t len, const char *expect)
{
	struct nodecfg_fail f;
	struct nodecfg *c, *again;

	memset(&f, 0, sizeof(f));
	c = nodecfg_parse(body, len, expect, &f);

	if (c == NULL) {
		if (f.code == NULL || f.err.msg[0] == '\0')
			abort();	/* a refusal must say why */
		return;
	}
	again = nodecfg_from_parts(c->node_json, c->frr_conf, &f);
	if (again == NULL)
		abort();	/* accepted, but the stored form is refused */
	nodecfg_free(again);
	nodecfg_free(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	parse((const char *)data, size, NULL);
	parse((const char *)data, size, "pod1-r001-tor1");
	return 0;
}
