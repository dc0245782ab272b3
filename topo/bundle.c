#include "bundle.h"

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "addr6.h"
#include "bundlefmt.h"
#include "ctx.h"
#include "export.h"
#include "fsutil.h"
#include "outdir.h"
#include "sbuf.h"
#include "sha256.h"
#include "xalloc.h"

int bundle_render_frr(const struct topo *t, const struct mustache_set *set,
		      uint32_t node, struct sbuf *out, struct ck_err *err)
{
	const char *name = ctx_template(t, node);
	const struct mustache *m = mustache_set_get(set, name);
	json_t *ctx;
	int rc;

	if (m == NULL) {
		ck_err_set(err, name, 0, 0, "template missing");
		return -1;
	}
	ctx = ctx_node(t, node);
	rc = mustache_render(m, ctx, MUSTACHE_NO_CTRL | MUSTACHE_STRICT, out,
			     err);
	json_decref(ctx);
	return rc;
}

static void fill_iface(const struct topo *t, uint32_t p,
		       struct bundlefmt_iface *f)
{
	const struct topo_port *pt = &t->ports[p];
	const struct topo_port *peer = &t->ports[pt->peer_port];
	const struct topo_node *pn = &t->nodes[peer->node];

	f->name = pt->name;
	f->mtu = topo_port_mtu(t, p);
	f->speed_mbps = pt->speed_mbps;
	f->direction = pt->up ? "up" : "down";
	f->proxy_arp = pn->role == ROLE_SERVER && pn->routing == HOST_STATIC;
	f->peer_node = pn->name;
	f->peer_port = peer->name;
}

/* A BGP session runs on a port unless one end is a static-mode server. */
static bool port_has_bgp(const struct topo *t, const struct topo_node *n,
			 uint32_t p)
{
	const struct topo_node *pn =
		&t->nodes[t->ports[t->ports[p].peer_port].node];

	if (n->role == ROLE_SERVER)
		return n->routing == HOST_BGP;
	return pn->role != ROLE_SERVER || pn->routing == HOST_BGP;
}

/* The addresses the agent puts on lo: the IPv4 /32, and the /128 in a
 * dual-stack fabric. */
static void fill_loopbacks(const struct topo *t, const struct topo_node *n,
			   struct bundlefmt_node *o)
{
	char ip[INET6_ADDRSTRLEN];

	o->loopbacks = arena_alloc(&o->mem, 2 * sizeof(char *));
	o->loopbacks[o->n_loopbacks++] = arena_printf(&o->mem, "%s/32",
						      o->router_id);
	if (t->dual_stack)
		o->loopbacks[o->n_loopbacks++] = arena_printf(
			&o->mem, "%s/128", addr6_node(t, n, ip));
}

static void fill_ports(const struct topo *t, const struct topo_node *n,
		       struct bundlefmt_node *o)
{
	uint32_t p;

	o->ifaces = arena_alloc(&o->mem, (n->nports + 1) * sizeof(*o->ifaces));
	o->peers = arena_alloc(&o->mem, (n->nports + 1) * sizeof(*o->peers));
	for (p = n->first_port; p < n->first_port + n->nports; p++) {
		const struct topo_node *pn =
			&t->nodes[t->ports[t->ports[p].peer_port].node];
		struct bundlefmt_peer *bp = &o->peers[o->n_peers];

		fill_iface(t, p, &o->ifaces[o->n_ifaces++]);
		if (!port_has_bgp(t, n, p))
			continue;
		bp->iface = t->ports[p].name;
		bp->peer_node = pn->name;
		bp->peer_asn = pn->asn;
		o->n_peers++;
	}
}

void bundle_node(const struct topo *t, uint32_t node, const char *frr_sha256,
		 struct bundlefmt_node *o)
{
	const struct topo_node *n = &t->nodes[node];
	char ip[16];

	memset(o, 0, sizeof(*o));
	o->name = n->name;
	o->role = topo_role_name(n->role);
	o->fabric = t->name;
	o->generation = (long long)t->generation;
	if (n->role == ROLE_SERVER)
		o->host_routing = n->routing == HOST_BGP ? "bgp" : "static";
	o->asn = (long long)n->asn;
	o->router_id = arena_strdup(&o->mem, topo_ip4(n->addr, ip));
	fill_loopbacks(t, n, o);
	o->mtu = n->mtu;
	o->has_bfd = true;
	o->bfd_interval_ms = n->bfd_interval_ms;
	o->bfd_multiplier = n->bfd_multiplier;
	fill_ports(t, n, o);
	o->frr_sha256 = frr_sha256;
}

/* Node bundles are independent, so they are rendered and written by one
 * thread per core; everything that depends on order (the manifest, the
 * first error reported) is assembled afterwards in node order, so the
 * output stays byte-identical whatever the thread count. */
struct job {
	const struct topo *t;
	const struct bundle_opts *o;
	int nodesfd;		/* -1 in dry-run */
	unsigned nthreads;
	char (*sha)[65];	/* node.json sha256 per node, "" if skipped */
	pthread_mutex_t lock;
	uint32_t err_node;	/* lowest failing node, TOPO_NONE if none */
	struct ck_err err;
};

struct worker {
	struct job *job;
	unsigned k;
	struct sbuf frr;
	struct bundle_stats st;
	struct ck_err err;
};

static int put_file(struct worker *w, int dirfd, const char *name,
		    const char *data, size_t len)
{
	w->st.files++;
	w->st.bytes += len;
	if (dirfd < 0)
		return 0;
	return fs_write_at(dirfd, name, data, len, &w->err);
}

static int node_dir(struct worker *w, const char *name)
{
	int fd;

	if (w->job->nodesfd < 0)
		return -1;
	if (mkdirat(w->job->nodesfd, name, 0755) < 0 ||
	    (fd = openat(w->job->nodesfd, name, O_RDONLY | O_DIRECTORY)) <
		    0) {
		ck_err_set(&w->err, name, 0, 0, "cannot create node "
			   "directory: %s", strerror(errno));
		return -2;
	}
	return fd;
}

static char *node_json_text(const struct topo *t, uint32_t i,
			    const char *frr_sha)
{
	struct bundlefmt_node n;
	char *js;

	bundle_node(t, i, frr_sha, &n);
	js = bundlefmt_node_text(&n);
	bundlefmt_node_free(&n);
	return js;
}

static int write_node(struct worker *w, uint32_t i)
{
	const struct topo *t = w->job->t;
	char sha[65];
	char *js;
	int fd, rc;

	sbuf_reset(&w->frr);
	if (bundle_render_frr(t, w->job->o->templates, i, &w->frr,
			      &w->err) < 0)
		return -1;
	ck_sha256_hex(w->frr.s, w->frr.len, sha);
	js = node_json_text(t, i, sha);
	ck_sha256_hex(js, strlen(js), w->job->sha[i]);
	fd = node_dir(w, t->nodes[i].name);
	rc = fd == -2 ? -1 : 0;
	if (rc == 0)
		rc = put_file(w, fd, "frr.conf", w->frr.s, w->frr.len);
	if (rc == 0)
		rc = put_file(w, fd, "node.json", js, strlen(js));
	if (fd >= 0)
		close(fd);
	free(js);
	w->st.nodes++;
	return rc;
}

static bool selected(const struct job *j, uint32_t i)
{
	return j->o->only == NULL ||
	       fnmatch(j->o->only, j->t->nodes[i].name, 0) == 0;
}

static void record_error(struct worker *w, uint32_t i)
{
	struct job *j = w->job;

	pthread_mutex_lock(&j->lock);
	if (j->err_node == TOPO_NONE || i < j->err_node) {
		j->err_node = i;
		j->err = w->err;
	}
	pthread_mutex_unlock(&j->lock);
}

static void *worker_run(void *arg)
{
	struct worker *w = arg;
	struct job *j = w->job;
	uint32_t i;

	/* interleaved, so servers and switches spread evenly */
	for (i = w->k; i < j->t->nnodes; i += j->nthreads) {
		if (!selected(j, i))
			continue;
		if (write_node(w, i) < 0) {
			record_error(w, i);
			break;
		}
	}
	return NULL;
}

static unsigned thread_count(uint32_t nnodes)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	const char *env = getenv("CLOSKIT_THREADS");

	if (env && atoi(env) > 0)
		n = atoi(env);
	if (n < 1)
		n = 1;
	if (n > 16)
		n = 16;
	if ((uint32_t)n > nnodes / 64 + 1)	/* not worth it for tiny fabrics */
		n = nnodes / 64 + 1;
	return (unsigned)n;
}

static int run_workers(struct job *j, struct bundle_stats *st)
{
	struct worker *w = xcalloc(j->nthreads, sizeof(*w));
	pthread_t *tid = xcalloc(j->nthreads, sizeof(*tid));
	unsigned k;

	for (k = 0; k < j->nthreads; k++) {
		w[k].job = j;
		w[k].k = k;
		sbuf_init(&w[k].frr);
		if (k > 0 && pthread_create(&tid[k], NULL, worker_run,
					    &w[k]) != 0)
			worker_run(&w[k]);	/* no thread: do it here */
	}
	worker_run(&w[0]);
	for (k = 1; k < j->nthreads; k++) {
		if (tid[k])
			pthread_join(tid[k], NULL);
	}
	for (k = 0; k < j->nthreads; k++) {
		st->nodes += w[k].st.nodes;
		st->files += w[k].st.files;
		st->bytes += w[k].st.bytes;
		sbuf_free(&w[k].frr);
	}
	free(w);
	free(tid);
	return j->err_node == TOPO_NONE ? 0 : -1;
}

static char *manifest_text(const struct job *j)
{
	const struct topo *t = j->t;
	struct bundlefmt_manifest m = { .fabric = t->name };
	uint32_t i;
	char *s;

	m.generation = (long long)t->generation;
	m.nodes = xcalloc(t->nnodes + 1, sizeof(*m.nodes));
	for (i = 0; i < t->nnodes; i++) {
		const struct topo_node *n = &t->nodes[i];
		struct bundlefmt_entry *e = &m.nodes[m.n_nodes];

		if (j->sha[i][0] == '\0')
			continue;
		e->name = n->name;
		e->role = topo_role_name(n->role);
		e->pod = n->pod == TOPO_NONE ? NULL : t->pods[n->pod].name;
		e->sha256 = j->sha[i];
		m.n_nodes++;
	}
	s = bundlefmt_manifest_text(&m);
	free(m.nodes);
	return s;
}

static int write_sbuf(struct worker *w, int dirfd, const char *name,
		      struct sbuf *b)
{
	int rc = put_file(w, dirfd, name, b->s ? b->s : "", b->len);

	sbuf_reset(b);
	return rc;
}

static int write_fabric_files(struct job *j, int dirfd,
			      struct bundle_stats *st, struct ck_err *err)
{
	struct worker w = { .job = j };
	char *ms = manifest_text(j);
	struct sbuf b;
	int rc;

	sbuf_init(&b);
	sbuf_adds(&b, ms);
	free(ms);
	rc = write_sbuf(&w, dirfd, "manifest.json", &b);
	export_json(j->t, &b);
	if (rc == 0)
		rc = write_sbuf(&w, dirfd, "topology.json", &b);
	export_cabling(j->t, &b);
	if (rc == 0)
		rc = write_sbuf(&w, dirfd, "cabling.csv", &b);
	export_dot(j->t, &b);
	if (rc == 0)
		rc = write_sbuf(&w, dirfd, "topology.dot", &b);
	sbuf_free(&b);
	st->files += w.st.files;
	st->bytes += w.st.bytes;
	if (rc < 0)
		*err = w.err;
	return rc;
}

static int write_all(struct job *j, int topfd, struct bundle_stats *st,
		     struct ck_err *err)
{
	int rc;

	j->sha = xcalloc(j->t->nnodes ? j->t->nnodes : 1, sizeof(*j->sha));
	j->err_node = TOPO_NONE;
	pthread_mutex_init(&j->lock, NULL);
	json_object_seed(0);	/* before threads create objects */
	rc = run_workers(j, st);
	pthread_mutex_destroy(&j->lock);
	if (rc < 0) {
		if (err)
			*err = j->err;
	} else if (j->o->only && st->nodes == 0) {
		ck_err_set(err, "", 0, 0, "--only '%s' matches no node; "
			   "see 'fabric-gen show' for names", j->o->only);
		rc = -1;
	} else {
		rc = write_fabric_files(j, topfd, st, err);
	}
	free(j->sha);
	return rc;
}

static int open_staging(struct job *j, const char *staging, int *topfd,
			struct ck_err *err)
{
	*topfd = open(staging, O_RDONLY | O_DIRECTORY);
	if (*topfd < 0 || mkdirat(*topfd, "nodes", 0755) < 0 ||
	    (j->nodesfd = openat(*topfd, "nodes", O_RDONLY | O_DIRECTORY)) <
		    0) {
		ck_err_set(err, staging, 0, 0, "cannot prepare output: %s",
			   strerror(errno));
		return -1;
	}
	return 0;
}

int bundle_build(const struct topo *t, const struct bundle_opts *o,
		 const char *outdir, struct bundle_stats *st,
		 struct ck_err *err)
{
	struct job j = { .t = t, .o = o, .nodesfd = -1 };
	struct outdir od = { NULL, NULL };
	char *staging = NULL;
	int topfd = -1, rc = -1;

	memset(st, 0, sizeof(*st));
	j.nthreads = thread_count(t->nnodes);
	if (!o->dry_run) {
		if (outdir_prepare(outdir, o->protect, o->force, &od, err) < 0)
			return -1;
		staging = fs_dir_staging(od.path, err);
		if (staging == NULL || open_staging(&j, staging, &topfd,
						    err) < 0)
			goto out;
	}
	rc = write_all(&j, topfd, st, err);
	if (rc == 0 && staging)
		rc = fs_dir_replace(staging, od.path, err);
out:
	if (j.nodesfd >= 0)
		close(j.nodesfd);
	if (topfd >= 0)
		close(topfd);
	if (rc < 0 && staging)
		fs_rmtree(staging);
	if (rc < 0)
		outdir_undo(&od);
	outdir_free(&od);
	free(staging);
	return rc;
}
