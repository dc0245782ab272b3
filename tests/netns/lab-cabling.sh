#!/bin/sh
# The fabric as built against the fabric as planned, on lab-small with real
# lldpd, real agents and fabricctl: the far ends of a ToR's two uplinks are
# exchanged (the veth ends moved between the spines' namespaces, as an
# installer would plug two cables into each other's ports), and
#   - fabricctl cabling reports exactly those two cables and the swap,
#   - fabric-lab check fails on the cabling stage,
#   - a push to that ToR is refused in the check phase, nothing changed,
#   - and goes through with --allow-miswired;
# exchanging them back makes every report green. The lab is removed on any
# exit.
. "$(dirname "$0")/../lib.sh"
NAME=ckc$$
. "$(dirname "$0")/lib-lab.sh"
peer() { # NODE PORT -> "PEERNODE PEERPORT", from cabling.csv
	awk -F, -v n="$1" -v p="$2" '$1 == n && $2 == p { print $3, $4 } $3 == n && $4 == p { print $1, $2 }' "$B/cabling.csv"
}

lab up --verify-timeout 60 "$top_srcdir/examples/lab-small.yaml" >"$TMP/up" 2>&1 ||
	{ cat "$TMP/up" >&2; fail "lab up"; finish; exit 1; }

echo "== as planned"
# LLDP announces once a second: wait for every neighbour, not a fixed time
wait_for 30 lab ctl cabling && pass || fail "cabling after up: $(lab ctl cabling 2>&1 | tail -3)"
lab ctl cabling >"$TMP/ok" 2>&1
expect_grep "0 miswired, 0 missing, 0 unexpected: cabled as planned" "$TMP/ok" "green report"

T=pod1-r001-tor1
set -- $(peer $T swp5); S1=$1 P1=$2
set -- $(peer $T swp6); S2=$1 P2=$2
echo "== exchange the far ends of $T swp5 ($S1 $P1) and swp6 ($S2 $P2)"
[ "$S1" != "$S2" ] && pass || fail "the two uplinks reach one spine"
# move_end FROM PORT TAG TO: the veth end PORT of FROM into TO (as ckTAGx).
# A real re-plug keeps every interface; here an end that left a namespace
# is replaced by another of the same name, and that one must not inherit
# the old ifindex (the kernel keeps a moved link's index where it is free):
# lldpd would take it for the old interface and keep its dead socket. A
# placeholder holds the vacated index until the other end has arrived.
ifindex() { ip -n "$(ns "$1")" -j link show "$2" | /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)[0]['ifindex'])"; }
move_end() {
	_i=$(ifindex "$1" "$2") &&
		ip -n "$(ns "$1")" link set "$2" down &&
		ip -n "$(ns "$1")" link set "$2" name "ck$3x" &&
		ip -n "$(ns "$1")" link set "ck$3x" netns "$(ns "$4")" &&
		ip -n "$(ns "$1")" link add "ckhold$3" index "$_i" type veth peer name "ckpeer$3"
}
swap() {
	move_end "$S1" "$P1" a "$S2" && move_end "$S2" "$P2" b "$S1" &&
		ip -n "$(ns "$S2")" link set ckax name "$P2" &&
		ip -n "$(ns "$S1")" link set ckbx name "$P1" &&
		ip -n "$(ns "$S1")" link del ckholda &&
		ip -n "$(ns "$S2")" link del ckholdb &&
		ip -n "$(ns "$S2")" link set "$P2" up &&
		ip -n "$(ns "$S1")" link set "$P1" up
}
swap && pass || fail "moving the veth ends"
miswired() { ! lab ctl cabling >/dev/null 2>&1 && lab ctl --json cabling 2>/dev/null |
	/usr/bin/python3 -c "import json,sys; c=json.load(sys.stdin)['cables']; sys.exit(not (len(c) == 2 and all(x['state'] == 'miswired' and 'swap' in x for x in c)))"; }
wait_for 30 miswired && pass || fail "two miswired cables, a swap: $(lab ctl --json cabling 2>&1 | head -c 600)"
expect_exit 1 "cabling exits 1" lab ctl cabling
cat "$TMP/out"
expect_grep "^miswired .*$T swp5" "$TMP/out" "the swp5 cable"
expect_grep "^miswired .*$T swp6" "$TMP/out" "the swp6 cable"
expect_grep "swap: exchange the cables on $T swp[56] and $T swp[56]" "$TMP/out" "the swap suggested at the ToR"
expect_grep "2 miswired, 0 missing, 0 unexpected" "$TMP/out" "two cables only"
lab ctl --json cabling >"$TMP/c.json" 2>/dev/null
/usr/bin/python3 - "$TMP/c.json" "$T" <<'PY' && pass || fail "JSON report"
import json, sys
c = json.load(open(sys.argv[1]))
t = sys.argv[2]
assert c["counts"] == {"miswired": 2, "missing": 0, "unexpected": 0}, c["counts"]
assert c["unanswered"] == []
ends = sorted(tuple(sorted((e["node"], e["port"]) for e in x["swap"]["exchange"])) for x in c["cables"])
assert ends[0] == ends[1] == ((t, "swp5"), (t, "swp6")), ends
PY
expect_exit 1 "fabric-lab check fails on the cabling" lab check
expect_grep "^cabling  *FAIL" "$TMP/out" "check names the cabling stage"

echo "== a push to $T is refused in the check phase"
sed -e "s/^fabric: .*/&\ngeneration: 2/" "$top_srcdir/examples/lab-small.yaml" >"$TMP/g2.yaml"
"$FABRIC_GEN" build -q "$TMP/g2.yaml" -o "$TMP/g2" && pass || fail "bundle g2"
before=$(vtysh -N "$(ns $T)" -c "show running-config" | grep -v '^!' | md5sum)
expect_exit 1 "push to a miswired ToR" lab ctl push --only $T "$TMP/g2"
cat "$TMP/out"
expect_grep "^$T .*miswired" "$TMP/out" "refusal names miswired"
expect_grep "swp5" "$TMP/out" "refusal lists the ports"
[ "$(generation $T)" = 1 ] && pass || fail "$T left generation 1"
after=$(vtysh -N "$(ns $T)" -c "show running-config" | grep -v '^!' | md5sum)
[ "$before" = "$after" ] && pass || fail "$T's running config changed"
lab ctl --json history $T | grep -q '"miswired"' && pass || fail "refusal in history"
expect_exit 0 "push --allow-miswired" lab ctl push --allow-miswired --only $T "$TMP/g2"
[ "$(generation $T)" = 2 ] && pass || fail "$T not at generation 2 after --allow-miswired"

echo "== exchanged back"
# the ends are now S2:P2 (from S1) and S1:P1 (from S2): the same move again
swap && pass || fail "moving the veth ends back"
wait_for 30 lab ctl cabling && pass || fail "cabling after the swap back: $(lab ctl cabling 2>&1 | tail -4)"
wait_for 90 lab check -q && pass || fail "check after the swap back"
finish
