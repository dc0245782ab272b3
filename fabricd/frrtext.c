#include "frrtext.h"

#include <stdlib.h>
#include <string.h>

#include "sbuf.h"
#include "xalloc.h"

/* The first line that starts with prefix (column 0), or NULL. */
static const char *line_starting(const char *text, const char *prefix)
{
	const char *p = text;
	size_t n = strlen(prefix);

	while (p && *p) {
		if (strncmp(p, prefix, n) == 0)
			return p;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return NULL;
}

static const char *router_bgp(const char *text)
{
	return line_starting(text, "router bgp ");
}

long long frrtext_bgp_asn(const char *text)
{
	const char *p = router_bgp(text);

	return p ? strtoll(p + 11, NULL, 10) : 0;
}

char *frrtext_hostname(const char *text)
{
	const char *p = line_starting(text, "hostname ");
	size_t n;

	if (p == NULL)
		return NULL;
	p += 9;
	n = strcspn(p, " \t\r\n");
	return n ? xstrndup(p, n) : NULL;
}

char *frrtext_effective(const char *text, int drained)
{
	const char *p = drained ? router_bgp(text) : NULL;
	const char *eol;
	struct sbuf b;

	if (p == NULL)
		return xstrdup(text);
	eol = strchr(p, '\n');
	eol = eol ? eol + 1 : p + strlen(p);
	sbuf_init(&b);
	sbuf_add(&b, text, (size_t)(eol - text));
	if (eol[-1] != '\n')
		sbuf_addc(&b, '\n');
	sbuf_adds(&b, " bgp graceful-shutdown\n");
	sbuf_adds(&b, eol);
	return sbuf_steal(&b);
}

/* Lines `show running-config` omits or renders differently, so that a
 * converged config still shows them in frr-reload's diff. */
static const char *const noise[] = {
	"frr version ", "hostname ", "no hostname ", "service integrated-vtysh-config",
	"line vty", "end", "exit", "!",
	/* FRR's BFD defaults are never displayed */
	"detect-multiplier 3", "receive-interval 300", "transmit-interval 300",
	"echo-interval 50", "no detect-multiplier 3", "no receive-interval 300",
	"no transmit-interval 300",
};

static int is_noise(const char *line, size_t len)
{
	size_t i, n;

	while (len > 0 && (*line == ' ' || *line == '\t')) {
		line++;
		len--;
	}
	for (i = 0; i < sizeof(noise) / sizeof(noise[0]); i++) {
		n = strlen(noise[i]);
		if (len >= n && strncmp(line, noise[i], n) == 0 &&
		    (noise[i][n - 1] == ' ' || len == n))
			return 1;
	}
	return 0;
}

static int header(const char *line, size_t len)
{
	return len == 0 || strncmp(line, "Lines To ", 9) == 0 ||
	       strspn(line, "=") == len;
}

/* One item: a line at column 0 and the indented lines below it; what it
 * changes is its last line. */
static const char *item_end(const char *p)
{
	const char *e = strchr(p, '\n');

	while (e && (e[1] == ' ' || e[1] == '\t'))
		e = strchr(e + 1, '\n');
	return e ? e : p + strlen(p);
}

int frrtext_residual(const char *diff, struct sbuf *residual)
{
	const char *p = diff, *e, *last;
	int kept = 0;

	while (p && *p) {
		e = item_end(p);
		last = e;
		while (last > p && last[-1] != '\n')
			last--;
		if (!header(p, (size_t)(strchrnul(p, '\n') - p)) &&
		    !is_noise(last, (size_t)(e - last))) {
			sbuf_add(residual, p, (size_t)(e - p));
			sbuf_addc(residual, '\n');
			kept++;
		}
		p = *e ? e + 1 : e;
	}
	return kept;
}
