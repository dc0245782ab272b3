/* A node's kernel FIB (ip -j route), for following real forwarding: the
 * valley-free walk and the convergence test read the same tables. */
#ifndef CK_FIB_H
#define CK_FIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct lab;

struct route {
	uint32_t dst;
	int len;
	char devs[8][16];	/* every ECMP next hop's interface */
	int ndev;
};

struct fib {
	struct route *r;
	size_t n;
};

void fib_load(const char *ns, struct fib *f);
/* Longest-prefix match, NULL if none. */
const struct route *fib_lookup(const struct fib *f, uint32_t dst);
struct fib *fib_load_all(struct lab *l);
void fib_free_all(struct lab *l, struct fib *fibs);
/* Every bgp server routes to every other server over all its uplinks. */
bool fib_servers_complete(struct lab *l, const struct fib *fibs);

#endif
