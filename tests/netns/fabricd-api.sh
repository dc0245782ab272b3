#!/bin/sh
# fabricd with real TLS and real FRR in namespaces: who may talk to it
# (fault 7), what it accepts (faults 1, 4, 6, 8, 9), and that a committed
# push is what the bundle says. Every refusal must leave the DUT exactly as
# it was: running FRR config, addresses, links, sysctls, saved frr.conf.
. "$(dirname "$0")/lib-fabricd.sh"

mkdir -p "$TMP/small"
mount -t tmpfs -o size=512k tmpfs "$TMP/small"
fd_conf <<EOC
state_dir = $TMP/small/state
max_bundle_kb = 64
EOC
fd_setup

# --- fault 7: no CA, no start; then who is let in --------------------------
grep -v '^client_ca' "$TMP/fabricd.conf" >"$TMP/noca.conf"
out=$("$FABRICD" -n -c "$TMP/noca.conf" 2>&1)
check "fabricd -n accepts a config without client_ca" [ $? -eq 1 ]
check "no-CA message names client_ca" expr "$out" : '.*client_ca is required' >/dev/null
timeout 10 "$FABRICD" -f -c "$TMP/noca.conf" >/dev/null 2>&1
check "fabricd starts without client_ca" [ $? -eq 1 ]
: >"$TMP/empty.pem"
sed "s|^client_ca = .*|client_ca = $TMP/empty.pem|" "$TMP/fabricd.conf" >"$TMP/emptyca.conf"
timeout 10 "$FABRICD" -f -c "$TMP/emptyca.conf" >/dev/null 2>&1
check "a client_ca without certificates: no start" [ $? -eq 1 ]
check "fabricd -n accepts the good config" "$FABRICD" -n -c "$TMP/fabricd.conf" >/dev/null

fd_start || exit 1
check "starts at generation 0" [ "$(generation)" = 0 ]

"$FABRICCTL" ca init "$TMP/evil" >/dev/null
"$FABRICCTL" ca issue --ca-dir "$TMP/evil" --out "$TMP/pki" --operator evil-operator >/dev/null
"$FABRICCTL" ca issue --ca-dir "$TMP/pki" --operator --days -1 expired >/dev/null
"$FABRICCTL" ca issue --ca-dir "$TMP/pki" --operator intruder >/dev/null
refused() { # WHO HTTP CODE
	_h=$(fd_curl "$1" "https://$DUT:8443/v1/status")
	[ "$_h" = "$2" ] && [ "$(jq -r .error "$TMP/curl.out")" = "$3" ]
}
check "no client cert: 401 client-cert-required" refused none 401 client-cert-required
check "cert from another CA: 403" refused evil-operator 403 client-cert-invalid
check "expired cert: 403" refused expired 403 client-cert-invalid
check "CN not allowed: 403" refused intruder 403 client-not-allowed
check "operator is let in" refused operator 200 null
check "TLS 1.1 refused" [ "$(fd_curl operator --tls-max 1.1 "https://$DUT:8443/v1/status" 2>/dev/null)" = 000 ]
check "plain HTTP refused" [ "$(fd_curl operator "http://$DUT:8443/v1/status" 2>/dev/null)" = 000 ]

# --- the first push ---------------------------------------------------------
ip netns exec "$DUT_NS" sysctl -qw net.ipv6.conf.swp1.disable_ipv6=1	# someone turned it off
snapshot "$TMP/snap0"
ctl push --only $DUT "$TMP/g1" >"$TMP/push.out"
check "first push commits" grep -q "$DUT .* committed" "$TMP/push.out"
check "generation 1 applied" [ "$(generation)" = 1 ]
check "saved frr.conf is the bundle's" same_file "$TMP/g1/nodes/$DUT/frr.conf" "/etc/frr/$DUT_NS/frr.conf"
has_lo() { addrs | grep -q 'lo 10.255.0.1/32'; }
ports_up() { links | grep -q 'swp5 9000 up' && links | grep -q 'swp1 9000 up'; }
check "loopback /32 added" has_lo
check "fabric ports up with the bundle's MTU" ports_up
check "forwarding and L4 hashing on" [ "$(sysctls)" = "1 1 " ]
ll_swp1() { ip -n "$DUT_NS" -6 addr show dev swp1 scope link | grep -q fe80::; }
check "IPv6 link-local back on the fabric port" ll_swp1
check "peers Established, BFD up" peers_up
snapshot "$TMP/snap1"

# --- fault 6: the same bundle twice ------------------------------------------
pid=$(bgpd_pid)
v=$(metric fabricd_vtysh_writes_total)
n=$(metric fabricd_netlink_writes_total)
ctl push --only $DUT "$TMP/g1" >"$TMP/push.out"
check "same bundle: unchanged" grep -q "$DUT .* unchanged" "$TMP/push.out"
check "same bundle: no vtysh write" [ "$(metric fabricd_vtysh_writes_total)" = "$v" ]
check "same bundle: no netlink write" [ "$(metric fabricd_netlink_writes_total)" = "$n" ]
check "same bundle: bgpd untouched" [ "$(bgpd_pid)" = "$pid" ]
snapshot "$TMP/snap"
check "same bundle: state unchanged" same_file "$TMP/snap1" "$TMP/snap"

unchanged() { # after a refusal: the DUT is still at generation 1
	snapshot "$TMP/snap"
	same_file "$TMP/snap1" "$TMP/snap" && [ "$(generation)" = 1 ] && [ "$(bgpd_pid)" = "$pid" ]
}
push_code() { # DIR: push DUT's bundle, print its outcome
	ctl --json push --only $DUT "$1" | jq -r '.nodes[0].outcome'
}

# --- fault 8: stale generation, concurrent pushes ----------------------------
cp -r "$TMP/g1" "$TMP/g1b"
fd_mutate "$TMP/g1b" $DUT 's/set local-preference 0/set local-preference 1/'
check "replayed generation with other content: stale" [ "$(push_code "$TMP/g1b")" = stale-generation ]
check "stale: nothing changed" unchanged
fd_bundle 2 's/interval-ms: 300/interval-ms: 400/'
cp -r "$TMP/g2" "$TMP/g2b"
fd_mutate "$TMP/g2b" $DUT 's/set local-preference 0/set local-preference 1/'
push_code "$TMP/g2" >"$TMP/c1" &
c1=$!
push_code "$TMP/g2b" >"$TMP/c2" &
c2=$!
wait $c1 $c2
winners=$(cat "$TMP/c1" "$TMP/c2" | grep -c '^committed$')
losers=$(cat "$TMP/c1" "$TMP/c2" | grep -c -e '^busy$' -e '^stale-generation$')
check "two concurrent pushes: exactly one wins ($(cat "$TMP/c1" "$TMP/c2" | tr '\n' ' '))" [ "$winners$losers" = 11 ]
check "the winner's generation is applied" [ "$(generation)" = 2 ]
body() { # DIR NODE GEN: the request body fabricctl would send
	jq -n --rawfile f "$1/nodes/$2/frr.conf" --slurpfile n "$1/nodes/$2/node.json" \
		"{node: \$n[0], files: {\"frr.conf\": \$f}, generation: $3}"
}
answer() { # HTTP ERROR CURL-ARGS...: the agent answers HTTP, error ERROR
	_want=$1 _err=$2
	shift 2
	[ "$(fd_curl operator "$@")" = "$_want" ] && [ "$(jq -r .error "$TMP/curl.out")" = "$_err" ]
}
put() { # (Expect: the 413 comes before the body is sent, not mid-upload)
	answer "$1" "$2" -X PUT -H 'Expect: 100-continue' --expect100-timeout 60 \
		--data-binary @"$3" "https://$DUT:8443/v1/bundle"
}
body "$TMP/g1" $DUT 1 >"$TMP/g1.body"
check "an older generation gets HTTP 409 stale-generation" put 409 stale-generation "$TMP/g1.body"
# back to a known state: generation 3 = generation 1's configuration
fd_bundle 3
ctl push --only $DUT "$TMP/g3" >/dev/null
check "generation 3 (= 1) committed" [ "$(generation)" = 3 ]
snapshot "$TMP/snap1"
pid=$(bgpd_pid)
unchanged() {
	snapshot "$TMP/snap"
	same_file "$TMP/snap1" "$TMP/snap" && [ "$(generation)" = 3 ] && [ "$(bgpd_pid)" = "$pid" ]
}

# --- fault 9: oversized, malformed, wrong node, bad checksum -------------------
head -c 100000 /dev/zero | tr '\0' 'x' >"$TMP/big"
check "oversized body: 413 too-large" put 413 too-large "$TMP/big"
echo '{"node": ' >"$TMP/bad.json"
check "malformed JSON: 400 bad-json" put 400 bad-json "$TMP/bad.json"
echo '{"files": {}, "generation": 9}' >"$TMP/bad.json"
check "no node: 400 invalid-bundle" put 400 invalid-bundle "$TMP/bad.json"
fd_bundle 4
body "$TMP/g4" pod1-r001-tor2 4 >"$TMP/other.json"
check "other node's bundle: 422 wrong-node" put 422 wrong-node "$TMP/other.json"
body "$TMP/g4" $DUT 4 | jq '.files["frr.conf"] += "!\n"' >"$TMP/sum.json"
check "checksum mismatch: 422" put 422 checksum-mismatch "$TMP/sum.json"
check "unknown endpoint: 404" answer 404 not-found "https://$DUT:8443/v2/x"
check "wrong method: 405" answer 405 method-not-allowed "https://$DUT:8443/v1/bundle"
check "fault 9: nothing changed" unchanged

# --- push --dry-run: what a push would refuse fails the dry run too ------------
ctl push --dry-run --only $DUT "$TMP/g4" >"$TMP/dry.out"
check "a clean dry run: exit 0" [ $? -eq 0 ]
check "... outcome dry-run" grep -q "$DUT .* dry-run" "$TMP/dry.out"
cp -r "$TMP/g4" "$TMP/g4m"
jq '.interfaces[1].name = "swp99"' "$TMP/g4m/nodes/$DUT/node.json" >"$TMP/nj" &&
	mv "$TMP/nj" "$TMP/g4m/nodes/$DUT/node.json"
ctl push --dry-run --only $DUT "$TMP/g4m" >"$TMP/dry.out"
check "a dry run that a push would refuse: exit 1" [ $? -eq 1 ]
check "... listing the refusal" grep -q "$DUT .* missing-interface .*swp99" "$TMP/dry.out"
check "dry runs: nothing changed" unchanged

# --- fault 1: unknown FRR command -------------------------------------------
fd_mutate "$TMP/g4" $DUT 's/^ bgp router-id .*/&\n bgp frobnicate-everything/'
check "unknown FRR command: frr-syntax" [ "$(push_code "$TMP/g4")" = frr-syntax ]
check "unknown FRR command: bgpd pid and config unchanged" unchanged

# --- fault 4: state directory read-only, then full ----------------------------
fd_bundle 5 's/interval-ms: 300/interval-ms: 500/'
mount -o remount,ro "$TMP/small"
check "read-only state dir: refused" [ "$(push_code "$TMP/g5")" = state-unwritable ]
mount -o remount,rw "$TMP/small"
check "read-only state dir: nothing changed" unchanged
dd if=/dev/zero of="$TMP/small/fill" bs=4k >/dev/null 2>&1
check "full state dir: refused" [ "$(push_code "$TMP/g5")" = state-unwritable ]
rm -f "$TMP/small/fill"
check "full state dir: nothing changed" unchanged
check "with room again, generation 5 commits" [ "$(push_code "$TMP/g5")" = committed ]

# --- minimal disruption: BFD timers and route-maps do not bounce sessions --------
est() { vtysh_dut "show bgp neighbors json" | jq '[.[] | .connectionsEstablished] | add'; }
e0=$(est)
fd_bundle 6 's/interval-ms: 300/interval-ms: 350/'
fd_mutate "$TMP/g6" $DUT 's/set local-preference 0/set local-preference 10/'
check "BFD timer + route-map change commits" [ "$(push_code "$TMP/g6")" = committed ]
check "... without resetting a BGP session" [ "$(est)" = "$e0" ]
bfd_350() { vtysh_dut 'show bfd peers json' | jq -e 'length > 0 and all(.[]; ."transmit-interval" == 350)' >/dev/null; }
check "... and BFD runs the new timers" bfd_350
check "... and bgpd was not restarted" [ "$(bgpd_pid)" = "$pid" ]

# --- fabricctl: the rollout stops at the first failed wave ------------------------
echo "pod1-r001-tor2 127.0.0.1:1" >>"$TMP/inventory"	# nobody listens there
fd_bundle 7
ctl --json push --only 'pod1-r001-tor*' --waves 'pod1-r001-tor2,rest' "$TMP/g7" >"$TMP/waves.json"
check "a failed wave: exit status 1" [ $? -eq 1 ]
wave_outcome() { jq -r ".nodes[] | select(.node == \"$1\") | .outcome" "$TMP/waves.json"; }
check "the failed wave's node is unreachable" [ "$(wave_outcome pod1-r001-tor2)" = unreachable ]
check "the next wave is skipped" [ "$(wave_outcome $DUT)" = skipped ]
check "... and the DUT was not touched" [ "$(generation)" = 6 ]
ctl -q push --only 'pod1-r001-tor*' --waves "$DUT,rest" "$TMP/g7" >/dev/null
check "the other order: the DUT's wave commits first" [ "$(generation)" = 7 ]

# --- observability ----------------------------------------------------------
check "metrics: applied generation" [ "$(metric fabricd_applied_generation)" = 7 ]
check "metrics: peers by state" [ "$(metric 'fabricd_bgp_peers{state="Established"}')" = 2 ]
check "history: newest first" [ "$(ctl --json history $DUT | jq -r ".\"$DUT\".transactions[0].generation")" = 7 ]
ctl --json history $DUT >"$TMP/history.json"
logged() { jq -e --arg c "$1" ".\"$DUT\".transactions | map(.error) | index(\$c) != null" "$TMP/history.json" >/dev/null; }
for c in stale-generation too-large bad-json invalid-bundle wrong-node checksum-mismatch frr-syntax; do
	check "history records the refusal $c" logged $c
done
check "fabricd stops cleanly" fd_stop
finish
