#include "httpd.h"

#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <microhttpd.h>

#include "api.h"
#include "ca.h"
#include "fsutil.h"
#include "log.h"
#include "sbuf.h"
#include "xalloc.h"

#define TLS_PRIORITIES "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2"
/* MHD threads only do TLS and HTTP I/O (never wait on the agent): one per
 * core of a small switch CPU is plenty. */
#define IO_THREADS 2
/* Requests being handled at once (each in a thread of its own, while its
 * connection is suspended); more get 503. Keeps threads + vtysh children
 * well under the unit's TasksMax. */
#define MAX_HANDLERS 16
#define HANDLER_STACK ((size_t)256 * 1024)
/* descriptors besides the connections: listen socket, epoll, pipes to
 * vtysh, state files, netlink */
#define SPARE_FDS 64

struct httpd {
	struct MHD_Daemon *d;
	struct agent *a;
	char *key, *cert, *ca;
	pthread_mutex_t mu;
	pthread_cond_t idle;
	int handlers;		/* running handler threads, under mu */
};

/* One request; freed by completed(). Between dispatch() and the handler
 * thread's resume, only that thread touches it. */
struct request {
	struct httpd *h;
	struct MHD_Connection *conn;
	struct sbuf body;
	int too_big;
	int authorized;
	int done;		/* resp is ready */
	char *method, *url, *dry_run;
	struct api_response resp;
};

/* --- client certificates ------------------------------------------------ */

/* What admission looks at in the client's certificate. */
struct peer {
	char cn[256];
	int client_auth;	/* extended key usage has clientAuth */
	int operator_;		/* subject OU is CA_OPERATOR_OU */
};

enum crt_list { KEY_PURPOSES, OUS };

static int crt_nth(gnutls_x509_crt_t crt, enum crt_list what, unsigned i,
		   char *buf, size_t *len)
{
	if (what == KEY_PURPOSES)
		return gnutls_x509_crt_get_key_purpose_oid(crt, i, buf, len,
							   NULL);
	return gnutls_x509_crt_get_dn_by_oid(crt,
		GNUTLS_OID_X520_ORGANIZATIONAL_UNIT_NAME, i, 0, buf, len);
}

/* Does the certificate's extended key usage (or subject OU) list want?
 * RFC 5280 reads a missing extended key usage as "any purpose"; closkit's
 * CA always writes one, and an agent admits only certificates that say
 * clientAuth explicitly. */
static int crt_has(gnutls_x509_crt_t crt, enum crt_list what,
		   const char *want)
{
	char v[128];
	size_t len;
	unsigned i;
	int rc;

	for (i = 0;; i++) {
		len = sizeof(v);
		rc = crt_nth(crt, what, i, v, &len);
		/* a value too long for v cannot be want: look at the next */
		if (rc == GNUTLS_E_SHORT_MEMORY_BUFFER)
			continue;
		if (rc < 0)
			return 0;
		if (strcmp(v, want) == 0)
			return 1;
	}
}

static int peer_get(gnutls_session_t s, struct peer *p)
{
	unsigned n = 0;
	const gnutls_datum_t *certs = gnutls_certificate_get_peers(s, &n);
	size_t len = sizeof(p->cn);
	gnutls_x509_crt_t crt;
	int rc;

	memset(p, 0, sizeof(*p));
	if (certs == NULL || n == 0)
		return -1;
	gnutls_x509_crt_init(&crt);
	rc = gnutls_x509_crt_import(crt, &certs[0], GNUTLS_X509_FMT_DER);
	if (rc == 0)
		rc = gnutls_x509_crt_get_dn_by_oid(crt,
						   GNUTLS_OID_X520_COMMON_NAME,
						   0, 0, p->cn, &len);
	if (rc == 0) {
		p->client_auth = crt_has(crt, KEY_PURPOSES,
					 GNUTLS_KP_TLS_WWW_CLIENT);
		p->operator_ = crt_has(crt, OUS, CA_OPERATOR_OU);
	}
	gnutls_x509_crt_deinit(crt);
	return rc == 0 ? 0 : -1;
}

/* A refusal of conffile_admit() as a 403 that says what to do. */
static void not_admitted(const char *code, const struct peer *p,
			 struct api_response *resp)
{
	char msg[512];

	if (strcmp(code, "client-cert-purpose") == 0)
		snprintf(msg, sizeof(msg), "certificate '%s' is not for TLS "
			 "clients (its extended key usage lacks clientAuth; a "
			 "node's server certificate?); use an operator "
			 "certificate: fabricctl ca issue --operator NAME", p->cn);
	else if (strcmp(code, "client-not-operator") == 0)
		snprintf(msg, sizeof(msg), "certificate '%s' is not an "
			 "operator certificate (no OU=%s); issue one with "
			 "'fabricctl ca issue --operator NAME'", p->cn,
			 CA_OPERATOR_OU);
	else
		snprintf(msg, sizeof(msg), "client '%s' is not in "
			 "allowed_clients", p->cn);
	api_error(resp, 403, code, msg);
}

/* 0 when the client may talk to us; otherwise fills resp. */
static int authorize(struct httpd *h, struct MHD_Connection *conn,
		     struct api_response *resp)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(
		conn, MHD_CONNECTION_INFO_GNUTLS_SESSION);
	gnutls_session_t s = ci ? (gnutls_session_t)ci->tls_session : NULL;
	unsigned status = 0, n = 0;
	gnutls_datum_t why = { NULL, 0 };
	const char *code;
	struct peer p;
	char msg[512];

	if (s == NULL || gnutls_certificate_get_peers(s, &n) == NULL || n == 0) {
		api_error(resp, 401, "client-cert-required", "present a client "
			  "certificate signed by the fabric CA");
		return -1;
	}
	if (gnutls_certificate_verify_peers2(s, &status) < 0 || status != 0) {
		gnutls_certificate_verification_status_print(
			status, GNUTLS_CRT_X509, &why, 0);
		snprintf(msg, sizeof(msg), "client certificate rejected: %s",
			 why.data ? (char *)why.data : "verification failed");
		gnutls_free(why.data);
		api_error(resp, 403, "client-cert-invalid", msg);
		return -1;
	}
	if (peer_get(s, &p) < 0) {
		api_error(resp, 403, "client-cert-invalid", "the client "
			  "certificate has no readable common name");
		return -1;
	}
	code = conffile_admit(h->a->cfg, p.cn, p.client_auth, p.operator_);
	if (code == NULL)
		return 0;
	not_admitted(code, &p, resp);
	return -1;
}

/* --- request handling --------------------------------------------------- */

static enum MHD_Result respond(struct MHD_Connection *conn,
			    struct api_response *resp)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(
		strlen(resp->body), resp->body, MHD_RESPMEM_MUST_COPY);
	enum MHD_Result rc;

	MHD_add_response_header(r, "Content-Type", resp->content_type);
	rc = MHD_queue_response(conn, (unsigned)resp->http, r);
	MHD_destroy_response(r);
	api_response_free(resp);
	return rc;
}

static int too_long(struct httpd *h, struct MHD_Connection *conn)
{
	const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
						     "Content-Length");

	return cl && strtoull(cl, NULL, 10) >
		     (unsigned long long)h->a->cfg->max_bundle_kb * 1024;
}

static const char *dry_run_arg(struct MHD_Connection *conn)
{
	return MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND,
					   "dryRun");
}

static void oversize(struct httpd *h, struct MHD_Connection *conn,
		     const char *method, const char *url,
		     struct api_response *resp)
{
	char msg[128];

	snprintf(msg, sizeof(msg), "request body larger than max_bundle_kb = "
		 "%d", h->a->cfg->max_bundle_kb);
	api_refuse(h->a, method, url, dry_run_arg(conn), TXN_TOO_LARGE, msg,
		   resp);
}

/* First call of a request: check the client, then the declared size. */
static enum MHD_Result first_call(struct httpd *h, struct MHD_Connection *conn,
				  const char *method, const char *url,
				  void **con_cls)
{
	struct request *rq = xcalloc(1, sizeof(*rq));
	struct api_response resp;

	sbuf_init(&rq->body);
	*con_cls = rq;
	memset(&resp, 0, sizeof(resp));
	if (authorize(h, conn, &resp) < 0)
		return respond(conn, &resp);
	if (too_long(h, conn)) {
		oversize(h, conn, method, url, &resp);
		return respond(conn, &resp);
	}
	rq->authorized = 1;
	return MHD_YES;
}

/* Handler thread: the agent may take its time (a push waits for BGP); the
 * connection stays suspended meanwhile, so no MHD thread waits. */
static void *handle(void *arg)
{
	struct request *rq = arg;
	struct httpd *h = rq->h;
	struct MHD_Connection *conn = rq->conn;

	api_handle(h->a, rq->method, rq->url, rq->dry_run, rq->body.s,
		   rq->body.len, &rq->resp);
	rq->done = 1;
	/* rq may be gone once resumed; h lives until handlers == 0 */
	MHD_resume_connection(conn);
	pthread_mutex_lock(&h->mu);
	if (--h->handlers == 0)
		pthread_cond_broadcast(&h->idle);
	pthread_mutex_unlock(&h->mu);
	return NULL;
}

static int spawn(struct httpd *h, struct request *rq)
{
	pthread_attr_t at;
	pthread_t t;
	int rc;

	pthread_mutex_lock(&h->mu);
	rc = h->handlers < MAX_HANDLERS ? 0 : -1;
	if (rc == 0)
		h->handlers++;
	pthread_mutex_unlock(&h->mu);
	if (rc < 0)
		return -1;
	pthread_attr_init(&at);
	pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&at, HANDLER_STACK);
	MHD_suspend_connection(rq->conn);
	rc = pthread_create(&t, &at, handle, rq);
	pthread_attr_destroy(&at);
	if (rc == 0)
		return 0;
	MHD_resume_connection(rq->conn);
	pthread_mutex_lock(&h->mu);
	h->handlers--;
	pthread_mutex_unlock(&h->mu);
	return -1;
}

/* The whole request is in: hand it to a handler thread, or say 503. */
static enum MHD_Result dispatch(struct httpd *h, struct MHD_Connection *conn,
				struct request *rq, const char *method,
				const char *url)
{
	const char *dry = dry_run_arg(conn);

	rq->h = h;
	rq->conn = conn;
	rq->method = xstrdup(method);
	rq->url = xstrdup(url);
	rq->dry_run = dry ? xstrdup(dry) : NULL;
	if (spawn(h, rq) == 0)
		return MHD_YES;
	api_refuse(h->a, method, url, dry, TXN_OVERLOADED, "the agent is "
		   "handling too many requests at once; retry in a second",
		   &rq->resp);
	return respond(conn, &rq->resp);
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *conn,
			       const char *url, const char *method,
			       const char *version, const char *data,
			       size_t *size, void **con_cls)
{
	struct httpd *h = cls;
	struct request *rq = *con_cls;
	struct api_response resp;

	(void)version;
	if (rq == NULL)
		return first_call(h, conn, method, url, con_cls);
	if (!rq->authorized)
		return MHD_YES;	/* refusal already queued */
	if (*size > 0) {
		if (rq->body.len + *size > (size_t)h->a->cfg->max_bundle_kb * 1024)
			rq->too_big = 1;
		else
			sbuf_add(&rq->body, data, *size);
		*size = 0;
		return MHD_YES;
	}
	if (rq->done)
		return respond(conn, &rq->resp);
	if (rq->too_big) {
		oversize(h, conn, method, url, &resp);
		return respond(conn, &resp);
	}
	return dispatch(h, conn, rq, method, url);
}

static void completed(void *cls, struct MHD_Connection *conn, void **con_cls,
		      enum MHD_RequestTerminationCode toe)
{
	struct request *rq = *con_cls;

	(void)cls;
	(void)conn;
	(void)toe;
	if (rq) {
		sbuf_free(&rq->body);
		api_response_free(&rq->resp);
		free(rq->method);
		free(rq->url);
		free(rq->dry_run);
		free(rq);
		*con_cls = NULL;
	}
}

/* --- start / stop ------------------------------------------------------- */

static int load_pems(struct httpd *h, const struct config *c,
		     struct ck_err *err)
{
	return fs_read_file(c->tls_key, &h->key, NULL, err) < 0 ||
	       fs_read_file(c->tls_cert, &h->cert, NULL, err) < 0 ||
	       fs_read_file(c->client_ca, &h->ca, NULL, err) < 0 ? -1 : 0;
}

static int listen_addr(const struct config *c, struct sockaddr_in6 *sa,
		       struct ck_err *err)
{
	struct in_addr v4;

	memset(sa, 0, sizeof(*sa));
	sa->sin6_family = AF_INET6;
	sa->sin6_port = htons((uint16_t)c->listen_port);
	if (inet_pton(AF_INET6, c->listen_addr, &sa->sin6_addr) == 1)
		return 0;
	if (inet_pton(AF_INET, c->listen_addr, &v4) == 1) {
		/* v4-mapped: one dual-stack socket serves both */
		sa->sin6_addr.s6_addr[10] = 0xff;
		sa->sin6_addr.s6_addr[11] = 0xff;
		memcpy(&sa->sin6_addr.s6_addr[12], &v4, 4);
		return 0;
	}
	ck_err_set(err, "", 0, 0, "listen_address '%s' is not an IP address",
		   c->listen_addr);
	return -1;
}

int httpd_check_tls(const struct config *c, struct ck_err *err)
{
	gnutls_certificate_credentials_t cred;
	int rc;

	gnutls_certificate_allocate_credentials(&cred);
	rc = gnutls_certificate_set_x509_key_file(cred, c->tls_cert, c->tls_key,
						  GNUTLS_X509_FMT_PEM);
	if (rc < 0)
		ck_err_set(err, c->tls_cert, 0, 0, "tls_cert/tls_key: %s; "
			   "issue a pair with 'fabricctl ca issue %s'",
			   gnutls_strerror(rc), c->node);
	else if ((rc = gnutls_certificate_set_x509_trust_file(
			  cred, c->client_ca, GNUTLS_X509_FMT_PEM)) <= 0) {
		ck_err_set(err, c->client_ca, 0, 0, "client_ca holds no CA "
			   "certificate%s%s; fabricd never runs without one",
			   rc < 0 ? ": " : "", rc < 0 ? gnutls_strerror(rc) : "");
		rc = -1;
	}
	gnutls_certificate_free_credentials(cred);
	return rc < 0 ? -1 : 0;
}

/* Each connection is a descriptor: make room for max_connections of them
 * (the soft limit is often 1024), or say what limits it. */
static int fd_room(const struct config *c, struct ck_err *err)
{
	rlim_t need = (rlim_t)c->max_connections + SPARE_FDS;
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur >= need)
		return 0;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < need) {
		ck_err_set(err, "", 0, 0, "max_connections = %d needs %llu file "
			   "descriptors but RLIMIT_NOFILE allows %llu; lower "
			   "max_connections or raise the limit (LimitNOFILE=, "
			   "ulimit -Hn)", c->max_connections,
			   (unsigned long long)need,
			   (unsigned long long)rl.rlim_max);
		return -1;
	}
	rl.rlim_cur = need;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0) {
		ck_err_set(err, "", 0, 0, "cannot raise RLIMIT_NOFILE to %llu "
			   "for max_connections: %s", (unsigned long long)need,
			   strerror(errno));
		return -1;
	}
	return 0;
}

void httpd_stop(struct httpd *h)
{
	if (h == NULL)
		return;
	/* MHD must not stop with suspended connections: let handlers end */
	pthread_mutex_lock(&h->mu);
	while (h->handlers > 0)
		pthread_cond_wait(&h->idle, &h->mu);
	pthread_mutex_unlock(&h->mu);
	if (h->d)
		MHD_stop_daemon(h->d);
	pthread_mutex_destroy(&h->mu);
	pthread_cond_destroy(&h->idle);
	free(h->key);
	free(h->cert);
	free(h->ca);
	free(h);
}

static struct MHD_Daemon *start_daemon(struct httpd *h,
				       const struct config *c,
				       struct sockaddr_in6 *sa)
{
	/* poll, not epoll: with MHD 0.9.75 an epoll thread can stall on a
	 * TLS connection whose oversized header filled its buffer (the
	 * decrypted rest waits inside GnuTLS, epoll never fires again);
	 * tests/bench/fabricd-load.sh catches it */
	return MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL |
		MHD_ALLOW_SUSPEND_RESUME | MHD_USE_TLS | MHD_USE_DUAL_STACK |
		MHD_USE_ERROR_LOG,
		(uint16_t)c->listen_port, NULL, NULL, handler, h,
		MHD_OPTION_HTTPS_MEM_KEY, h->key, MHD_OPTION_HTTPS_MEM_CERT,
		h->cert, MHD_OPTION_HTTPS_MEM_TRUST, h->ca,
		MHD_OPTION_HTTPS_PRIORITIES, TLS_PRIORITIES,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)sa,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)IO_THREADS,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)c->max_connections,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT,
		(unsigned)c->max_connections_per_ip,
		MHD_OPTION_CONNECTION_TIMEOUT,
		(unsigned)c->connection_timeout_s,
		/* the request line and headers must fit in part of this
		 * per-connection pool; more is refused (431 or reset) */
		MHD_OPTION_CONNECTION_MEMORY_LIMIT,
		(size_t)c->max_header_kb * 1024,
		MHD_OPTION_NOTIFY_COMPLETED, completed, NULL, MHD_OPTION_END);
}

struct httpd *httpd_start(struct agent *a, struct ck_err *err)
{
	struct httpd *h = xcalloc(1, sizeof(*h));
	const struct config *c = a->cfg;
	struct sockaddr_in6 sa;

	h->a = a;
	pthread_mutex_init(&h->mu, NULL);
	pthread_cond_init(&h->idle, NULL);
	if (httpd_check_tls(c, err) < 0 || load_pems(h, c, err) < 0 ||
	    listen_addr(c, &sa, err) < 0 || fd_room(c, err) < 0)
		goto fail;
	h->d = start_daemon(h, c, &sa);
	if (h->d == NULL) {
		ck_err_set(err, "", 0, 0, "cannot serve HTTPS on [%s]:%d: check "
			   "that the port is free and that tls_cert, tls_key "
			   "and client_ca hold PEM data", c->listen_addr,
			   c->listen_port);
		goto fail;
	}
	log_info("serving HTTPS on [%s]:%d (max_connections = %d, %d per "
		 "address, idle timeout %d s)", c->listen_addr, c->listen_port,
		 c->max_connections, c->max_connections_per_ip,
		 c->connection_timeout_s);
	return h;
fail:
	httpd_stop(h);
	return NULL;
}
