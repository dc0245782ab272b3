#include "bundlefmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nodename.h"
#include "xalloc.h"

/* A reader: where errors point (file, and the key path so far, e.g.
 * "interfaces[2].") and where strings go. */
struct rd {
	const char *file;
	struct arena *mem;
	struct ck_err *err;
	char at[48];
};

static const char *type_name(json_type t)
{
	switch (t) {
	case JSON_OBJECT:	return "an object";
	case JSON_ARRAY:	return "an array";
	case JSON_STRING:	return "a string";
	case JSON_INTEGER:	return "an integer";
	default:		return "true or false";
	}
}

static bool type_ok(const json_t *v, json_type t)
{
	if (t == JSON_TRUE)
		return json_is_boolean(v);
	return v != NULL && json_typeof(v) == t;
}

/* o[key] if it has type t (JSON_TRUE: a boolean), else NULL with err
 * naming the key. */
static const json_t *want(struct rd *r, const json_t *o, const char *key,
			  json_type t)
{
	const json_t *v = json_object_get(o, key);

	if (type_ok(v, t))
		return v;
	if (v == NULL)
		ck_err_set(r->err, r->file, 0, 0, "no \"%s%s\" (expected %s)",
			   r->at, key, type_name(t));
	else
		ck_err_set(r->err, r->file, 0, 0, "\"%s%s\": expected %s",
			   r->at, key, type_name(t));
	return NULL;
}

static int get_str(struct rd *r, const json_t *o, const char *key,
		   const char **out)
{
	const json_t *v = want(r, o, key, JSON_STRING);

	if (v == NULL)
		return -1;
	*out = arena_strdup(r->mem, json_string_value(v));
	return 0;
}

static int get_int(struct rd *r, const json_t *o, const char *key,
		   long long *out)
{
	const json_t *v = want(r, o, key, JSON_INTEGER);

	if (v == NULL)
		return -1;
	*out = json_integer_value(v);
	return 0;
}

static int get_bool(struct rd *r, const json_t *o, const char *key, bool *out)
{
	const json_t *v = want(r, o, key, JSON_TRUE);

	if (v == NULL)
		return -1;
	*out = json_is_true(v);
	return 0;
}

/* Element i of array key must be an object; sets r->at to "key[i]." */
static const json_t *elem(struct rd *r, const json_t *a, const char *key,
			  size_t i)
{
	const json_t *v = json_array_get(a, i);

	snprintf(r->at, sizeof(r->at), "%s[%zu].", key, i);
	if (json_is_object(v))
		return v;
	ck_err_set(r->err, r->file, 0, 0, "\"%s[%zu]\": expected an object",
		   key, i);
	return NULL;
}

/* Text as every bundle file has it: 2-space indent and a newline. Steals
 * j. */
static char *text_of(json_t *j)
{
	char *s = json_dumps(j, JSON_INDENT(2));
	size_t len = strlen(s);

	json_decref(j);
	s = xrealloc(s, len + 2);
	s[len] = '\n';
	s[len + 1] = '\0';
	return s;
}

/* --- manifest.json -------------------------------------------------------- */

/* Why entry i is not one, or NULL; names and roles always, sha256 unless
 * lenient. */
static const char *entry_problem(const json_t *o, size_t i, unsigned flags,
				 char *buf, size_t len)
{
	const char *name = json_string_value(json_object_get(o, "name"));
	const json_t *pod = json_object_get(o, "pod");
	const json_t *sha = json_object_get(o, "sha256");
	const char *why;

	if (!json_is_object(o))
		snprintf(buf, len, "nodes[%zu] is not an object", i);
	else if (name == NULL)
		snprintf(buf, len, "nodes[%zu] has no \"name\"", i);
	else if (ck_nodename_check(name, &why) < 0)
		snprintf(buf, len, "nodes[%zu]: node name '%.80s' %s (a node "
			 "name is one host-name label: lower-case letters, "
			 "digits and '-', at most %d characters)", i, name,
			 why, CK_NODENAME_MAX);
	else if (!json_is_string(json_object_get(o, "role")))
		snprintf(buf, len, "nodes[%zu] ('%s') has no \"role\"", i, name);
	else if (pod != NULL && !json_is_string(pod) && !json_is_null(pod))
		snprintf(buf, len, "nodes[%zu] ('%s'): \"pod\" is neither a "
			 "string nor null", i, name);
	else if (!json_is_string(sha) && (sha || !(flags & BUNDLEFMT_LENIENT)))
		snprintf(buf, len, "nodes[%zu] ('%s') has no \"sha256\"", i,
			 name);
	else
		return NULL;
	return buf;
}

static const char *top_problem(const json_t *m, unsigned flags)
{
	const json_t *f = json_object_get(m, "fabric");
	const json_t *g = json_object_get(m, "generation");
	bool lenient = flags & BUNDLEFMT_LENIENT;

	if (!json_is_object(m))
		return "not a JSON object";
	if (f ? !json_is_string(f) : !lenient)
		return f ? "'fabric' is not a string" : "no 'fabric' name";
	if (g ? !json_is_integer(g) : !lenient)
		return g ? "'generation' is not an integer" :
			   "no 'generation' number";
	if (!json_is_array(json_object_get(m, "nodes")))
		return "no 'nodes' list";
	return NULL;
}

static const char *problem(const json_t *m, unsigned flags, char *buf,
			   size_t len)
{
	const json_t *nodes = json_object_get(m, "nodes");
	const char *why = top_problem(m, flags);
	size_t i;

	for (i = 0; why == NULL && i < json_array_size(nodes); i++)
		why = entry_problem(json_array_get(nodes, i), i, flags, buf,
				    len);
	return why;
}

static const char *opt_str(struct arena *mem, const json_t *o,
			   const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? arena_strdup(mem, s) : NULL;
}

/* m has passed problem(): copy it into the struct. */
static void fill_manifest(const json_t *j, struct bundlefmt_manifest *m)
{
	const json_t *nodes = json_object_get(j, "nodes"), *o;
	size_t i;

	m->fabric = opt_str(&m->mem, j, "fabric");
	m->generation = json_integer_value(json_object_get(j, "generation"));
	m->n_nodes = json_array_size(nodes);
	m->nodes = arena_alloc(&m->mem, (m->n_nodes + 1) * sizeof(*m->nodes));
	json_array_foreach(nodes, i, o) {
		m->nodes[i].name = opt_str(&m->mem, o, "name");
		m->nodes[i].role = opt_str(&m->mem, o, "role");
		m->nodes[i].pod = opt_str(&m->mem, o, "pod");
		m->nodes[i].sha256 = opt_str(&m->mem, o, "sha256");
	}
}

int bundlefmt_manifest_read(const char *dir, unsigned flags,
			    struct bundlefmt_manifest *m, struct ck_err *err)
{
	char *path = xasprintf("%s/manifest.json", dir), buf[512];
	json_error_t je;
	json_t *j = json_load_file(path, 0, &je);
	const char *why = j ? problem(j, flags, buf, sizeof(buf)) : je.text;

	memset(m, 0, sizeof(*m));
	if (why != NULL)
		ck_err_set(err, path, j ? 0 : je.line, j ? 0 : je.column,
			   "not a closkit manifest (%s)", why);
	else
		fill_manifest(j, m);
	json_decref(j);
	free(path);
	return why ? -1 : 0;
}

char *bundlefmt_manifest_text(const struct bundlefmt_manifest *m)
{
	json_t *nodes = json_array();
	size_t i;

	for (i = 0; i < m->n_nodes; i++) {
		const struct bundlefmt_entry *e = &m->nodes[i];

		json_array_append_new(nodes, json_pack(
			"{s:s, s:s, s:s?, s:s}", "name", e->name, "role",
			e->role, "pod", e->pod, "sha256", e->sha256));
	}
	return text_of(json_pack("{s:s, s:I, s:o}", "fabric", m->fabric,
				 "generation", (json_int_t)m->generation,
				 "nodes", nodes));
}

void bundlefmt_manifest_free(struct bundlefmt_manifest *m)
{
	arena_free(&m->mem);
	memset(m, 0, sizeof(*m));
}

/* --- node.json: reading ----------------------------------------------------- */

static int read_loopbacks(struct rd *r, const json_t *o,
			  struct bundlefmt_node *n)
{
	const json_t *a = want(r, o, "loopbacks", JSON_ARRAY), *v;
	size_t i;

	if (a == NULL)
		return -1;
	n->loopbacks = arena_alloc(r->mem, (json_array_size(a) + 1) *
				   sizeof(char *));
	json_array_foreach(a, i, v) {
		if (!json_is_string(v)) {
			ck_err_set(r->err, r->file, 0, 0, "\"loopbacks[%zu]\": "
				   "expected a string", i);
			return -1;
		}
		n->loopbacks[n->n_loopbacks++] =
			arena_strdup(r->mem, json_string_value(v));
	}
	return 0;
}

static int read_iface(struct rd *r, const json_t *a, size_t i,
		      struct bundlefmt_iface *f)
{
	const json_t *o = elem(r, a, "interfaces", i), *peer;
	size_t at;

	if (o == NULL || get_str(r, o, "name", &f->name) < 0 ||
	    get_int(r, o, "mtu", &f->mtu) < 0 ||
	    get_int(r, o, "speedMbps", &f->speed_mbps) < 0 ||
	    get_str(r, o, "direction", &f->direction) < 0 ||
	    get_bool(r, o, "proxyArp", &f->proxy_arp) < 0 ||
	    (peer = want(r, o, "peer", JSON_OBJECT)) == NULL)
		return -1;
	at = strlen(r->at);
	snprintf(r->at + at, sizeof(r->at) - at, "peer.");
	return get_str(r, peer, "node", &f->peer_node) < 0 ||
	       get_str(r, peer, "port", &f->peer_port) < 0 ? -1 : 0;
}

static int read_peer(struct rd *r, const json_t *a, size_t i,
		     struct bundlefmt_peer *p)
{
	const json_t *o = elem(r, a, "bgpPeers", i);

	return o == NULL || get_str(r, o, "interface", &p->iface) < 0 ||
	       get_str(r, o, "peerNode", &p->peer_node) < 0 ||
	       get_int(r, o, "peerAsn", &p->peer_asn) < 0 ? -1 : 0;
}

static int read_lists(struct rd *r, const json_t *o, struct bundlefmt_node *n)
{
	const json_t *ifs = want(r, o, "interfaces", JSON_ARRAY);
	const json_t *peers = ifs ? want(r, o, "bgpPeers", JSON_ARRAY) : NULL;
	size_t i;

	if (peers == NULL)
		return -1;
	n->ifaces = arena_alloc(r->mem, (json_array_size(ifs) + 1) *
				sizeof(*n->ifaces));
	for (i = 0; i < json_array_size(ifs); i++, n->n_ifaces++)
		if (read_iface(r, ifs, i, &n->ifaces[i]) < 0)
			return -1;
	n->peers = arena_alloc(r->mem, (json_array_size(peers) + 1) *
			       sizeof(*n->peers));
	for (i = 0; i < json_array_size(peers); i++, n->n_peers++)
		if (read_peer(r, peers, i, &n->peers[i]) < 0)
			return -1;
	r->at[0] = '\0';
	return 0;
}

/* "bfd" is optional; when there, both timers are. */
static int read_bfd(struct rd *r, const json_t *o, struct bundlefmt_node *n)
{
	const json_t *b = json_object_get(o, "bfd");

	if (b == NULL)
		return 0;
	if ((b = want(r, o, "bfd", JSON_OBJECT)) == NULL)
		return -1;
	n->has_bfd = true;
	snprintf(r->at, sizeof(r->at), "bfd.");
	if (get_int(r, b, "intervalMs", &n->bfd_interval_ms) < 0 ||
	    get_int(r, b, "multiplier", &n->bfd_multiplier) < 0)
		return -1;
	r->at[0] = '\0';
	return 0;
}

static int read_sha(struct rd *r, const json_t *o, struct bundlefmt_node *n)
{
	const json_t *files = want(r, o, "files", JSON_OBJECT), *frr;

	if (files == NULL)
		return -1;
	snprintf(r->at, sizeof(r->at), "files.");
	if ((frr = want(r, files, "frr.conf", JSON_OBJECT)) == NULL)
		return -1;
	snprintf(r->at, sizeof(r->at), "files.frr.conf.");
	return get_str(r, frr, "sha256", &n->frr_sha256);
}

static int read_node(struct rd *r, const json_t *o, struct bundlefmt_node *n)
{
	if (!json_is_object(o)) {
		ck_err_set(r->err, r->file, 0, 0, "expected a JSON object");
		return -1;
	}
	if (json_object_get(o, "hostRouting") &&
	    get_str(r, o, "hostRouting", &n->host_routing) < 0)
		return -1;
	return get_str(r, o, "name", &n->name) < 0 ||
	       get_str(r, o, "role", &n->role) < 0 ||
	       get_str(r, o, "fabric", &n->fabric) < 0 ||
	       get_int(r, o, "generation", &n->generation) < 0 ||
	       get_int(r, o, "asn", &n->asn) < 0 ||
	       get_str(r, o, "routerId", &n->router_id) < 0 ||
	       read_loopbacks(r, o, n) < 0 || get_int(r, o, "mtu", &n->mtu) < 0 ||
	       read_bfd(r, o, n) < 0 || read_lists(r, o, n) < 0 ||
	       read_sha(r, o, n) < 0 ? -1 : 0;
}

int bundlefmt_node_from_json(const json_t *o, const char *file,
			     struct bundlefmt_node *n, struct ck_err *err)
{
	struct rd r = { file, &n->mem, err, "" };

	memset(n, 0, sizeof(*n));
	if (read_node(&r, o, n) == 0)
		return 0;
	bundlefmt_node_free(n);
	return -1;
}

int bundlefmt_node_read(const char *path, struct bundlefmt_node *n,
			struct ck_err *err)
{
	json_error_t je;
	json_t *o = json_load_file(path, 0, &je);
	int rc;

	if (o == NULL) {
		memset(n, 0, sizeof(*n));
		ck_err_set(err, path, je.line, je.column, "%s", je.text);
		return -1;
	}
	rc = bundlefmt_node_from_json(o, path, n, err);
	json_decref(o);
	return rc;
}

void bundlefmt_node_free(struct bundlefmt_node *n)
{
	arena_free(&n->mem);
	memset(n, 0, sizeof(*n));
}

/* --- node.json: writing ------------------------------------------------------ */

static json_t *iface_json(const struct bundlefmt_iface *f)
{
	return json_pack("{s:s, s:I, s:I, s:s, s:b, s:{s:s, s:s}}", "name",
			 f->name, "mtu", (json_int_t)f->mtu, "speedMbps",
			 (json_int_t)f->speed_mbps, "direction", f->direction,
			 "proxyArp", f->proxy_arp, "peer", "node", f->peer_node,
			 "port", f->peer_port);
}

static json_t *lists_json(const struct bundlefmt_node *n, json_t **peers)
{
	json_t *ifs = json_array();
	size_t i;

	*peers = json_array();
	for (i = 0; i < n->n_ifaces; i++)
		json_array_append_new(ifs, iface_json(&n->ifaces[i]));
	for (i = 0; i < n->n_peers; i++)
		json_array_append_new(*peers, json_pack(
			"{s:s, s:s, s:I}", "interface", n->peers[i].iface,
			"peerNode", n->peers[i].peer_node, "peerAsn",
			(json_int_t)n->peers[i].peer_asn));
	return ifs;
}

json_t *bundlefmt_node_json(const struct bundlefmt_node *n)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:I}", "name", n->name, "role",
			      n->role, "fabric", n->fabric, "generation",
			      (json_int_t)n->generation);
	json_t *lo = json_array(), *ifs, *peers;
	size_t i;

	for (i = 0; i < n->n_loopbacks; i++)
		json_array_append_new(lo, json_string(n->loopbacks[i]));
	if (n->host_routing)
		json_object_set_new(o, "hostRouting",
				    json_string(n->host_routing));
	json_object_set_new(o, "asn", json_integer(n->asn));
	json_object_set_new(o, "routerId", json_string(n->router_id));
	json_object_set_new(o, "loopbacks", lo);
	json_object_set_new(o, "mtu", json_integer(n->mtu));
	if (n->has_bfd)
		json_object_set_new(o, "bfd", json_pack(
			"{s:I, s:I}", "intervalMs", (json_int_t)n->bfd_interval_ms,
			"multiplier", (json_int_t)n->bfd_multiplier));
	ifs = lists_json(n, &peers);
	json_object_set_new(o, "interfaces", ifs);
	json_object_set_new(o, "bgpPeers", peers);
	json_object_set_new(o, "files", json_pack("{s:{s:s}}", "frr.conf",
						  "sha256", n->frr_sha256));
	return o;
}

char *bundlefmt_node_text(const struct bundlefmt_node *n)
{
	return text_of(bundlefmt_node_json(n));
}
