/* fabric-lab up / down: build a fabric from its topology file in network
 * namespaces with real FRR, and remove exactly what was built. */
#include "lab.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bundle.h"
#include "fsutil.h"
#include "log.h"
#include "tmpl.h"
#include "xalloc.h"

#define LAB_MAX_NODES 400	/* what 2 cores and 24 GB hold comfortably */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void say(const struct lab *l, const char *stage, double secs)
{
	state_set_stage(l->st, stage, secs);
	if (!l->quiet)
		printf("  %-22s %6.2f s\n", stage, secs);
}

static bool clashes_with_mgmt(const char *ns, const char *lab)
{
	return strlen(ns) == strlen(lab) + 6 &&
	       strcmp(ns + strlen(lab), "--mgmt") == 0;
}

/* Namespaces, and what each node expects (its BGP peers), from the model
 * the bundle was built from: no need to read node.json back. */
static int node_data(struct lab *l, struct ck_err *err)
{
	uint32_t i;

	l->nodes = xcalloc(l->t->nnodes, sizeof(*l->nodes));
	l->ns = xcalloc(l->t->nnodes, sizeof(*l->ns));
	for (i = 0; i < l->t->nnodes; i++) {
		l->ns[i] = xasprintf("%s-%s", l->st->name,
				     l->t->nodes[i].name);
		if (clashes_with_mgmt(l->ns[i], l->st->name)) {
			ck_err_set(err, l->ns[i], 0, 0, "node name clashes "
				   "with the lab's management namespace");
			return -1;
		}
		bundle_node(l->t, i, "", &l->nodes[i]);
	}
	return 0;
}

static int build_bundle(struct lab *l, const char *templates,
			struct ck_err *err)
{
	struct bundle_opts bo = { NULL, NULL, false, false, NULL };
	struct bundle_stats st;
	int rc;

	bo.templates = tmpl_load(tmpl_dir(templates), err);
	if (bo.templates == NULL)
		return -1;
	rc = bundle_build(l->t, &bo, l->bundle, &st, err);
	mustache_set_free((struct mustache_set *)bo.templates);
	return rc;
}

/* Copy the topology into the lab, so later commands see what was built. */
static int keep_topology(struct lab *l, const char *file, struct ck_err *err)
{
	char *dst = xasprintf("%s/topology.yaml", l->st->dir), *buf;
	size_t len;
	int rc = fs_read_file(file, &buf, &len, err);

	if (rc == 0) {
		rc = fs_write_atomic(dst, buf, len, err);
		free(buf);
	}
	free(dst);
	return rc;
}

static bool ns_exists(const char *ns)
{
	char *p = xasprintf("/run/netns/%s", ns);
	struct stat st;
	bool e = stat(p, &st) == 0;

	free(p);
	return e;
}

static int prepare(struct lab *l, const struct lab_up_opts *o,
		   struct ck_err *err)
{
	double t0 = now_s();
	uint32_t i;

	if (keep_topology(l, o->file, err) < 0 ||
	    build_bundle(l, o->templates, err) < 0 ||
	    node_data(l, err) < 0)
		return -1;
	for (i = 0; i < l->t->nnodes; i++)
		if (ns_exists(l->ns[i])) {
			ck_err_set(err, l->ns[i], 0, 0, "a network namespace "
				   "of that name exists already and is not "
				   "this lab's; remove it or choose --name");
			return -1;
		}
	say(l, "bundle (fabric-gen)", now_s() - t0);
	return 0;
}

static int build_nodes(struct lab *l, struct ck_err *err)
{
	double t0 = now_s();
	uint32_t i;

	if (netns_create(l, err) < 0 || netns_cable(l, err) < 0 ||
	    netns_mgmt(l, err) < 0)
		return -1;
	for (i = 0; i < l->t->nnodes; i++)
		if (netns_base(l, i, err) < 0)
			return -1;
	say(l, "namespaces + cables", now_s() - t0);
	t0 = now_s();
	if (daemons_start_all(l, err) < 0)
		return -1;
	say(l, "FRR daemons + lldpd", now_s() - t0);
	return 0;
}

static int push_direct(struct lab *l, struct ck_err *err)
{
	double t0 = now_s();
	uint32_t i;

	for (i = 0; i < l->t->nnodes; i++)
		if (netns_apply_node(l, i, err) < 0 ||
		    daemons_load_config(l, i, err) < 0)
			return -1;
	say(l, "push (direct vtysh)", now_s() - t0);
	return 0;
}

static int push_agents(struct lab *l, struct ck_err *err)
{
	double t0 = now_s();

	if (agents_start(l, err) < 0)
		return -1;
	say(l, "agents (CA + fabricd)", now_s() - t0);
	t0 = now_s();
	if (agents_push(l, l->bundle, err) < 0)
		return -1;
	say(l, "push (fabricctl)", now_s() - t0);
	return 0;
}

static struct lab *lab_new(struct lab_state *st, struct topo *t)
{
	struct lab *l = xcalloc(1, sizeof(*l));

	l->st = st;
	l->t = t;
	l->bundle = xasprintf("%s/bundle", st->dir);
	l->mgmt_ns = xasprintf("%s--mgmt", st->name);
	l->timeout_s = 120;
	l->verify_timeout_s = 30;
	return l;
}

static int check_up_args(const struct lab_up_opts *o, struct topo **t,
			 struct ck_err *err)
{
	if (geteuid() != 0) {
		ck_err_set(err, "", 0, 0, "fabric-lab needs root (it creates "
			   "network namespaces and starts FRR); run it as "
			   "root");
		return -1;
	}
	*t = topo_load(o->file, err);
	if (*t == NULL)
		return -1;
	if ((*t)->nnodes > LAB_MAX_NODES) {
		ck_err_set(err, o->file, 0, 0, "%u nodes is more than a lab "
			   "holds here (%u); emulate a smaller topology",
			   (*t)->nnodes, LAB_MAX_NODES);
		return -1;
	}
	return 0;
}

int lab_up(const struct lab_up_opts *o, struct ck_err *err)
{
	struct topo *t = NULL;
	struct lab_state *st;
	struct lab *l;
	double secs, t0 = now_s();
	int rc;

	if (check_up_args(o, &t, err) < 0) {
		topo_free(t);
		return -1;
	}
	st = state_create(o->name ? o->name : t->name, o->file, err);
	if (st == NULL) {
		topo_free(t);
		return -1;
	}
	l = lab_new(st, t);
	l->timeout_s = o->timeout_s;
	l->verify_timeout_s = o->verify_timeout_s;
	l->quiet = o->quiet;
	if (!l->quiet)
		printf("lab %s: %u nodes, %u cables\n", st->name, t->nnodes,
		       t->nlinks);
	rc = prepare(l, o, err);
	if (rc == 0)
		rc = build_nodes(l, err);
	if (rc == 0)
		rc = o->push == LAB_PUSH_DIRECT ? push_direct(l, err)
						: push_agents(l, err);
	if (rc == 0 && (rc = converge_wait(l, &secs, err)) == 0)
		say(l, "BGP converged", secs);
	if (rc == 0)
		say(l, "total", now_s() - t0);
	state_save(l->st, NULL);
	lab_free(l);
	return rc;
}

struct lab *lab_open(const char *name, struct ck_err *err)
{
	struct lab_state *st = state_open(name, err);
	struct topo *t;
	char *file;
	struct lab *l;

	if (st == NULL)
		return NULL;
	file = xasprintf("%s/topology.yaml", st->dir);
	t = topo_load(file, err);
	free(file);
	if (t == NULL) {
		state_free(st);
		return NULL;
	}
	l = lab_new(st, t);
	if (node_data(l, err) < 0) {
		lab_free(l);
		return NULL;
	}
	return l;
}

void lab_free(struct lab *l)
{
	uint32_t i;

	if (l == NULL)
		return;
	for (i = 0; l->ns && i < l->t->nnodes; i++) {
		free(l->ns[i]);
		if (l->nodes)
			bundlefmt_node_free(&l->nodes[i]);
	}
	free(l->ns);
	free(l->nodes);
	free(l->bundle);
	free(l->mgmt_ns);
	topo_free(l->t);
	state_free(l->st);
	free(l);
}

const char *lab_ns_of(const struct lab *l, const char *node)
{
	uint32_t i = topo_find_node(l->t, node);

	return i == TOPO_NONE ? NULL : l->ns[i];
}

int lab_down(const char *name, bool quiet, struct ck_err *err)
{
	struct lab_state *st = state_open(name, err);
	json_t *nss, *ns;
	size_t i;

	if (st == NULL) {
		if (!quiet)
			printf("no lab%s%s to take down\n", name ? " " : "",
			       name ? name : "");
		return 0;
	}
	daemons_stop_all(st);
	nss = json_object_get(st->j, "namespaces");
	json_array_foreach(nss, i, ns)
		if (ns_exists(json_string_value(ns)))
			netns_delete(json_string_value(ns), NULL);
	daemons_remove_dirs(st);
	fs_rmtree(st->dir);
	if (!quiet)
		printf("lab %s: down (%zu namespaces, %zu processes "
		       "removed)\n", st->name, json_array_size(nss),
		       json_array_size(json_object_get(st->j, "processes")));
	state_free(st);
	return 0;
}
