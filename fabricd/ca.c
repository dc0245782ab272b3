#include "ca.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>
#include <gnutls/x509.h>

#include "fsutil.h"
#include "xalloc.h"

#define DAY (24L * 3600L)
#define P256_LEN 32
#define EC_DER_LEN (2 + 0x77)

static int tls_fail(struct ck_err *err, const char *what, int rc)
{
	ck_err_set(err, "", 0, 0, "%s: %s", what, gnutls_strerror(rc));
	return -1;
}

static int write_pem(const char *path, const gnutls_datum_t *d, int mode,
		     struct ck_err *err)
{
	int rc = fs_write_atomic(path, d->data, d->size, err);

	if (rc == 0)
		chmod(path, (mode_t)mode);
	return rc;
}

/* Write what an export2 call produced (rc is its result); frees d. */
static int save(int rc, gnutls_datum_t *d, const char *path, int mode,
		struct ck_err *err)
{
	if (rc < 0)
		return tls_fail(err, path, rc);
	rc = write_pem(path, d, mode, err);
	gnutls_free(d->data);
	return rc;
}

/* An integer of GnuTLS (big-endian, maybe with a leading zero byte, maybe
 * shorter) as exactly P256_LEN bytes; -1 when it does not fit. */
static int fixed_width(const gnutls_datum_t *v, unsigned char *out)
{
	size_t skip = 0;

	while (skip < v->size && v->data[skip] == 0)
		skip++;
	if (v->size - skip > P256_LEN)
		return -1;
	memset(out, 0, P256_LEN);
	memcpy(out + P256_LEN - (v->size - skip), v->data + skip,
	       v->size - skip);
	return 0;
}

/* RFC 5915 ECPrivateKey of a P-256 key, DER: the private value is an
 * OCTET STRING of exactly 32 bytes. GnuTLS writes it as an integer (33
 * bytes with a leading zero when the top bit is set, shorter when it
 * starts with zeros), which strict readers refuse; so the layout is fixed
 * here: SEQUENCE { 1, k, [0] prime256v1, [1] BIT STRING 04 x y }. */
static int ec_der(gnutls_x509_privkey_t key, unsigned char der[EC_DER_LEN])
{
	static const unsigned char head[] = { 0x30, 0x77, 0x02, 0x01, 0x01,
					      0x04, 0x20 };
	static const unsigned char mid[] = { 0xa0, 0x0a, 0x06, 0x08, 0x2a,
		0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0xa1, 0x44, 0x03,
		0x42, 0x00, 0x04 };
	gnutls_datum_t x = { NULL, 0 }, y = { NULL, 0 }, k = { NULL, 0 };
	gnutls_ecc_curve_t curve;
	unsigned char *p = der;
	int rc = gnutls_x509_privkey_export_ecc_raw(key, &curve, &x, &y, &k);

	if (rc == 0 && curve != GNUTLS_ECC_CURVE_SECP256R1)
		rc = GNUTLS_E_ECC_UNSUPPORTED_CURVE;
	memcpy(p, head, sizeof(head));
	p += sizeof(head);
	if (rc == 0 && fixed_width(&k, p) < 0)
		rc = GNUTLS_E_INVALID_REQUEST;
	p += P256_LEN;
	memcpy(p, mid, sizeof(mid));
	p += sizeof(mid);
	if (rc == 0 && (fixed_width(&x, p) < 0 ||
			fixed_width(&y, p + P256_LEN) < 0))
		rc = GNUTLS_E_INVALID_REQUEST;
	gnutls_free(x.data);
	gnutls_free(y.data);
	gnutls_free(k.data);
	return rc;
}

int ca_save_key(gnutls_x509_privkey_t key, const char *path,
		struct ck_err *err)
{
	unsigned char der[EC_DER_LEN];
	gnutls_datum_t in = { der, sizeof(der) }, d = { NULL, 0 };
	int rc = ec_der(key, der);

	if (rc == 0)
		rc = gnutls_pem_base64_encode2("EC PRIVATE KEY", &in, &d);
	memset(der, 0, sizeof(der));
	return save(rc, &d, path, 0600, err);
}

static int save_crt(gnutls_x509_crt_t crt, const char *path,
		    struct ck_err *err)
{
	gnutls_datum_t d = { NULL, 0 };

	return save(gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_PEM, &d), &d,
		    path, 0644, err);
}

static int new_key(gnutls_x509_privkey_t *key, struct ck_err *err)
{
	int rc = gnutls_x509_privkey_init(key);

	if (rc == 0)
		rc = gnutls_x509_privkey_generate(
			*key, GNUTLS_PK_ECDSA,
			GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0);
	return rc < 0 ? tls_fail(err, "generate key", rc) : 0;
}

/* Common fields: subject CN, serial, validity, public key. */
static int crt_base(gnutls_x509_crt_t crt, gnutls_x509_privkey_t key,
		    const char *cn, long days)
{
	unsigned char serial[16];
	time_t now = time(NULL);
	int rc;

	gnutls_rnd(GNUTLS_RND_NONCE, serial, sizeof(serial));
	serial[0] &= 0x7f;
	rc = gnutls_x509_crt_set_version(crt, 3);
	if (rc == 0)
		rc = gnutls_x509_crt_set_serial(crt, serial, sizeof(serial));
	if (rc == 0)
		rc = gnutls_x509_crt_set_dn_by_oid(crt,
			GNUTLS_OID_X520_COMMON_NAME, 0, cn, (unsigned)strlen(cn));
	if (rc == 0)
		rc = gnutls_x509_crt_set_activation_time(
			crt, days < 0 ? now + (days - 1) * DAY : now - 3600);
	if (rc == 0)
		rc = gnutls_x509_crt_set_expiration_time(crt, now + days * DAY);
	if (rc == 0)
		rc = gnutls_x509_crt_set_key(crt, key);
	return rc;
}

int ca_init(const char *dir, struct ck_err *err)
{
	char *kp = xasprintf("%s/ca.key", dir), *cp = xasprintf("%s/ca.crt", dir);
	gnutls_x509_privkey_t key = NULL;
	gnutls_x509_crt_t crt = NULL;
	int rc = -1, t;

	if (access(kp, F_OK) == 0) {
		ck_err_set(err, kp, 0, 0, "a CA already exists here; remove it "
			   "first if you really want a new one");
		goto out;
	}
	if (fs_mkdirs(dir, 0700, err) < 0 || new_key(&key, err) < 0)
		goto out;
	gnutls_x509_crt_init(&crt);
	t = crt_base(crt, key, "closkit fabric CA", 3650);
	if (t == 0)
		t = gnutls_x509_crt_set_basic_constraints(crt, 1, -1);
	if (t == 0)
		t = gnutls_x509_crt_set_key_usage(crt, GNUTLS_KEY_KEY_CERT_SIGN |
						  GNUTLS_KEY_CRL_SIGN);
	if (t == 0)
		t = gnutls_x509_crt_sign2(crt, crt, key, GNUTLS_DIG_SHA256, 0);
	if (t < 0)
		tls_fail(err, "create CA certificate", t);
	else if (ca_save_key(key, kp, err) == 0 && save_crt(crt, cp, err) == 0)
		rc = 0;
out:
	if (crt)
		gnutls_x509_crt_deinit(crt);
	if (key)
		gnutls_x509_privkey_deinit(key);
	free(kp);
	free(cp);
	return rc;
}

static int load_ca(const char *dir, gnutls_x509_crt_t *crt,
		   gnutls_x509_privkey_t *key, struct ck_err *err)
{
	char *kp = xasprintf("%s/ca.key", dir), *cp = xasprintf("%s/ca.crt", dir);
	char *ks = NULL, *cs = NULL;
	gnutls_datum_t kd, cd;
	int rc = -1, t;

	if (fs_read_file(kp, &ks, NULL, err) < 0 ||
	    fs_read_file(cp, &cs, NULL, err) < 0)
		goto out;
	kd.data = (unsigned char *)ks;
	kd.size = (unsigned)strlen(ks);
	cd.data = (unsigned char *)cs;
	cd.size = (unsigned)strlen(cs);
	gnutls_x509_crt_init(crt);
	gnutls_x509_privkey_init(key);
	t = gnutls_x509_crt_import(*crt, &cd, GNUTLS_X509_FMT_PEM);
	if (t == 0)
		t = gnutls_x509_privkey_import(*key, &kd, GNUTLS_X509_FMT_PEM);
	rc = t < 0 ? tls_fail(err, "load the CA (run 'fabricctl ca init')",
			      t) : 0;
out:
	free(ks);
	free(cs);
	free(kp);
	free(cp);
	return rc;
}

static int add_sans(gnutls_x509_crt_t crt, const struct ca_issue_opts *o)
{
	unsigned char ip[16];
	int rc = gnutls_x509_crt_set_subject_alt_name(
		crt, GNUTLS_SAN_DNSNAME, o->name, (unsigned)strlen(o->name),
		GNUTLS_FSAN_APPEND);
	size_t i;

	for (i = 0; rc == 0 && o->ips && o->ips[i]; i++) {
		int v6 = strchr(o->ips[i], ':') != NULL;

		if (inet_pton(v6 ? AF_INET6 : AF_INET, o->ips[i], ip) != 1)
			return GNUTLS_E_INVALID_REQUEST;
		rc = gnutls_x509_crt_set_subject_alt_name(
			crt, GNUTLS_SAN_IPADDRESS, ip, v6 ? 16 : 4,
			GNUTLS_FSAN_APPEND);
	}
	return rc;
}

/* One purpose each: a node's certificate serves TLS (serverAuth) and is
 * never accepted as a client; an operator's is a client (clientAuth) and
 * carries the marker agents admit by default (OU, see ca.h). */
static int set_role(gnutls_x509_crt_t crt, const struct ca_issue_opts *o)
{
	int rc = gnutls_x509_crt_set_key_purpose_oid(crt, o->operator_ ?
		GNUTLS_KP_TLS_WWW_CLIENT : GNUTLS_KP_TLS_WWW_SERVER, 0);

	if (rc == 0 && o->operator_)
		rc = gnutls_x509_crt_set_dn_by_oid(crt,
			GNUTLS_OID_X520_ORGANIZATIONAL_UNIT_NAME, 0,
			CA_OPERATOR_OU, (unsigned)strlen(CA_OPERATOR_OU));
	if (rc == 0 && !o->operator_)
		rc = add_sans(crt, o);
	return rc;
}

static int sign_leaf(gnutls_x509_crt_t crt, gnutls_x509_privkey_t key,
		     gnutls_x509_crt_t ca, gnutls_x509_privkey_t ca_key,
		     const struct ca_issue_opts *o)
{
	int rc = crt_base(crt, key, o->name, o->days);

	if (rc == 0)
		rc = gnutls_x509_crt_set_basic_constraints(crt, 0, -1);
	if (rc == 0)
		rc = gnutls_x509_crt_set_key_usage(crt,
						   GNUTLS_KEY_DIGITAL_SIGNATURE);
	if (rc == 0)
		rc = set_role(crt, o);
	if (rc == 0)
		rc = gnutls_x509_crt_sign2(crt, ca, ca_key, GNUTLS_DIG_SHA256, 0);
	return rc;
}

int ca_issue(const struct ca_issue_opts *o, struct ck_err *err)
{
	const char *out = o->out_dir ? o->out_dir : o->ca_dir;
	char *kp = xasprintf("%s/%s.key", out, o->name);
	char *cp = xasprintf("%s/%s.crt", out, o->name);
	gnutls_x509_crt_t ca = NULL, crt = NULL;
	gnutls_x509_privkey_t ca_key = NULL, key = NULL;
	int rc = -1, t;

	if (strchr(o->name, '/') || o->name[0] == '\0' || o->name[0] == '.') {
		ck_err_set(err, "", 0, 0, "'%s' is not a usable name", o->name);
		goto out;
	}
	if (o->operator_ && o->ips && o->ips[0]) {
		ck_err_set(err, "", 0, 0, "--ip is for node certificates; an "
			   "operator certificate (--operator) names no address");
		goto out;
	}
	if (load_ca(o->ca_dir, &ca, &ca_key, err) < 0 ||
	    fs_mkdirs(out, 0700, err) < 0 || new_key(&key, err) < 0)
		goto out;
	gnutls_x509_crt_init(&crt);
	t = sign_leaf(crt, key, ca, ca_key, o);
	if (t < 0)
		tls_fail(err, "sign certificate", t);
	else if (ca_save_key(key, kp, err) == 0 && save_crt(crt, cp, err) == 0)
		rc = 0;
out:
	if (crt)
		gnutls_x509_crt_deinit(crt);
	if (key)
		gnutls_x509_privkey_deinit(key);
	if (ca)
		gnutls_x509_crt_deinit(ca);
	if (ca_key)
		gnutls_x509_privkey_deinit(ca_key);
	free(kp);
	free(cp);
	return rc;
}
