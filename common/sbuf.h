/* Growable string buffer. Always NUL-terminated; the caller owns it and
 * releases it with sbuf_free() (or takes the string with sbuf_steal()). */
#ifndef CK_SBUF_H
#define CK_SBUF_H

#include <stddef.h>

struct sbuf {
	char *s;
	size_t len;
	size_t cap;
};

void sbuf_init(struct sbuf *b);
void sbuf_free(struct sbuf *b);
void sbuf_reset(struct sbuf *b);
void sbuf_add(struct sbuf *b, const char *s, size_t n);
void sbuf_adds(struct sbuf *b, const char *s);
void sbuf_addc(struct sbuf *b, char c);
void sbuf_addf(struct sbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Return the string and leave b empty; the caller frees the result. */
char *sbuf_steal(struct sbuf *b);

#endif
