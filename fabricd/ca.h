/* A fabric CA with GnuTLS, so nobody needs openssl recipes:
 *   ca_init(DIR)            DIR/ca.key, DIR/ca.crt (ECDSA P-256, 10 years)
 *   ca_issue(DIR, NAME...)  OUT/NAME.key, OUT/NAME.crt signed by the CA,
 *                           CN = NAME. A node certificate: extended key
 *                           usage serverAuth only, DNS SAN = NAME plus IP
 *                           SANs. An operator certificate (operator_ set):
 *                           clientAuth only and OU = CA_OPERATOR_OU, the
 *                           marker fabricd admits by default; node
 *                           certificates never carry it.
 * Keys are written 0600. Never overwrites an existing CA. */
#ifndef FD_CA_H
#define FD_CA_H

#include <gnutls/x509.h>

#include "err.h"

struct ca_issue_opts {
	const char *ca_dir;
	const char *name;
	const char *out_dir;	/* default ca_dir */
	int days;		/* validity; negative: already expired */
	const char *const *ips;	/* NULL-terminated IP SANs, may be NULL */
	int operator_;		/* a client certificate for an operator */
};

/* The subject OU of operator certificates. An OU rather than a private
 * EKU or policy OID (closkit owns no OID arc) or a name prefix (any node
 * could be called "operator"): any CA can set it, openssl and certtool
 * show it, and only a holder of the CA key can add it. */
#define CA_OPERATOR_OU "closkit-operator"

int ca_init(const char *dir, struct ck_err *err);
int ca_issue(const struct ca_issue_opts *o, struct ck_err *err);
/* Write a P-256 key to path (0600) as PEM "EC PRIVATE KEY", RFC 5915 with
 * the private value as exactly 32 bytes, whatever its leading bits. */
int ca_save_key(gnutls_x509_privkey_t key, const char *path,
		struct ck_err *err);

#endif
