/* Where each agent listens: an inventory file, one "NAME ADDRESS[:PORT]"
 * per line ('#' comments). Without an entry, the node name is the host. */
#ifndef FD_INVENTORY_H
#define FD_INVENTORY_H

#include <stddef.h>

#include "err.h"

struct inventory {
	char **names, **addrs;
	size_t n;
};

int inventory_load(const char *path, struct inventory *inv,
		   struct ck_err *err);
/* The address of name, or NULL. */
const char *inventory_addr(const struct inventory *inv, const char *name);
void inventory_free(struct inventory *inv);

#endif
