#include "dump.h"

#include <errno.h>
#include <string.h>


int dump_finish(FILE *out, const char *what, struct ck_err *err)
{
	if (fflush(out) == 0 && !ferror(out))
		return 0;
	ck_err_set(err, NULL, 0, 0, "writing the %s: %s", what,
		   strerror(errno));
	return -1;
}

/* Node and port names are [A-Za-z0-9._-] (fabric-gen validates them), so
 * they go into JSON strings without escaping. */
int dump_links(const struct net *n, FILE *out, struct ck_err *err)
{
	uint32_t l;
	char id[512];

	for (l = 0; l < n->nlinks; l++)
		if (net_alive(n, l))
			fprintf(out, "{\"id\": \"%s\", \"from\": \"%s\", "
				"\"to\": \"%s\", \"capacityBps\": %.17g}\n",
				net_link_name(n, l, id, sizeof(id)),
				n->t->nodes[n->from[l]].name,
				n->t->nodes[n->to[l]].name, n->cap[l]);
	return dump_finish(out, "links", err);
}

void dump_path(struct sbuf *b, const struct net *n, const uint32_t *link,
	       uint32_t nlinks)
{
	char id[512];
	uint32_t i;

	sbuf_addc(b, '[');
	for (i = 0; i < nlinks; i++)
		sbuf_addf(b, "%s\"%s\"", i ? ", " : "",
			  net_link_name(n, link[i], id, sizeof(id)));
	sbuf_addc(b, ']');
}

int dump_flows(const struct net *n, const struct flows *f, FILE *out,
	       struct ck_err *err)
{
	struct sbuf b;
	uint32_t i;

	sbuf_init(&b);
	for (i = 0; i < f->n; i++) {
		sbuf_reset(&b);
		sbuf_addf(&b, "{\"src\": \"%s\", \"dst\": \"%s\", "
			  "\"demandBps\": %.17g, \"rateBps\": %.17g, "
			  "\"path\": ", n->t->nodes[f->src[i]].name,
			  n->t->nodes[f->dst[i]].name, f->demand[i],
			  f->rate[i]);
		dump_path(&b, n, f->link + f->off[i], f->off[i + 1] - f->off[i]);
		sbuf_adds(&b, "}\n");
		fputs(b.s, out);
	}
	sbuf_free(&b);
	return dump_finish(out, "flows", err);
}
