#!/bin/sh
# fabricd rolls back what does not verify, and drains: a wrong peer ASN
# (fault 2), an unconfirmed commit-confirmed change (fault 5), an explicit
# rollback, and BGP graceful shutdown seen from the neighbour (fault 10).
FD_VERIFY_TIMEOUT=30	# the first push is from a bare config, on a loaded CI box
. "$(dirname "$0")/lib-fabricd.sh"

fd_setup
fd_start || exit 1
push_code() { ctl --json push --only $DUT "$@" | jq -r '.nodes[0].outcome'; }
at_lkg() { # SNAPSHOT GEN: the DUT is back to SNAPSHOT at generation GEN
	wait_for 60 peers_up || return 1
	snapshot "$TMP/snap"
	same_file "$1" "$TMP/snap" && [ "$(generation)" = "$2" ]
}
last_outcome() { ctl --json history $DUT | jq -r ".\"$DUT\".transactions[0].outcome"; }

check "generation 1 commits" [ "$(push_code "$TMP/g1")" = committed ]
snapshot "$TMP/snap1"

# --- fault 2: wrong peer ASN: sessions never establish -> automatic rollback ---
fd_bundle 2 's/mtu: 9000/mtu: 9100/'
fd_mutate "$TMP/g2" $DUT 's/neighbor swp5 remote-as 4202000001/neighbor swp5 remote-as 4202000077/'
ctl --json push --only $DUT "$TMP/g2" >"$TMP/out.json"
check "wrong peer ASN: verify-failed" [ "$(jq -r '.nodes[0].outcome' "$TMP/out.json")" = verify-failed ]
check "wrong peer ASN: the message names the peer" grep -q 'swp5 (spine01): bgp' "$TMP/out.json"
check "wrong peer ASN: back to generation 1, same config, addresses, MTUs, files" at_lkg "$TMP/snap1" 1
check "wrong peer ASN: history says rolled-back" [ "$(last_outcome)" = rolled-back ]

# --- commit-confirmed, confirmed by fabricctl ---------------------------------
fd_bundle 3 's/interval-ms: 300/interval-ms: 400/'
check "commit-confirmed push confirmed by fabricctl" [ "$(push_code --confirm-timeout 60 "$TMP/g3")" = committed ]
check "generation 3 applied" [ "$(generation)" = 3 ]
snapshot "$TMP/snap3"

# --- fault 5: confirm timeout expires -> rollback -------------------------------
# (15 s: the checks below must see it pending first, under ASan and load)
fd_bundle 4 's/mtu: 9000/mtu: 9100/'
jq -n --rawfile f "$TMP/g4/nodes/$DUT/frr.conf" --slurpfile n "$TMP/g4/nodes/$DUT/node.json" \
	'{node: $n[0], files: {"frr.conf": $f}, generation: 4, confirmTimeoutS: 15}' >"$TMP/g4.json"
code=$(fd_curl operator -X PUT --data-binary @"$TMP/g4.json" "https://$DUT:8443/v1/bundle")
check "commit-confirmed: 202 pending once verified" [ "$code" = 202 ]
pending() { [ "$(ctl --json status $DUT | jq -r ".\"$DUT\".pending.generation")" = 4 ]; }
check "status shows the pending generation" pending
mtu9100() { links | grep -q 'swp5 9100 up'; }
check "the pending change is live" mtu9100
check "a push while pending: 409 pending-confirm" [ "$(push_code "$TMP/g4")" = pending-confirm ]
rolled() { [ "$(state)" = idle ] && [ "$(last_outcome)" = rolled-back ]; }
check "no confirm within 15 s: rolled back" wait_for 60 rolled
check "confirm timeout: back to generation 3 exactly" at_lkg "$TMP/snap3" 3
code=$(fd_curl operator -X POST "https://$DUT:8443/v1/confirm")
check "a late confirm: 409 no-pending" [ "$code" = 409 ]

# --- explicit rollback: to the configuration before the current one ---------------
ctl rollback $DUT >/dev/null
check "rollback: generation 1 again" at_lkg "$TMP/snap1" 1
check "rollback: nothing more to roll back" [ "$(ctl --json rollback $DUT | jq -r ".\"$DUT\".error")" = no-previous ]

# --- fault 10: drain / undrain ---------------------------------------------------
SPINE=$(ns spine01)
via() { # which interface the spine's best path to the server uses; community
	vtysh -N "$SPINE" -c 'show bgp ipv4 unicast 10.1.0.1/32 json' 2>/dev/null |
		jq -r '.paths[] | select(.bestpath.overall == true) | .peer.interface'
}
gshut_from_tor1() {
	vtysh -N "$SPINE" -c 'show bgp ipv4 unicast 10.1.0.1/32 json' 2>/dev/null |
		jq -e '.paths[] | select(.peer.interface == "swp1") | .community.list | index("gracefulShutdown") != null' >/dev/null
}
two_paths() { [ "$(vtysh -N "$SPINE" -c 'show bgp ipv4 unicast 10.1.0.1/32 json' | jq '.paths | length')" = 2 ]; }
check "the spine has two paths to the server" wait_for 90 two_paths
check "drain --wait returns once traffic is low" ctl drain --wait --threshold 1000 --wait-timeout 30 $DUT
check "status: drained" [ "$(ctl --json status $DUT | jq -r ".\"$DUT\".drained")" = true ]
check "the spine sees 65535:0 from the drained ToR" wait_for 60 gshut_from_tor1
prefer_tor2() { [ "$(via)" = swp2 ]; }
check "... and prefers the other ToR" wait_for 60 prefer_tor2
saved_drain() { grep -q '^ bgp graceful-shutdown' "/etc/frr/$DUT_NS/frr.conf"; }
check "drain is in the saved frr.conf" saved_drain
fd_stop
fd_start || exit 1
check "drained state survives a restart" [ "$(ctl --json status $DUT | jq -r ".\"$DUT\".drained")" = true ]
fd_bundle 5
check "a push while drained commits" [ "$(push_code "$TMP/g5")" = committed ]
check "... and keeps the node drained" gshut_from_tor1
ctl undrain $DUT >/dev/null
no_gshut() { ! gshut_from_tor1 && two_paths; }
check "undrain: the community is gone" wait_for 60 no_gshut
check "undrain: status says so" [ "$(ctl --json status $DUT | jq -r ".\"$DUT\".drained")" = false ]
check "undrain: saved frr.conf is the bundle's again" same_file "$TMP/g5/nodes/$DUT/frr.conf" "/etc/frr/$DUT_NS/frr.conf"
check "fabricd stops cleanly" fd_stop
finish
