/* Whole-fabric exports written into a bundle: the expanded model as JSON,
 * the cabling plan as CSV, and a Graphviz drawing. Each appends to b. */
#ifndef CK_EXPORT_H
#define CK_EXPORT_H

#include "sbuf.h"
#include "model.h"

void export_json(const struct topo *t, struct sbuf *b);
void export_cabling(const struct topo *t, struct sbuf *b);
void export_dot(const struct topo *t, struct sbuf *b);

#endif
