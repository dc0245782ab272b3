/* fabricctl cabling: every asked agent's GET /v1/cabling folded into one
 * fabric-wide report (common/cabling.c): each mismatch once, as a cable,
 * with the swap to make where two miswired cables are one. */
#ifndef FD_CTLCABLING_H
#define FD_CTLCABLING_H

#include <stdio.h>

#include "client.h"
#include "out.h"

/* The agents' answers in r[0, n) (r[i].resp: {"node", "ports": [...]}).
 * Prints it in fmt (text or JSON); 0 when every port is as planned and every agent
 * answered, 1 otherwise. */
int ctlcabling_report(struct client_req *r, size_t n,
		      const struct out_ops *fmt, FILE *out);

#endif
