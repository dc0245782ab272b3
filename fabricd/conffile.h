/* fabricd.conf: "key = value" lines, '#' comments (see fabricd.conf(5)).
 * conffile_load() fills defaults, parses and validates; conffile_print() writes
 * the normalised result (fabricd -n). */
#ifndef FD_CONFFILE_H
#define FD_CONFFILE_H

#include <stdio.h>

#include "err.h"

struct config {
	char *node;		/* this box's node name (required) */
	char *listen_addr;	/* IP literal; default "::" */
	int listen_port;	/* default 8443 */
	char *tls_cert;		/* PEM files (required) */
	char *tls_key;
	char *client_ca;	/* required: no CA, no start */
	char **allowed;		/* client certificate CNs; NULL = any
				 * operator certificate; "*" alone = any
				 * certificate (needs allow_any_client) */
	size_t n_allowed;
	int allow_any_client;	/* "allowed_clients = *" meant; default no */
	char *state_dir;	/* default /var/lib/fabricd */
	char *frr_conf;		/* saved config; default /etc/frr/frr.conf */
	char *frr_pathspace;	/* vtysh -N; "" = none */
	char *vtysh;		/* default /usr/bin/vtysh */
	char *frr_vty_dir;	/* daemons' vty sockets (+ /pathspace);
				 * default /var/run/frr */
	char *lldpd_socket;	/* lldpd's control socket (GET /v1/cabling);
				 * default /run/lldpd.socket */
	char *frr_reload;	/* default /usr/lib/frr/frr-reload.py */
	char *python;		/* default /usr/bin/python3 */
	int verify_timeout_s;	/* BGP/BFD must be up within this; default 60 */
	int frr_timeout_s;	/* any one vtysh/frr-reload call; default 60 */
	int max_bundle_kb;	/* request body limit; default 1024 */
	int history_size;	/* transactions kept; default 50 */
	int max_connections;	/* concurrent HTTPS connections; default 64 */
	int max_connections_per_ip;	/* of them from one address; 0 = any;
					 * default 16 */
	int connection_timeout_s;	/* idle connection closed; default 30 */
	int max_header_kb;	/* request line + headers; default 16 */
	int check_bfd;		/* verify BFD up as well; default yes */
};

int conffile_load(const char *path, struct config *c, struct ck_err *err);
/* Parse from a string (path only names it in errors). */
int conffile_parse(const char *text, const char *path, struct config *c,
		 struct ck_err *err);
void conffile_print(const struct config *c, FILE *out);
void conffile_free(struct config *c);
/* allowed_clients = *: any certificate signed by client_ca is admitted,
 * not only operator certificates (validated: allow_any_client is set). */
int conffile_admits_any(const struct config *c);
/* Is a client certificate with this CN admitted? operator: it carries the
 * operator marker (OU closkit-operator); client_auth: its extended key
 * usage has clientAuth. NULL when admitted, else why not, as an error
 * code (client-cert-purpose, client-not-operator, client-not-allowed). */
const char *conffile_admit(const struct config *c, const char *cn,
			   int client_auth, int operator_);
#endif
