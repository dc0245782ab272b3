/* libFuzzer target: the topology loader (YAML parse, validation, expansion)
 * must reject any input with an error value, never crash or leak. */
#include <stddef.h>
#include <stdint.h>

#include "topo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ck_err err;
	struct topo *t = topo_load_buf("fuzz.yaml", (const char *)data, size,
				       &err);

	topo_free(t);
	return 0;
}
