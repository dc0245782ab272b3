/* spray-shared TOPOLOGY SPEC per-flow|shared: place and solve SPEC under
 * spray one way, and print the flows, the shared DAGs, the link entries
 * held and the wall times, as JSON. tests/bench/capacity-report.sh runs
 * it both ways under /usr/bin/time to set the two side by side. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"
#include "traffic.h"

static int run(const struct topo *t, const char *spec, bool share)
{
	struct sim *s = sim_new(t);
	struct flows *f = flows_new();
	struct sim_result r;
	struct traffic tr;
	struct ck_err err;

	if (traffic_parse(spec, &tr, &err) < 0 ||
	    traffic_gen(&tr, s->net, 1, 1, f, &err) < 0) {
		fprintf(stderr, "spray-shared: %s\n", err.msg);
		return 1;
	}
	s->share = share;
	sim_run(s, &mode_spray, f, &r);
	printf("{\"flows\": %u, \"dags\": %u, \"entries\": %zu, "
	       "\"placeSeconds\": %.3f, \"solveSeconds\": %.3f, "
	       "\"achievedGbps\": %.6f}\n", f->n, f->shared ? f->ndag : 0,
	       f->nent + (f->shared ? f->dnent : 0), r.place_s, r.solve_s,
	       r.achieved / 1e9);
	flows_free(f);
	sim_free(s);
	return 0;
}

int main(int argc, char **argv)
{
	struct ck_err err;
	struct topo *t;
	int rc;

	if (argc != 4 || (strcmp(argv[3], "per-flow") != 0 &&
			  strcmp(argv[3], "shared") != 0)) {
		fprintf(stderr, "usage: spray-shared TOPOLOGY SPEC "
				"per-flow|shared\n");
		return 2;
	}
	t = topo_load(argv[1], &err);
	if (t == NULL) {
		fprintf(stderr, "spray-shared: %s\n", err.msg);
		return 1;
	}
	rc = run(t, argv[2], strcmp(argv[3], "shared") == 0);
	topo_free(t);
	return rc;
}
