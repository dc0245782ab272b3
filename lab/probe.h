/* A probe stream: UDP from one server to another (each in its own
 * namespace, from its own address), bounded in packets and time. The
 * receiver counts what arrived and measures the longest silence: the
 * outage a change caused. */
#ifndef CK_PROBE_H
#define CK_PROBE_H

#include <stdint.h>

#include "err.h"

struct probe_opts {
	const char *src_ns, *dst_ns;
	uint32_t src_addr, dst_addr;
	uint32_t rate;		/* packets per second */
	uint32_t count;
	uint16_t port;
	const char *ready_file;	/* touched once the stream is flowing */
};

struct probe_result {
	uint32_t sent, received, lost, duplicates;
	double max_gap_ms;	/* longest interval between two arrivals */
	double seconds;
};

#define PROBE_MAX_COUNT 1000000u
#define PROBE_MAX_RATE 100000u

int probe_run(const struct probe_opts *o, struct probe_result *r,
	      struct ck_err *err);

#endif
