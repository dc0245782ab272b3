/* Mustache (the spec's interpolation, sections, inverted sections,
 * partials, comments and set delimiters; no lambdas).
 *
 * The parser turns a source into a flat node array (sections know where
 * their body ends), the renderer walks it. Render allocates nothing but
 * output: the context stack and the partial indentation are chains of
 * frames on the C stack. */
#include "mustache.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

#define DELIM_MAX 16		/* bytes in a delimiter set by {{=a b=}} */
#define DEPTH_MAX 200		/* nested partials; stops runaway recursion */

enum mnode_kind { MN_TEXT, MN_VAR, MN_RAW, MN_SECTION, MN_INVERTED, MN_PARTIAL };

struct mnode {
	enum mnode_kind kind;
	bool bol;		/* starts a source line: partial indent first */
	bool standalone;	/* PARTIAL alone on its line: indent its lines */
	int line, col;		/* where it is in the source, for errors */
	size_t off, len;	/* TEXT: the text; PARTIAL: its indentation */
	size_t name;		/* tags: full name, offset in pool */
	size_t seg, nseg;	/* VAR..INVERTED: dotted parts in segs; "." has 0 */
	size_t end;		/* SECTION, INVERTED: index just past the body */
};

struct mustache {
	const struct mustache_set *set;
	char *name;
	char *src;		/* own copy; TEXT nodes point into it */
	size_t srclen;
	struct mnode *nodes;
	size_t nnodes, nodecap;
	char *pool;		/* NUL-terminated names and name parts */
	size_t poollen, poolcap;
	size_t *segs;		/* offsets in pool of the parts of dotted names */
	size_t nsegs, segcap;
};

struct mustache_set {
	struct mustache **v;
	size_t n, cap;
};

/* ---- parsing ---------------------------------------------------------- */

struct parser {
	struct mustache *t;
	const char *s;
	size_t len;
	size_t pos;		/* where to look for the next tag */
	size_t text;		/* start of the text not yet made a node */
	char otag[DELIM_MAX + 1], ctag[DELIM_MAX + 1];
	size_t olen, clen;
	size_t *open;		/* open SECTION and INVERTED nodes, innermost last */
	size_t nopen, opencap;
	size_t lpos, lbol;	/* line counter: offset reached, its line start */
	int line;
	struct ck_err *err;
};

struct tag {
	char sigil;		/* '#', '^', '/', '>', '!', '=', '{', '&' or 0 */
	size_t start, end;	/* the whole tag, delimiters included */
	size_t name, nlen;	/* the content, trimmed */
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_ws(char c)
{
	return is_blank(c) || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static bool at_bol(const char *s, size_t off)
{
	return off == 0 || s[off - 1] == '\n';
}

/* Line and column of off. Offsets mostly grow, so count incrementally. */
static void parser_loc(struct parser *p, size_t off, int *line, int *col)
{
	if (off < p->lpos) {
		p->lpos = p->lbol = 0;
		p->line = 1;
	}
	for (; p->lpos < off; p->lpos++) {
		if (p->s[p->lpos] == '\n') {
			p->line++;
			p->lbol = p->lpos + 1;
		}
	}
	*line = p->line;
	*col = (int)(off - p->lbol) + 1;
}

static int parser_fail(struct parser *p, size_t off, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int parser_fail(struct parser *p, size_t off, const char *fmt, ...)
{
	char msg[sizeof(p->err->msg)];
	va_list ap;
	int line, col;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	parser_loc(p, off, &line, &col);
	ck_err_set(p->err, p->t->name, line, col, "%s", msg);
	return -1;
}

static void set_delims(struct parser *p, const char *o, size_t olen,
		       const char *c, size_t clen)
{
	memcpy(p->otag, o, olen);
	p->otag[olen] = '\0';
	p->olen = olen;
	memcpy(p->ctag, c, clen);
	p->ctag[clen] = '\0';
	p->clen = clen;
}

static size_t pool_add(struct mustache *t, const char *s, size_t n)
{
	size_t off = t->poollen;

	t->pool = xgrow(t->pool, &t->poolcap, off + n + 1, 1);
	memcpy(t->pool + off, s, n);
	t->pool[off + n] = '\0';
	t->poollen += n + 1;
	return off;
}

static void seg_add(struct mustache *t, size_t pool_off)
{
	t->segs = xgrow(t->segs, &t->segcap, t->nsegs + 1, sizeof(*t->segs));
	t->segs[t->nsegs++] = pool_off;
}

/* Standalone tags never start a rendered line, so they take no indent. */
static struct mnode *parser_node(struct parser *p, enum mnode_kind kind,
				 size_t off, bool standalone)
{
	struct mustache *t = p->t;
	struct mnode *n;

	t->nodes = xgrow(t->nodes, &t->nodecap, t->nnodes + 1, sizeof(*n));
	n = &t->nodes[t->nnodes++];
	memset(n, 0, sizeof(*n));
	n->kind = kind;
	n->bol = !standalone && at_bol(p->s, off);
	n->standalone = standalone;
	parser_loc(p, off, &n->line, &n->col);
	return n;
}

static void parser_text(struct parser *p, size_t from, size_t to)
{
	struct mnode *n;

	if (from == to)
		return;
	n = parser_node(p, MN_TEXT, from, false);
	n->off = from;
	n->len = to - from;
}

/* An empty text node that starts a line: a tag that outputs nothing (a
 * comment, say) at the start of a line inside an indented partial still
 * gets the indentation in front of what follows it on that line. */
static void parser_mark_bol(struct parser *p, size_t off)
{
	struct mnode *n = parser_node(p, MN_TEXT, off, false);

	n->off = off;
}

/* Keep the full name (messages, partials) and, for lookups, its parts. */
static int parser_name(struct parser *p, struct mnode *n,
		       const struct tag *tg, bool dotted)
{
	const char *s = p->s + tg->name;
	size_t i, start = 0;

	n->name = pool_add(p->t, s, tg->nlen);
	n->seg = p->t->nsegs;
	if (!dotted || (tg->nlen == 1 && s[0] == '.'))
		return 0;
	for (i = 0; i <= tg->nlen; i++) {
		if (i < tg->nlen && s[i] != '.')
			continue;
		if (i == start)
			return parser_fail(p, tg->start, "bad name \"%.*s\": "
					   "empty part around a dot",
					   (int)tg->nlen, s);
		seg_add(p->t, pool_add(p->t, s + start, i - start));
		n->nseg++;
		start = i + 1;
	}
	return 0;
}

static int parser_check_name(struct parser *p, const struct tag *tg)
{
	const char *s = p->s + tg->name;
	size_t i;

	if (tg->sigil == '!' || tg->sigil == '=')
		return 0;
	if (memmem(s, tg->nlen, p->otag, p->olen))
		return parser_fail(p, tg->start, "unclosed tag: \"%s\" has no "
				   "\"%s\" before the next \"%s\"",
				   p->otag, p->ctag, p->otag);
	if (tg->nlen == 0)
		return parser_fail(p, tg->start, "empty tag; put a name in it");
	for (i = 0; i < tg->nlen; i++)
		if (is_ws(s[i]) || (unsigned char)s[i] < 0x20)
			return parser_fail(p, tg->start, "tag name \"%.*s\" "
					   "contains a blank or control "
					   "character", (int)tg->nlen, s);
	return 0;
}

/* Triple mustache and set-delimiter tags end in an extra character. */
static size_t close_pattern(const struct parser *p, char sigil, char *buf)
{
	size_t n = 0;

	if (sigil == '{')
		buf[n++] = '}';
	else if (sigil == '=')
		buf[n++] = '=';
	memcpy(buf + n, p->ctag, p->clen + 1);
	return n + p->clen;
}

/* Read the tag whose opening delimiter is at start. */
static int parser_tag(struct parser *p, size_t start, struct tag *tg)
{
	char close[DELIM_MAX + 2];
	size_t cs = start + p->olen, ce, clen;
	const char *hit;

	while (cs < p->len && is_ws(p->s[cs]))
		cs++;
	tg->sigil = 0;
	if (cs < p->len && memchr("#^/>!={&", p->s[cs], 8))
		tg->sigil = p->s[cs++];
	clen = close_pattern(p, tg->sigil, close);
	hit = memmem(p->s + cs, p->len - cs, close, clen);
	if (hit == NULL)
		return parser_fail(p, start, "unclosed tag: no \"%s\" after "
				   "\"%s\"", close, p->otag);
	ce = (size_t)(hit - p->s);
	tg->start = start;
	tg->end = ce + clen;
	while (cs < ce && is_ws(p->s[cs]))
		cs++;
	while (ce > cs && is_ws(p->s[ce - 1]))
		ce--;
	tg->name = cs;
	tg->nlen = ce - cs;
	return parser_check_name(p, tg);
}

/* A standalone tag has only blanks around it on its line; the whole line,
 * newline included, is then dropped from the output: [*a, *b). */
static bool standalone(const struct parser *p, const struct tag *tg,
		       size_t *a, size_t *b)
{
	size_t s = tg->start, e = tg->end;

	if (!tg->sigil || !memchr("#^/>!=", tg->sigil, 6))
		return false;
	while (s > p->text && is_blank(p->s[s - 1]))
		s--;
	if (!at_bol(p->s, s))
		return false;
	while (e < p->len && is_blank(p->s[e]))
		e++;
	if (e + 1 < p->len && p->s[e] == '\r' && p->s[e + 1] == '\n')
		e += 2;
	else if (e < p->len && p->s[e] == '\n')
		e++;
	else if (e < p->len)
		return false;
	*a = s;
	*b = e;
	return true;
}

static bool delim_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > DELIM_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (is_ws(s[i]) || s[i] == '=' || (unsigned char)s[i] < 0x20)
			return false;
	return true;
}

static int parser_delims(struct parser *p, const struct tag *tg)
{
	const char *o = p->s + tg->name, *e = o + tg->nlen, *oe = o, *c;

	while (oe < e && !is_ws(*oe))
		oe++;
	for (c = oe; c < e && is_ws(*c); c++)
		;
	if (!delim_ok(o, (size_t)(oe - o)) || !delim_ok(c, (size_t)(e - c)))
		return parser_fail(p, tg->start, "bad delimiter \"%.*s\": want "
				   "two delimiters of 1-%d characters without "
				   "blanks or '=', as in {{=<%% %%>=}}",
				   (int)tg->nlen, o, DELIM_MAX);
	set_delims(p, o, (size_t)(oe - o), c, (size_t)(e - c));
	return 0;
}

static int parser_open(struct parser *p, const struct tag *tg, bool alone)
{
	enum mnode_kind kind = tg->sigil == '#' ? MN_SECTION : MN_INVERTED;
	struct mnode *n = parser_node(p, kind, tg->start, alone);

	p->open = xgrow(p->open, &p->opencap, p->nopen + 1, sizeof(*p->open));
	p->open[p->nopen++] = p->t->nnodes - 1;
	return parser_name(p, n, tg, true);
}

static int parser_close(struct parser *p, const struct tag *tg)
{
	const char *want = p->s + tg->name;
	struct mnode *n;
	const char *name;

	if (p->nopen == 0)
		return parser_fail(p, tg->start, "close tag \"%.*s\" has no "
				   "open section; remove it", (int)tg->nlen,
				   want);
	n = &p->t->nodes[p->open[p->nopen - 1]];
	name = p->t->pool + n->name;
	if (strlen(name) != tg->nlen || memcmp(name, want, tg->nlen) != 0)
		return parser_fail(p, tg->start, "mismatched close tag \"%.*s\""
				   ": section \"%s\" opened at line %d must be "
				   "closed first", (int)tg->nlen, want, name,
				   n->line);
	n->end = p->t->nnodes;
	p->nopen--;
	return 0;
}

static int parser_partial(struct parser *p, const struct tag *tg,
			  bool alone, size_t line_start)
{
	struct mnode *n = parser_node(p, MN_PARTIAL, tg->start, alone);

	if (alone) {
		n->off = line_start;
		n->len = tg->start - line_start;
	}
	return parser_name(p, n, tg, false);
}

static int parser_var(struct parser *p, const struct tag *tg)
{
	bool raw = tg->sigil == '{' || tg->sigil == '&';
	struct mnode *n = parser_node(p, raw ? MN_RAW : MN_VAR, tg->start,
				      false);

	return parser_name(p, n, tg, true);
}

static int parser_apply(struct parser *p, const struct tag *tg, bool alone,
			size_t line_start)
{
	bool silent = tg->sigil == '!' || tg->sigil == '=' || tg->sigil == '/';

	if (silent && !alone && at_bol(p->s, tg->start))
		parser_mark_bol(p, tg->start);
	switch (tg->sigil) {
	case '!':
		return 0;
	case '=':
		return parser_delims(p, tg);
	case '/':
		return parser_close(p, tg);
	case '#':
	case '^':
		return parser_open(p, tg, alone);
	case '>':
		return parser_partial(p, tg, alone, line_start);
	default:
		return parser_var(p, tg);
	}
}

static int parser_step(struct parser *p, size_t start)
{
	struct tag tg;
	size_t a, b;
	bool alone;

	if (parser_tag(p, start, &tg) < 0)
		return -1;
	alone = standalone(p, &tg, &a, &b);
	if (!alone) {
		a = tg.start;
		b = tg.end;
	}
	parser_text(p, p->text, a);
	p->pos = p->text = b;
	return parser_apply(p, &tg, alone, a);
}

static int parser_run(struct parser *p)
{
	const struct mnode *n;
	const char *hit;

	while ((hit = memmem(p->s + p->pos, p->len - p->pos, p->otag,
			     p->olen)) != NULL)
		if (parser_step(p, (size_t)(hit - p->s)) < 0)
			return -1;
	parser_text(p, p->text, p->len);
	if (p->nopen == 0)
		return 0;
	n = &p->t->nodes[p->open[p->nopen - 1]];
	ck_err_set(p->err, p->t->name, n->line, n->col, "unclosed section "
		   "\"%s\" opened at line %d; add {{/%s}}", p->t->pool + n->name,
		   n->line, p->t->pool + n->name);
	return -1;
}

static int mustache_parse(struct mustache *t, struct ck_err *err)
{
	struct parser p = {
		.t = t, .s = t->src, .len = t->srclen, .line = 1, .err = err,
	};
	int rc;

	set_delims(&p, "{{", 2, "}}", 2);
	rc = parser_run(&p);
	free(p.open);
	return rc;
}

/* ---- the set ---------------------------------------------------------- */

struct mustache_set *mustache_set_new(void)
{
	return xcalloc(1, sizeof(struct mustache_set));
}

static void mustache_free(struct mustache *t)
{
	free(t->name);
	free(t->src);
	free(t->nodes);
	free(t->pool);
	free(t->segs);
	free(t);
}

void mustache_set_free(struct mustache_set *set)
{
	size_t i;

	if (set == NULL)
		return;
	for (i = 0; i < set->n; i++)
		mustache_free(set->v[i]);
	free(set->v);
	free(set);
}

struct mustache *mustache_set_get(const struct mustache_set *set,
				  const char *name)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		if (strcmp(set->v[i]->name, name) == 0)
			return set->v[i];
	return NULL;
}

const char *mustache_name(const struct mustache *t)
{
	return t->name;
}

struct mustache *mustache_set_add(struct mustache_set *set, const char *name,
				  const char *src, size_t len,
				  struct ck_err *err)
{
	struct mustache *t;

	if (mustache_set_get(set, name) != NULL) {
		ck_err_set(err, name, 0, 0, "template \"%s\" is already in the "
			   "set; give each template its own name", name);
		return NULL;
	}
	t = xcalloc(1, sizeof(*t));
	t->set = set;
	t->name = xstrdup(name);
	t->src = xstrndup(len ? src : "", len);
	t->srclen = len;
	if (mustache_parse(t, err) < 0) {
		mustache_free(t);
		return NULL;
	}
	set->v = xgrow(set->v, &set->cap, set->n + 1, sizeof(*set->v));
	set->v[set->n++] = t;
	return t;
}

/* ---- rendering -------------------------------------------------------- */

struct frame {			/* the context stack, innermost first */
	json_t *v;
	const struct frame *up;
};

struct indent {			/* standalone partial indentation, outer last */
	const char *s;
	size_t len;
	const struct indent *up;
};

struct render {
	unsigned flags;
	struct sbuf *out;
	struct ck_err *err;
	int depth;		/* partials being rendered */
};

static int render_nodes(struct render *r, const struct mustache *t,
			size_t from, size_t to, const struct frame *f,
			const struct indent *ind);

static int render_fail(struct render *r, const struct mustache *t,
		       const struct mnode *n, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int render_fail(struct render *r, const struct mustache *t,
		       const struct mnode *n, const char *fmt, ...)
{
	char msg[sizeof(r->err->msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ck_err_set(r->err, t->name, n->line, n->col, "%s", msg);
	return -1;
}

static void put_indent(struct sbuf *out, const struct indent *ind)
{
	if (ind->up != NULL)
		put_indent(out, ind->up);
	sbuf_add(out, ind->s, ind->len);
}

/* Indent every line that starts inside this text; a line that starts
 * with a tag gets it from the tag's node (its bol flag). */
static void put_text(struct sbuf *out, const char *s, size_t n,
		     const struct indent *ind)
{
	const char *nl;
	size_t k;

	while (ind && (nl = memchr(s, '\n', n)) != NULL && nl + 1 < s + n) {
		k = (size_t)(nl + 1 - s);
		sbuf_add(out, s, k);
		put_indent(out, ind);
		s += k;
		n -= k;
	}
	sbuf_add(out, s, n);
}

static const char *html_entity(char c)
{
	switch (c) {
	case '&':
		return "&amp;";
	case '"':
		return "&quot;";
	case '<':
		return "&lt;";
	case '>':
		return "&gt;";
	case '\'':
		return "&#39;";
	default:
		return NULL;
	}
}

static void put_escaped(struct sbuf *out, const char *s, size_t n)
{
	const char *ent;
	size_t i, from = 0;

	for (i = 0; i < n; i++) {
		if ((ent = html_entity(s[i])) == NULL)
			continue;
		sbuf_add(out, s + from, i - from);
		sbuf_adds(out, ent);
		from = i + 1;
	}
	sbuf_add(out, s + from, n - from);
}

static void put_int(struct sbuf *out, json_int_t v)
{
	char buf[24], *p = buf + sizeof(buf);
	/* -(v + 1) + 1: no overflow even for the most negative value */
	unsigned long long u = v < 0 ? (unsigned long long)-(v + 1) + 1
				     : (unsigned long long)v;

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0)
		*--p = '-';
	sbuf_add(out, p, (size_t)(buf + sizeof(buf) - p));
}

/* The shortest %g that reads back as the same double: 1.21 is "1.21". */
static void put_real(struct sbuf *out, double d)
{
	char buf[40];
	int prec;

	for (prec = 15; prec < 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	if (prec == 17)
		snprintf(buf, sizeof(buf), "%.17g", d);
	sbuf_adds(out, buf);
}

static int find_ctrl(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return (unsigned char)s[i];
	return -1;
}

static int put_string(struct render *r, const struct mustache *t,
		      const struct mnode *n, const json_t *v)
{
	const char *s = json_string_value(v);
	size_t len = json_string_length(v);
	int c;

	if ((r->flags & MUSTACHE_NO_CTRL) && (c = find_ctrl(s, len)) >= 0)
		return render_fail(r, t, n, "value of \"%s\" contains control "
				   "character 0x%02x, which would break the "
				   "generated file; fix the input value",
				   t->pool + n->name, c);
	if (n->kind == MN_VAR && (r->flags & MUSTACHE_HTML_ESCAPE))
		put_escaped(r->out, s, len);
	else
		sbuf_add(r->out, s, len);
	return 0;
}

static json_t *ctx_find(const struct frame *f, const char *key)
{
	json_t *v;

	for (; f != NULL; f = f->up)
		if (json_is_object(f->v) &&
		    (v = json_object_get(f->v, key)) != NULL)
			return v;
	return NULL;
}

/* The first part is looked up through the stack, the rest only inside
 * what it found (spec: "Dotted Names - Context Precedence"). */
static json_t *lookup(const struct mustache *t, const struct mnode *n,
		      const struct frame *f)
{
	const size_t *seg;
	json_t *v;
	size_t i;

	if (n->nseg == 0)
		return f->v;
	seg = t->segs + n->seg;
	v = ctx_find(f, t->pool + seg[0]);
	for (i = 1; v != NULL && i < n->nseg; i++)
		v = json_object_get(v, t->pool + seg[i]);
	return v;
}

static int resolve(struct render *r, const struct mustache *t,
		   const struct mnode *n, const struct frame *f, json_t **v)
{
	*v = lookup(t, n, f);
	if (*v != NULL || !(r->flags & MUSTACHE_STRICT))
		return 0;
	return render_fail(r, t, n, "\"%s\" is not in the data; add it or fix "
			   "the name", t->pool + n->name);
}

static int render_var(struct render *r, const struct mustache *t,
		      const struct mnode *n, const struct frame *f)
{
	json_t *v;

	if (resolve(r, t, n, f, &v) < 0)
		return -1;
	if (v == NULL)
		return 0;
	switch (json_typeof(v)) {
	case JSON_STRING:
		return put_string(r, t, n, v);
	case JSON_INTEGER:
		put_int(r->out, json_integer_value(v));
		return 0;
	case JSON_REAL:
		put_real(r->out, json_real_value(v));
		return 0;
	case JSON_TRUE:
		sbuf_adds(r->out, "true");
		return 0;
	case JSON_FALSE:
		sbuf_adds(r->out, "false");
		return 0;
	case JSON_NULL:
		return 0;
	default:
		return render_fail(r, t, n, "\"%s\" is an %s and cannot be "
				   "interpolated; iterate it with a section",
				   t->pool + n->name,
				   json_is_array(v) ? "array" : "object");
	}
}

static bool truthy(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_FALSE:
	case JSON_NULL:
		return false;
	case JSON_ARRAY:
		return json_array_size(v) > 0;
	case JSON_STRING:
		return json_string_length(v) > 0;
	default:
		return true;
	}
}

static int render_with(struct render *r, const struct mustache *t,
		       const struct mnode *n, json_t *v,
		       const struct frame *up, const struct indent *ind)
{
	struct frame f = { v, up };
	size_t body = (size_t)(n - t->nodes) + 1;

	return render_nodes(r, t, body, n->end, &f, ind);
}

static int render_section(struct render *r, const struct mustache *t,
			  const struct mnode *n, const struct frame *f,
			  const struct indent *ind)
{
	json_t *v;
	size_t i;

	if (resolve(r, t, n, f, &v) < 0)
		return -1;
	if (v == NULL || !truthy(v))
		return 0;
	if (!json_is_array(v))
		return render_with(r, t, n, v, f, ind);
	for (i = 0; i < json_array_size(v); i++)
		if (render_with(r, t, n, json_array_get(v, i), f, ind) < 0)
			return -1;
	return 0;
}

static int render_inverted(struct render *r, const struct mustache *t,
			   const struct mnode *n, const struct frame *f,
			   const struct indent *ind)
{
	size_t body = (size_t)(n - t->nodes) + 1;
	json_t *v;

	if (resolve(r, t, n, f, &v) < 0)
		return -1;
	if (v != NULL && truthy(v))
		return 0;
	return render_nodes(r, t, body, n->end, f, ind);
}

/* A standalone partial indents its lines by its own indentation after the
 * enclosing ones; an inline partial is not indented at all. */
static int render_partial(struct render *r, const struct mustache *t,
			  const struct mnode *n, const struct frame *f,
			  const struct indent *ind)
{
	const char *name = t->pool + n->name;
	const struct mustache *p = mustache_set_get(t->set, name);
	struct indent in = { t->src + n->off, n->len, ind };
	int rc;

	if (p == NULL && (r->flags & MUSTACHE_STRICT))
		return render_fail(r, t, n, "partial \"%s\" is not in the "
				   "template set; add it or fix the name",
				   name);
	if (p == NULL)
		return 0;
	if (r->depth >= DEPTH_MAX)
		return render_fail(r, t, n, "partial \"%s\" nested more than "
				   "%d deep; does its recursion end?", name,
				   DEPTH_MAX);
	r->depth++;
	rc = render_nodes(r, p, 0, p->nnodes, f, n->standalone ? &in : NULL);
	r->depth--;
	return rc;
}

static int render_node(struct render *r, const struct mustache *t,
		       const struct mnode *n, const struct frame *f,
		       const struct indent *ind)
{
	switch (n->kind) {
	case MN_TEXT:
		put_text(r->out, t->src + n->off, n->len, ind);
		return 0;
	case MN_VAR:
	case MN_RAW:
		return render_var(r, t, n, f);
	case MN_SECTION:
		return render_section(r, t, n, f, ind);
	case MN_INVERTED:
		return render_inverted(r, t, n, f, ind);
	case MN_PARTIAL:
		return render_partial(r, t, n, f, ind);
	}
	return 0;
}

static int render_nodes(struct render *r, const struct mustache *t,
			size_t from, size_t to, const struct frame *f,
			const struct indent *ind)
{
	const struct mnode *n;
	size_t i = from;

	while (i < to) {
		n = &t->nodes[i];
		if (n->bol && ind != NULL)
			put_indent(r->out, ind);
		if (render_node(r, t, n, f, ind) < 0)
			return -1;
		if (n->kind == MN_SECTION || n->kind == MN_INVERTED)
			i = n->end;
		else
			i++;
	}
	return 0;
}

int mustache_render(const struct mustache *t, json_t *ctx, unsigned flags,
		    struct sbuf *out, struct ck_err *err)
{
	struct render r = { flags, out, err, 0 };
	struct frame root = { ctx, NULL };

	return render_nodes(&r, t, 0, t->nnodes, &root, NULL);
}
