/* Internal to libtopo: the stages of topo_load(). */
#ifndef CK_LOAD_H
#define CK_LOAD_H

#include <stddef.h>

#include "topo.h"
#include "ydoc.h"

/* Parse the declared part of the topology (t->file names it). */
int topo_load_spec(struct topo *t, const char *buf, size_t len,
		   struct ck_err *err);
/* Expand declared -> flat model; validates as it goes. */
int topo_expand(struct topo *t, struct ck_err *err);

#endif
