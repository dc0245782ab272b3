/* The HTTPS server: libmicrohttpd over GnuTLS, TLS 1.2 or newer, a client
 * certificate signed by the configured CA required on every request (and
 * its common name in allowed_clients when that is set), and the limits of
 * fabricd.conf(5): max_connections (per address too), connection_timeout_s,
 * max_header_kb, max_bundle_kb. Two I/O threads; each complete request
 * goes to api_handle() in a thread of its own (at most 16; more get 503)
 * while its connection is suspended. */
#ifndef FD_HTTPD_H
#define FD_HTTPD_H

#include "agent.h"
#include "err.h"

struct httpd;

/* Do tls_cert/tls_key form a pair, and does client_ca hold at least one
 * CA certificate? (fabricd -n, and before serving.) */
int httpd_check_tls(const struct config *c, struct ck_err *err);
struct httpd *httpd_start(struct agent *a, struct ck_err *err);
void httpd_stop(struct httpd *h);

#endif
