/* libtopo: loading the fabric model.
 *
 * topo_load() parses a topology file into the declared part of struct
 * topo (what the operator wrote), topo_expand() turns it into the flat
 * model (every node, port and link, addresses and ASNs; model.h). Everything
 * lives in one arena: topo_free() releases it all. The model is immutable
 * after topo_load(). */
#ifndef CK_TOPO_H
#define CK_TOPO_H

#include <stddef.h>

#include "err.h"
#include "model.h"

/* Load, validate and expand a topology file. NULL with err filled on any
 * problem (file:line:col, key, what was expected, what to change). The
 * caller frees the result with topo_free(). */
struct topo *topo_load(const char *path, struct ck_err *err);
/* Same, from a buffer; name is used in messages. */
struct topo *topo_load_buf(const char *name, const char *buf, size_t len,
			   struct ck_err *err);
void topo_free(struct topo *t);

#endif
