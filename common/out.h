/* The one text/JSON writer. A command computes its result once and hands
 * it to the output format the user chose (--json picks out_json, else
 * out_text); the command itself never asks which format it is writing.
 *
 * A result is either a json_t (small documents: summaries, reports,
 * per-node answers) or a function that streams JSON through a
 * struct out_stream (records too large or too regular to build as a
 * json_t, and numbers that must keep a fixed number of decimals). Both
 * back-ends read the same result: JSON dumps it, text renders it.
 *
 * Every JSON document closkit prints goes through OUT_JSON_FLAGS: two
 * spaces of indent, keys in the order they were set. (jansson 2.14 keeps
 * insertion order anyway; the flag says so for older ones.) */
#ifndef CK_OUT_H
#define CK_OUT_H

#include <jansson.h>
#include <stdio.h>

#include "err.h"
#include "sbuf.h"

#define OUT_JSON_FLAGS (JSON_INDENT(2) | JSON_PRESERVE_ORDER)

struct out_stream;

/* What a command prints, in both formats. */
struct out_view {
	const json_t *json;	/* the result; NULL when stream is set */
	/* Streams the result as JSON instead of json (one value). */
	void (*stream)(struct out_stream *s, const void *arg);
	/* Renders the result as text (json is NULL for a streamed result);
	 * NULL: text prints nothing (--quiet). */
	void (*text)(const json_t *json, FILE *f, const void *arg);
	const void *arg;	/* borrowed, passed to stream and text */
};

struct out_ops {
	const char *name;	/* "text", "json" */
	/* v in this format; a failed write shows in ferror(f) (out_write
	 * turns it into an error, the programs that never failed on one
	 * call this directly). */
	void (*write)(const struct out_view *v, FILE *f);
	/* A line for a person reading the terminal ("drained: ..."): text
	 * prints it, JSON drops it so that stdout stays one document. */
	void (*note)(FILE *f, const char *line);
};

extern const struct out_ops out_text, out_json;

/* out_json when json is set, else out_text: the one test of --json. */
const struct out_ops *out_format(int json);

/* o->write, then flush: 0, or -1 with "writing the WHAT: ERROR" in err. */
int out_write(const struct out_ops *o, const struct out_view *v, FILE *f,
	      const char *what, struct ck_err *err);
/* Flush f: 0, or -1 with "writing the WHAT: ERROR" in err. */
int out_finish(FILE *f, const char *what, struct ck_err *err);

/* j with OUT_JSON_FLAGS, for JSON that is not a --json choice (a state
 * file, a JSON field shown in text). Caller frees the result. */
char *out_json_dumps(const json_t *j);

/* Streaming JSON. Values are appended to an sbuf as they come, laid out
 * as jansson lays out compact-but-spaced JSON (", " and ": "), except that
 * a container opened with lines = 1 puts each member on a line of its
 * own, indented two spaces per level. A top-level value ends with a
 * newline; with a FILE, it is then written there and the buffer emptied,
 * so JSON lines take constant memory. Strings are escaped as jansson
 * escapes them. key is the member's name inside an object, NULL inside an
 * array and at the top. */
#define OUT_DEPTH 8

struct out_stream {
	struct sbuf *b;		/* borrowed */
	FILE *f;		/* NULL: everything stays in b */
	int depth;
	/* per open container: its closing brace, one member per line? */
	char closer[OUT_DEPTH];
	unsigned char lines[OUT_DEPTH];
	unsigned members[OUT_DEPTH];	/* written so far, per container */
};

void out_stream_init(struct out_stream *s, struct sbuf *b, FILE *f);
/* brace is '{' or '['; at most OUT_DEPTH containers are open at once. */
void out_open(struct out_stream *s, const char *key, char brace, int lines);
void out_close(struct out_stream *s);
/* v NULL writes null. */
void out_str(struct out_stream *s, const char *key, const char *v);
void out_null(struct out_stream *s, const char *key);
void out_uint(struct out_stream *s, const char *key, unsigned long long v);
/* %.17g: every bit of a double (nan and inf are not JSON: callers keep
 * them out). */
void out_real(struct out_stream *s, const char *key, double v);
/* %.*f: a measurement with a fixed number of decimals. */
void out_fixed(struct out_stream *s, const char *key, double v,
	       int decimals);

#endif
