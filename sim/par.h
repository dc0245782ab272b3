/* Independent items over worker threads: worker w of nw takes items w,
 * w + nw, ...; each worker makes its own state with init() and releases
 * it with fini(). A thread that cannot start has its items run by the
 * caller's thread. Results must go to per-item slots, so the outcome does
 * not depend on the number of threads. */
#ifndef CK_PAR_H
#define CK_PAR_H

#include <stdint.h>

struct par {
	void *(*init)(void *arg);
	void (*item)(void *state, uint64_t i, void *arg);
	void (*fini)(void *state, void *arg);
	void *arg;
};

void par_run(const struct par *p, uint64_t n, uint32_t jobs);

#endif
