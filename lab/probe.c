#include "probe.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fsutil.h"
#include "xalloc.h"

struct pkt {
	uint32_t magic, seq;
};

#define PROBE_MAGIC 0x636b7072u	/* "ckpr" */
#define PROBE_END 0x636b656eu	/* "cken": seq = packets sent */
#define END_TAIL_MS 300		/* after the end marker */

/* SIGTERM/SIGINT: stop the stream early but still report what was
 * measured (the sender stops, the receiver drains, the parent prints). */
static volatile sig_atomic_t stop_requested;

static void on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void catch_stop(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;	/* no SA_RESTART: reads see EINTR */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
}
#define TAIL_MS 1000		/* receiver waits this long after the last */

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int enter_ns(const char *ns)
{
	char path[300];
	int fd, rc;

	snprintf(path, sizeof(path), "/run/netns/%s", ns);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	rc = setns(fd, CLONE_NEWNET);
	close(fd);
	return rc;
}

static int udp_socket(uint32_t addr, uint16_t port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	sa.sin_addr.s_addr = htonl(addr);
	sa.sin_port = htons(port);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

struct rx {
	uint8_t *seen;
	uint32_t count, got, dups;
	double first, last, gap, ended;	/* ended: when the end marker came */
};

static void rx_packet(struct rx *x, const struct pkt *p)
{
	double t = now_ms();

	if (p->magic == PROBE_END) {
		if (x->ended == 0)
			x->ended = t;
		return;
	}
	if (p->magic != PROBE_MAGIC || p->seq >= x->count)
		return;
	if (x->seen[p->seq]) {
		x->dups++;
		return;
	}
	x->seen[p->seq] = 1;
	if (x->got++ == 0)
		x->first = t;
	else if (t - x->last > x->gap)
		x->gap = t - x->last;
	x->last = t;
}

/* Child: receive until the sender is done and TAIL_MS has passed quiet.
 * Reports on fd: got dups gap_ms. */
static void receiver(const struct probe_opts *o, int ready, int report)
{
	struct rx x = { xcalloc(o->count, 1), o->count, 0, 0, 0, 0, 0, 0 };
	int rcvbuf = 8 << 20;
	int fd;
	double end;

	signal(SIGTERM, SIG_IGN);	/* it ends on the end marker */
	signal(SIGINT, SIG_IGN);
	if (enter_ns(o->dst_ns) < 0 ||
	    (fd = udp_socket(o->dst_addr, o->port)) < 0) {
		dprintf(report, "error %s\n", strerror(errno));
		_exit(2);
	}
	/* a loss must be the network's, never our socket's while a busy
	 * machine keeps us off the CPU: seconds of stream fit in here */
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf));
	if (write(ready, "r", 1) != 1)
		_exit(2);
	end = now_ms() + (double)o->count * 1000.0 / o->rate + 5000;
	while (now_ms() < end && x.got + 0u < o->count) {
		struct pollfd p = { fd, POLLIN, 0 };
		struct pkt pk;

		if (poll(&p, 1, 100) > 0 &&
		    recv(fd, &pk, sizeof(pk), 0) == sizeof(pk))
			rx_packet(&x, &pk);
		if (x.got && now_ms() - x.last > TAIL_MS &&
		    now_ms() > end - 5000)
			break;
		if (x.ended && now_ms() - x.ended > END_TAIL_MS)
			break;
	}
	dprintf(report, "%u %u %.3f\n", x.got, x.dups, x.gap);
	_exit(0);
}

/* Absolute-time pacing: no drift over a long stream. */
static void sleep_until(const struct timespec *t0, uint64_t ns_offset)
{
	struct timespec t = *t0;
	uint64_t ns = (uint64_t)t.tv_nsec + ns_offset;

	t.tv_sec += (time_t)(ns / 1000000000u);
	t.tv_nsec = (long)(ns % 1000000000u);
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL) ==
	       EINTR)
		;
}

/* Child: send count packets at rate from the source namespace. */
static void sender(const struct probe_opts *o, int report)
{
	struct sockaddr_in to = { .sin_family = AF_INET };
	uint64_t interval = 1000000000u / o->rate;
	struct timespec t0;
	uint32_t i, sent = 0;
	int fd;

	if (enter_ns(o->src_ns) < 0 ||
	    (fd = udp_socket(o->src_addr, o->port)) < 0)
		_exit(2);
	to.sin_addr.s_addr = htonl(o->dst_addr);
	to.sin_port = htons(o->port);
	signal(SIGINT, SIG_IGN);
	catch_stop();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < o->count && !stop_requested; i++) {
		struct pkt p = { PROBE_MAGIC, i };

		sleep_until(&t0, i * interval);
		if (sendto(fd, &p, sizeof(p), 0, (struct sockaddr *)&to,
			   sizeof(to)) == sizeof(p))
			sent++;
		if (i == o->rate / 10 && o->ready_file)
			fs_write_atomic(o->ready_file, "flowing\n", 8, NULL);
	}
	for (i = 0; i < 3; i++) {
		struct pkt end = { PROBE_END, sent };

		sendto(fd, &end, sizeof(end), 0, (struct sockaddr *)&to,
		       sizeof(to));
	}
	dprintf(report, "%u\n", sent);
	_exit(0);
}

/* Read a child's report; a stop request meanwhile is passed on to pid. */
static int read_report(int fd, char *buf, size_t len, pid_t pid)
{
	ssize_t n, off = 0;

	for (;;) {
		n = read(fd, buf + off, len - 1 - (size_t)off);
		if (n > 0) {
			off += n;
			continue;
		}
		if (n < 0 && errno == EINTR) {
			if (stop_requested && pid > 0)
				kill(pid, SIGTERM);
			continue;
		}
		break;
	}
	buf[off] = '\0';
	return off > 0 ? 0 : -1;
}

static pid_t spawn(int *rfd, void (*fn)(const struct probe_opts *, int, int),
		   const struct probe_opts *o, int extra)
{
	int p[2];
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		fn(o, extra, p[1]);
	}
	close(p[1]);
	*rfd = p[0];
	return pid;
}

static void recv_main(const struct probe_opts *o, int ready, int report)
{
	receiver(o, ready, report);
}

static void send_main(const struct probe_opts *o, int unused, int report)
{
	(void)unused;
	sender(o, report);
}

static int check_opts(const struct probe_opts *o, struct ck_err *err)
{
	if (o->rate == 0 || o->rate > PROBE_MAX_RATE || o->count == 0 ||
	    o->count > PROBE_MAX_COUNT) {
		ck_err_set(err, "probe", 0, 0, "rate must be 1 to %u packets/s "
			   "and count 1 to %u", PROBE_MAX_RATE,
			   PROBE_MAX_COUNT);
		return -1;
	}
	return 0;
}

int probe_run(const struct probe_opts *o, struct probe_result *r,
	      struct ck_err *err)
{
	int ready[2], rfd = -1, sfd = -1, st, rc_recv = 0;
	char buf[128], c;
	pid_t rp, sp = -1;
	double t0 = now_ms();

	memset(r, 0, sizeof(*r));
	if (check_opts(o, err) < 0 || pipe2(ready, O_CLOEXEC) < 0)
		return -1;
	catch_stop();
	rp = spawn(&rfd, recv_main, o, ready[1]);
	close(ready[1]);
	/* the sender starts once the receiver listens */
	if (rp > 0 && read(ready[0], &c, 1) == 1)
		sp = spawn(&sfd, send_main, o, 0);
	close(ready[0]);
	if (sp > 0 && read_report(sfd, buf, sizeof(buf), sp) == 0)
		sscanf(buf, "%u", &r->sent);
	if (rp > 0 && read_report(rfd, buf, sizeof(buf), 0) == 0 &&
	    strncmp(buf, "error ", 6) == 0) {
		buf[strcspn(buf, "\n")] = '\0';
		ck_err_set(err, o->dst_ns, 0, 0, "probe receiver on port %u: "
			   "%s (another probe on that port?)", o->port,
			   buf + 6);
		rc_recv = -1;
	} else if (rp > 0) {
		sscanf(buf, "%u %u %lf", &r->received, &r->duplicates,
		       &r->max_gap_ms);
	}
	if (sp > 0)
		waitpid(sp, &st, 0);
	if (rp > 0)
		waitpid(rp, &st, 0);
	if (rfd >= 0)
		close(rfd);
	if (sfd >= 0)
		close(sfd);
	r->seconds = (now_ms() - t0) / 1000;
	if (rc_recv < 0)
		return -1;
	if (r->sent == 0) {
		ck_err_set(err, o->src_ns, 0, 0, "probe could not send (are "
			   "both servers' namespaces and addresses up?)");
		return -1;
	}
	r->lost = r->sent - (r->received < r->sent ? r->received : r->sent);
	return 0;
}
