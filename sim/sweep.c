#include "sweep.h"

#include <errno.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

static int bad(struct ck_err *err, const char *item, const char *what)
{
	ck_err_set(err, NULL, 0, 0, "--sweep: '%s': %s; expected "
		   "seeds=A-B|C..., load=LO:HI:STEP|X..., traffic=SPEC|SPEC... "
		   "separated by commas, e.g. seeds=1-20,load=0.3:0.9:0.2,"
		   "traffic=permutation|rack-to-rack", item, what);
	return -1;
}

static int seed_value(char *v, struct sweep_spec *sp, struct ck_err *err)
{
	char *dash = strchr(v, '-'), *end;
	unsigned long long a, b;

	errno = 0;
	a = strtoull(v, &end, 10);
	if (end == v || (dash ? end != dash : *end != '\0') || errno)
		return bad(err, v, "a seed is a number, a range A-B");
	b = a;
	if (dash) {
		b = strtoull(dash + 1, &end, 10);
		if (end == dash + 1 || *end || errno || b < a)
			return bad(err, v, "a range is A-B with A <= B");
	}
	for (; a <= b; a++) {
		if (sp->nseeds >= SWEEP_MAX_VALUES)
			return bad(err, v, "too many seeds (at most 1000)");
		sp->seeds[sp->nseeds++] = a;
		if (a == UINT64_MAX)
			break;
	}
	return 0;
}

static int load_add(struct sweep_spec *sp, double x, const char *v,
		    struct ck_err *err)
{
	if (!(x > 0 && x <= 1))
		return bad(err, v, "a load is in (0, 1]");
	if (sp->nloads >= SWEEP_MAX_VALUES)
		return bad(err, v, "too many loads (at most 1000)");
	sp->loads[sp->nloads++] = x;
	return 0;
}

static int load_value(char *v, struct sweep_spec *sp, struct ck_err *err)
{
	double lo, hi, step;
	char extra;
	int k;

	if (sscanf(v, "%lf:%lf:%lf%c", &lo, &hi, &step, &extra) == 3) {
		if (!(step > 0) || hi < lo)
			return bad(err, v, "LO:HI:STEP needs LO <= HI, STEP > 0");
		for (k = 0; lo + k * step <= hi + 1e-9; k++)
			if (load_add(sp, round((lo + k * step) * 1e9) / 1e9, v,
				     err) < 0)
				return -1;
		return 0;
	}
	if (sscanf(v, "%lf%c", &lo, &extra) != 1)
		return bad(err, v, "a load is a number or LO:HI:STEP");
	return load_add(sp, lo, v, err);
}

static int axis(char *item, struct sweep_spec *sp, struct ck_err *err)
{
	char *eq = strchr(item, '='), *v, *save = NULL;
	char a;

	if (eq == NULL || eq[1] == '\0')
		return bad(err, item, "expected AXIS=VALUES");
	*eq = '\0';
	a = strcmp(item, "seeds") == 0 || strcmp(item, "seed") == 0 ? 's' :
	    strcmp(item, "load") == 0 ? 'l' :
	    strcmp(item, "traffic") == 0 ? 't' : 0;
	if (a == 0 || memchr(sp->axis, a, sp->naxes))
		return bad(err, item, a ? "axis given twice"
					: "unknown axis (seeds, load, traffic)");
	sp->axis[sp->naxes++] = a;
	for (v = strtok_r(eq + 1, "|", &save); v; v = strtok_r(NULL, "|", &save)) {
		if (a == 's' && seed_value(v, sp, err) < 0)
			return -1;
		if (a == 'l' && load_value(v, sp, err) < 0)
			return -1;
		if (a == 't') {
			if (sp->ntraffic >= SWEEP_MAX_VALUES)
				return bad(err, v, "too many patterns");
			sp->traffic[sp->ntraffic++] = v;
		}
	}
	return 0;
}

/* Values are cut out of buf in place; traffic points into it. */
int sweep_parse(const char *spec, struct sweep_spec *sp, struct ck_err *err)
{
	char *save = NULL, *item;

	memset(sp, 0, sizeof(*sp));
	sp->text = xstrdup(spec);
	sp->buf = xstrdup(spec);
	for (item = strtok_r(sp->buf, ",", &save); item;
	     item = strtok_r(NULL, ",", &save))
		if (axis(item, sp, err) < 0)
			return -1;
	return sp->naxes ? 0 : bad(err, spec, "no axis");
}

void sweep_spec_free(struct sweep_spec *sp)
{
	free(sp->text);
	free(sp->buf);
	sp->text = sp->buf = NULL;
}

uint64_t sweep_points(const struct sweep_spec *sp)
{
	return (uint64_t)(sp->nseeds ? sp->nseeds : 1) *
	       (sp->nloads ? sp->nloads : 1) *
	       (sp->ntraffic ? sp->ntraffic : 1);
}

/* Point i's values: axes in the order given, the last fastest. */
static void point(const struct sweep_spec *sp, uint64_t i, size_t *ix)
{
	size_t k;

	ix[0] = ix[1] = ix[2] = 0;
	for (k = sp->naxes; k-- > 0;) {
		char a = sp->axis[k];
		size_t n = a == 's' ? sp->nseeds : a == 'l' ? sp->nloads
							    : sp->ntraffic;
		size_t slot = a == 's' ? 0 : a == 'l' ? 1 : 2;

		ix[slot] = (size_t)(i % n);
		i /= n;
	}
}

static void figure(json_t *figs, const char *name, double v)
{
	json_object_set_new(figs, name, json_real(v));
}

/* The figures of one run, by name. */
static json_t *figures(const json_t *r)
{
	json_t *figs = json_object(), *v = json_object_get(r, "verdict");
	const json_t *p, *m, *b;
	size_t i, j;
	char name[512];

	json_array_foreach(json_object_get(r, "patterns"), i, p)
		json_array_foreach(json_object_get(p, "modes"), j, m) {
			snprintf(name, sizeof(name), "fraction %s %s",
				 json_string_value(json_object_get(p, "pattern")),
				 json_string_value(json_object_get(m, "mode")));
			figure(figs, name, json_number_value(
				json_object_get(m, "fraction")));
		}
	if (v)
		figure(figs, "non-blocking", json_is_true(json_object_get(
			v, "nonBlocking")) ? 1 : 0);
	json_array_foreach(json_object_get(json_object_get(r, "dynamic"),
					   "buckets"), i, b) {
		const char *bk = json_string_value(json_object_get(b, "bucket"));

		snprintf(name, sizeof(name), "slowdown %s p50", bk);
		figure(figs, name, json_number_value(json_object_get(b, "p50")));
		snprintf(name, sizeof(name), "slowdown %s p99", bk);
		figure(figs, name, json_number_value(json_object_get(b, "p99")));
	}
	return figs;
}

static json_t *one_run(const struct topo *t, const struct capacity_opts *base,
		       const struct sweep_spec *sp, uint64_t i,
		       struct ck_err *err)
{
	struct capacity_opts o = *base;
	size_t ix[3];
	json_t *r, *run;

	point(sp, i, ix);
	if (sp->nseeds)
		o.seed = sp->seeds[ix[0]];
	if (sp->nloads)
		o.dyn.load = sp->loads[ix[1]];
	if (sp->ntraffic) {
		o.patterns[0] = sp->traffic[ix[2]];
		o.npatterns = 1;
	}
	o.nplus1 = false;
	o.links_out = o.flows_out = NULL;
	o.dyn.flows_out = NULL;	/* one run's flows; refused with --sweep */
	o.progress = NULL;
	r = capacity_run(t, &o, err);
	if (r == NULL)
		return NULL;
	run = json_pack("{s:I, s:I, s:f, s:s, s:o}", "index", (json_int_t)i,
			"seed", (json_int_t)o.seed, "load", o.dyn.load,
			"traffic", o.patterns[0], "figures", figures(r));
	json_decref(r);
	return run;
}

json_t *sweep_run(const struct topo *t, const struct capacity_opts *base,
		  const struct sweep_spec *sp, struct ck_err *err)
{
	json_t *runs = json_array(), *sw;
	uint64_t i, n = sweep_points(sp);

	for (i = base->shard; i < n; i += base->nshards) {
		json_t *run = one_run(t, base, sp, i, err);

		if (run == NULL) {
			json_decref(runs);
			return NULL;
		}
		json_array_append_new(runs, run);
	}
	sw = json_pack("{s:s, s:I, s:o}", "spec", sp->text, "points",
		       (json_int_t)n, "runs", runs);
	sweep_finish(sw);
	return sw;
}

void sweep_fold(json_t *a, const json_t *b)
{
	json_array_extend(json_object_get(a, "runs"), json_object_get(b, "runs"));
}

static int cmp_index(const void *x, const void *y)
{
	json_int_t a = json_integer_value(json_object_get(*(json_t *const *)x,
							  "index"));
	json_int_t b = json_integer_value(json_object_get(*(json_t *const *)y,
							  "index"));

	return a < b ? -1 : a > b;
}

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return a < b ? -1 : a > b;
}

/* min / median / max of one figure over the runs that have it. */
static json_t *spread(const json_t *runs, const char *name)
{
	double *v = xmalloc((json_array_size(runs) + 1) * sizeof(double));
	const json_t *run, *x;
	size_t i, n = 0;
	json_t *o;

	json_array_foreach(runs, i, run)
		if ((x = json_object_get(json_object_get(run, "figures"), name)))
			v[n++] = json_number_value(x);
	qsort(v, n, sizeof(double), cmp_double);
	o = json_pack("{s:s, s:I, s:f, s:f, s:f}", "figure", name, "runs",
		      (json_int_t)n, "min", v[0], "median",
		      n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2, "max",
		      v[n - 1]);
	free(v);
	return o;
}

void sweep_finish(json_t *sw)
{
	json_t *runs = json_object_get(sw, "runs"), *sorted = json_array();
	json_t **v = xmalloc((json_array_size(runs) + 1) * sizeof(json_t *));
	json_t *seen = json_object(), *figs = json_array(), *run, *x;
	const char *k;
	size_t i, n = json_array_size(runs);

	for (i = 0; i < n; i++)
		v[i] = json_array_get(runs, i);
	qsort(v, n, sizeof(json_t *), cmp_index);
	for (i = 0; i < n; i++)
		json_array_append(sorted, v[i]);
	json_array_foreach(sorted, i, run)	/* figures in first-seen order */
		json_object_foreach(json_object_get(run, "figures"), k, x)
			if (json_object_get(seen, k) == NULL) {
				json_object_set_new(seen, k, json_true());
				json_array_append_new(figs, spread(sorted, k));
			}
	json_object_set_new(sw, "runs", sorted);
	json_object_set_new(sw, "figures", figs);
	json_decref(seen);
	free(v);
}

