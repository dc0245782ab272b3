#include "client.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "xalloc.h"

struct slot {
	CURL *h;
	struct curl_slist *connect_to, *headers, *upload_headers;
	struct client_req *r;
	double t0;
};

static size_t on_data(char *p, size_t sz, size_t n, void *arg)
{
	sbuf_add(&((struct client_req *)arg)->resp, p, sz * n);
	return sz * n;
}

static void split_addr(const struct client_req *r, char *host, size_t len,
		       int *port)
{
	const char *a = r->addr ? r->addr : r->node, *colon = strrchr(a, ':');

	*port = r->port;
	if (colon && (a[0] != '[' || colon[-1] == ']') &&
	    strchr(a, ':') == colon) {
		snprintf(host, len, "%.*s", (int)(colon - a), a);
		*port = atoi(colon + 1);
	} else if (a[0] == '[' && colon && colon[-1] == ']') {
		snprintf(host, len, "%.*s", (int)(colon - a), a);
		*port = atoi(colon + 1);
	} else {
		snprintf(host, len, "%s", a);
	}
}

static void setup(struct slot *s, const struct client_tls *tls)
{
	char host[256], buf[600];
	struct client_req *r = s->r;
	int port;

	split_addr(r, host, sizeof(host), &port);
	snprintf(buf, sizeof(buf), "https://%s:%d%s", r->node, port, r->path);
	curl_easy_reset(s->h);
	curl_easy_setopt(s->h, CURLOPT_URL, buf);
	curl_slist_free_all(s->connect_to);
	snprintf(buf, sizeof(buf), "%s:%d:%s:%d", r->node, port, host, port);
	s->connect_to = curl_slist_append(NULL, buf);
	curl_easy_setopt(s->h, CURLOPT_CONNECT_TO, s->connect_to);
	/* the fabric CA only: no system trust store (which would also cost
	 * a parse of every system CA for each connection) */
	curl_easy_setopt(s->h, CURLOPT_CAINFO, tls->ca);
	curl_easy_setopt(s->h, CURLOPT_CAPATH, NULL);
	curl_easy_setopt(s->h, CURLOPT_SSLCERT, tls->cert);
	curl_easy_setopt(s->h, CURLOPT_SSLKEY, tls->key);
	curl_easy_setopt(s->h, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
	curl_easy_setopt(s->h, CURLOPT_TIMEOUT, tls->timeout_s);
	curl_easy_setopt(s->h, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(s->h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(s->h, CURLOPT_CUSTOMREQUEST, r->method);
	curl_easy_setopt(s->h, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(s->h, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(s->h, CURLOPT_HTTPHEADER, s->headers);
	curl_easy_setopt(s->h, CURLOPT_ERRORBUFFER, r->error);
	if (r->body || strcmp(r->method, "GET") != 0) {
		/* ask before sending: a bundle beyond the agent's max_bundle_kb
		 * is then refused (413 too-large) before any of it is sent,
		 * instead of the agent closing mid-upload (a send error) */
		curl_easy_setopt(s->h, CURLOPT_HTTPHEADER, s->upload_headers);
		curl_easy_setopt(s->h, CURLOPT_EXPECT_100_TIMEOUT_MS, 10000L);
		curl_easy_setopt(s->h, CURLOPT_POSTFIELDS, r->body ? r->body : "");
		curl_easy_setopt(s->h, CURLOPT_POSTFIELDSIZE,
				 (long)(r->body ? strlen(r->body) : 0));
	}
	sbuf_reset(&r->resp);
	r->error[0] = '\0';
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct run {
	const struct client_tls *tls;
	CURLM *m;
	struct slot *slots;
	int nslots;
	struct client_req *reqs;
	size_t n, next, done;
	const struct client_hooks *hk;
};

static void start(struct run *u, struct slot *s, struct client_req *r)
{
	s->r = r;
	s->t0 = now_s();
	setup(s, u->tls);
	curl_multi_add_handle(u->m, s->h);
}

static void start_next(struct run *u, struct slot *s)
{
	if (u->next < u->n) {
		if (u->hk->prep)
			u->hk->prep(&u->reqs[u->next], u->hk->arg);
		start(u, s, &u->reqs[u->next++]);
	}
	else
		s->r = NULL;
}

static void finished(struct run *u, CURLMsg *msg)
{
	const struct client_hooks *hk = u->hk;
	struct slot *s = NULL;
	struct client_req *r;
	int i;

	for (i = 0; i < u->nslots; i++)
		if (u->slots[i].h == msg->easy_handle)
			s = &u->slots[i];
	if (s == NULL)
		return;
	r = s->r;
	curl_multi_remove_handle(u->m, s->h);
	r->http = 0;
	if (msg->data.result == CURLE_OK)
		curl_easy_getinfo(s->h, CURLINFO_RESPONSE_CODE, &r->http);
	else if (r->error[0] == '\0')
		snprintf(r->error, sizeof(r->error), "%s",
			 curl_easy_strerror(msg->data.result));
	r->seconds += now_s() - s->t0;
	if (hk->done && hk->done(r, hk->arg)) {
		start(u, s, r);
		return;
	}
	u->done++;
	if (hk->progress)
		hk->progress(u->done, u->n, hk->arg);
	start_next(u, s);
}

int client_run(const struct client_tls *tls, struct client_req *reqs,
	       size_t n, int parallel, const struct client_hooks *hooks)
{
	struct run u = { tls, curl_multi_init(), NULL, 0, reqs, n, 0, 0, hooks };
	struct curl_slist *hdr = curl_slist_append(
		NULL, "Content-Type: application/json");
	struct curl_slist *up = curl_slist_append(
		curl_slist_append(NULL, "Content-Type: application/json"),
		"Expect: 100-continue");
	int i, running = 1, left;
	CURLMsg *msg;

	u.nslots = parallel < 1 ? 1 : parallel;
	/* each agent is talked to once or twice: keep no idle connections */
	curl_multi_setopt(u.m, CURLMOPT_MAXCONNECTS, (long)u.nslots);
	u.slots = xcalloc((size_t)u.nslots, sizeof(*u.slots));
	for (i = 0; i < u.nslots; i++) {
		u.slots[i].h = curl_easy_init();
		u.slots[i].headers = hdr;
		u.slots[i].upload_headers = up;
		start_next(&u, &u.slots[i]);
	}
	while (u.done < n && running >= 0) {
		curl_multi_perform(u.m, &running);
		while ((msg = curl_multi_info_read(u.m, &left)) != NULL)
			if (msg->msg == CURLMSG_DONE)
				finished(&u, msg);
		if (u.done < n)
			curl_multi_poll(u.m, NULL, 0, 200, NULL);
	}
	for (i = 0; i < u.nslots; i++) {
		curl_easy_cleanup(u.slots[i].h);
		curl_slist_free_all(u.slots[i].connect_to);
	}
	curl_slist_free_all(hdr);
	curl_slist_free_all(up);
	curl_multi_cleanup(u.m);
	free(u.slots);
	return 0;
}

void client_req_fini(struct client_req *r)
{
	free(r->path);
	free(r->body);
	sbuf_free(&r->resp);
	r->path = r->body = NULL;
}
