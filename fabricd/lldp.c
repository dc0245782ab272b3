/* lldp_ops over liblldpctl: one synchronous connection per call to the
 * socket in lldpd_socket (fabricd.conf). */
#include "lldp.h"

#include <lldp-const.h>
#include <lldpctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

static lldpctl_conn_t *conn_open(const struct config *c, struct ck_err *err)
{
	lldpctl_conn_t *conn = lldpctl_new_name(c->lldpd_socket, NULL, NULL,
						NULL);

	if (!conn)
		ck_err_set(err, "", 0, 0, "lldpd_socket %s: cannot allocate a "
			   "connection", c->lldpd_socket);
	return conn;
}

static void conn_fail(lldpctl_conn_t *conn, const struct config *c,
		      const char *what, struct ck_err *err)
{
	ck_err_set(err, "", 0, 0, "lldpd at %s: %s: %s; is lldpd running "
		   "(lldpd_socket in fabricd.conf)?", c->lldpd_socket, what,
		   lldpctl_last_strerror(conn));
}

static void copy(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", src ? src : "");
}

/* The neighbour's port: its id when that is an interface name (or a
 * locally assigned name), else its description. */
static const char *peer_port(lldpctl_atom_t *nb)
{
	long sub = lldpctl_atom_get_int(nb, lldpctl_k_port_id_subtype);

	if (sub == LLDP_PORTID_SUBTYPE_IFNAME ||
	    sub == LLDP_PORTID_SUBTYPE_LOCAL)
		return lldpctl_atom_get_str(nb, lldpctl_k_port_id);
	return lldpctl_atom_get_str(nb, lldpctl_k_port_descr);
}

/* The first neighbour of one interface into nb; 0 when it has none. */
static int iface_neighbor(lldpctl_atom_t *iface, struct lldp_neighbor *nb)
{
	lldpctl_atom_t *port = lldpctl_get_port(iface), *list, *n;
	int found = 0;

	if (!port)
		return 0;
	list = lldpctl_atom_get(port, lldpctl_k_port_neighbors);
	lldpctl_atom_foreach(list, n) {
		lldpctl_atom_t *ch = lldpctl_atom_get(n, lldpctl_k_port_chassis);

		copy(nb->port, sizeof(nb->port),
		     lldpctl_atom_get_str(iface, lldpctl_k_interface_name));
		copy(nb->node, sizeof(nb->node),
		     ch ? lldpctl_atom_get_str(ch, lldpctl_k_chassis_name)
			: NULL);
		copy(nb->peer_port, sizeof(nb->peer_port), peer_port(n));
		lldpctl_atom_dec_ref(ch);
		found = 1;
		lldpctl_atom_dec_ref(n);
		break;
	}
	lldpctl_atom_dec_ref(list);
	lldpctl_atom_dec_ref(port);
	return found;
}

static int lldpctl_neighbors(const struct config *c, struct lldp_neighbor **out,
			     size_t *n, struct ck_err *err)
{
	lldpctl_conn_t *conn = conn_open(c, err);
	lldpctl_atom_t *ifaces, *iface;
	struct lldp_neighbor *v = NULL;
	size_t cap = 0, k = 0;

	*out = NULL;
	*n = 0;
	if (!conn)
		return -1;
	ifaces = lldpctl_get_interfaces(conn);
	if (!ifaces) {
		conn_fail(conn, c, "list interfaces", err);
		lldpctl_release(conn);
		return -1;
	}
	lldpctl_atom_foreach(ifaces, iface) {
		v = xgrow(v, &cap, k + 1, sizeof(*v));
		k += (size_t)iface_neighbor(iface, &v[k]);
	}
	lldpctl_atom_dec_ref(ifaces);
	lldpctl_release(conn);
	if (!k) {
		free(v);
		v = NULL;
	}
	*out = v;
	*n = k;
	return 0;
}

static int lldpctl_system_name(const struct config *c, const char *name,
			       struct ck_err *err)
{
	lldpctl_conn_t *conn = conn_open(c, err);
	lldpctl_atom_t *cfg, *ch;
	const char *cur;
	int rc = 0;

	if (!conn)
		return -1;
	ch = lldpctl_get_local_chassis(conn);
	cur = ch ? lldpctl_atom_get_str(ch, lldpctl_k_chassis_name) : NULL;
	if (!cur || strcmp(cur, name) != 0) {
		cfg = lldpctl_get_configuration(conn);
		if (!cfg || !lldpctl_atom_set_str(cfg, lldpctl_k_config_hostname,
						  name)) {
			conn_fail(conn, c, "set the system name", err);
			rc = -1;
		} else {
			rc = 1;
		}
		lldpctl_atom_dec_ref(cfg);
	}
	lldpctl_atom_dec_ref(ch);
	lldpctl_release(conn);
	return rc;
}

const struct lldp_ops lldp_lldpctl_ops = {
	lldpctl_neighbors,
	lldpctl_system_name,
};
