/* net_ops over libnl-3 (links, addresses) and /proc/sys/net (sysctls).
 * Only what a plan names is touched: never an interface or address the
 * agent does not own. Adding a present address or deleting an absent one
 * succeeds, so that undo and recovery can repeat steps. */
#include "apply.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>

#include "xalloc.h"

void *apply_netlink_open(struct ck_err *err)
{
	struct nl_sock *sk = nl_socket_alloc();
	int rc;

	if (sk == NULL) {
		ck_err_set(err, "", 0, 0, "netlink: cannot allocate a socket");
		return NULL;
	}
	rc = nl_connect(sk, NETLINK_ROUTE);
	if (rc < 0) {
		ck_err_set(err, "", 0, 0, "netlink: %s", nl_geterror(rc));
		nl_socket_free(sk);
		return NULL;
	}
	return sk;
}

void apply_netlink_close(void *ctx)
{
	if (ctx)
		nl_socket_free(ctx);
}

static int nl_fail(struct ck_err *err, const char *what, const char *name,
		   int rc)
{
	ck_err_set(err, "", 0, 0, "netlink: %s %s: %s", what, name,
		   nl_geterror(rc));
	return -1;
}

static int nl_link_get(void *ctx, const char *ifname, struct link_info *li,
		       struct ck_err *err)
{
	struct rtnl_link *l = NULL;
	int rc = rtnl_link_get_kernel(ctx, 0, ifname, &l);

	memset(li, 0, sizeof(*li));
	if (rc == -NLE_NODEV || rc == -NLE_OBJ_NOTFOUND)
		return 0;
	if (rc < 0)
		return nl_fail(err, "get link", ifname, rc);
	li->exists = 1;
	li->mtu = (int)rtnl_link_get_mtu(l);
	li->up = (rtnl_link_get_flags(l) & IFF_UP) != 0;
	li->rx_packets = rtnl_link_get_stat(l, RTNL_LINK_RX_PACKETS);
	li->tx_packets = rtnl_link_get_stat(l, RTNL_LINK_TX_PACKETS);
	rtnl_link_put(l);
	return 0;
}

static int nl_link_set(void *ctx, const char *ifname, int mtu, int up,
		       struct ck_err *err)
{
	struct rtnl_link *l = NULL, *chg;
	int rc = rtnl_link_get_kernel(ctx, 0, ifname, &l);

	if (rc < 0)
		return nl_fail(err, "get link", ifname, rc);
	chg = rtnl_link_alloc();
	if (mtu > 0 && (int)rtnl_link_get_mtu(l) != mtu)
		rtnl_link_set_mtu(chg, (unsigned)mtu);
	if (up)
		rtnl_link_set_flags(chg, IFF_UP);
	else
		rtnl_link_unset_flags(chg, IFF_UP);
	rc = rtnl_link_change(ctx, l, chg, 0);
	rtnl_link_put(chg);
	rtnl_link_put(l);
	return rc < 0 ? nl_fail(err, "set link", ifname, rc) : 0;
}

static struct rtnl_addr *addr_new(void *ctx, const char *ifname,
				  const char *prefix, struct ck_err *err)
{
	struct nl_addr *local = NULL;
	struct rtnl_addr *a;
	int idx = (int)if_nametoindex(ifname), rc;

	(void)ctx;
	rc = nl_addr_parse(prefix, AF_UNSPEC, &local);
	if (idx == 0 || rc < 0) {
		nl_fail(err, "address", prefix, idx == 0 ? -NLE_NODEV : rc);
		return NULL;
	}
	a = rtnl_addr_alloc();
	rtnl_addr_set_ifindex(a, idx);
	rtnl_addr_set_local(a, local);
	rtnl_addr_set_prefixlen(a, nl_addr_get_prefixlen(local));
	nl_addr_put(local);
	return a;
}

struct find_ctx {
	int ifindex;
	struct nl_addr *want;
	int found;
};

static void find_cb(struct nl_object *o, void *arg)
{
	struct find_ctx *f = arg;
	struct rtnl_addr *a = (struct rtnl_addr *)o;

	if (rtnl_addr_get_ifindex(a) == f->ifindex &&
	    rtnl_addr_get_prefixlen(a) == (int)nl_addr_get_prefixlen(f->want) &&
	    nl_addr_cmp_prefix(rtnl_addr_get_local(a), f->want) == 0)
		f->found = 1;
}

static int nl_addr_has(void *ctx, const char *ifname, const char *prefix,
		       int *has, struct ck_err *err)
{
	struct nl_cache *cache = NULL;
	struct find_ctx f = { (int)if_nametoindex(ifname), NULL, 0 };
	int rc;

	*has = 0;
	if (f.ifindex == 0)
		return 0;
	rc = nl_addr_parse(prefix, AF_UNSPEC, &f.want);
	if (rc < 0)
		return nl_fail(err, "address", prefix, rc);
	rc = rtnl_addr_alloc_cache(ctx, &cache);
	if (rc < 0) {
		nl_addr_put(f.want);
		return nl_fail(err, "list addresses on", ifname, rc);
	}
	nl_cache_foreach(cache, find_cb, &f);
	nl_cache_free(cache);
	nl_addr_put(f.want);
	*has = f.found;
	return 0;
}

static int nl_addr_add(void *ctx, const char *ifname, const char *prefix,
		       struct ck_err *err)
{
	struct rtnl_addr *a = addr_new(ctx, ifname, prefix, err);
	int rc;

	if (a == NULL)
		return -1;
	rc = rtnl_addr_add(ctx, a, 0);
	rtnl_addr_put(a);
	return rc < 0 && rc != -NLE_EXIST ?
		nl_fail(err, "add address", prefix, rc) : 0;
}

static int nl_addr_del(void *ctx, const char *ifname, const char *prefix,
		       struct ck_err *err)
{
	struct rtnl_addr *a = addr_new(ctx, ifname, prefix, err);
	int rc;

	if (a == NULL)
		return -1;
	rc = rtnl_addr_delete(ctx, a, 0);
	rtnl_addr_put(a);
	return rc < 0 && rc != -NLE_NOADDR && rc != -NLE_OBJ_NOTFOUND ?
		nl_fail(err, "delete address", prefix, rc) : 0;
}

static char *sysctl_path(const char *key)
{
	return xasprintf("/proc/sys/net/%s", key);
}

static int sc_get(void *ctx, const char *key, char *buf, size_t len,
		  struct ck_err *err)
{
	char *path = sysctl_path(key);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, len - 1);

	(void)ctx;
	if (fd >= 0)
		close(fd);
	if (n < 0) {
		ck_err_set(err, path, 0, 0, "cannot read: %s", strerror(errno));
		free(path);
		return -1;
	}
	free(path);
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static int sc_set(void *ctx, const char *key, const char *val,
		  struct ck_err *err)
{
	char *path = sysctl_path(key);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : write(fd, val, strlen(val));

	(void)ctx;
	if (fd >= 0 && close(fd) < 0)
		n = -1;
	if (n < 0) {
		ck_err_set(err, path, 0, 0, "cannot write: %s", strerror(errno));
		free(path);
		return -1;
	}
	free(path);
	return 0;
}

const struct net_ops apply_netlink_ops = {
	.link_get = nl_link_get,
	.link_set = nl_link_set,
	.addr_has = nl_addr_has,
	.addr_add = nl_addr_add,
	.addr_del = nl_addr_del,
	.sysctl_get = sc_get,
	.sysctl_set = sc_set,
};
