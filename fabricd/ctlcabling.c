#include "ctlcabling.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cabling.h"
#include "xalloc.h"

static void end_of(json_t *o, struct cabling_end *e)
{
	e->node = json_string_value(json_object_get(o, "node"));
	e->port = json_string_value(json_object_get(o, "port"));
}

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
		end_of(json_object_get(o, "expected"), &(*p)[n].expected);
		end_of(json_object_get(o, "seen"), &(*p)[n].seen);
		n++;
	}
	return n;
}

static json_t *end_json(const struct cabling_end *e)
{
	if (!e->node)
		return json_null();
	return json_pack("{s:s, s:s}", "node", e->node, "port", e->port);
}

static json_t *cable_json(const struct cabling_cable *c, size_t i)
{
	json_t *o = json_pack("{s:s, s:o, s:o, s:o, s:o}", "state",
			      cabling_state_name(c[i].state), "a",
			      end_json(&c[i].a), "b", end_json(&c[i].b),
			      "aPlanned", end_json(&c[i].a_plan), "bPlanned",
			      end_json(&c[i].b_plan));
	struct cabling_end x, y;

	if (c[i].swap >= 0 &&
	    cabling_swap_ends(&c[i], &c[c[i].swap], &x, &y) == 0)
		json_object_set_new(o, "swap", json_pack(
			"{s:I, s:[o, o]}", "with", (json_int_t)c[i].swap,
			"exchange", end_json(&x), end_json(&y)));
	return o;
}

static const char *end_str(const struct cabling_end *e, char *buf, size_t len)
{
	if (!e->node)
		return "nothing";
	snprintf(buf, len, "%s %s", e->node, e->port);
	return buf;
}

static void print_cable(const struct cabling_cable *c, size_t i, FILE *out)
{
	char a[600], b[600], pa[600], pb[600];
	struct cabling_end x, y;

	fprintf(out, "%-10s %s -- %s\n", cabling_state_name(c[i].state),
		end_str(&c[i].a, a, sizeof(a)), end_str(&c[i].b, b, sizeof(b)));
	if (c[i].state == CABLING_MISSING) {
		fprintf(out, "           planned, but neither end sees the "
			"other over LLDP\n");
		return;
	}
	if (c[i].a_plan.node || c[i].state == CABLING_UNEXPECTED)
		fprintf(out, "           %s: planned to %s\n", a,
			end_str(&c[i].a_plan, pa, sizeof(pa)));
	if (c[i].b_plan.node || c[i].state == CABLING_UNEXPECTED)
		fprintf(out, "           %s: planned to %s\n", b,
			end_str(&c[i].b_plan, pb, sizeof(pb)));
	if (c[i].swap > (long)i &&
	    cabling_swap_ends(&c[i], &c[c[i].swap], &x, &y) == 0)
		fprintf(out, "           swap: exchange the cables on %s and "
			"%s (this cable and the next one of the pair)\n",
			end_str(&x, pa, sizeof(pa)), end_str(&y, pb, sizeof(pb)));
}

static json_t *parse(const struct client_req *r)
{
	json_t *j = r->resp.s ? json_loads(r->resp.s, 0, NULL) : NULL;

	if (j && r->http == 200 && json_is_array(json_object_get(j, "ports")))
		return j;
	json_decref(j);
	return NULL;
}

static void report(const struct cabling_cable *c, size_t m, json_t *failed,
		   int json, FILE *out)
{
	size_t i, counts[CABLING__COUNT] = { 0 };

	for (i = 0; i < m; i++)
		counts[c[i].state]++;
	if (json) {
		json_t *o = json_object(), *a = json_array(), *k = json_object();

		for (i = 0; i < m; i++)
			json_array_append_new(a, cable_json(c, i));
		for (i = CABLING_MISWIRED; i <= CABLING_UNEXPECTED; i++)
			json_object_set_new(k, cabling_state_name(i),
					    json_integer((json_int_t)counts[i]));
		json_object_set_new(o, "cables", a);
		json_object_set_new(o, "counts", k);
		json_object_set(o, "unanswered", failed);
		json_dumpf(o, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', out);
		json_decref(o);
		return;
	}
	for (i = 0; i < m; i++)
		print_cable(c, i, out);
	fprintf(out, "%zu miswired, %zu missing, %zu unexpected%s\n",
		counts[CABLING_MISWIRED], counts[CABLING_MISSING],
		counts[CABLING_UNEXPECTED], m ? "" : ": cabled as planned");
}

int ctlcabling_report(struct client_req *r, size_t n, int json, FILE *out)
{
	json_t **j = xcalloc(n + 1, sizeof(*j)), *failed = json_array();
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
		if (!json && r[i].http)
			fprintf(out, "%-10s %s: HTTP %ld: %s\n", "unanswered",
				r[i].node, r[i].http,
				r[i].resp.s ? r[i].resp.s : "");
		else if (!json)
			fprintf(out, "%-10s %s: %s\n", "unanswered",
				r[i].node, r[i].error);
	}
	m = cabling_fold(p, np, &c);
	report(c, m, failed, json, out);
	rc = m || json_array_size(failed) ? 1 : 0;
	free(c);
	free(p);
	for (i = 0; i < n; i++)
		json_decref(j[i]);
	free(j);
	json_decref(failed);
	return rc;
}
