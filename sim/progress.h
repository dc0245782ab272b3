/* A one-line progress bar on stderr, drawn only when stderr is a terminal
 * and the run has lasted more than a second; quiet otherwise. */
#ifndef CK_PROGRESS_H
#define CK_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

struct progress {
	bool enabled;
	bool drawn;
	double start, last;
};

void progress_init(struct progress *p, bool enabled);
/* A capacity_progress_fn: arg is the struct progress; total 0 clears. */
void progress_update(void *arg, const char *what, uint64_t done,
		     uint64_t total);

#endif
