/* The HTTP API of DESIGN.md, independent of the HTTP server: method + path
 * + body in, status + JSON (or Prometheus text) out. Every refusal is
 * {"error": CODE, "message": TEXT}. */
#ifndef FD_API_H
#define FD_API_H

#include <stdbool.h>
#include <stddef.h>

#include "agent.h"
#include "txn.h"

struct api_response {
	int http;
	char *body;		/* owned, NUL-terminated */
	const char *content_type;
};

/* query: the dryRun query argument or NULL. */
void api_handle(struct agent *a, const char *method, const char *path,
		const char *dry_run, const char *body, size_t len,
		struct api_response *resp);
/* PUT /v1/bundle without HTTP: parse body (NULL: empty), then txn_push();
 * a body that does not parse is refused in r (and is history). */
void api_put_bundle(struct agent *a, const char *body, size_t len,
		    bool dry_run, struct txn_result *r);
/* A refusal outside the API proper (TLS, size): fills resp. */
void api_error(struct api_response *resp, int http, const char *code,
	       const char *message);
/* A refusal of the HTTP layer (TXN_TOO_LARGE, TXN_OVERLOADED) for an
 * authorized request: fills resp like api_error() and, when the request
 * asks for a transaction (PUT /v1/bundle, POST /v1/confirm ...), records it
 * in the history, where every refusal goes. */
void api_refuse(struct agent *a, const char *method, const char *path,
		const char *dry_run, enum txn_code code, const char *message,
		struct api_response *resp);
/* The HTTP status of a transaction code (TXN_OK: 200); 0 for a code the
 * table misses, which the unit tests look for. */
int api_code_status(enum txn_code c);
/* The HTTP status of a result: 202 for a pending success. */
int api_status(const struct txn_result *r);
void api_response_free(struct api_response *resp);

#endif
