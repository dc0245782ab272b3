/* Typed access to a YAML document (libyaml's document API) with errors that
 * name the file, line, column and key. Every getter returns 0 / -1. */
#ifndef CK_YDOC_H
#define CK_YDOC_H

#include <stdbool.h>
#include <stdint.h>
#include <yaml.h>

#include "err.h"

struct ydoc {
	yaml_document_t doc;
	const char *file;
	struct ck_err *err;
};

typedef yaml_node_t ynode;

int ydoc_load(struct ydoc *d, const char *file, const char *buf, size_t len,
	      struct ck_err *err);
void ydoc_free(struct ydoc *d);
ynode *ydoc_root(struct ydoc *d);

/* Fail with a located message about node n (1-based line and column). */
int ydoc_fail(struct ydoc *d, const ynode *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void ydoc_loc(const ynode *n, int *line, int *col);

/* Mappings. ydoc_keys() rejects keys not in allowed (NULL-terminated),
 * suggesting the nearest allowed one, and duplicated keys. */
int ydoc_map(struct ydoc *d, ynode *n, const char *what);
int ydoc_keys(struct ydoc *d, ynode *map, const char *const *allowed);
ynode *ydoc_get(struct ydoc *d, ynode *map, const char *key);
int ydoc_require(struct ydoc *d, ynode *map, const char *key, ynode **out);

/* Sequences: number of items, and item i. */
int ydoc_seq(struct ydoc *d, ynode *n, const char *key, uint32_t *count);
ynode *ydoc_item(struct ydoc *d, ynode *seq, uint32_t i);

/* Scalars, checked. key is used in messages. */
int ydoc_str(struct ydoc *d, ynode *n, const char *key, const char **out);
int ydoc_uint(struct ydoc *d, ynode *n, const char *key, uint32_t min,
	      uint32_t max, uint32_t *out);
int ydoc_bool(struct ydoc *d, ynode *n, const char *key, bool *out);
int ydoc_enum(struct ydoc *d, ynode *n, const char *key,
	      const char *const *names, int *out);
/* "10G", "100G", "1G", "100M" -> Mbps */
int ydoc_speed(struct ydoc *d, ynode *n, const char *key, uint32_t *mbps);
/* "10.0.0.0/16" -> network (host order) and length; host bits must be 0 */
int ydoc_cidr(struct ydoc *d, ynode *n, const char *key, uint32_t *addr,
	      uint8_t *len);
/* "4200000000-4200000099" or a single number */
int ydoc_range(struct ydoc *d, ynode *n, const char *key, uint32_t *lo,
	       uint32_t *hi);

/* Optional-key helpers: leave *out untouched when key is absent. */
int ydoc_opt_uint(struct ydoc *d, ynode *map, const char *key, uint32_t min,
		  uint32_t max, uint32_t *out);
int ydoc_opt_str(struct ydoc *d, ynode *map, const char *key,
		 const char **out);
int ydoc_opt_speed(struct ydoc *d, ynode *map, const char *key,
		   uint32_t *mbps);

#endif
