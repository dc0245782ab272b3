/* libFuzzer target: the capacity simulator's file readers, the traffic
 * matrix (-t file:PATH, "src,dst[,flows]" lines) and the flow size CDF
 * (--sizes PATH, "SIZE_BYTES PROBABILITY" lines). The input is read as
 * both, from a memory file, against a small built-in fabric; its first
 * line is also tried as a pattern spec. Errors are values; a CDF that is
 * accepted must sample to finite sizes within its range and have a
 * positive mean (the dynamic simulation divides by it). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cdf.h"
#include "net.h"
#include "traffic.h"
#include "xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* examples/lab-small.yaml with 3 servers per rack: pod1-r00[12]-s0[123] */
static const char fabric[] =
	"fabric: fuzz\nmtu: 9000\n"
	"pools:\n  loopbacks: 10.255.0.0/24\n  servers: 10.1.0.0/24\n"
	"asn:\n  server: 4200000001-4200000999\n"
	"  tor: 4201000001-4201000099\n  spine: 4202000001-4202000009\n"
	"models:\n  lab-tor:\n    ports:\n"
	"      - {count: 6, speed: 10G, use: down}\n"
	"      - {count: 6, speed: 10G, use: up}\n"
	"  lab-spine:\n    ports:\n      - {count: 8, speed: 10G}\n"
	"servers:\n  routing: bgp\n  uplinks: [eth0, eth1]\n  speed: 10G\n"
	"pods:\n  - name: pod1\n    racks: 2\n    servers-per-rack: 3\n"
	"tiers:\n  - name: tor\n    role: tor\n    model: lab-tor\n"
	"    count: 2\n    oversubscription: \"3:2\"\n"
	"  - name: spine\n    role: spine\n    model: lab-spine\n"
	"    scope: fabric\n    count: 2\n    wiring: mesh\n    speed: 10G\n";

static struct topo *topo;
static struct net *net;
static struct flows *flows;
static int fd = -1;
static char path[64];

static void cleanup(void)
{
	flows_free(flows);
	net_free(net);
	topo_free(topo);
	close(fd);
}

static void setup(void)
{
	struct ck_err err;

	topo = topo_load_buf("fuzz.yaml", fabric, sizeof(fabric) - 1, &err);
	if (topo == NULL) {
		fprintf(stderr, "fuzz_traffic: %s\n", err.msg);
		abort();
	}
	net = net_new(topo);
	flows = flows_new();
	fd = memfd_create("fuzz_traffic", 0);
	if (fd < 0)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	atexit(cleanup);
}

static void load(const uint8_t *data, size_t size)
{
	if (ftruncate(fd, 0) < 0 ||
	    (size && pwrite(fd, data, size, 0) != (ssize_t)size))
		abort();
}

static void traffic_file(void)
{
	char spec[80];
	struct traffic tr;
	struct ck_err err;

	snprintf(spec, sizeof(spec), "file:%s", path);
	if (traffic_parse(spec, &tr, &err) < 0)
		abort();
	traffic_gen(&tr, net, 1, 1, flows, &err);
}

/* The first line as a spec, unless it names a file (the fuzzer must not
 * read the machine's files). */
static void traffic_spec(const uint8_t *data, size_t size)
{
	const char *nl = memchr(data, '\n', size);
	size_t len = nl ? (size_t)(nl - (const char *)data) : size;
	char *spec = xmalloc(len + 1);
	struct traffic tr;
	struct ck_err err;

	memcpy(spec, data, len);
	spec[len] = '\0';
	if (traffic_parse(spec, &tr, &err) == 0 && tr.path == NULL)
		traffic_gen(&tr, net, 1, 1, flows, &err);
	free(spec);
}

static void cdf_file(void)
{
	struct ck_err err;
	struct cdf c;
	struct rng r;
	int i;

	if (cdf_load(path, &c, &err) < 0)
		return;
	if (!(cdf_mean(&c) > 0) || !isfinite(cdf_mean(&c)))
		abort();
	rng_seed(&r, 1);
	for (i = 0; i < 64; i++) {
		double s = cdf_sample(&c, &r);

		if (!isfinite(s) || s < c.size[0] || s > c.size[c.n - 1])
			abort();
	}
	cdf_free(&c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (fd < 0)
		setup();
	load(data, size);
	traffic_file();
	cdf_file();
	traffic_spec(data, size);
	return 0;
}
