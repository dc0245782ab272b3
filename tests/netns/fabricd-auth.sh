#!/bin/sh
# Who may talk to fabricd: only client certificates (extended key usage
# clientAuth) and, by default, only operator certificates (OU
# closkit-operator); never a node's own certificate, which a compromised
# server holds. Admitting every certificate of the CA must be spelled out.
# Certificates are made with certtool as well as fabricctl, so that what is
# checked is the certificate, not fabricctl's way of making one.
. "$(dirname "$0")/lib-fabricd.sh"
command -v certtool >/dev/null || { echo "missing certtool: run tools/bootstrap" >&2; exit 1; }

fd_conf </dev/null
sed -i '/^allowed_clients/d' "$TMP/fabricd.conf"	# the default
fd_setup_dut

# mkcert NAME TEMPLATE-LINE...: a key and certificate signed by the CA
mkcert() {
	_n=$1
	shift
	printf '%s\n' "cn = $_n" "expiration_days = 30" "signing_key" "$@" >"$TMP/$_n.tmpl"
	certtool --generate-privkey --key-type ecdsa --outfile "$TMP/pki/$_n.key" 2>/dev/null &&
	certtool --generate-certificate --load-privkey "$TMP/pki/$_n.key" \
		--load-ca-certificate "$TMP/pki/ca.crt" --load-ca-privkey "$TMP/pki/ca.key" \
		--template "$TMP/$_n.tmpl" --outfile "$TMP/pki/$_n.crt" 2>/dev/null
}
mkcert server-only "unit = closkit-operator" tls_www_server || exit 1
mkcert no-eku "unit = closkit-operator" || exit 1
mkcert both-no-ou tls_www_server tls_www_client || exit 1
mkcert client-no-ou tls_www_client || exit 1
mkcert certtool-operator "unit = closkit-operator" tls_www_client || exit 1
# an operator whose CA also writes a long unit name before the marker
mkcert long-ou "unit = $(printf 'u%.0s' $(seq 1 200))" "unit = closkit-operator" tls_www_client || exit 1
"$FABRICCTL" ca issue --ca-dir "$TMP/pki" spine01 --ip 127.0.0.1 >/dev/null

# --- what fabricctl ca issues -----------------------------------------------
check "an operator certificate carries OU=closkit-operator" sh -c "certtool -i --infile '$TMP/pki/operator.crt' | grep -q 'Subject:.*OU=closkit-operator'"
check "... and is for TLS clients only" sh -c "certtool -i --infile '$TMP/pki/operator.crt' | grep -q 'TLS WWW Client' && ! certtool -i --infile '$TMP/pki/operator.crt' | grep -q 'TLS WWW Server'"
check "a node certificate is for TLS servers only" sh -c "certtool -i --infile '$TMP/pki/$DUT.crt' | grep -q 'TLS WWW Server' && ! certtool -i --infile '$TMP/pki/$DUT.crt' | grep -q 'TLS WWW Client'"
check "... and never carries the operator marker" sh -c "! certtool -i --infile '$TMP/pki/$DUT.crt' | grep -q closkit-operator"
"$FABRICCTL" ca issue --ca-dir "$TMP/pki" --operator --ip 192.0.2.1 bad >/dev/null 2>&1
check "--operator with --ip is refused" [ $? -eq 1 ]

# --- the default: operator certificates only -----------------------------------
check "fabricd -n accepts the default allowed_clients" "$FABRICD" -n -c "$TMP/fabricd.conf" >/dev/null
fd_start || exit 1
answers() { # WHO HTTP CODE
	_h=$(fd_curl "$1" "https://$DUT:8443/v1/status")
	[ "$_h" = "$2" ] && [ "$(jq -r .error "$TMP/curl.out")" = "$3" ] ||
		{ echo "$1: HTTP $_h $(cat "$TMP/curl.out")" >&2; return 1; }
}
check "fabricctl's operator certificate is admitted" answers operator 200 null
check "certtool's operator certificate is admitted" answers certtool-operator 200 null
check "... also behind a 200-character unit name" answers long-ou 200 null
check "serverAuth only: 403 client-cert-purpose" answers server-only 403 client-cert-purpose
check "no extended key usage: 403 client-cert-purpose" answers no-eku 403 client-cert-purpose
check "the agent's own node certificate as a client: 403" answers $DUT 403 client-cert-purpose
check "another node's certificate as a client: 403" answers spine01 403 client-cert-purpose
check "clientAuth without the operator OU: 403 client-not-operator" answers client-no-ou 403 client-not-operator
check "a server+client certificate without the OU (as fabricctl made them): 403" answers both-no-ou 403 client-not-operator
check "the message says what to do" grep -q 'fabricctl ca issue --operator' "$TMP/curl.out"
body='{"node": {}, "files": {}, "generation": 99}'
h=$(fd_curl spine01 -X PUT --data-binary "$body" "https://$DUT:8443/v1/bundle")
check "a node certificate cannot push (HTTP $h)" [ "$h" = 403 ]
check "fabricd stops cleanly" fd_stop

# --- admitting any certificate must be spelled out ---------------------------------
echo 'allowed_clients = *' >>"$TMP/fabricd.conf"
out=$("$FABRICD" -n -c "$TMP/fabricd.conf" 2>&1)
check "allowed_clients = * alone: fabricd -n exits 1" [ $? -eq 1 ]
check "... and names allow_any_client" expr "$out" : '.*allow_any_client = yes' >/dev/null
timeout 10 "$FABRICD" -f -c "$TMP/fabricd.conf" >/dev/null 2>&1
check "... and fabricd does not start" [ $? -eq 1 ]
sed '/^allowed_clients/d' "$TMP/fabricd.conf" >"$TMP/any-only.conf"
echo 'allow_any_client = yes' >>"$TMP/any-only.conf"
check "allow_any_client without allowed_clients = *: refused" sh -c "! '$FABRICD' -n -c '$TMP/any-only.conf' >/dev/null 2>&1"
echo 'allow_any_client = yes' >>"$TMP/fabricd.conf"
check "allowed_clients = * with allow_any_client = yes: accepted" "$FABRICD" -n -c "$TMP/fabricd.conf" >/dev/null
fd_start || exit 1
check "any: a client certificate without the OU is admitted" answers client-no-ou 200 null
check "any: a node certificate still is not a client" answers spine01 403 client-cert-purpose
check "fabricd stops cleanly" fd_stop
finish
