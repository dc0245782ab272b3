/* Waiting for BGP: every node's expected sessions (bgpPeers, as node.json
 * has them) Established, then every server's routes installed with full ECMP. Polls the condition with a bound, never a fixed sleep. */
#include "lab.h"
#include "fib.h"

#include <string.h>
#include <time.h>

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

json_t *converge_sessions(const char *ns, struct ck_err *err)
{
	json_t *sum = vty_json(ns, "show bgp vrf default ipv4 unicast "
			       "summary json", err);
	json_t *peers, *up = json_object(), *p;
	const char *name;

	if (sum == NULL) {
		json_decref(up);
		return NULL;
	}
	peers = json_object_get(sum, "peers");
	json_object_foreach(peers, name, p) {
		const char *state = json_string_value(json_object_get(p,
								      "state"));

		if (state && strcmp(state, "Established") == 0)
			json_object_set_new(up, name, json_true());
	}
	json_decref(sum);
	return up;
}

/* Expected peers of a node not (yet) Established; -1 if unreadable. */
static int missing_sessions(struct lab *l, uint32_t i, struct ck_err *err)
{
	const struct bundlefmt_node *want = &l->nodes[i];
	json_t *up = converge_sessions(l->ns[i], err);
	int missing = 0;
	size_t k;

	if (up == NULL)
		return want->n_peers ? -1 : 0;
	for (k = 0; k < want->n_peers; k++)
		missing += json_object_get(up, want->peers[k].iface) == NULL;
	json_decref(up);
	return missing;
}

/* After the sessions, the routes: every server's FIB complete. */
static int wait_routes(struct lab *l, double deadline, struct ck_err *err)
{
	struct timespec pause = { 0, 200 * 1000000 };

	for (;;) {
		struct fib *fibs = fib_load_all(l);
		bool done = fib_servers_complete(l, fibs);

		fib_free_all(l, fibs);
		if (done)
			return 0;
		if (now_s() > deadline) {
			ck_err_set(err, l->st->name, 0, 0, "sessions are up "
				   "but servers' routes did not complete in "
				   "%d s; see 'fabric-lab check'",
				   l->timeout_s);
			return -1;
		}
		nanosleep(&pause, NULL);
	}
}

int converge_wait(struct lab *l, double *secs, struct ck_err *err)
{
	double t0 = now_s(), deadline = t0 + l->timeout_s;
	struct timespec pause = { 0, 200 * 1000000 };
	uint32_t i, done = 0;
	int m = 0;

	/* nodes converge in any order; remember those already done */
	while (done < l->t->nnodes) {
		for (i = done; i < l->t->nnodes; i++) {
			m = missing_sessions(l, i, err);
			if (m != 0)
				break;
			done++;
		}
		if (done == l->t->nnodes)
			break;
		if (now_s() > deadline) {
			ck_err_set(err, l->t->nodes[done].name, 0, 0, "BGP "
				   "did not converge in %d s: %d expected "
				   "session(s) still down here; see "
				   "'fabric-lab check'", l->timeout_s, m);
			return -1;
		}
		nanosleep(&pause, NULL);
	}
	if (wait_routes(l, deadline, err) < 0)
		return -1;
	*secs = now_s() - t0;
	return 0;
}
