#include "portcheck.h"

#include <stdbool.h>
#include <string.h>

static json_t *end_json(const struct cabling_end *e)
{
	if (!e->node)
		return json_null();
	return json_pack("{s:s, s:s}", "node", e->node, "port", e->port);
}

static const struct lldp_neighbor *find(const struct lldp_neighbor *nb,
					size_t nn, const char *port)
{
	size_t i;

	for (i = 0; i < nn; i++)
		if (strcmp(nb[i].port, port) == 0)
			return &nb[i];
	return NULL;
}

static bool planned_port(const struct cabling_port *p, size_t n,
			 const char *port)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(p[i].self.port, port) == 0)
			return true;
	return false;
}

static void add(json_t *ports, struct cabling_port *p,
		const struct lldp_neighbor *seen, unsigned long *counts)
{
	enum cabling_state s;

	p->seen.node = seen && seen->node[0] ? seen->node : NULL;
	p->seen.port = p->seen.node ? seen->peer_port : NULL;
	s = cabling_classify(p);
	counts[s]++;
	json_array_append_new(ports, json_pack("{s:s, s:o, s:o, s:s}", "port",
		p->self.port, "expected", end_json(&p->expected), "seen",
		end_json(&p->seen), "state", cabling_state_name(s)));
}

json_t *portcheck_json(const char *node, const struct cabling_port *planned,
		       size_t n, const struct lldp_neighbor *nb, size_t nn,
		       unsigned long counts[CABLING__COUNT])
{
	unsigned long k[CABLING__COUNT] = { 0 };
	json_t *ports = json_array(), *c = json_object();
	size_t i;
	int s;

	for (i = 0; i < n; i++) {
		struct cabling_port p = planned[i];

		add(ports, &p, find(nb, nn, p.self.port), k);
	}
	for (i = 0; i < nn; i++)
		if (strncmp(nb[i].port, "swp", 3) == 0 &&
		    !planned_port(planned, n, nb[i].port)) {
			struct cabling_port p = { { node, nb[i].port },
						  { NULL, NULL },
						  { NULL, NULL } };

			add(ports, &p, &nb[i], k);
		}
	for (s = CABLING_OK; s <= CABLING_UNEXPECTED; s++)
		json_object_set_new(c, cabling_state_name(s),
				    json_integer((json_int_t)k[s]));
	if (counts)
		memcpy(counts, k, sizeof(k));
	return json_pack("{s:s, s:o, s:o}", "node", node, "ports", ports,
			 "counts", c);
}
