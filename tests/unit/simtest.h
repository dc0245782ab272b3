/* Helpers shared by the libsim unit suites. */
#ifndef CK_SIMTEST_H
#define CK_SIMTEST_H

#include "topo.h"

/* Load $top_srcdir/rel, or fail the test with the loader's message. */
struct topo *simtest_load(const char *rel);

#endif
