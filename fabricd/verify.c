#include "verify.h"

#include <string.h>

#include "nodecfg.h"

static const char *bgp_state(json_t *bgp, const char *iface)
{
	json_t *p = json_object_get(
		json_object_get(json_object_get(bgp, "ipv4Unicast"), "peers"),
		iface);
	const char *s = json_string_value(json_object_get(p, "state"));

	return s ? s : "absent";
}

static const char *bfd_status(json_t *bfd, const char *iface)
{
	json_t *o;
	size_t i;

	json_array_foreach(bfd, i, o) {
		const char *ifc = json_string_value(json_object_get(o, "interface"));
		const char *st = json_string_value(json_object_get(o, "status"));

		if (ifc && st && strcmp(ifc, iface) == 0)
			return st;
	}
	return "absent";
}

static json_t *load(const char *s)
{
	json_t *j = s ? json_loads(s, 0, NULL) : NULL;

	return j ? j : json_object();
}

int verify_peers(const struct nodecfg *c, const char *bgp_json,
		 const char *bfd_json, int check_bfd, struct sbuf *why)
{
	json_t *bgp = load(bgp_json), *bfd = load(bfd_json);
	size_t i;
	int ok = 1;

	for (i = 0; i < c->n_peers; i++) {
		const char *ifc = c->peers[i].iface;
		const char *b = bgp_state(bgp, ifc);
		const char *f = bfd_status(bfd, ifc);

		if (strcmp(b, "Established") == 0 &&
		    (!check_bfd || !c->bfd || strcmp(f, "up") == 0))
			continue;
		ok = 0;
		if (why)
			sbuf_addf(why, "%s%s (%s): bgp %s, bfd %s",
				  why->len ? "; " : "", ifc, c->peers[i].node,
				  b, f);
	}
	json_decref(bgp);
	json_decref(bfd);
	return ok;
}

static json_t *row(const char *ifc, const char *node, json_t *bgp, json_t *bfd)
{
	return json_pack("{s:s, s:s, s:s, s:s}", "interface", ifc, "peerNode",
			 node, "bgp", bgp_state(bgp, ifc), "bfd",
			 bfd_status(bfd, ifc));
}

json_t *verify_peer_table(const struct nodecfg *c, const char *bgp_json,
			  const char *bfd_json)
{
	json_t *bgp = load(bgp_json), *bfd = load(bfd_json), *t = json_array();
	json_t *peers = json_object_get(json_object_get(bgp, "ipv4Unicast"),
					"peers"), *v;
	const char *k;
	size_t i;

	if (c)
		for (i = 0; i < c->n_peers; i++)
			json_array_append_new(t, row(c->peers[i].iface,
						     c->peers[i].node, bgp, bfd));
	else
		json_object_foreach(peers, k, v)
			json_array_append_new(t, row(k, "", bgp, bfd));
	json_decref(bgp);
	json_decref(bfd);
	return t;
}
