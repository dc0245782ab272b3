#include "conffile.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fsutil.h"
#include "xalloc.h"

enum kind { K_STR, K_INT, K_BOOL, K_LIST };

struct key {
	const char *name;
	enum kind kind;
	size_t off;
	int lo, hi;
};

#define S(n, f) { n, K_STR, offsetof(struct config, f), 0, 0 }
#define I(n, f, lo, hi) { n, K_INT, offsetof(struct config, f), lo, hi }
static const struct key keys[] = {
	S("node", node), S("listen_address", listen_addr),
	I("listen_port", listen_port, 1, 65535), S("tls_cert", tls_cert),
	S("tls_key", tls_key), S("client_ca", client_ca),
	{ "allowed_clients", K_LIST, offsetof(struct config, allowed), 0, 0 },
	S("state_dir", state_dir), S("frr_conf", frr_conf),
	S("frr_pathspace", frr_pathspace), S("vtysh", vtysh),
	S("frr_vty_dir", frr_vty_dir), S("lldpd_socket", lldpd_socket),
	S("frr_reload", frr_reload), S("python", python),
	I("verify_timeout_s", verify_timeout_s, 1, 3600),
	I("frr_timeout_s", frr_timeout_s, 1, 3600),
	I("max_bundle_kb", max_bundle_kb, 4, 65536),
	I("history_size", history_size, 1, 10000),
	I("max_connections", max_connections, 2, 65536),
	I("max_connections_per_ip", max_connections_per_ip, 0, 65536),
	I("connection_timeout_s", connection_timeout_s, 1, 3600),
	I("max_header_kb", max_header_kb, 4, 1024),
	{ "check_bfd", K_BOOL, offsetof(struct config, check_bfd), 0, 0 },
	{ "allow_any_client", K_BOOL, offsetof(struct config, allow_any_client),
	  0, 0 },
};

static void defaults(struct config *c)
{
	memset(c, 0, sizeof(*c));
	c->listen_addr = xstrdup("::");
	c->listen_port = 8443;
	c->state_dir = xstrdup("/var/lib/fabricd");
	c->frr_conf = xstrdup("/etc/frr/frr.conf");
	c->frr_pathspace = xstrdup("");
	c->vtysh = xstrdup("/usr/bin/vtysh");
	c->frr_vty_dir = xstrdup("/var/run/frr");
	c->lldpd_socket = xstrdup("/run/lldpd.socket");
	c->frr_reload = xstrdup("/usr/lib/frr/frr-reload.py");
	c->python = xstrdup("/usr/bin/python3");
	c->verify_timeout_s = 60;
	c->frr_timeout_s = 60;
	c->max_bundle_kb = 1024;
	c->history_size = 50;
	c->max_connections = 64;
	c->max_connections_per_ip = 16;
	c->connection_timeout_s = 30;
	c->max_header_kb = 16;
	c->check_bfd = 1;
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static void set_list(struct config *c, const char *v)
{
	char *copy = xstrdup(v), *save = NULL, *tok;

	for (tok = strtok_r(copy, ", \t", &save); tok;
	     tok = strtok_r(NULL, ", \t", &save)) {
		c->allowed = xrealloc(c->allowed,
				      (c->n_allowed + 1) * sizeof(char *));
		c->allowed[c->n_allowed++] = xstrdup(tok);
	}
	free(copy);
}

static int set_value(struct config *c, const struct key *k, const char *v,
		     const char *path, int line, struct ck_err *err)
{
	char *end;
	long n;

	switch (k->kind) {
	case K_STR:
		free(*(char **)((char *)c + k->off));
		*(char **)((char *)c + k->off) = xstrdup(v);
		return 0;
	case K_LIST:
		set_list(c, v);
		return 0;
	case K_BOOL:
		n = !strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "1");
		if (!n && strcmp(v, "no") && strcmp(v, "false") && strcmp(v, "0"))
			break;
		*(int *)((char *)c + k->off) = (int)n;
		return 0;
	case K_INT:
		n = strtol(v, &end, 10);
		if (*v == '\0' || *end != '\0' || n < k->lo || n > k->hi)
			break;
		*(int *)((char *)c + k->off) = (int)n;
		return 0;
	}
	if (k->kind == K_BOOL)
		ck_err_set(err, path, line, 0, "%s: invalid value '%s'; use yes "
			   "or no", k->name, v);
	else
		ck_err_set(err, path, line, 0, "%s: invalid value '%s'; expected "
			   "a whole number from %d to %d", k->name, v, k->lo,
			   k->hi);
	return -1;
}

static int parse_line(struct config *c, char *line, const char *path, int ln,
		      struct ck_err *err)
{
	char *eq, *key, *val;
	size_t i;

	line[strcspn(line, "#")] = '\0';
	key = trim(line);
	if (*key == '\0')
		return 0;
	eq = strchr(key, '=');
	if (eq == NULL) {
		ck_err_set(err, path, ln, 0, "expected 'key = value'");
		return -1;
	}
	*eq = '\0';
	key = trim(key);
	val = trim(eq + 1);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcmp(keys[i].name, key) == 0)
			return set_value(c, &keys[i], val, path, ln, err);
	ck_err_set(err, path, ln, 0, "unknown key '%s'; see fabricd.conf(5)",
		   key);
	return -1;
}

static int require(const char *v, const char *key, const char *path,
		   const char *why, struct ck_err *err)
{
	if (v && *v)
		return 0;
	ck_err_set(err, path, 0, 0, "%s is required: %s", key, why);
	return -1;
}

static int has_star(const struct config *c)
{
	size_t i;

	for (i = 0; i < c->n_allowed; i++)
		if (strcmp(c->allowed[i], "*") == 0)
			return 1;
	return 0;
}

/* Admitting every certificate of the CA (node certificates included: a
 * server could reconfigure its spine) is never a default or an accident. */
static int check_clients(const struct config *c, const char *path,
			 struct ck_err *err)
{
	if (has_star(c) && c->n_allowed > 1)
		ck_err_set(err, path, 0, 0, "allowed_clients: '*' cannot be "
			   "combined with names; list names, or '*' alone");
	else if (has_star(c) && !c->allow_any_client)
		ck_err_set(err, path, 0, 0, "allowed_clients = * admits every "
			   "certificate signed by client_ca, node certificates "
			   "included; remove it to admit operator certificates "
			   "only, or add 'allow_any_client = yes' if you mean it");
	else if (!has_star(c) && c->allow_any_client)
		ck_err_set(err, path, 0, 0, "allow_any_client = yes only goes "
			   "with allowed_clients = *; remove one of them");
	else
		return 0;
	return -1;
}

int conffile_admits_any(const struct config *c)
{
	return c->allow_any_client && has_star(c);
}

const char *conffile_admit(const struct config *c, const char *cn,
			   int client_auth, int operator_)
{
	size_t i;

	if (!client_auth)
		return "client-cert-purpose";
	if (conffile_admits_any(c))
		return NULL;
	if (!operator_)
		return "client-not-operator";
	for (i = 0; i < c->n_allowed; i++)
		if (strcmp(c->allowed[i], cn) == 0)
			return NULL;
	return c->n_allowed == 0 ? NULL : "client-not-allowed";
}

static int validate(const struct config *c, const char *path,
		    struct ck_err *err)
{
	if (require(c->node, "node", path, "set it to this box's name in the "
		    "bundle", err) < 0 ||
	    require(c->tls_cert, "tls_cert", path, "fabricd only speaks HTTPS; "
		    "create one with 'fabricctl ca issue NODE'", err) < 0 ||
	    require(c->tls_key, "tls_key", path, "the key of tls_cert", err) < 0 ||
	    require(c->client_ca, "client_ca", path, "fabricd refuses clients "
		    "without certificates; point it at the fabric CA "
		    "(fabricctl ca init)", err) < 0)
		return -1;
	if (check_clients(c, path, err) < 0)
		return -1;
	if (c->state_dir[0] != '/' || c->frr_conf[0] != '/') {
		ck_err_set(err, path, 0, 0,
			   "state_dir and frr_conf must be absolute paths");
		return -1;
	}
	return 0;
}

int conffile_parse(const char *text, const char *path, struct config *c,
		 struct ck_err *err)
{
	char *copy = xstrdup(text), *save = NULL, *line, *p = copy;
	int ln = 0, rc = 0;

	defaults(c);
	while (rc == 0 && (line = strsep(&p, "\n")) != NULL) {
		ln++;
		rc = parse_line(c, line, path, ln, err);
	}
	(void)save;
	free(copy);
	if (rc == 0)
		rc = validate(c, path, err);
	if (rc < 0)
		conffile_free(c);
	return rc;
}

int conffile_load(const char *path, struct config *c, struct ck_err *err)
{
	char *text;
	int rc;

	if (fs_read_file(path, &text, NULL, err) < 0)
		return -1;
	rc = conffile_parse(text, path, c, err);
	free(text);
	return rc;
}

static void print_key(const struct config *c, const struct key *k, FILE *out)
{
	const char *p = (const char *)c + k->off;
	size_t i;

	fprintf(out, "%s = ", k->name);
	if (k->kind == K_STR)
		fputs(*(char *const *)p ? *(char *const *)p : "", out);
	else if (k->kind == K_INT)
		fprintf(out, "%d", *(const int *)p);
	else if (k->kind == K_BOOL)
		fputs(*(const int *)p ? "yes" : "no", out);
	else
		for (i = 0; i < c->n_allowed; i++)
			fprintf(out, "%s%s", i ? ", " : "", c->allowed[i]);
	fputc('\n', out);
}

void conffile_print(const struct config *c, FILE *out)
{
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		print_key(c, &keys[i], out);
}

void conffile_free(struct config *c)
{
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (keys[i].kind == K_STR) {
			free(*(char **)((char *)c + keys[i].off));
			*(char **)((char *)c + keys[i].off) = NULL;
		}
	for (i = 0; i < c->n_allowed; i++)
		free(c->allowed[i]);
	free(c->allowed);
	c->allowed = NULL;
	c->n_allowed = 0;
}
