/* Flow size distributions as piecewise-linear CDFs: the two built in are
 * the ones DCTCP/pFabric-style studies use, "websearch" (DCTCP's web
 * search cluster, mean about 1.6 MB) and "datamining" (VL2's data mining
 * cluster: mostly tiny flows, a heavy tail up to 1 GB); any other name is
 * a file of "SIZE_BYTES CUMULATIVE_PROBABILITY" lines, sizes 0..1e15 and
 * probabilities non-decreasing, ending at 1, with a mean size above 0.
 * cdf_free() releases a loaded one. */
#ifndef CK_CDF_H
#define CK_CDF_H

#include <stddef.h>

#include "err.h"
#include "rng.h"

struct cdf {
	double *size;	/* bytes */
	double *p;
	size_t n;
};

int cdf_load(const char *name, struct cdf *c, struct ck_err *err);
void cdf_free(struct cdf *c);
double cdf_sample(const struct cdf *c, struct rng *r);
double cdf_mean(const struct cdf *c);

#endif
