/* HTTPS requests to many agents at once with libcurl's multi interface:
 * at most `parallel` in flight, mutual TLS, the agent's certificate checked
 * against the fabric CA and the node name (the address may come from an
 * inventory: CURLOPT_CONNECT_TO keeps the name for verification). */
#ifndef FD_CLIENT_H
#define FD_CLIENT_H

#include <stddef.h>

#include "sbuf.h"

struct client_tls {
	const char *ca, *cert, *key;	/* PEM files */
	long timeout_s;			/* whole request */
};

struct client_req {
	/* in */
	const char *node;	/* TLS name */
	const char *addr;	/* connect here ("host:port"), NULL: node */
	int port;		/* when addr has none */
	const char *method;	/* GET, PUT, POST */
	char *path;		/* "/v1/status"; owned */
	char *body;		/* owned, may be NULL */
	/* out */
	long http;		/* 0: transport failure (see error) */
	struct sbuf resp;
	char error[256];
	double seconds;		/* all requests of this node so far */
	/* caller's */
	void *user;
	int stage;
};

/* Called when a request finished. Return 1 after changing method/path/body
 * to send another request for the same node (e.g. confirm after push). */
typedef int (*client_done_fn)(struct client_req *r, void *arg);
/* Called after each completion with done/total (progress display). */
typedef void (*client_progress_fn)(size_t done, size_t total, void *arg);

/* Called just before a request is first sent (build its body late, so
 * that only `parallel` bodies are in memory at a time). */
typedef void (*client_prep_fn)(struct client_req *r, void *arg);

struct client_hooks {
	client_prep_fn prep;
	client_done_fn done;
	client_progress_fn progress;
	void *arg;
};

int client_run(const struct client_tls *tls, struct client_req *reqs,
	       size_t n, int parallel, const struct client_hooks *hooks);
void client_req_fini(struct client_req *r);

#endif
