/* Namespaces and veth cables through ip(8) batch files: one exec builds
 * every cable, whatever the fabric's size. */
#include "lab.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fsutil.h"
#include "run.h"
#include "sbuf.h"
#include "xalloc.h"

#define IP_TIMEOUT_MS 60000

static int ip_batch(struct lab *l, const char *ns, const char *tag,
		    struct sbuf *batch, struct ck_err *err)
{
	char *path = xasprintf("%s/ip-%s.batch", l->st->dir, tag);
	const char *argv[] = { "ip", "-batch", path, NULL, NULL, NULL };
	const char *nsargv[] = { "ip", "-n", ns, "-batch", path, NULL };
	struct sbuf out;
	int rc;

	sbuf_init(&out);
	rc = fs_write_atomic(path, batch->s ? batch->s : "", batch->len, err);
	if (rc == 0)
		rc = run_argv(ns ? nsargv : argv, IP_TIMEOUT_MS, &out, err);
	if (rc > 0)
		ck_err_set(err, path, 0, 0, "ip -batch failed: %s",
			   out.s ? out.s : "");
	sbuf_free(&out);
	free(path);
	return rc == 0 ? 0 : -1;
}

void netns_mgmt_addr(uint32_t node, char buf[16])
{
	/* LAB_MAX_NODES keeps both parts below 256 */
	snprintf(buf, 16, "169.254.%u.%u", (node / 250 + 1) & 255,
		 (node % 250 + 1) & 255);
}

int netns_create(struct lab *l, struct ck_err *err)
{
	struct sbuf b;
	uint32_t i;
	int rc;

	sbuf_init(&b);
	for (i = 0; i < l->t->nnodes; i++) {
		sbuf_addf(&b, "netns add %s\n", l->ns[i]);
		state_add_namespace(l->st, l->ns[i]);
	}
	sbuf_addf(&b, "netns add %s\n", l->mgmt_ns);
	state_add_namespace(l->st, l->mgmt_ns);
	/* recorded before they exist: a failure half-way is still undone */
	rc = state_save(l->st, err);
	if (rc == 0)
		rc = ip_batch(l, NULL, "netns", &b, err);
	sbuf_free(&b);
	return rc;
}

int netns_cable(struct lab *l, struct ck_err *err)
{
	const struct topo *t = l->t;
	struct sbuf b;
	uint32_t k;
	int rc;

	sbuf_init(&b);
	for (k = 0; k < t->nlinks; k++) {
		const struct topo_port *a = &t->ports[t->links[k].a_port];
		const struct topo_port *z = &t->ports[t->links[k].b_port];

		uint32_t mtu = topo_port_mtu(t, t->links[k].a_port);

		sbuf_addf(&b, "link add %s netns %s mtu %u type veth peer %s "
			  "netns %s mtu %u\n", a->name, l->ns[a->node], mtu,
			  z->name, l->ns[z->node], mtu);
	}
	/* the management network: mgmt0 of every node on one bridge in the
	 * lab's management namespace, where fabricctl runs */
	for (k = 0; k < t->nnodes; k++)
		sbuf_addf(&b, "link add mgmt0 netns %s type veth peer m%u "
			  "netns %s\n", l->ns[k], k, l->mgmt_ns);
	rc = ip_batch(l, NULL, "cables", &b, err);
	sbuf_free(&b);
	return rc;
}

int netns_mgmt(struct lab *l, struct ck_err *err)
{
	struct sbuf b;
	uint32_t i;
	int rc;

	sbuf_init(&b);
	sbuf_adds(&b, "link set lo up\nlink add br0 type bridge\n"
		  "addr add 169.254.255.254/16 dev br0\nlink set br0 up\n");
	for (i = 0; i < l->t->nnodes; i++)
		sbuf_addf(&b, "link set m%u master br0 up\n", i);
	rc = ip_batch(l, l->mgmt_ns, "mgmt", &b, err);
	sbuf_free(&b);
	return rc;
}

static int ns_sysctl(const char *ns, const char *const *kv,
		     struct ck_err *err)
{
	const char *argv[16] = { "ip", "netns", "exec", ns, "sysctl", "-q",
				 "-w" };
	size_t n = 7;
	struct sbuf out;
	int rc;

	while (*kv && n < 15)
		argv[n++] = *kv++;
	sbuf_init(&out);
	rc = run_argv(argv, IP_TIMEOUT_MS, &out, err);
	if (rc > 0)
		ck_err_set(err, ns, 0, 0, "sysctl failed: %s", out.s);
	sbuf_free(&out);
	return rc == 0 ? 0 : -1;
}

#define HASH_SEED_SYSCTL "/proc/sys/net/ipv4/fib_multipath_hash_seed"

/* A per-node ECMP hash seed, from the node's name (FNV-1a; never 0, which
 * asks the kernel for its own). With one seed for every namespace, each hop
 * of a path hashes a flow alike, so its choices are correlated (hash
 * polarisation): a ToR could send every flow from one server pair to one
 * spine whatever the ports. Real switches are given distinct seeds for the
 * same reason. A fixed seed per name also makes a lab's paths the same from
 * one run to the next. */
static unsigned long hash_seed(const char *name)
{
	uint32_t h = 2166136261u;

	for (; *name; name++)
		h = (h ^ (unsigned char)*name) * 16777619u;
	return h ? h : 1;
}

/* What every box has before closkit touches it: loopback up, a management
 * interface (which fabricd must leave alone), IPv6 on (for link-local BGP
 * sessions) with no autoconfiguration surprises, and its own ECMP hash
 * seed, as a switch has from its vendor. */
int netns_base(struct lab *l, uint32_t node, struct ck_err *err)
{
	const char *kv[4] = {
		"net.ipv6.conf.all.disable_ipv6=0",
		"net.ipv6.conf.default.accept_ra=0", NULL, NULL };
	struct sbuf b;
	char tag[32], seed[64];
	int rc;

	/* the sysctl exists from Linux 6.11 on; older kernels keep theirs */
	if (access(HASH_SEED_SYSCTL, F_OK) == 0) {
		snprintf(seed, sizeof(seed), "net.ipv4.fib_multipath_hash_seed=%lu",
			 hash_seed(l->t->nodes[node].name));
		kv[2] = seed;
	}

	char mgmt[16];

	netns_mgmt_addr(node, mgmt);
	sbuf_init(&b);
	sbuf_addf(&b, "link set lo up\naddr add %s/16 dev mgmt0\n"
		  "link set mgmt0 up\n", mgmt);
	snprintf(tag, sizeof(tag), "base-%u", node);
	rc = ip_batch(l, l->ns[node], tag, &b, err);
	sbuf_free(&b);
	return rc == 0 ? ns_sysctl(l->ns[node], kv, err) : -1;
}

int netns_apply_node(struct lab *l, uint32_t node, struct ck_err *err)
{
	static const char *const kv[] = {
		"net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1",
		"net.ipv4.fib_multipath_hash_policy=1",
		"net.ipv6.fib_multipath_hash_policy=1", NULL };
	const struct topo_node *n = &l->t->nodes[node];
	struct sbuf b;
	char ip[16], tag[32];
	uint32_t p;
	int rc;

	sbuf_init(&b);
	sbuf_addf(&b, "addr add %s/32 dev lo\n", topo_ip4(n->addr, ip));
	for (p = n->first_port; p < n->first_port + n->nports; p++)
		sbuf_addf(&b, "link set %s up\n", l->t->ports[p].name);
	snprintf(tag, sizeof(tag), "apply-%u", node);
	rc = ip_batch(l, l->ns[node], tag, &b, err);
	sbuf_free(&b);
	return rc == 0 ? ns_sysctl(l->ns[node], kv, err) : -1;
}

int netns_delete(const char *ns, struct ck_err *err)
{
	const char *argv[] = { "ip", "netns", "delete", ns, NULL };
	int rc = run_argv(argv, IP_TIMEOUT_MS, NULL, err);

	return rc == 0 ? 0 : -1;
}
