#include "cdf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "xalloc.h"

#define CDF_MAX_BYTES 1e15	/* a petabyte */

struct point {
	double size, p;
};

static const struct point websearch[] = {
	{ 0, 0 }, { 10e3, 0.15 }, { 20e3, 0.2 }, { 30e3, 0.3 },
	{ 50e3, 0.4 }, { 80e3, 0.53 }, { 200e3, 0.6 }, { 1e6, 0.7 },
	{ 2e6, 0.8 }, { 5e6, 0.9 }, { 10e6, 0.97 }, { 30e6, 1 },
};

static const struct point datamining[] = {
	{ 100, 0 }, { 180, 0.1 }, { 216, 0.2 }, { 560, 0.3 },
	{ 900, 0.4 }, { 1100, 0.5 }, { 1870, 0.6 }, { 3160, 0.7 },
	{ 10e3, 0.8 }, { 400e3, 0.9 }, { 3.16e6, 0.95 }, { 100e6, 0.98 },
	{ 1e9, 1 },
};

static void from_table(struct cdf *c, const struct point *t, size_t n)
{
	size_t i;

	c->n = n;
	c->size = xmalloc(n * sizeof(double));
	c->p = xmalloc(n * sizeof(double));
	for (i = 0; i < n; i++) {
		c->size[i] = t[i].size;
		c->p[i] = t[i].p;
	}
}

static int check(const char *name, struct cdf *c, struct ck_err *err)
{
	if (c->n < 2 || c->p[c->n - 1] != 1.0 || c->size[0] < 0) {
		ck_err_set(err, name, 0, 0, "a size CDF needs at least 2 "
			   "lines 'SIZE_BYTES PROBABILITY', the last at 1");
		return -1;
	}
	if (!(cdf_mean(c) > 0)) {	/* flow arrivals are paced by it */
		ck_err_set(err, name, 0, 0, "the mean flow size is 0; give "
			   "some probability to sizes above 0");
		return -1;
	}
	return 0;
}

/* A point below the one before it, at file:line:column of the value
 * that went back (the size first). */
static int goes_back(const char *path, int line, const char *s,
		     const struct cdf *c, double size, double p,
		     struct ck_err *err)
{
	size_t col;

	if (c->n == 0 || (size >= c->size[c->n - 1] && p >= c->p[c->n - 1]))
		return 0;
	col = strspn(s, " \t");
	if (size >= c->size[c->n - 1]) {
		col += strcspn(s + col, " \t");
		col += strspn(s + col, " \t");
	}
	ck_err_set(err, path, line, (int)col + 1, "sizes and probabilities "
		   "must not decrease (%g %g after %g %g); sort the lines by "
		   "size, each probability the share of flows up to that size",
		   size, p, c->size[c->n - 1], c->p[c->n - 1]);
	return -1;
}

static int from_file(const char *path, struct cdf *c, struct ck_err *err)
{
	char *buf, *s, *nl;
	size_t len, cs = 0, cp = 0;
	int line = 0;

	if (fs_read_file(path, &buf, &len, err) < 0)
		return -1;
	for (s = buf; s && *s; s = nl) {
		double a, b;
		char extra;

		nl = strchr(s, '\n');
		if (nl)
			*nl++ = '\0';
		line++;
		if (s[strspn(s, " \t\r")] == '\0' || s[strspn(s, " \t")] == '#')
			continue;
		/* no inf or nan: a flow must end, and sums must stay finite */
		if (sscanf(s, "%lf %lf %c", &a, &b, &extra) != 2 ||
		    !(a >= 0 && a <= CDF_MAX_BYTES && b >= 0 && b <= 1)) {
			ck_err_set(err, path, line, 0, "expected 'SIZE_BYTES "
				   "PROBABILITY', a size from 0 to %g and a "
				   "probability from 0 to 1", CDF_MAX_BYTES);
			free(buf);
			return -1;
		}
		if (goes_back(path, line, s, c, a, b, err) < 0) {
			free(buf);
			return -1;
		}
		c->size = xgrow(c->size, &cs, c->n + 1, sizeof(double));
		c->p = xgrow(c->p, &cp, c->n + 1, sizeof(double));
		c->size[c->n] = a;
		c->p[c->n++] = b;
	}
	free(buf);
	return check(path, c, err);
}

int cdf_load(const char *name, struct cdf *c, struct ck_err *err)
{
	memset(c, 0, sizeof(*c));
	if (strcmp(name, "websearch") == 0)
		from_table(c, websearch, sizeof(websearch) / sizeof(*websearch));
	else if (strcmp(name, "datamining") == 0)
		from_table(c, datamining,
			   sizeof(datamining) / sizeof(*datamining));
	else if (from_file(name, c, err) < 0) {
		cdf_free(c);
		return -1;
	}
	return 0;
}

void cdf_free(struct cdf *c)
{
	free(c->size);
	free(c->p);
	memset(c, 0, sizeof(*c));
}

double cdf_sample(const struct cdf *c, struct rng *r)
{
	double u = rng_double(r);
	size_t i = 1;

	if (u <= c->p[0])
		return c->size[0];
	while (i < c->n - 1 && c->p[i] < u)
		i++;
	if (c->p[i] <= c->p[i - 1])
		return c->size[i];
	return c->size[i - 1] + (c->size[i] - c->size[i - 1]) *
					(u - c->p[i - 1]) /
					(c->p[i] - c->p[i - 1]);
}

double cdf_mean(const struct cdf *c)
{
	double m = c->size[0] * c->p[0];
	size_t i;

	for (i = 1; i < c->n; i++)
		m += (c->p[i] - c->p[i - 1]) * (c->size[i] + c->size[i - 1]) / 2;
	return m;
}
