#include "par.h"

#include <pthread.h>

#define PAR_MAX 64

struct worker {
	const struct par *p;
	uint64_t n;
	uint32_t id, nw;
	pthread_t th;
	int started;
};

static void *work(void *arg)
{
	struct worker *w = arg;
	void *st = w->p->init(w->p->arg);
	uint64_t i;

	for (i = w->id; i < w->n; i += w->nw)
		w->p->item(st, i, w->p->arg);
	w->p->fini(st, w->p->arg);
	return NULL;
}

void par_run(const struct par *p, uint64_t n, uint32_t jobs)
{
	struct worker w[PAR_MAX];
	uint32_t i, nw = jobs < 1 ? 1 : jobs > PAR_MAX ? PAR_MAX : jobs;

	if (nw > n)
		nw = n ? (uint32_t)n : 1;
	for (i = 0; i < nw; i++) {
		w[i] = (struct worker){ p, n, i, nw, 0, 0 };
		if (i > 0)
			w[i].started = pthread_create(&w[i].th, NULL, work,
						      &w[i]) == 0;
	}
	work(&w[0]);
	for (i = 1; i < nw; i++) {
		if (w[i].started)
			pthread_join(w[i].th, NULL);
		else
			work(&w[i]);
	}
}
