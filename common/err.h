/* Errors as values: library functions return 0 / -1 (or NULL) and fill a
 * ck_err with where it happened and what to do about it; only main() exits. */
#ifndef CK_ERR_H
#define CK_ERR_H

#include <stddef.h>

struct ck_err {
	char file[256];	/* input file, "" when not about a file */
	int line;	/* 1-based; 0 when unknown */
	int col;	/* 1-based; 0 when unknown */
	char msg[1024];	/* "key: problem; remedy" */
};

/* Fill err (if not NULL) with a location and a printf-style message. */
void ck_err_set(struct ck_err *err, const char *file, int line, int col,
		const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Format "file:line:col: msg" (parts that are unknown are left out). */
void ck_err_format(const struct ck_err *err, char *buf, size_t len);

/* Drop every byte of s that does not belong to a valid UTF-8 character:
 * what a fixed-size buffer or a "%.800s" leaves of a multi-byte character
 * it cut (a long name in a message), or stray bytes from a program's
 * output. Messages end up in JSON, which takes valid UTF-8 only; the
 * functions above scrub what they write. */
void ck_utf8_scrub(char *s);

#endif
