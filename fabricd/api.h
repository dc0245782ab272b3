/* The HTTP API of DESIGN.md, independent of the HTTP server: method + path
 * + body in, status + JSON (or Prometheus text) out. Every refusal is
 * {"error": CODE, "message": TEXT}. */
#ifndef FD_API_H
#define FD_API_H

#include <stddef.h>

#include "agent.h"

struct api_response {
	int http;
	char *body;		/* owned, NUL-terminated */
	const char *content_type;
};

/* query: the dryRun query argument or NULL. */
void api_handle(struct agent *a, const char *method, const char *path,
		const char *dry_run, const char *body, size_t len,
		struct api_response *resp);
/* A refusal outside the API proper (TLS, size): fills resp. */
void api_error(struct api_response *resp, int http, const char *code,
	       const char *message);
/* A refusal of the HTTP layer (too-large, overloaded) for an authorized
 * request: fills resp like api_error() and, when the request asks for a
 * transaction (PUT /v1/bundle, POST /v1/confirm ...), records it in the
 * history, where every refusal goes. */
void api_refuse(struct agent *a, const char *method, const char *path,
		const char *dry_run, int http, const char *code,
		const char *message, struct api_response *resp);
void api_response_free(struct api_response *resp);

#endif
