/* Internal to libtopo: the first stage of topo_load() (expand.h is the
 * second). */
#ifndef CK_LOAD_H
#define CK_LOAD_H

#include <stddef.h>

#include "model.h"
#include "ydoc.h"

/* Parse the declared part of the topology (t->file names it). */
int topo_load_spec(struct topo *t, const char *buf, size_t len,
		   struct ck_err *err);

#endif
