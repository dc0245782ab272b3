/* The bundle: every node's frr.conf and node.json, plus manifest.json,
 * topology.json, cabling.csv and topology.dot, written into a staging
 * directory beside the output and put in place atomically. The output is
 * checked first (see outdir.h): an existing directory is replaced only
 * when it is empty or a bundle, or with force; never when it holds an
 * input. Missing parents are created. */
#ifndef CK_BUNDLE_H
#define CK_BUNDLE_H

#include <stdbool.h>
#include <stdint.h>

#include "bundlefmt.h"
#include "mustache.h"
#include "topo.h"

struct bundle_opts {
	const struct mustache_set *templates;
	const char *only;	/* fnmatch glob on node names, or NULL */
	bool dry_run;		/* render and checksum everything, write nothing */
	bool force;		/* replace an output dir that is not a bundle */
	const char *const *protect;	/* inputs never inside the output
					 * (NULL-terminated), or NULL */
};

struct bundle_stats {
	uint32_t nodes;
	uint32_t files;
	uint64_t bytes;
};

int bundle_build(const struct topo *t, const struct bundle_opts *o,
		 const char *outdir, struct bundle_stats *st,
		 struct ck_err *err);

/* Render one node's frr.conf into out (appended). */
int bundle_render_frr(const struct topo *t, const struct mustache_set *set,
		      uint32_t node, struct sbuf *out, struct ck_err *err);
/* node.json of one node as the model says it, given the sha256 (hex) of
 * its frr.conf (borrowed, may be ""). Strings point into t or into
 * out's own arena; free with bundlefmt_node_free() before t goes. */
void bundle_node(const struct topo *t, uint32_t node, const char *frr_sha256,
		 struct bundlefmt_node *out);

#endif
