#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <syslog.h>

static const char *log_prog = "closkit";
static enum ck_log_level log_max = CK_LOG_INFO;
static int log_to_syslog;

void ck_log_init(const char *progname, enum ck_log_level max)
{
	log_prog = progname;
	log_max = max;
}

void ck_log_syslog(void)
{
	openlog(log_prog, LOG_PID, LOG_DAEMON);
	log_to_syslog = 1;
}

void ck_log(enum ck_log_level lvl, const char *fmt, ...)
{
	static const int prio[] = { LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG };
	static const char *const tag[] = { "error", "warning", "info", "debug" };
	va_list ap;

	if (lvl > log_max)
		return;
	va_start(ap, fmt);
	if (log_to_syslog) {
		vsyslog(prio[lvl], fmt, ap);
	} else {
		fprintf(stderr, "%s: %s: ", log_prog, tag[lvl]);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	}
	va_end(ap);
}
