#include "ctlcabling.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cabling.h"
#include "out.h"
#include "xalloc.h"

/* One agent's ports appended to *p (strings borrowed from j). */
static size_t add_ports(json_t *j, struct cabling_port **p, size_t n,
			size_t *cap)
{
	const char *node = json_string_value(json_object_get(j, "node"));
	json_t *ports = json_object_get(j, "ports"), *o;
	size_t i;

	json_array_foreach(ports, i, o) {
		*p = xgrow(*p, cap, n + 1, sizeof(**p));
		memset(&(*p)[n], 0, sizeof(**p));
		(*p)[n].self.node = node;
		(*p)[n].self.port = json_string_value(json_object_get(o, "port"));
		cabling_end_of(json_object_get(o, "expected"), &(*p)[n].expected);
		cabling_end_of(json_object_get(o, "seen"), &(*p)[n].seen);
		n++;
	}
	return n;
}

static json_t *cable_json(const struct cabling_cable *c, size_t i)
{
	json_t *o = json_pack("{s:s, s:o, s:o, s:o, s:o}", "state",
			      cabling_state_name(c[i].state), "a",
			      cabling_end_json(&c[i].a), "b", cabling_end_json(&c[i].b),
			      "aPlanned", cabling_end_json(&c[i].a_plan), "bPlanned",
			      cabling_end_json(&c[i].b_plan));
	struct cabling_end x, y;

	if (c[i].swap >= 0 &&
	    cabling_swap_ends(&c[i], &c[c[i].swap], &x, &y) == 0)
		json_object_set_new(o, "swap", json_pack(
			"{s:I, s:[o, o]}", "with", (json_int_t)c[i].swap,
			"exchange", cabling_end_json(&x), cabling_end_json(&y)));
	return o;
}

/* Text: a cable a line, then what each end should reach, the swap. */
static const char *end_str(json_t *e, char *buf, size_t len)
{
	if (!json_is_object(e))
		return "nothing";
	snprintf(buf, len, "%s %s",
		 json_string_value(json_object_get(e, "node")),
		 json_string_value(json_object_get(e, "port")));
	return buf;
}

static void print_cable(json_t *c, FILE *out)
{
	const char *st = json_string_value(json_object_get(c, "state"));
	json_t *sw = json_object_get(c, "swap");
	char a[600], b[600], p[600], q[600];

	fprintf(out, "%-10s %s -- %s\n", st,
		end_str(json_object_get(c, "a"), a, sizeof(a)),
		end_str(json_object_get(c, "b"), b, sizeof(b)));
	if (strcmp(st, "missing") == 0) {
		fprintf(out, "           planned, but neither end sees the "
			"other over LLDP\n");
		return;
	}
	if (!json_is_null(json_object_get(c, "aPlanned")) ||
	    strcmp(st, "unexpected") == 0)
		fprintf(out, "           %s: planned to %s\n", a,
			end_str(json_object_get(c, "aPlanned"), p, sizeof(p)));
	if (!json_is_null(json_object_get(c, "bPlanned")) ||
	    strcmp(st, "unexpected") == 0)
		fprintf(out, "           %s: planned to %s\n", b,
			end_str(json_object_get(c, "bPlanned"), q, sizeof(q)));
	if (sw)
		fprintf(out, "           swap: exchange the cables on %s and "
			"%s (this cable and cable %lld of the report)\n",
			end_str(json_array_get(json_object_get(sw, "exchange"),
						0), p, sizeof(p)),
			end_str(json_array_get(json_object_get(sw, "exchange"),
						1), q, sizeof(q)),
			json_integer_value(json_object_get(sw, "with")) + 1);
}

static void text(const json_t *j, FILE *out, const void *arg)
{
	json_t *c, *k = json_object_get(j, "counts");
	size_t i;

	(void)arg;
	json_array_foreach(json_object_get(j, "unanswered"), i, c)
		fprintf(out, "%-10s %s: %s\n", "unanswered",
			json_string_value(json_object_get(c, "node")),
			json_string_value(json_object_get(c, "message")));
	json_array_foreach(json_object_get(j, "cables"), i, c)
		print_cable(c, out);
	fprintf(out, "%lld miswired, %lld missing, %lld unexpected%s\n",
		json_integer_value(json_object_get(k, "miswired")),
		json_integer_value(json_object_get(k, "missing")),
		json_integer_value(json_object_get(k, "unexpected")),
		json_array_size(json_object_get(j, "cables")) ||
				json_array_size(json_object_get(j, "unanswered"))
			? "" : ": cabled as planned");
}

static json_t *parse(const struct client_req *r)
{
	json_t *j = r->resp.s ? json_loads(r->resp.s, 0, NULL) : NULL;

	if (j && r->http == 200 && json_is_array(json_object_get(j, "ports")))
		return j;
	json_decref(j);
	return NULL;
}

static json_t *view(const struct cabling_cable *c, size_t m, json_t *failed)
{
	size_t i, counts[CABLING__COUNT] = { 0 };
	json_t *a = json_array(), *k = json_object();

	for (i = 0; i < m; i++) {
		counts[c[i].state]++;
		json_array_append_new(a, cable_json(c, i));
	}
	for (i = CABLING_MISWIRED; i <= CABLING_UNEXPECTED; i++)
		json_object_set_new(k, cabling_state_name(i),
				    json_integer((json_int_t)counts[i]));
	return json_pack("{s:o, s:o, s:O}", "cables", a, "counts", k,
			 "unanswered", failed);
}

int ctlcabling_report(struct client_req *r, size_t n,
		      const struct out_ops *fmt, FILE *out)
{
	json_t **j = xcalloc(n + 1, sizeof(*j)), *failed = json_array(), *v;
	struct cabling_port *p = NULL;
	struct cabling_cable *c;
	size_t i, np = 0, cap = 0, m;
	int rc;

	for (i = 0; i < n; i++) {
		j[i] = parse(&r[i]);
		if (j[i]) {
			np = add_ports(j[i], &p, np, &cap);
			continue;
		}
		json_array_append_new(failed, json_pack("{s:s, s:I, s:s}",
			"node", r[i].node, "http", (json_int_t)r[i].http,
			"message", r[i].http ? (r[i].resp.s ? r[i].resp.s : "")
					     : r[i].error));
	}
	m = cabling_fold(p, np, &c);
	v = view(c, m, failed);
	{
		struct out_view ov = { v, NULL, text, NULL };

		fmt->write(&ov, out);
	}
	json_decref(v);
	rc = m || json_array_size(failed) ? 1 : 0;
	free(c);
	free(p);
	for (i = 0; i < n; i++)
		json_decref(j[i]);
	free(j);
	json_decref(failed);
	return rc;
}
