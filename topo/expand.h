/* Internal to libtopo: the second stage of topo_load(), declared topology
 * -> flat model (nodes, links, ports, ASNs, addresses). */
#ifndef CK_EXPAND_H
#define CK_EXPAND_H

#include "err.h"
#include "model.h"

/* Expand t's declared part into its flat model, in t's arena; validates
 * as it goes (err names file, line and what to change). 0 or -1. */
int topo_expand(struct topo *t, struct ck_err *err);

#endif
