#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void ck_err_set(struct ck_err *err, const char *file, int line, int col,
		const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return;
	snprintf(err->file, sizeof(err->file), "%s", file ? file : "");
	ck_utf8_scrub(err->file);
	err->line = line;
	err->col = col;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	ck_utf8_scrub(err->msg);
}

/* Length of the valid UTF-8 character at p (left bytes remain), or 0:
 * a cut or stray byte, an overlong form, a surrogate, beyond U+10FFFF. */
static size_t utf8_char(const unsigned char *p, size_t left)
{
	unsigned long v;
	size_t n, i;

	if (p[0] < 0x80)
		return 1;
	n = p[0] < 0xC2 ? 0 : p[0] < 0xE0 ? 2 : p[0] < 0xF0 ? 3 :
	    p[0] < 0xF5 ? 4 : 0;
	if (n == 0 || n > left)
		return 0;
	v = p[0] & (0xFFu >> (n + 1));
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		v = v << 6 | (p[i] & 0x3Fu);
	}
	if ((n == 3 && v < 0x800) || (n == 4 && v < 0x10000) ||
	    v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	return n;
}

void ck_utf8_scrub(char *s)
{
	size_t len = strlen(s), r = 0, w = 0, n;

	while (r < len) {
		n = utf8_char((const unsigned char *)s + r, len - r);
		if (n == 0) {
			r++;
			continue;
		}
		memmove(s + w, s + r, n);
		w += n;
		r += n;
	}
	s[w] = '\0';
}

void ck_err_format(const struct ck_err *err, char *buf, size_t len)
{
	if (err->file[0] && err->line > 0)
		snprintf(buf, len, "%s:%d:%d: %s", err->file, err->line,
			 err->col, err->msg);
	else if (err->file[0])
		snprintf(buf, len, "%s: %s", err->file, err->msg);
	else
		snprintf(buf, len, "%s", err->msg);
	if (len > 0)
		ck_utf8_scrub(buf);
}
