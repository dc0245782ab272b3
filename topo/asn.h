/* ASN plan (RFC 7938): one private ASN per server and per ToR/leaf/border,
 * spines (and superspines) share one ASN per scope instance (plane, pod). */
#ifndef CK_ASN_H
#define CK_ASN_H

#include "model.h"

/* ASNs no BGP speaker may use: 0, AS_TRANS, 65535, 4294967295 and the
 * documentation ranges. 1 when [lo, hi] holds one: *asn is the first of
 * them, *what says what it is reserved for (a static phrase); else 0. */
#define ASN_PRIVATE_HINT "private 4-byte ASNs are 4200000000-4294967294"

int asn_reserved(uint32_t lo, uint32_t hi, uint32_t *asn, const char **what);

int asn_plan(struct topo *t, struct ck_err *err);
/* After overrides: no two nodes share an ASN unless the plan shares it. */
int asn_check(struct topo *t, struct ck_err *err);

#endif
