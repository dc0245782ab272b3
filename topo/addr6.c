#include "addr6.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Prefixes no pool may touch: they are never routed. */
static const struct {
	const char *prefix, *what;
} reserved6[] = {
	{ "fe80::/10", "link-local (fe80::/10), which is never routed" },
	{ "ff00::/8", "multicast (ff00::/8), not a unicast address" },
};

static bool overlap6(const struct topo_prefix6 *a, const struct topo_prefix6 *b)
{
	uint8_t len = a->len < b->len ? a->len : b->len;
	uint8_t i, mask;

	for (i = 0; i < len / 8; i++)
		if (a->addr[i] != b->addr[i])
			return false;
	if (len % 8 == 0)
		return true;
	mask = (uint8_t)(0xff << (8 - len % 8));
	return (a->addr[i] & mask) == (b->addr[i] & mask);
}

/* "fd00::/64" -> p; -1 when not an IPv6 prefix. Host bits are left to the
 * caller, which has the node to blame. */
static int parse6(const char *s, struct topo_prefix6 *p)
{
	char buf[INET6_ADDRSTRLEN];
	const char *slash = strchr(s, '/');
	char *end;
	unsigned long l;

	if (slash == NULL || (size_t)(slash - s) >= sizeof(buf) ||
	    slash[1] < '0' || slash[1] > '9')
		return -1;
	memcpy(buf, s, (size_t)(slash - s));
	buf[slash - s] = '\0';
	l = strtoul(slash + 1, &end, 10);
	if (*end != '\0' || l > 128 || inet_pton(AF_INET6, buf, p->addr) != 1)
		return -1;
	p->len = (uint8_t)l;
	return 0;
}

static bool host_bits6(const struct topo_prefix6 *p)
{
	struct topo_prefix6 net = *p;
	unsigned i;

	for (i = p->len; i < 128; i++)
		net.addr[i / 8] &= (uint8_t)~(0x80 >> (i % 8));
	return memcmp(net.addr, p->addr, 16) != 0;
}

static int check_reserved(struct ydoc *d, ynode *v, const char *key,
			  const struct topo_prefix6 *p)
{
	struct topo_prefix6 r;
	char a[ADDR6_STRLEN];
	size_t i;

	for (i = 0; i < sizeof(reserved6) / sizeof(reserved6[0]); i++) {
		parse6(reserved6[i].prefix, &r);
		if (overlap6(p, &r))
			return ydoc_fail(d, v, "pools.%s: %s lies in or holds %s; "
					 "use a global or unique-local prefix "
					 "such as fd00:0:1::/64", key,
					 addr6_pool(p, a), reserved6[i].what);
	}
	return 0;
}

static int load_one(struct ydoc *d, ynode *v, const char *key,
		    struct topo_prefix6 *p)
{
	const char *s;

	if (ydoc_str(d, v, key, &s) < 0)
		return -1;
	ydoc_loc(v, &p->loc.line, &p->loc.col);
	if (parse6(s, p) < 0)
		return ydoc_fail(d, v, "pools.%s: expected an IPv6 prefix such "
				 "as fd00:0:1::/64, got '%s'", key, s);
	if (host_bits6(p))
		return ydoc_fail(d, v, "pools.%s: '%s' has host bits set; write "
				 "the network address of the prefix", key, s);
	return check_reserved(d, v, key, p);
}

int addr6_load(struct topo *t, struct ydoc *d, ynode *pools)
{
	ynode *lo = ydoc_get(d, pools, "loopbacks6");
	ynode *srv = ydoc_get(d, pools, "servers6");
	char a[ADDR6_STRLEN], b[ADDR6_STRLEN];

	if (lo == NULL && srv == NULL)
		return 0;
	if (lo == NULL || srv == NULL)
		return ydoc_fail(d, lo ? lo : srv, "pools.%s: a dual-stack "
				 "fabric needs both IPv6 pools; add pools.%s "
				 "(or remove this one for IPv4 only)",
				 lo ? "loopbacks6" : "servers6",
				 lo ? "servers6" : "loopbacks6");
	if (load_one(d, lo, "loopbacks6", &t->pool_loopbacks6) < 0 ||
	    load_one(d, srv, "servers6", &t->pool_servers6) < 0)
		return -1;
	if (overlap6(&t->pool_loopbacks6, &t->pool_servers6))
		return ydoc_fail(d, srv, "pools.servers6: %s overlaps "
				 "pools.loopbacks6 (%s); an address would "
				 "belong to two nodes, so give each pool a "
				 "prefix of its own",
				 addr6_pool(&t->pool_servers6, a),
				 addr6_pool(&t->pool_loopbacks6, b));
	t->dual_stack = true;
	return 0;
}

/* Addresses in the pool, saturated at 2^63 (more than any fabric uses). */
static uint64_t size6(const struct topo_prefix6 *p)
{
	return p->len <= 65 ? (uint64_t)1 << 63 : (uint64_t)1 << (128 - p->len);
}

static int check_size(const struct topo *t, const struct topo_prefix6 *p,
		      const char *key, uint64_t need, const char *why,
		      struct ck_err *err)
{
	char a[ADDR6_STRLEN];

	if (need <= size6(p))
		return 0;
	ck_err_set(err, t->file, p->loc.line, p->loc.col, "pools.%s: %s holds "
		   "%llu addresses but %s (%llu in all); use a shorter prefix",
		   key, addr6_pool(p, a), (unsigned long long)size6(p), why,
		   (unsigned long long)need);
	return -1;
}

/* The same room as the IPv4 plan takes: the switches from offset 1 up,
 * and every rack block. */
int addr6_plan(const struct topo *t, struct ck_err *err)
{
	uint64_t switches = t->nnodes - t->count_by_role[ROLE_SERVER];
	char why[96];

	if (!t->dual_stack)
		return 0;
	snprintf(why, sizeof(why), "the fabric's %llu switches take ::1 "
		 "upward", (unsigned long long)switches);
	if (check_size(t, &t->pool_loopbacks6, "loopbacks6", switches + 1,
		       why, err) < 0)
		return -1;
	snprintf(why, sizeof(why), "%u racks need blocks of %u", t->nracks,
		 t->rack_block);
	return check_size(t, &t->pool_servers6, "servers6",
			  (uint64_t)t->nracks * t->rack_block, why, err);
}

static char *format6(const struct topo_prefix6 *base, uint64_t off,
		     int len, char *buf)
{
	uint8_t a[16];
	unsigned carry = 0;
	int i;

	memcpy(a, base->addr, 16);
	for (i = 15; i >= 0; i--) {
		unsigned sum = a[i] + (unsigned)(off & 0xff) + carry;

		a[i] = (uint8_t)sum;
		carry = sum >> 8;
		off >>= 8;
	}
	inet_ntop(AF_INET6, a, buf, INET6_ADDRSTRLEN);
	if (len >= 0)
		snprintf(buf + strlen(buf), 5, "/%d", len);
	return buf;
}

static bool in_pool4(const struct topo_prefix *pool, uint32_t a)
{
	uint32_t mask = pool->len ? ~(uint32_t)0 << (32 - pool->len) : 0;

	return (a & mask) == pool->addr;
}

char *addr6_node(const struct topo *t, const struct topo_node *n, char *buf)
{
	const struct topo_prefix *p4 = n->role == ROLE_SERVER ?
		&t->pool_servers : &t->pool_loopbacks;
	const struct topo_prefix6 *p6 = n->role == ROLE_SERVER ?
		&t->pool_servers6 : &t->pool_loopbacks6;

	return format6(p6, n->addr - p4->addr, -1, buf);
}

char *addr6_prefix(const struct topo *t, const struct topo_prefix *p4,
		   char *buf)
{
	bool lo = in_pool4(&t->pool_loopbacks, p4->addr);
	const struct topo_prefix *pool = lo ? &t->pool_loopbacks
					    : &t->pool_servers;

	return format6(lo ? &t->pool_loopbacks6 : &t->pool_servers6,
		       p4->addr - pool->addr, p4->len + 96, buf);
}

char *addr6_pool(const struct topo_prefix6 *p, char *buf)
{
	return format6(p, 0, p->len, buf);
}
