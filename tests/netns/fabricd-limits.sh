#!/bin/sh
# fabricd's resource limits, real TLS on loopback (issue 6/6): an oversized
# body gets 413 too-large (declared or streamed), an oversized header 431,
# connections beyond max_connections_per_ip are refused, an idle connection
# is closed after connection_timeout_s, a vtysh that hangs is killed after
# frr_timeout_s; through all of it /v1/status keeps answering. Only the
# DUT's namespace and its FRR are set up (no fabric, no push).
. "$(dirname "$0")/lib-fabricd.sh"

[ -x "$FD_LOAD" ] || { echo "missing $FD_LOAD: make check builds it" >&2; exit 1; }
NODES=$DUT
fd_conf <<EOC
max_bundle_kb = 64
max_header_kb = 8
max_connections = 16
max_connections_per_ip = 4
connection_timeout_s = 10
EOC
fd_setup_dut
fd_start || exit 1

status_ok() { [ "$(fd_curl operator "https://$DUT:8443/v1/status")" = 200 ]; }
code_is() { # HTTP CODE ERROR-CODE: the last fd_curl's answer
	[ "$1" = "$2" ] && [ "$(jq -r .error "$TMP/curl.out")" = "$3" ]
}

# --- bodies -------------------------------------------------------------
head -c 100000 /dev/zero | tr '\0' x >"$TMP/big.json"
# A client that sends Expect: 100-continue (fabricctl does) is refused
# before it sends the body. One that does not races the agent's close: it
# may still be writing when the connection goes (curl: "Send failure").
h=$(fd_curl operator -v -X PUT -H 'Content-Type: application/json' \
	-H 'Expect: 100-continue' --expect100-timeout 60 \
	--data-binary @"$TMP/big.json" "https://$DUT:8443/v1/bundle" 2>"$TMP/curl.err")
check "declared oversized body: 413 too-large" code_is "$h" 413 too-large
check "the 413 names max_bundle_kb" grep -q 'max_bundle_kb = 64' "$TMP/curl.out"
check "... refused before the body is sent (no 100 Continue)" \
	sh -c "! grep -q 'HTTP/1.1 100' '$TMP/curl.err'"
# fabricctl: a consistent bundle padded beyond max_bundle_kb = 64
fd_bundle 2
for i in $(seq 1 1000); do
	echo "! padding line $i: a bundle larger than the agent accepts .............."
done >"$TMP/pad"
fd_mutate "$TMP/g2" $DUT "\$r $TMP/pad"
ctl --json push --only $DUT "$TMP/g2" >"$TMP/push.json" 2>/dev/null
check "fabricctl push of an oversized bundle: 413 too-large" \
	[ "$(jq -r '.nodes[0] | "\(.http) \(.outcome)"' "$TMP/push.json")" = "413 too-large" ]
h=$(fd_curl operator -X PUT -H 'Transfer-Encoding: chunked' \
	--data-binary @"$TMP/big.json" "https://$DUT:8443/v1/bundle")
check "streamed (chunked) oversized body: 413 too-large" code_is "$h" 413 too-large
check "status after oversized bodies" status_ok

# --- headers ------------------------------------------------------------
big=$(head -c 10000 /dev/zero | tr '\0' a)
h=$(fd_curl operator -H "X-Big: $big" "https://$DUT:8443/v1/status" 2>/dev/null)
check "oversized header (10 KB > max_header_kb = 8): 431" [ "$h" = 431 ]
h=$(fd_curl operator -H "X-Big: $(echo "$big" | head -c 4000)" "https://$DUT:8443/v1/status")
check "a 4 KB header is fine" [ "$h" = 200 ]
fd_load oversize 5 10 100 >"$TMP/over.out"
check "generator: 5 oversized headers and bodies refused" [ $? -eq 0 ]
cat "$TMP/over.out"
check "status after oversized headers" status_ok

# --- connections --------------------------------------------------------
# (connection_timeout_s = 10: the fifth attempt below comes well before
# the agent closes any of the four, even on a slow, loaded box)
fd_load_bg "$TMP/idle.out" idle 6 12
wait_for 40 grep -q held "$TMP/idle.out"
check "only max_connections_per_ip = 4 connections from one address" \
	grep -q 'held 4 of 6' "$TMP/idle.out"
h=$(fd_curl operator "https://$DUT:8443/v1/status" 2>/dev/null)
check "a fifth connection from the same address is refused" [ "$h" = 000 ]
wait "$FD_BG"
check "status once they are gone" status_ok
fd_load idle 2 16 >"$TMP/idle.out"
check "idle connections are closed after connection_timeout_s = 10" \
	grep -q 'after 16 s the agent had closed 2 of them' "$TMP/idle.out"

# --- a hung vtysh -------------------------------------------------------
fd_stop || fail "fabricd stopped cleanly"
# (longer than connection_timeout_s: a suspended request is not timed out)
printf '#!/bin/sh\ncase "$*" in *--dryrun*) exec sleep 30;; esac\nexit 1\n' >"$TMP/vtysh-hangs"
chmod +x "$TMP/vtysh-hangs"
sed -i -e 's/^frr_timeout_s = .*/frr_timeout_s = 5/' \
	-e 's/^connection_timeout_s = .*/connection_timeout_s = 3/' "$TMP/fabricd.conf"
echo "vtysh = $TMP/vtysh-hangs" >>"$TMP/fabricd.conf"
fd_start || exit 1
fd_bundle 1
t0=$(date +%s)
ctl --json push --only $DUT "$TMP/g1" >"$TMP/push.json" 2>/dev/null
t=$(( $(date +%s) - t0 ))
pushed() { jq -r ".nodes[0].$1" "$TMP/push.json"; }
check "a push whose vtysh --dryrun hangs: 503 frr-timeout" \
	[ "$(pushed http) $(pushed outcome)" = "503 frr-timeout" ]
check "... after frr_timeout_s = 5, not 30 (took $t s)" sh -c "[ $t -ge 4 ] && [ $t -le 25 ]"
check "the message says it timed out and names frr_timeout_s" \
	expr "$(pushed message)" : 'vtysh --dryrun timed out.*frr_timeout_s = 5' >/dev/null
check "no vtysh left running" [ -z "$(pgrep -P "$(cat "$FD_PIDFILE")")" ]
check "generation still 0" [ "$(generation)" = 0 ]
check "fabricd stops cleanly" fd_stop
finish
