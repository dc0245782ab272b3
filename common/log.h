/* Tiny logging: stderr by default, syslog once ck_log_syslog() is called. */
#ifndef CK_LOG_H
#define CK_LOG_H

enum ck_log_level { CK_LOG_ERR, CK_LOG_WARN, CK_LOG_INFO, CK_LOG_DEBUG };

void ck_log_init(const char *progname, enum ck_log_level max);
void ck_log_syslog(void);
void ck_log(enum ck_log_level lvl, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define log_err(...) ck_log(CK_LOG_ERR, __VA_ARGS__)
#define log_warn(...) ck_log(CK_LOG_WARN, __VA_ARGS__)
#define log_info(...) ck_log(CK_LOG_INFO, __VA_ARGS__)
#define log_debug(...) ck_log(CK_LOG_DEBUG, __VA_ARGS__)

#endif
