/* Pure helpers on FRR configuration text. */
#ifndef FD_FRRTEXT_H
#define FD_FRRTEXT_H

#include "sbuf.h"

/* The BGP ASN of "router bgp N" in text, or 0 when there is none. */
long long frrtext_bgp_asn(const char *text);
/* The name of the config's "hostname NAME" line (column 0), or NULL;
 * caller frees. */
char *frrtext_hostname(const char *text);
/* text with " bgp graceful-shutdown" right after "router bgp N" when
 * drained, or an unchanged copy (drain must survive pushes and restarts, so
 * it is part of every config the agent loads or saves). Caller frees. */
char *frrtext_effective(const char *text, int drained);

#endif

/* From the output of `frr-reload.py --test`, keep the changes that matter:
 * items that only differ by what `show running-config` never displays
 * (version, hostname, vty lines, values equal to FRR's defaults) are
 * dropped. Returns the number of items kept; they go to residual. */
int frrtext_residual(const char *diff, struct sbuf *residual);
