/* fabricd-load: a TLS load generator for one fabricd, used by
 * tests/bench/fabricd-load.sh and tests/netns/fabricd-limits.sh.
 *
 *   fabricd-load [OPTIONS] idle N SECS      hold N handshaken, silent TLS
 *                                           connections for SECS seconds
 *   fabricd-load [OPTIONS] slow N SECS      N connections that send a
 *                                           request header a byte a second
 *   fabricd-load [OPTIONS] oversize N HKB BKB   N requests with a header of
 *                                           HKB KiB, N with a body of BKB KiB
 *   fabricd-load [OPTIONS] status N         N GET /v1/status, each over a
 *                                           new connection: latency figures
 *
 * Options: -a ADDR (127.0.0.1) -p PORT (8443) -s SERVERNAME -c CA
 * -C CERT -K KEY (the client certificate; every mode presents it).
 * Every connection and every wait is bounded (IO_TIMEOUT_S); the program
 * prints one line of figures and exits 0 when every connection did what
 * was asked. Blocking sockets, one thread: 1,000 ECDSA handshakes take a
 * second or two, and an idle connection costs the client one descriptor. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <gnutls/gnutls.h>

#define IO_TIMEOUT_S 5

struct opts {
	const char *addr, *name, *ca, *cert, *key;
	int port;
};

struct conn {
	int fd;
	gnutls_session_t s;
};

static gnutls_certificate_credentials_t cred;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int tcp_connect(const struct opts *o)
{
	struct timeval tv = { IO_TIMEOUT_S, 0 };
	struct sockaddr_in sa;
	int one = 1;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)o->port);
	inet_pton(AF_INET, o->addr, &sa.sin_addr);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	/* as curl and fabricctl (libcurl) do: without it, Nagle holds the
	 * request behind the handshake's last record until the agent's
	 * delayed ACK, ~40 ms of every status measured */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* A connection with a finished, verified handshake; 0 or -1. */
static int tls_open(const struct opts *o, struct conn *c)
{
	int rc;

	c->s = NULL;
	c->fd = tcp_connect(o);
	if (c->fd < 0)
		return -1;
	gnutls_init(&c->s, GNUTLS_CLIENT);
	gnutls_set_default_priority(c->s);
	gnutls_credentials_set(c->s, GNUTLS_CRD_CERTIFICATE, cred);
	gnutls_server_name_set(c->s, GNUTLS_NAME_DNS, o->name, strlen(o->name));
	gnutls_session_set_verify_cert(c->s, o->name, 0);
	gnutls_transport_set_int(c->s, c->fd);
	/* blocking sockets: GNUTLS_E_AGAIN only comes from SO_RCVTIMEO */
	do
		rc = gnutls_handshake(c->s);
	while (rc == GNUTLS_E_INTERRUPTED);
	return rc < 0 ? -1 : 0;
}

static void tls_close(struct conn *c)
{
	if (c->s)
		gnutls_deinit(c->s);
	if (c->fd >= 0)
		close(c->fd);
	c->s = NULL;
	c->fd = -1;
}

static int send_all(struct conn *c, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = gnutls_record_send(c->s, p, n);

		if (w == GNUTLS_E_INTERRUPTED)
			continue;
		if (w < 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* The HTTP status of the response (read as far as the status line), 0
 * when the server closed or reset the connection without one, -2 when it
 * said nothing within IO_TIMEOUT_S. */
static int read_status(struct conn *c)
{
	char head[16];
	size_t got = 0;
	ssize_t n;

	while (got < 12) {
		n = gnutls_record_recv(c->s, head + got, 12 - got);
		if (n == GNUTLS_E_INTERRUPTED)
			continue;
		if (n == GNUTLS_E_AGAIN)
			return -2;	/* no answer within IO_TIMEOUT_S */
		if (n <= 0)
			return 0;
		got += (size_t)n;
	}
	head[got] = '\0';
	return strncmp(head, "HTTP/1.", 7) == 0 ? atoi(head + 9) : 0;
}

/* After "HTTP/1.1 100": the rest of that interim response. */
static void skip_head(struct conn *c)
{
	unsigned last = 0;
	char ch;
	ssize_t n;

	while (last != 0x0d0a0d0a) {
		n = gnutls_record_recv(c->s, &ch, 1);
		if (n == GNUTLS_E_INTERRUPTED)
			continue;
		if (n <= 0)
			return;
		last = (last << 8) | (unsigned char)ch;
	}
}

/* One request over a new connection: as read_status(), or -1 if the
 * connection could not be made. */
static int request(const struct opts *o, const char *head, size_t body_len)
{
	static char zeros[65536];
	struct conn c;
	int st = -1;

	if (tls_open(o, &c) == 0 && send_all(&c, head, strlen(head)) == 0) {
		st = body_len ? read_status(&c) : 0;	/* 100 or a refusal */
		if (st == 100)
			skip_head(&c);
		while (st == 100 && body_len > 0) {
			size_t k = body_len < sizeof(zeros) ? body_len : sizeof(zeros);

			if (send_all(&c, zeros, k) < 0)
				break;	/* refused early: the status says why */
			body_len -= k;
		}
		if (st == 0 || st == 100)
			st = read_status(&c);
	}
	tls_close(&c);
	return st;
}

/* --- modes ---------------------------------------------------------------- */

static struct conn *open_many(const struct opts *o, int n, int *held)
{
	struct conn *cs = calloc((size_t)n, sizeof(*cs));
	int i;

	*held = 0;
	for (i = 0; i < n; i++)
		if (tls_open(o, &cs[i]) == 0)
			(*held)++;
		else
			tls_close(&cs[i]);
	return cs;
}

static void close_many(struct conn *cs, int n)
{
	int i;

	for (i = 0; i < n; i++)
		tls_close(&cs[i]);
	free(cs);
}

/* Connections the server closed: EOF or a reset behind whatever it sent
 * (TLS 1.3 session tickets, an alert), which is read and dropped. */
static int count_closed(const struct conn *cs, int n)
{
	int i, closed = 0;
	char buf[4096];
	ssize_t r;

	for (i = 0; i < n; i++) {
		if (cs[i].fd < 0)
			continue;
		while ((r = recv(cs[i].fd, buf, sizeof(buf), MSG_DONTWAIT)) > 0)
			;
		closed += r == 0 || (errno != EAGAIN && errno != EINTR);
	}
	return closed;
}

static int mode_idle(const struct opts *o, int n, int secs)
{
	double t0 = now_s();
	int held;
	struct conn *cs = open_many(o, n, &held);

	printf("held %d of %d idle TLS connections (handshakes took %.1f s)\n",
	       held, n, now_s() - t0);
	fflush(stdout);
	sleep((unsigned)secs);
	printf("after %d s the agent had closed %d of them\n", secs,
	       count_closed(cs, n));
	close_many(cs, n);
	return held == n ? 0 : 1;
}

static int mode_slow(const struct opts *o, int n, int secs)
{
	static const char req[] = "GET /v1/status HTTP/1.1\r\nHost: agent\r\n"
				  "X-Slow: ";
	int held, i, s, open_n = 0;
	struct conn *cs = open_many(o, n, &held);

	printf("slow: %d of %d connected\n", held, n);
	fflush(stdout);
	for (s = 0; s < secs; s++) {
		open_n = 0;
		for (i = 0; i < n; i++) {
			char ch = (size_t)s < sizeof(req) - 1 ? req[s] : 'a';

			if (cs[i].fd >= 0 && send_all(&cs[i], &ch, 1) < 0)
				tls_close(&cs[i]);
			open_n += cs[i].fd >= 0;
		}
		sleep(1);
	}
	printf("slow: %d of %d still sending a byte a second after %d s\n",
	       open_n, n, secs);
	close_many(cs, n);
	return held == n ? 0 : 1;
}

static int mode_oversize(const struct opts *o, int n, int hkb, int bkb)
{
	size_t hlen = (size_t)hkb * 1024;
	char *big = malloc(hlen + 256), put[256];
	int i, h431 = 0, hcut = 0, hstall = 0, hother = 0, b413 = 0;
	int bother = 0, st;

	memcpy(big, "GET /v1/status HTTP/1.1\r\nHost: agent\r\nX-Big: ", 46);
	memset(big + 46, 'a', hlen);
	strcpy(big + 46 + hlen, "\r\n\r\n");
	snprintf(put, sizeof(put), "PUT /v1/bundle HTTP/1.1\r\nHost: agent\r\n"
		 "Content-Type: application/json\r\nContent-Length: %zu\r\n"
		 "Expect: 100-continue\r\n\r\n",
		 (size_t)bkb * 1024);
	for (i = 0; i < n; i++) {
		/* the agent may close before it read all, resetting the
		 * connection under its 431; or (libmicrohttpd 0.9.75 over
		 * TLS) sit on it until connection_timeout_s: never handled */
		st = request(o, big, 0);
		h431 += st == 431;
		hcut += st == 0;
		hstall += st == -2;
		hother += st != 431 && st != 0 && st != -2;
		st = request(o, put, (size_t)bkb * 1024);
		b413 += st == 413;
		bother += st != 413;
	}
	printf("oversize: %d headers of %d KiB: %d got 431, %d cut off, %d "
	       "unanswered, %d else; %d bodies of %d KiB: %d got 413, %d "
	       "else\n", n, hkb, h431, hcut, hstall, hother, n, bkb, b413,
	       bother);
	free(big);
	return hother == 0 && bother == 0 ? 0 : 1;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static int mode_status(const struct opts *o, int n)
{
	static const char req[] = "GET /v1/status HTTP/1.1\r\nHost: agent\r\n"
				  "Connection: close\r\n\r\n";
	double *ms = calloc((size_t)n, sizeof(double));
	int i, ok = 0;

	for (i = 0; i < n; i++) {
		double t0 = now_s();

		ok += request(o, req, 0) == 200;
		ms[i] = (now_s() - t0) * 1000;
	}
	qsort(ms, (size_t)n, sizeof(double), cmp_double);
	printf("status %d/%d ok p50_ms=%.1f p99_ms=%.1f max_ms=%.1f\n", ok, n,
	       ms[n / 2], ms[(n * 99) / 100 < n ? (n * 99) / 100 : n - 1],
	       ms[n - 1]);
	free(ms);
	return ok == n ? 0 : 1;
}

/* --- main ----------------------------------------------------------------- */

static int usage(void)
{
	fputs("usage: fabricd-load [-a ADDR] [-p PORT] [-s NAME] -c CA -C CERT "
	      "-K KEY\n  idle N SECS | slow N SECS | oversize N HKB BKB | "
	      "status N\n", stderr);
	return 2;
}

static int run_mode(const struct opts *o, int argc, char **argv)
{
	int a = argc > 1 ? atoi(argv[1]) : 0, b = argc > 2 ? atoi(argv[2]) : 0;

	if (a < 1)
		return usage();
	if (!strcmp(argv[0], "idle") && argc == 3)
		return mode_idle(o, a, b);
	if (!strcmp(argv[0], "slow") && argc == 3)
		return mode_slow(o, a, b);
	if (!strcmp(argv[0], "oversize") && argc == 4)
		return mode_oversize(o, a, b, atoi(argv[3]));
	if (!strcmp(argv[0], "status") && argc == 2)
		return mode_status(o, a);
	return usage();
}

int main(int argc, char **argv)
{
	struct opts o = { "127.0.0.1", "localhost", NULL, NULL, NULL, 8443 };
	struct rlimit rl;
	int ch;

	while ((ch = getopt(argc, argv, "a:p:s:c:C:K:")) != -1) {
		switch (ch) {
		case 'a': o.addr = optarg; break;
		case 'p': o.port = atoi(optarg); break;
		case 's': o.name = optarg; break;
		case 'c': o.ca = optarg; break;
		case 'C': o.cert = optarg; break;
		case 'K': o.key = optarg; break;
		default: return usage();
		}
	}
	if (!o.ca || !o.cert || !o.key || optind >= argc)
		return usage();
	signal(SIGPIPE, SIG_IGN);	/* a refused upload: EPIPE instead */
	/* a descriptor per connection */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	gnutls_certificate_allocate_credentials(&cred);
	if (gnutls_certificate_set_x509_trust_file(cred, o.ca,
						   GNUTLS_X509_FMT_PEM) <= 0 ||
	    gnutls_certificate_set_x509_key_file(cred, o.cert, o.key,
						 GNUTLS_X509_FMT_PEM) < 0) {
		fprintf(stderr, "fabricd-load: cannot load %s, %s, %s\n", o.ca,
			o.cert, o.key);
		return 1;
	}
	ch = run_mode(&o, argc - optind, argv + optind);
	gnutls_certificate_free_credentials(cred);
	return ch;
}
