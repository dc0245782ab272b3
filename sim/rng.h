/* Small deterministic PRNG (splitmix64 seeding a xoshiro256**): the same
 * --seed gives the same traffic and the same hashes on every machine. */
#ifndef CK_RNG_H
#define CK_RNG_H

#include <stdint.h>

struct rng {
	uint64_t s[4];
};

void rng_seed(struct rng *r, uint64_t seed);
uint64_t rng_next(struct rng *r);
/* Uniform in [0, n); n > 0. */
uint32_t rng_below(struct rng *r, uint32_t n);
/* Uniform in [0, 1). */
double rng_double(struct rng *r);
/* A well-mixed 64-bit function of x (the finaliser of splitmix64), used
 * as the ECMP hash and to derive per-switch salts. */
uint64_t rng_mix(uint64_t x);

#endif
