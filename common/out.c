#include "out.h"

#include <assert.h>
#include <errno.h>
#include <string.h>

static void text_write(const struct out_view *v, FILE *f)
{
	if (v->text)
		v->text(v->json, f, v->arg);
}

static void text_note(FILE *f, const char *line)
{
	fprintf(f, "%s\n", line);
}

static void json_write(const struct out_view *v, FILE *f)
{
	struct out_stream s;
	struct sbuf b;

	if (v->json) {
		json_dumpf(v->json, f, OUT_JSON_FLAGS);
		fputc('\n', f);
		return;
	}
	sbuf_init(&b);
	out_stream_init(&s, &b, f);
	v->stream(&s, v->arg);
	sbuf_free(&b);
}

static void json_note(FILE *f, const char *line)
{
	(void)f;
	(void)line;
}

const struct out_ops out_text = { "text", text_write, text_note };
const struct out_ops out_json = { "json", json_write, json_note };

const struct out_ops *out_format(int json)
{
	return json ? &out_json : &out_text;
}

int out_finish(FILE *f, const char *what, struct ck_err *err)
{
	if (fflush(f) == 0 && !ferror(f))
		return 0;
	ck_err_set(err, NULL, 0, 0, "writing the %s: %s", what,
		   strerror(errno));
	return -1;
}

int out_write(const struct out_ops *o, const struct out_view *v, FILE *f,
	      const char *what, struct ck_err *err)
{
	o->write(v, f);
	return out_finish(f, what, err);
}

char *out_json_dumps(const json_t *j)
{
	return json_dumps(j, OUT_JSON_FLAGS);
}

void out_stream_init(struct out_stream *s, struct sbuf *b, FILE *f)
{
	memset(s, 0, sizeof(*s));
	s->b = b;
	s->f = f;
}

static void indent(struct sbuf *b, int depth)
{
	static const char sp[] = "                ";	/* 2 * OUT_DEPTH */

	sbuf_add(b, sp, 2 * (size_t)depth);
}

/* The escapes jansson writes; everything else is copied as it is. */
static void escape(struct sbuf *b, const char *v)
{
	const char *run = v;

	sbuf_addc(b, '"');
	for (; *v; v++) {
		unsigned char c = (unsigned char)*v;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		sbuf_add(b, run, (size_t)(v - run));
		run = v + 1;
		switch (c) {
		case '"': sbuf_adds(b, "\\\""); break;
		case '\\': sbuf_adds(b, "\\\\"); break;
		case '\b': sbuf_adds(b, "\\b"); break;
		case '\f': sbuf_adds(b, "\\f"); break;
		case '\n': sbuf_adds(b, "\\n"); break;
		case '\r': sbuf_adds(b, "\\r"); break;
		case '\t': sbuf_adds(b, "\\t"); break;
		default: sbuf_addf(b, "\\u%04X", c); break;
		}
	}
	sbuf_add(b, run, (size_t)(v - run));
	sbuf_addc(b, '"');
}

/* Before a value: the separator its container wants, then its key. */
static void member(struct out_stream *s, const char *key)
{
	int d = s->depth;

	if (d > 0) {
		if (s->lines[d - 1]) {
			sbuf_adds(s->b, s->members[d - 1] ? ",\n" : "\n");
			indent(s->b, d);
		} else if (s->members[d - 1]) {
			sbuf_adds(s->b, ", ");
		}
		s->members[d - 1]++;
	}
	if (key) {
		escape(s->b, key);
		sbuf_adds(s->b, ": ");
	}
}

/* After a value: a finished top-level value is a line of its own. */
static void done(struct out_stream *s)
{
	if (s->depth > 0)
		return;
	sbuf_addc(s->b, '\n');
	if (s->f) {
		fwrite(s->b->s, 1, s->b->len, s->f);
		sbuf_reset(s->b);
	}
}

void out_open(struct out_stream *s, const char *key, char brace, int lines)
{
	assert(s->depth < OUT_DEPTH);
	member(s, key);
	sbuf_addc(s->b, brace);
	s->closer[s->depth] = brace == '[' ? ']' : '}';
	s->lines[s->depth] = lines != 0;
	s->members[s->depth] = 0;
	s->depth++;
}

void out_close(struct out_stream *s)
{
	int d = --s->depth;

	if (s->lines[d]) {
		sbuf_addc(s->b, '\n');
		indent(s->b, d);
	}
	sbuf_addc(s->b, s->closer[d]);
	done(s);
}

void out_str(struct out_stream *s, const char *key, const char *v)
{
	member(s, key);
	if (v)
		escape(s->b, v);
	else
		sbuf_adds(s->b, "null");
	done(s);
}

void out_null(struct out_stream *s, const char *key)
{
	out_str(s, key, NULL);
}

void out_uint(struct out_stream *s, const char *key, unsigned long long v)
{
	member(s, key);
	sbuf_addf(s->b, "%llu", v);
	done(s);
}

void out_real(struct out_stream *s, const char *key, double v)
{
	member(s, key);
	sbuf_addf(s->b, "%.17g", v);
	done(s);
}

void out_fixed(struct out_stream *s, const char *key, double v,
	       int decimals)
{
	member(s, key);
	sbuf_addf(s->b, "%.*f", decimals, v);
	done(s);
}
