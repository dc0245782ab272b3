#include "mode.h"

#include <string.h>

#include "rng.h"

#define DPORT 5001u	/* one service port: only the source port varies */
#define PROTO_TCP 6u

const struct mode_ops *const mode_all[] = { &mode_spray, &mode_ecmp,
					    &mode_ecmp_unsalted, NULL };

const struct mode_ops *mode_find(const char *name)
{
	size_t i;

	for (i = 0; mode_all[i]; i++)
		if (strcmp(mode_all[i]->name, name) == 0)
			return mode_all[i];
	return NULL;
}

uint64_t mode_hash(const struct net *n, uint32_t src, uint32_t dst,
		   uint16_t sport)
{
	const struct topo *t = n->t;
	uint64_t a = (uint64_t)t->nodes[src].addr << 32 | t->nodes[dst].addr;
	uint64_t b = (uint64_t)sport << 24 | DPORT << 8 | PROTO_TCP;

	return rng_mix(a ^ rng_mix(b));
}

/* Each switch seeds its hash from its own identity (net->salt), so
 * neighbouring tiers decide independently. */
uint64_t mode_salt(const struct net *n, uint64_t h, uint32_t node)
{
	return rng_mix(h ^ n->salt[node]);
}
