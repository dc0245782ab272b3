/* Run a program (no shell) with a time limit, capturing its stdout and
 * stderr together. The one place fork/exec happens for the tools that use
 * it, so tests can see every external command in one spot. */
#ifndef CK_RUN_H
#define CK_RUN_H

#include "err.h"
#include "sbuf.h"

/* Run argv (NULL-terminated; argv[0] looked up in PATH). Output is
 * appended to out if not NULL, discarded otherwise. Returns the exit
 * status (0-255), or -1 with err filled when it could not run, was killed
 * by a signal, or outlived timeout_ms (then it is killed). The child gets
 * SIGKILL if the calling thread dies first (PR_SET_PDEATHSIG), so a killed
 * caller never leaves it running behind. */
int run_argv(const char *const argv[], int timeout_ms, struct sbuf *out,
	     struct ck_err *err);
/* Milliseconds on the monotonic clock: the time base of the deadlines. */
long long run_now_ms(void);
/* Wait until fd is ready for events (POLLIN, POLLOUT) or hung up: 0; -1
 * once run_now_ms() reaches deadline, or on a poll error. */
int run_wait_fd(int fd, short events, long long deadline);
/* Start argv in the background in a session of its own, stdout and stderr
 * appended to log (or /dev/null when NULL); its pid, or -1. */
long run_spawn(const char *const argv[], const char *log, struct ck_err *err);

#endif
