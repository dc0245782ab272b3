#include "nodecfg.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nodename.h"
#include "sha256.h"
#include "xalloc.h"

#define FAIL(f, c, ...) \
	(((f)->code = (c)), ck_err_set(&(f)->err, "", 0, 0, __VA_ARGS__))

void nodecfg_free(struct nodecfg *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->n_loopbacks; i++)
		free(c->loopbacks[i]);
	for (i = 0; i < c->n_ifaces; i++) {
		free(c->ifaces[i].name);
		free(c->ifaces[i].peer_node);
		free(c->ifaces[i].peer_port);
	}
	for (i = 0; i < c->n_peers; i++) {
		free(c->peers[i].iface);
		free(c->peers[i].node);
	}
	free(c->loopbacks);
	free(c->ifaces);
	free(c->peers);
	free(c->name);
	free(c->role);
	free(c->frr_conf);
	free(c->node_json);
	free(c);
}

/* Interface names as the kernel accepts them: 1-15 chars, no '/' or space. */
static int ifname_ok(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n < 16 && strcspn(s, "/ \t\n:") == n &&
	       strcmp(s, ".") != 0 && strcmp(s, "..") != 0;
}

static int prefix_ok(const char *s)
{
	char buf[INET6_ADDRSTRLEN];
	const char *slash = strchr(s, '/');
	struct in_addr a;
	struct in6_addr a6;
	int len;

	if (slash == NULL || (size_t)(slash - s) >= sizeof(buf))
		return 0;
	memcpy(buf, s, (size_t)(slash - s));
	buf[slash - s] = '\0';
	len = atoi(slash + 1);
	if (strspn(slash + 1, "0123456789") != strlen(slash + 1) || len < 1)
		return 0;
	if (inet_pton(AF_INET, buf, &a) == 1)
		return len <= 32;
	return inet_pton(AF_INET6, buf, &a6) == 1 && len <= 128;
}

static int get_str(json_t *o, const char *key, char **out,
		   struct nodecfg_fail *f)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_string(v)) {
		FAIL(f, "invalid-bundle", "node.%s: expected a string", key);
		return -1;
	}
	*out = xstrdup(json_string_value(v));
	return 0;
}

static int get_int(json_t *o, const char *key, long long lo, long long hi,
		   long long *out, struct nodecfg_fail *f)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_integer(v) || json_integer_value(v) < lo ||
	    json_integer_value(v) > hi) {
		FAIL(f, "invalid-bundle",
		     "node.%s: expected an integer in %lld..%lld", key, lo, hi);
		return -1;
	}
	*out = json_integer_value(v);
	return 0;
}

static int parse_loopbacks(struct nodecfg *c, json_t *node,
			   struct nodecfg_fail *f)
{
	json_t *a = json_object_get(node, "loopbacks"), *v;
	size_t i;

	if (!json_is_array(a)) {
		FAIL(f, "invalid-bundle", "node.loopbacks: expected an array");
		return -1;
	}
	c->loopbacks = xcalloc(json_array_size(a) + 1, sizeof(char *));
	json_array_foreach(a, i, v) {
		if (!json_is_string(v) || !prefix_ok(json_string_value(v))) {
			FAIL(f, "invalid-bundle",
			     "node.loopbacks[%zu]: expected an IPv4 or IPv6 "
			     "prefix like 10.0.0.1/32 or fd00::1/128", i);
			return -1;
		}
		c->loopbacks[c->n_loopbacks++] = xstrdup(json_string_value(v));
	}
	return 0;
}

/* "peer": {"node", "port"}, optional: what LLDP should see on the port
 * (GET /v1/cabling, the push's cabling check). */
static int parse_iface_peer(struct nodecfg_iface *it, json_t *peer, size_t i,
			    struct nodecfg_fail *f)
{
	const char *node = json_string_value(json_object_get(peer, "node"));
	const char *port = json_string_value(json_object_get(peer, "port"));
	const char *why;

	if (peer == NULL)
		return 0;
	if (!node || ck_nodename_check(node, &why) < 0 || !port ||
	    !ifname_ok(port)) {
		FAIL(f, "invalid-bundle", "node.interfaces[%zu].peer: expected "
		     "{\"node\": a node name, \"port\": an interface name}", i);
		return -1;
	}
	it->peer_node = xstrdup(node);
	it->peer_port = xstrdup(port);
	return 0;
}

static int parse_iface(struct nodecfg_iface *it, json_t *v, size_t i,
		       struct nodecfg_fail *f)
{
	json_t *name = json_object_get(v, "name");
	json_t *mtu = json_object_get(v, "mtu");

	if (!json_is_string(name) || !ifname_ok(json_string_value(name)) ||
	    !json_is_integer(mtu) || json_integer_value(mtu) < 68 ||
	    json_integer_value(mtu) > 65535) {
		FAIL(f, "invalid-bundle",
		     "node.interfaces[%zu]: expected {\"name\": an interface "
		     "name, \"mtu\": 68..65535}", i);
		return -1;
	}
	/* the peer first: it allocates only when it succeeds, and an iface
	 * that fails owns nothing (it is not counted, so not freed) */
	if (parse_iface_peer(it, json_object_get(v, "peer"), i, f) < 0)
		return -1;
	it->name = xstrdup(json_string_value(name));
	it->mtu = (int)json_integer_value(mtu);
	return 0;
}

static int parse_ifaces(struct nodecfg *c, json_t *node,
			struct nodecfg_fail *f)
{
	json_t *a = json_object_get(node, "interfaces"), *v;
	size_t i;

	if (!json_is_array(a)) {
		FAIL(f, "invalid-bundle", "node.interfaces: expected an array");
		return -1;
	}
	c->ifaces = xcalloc(json_array_size(a) + 1, sizeof(*c->ifaces));
	json_array_foreach(a, i, v) {
		if (parse_iface(&c->ifaces[i], v, i, f) < 0)
			return -1;
		c->n_ifaces++;
	}
	return 0;
}

static int parse_peer(struct nodecfg_peer *p, json_t *v, size_t i,
		      struct nodecfg_fail *f)
{
	json_t *ifc = json_object_get(v, "interface");
	json_t *node = json_object_get(v, "peerNode");
	json_t *asn = json_object_get(v, "peerAsn");

	if (!json_is_string(ifc) || !ifname_ok(json_string_value(ifc)) ||
	    !json_is_string(node) || !json_is_integer(asn) ||
	    json_integer_value(asn) < 1 ||
	    json_integer_value(asn) > 4294967295LL) {
		FAIL(f, "invalid-bundle",
		     "node.bgpPeers[%zu]: expected {\"interface\", "
		     "\"peerNode\", \"peerAsn\"}", i);
		return -1;
	}
	p->iface = xstrdup(json_string_value(ifc));
	p->node = xstrdup(json_string_value(node));
	p->asn = json_integer_value(asn);
	return 0;
}

static int parse_peers(struct nodecfg *c, json_t *node, struct nodecfg_fail *f)
{
	json_t *a = json_object_get(node, "bgpPeers"), *v;
	size_t i;

	if (!json_is_array(a)) {
		FAIL(f, "invalid-bundle", "node.bgpPeers: expected an array");
		return -1;
	}
	c->peers = xcalloc(json_array_size(a) + 1, sizeof(*c->peers));
	json_array_foreach(a, i, v) {
		if (parse_peer(&c->peers[i], v, i, f) < 0)
			return -1;
		c->n_peers++;
	}
	return 0;
}

static int parse_node(struct nodecfg *c, json_t *node, struct nodecfg_fail *f)
{
	long long mtu = 0;

	if (!json_is_object(node)) {
		FAIL(f, "invalid-bundle", "node: expected an object");
		return -1;
	}
	if (get_str(node, "name", &c->name, f) < 0 ||
	    get_str(node, "role", &c->role, f) < 0 ||
	    get_int(node, "generation", 1, 1LL << 53, &c->generation, f) < 0 ||
	    get_int(node, "asn", 1, 4294967295LL, &c->asn, f) < 0 ||
	    get_int(node, "mtu", 68, 65535, &mtu, f) < 0 ||
	    parse_loopbacks(c, node, f) < 0 || parse_ifaces(c, node, f) < 0 ||
	    parse_peers(c, node, f) < 0)
		return -1;
	c->mtu = (int)mtu;
	c->bfd = json_is_object(json_object_get(node, "bfd"));
	c->node_json = json_dumps(node, JSON_COMPACT | JSON_SORT_KEYS);
	return 0;
}

static int check_sum(struct nodecfg *c, json_t *node, struct nodecfg_fail *f)
{
	json_t *sum = json_object_get(
		json_object_get(json_object_get(node, "files"), "frr.conf"),
		"sha256");

	if (!json_is_string(sum)) {
		FAIL(f, "invalid-bundle",
		     "node.files[\"frr.conf\"].sha256: expected a string");
		return -1;
	}
	ck_sha256_hex(c->frr_conf, strlen(c->frr_conf), c->frr_sha);
	if (strcmp(json_string_value(sum), c->frr_sha) != 0) {
		FAIL(f, "checksum-mismatch",
		     "frr.conf: sha256 is %s but node.json says %s; rebuild "
		     "the bundle with fabric-gen", c->frr_sha,
		     json_string_value(sum));
		return -1;
	}
	return 0;
}

static struct nodecfg *build(json_t *node, const char *frr,
			     struct nodecfg_fail *f)
{
	struct nodecfg *c = xcalloc(1, sizeof(*c));

	c->frr_conf = xstrdup(frr);
	if (parse_node(c, node, f) < 0 || check_sum(c, node, f) < 0) {
		nodecfg_free(c);
		return NULL;
	}
	return c;
}

static int top_fields(json_t *root, json_t **node, const char **frr,
		      long long *gen, long *confirm, struct nodecfg_fail *f)
{
	json_t *g = json_object_get(root, "generation");
	json_t *ct = json_object_get(root, "confirmTimeoutS");
	json_t *am = json_object_get(root, "allowMiswired");
	json_t *conf = json_object_get(json_object_get(root, "files"),
				       "frr.conf");

	*node = json_object_get(root, "node");
	if (!json_is_object(root) || !json_is_object(*node) ||
	    !json_is_string(conf) || !json_is_integer(g) ||
	    (ct && (!json_is_integer(ct) || json_integer_value(ct) < 1 ||
		    json_integer_value(ct) > 86400)) ||
	    (am && !json_is_boolean(am))) {
		FAIL(f, "invalid-bundle",
		     "body: expected {\"node\": {...}, \"files\": "
		     "{\"frr.conf\": \"...\"}, \"generation\": N, optional "
		     "\"confirmTimeoutS\": 1..86400, optional \"allowMiswired\": "
		     "true|false}");
		return -1;
	}
	*frr = json_string_value(conf);
	*gen = json_integer_value(g);
	*confirm = ct ? (long)json_integer_value(ct) : 0;
	return 0;
}

static struct nodecfg *parse_root(json_t *root, const char *expect_name,
				  struct nodecfg_fail *f)
{
	json_t *node;
	const char *frr;
	long long gen;
	long confirm;
	struct nodecfg *c;

	if (top_fields(root, &node, &frr, &gen, &confirm, f) < 0 ||
	    (c = build(node, frr, f)) == NULL)
		return NULL;
	if (gen != c->generation) {
		FAIL(f, "invalid-bundle",
		     "generation %lld differs from node.generation %lld", gen,
		     c->generation);
	} else if (expect_name && strcmp(c->name, expect_name) != 0) {
		FAIL(f, "wrong-node",
		     "bundle is for node '%s' but this agent is '%s'; check "
		     "the inventory", c->name, expect_name);
	} else {
		c->confirm_timeout_s = confirm;
		c->allow_miswired = json_is_true(json_object_get(root,
							"allowMiswired"));
		return c;
	}
	nodecfg_free(c);
	return NULL;
}

struct nodecfg *nodecfg_parse(const char *body, size_t len,
			      const char *expect_name, struct nodecfg_fail *f)
{
	json_error_t je;
	json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
	struct nodecfg *c;

	if (root == NULL) {
		FAIL(f, "bad-json", "body: line %d column %d: %s", je.line,
		     je.column, je.text);
		return NULL;
	}
	c = parse_root(root, expect_name, f);
	json_decref(root);
	return c;
}

struct nodecfg *nodecfg_from_parts(const char *node_json, const char *frr_conf,
				   struct nodecfg_fail *f)
{
	json_error_t je;
	json_t *node = json_loads(node_json, 0, &je);
	struct nodecfg *c;

	if (node == NULL) {
		FAIL(f, "bad-json", "node.json: line %d: %s", je.line, je.text);
		return NULL;
	}
	c = build(node, frr_conf, f);
	json_decref(node);
	return c;
}
