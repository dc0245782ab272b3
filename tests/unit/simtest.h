/* Helpers shared by the simulator's Check suites. */
#ifndef CK_SIMTEST_H
#define CK_SIMTEST_H

#include <check.h>
#include <stdint.h>

#include "flows.h"
#include "sim.h"
#include "topo.h"

/* A topology by path relative to $top_srcdir; aborts the test if bad. */
struct topo *simtest_load(const char *rel);
/* Flows of traffic spec on s's net with seed, per_pair per pair. */
void simtest_gen(struct sim *s, struct flows *f, const char *spec,
		 uint64_t seed, uint32_t per_pair);
/* Run the suite; the exit status main() returns. */
int simtest_main(Suite *s);

#endif
