#include "heap.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

#define ABSENT UINT32_MAX

void heap_init(struct heap *h)
{
	memset(h, 0, sizeof(*h));
}

void heap_free(struct heap *h)
{
	free(h->item);
	free(h->pos);
	free(h->key);
	heap_init(h);
}

void heap_reset(struct heap *h, uint32_t n)
{
	if (n > h->cap) {
		free(h->item);
		free(h->pos);
		free(h->key);
		h->item = xmalloc((size_t)n * sizeof(*h->item));
		h->pos = xmalloc((size_t)n * sizeof(*h->pos));
		h->key = xmalloc((size_t)n * sizeof(*h->key));
		h->cap = n;
	}
	memset(h->pos, 0xff, (size_t)h->cap * sizeof(*h->pos));
	h->len = 0;
}

bool heap_has(const struct heap *h, uint32_t id)
{
	return h->pos[id] != ABSENT;
}

static void place(struct heap *h, uint32_t slot, uint32_t id)
{
	h->item[slot] = id;
	h->pos[id] = slot;
}

static void sift_up(struct heap *h, uint32_t slot)
{
	uint32_t id = h->item[slot];

	while (slot > 0) {
		uint32_t parent = (slot - 1) / 2;

		if (h->key[h->item[parent]] <= h->key[id])
			break;
		place(h, slot, h->item[parent]);
		slot = parent;
	}
	place(h, slot, id);
}

static void sift_down(struct heap *h, uint32_t slot)
{
	uint32_t id = h->item[slot];

	for (;;) {
		uint32_t c = 2 * slot + 1;

		if (c >= h->len)
			break;
		if (c + 1 < h->len && h->key[h->item[c + 1]] < h->key[h->item[c]])
			c++;
		if (h->key[id] <= h->key[h->item[c]])
			break;
		place(h, slot, h->item[c]);
		slot = c;
	}
	place(h, slot, id);
}

void heap_set(struct heap *h, uint32_t id, double key)
{
	uint32_t slot = h->pos[id];

	if (slot == ABSENT) {
		h->key[id] = key;
		place(h, h->len++, id);
		sift_up(h, h->len - 1);
		return;
	}
	if (key < h->key[id]) {
		h->key[id] = key;
		sift_up(h, slot);
	} else {
		h->key[id] = key;
		sift_down(h, slot);
	}
}

void heap_remove(struct heap *h, uint32_t id)
{
	uint32_t slot = h->pos[id], last;

	if (slot == ABSENT)
		return;
	h->pos[id] = ABSENT;
	last = h->item[--h->len];
	if (slot == h->len)
		return;
	place(h, slot, last);
	sift_up(h, slot);
	sift_down(h, h->pos[last]);
}
