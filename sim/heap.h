/* Indexed binary min-heap of item ids (0..n-1) keyed by doubles: the
 * max-min solver keeps one entry per link keyed by its fair share and
 * moves it when the share changes. The heap owns its arrays. */
#ifndef CK_HEAP_H
#define CK_HEAP_H

#include <stdbool.h>
#include <stdint.h>

struct heap {
	uint32_t *item;	/* heap order */
	uint32_t *pos;	/* item -> slot, UINT32_MAX when absent */
	double *key;	/* by item */
	uint32_t len, cap;
};

void heap_init(struct heap *h);
void heap_free(struct heap *h);
/* Empty the heap and make room for ids below n. */
void heap_reset(struct heap *h, uint32_t n);
bool heap_has(const struct heap *h, uint32_t id);
/* Insert id, or move it if present. */
void heap_set(struct heap *h, uint32_t id, double key);
void heap_remove(struct heap *h, uint32_t id);
/* Smallest id; the heap must not be empty. */
static inline uint32_t heap_top(const struct heap *h)
{
	return h->item[0];
}

#endif
