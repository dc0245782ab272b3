#include "addr.h"

#include "addr6.h"

#include <stdio.h>

static uint64_t pool_size(const struct topo_prefix *p)
{
	return (uint64_t)1 << (32 - p->len);
}

uint32_t addr_rack_base(const struct topo *t, uint32_t rack)
{
	return t->pool_servers.addr + rack * t->rack_block;
}

static int plan_loopbacks(struct topo *t, struct ck_err *err)
{
	uint64_t next = 1, need = t->nnodes - t->count_by_role[ROLE_SERVER];
	uint32_t i;

	if (need + 1 > pool_size(&t->pool_loopbacks)) {
		char a[16];

		ck_err_set(err, t->file, t->pool_loopbacks.loc.line,
			   t->pool_loopbacks.loc.col, "pools.loopbacks: %s/%u holds "
			   "%llu addresses but the fabric has %llu switches; "
			   "use a shorter prefix",
			   topo_ip4(t->pool_loopbacks.addr, a),
			   t->pool_loopbacks.len,
			   (unsigned long long)pool_size(&t->pool_loopbacks) - 1,
			   (unsigned long long)need);
		return -1;
	}
	for (i = 0; i < t->nnodes; i++)
		if (t->nodes[i].role != ROLE_SERVER)
			t->nodes[i].addr = t->pool_loopbacks.addr +
					   (uint32_t)next++;
	return 0;
}

/* Each rack gets an aligned power-of-two block; servers take .1 upward so
 * that no server holds the block's first address. */
static int plan_servers(struct topo *t, struct ck_err *err)
{
	uint32_t i, spr = 0;
	uint64_t need;

	for (i = 0; i < t->npods; i++)
		if (t->pods[i].servers_per_rack > spr)
			spr = t->pods[i].servers_per_rack;
	t->rack_block = 1;
	while (t->rack_block < spr + 1)
		t->rack_block <<= 1;
	need = (uint64_t)t->nracks * t->rack_block;
	if (need > pool_size(&t->pool_servers)) {
		char a[16];

		ck_err_set(err, t->file, t->pool_servers.loc.line,
			   t->pool_servers.loc.col, "pools.servers: %s/%u holds "
			   "%llu addresses but %u racks need blocks of %u "
			   "(%llu in all); use a shorter prefix",
			   topo_ip4(t->pool_servers.addr, a),
			   t->pool_servers.len,
			   (unsigned long long)pool_size(&t->pool_servers),
			   t->nracks, t->rack_block, (unsigned long long)need);
		return -1;
	}
	for (i = 0; i < t->nnodes; i++) {
		struct topo_node *n = &t->nodes[i];

		if (n->role == ROLE_SERVER)
			n->addr = addr_rack_base(t, n->rack) + 1 + n->index;
	}
	return 0;
}

int addr_plan(struct topo *t, struct ck_err *err)
{
	return plan_loopbacks(t, err) < 0 || plan_servers(t, err) < 0 ||
	       addr6_plan(t, err) < 0 ? -1 : 0;
}

size_t addr_cover(uint32_t lo, uint32_t hi, struct topo_prefix *out,
		  size_t max)
{
	uint64_t cur = lo, end = (uint64_t)hi + 1;
	size_t n = 0;

	while (cur < end && n < max) {
		uint8_t len = 32;

		/* grow the block while aligned and inside the range */
		while (len > 0) {
			uint64_t size = (uint64_t)1 << (33 - len);

			if (cur % size != 0 || cur + size > end)
				break;
			len--;
		}
		out[n].addr = (uint32_t)cur;
		out[n].len = len;
		n++;
		cur += (uint64_t)1 << (32 - len);
	}
	return n;
}
