#include "ydoc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ydoc_load(struct ydoc *d, const char *file, const char *buf, size_t len,
	      struct ck_err *err)
{
	yaml_parser_t p;
	int ok;

	d->file = file;
	d->err = err;
	memset(&d->doc, 0, sizeof(d->doc));
	yaml_parser_initialize(&p);
	yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
	ok = yaml_parser_load(&p, &d->doc);
	if (!ok) {
		ck_err_set(err, file, (int)p.problem_mark.line + 1,
			   (int)p.problem_mark.column + 1,
			   "YAML syntax error: %s%s%s; fix the syntax there",
			   p.problem ? p.problem : "unknown",
			   p.context ? " " : "", p.context ? p.context : "");
		yaml_parser_delete(&p);
		return -1;
	}
	yaml_parser_delete(&p);
	if (yaml_document_get_root_node(&d->doc) == NULL) {
		ck_err_set(err, file, 1, 1,
			   "empty document; a topology needs at least "
			   "'fabric', 'pools', 'pods' and 'tiers'");
		yaml_document_delete(&d->doc);
		return -1;
	}
	return 0;
}

void ydoc_free(struct ydoc *d)
{
	yaml_document_delete(&d->doc);
}

ynode *ydoc_root(struct ydoc *d)
{
	return yaml_document_get_root_node(&d->doc);
}

void ydoc_loc(const ynode *n, int *line, int *col)
{
	*line = n ? (int)n->start_mark.line + 1 : 0;
	*col = n ? (int)n->start_mark.column + 1 : 0;
}

int ydoc_fail(struct ydoc *d, const ynode *n, const char *fmt, ...)
{
	char msg[sizeof(d->err->msg)];
	int line, col;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ydoc_loc(n, &line, &col);
	ck_err_set(d->err, d->file, line, col, "%s", msg);
	return -1;
}

static const char *scalar(const ynode *n)
{
	return (const char *)n->data.scalar.value;
}

static const char *kind_name(const ynode *n)
{
	switch (n->type) {
	case YAML_SCALAR_NODE:
		return "a scalar";
	case YAML_SEQUENCE_NODE:
		return "a list";
	case YAML_MAPPING_NODE:
		return "a mapping";
	default:
		return "nothing";
	}
}

int ydoc_map(struct ydoc *d, ynode *n, const char *what)
{
	if (n->type != YAML_MAPPING_NODE)
		return ydoc_fail(d, n, "%s: expected a mapping (key: value), "
				 "got %s", what, kind_name(n));
	return 0;
}

/* Edit distance, for "did you mean" hints on misspelt keys. */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t row[64], prev, tmp;

	if (lb >= sizeof(row) / sizeof(row[0]))
		return SIZE_MAX;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t best = prev + (a[i - 1] != b[j - 1]);

			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			tmp = row[j];
			row[j] = best;
			prev = tmp;
		}
	}
	return row[lb];
}

static int unknown_key(struct ydoc *d, ynode *k, const char *const *allowed)
{
	const char *best = NULL;
	size_t bestd = SIZE_MAX, i;
	char list[512] = "";

	for (i = 0; allowed[i]; i++) {
		size_t dist = distance(scalar(k), allowed[i]);

		if (dist < bestd) {
			bestd = dist;
			best = allowed[i];
		}
		if (strlen(list) + strlen(allowed[i]) + 3 < sizeof(list)) {
			if (i)
				strcat(list, ", ");
			strcat(list, allowed[i]);
		}
	}
	if (best && bestd <= 3)
		return ydoc_fail(d, k, "unknown key '%s'; did you mean '%s'?",
				 scalar(k), best);
	return ydoc_fail(d, k, "unknown key '%s'; allowed here: %s",
			 scalar(k), list);
}

int ydoc_keys(struct ydoc *d, ynode *map, const char *const *allowed)
{
	yaml_node_pair_t *p, *q;

	for (p = map->data.mapping.pairs.start;
	     p < map->data.mapping.pairs.top; p++) {
		ynode *k = yaml_document_get_node(&d->doc, p->key);
		size_t i;

		if (k->type != YAML_SCALAR_NODE)
			return ydoc_fail(d, k, "keys must be plain words");
		for (i = 0; allowed[i]; i++)
			if (strcmp(allowed[i], scalar(k)) == 0)
				break;
		if (!allowed[i])
			return unknown_key(d, k, allowed);
		for (q = map->data.mapping.pairs.start; q < p; q++) {
			ynode *k2 = yaml_document_get_node(&d->doc, q->key);

			if (k2->type == YAML_SCALAR_NODE &&
			    strcmp(scalar(k2), scalar(k)) == 0)
				return ydoc_fail(d, k, "key '%s' given twice "
						 "(first at line %d); keep one",
						 scalar(k),
						 (int)k2->start_mark.line + 1);
		}
	}
	return 0;
}

ynode *ydoc_get(struct ydoc *d, ynode *map, const char *key)
{
	yaml_node_pair_t *p;

	if (map == NULL || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (p = map->data.mapping.pairs.start;
	     p < map->data.mapping.pairs.top; p++) {
		ynode *k = yaml_document_get_node(&d->doc, p->key);

		if (k->type == YAML_SCALAR_NODE && strcmp(scalar(k), key) == 0)
			return yaml_document_get_node(&d->doc, p->value);
	}
	return NULL;
}

int ydoc_require(struct ydoc *d, ynode *map, const char *key, ynode **out)
{
	*out = ydoc_get(d, map, key);
	if (*out == NULL)
		return ydoc_fail(d, map, "missing required key '%s'; add it "
				 "(see fabric-topology(5))", key);
	return 0;
}

int ydoc_seq(struct ydoc *d, ynode *n, const char *key, uint32_t *count)
{
	if (n->type != YAML_SEQUENCE_NODE)
		return ydoc_fail(d, n, "%s: expected a list, got %s", key,
				 kind_name(n));
	*count = (uint32_t)(n->data.sequence.items.top -
			    n->data.sequence.items.start);
	return 0;
}

ynode *ydoc_item(struct ydoc *d, ynode *seq, uint32_t i)
{
	return yaml_document_get_node(&d->doc,
				      seq->data.sequence.items.start[i]);
}

int ydoc_str(struct ydoc *d, ynode *n, const char *key, const char **out)
{
	const unsigned char *s;

	if (n->type != YAML_SCALAR_NODE)
		return ydoc_fail(d, n, "%s: expected a string, got %s", key,
				 kind_name(n));
	/* Values end up in generated configs: a control character (a newline
	 * above all) could inject a line, so none is accepted anywhere. */
	for (s = n->data.scalar.value; *s; s++)
		if (*s < 0x20 || *s == 0x7f)
			return ydoc_fail(d, n, "%s: contains a control "
					 "character (0x%02x); values must be "
					 "one printable line", key, *s);
	*out = scalar(n);
	return 0;
}

/* Integers and booleans are written plain: a quoted "9216" is a string
 * in YAML, so a reader that took it as a number would disagree with every
 * other YAML tool about what the file says. */
static int plain(struct ydoc *d, ynode *n, const char *key, const char *what)
{
	if (n->type == YAML_SCALAR_NODE &&
	    n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE &&
	    n->data.scalar.style != YAML_ANY_SCALAR_STYLE)
		return ydoc_fail(d, n, "%s: expected %s, got the quoted string "
				 "'%s'; remove the quotes", key, what,
				 scalar(n));
	return 0;
}

int ydoc_uint(struct ydoc *d, ynode *n, const char *key, uint32_t min,
	      uint32_t max, uint32_t *out)
{
	const char *s;
	char *end;
	unsigned long long v;

	if (ydoc_str(d, n, key, &s) < 0 ||
	    plain(d, n, key, "a whole number") < 0)
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*s == '\0' || *s == '-' || *end != '\0' || errno != 0 ||
	    v < min || v > max)
		return ydoc_fail(d, n, "%s: expected a whole number from %u "
				 "to %u, got '%s'", key, min, max, s);
	*out = (uint32_t)v;
	return 0;
}

int ydoc_bool(struct ydoc *d, ynode *n, const char *key, bool *out)
{
	static const char *const names[] = { "false", "true", "no", "yes",
					     NULL };
	int v;

	if (ydoc_enum(d, n, key, names, &v) < 0 ||
	    plain(d, n, key, "true or false") < 0)
		return -1;
	*out = v & 1;
	return 0;
}

int ydoc_enum(struct ydoc *d, ynode *n, const char *key,
	      const char *const *names, int *out)
{
	const char *s;
	char list[256] = "";
	int i;

	if (ydoc_str(d, n, key, &s) < 0)
		return -1;
	for (i = 0; names[i]; i++) {
		if (strcmp(names[i], s) == 0) {
			*out = i;
			return 0;
		}
		if (strlen(list) + strlen(names[i]) + 3 < sizeof(list)) {
			if (i)
				strcat(list, ", ");
			strcat(list, names[i]);
		}
	}
	return ydoc_fail(d, n, "%s: '%s' is not one of: %s", key, s, list);
}

int ydoc_speed(struct ydoc *d, ynode *n, const char *key, uint32_t *mbps)
{
	const char *s;
	char *end;
	unsigned long v;

	if (ydoc_str(d, n, key, &s) < 0)
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || v == 0 || end == s)
		goto bad;
	if (strcmp(end, "G") == 0 && v <= 1600)
		*mbps = (uint32_t)v * 1000;
	else if (strcmp(end, "M") == 0 && v <= 1600000)
		*mbps = (uint32_t)v;
	else
		goto bad;
	return 0;
bad:
	return ydoc_fail(d, n, "%s: expected a speed such as 10G, 25G, 100G "
			 "or 100M, got '%s'", key, s);
}

static int parse_ip4(const char *s, uint32_t *out, const char **end)
{
	unsigned long part;
	uint32_t a = 0;
	int i;

	for (i = 0; i < 4; i++) {
		char *e;

		if (*s < '0' || *s > '9')
			return -1;
		part = strtoul(s, &e, 10);
		if (part > 255 || e - s > 3)
			return -1;
		a = (a << 8) | (uint32_t)part;
		s = e;
		if (i < 3 && *s++ != '.')
			return -1;
	}
	*out = a;
	*end = s;
	return 0;
}

int ydoc_cidr(struct ydoc *d, ynode *n, const char *key, uint32_t *addr,
	      uint8_t *len)
{
	const char *s, *e;
	char *e2;
	unsigned long l;
	uint32_t a, mask;

	if (ydoc_str(d, n, key, &s) < 0)
		return -1;
	if (parse_ip4(s, &a, &e) < 0 || *e != '/')
		goto bad;
	l = strtoul(e + 1, &e2, 10);
	if (e2 == e + 1 || *e2 != '\0' || l > 32)
		goto bad;
	mask = l ? ~(uint32_t)0 << (32 - l) : 0;
	if (a & ~mask)
		return ydoc_fail(d, n, "%s: '%s' has host bits set; write the "
				 "network address of the prefix", key, s);
	*addr = a;
	*len = (uint8_t)l;
	return 0;
bad:
	return ydoc_fail(d, n, "%s: expected an IPv4 prefix such as "
			 "10.0.0.0/16, got '%s'", key, s);
}

int ydoc_range(struct ydoc *d, ynode *n, const char *key, uint32_t *lo,
	       uint32_t *hi)
{
	const char *s;
	char *e;
	unsigned long long a, b;

	if (ydoc_str(d, n, key, &s) < 0)
		return -1;
	errno = 0;
	a = strtoull(s, &e, 10);
	if (e == s || *s == '-')
		goto bad;
	b = a;
	if (*e == '-') {
		const char *s2 = e + 1;

		b = strtoull(s2, &e, 10);
		if (e == s2)
			goto bad;
	}
	if (*e != '\0' || errno || a == 0 || b > UINT32_MAX || a > b)
		goto bad;
	*lo = (uint32_t)a;
	*hi = (uint32_t)b;
	return 0;
bad:
	return ydoc_fail(d, n, "%s: expected an ASN range such as "
			 "4200000000-4200099999 (low-high, low <= high), "
			 "got '%s'", key, s);
}

int ydoc_opt_uint(struct ydoc *d, ynode *map, const char *key, uint32_t min,
		  uint32_t max, uint32_t *out)
{
	ynode *n = ydoc_get(d, map, key);

	return n ? ydoc_uint(d, n, key, min, max, out) : 0;
}

int ydoc_opt_str(struct ydoc *d, ynode *map, const char *key,
		 const char **out)
{
	ynode *n = ydoc_get(d, map, key);

	return n ? ydoc_str(d, n, key, out) : 0;
}

int ydoc_opt_speed(struct ydoc *d, ynode *map, const char *key,
		   uint32_t *mbps)
{
	ynode *n = ydoc_get(d, map, key);

	return n ? ydoc_speed(d, n, key, mbps) : 0;
}
