/* Connectivity of the expanded model: every server must reach every other
 * one over the fabric's links, unless the topology allows partitions. */
#ifndef CK_CONN_H
#define CK_CONN_H

#include "model.h"

/* 0 when all servers are in one connected component (or
 * t->allow_partitioned); else -1 with err naming two servers that have
 * no path between them. Union-find over the links: O(links). */
int conn_check(const struct topo *t, struct ck_err *err);

#endif
