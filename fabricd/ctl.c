#include "ctl.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "ctlcabling.h"
#include "out.h"
#include "xalloc.h"

static const struct {
	const char *cmd, *method, *path;
} cmds[] = {
	{ "status", "GET", "/v1/status" },
	{ "history", "GET", "/v1/history" },
	{ "rollback", "POST", "/v1/rollback" },
	{ "drain", "POST", "/v1/drain" },
	{ "undrain", "POST", "/v1/undrain" },
	{ "cabling", "GET", "/v1/cabling" },
};

struct targets {
	char **names;	/* borrowed */
	size_t n;
};

static void add_target(struct targets *t, char *name)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (strcmp(t->names[i], name) == 0)
			return;
	t->names = xrealloc(t->names, (t->n + 1) * sizeof(char *));
	t->names[t->n++] = name;
}

/* Globs expand over the inventory; plain names are taken as they are. */
static int expand(const struct ctl_opts *o, struct targets *t,
		  struct ck_err *err)
{
	int i, hit;
	size_t k;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < o->n_targets; i++) {
		hit = 0;
		for (k = 0; o->inv && k < o->inv->n; k++)
			if (fnmatch(o->targets[i], o->inv->names[k], 0) == 0) {
				add_target(t, o->inv->names[k]);
				hit = 1;
			}
		if (!hit && strpbrk(o->targets[i], "*?[")) {
			ck_err_set(err, "", 0, 0, "'%s' matches no node of the "
				   "inventory (--inventory)", o->targets[i]);
			free(t->names);
			return -1;
		}
		if (!hit)
			add_target(t, o->targets[i]);
	}
	return 0;
}

static void run_all(const struct ctl_opts *o, struct client_req *r, size_t n,
		    const char *method, const char *path)
{
	struct client_hooks hk = { NULL, NULL, NULL, NULL };
	size_t i;

	for (i = 0; i < n; i++) {
		sbuf_reset(&r[i].resp);
		free(r[i].path);
		r[i].path = xstrdup(path);
		r[i].method = method;
		r[i].seconds = 0;
	}
	client_run(&o->tls, r, n, o->parallel, &hk);
}

static json_t *parse(const struct client_req *r)
{
	json_t *j = r->resp.s ? json_loads(r->resp.s, 0, NULL) : NULL;

	if (j == NULL)
		j = json_pack("{s:s, s:s}", "error", r->http ? "bad-response" :
			      "unreachable", "message", r->http ? "" : r->error);
	return j;
}

static double rx_total(json_t *st)
{
	json_t *ifs = json_object_get(st, "interfaces"), *i;
	double sum = 0;
	size_t k;

	json_array_foreach(ifs, k, i)
		sum += (double)json_integer_value(json_object_get(i, "rxPackets"));
	return sum;
}

static void sleep_s(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - (double)(time_t)s) * 1e9) };

	nanosleep(&ts, NULL);
}

/* drain --wait: poll the counters once a second until every node forwards
 * less than threshold packets/s (received on fabric ports), or time out. */
static int wait_quiet(const struct ctl_opts *o, struct client_req *r,
		      size_t n, FILE *out)
{
	double *last = xcalloc(n, sizeof(double)), pps = 0;
	int t, quiet = 0;
	size_t i;

	for (t = 0; t <= o->wait_timeout_s && !quiet; t++) {
		run_all(o, r, n, "GET", "/v1/status");
		quiet = t > 0;
		for (i = 0; i < n; i++) {
			json_t *j = parse(&r[i]);
			double now = rx_total(j);

			pps = now - last[i];
			if (t == 0 || r[i].http != 200 || pps >= o->threshold_pps)
				quiet = 0;
			last[i] = now;
			json_decref(j);
		}
		if (!quiet)
			sleep_s(1.0);
	}
	if (!o->quiet)
		o->out->note(out, quiet ? "drained: transit traffic is below "
			     "the threshold" : "timed out waiting for traffic "
			     "to drain");
	free(last);
	return quiet ? 0 : 1;
}

static void print_status(const char *node, const json_t *j, FILE *out)
{
	json_t *peers = json_object_get(j, "peers"), *p;
	size_t k, up = 0;

	json_array_foreach(peers, k, p)
		up += strcmp(json_string_value(json_object_get(p, "bgp")) ?
			     json_string_value(json_object_get(p, "bgp")) : "",
			     "Established") == 0;
	fprintf(out, "%-24s %10lld %-13s %-7s %3zu/%-3zu  %s\n", node,
		(long long)json_integer_value(json_object_get(j, "generation")),
		json_string_value(json_object_get(j, "state")),
		json_is_true(json_object_get(j, "drained")) ? "yes" : "no", up,
		json_array_size(peers),
		json_string_value(json_object_get(j, "lastError")));
}

static void print_one(const struct ctl_opts *o, const char *node,
		      const json_t *j, FILE *out)
{
	const char *e = json_string_value(json_object_get(j, "error"));
	char *s;

	if (e) {
		fprintf(out, "%-24s %s: %s\n", node, e,
			json_string_value(json_object_get(j, "message")));
	} else if (strcmp(o->cmd, "status") == 0) {
		print_status(node, j, out);
	} else if (strcmp(o->cmd, "history") == 0) {
		s = out_json_dumps(json_object_get(j, "transactions"));
		fprintf(out, "== %s\n%s\n", node, s);
		free(s);
	} else {
		fprintf(out, "%-24s ok\n", node);
	}
}

/* The answers as text: one line per node (history: its transactions). */
static void table(const json_t *all, FILE *out, const void *arg)
{
	const struct ctl_opts *o = arg;
	const char *node;
	json_t *j;

	if (strcmp(o->cmd, "status") == 0)
		fprintf(out, "%-24s %10s %-13s %-7s %7s  %s\n", "NODE",
			"GENERATION", "STATE", "DRAINED", "PEERS", "LAST ERROR");
	json_object_foreach((json_t *)all, node, j)
		print_one(o, node, j, out);
}

/* Every node's answer, keyed by node in the order asked for: a table, or
 * with --json the answers as the agents sent them. */
static int report(const struct ctl_opts *o, struct client_req *r, size_t n,
		  FILE *out)
{
	json_t *all = json_object();
	struct out_view v = { all, NULL, table, o };
	size_t i;
	int bad = 0;

	for (i = 0; i < n; i++) {
		bad |= r[i].http < 200 || r[i].http > 299;
		json_object_set_new(all, r[i].node, parse(&r[i]));
	}
	o->out->write(&v, out);
	json_decref(all);
	return bad;
}

int ctl_run(const struct ctl_opts *o, FILE *out, struct ck_err *err)
{
	struct targets t;
	struct client_req *r;
	size_t i, c;
	int rc;

	for (c = 0; c < sizeof(cmds) / sizeof(cmds[0]); c++)
		if (strcmp(cmds[c].cmd, o->cmd) == 0)
			break;
	if (c == sizeof(cmds) / sizeof(cmds[0]) || expand(o, &t, err) < 0)
		return -1;
	if (t.n == 0 && strcmp(o->cmd, "cabling") == 0) {
		for (i = 0; o->inv && i < o->inv->n; i++)	/* every node */
			add_target(&t, o->inv->names[i]);
		if (t.n == 0) {
			ck_err_set(err, "", 0, 0, "cabling: name the nodes, or "
				   "give an inventory (--inventory) to ask "
				   "every node of it");
			return -1;
		}
	}
	r = xcalloc(t.n + 1, sizeof(*r));
	for (i = 0; i < t.n; i++) {
		r[i].node = t.names[i];
		r[i].addr = inventory_addr(o->inv, t.names[i]);
		r[i].port = o->port;
		sbuf_init(&r[i].resp);
	}
	run_all(o, r, t.n, cmds[c].method, cmds[c].path);
	if (strcmp(o->cmd, "cabling") == 0)
		rc = ctlcabling_report(r, t.n, o->out, out);
	else
		rc = report(o, r, t.n, out);
	if (rc == 0 && o->wait && strcmp(o->cmd, "drain") == 0)
		rc = wait_quiet(o, r, t.n, out);
	for (i = 0; i < t.n; i++)
		client_req_fini(&r[i]);
	free(r);
	free(t.names);
	return rc;
}
