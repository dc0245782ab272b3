/* Render context of one node: the values the templates see, as a jansson
 * object. The caller owns the result (json_decref). */
#ifndef CK_CTX_H
#define CK_CTX_H

#include <jansson.h>

#include "model.h"

json_t *ctx_node(const struct topo *t, uint32_t node);
/* The template a node renders its frr.conf from. */
const char *ctx_template(const struct topo *t, uint32_t node);
/* ECMP width a node needs: its largest set of equal-cost next hops. */
uint32_t ctx_max_paths(const struct topo *t, uint32_t node);

#endif
