#include "progress.h"

#include <stdio.h>
#include <unistd.h>

#include "sim.h"

#define BAR 30

void progress_init(struct progress *p, bool enabled)
{
	p->enabled = enabled && isatty(STDERR_FILENO);
	p->drawn = false;
	p->start = p->last = sim_now();
}

void progress_update(void *arg, const char *what, uint64_t done,
		     uint64_t total)
{
	struct progress *p = arg;
	double now;
	char bar[BAR + 1];
	int i, fill;

	if (!p->enabled)
		return;
	if (total == 0) {
		if (p->drawn)
			fputs("\r\033[K", stderr);
		p->drawn = false;
		return;
	}
	now = sim_now();
	if (now - p->start < 1.0 || now - p->last < 0.1)
		return;
	p->last = now;
	fill = (int)((double)BAR * (double)done / (double)total);
	for (i = 0; i < BAR; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[BAR] = '\0';
	fprintf(stderr, "\r\033[K%-16.16s [%s] %llu/%llu", what, bar,
		(unsigned long long)done, (unsigned long long)total);
	p->drawn = true;
}
