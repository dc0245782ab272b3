#include "portcheck.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "nodecfg.h"
#include "xalloc.h"

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

/* p->seen from the neighbour LLDP reports on p's port (none: nothing),
 * and p's state. */
static enum cabling_state see(struct cabling_port *p,
			      const struct lldp_neighbor *nb, size_t nn)
{
	const struct lldp_neighbor *s = find(nb, nn, p->self.port);

	p->seen.node = s && s->node[0] ? s->node : NULL;
	p->seen.port = p->seen.node ? s->peer_port : NULL;
	return cabling_classify(p);
}

/* One port as GET /v1/cabling and the miswired refusal list it. */
static json_t *port_json(const struct cabling_port *p, enum cabling_state s)
{
	return json_pack("{s:s, s:o, s:o, s:s}", "port", p->self.port,
			 "expected", cabling_end_json(&p->expected), "seen",
			 cabling_end_json(&p->seen), "state",
			 cabling_state_name(s));
}

static void add(json_t *ports, struct cabling_port *p,
		const struct lldp_neighbor *nb, size_t nn, unsigned long *counts)
{
	enum cabling_state s = see(p, nb, nn);

	counts[s]++;
	json_array_append_new(ports, port_json(p, s));
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

		add(ports, &p, nb, nn, k);
	}
	for (i = 0; i < nn; i++)
		if (strncmp(nb[i].port, "swp", 3) == 0 &&
		    !planned_port(planned, n, nb[i].port)) {
			struct cabling_port p = { { node, nb[i].port },
						  { NULL, NULL },
						  { NULL, NULL } };

			add(ports, &p, nb, nn, k);
		}
	for (s = CABLING_OK; s <= CABLING_UNEXPECTED; s++)
		json_object_set_new(c, cabling_state_name(s),
				    json_integer((json_int_t)k[s]));
	if (counts)
		memcpy(counts, k, sizeof(k));
	return json_pack("{s:s, s:o, s:o}", "node", node, "ports", ports,
			 "counts", c);
}

/* The neighbours, after making sure lldpd announces the node's name as
 * its system name (neighbours compare against node names): lldpd's
 * default is the host name, which a switch may not have set. */
static int neighbors(const struct config *c, const struct lldp_ops *ops,
		     struct lldp_neighbor **nb, size_t *nn, struct ck_err *err)
{
	struct ck_err e2;

	if (!ops) {
		ck_err_set(err, "", 0, 0, "this agent has no LLDP reader");
		return -1;
	}
	if (ops->system_name && ops->system_name(c, c->node, &e2) == 1)
		log_info("lldpd: system name set to %s", c->node);
	return ops->neighbors(c, nb, nn, err);
}

/* n's interfaces as planned ports of node (a borrowed view of n). */
static struct cabling_port *planned_of(const struct nodecfg *n,
				       const char *node, size_t *count)
{
	struct cabling_port *p;
	size_t i;

	*count = n ? n->n_ifaces : 0;
	p = xcalloc(*count + 1, sizeof(*p));
	for (i = 0; i < *count; i++) {
		p[i].self.node = node;
		p[i].self.port = n->ifaces[i].name;
		p[i].expected.node = n->ifaces[i].peer_node;
		p[i].expected.port = n->ifaces[i].peer_port;
	}
	return p;
}

json_t *portcheck_node(const struct config *c, const struct lldp_ops *ops,
		       const struct nodecfg *n,
		       unsigned long counts[CABLING__COUNT], struct ck_err *err)
{
	struct lldp_neighbor *nb;
	struct cabling_port *p;
	size_t nn, np;
	json_t *j;

	if (neighbors(c, ops, &nb, &nn, err) < 0)
		return NULL;
	p = planned_of(n, c->node, &np);
	j = portcheck_json(c->node, p, np, nb, nn, counts);
	free(p);
	free(nb);
	return j;
}

static bool is_peer_port(const struct nodecfg *n, const char *port)
{
	size_t i;

	for (i = 0; i < n->n_peers; i++)
		if (strcmp(n->peers[i].iface, port) == 0)
			return true;
	return false;
}

int portcheck_miswired(const struct config *c, const struct lldp_ops *ops,
		       const struct nodecfg *n, struct sbuf *why,
		       json_t *ports, struct ck_err *err)
{
	struct lldp_neighbor *nb;
	struct cabling_port *p;
	size_t nn, np, i;
	int found = 0;

	if (neighbors(c, ops, &nb, &nn, err) < 0)
		return -1;
	p = planned_of(n, c->node, &np);
	for (i = 0; i < np; i++) {
		if (!is_peer_port(n, p[i].self.port) ||
		    see(&p[i], nb, nn) != CABLING_MISWIRED)
			continue;
		sbuf_addf(why, "%s%s (sees %s %s, planned %s %s)",
			  found ? "; " : "", p[i].self.port, p[i].seen.node,
			  p[i].seen.port, p[i].expected.node,
			  p[i].expected.port);
		json_array_append_new(ports, port_json(&p[i], CABLING_MISWIRED));
		found++;
	}
	free(p);
	free(nb);
	return found;
}
