#include "dump.h"

static void dump_link(struct out_stream *s, const struct net *n, uint32_t l)
{
	char id[512];

	out_open(s, NULL, '{', 0);
	out_str(s, "id", net_link_name(n, l, id, sizeof(id)));
	out_str(s, "from", n->t->nodes[n->from[l]].name);
	out_str(s, "to", n->t->nodes[n->to[l]].name);
	out_real(s, "capacityBps", n->cap[l]);
	out_close(s);
}

int dump_links(const struct net *n, FILE *out, struct ck_err *err)
{
	struct out_stream s;
	struct sbuf b;
	uint32_t l;

	sbuf_init(&b);
	out_stream_init(&s, &b, out);
	for (l = 0; l < n->nlinks; l++)
		if (net_alive(n, l))
			dump_link(&s, n, l);
	sbuf_free(&b);
	return out_finish(out, "links", err);
}

void dump_path(struct out_stream *s, const char *key, const struct net *n,
	       const uint32_t *link, uint32_t nlinks)
{
	char id[512];
	uint32_t i;

	out_open(s, key, '[', 0);
	for (i = 0; i < nlinks; i++)
		out_str(s, NULL, net_link_name(n, link[i], id, sizeof(id)));
	out_close(s);
}

int dump_flows(const struct net *n, const struct flows *f, FILE *out,
	       struct ck_err *err)
{
	struct out_stream s;
	struct sbuf b;
	uint32_t i;

	sbuf_init(&b);
	out_stream_init(&s, &b, out);
	for (i = 0; i < f->n; i++) {
		out_open(&s, NULL, '{', 0);
		out_str(&s, "src", n->t->nodes[f->src[i]].name);
		out_str(&s, "dst", n->t->nodes[f->dst[i]].name);
		out_real(&s, "demandBps", f->demand[i]);
		out_real(&s, "rateBps", f->rate[i]);
		dump_path(&s, "path", n, f->link + f->off[i],
			  f->off[i + 1] - f->off[i]);
		out_close(&s);
	}
	sbuf_free(&b);
	return out_finish(out, "flows", err);
}
