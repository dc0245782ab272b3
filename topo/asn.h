/* ASN plan (RFC 7938): one private ASN per server and per ToR/leaf/border,
 * spines (and superspines) share one ASN per scope instance (plane, pod). */
#ifndef CK_ASN_H
#define CK_ASN_H

#include "topo.h"

int asn_plan(struct topo *t, struct ck_err *err);
/* After overrides: no two nodes share an ASN unless the plan shares it. */
int asn_check(struct topo *t, struct ck_err *err);

#endif
