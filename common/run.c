#include "run.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

long long run_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int run_wait_fd(int fd, short events, long long deadline)
{
	struct pollfd p = { fd, events, 0 };
	long long left;
	int rc;

	do {
		left = deadline - run_now_ms();
		if (left <= 0)
			return -1;
		rc = poll(&p, 1, (int)(left > 60000 ? 60000 : left));
	} while (rc == 0 || (rc < 0 && errno == EINTR));
	return rc < 0 ? -1 : 0;
}

static void child_exec(int outfd, const char *const argv[])
{
	int devnull = open("/dev/null", O_RDONLY);

	if (devnull >= 0)
		dup2(devnull, STDIN_FILENO);
	dup2(outfd, STDOUT_FILENO);
	dup2(outfd, STDERR_FILENO);
	execvp(argv[0], (char *const *)argv);
	dprintf(STDERR_FILENO, "cannot run %s: %s\n", argv[0],
		strerror(errno));
	_exit(127);
}

/* Read until EOF or the deadline; 0 at EOF, -1 on timeout. */
static int drain(int fd, struct sbuf *out, long long deadline)
{
	char buf[8192];

	for (;;) {
		ssize_t n;

		if (run_wait_fd(fd, POLLIN, deadline) < 0)
			return -1;
		n = read(fd, buf, sizeof(buf));
		if (n == 0)
			return 0;
		if (n < 0 && errno != EINTR && errno != EAGAIN)
			return 0;
		if (n > 0 && out)
			sbuf_add(out, buf, (size_t)n);
	}
}

int run_argv(const char *const argv[], int timeout_ms, struct sbuf *out,
	     struct ck_err *err)
{
	int fds[2], status, rc;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) < 0)
		goto fail;
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		goto fail;
	}
	if (pid == 0) {
		/* a time-limited helper never outlives its caller */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		child_exec(fds[1], argv);
	}
	close(fds[1]);
	rc = drain(fds[0], out, run_now_ms() + timeout_ms);
	close(fds[0]);
	if (rc < 0)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (rc < 0) {
		ck_err_set(err, argv[0], 0, 0, "timed out after %d ms; "
			   "killed", timeout_ms);
		return -1;
	}
	if (WIFSIGNALED(status)) {
		ck_err_set(err, argv[0], 0, 0, "killed by signal %d",
			   WTERMSIG(status));
		return -1;
	}
	return WEXITSTATUS(status);
fail:
	ck_err_set(err, argv[0], 0, 0, "cannot run: %s", strerror(errno));
	return -1;
}

long run_spawn(const char *const argv[], const char *log, struct ck_err *err)
{
	pid_t pid = fork();

	if (pid < 0) {
		ck_err_set(err, argv[0], 0, 0, "cannot run: %s",
			   strerror(errno));
		return -1;
	}
	if (pid == 0) {
		int fd = log ? open(log, O_WRONLY | O_CREAT | O_APPEND, 0644)
			     : open("/dev/null", O_RDWR);

		setsid();
		child_exec(fd, argv);
	}
	return (long)pid;
}
