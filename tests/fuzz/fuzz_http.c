/* libFuzzer target: fabricd's HTTP request path in process, api_handle()
 * as the libmicrohttpd callback calls it, over an agent whose kernel and
 * FRR are fakes (nothing runs vtysh or touches netlink). An input is up to
 * MAX_REQUESTS requests separated by NUL bytes, each "METHOD PATH[?dryRun=
 * V]", a newline and the body, so that a push can be followed by confirm,
 * rollback, drain, status... Every input starts from an empty state
 * directory and a fresh agent: runs are deterministic and independent.
 * Every response must be a status and a body (JSON where it says so). */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fabricd/agent.h"
#include "fabricd/api.h"
#include "fsutil.h"
#include "log.h"
#include "xalloc.h"

#define MAX_REQUESTS 16
#define NODE "pod1-r001-tor1"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* --- a fake kernel: a few links, addresses and sysctls ------------------- */

#define SLOTS 32

/* Names of links, addresses or sysctl keys: index of name, added if add;
 * -1 when absent and not added, or when the table is full. */
struct names {
	char v[SLOTS][64];
	int n;
};

static int name_slot(struct names *t, const char *name, int add)
{
	int i;

	for (i = 0; i < t->n; i++)
		if (strcmp(t->v[i], name) == 0)
			return i;
	if (!add || t->n == SLOTS)
		return -1;
	snprintf(t->v[t->n], sizeof(t->v[0]), "%s", name);
	return t->n++;
}

static struct {
	struct names links, addrs, keys;
	struct link_info li[SLOTS];
	char val[SLOTS][16];	/* by key */
	char *running;		/* FRR's running config */
	double clock;
} k;

/* Any interface exists, except those named "x...": a push naming one is
 * refused as missing-interface. A link is down at MTU 1500 until set. */
static int f_link_get(void *ctx, const char *n, struct link_info *li,
		      struct ck_err *err)
{
	int i = n[0] == 'x' ? -1 : name_slot(&k.links, n, 1);

	(void)ctx;
	(void)err;
	memset(li, 0, sizeof(*li));
	if (i >= 0 && k.li[i].exists == 0)
		k.li[i] = (struct link_info){ 1, 1500, 0, 0, 0 };
	if (i >= 0)
		*li = k.li[i];
	return 0;
}

static int f_link_set(void *ctx, const char *n, int mtu, int up,
		      struct ck_err *err)
{
	int i = name_slot(&k.links, n, 0);

	(void)ctx;
	if (i < 0) {
		ck_err_set(err, "", 0, 0, "%s: no such link", n);
		return -1;
	}
	k.li[i].mtu = mtu;
	k.li[i].up = up;
	return 0;
}

static int f_addr_has(void *ctx, const char *n, const char *p, int *has,
		      struct ck_err *err)
{
	(void)ctx;
	(void)n;
	(void)err;
	*has = name_slot(&k.addrs, p, 0) >= 0;
	return 0;
}

static int f_addr_add(void *ctx, const char *n, const char *p,
		      struct ck_err *err)
{
	(void)ctx;
	(void)n;
	if (name_slot(&k.addrs, p, 1) >= 0)
		return 0;
	ck_err_set(err, "", 0, 0, "too many addresses");
	return -1;
}

static int f_addr_del(void *ctx, const char *n, const char *p,
		      struct ck_err *err)
{
	int i = name_slot(&k.addrs, p, 0);

	(void)ctx;
	(void)n;
	(void)err;
	if (i >= 0)
		memcpy(k.addrs.v[i], k.addrs.v[--k.addrs.n], sizeof(k.addrs.v[0]));
	return 0;
}

/* A sysctl is "0" until set. */
static int f_sysctl_get(void *ctx, const char *key, char *buf, size_t len,
			struct ck_err *err)
{
	int i = name_slot(&k.keys, key, 0);

	(void)ctx;
	(void)err;
	snprintf(buf, len, "%s", i >= 0 ? k.val[i] : "0");
	return 0;
}

static int f_sysctl_set(void *ctx, const char *key, const char *v,
			struct ck_err *err)
{
	int i = name_slot(&k.keys, key, 1);

	(void)ctx;
	if (i < 0) {
		ck_err_set(err, "", 0, 0, "too many sysctls");
		return -1;
	}
	snprintf(k.val[i], sizeof(k.val[0]), "%s", v);
	return 0;
}

static const struct net_ops fake_net = {
	f_link_get, f_link_set, f_addr_has, f_addr_add, f_addr_del,
	f_sysctl_get, f_sysctl_set,
};

/* --- a fake FRR: the running config is the last file reloaded ------------ */

static char *slurp(const char *file)
{
	char *text = NULL;

	fs_read_file(file, &text, NULL, NULL);
	return text ? text : xstrdup("");
}

/* vtysh --dryrun refuses a line starting with "bogus". */
static int f_dryrun(const struct config *c, const char *file, struct sbuf *o)
{
	char *text = slurp(file);
	int bad = strncmp(text, "bogus", 5) == 0 || strstr(text, "\nbogus");

	(void)c;
	if (bad)
		sbuf_adds(o, "% Unknown command: bogus");
	free(text);
	return bad ? -1 : 0;
}

static int f_reload(const struct config *c, const char *file, struct sbuf *o)
{
	(void)c;
	(void)o;
	free(k.running);
	k.running = slurp(file);
	return 0;
}

static int f_diff(const struct config *c, const char *file, struct sbuf *o)
{
	char *text = slurp(file);

	(void)c;
	if (strcmp(text, k.running) != 0)
		sbuf_adds(o, "Lines To Delete\n===============\nsomething\n");
	free(text);
	return 0;
}

/* Every "neighbor IFACE interface" of the running config is Established,
 * with BFD up: a push whose peers are not in its frr.conf fails to verify
 * and is rolled back. */
static void peers(int bfd, struct sbuf *o)
{
	json_t *bgp = json_object(), *up = json_array(), *out;
	const char *s = k.running;
	char ifc[64], *text;

	while ((s = strstr(s, " neighbor ")) != NULL) {
		s += strlen(" neighbor ");
		if (sscanf(s, "%63s interface", ifc) != 1 ||
		    strncmp(s + strlen(ifc), " interface", 10) != 0)
			continue;
		json_object_set_new(bgp, ifc, json_pack("{s:s}", "state",
							"Established"));
		json_array_append_new(up, json_pack("{s:s, s:s}", "interface",
						    ifc, "status", "up"));
	}
	if (bfd) {
		json_decref(bgp);
		out = up;
	} else {
		json_decref(up);
		out = json_pack("{s:{s:o}}", "ipv4Unicast", "peers", bgp);
	}
	text = json_dumps(out, 0);
	sbuf_adds(o, text ? text : "");
	free(text);
	json_decref(out);
}

static int f_show(const struct config *c, const char *cmd, struct sbuf *o)
{
	(void)c;
	if (strcmp(cmd, "show bgp summary json") == 0)
		peers(0, o);
	else if (strcmp(cmd, "show bfd peers json") == 0)
		peers(1, o);
	return 0;
}

static int f_configure(const struct config *c, const char *const *cmds,
		       struct sbuf *o)
{
	(void)c;
	(void)cmds;
	(void)o;
	return 0;
}

static const struct frr_ops fake_frr = {
	f_dryrun, f_reload, f_diff, f_show, f_configure, NULL,
};

static double f_now(void) { return k.clock; }
static double f_wall(void) { return 1.8e9 + k.clock; }
static void f_sleep(int ms) { k.clock += ms / 1000.0; }

static const struct agent_ops fake_ops = {
	&fake_net, &fake_frr, f_now, f_wall, f_sleep, NULL, NULL,
};

/* --- the agent, one per input -------------------------------------------- */

static char base[64];
static struct config cfg;

static void cleanup(void)
{
	fs_rmtree(base);
	conffile_free(&cfg);
}

/* On tmpfs when there is one: the state directory is fsynced a lot. */
static void setup(void)
{
	const char *tmp = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	struct ck_err err;
	char *conf;

	ck_log_init("fuzz_http", CK_LOG_ERR);
	snprintf(base, sizeof(base), "%s/fuzz_http.XXXXXX", tmp);
	if (mkdtemp(base) == NULL)
		abort();
	conf = xasprintf("node = " NODE "\ntls_cert = /c\ntls_key = /k\n"
			 "client_ca = /ca\nstate_dir = %s/state\nfrr_conf = "
			 "%s/frr.conf\nverify_timeout_s = 1\nhistory_size = 4\n",
			 base, base);
	if (conffile_parse(conf, "fuzz.conf", &cfg, &err) < 0) {
		fprintf(stderr, "fuzz_http: %s\n", err.msg);
		abort();
	}
	free(conf);
	atexit(cleanup);
}

static void reset(void)
{
	free(k.running);
	memset(&k, 0, sizeof(k));
	k.running = xstrdup("");
	fs_rmtree(cfg.state_dir);
	unlink(cfg.frr_conf);
}

/* --- requests ------------------------------------------------------------ */

/* Every response has a status and a body; every refusal is {"error":
 * CODE, "message": TEXT}. */
static void check(const struct api_response *r)
{
	json_t *j;

	if (r->http < 200 || r->http > 599 || r->body == NULL ||
	    r->content_type == NULL)
		abort();
	if (strcmp(r->content_type, "application/json") != 0)
		return;
	j = json_loads(r->body, 0, NULL);
	if (j == NULL || (json_object_get(j, "error") &&
			  !json_is_string(json_object_get(j, "message"))))
		abort();
	json_decref(j);
}

/* One request: "METHOD PATH[?dryRun=V]\nBODY" in s (len bytes, NUL after). */
static void request(struct agent *a, char *s, size_t len)
{
	char *nl = memchr(s, '\n', len), *body = nl ? nl + 1 : s + len;
	char *path, *query, *dry = NULL;
	struct api_response resp;

	if (nl)
		*nl = '\0';
	path = strchr(s, ' ');
	if (path)
		*path++ = '\0';
	else
		path = s + strlen(s);
	query = strchr(path, '?');
	if (query) {
		*query++ = '\0';
		if (strncmp(query, "dryRun=", 7) == 0)
			dry = query + 7;
	}
	api_handle(a, s, path, dry, body, len - (size_t)(body - s), &resp);
	check(&resp);
	api_response_free(&resp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = xmalloc(size + 1), *s = buf, *end = buf + size;
	struct ck_err err;
	struct agent a;
	int n;

	if (base[0] == '\0')
		setup();
	reset();
	memcpy(buf, data, size);
	buf[size] = '\0';
	if (agent_init(&a, &cfg, &fake_ops, NULL, NULL, &err) < 0) {
		fprintf(stderr, "fuzz_http: %s\n", err.msg);
		abort();
	}
	for (n = 0; n < MAX_REQUESTS && s <= end; n++) {
		size_t len = strlen(s);

		request(&a, s, len);
		s += len + 1;
	}
	agent_fini(&a);
	free(buf);
	return 0;
}
