#!/bin/sh
# fabric-lab on lab-small with real FRR in namespaces, configs pushed
# directly with vtysh (the agent path is lab-scenarios.sh): up, check,
# status, exec, a cut link that check must report, refusal of a second lab of the
# same name, and down removing exactly what up created.
. "$(dirname "$0")/../lib.sh"

NAME=ckl$$
. "$(dirname "$0")/lib-lab.sh"


# not root: refused with a clear message, nothing created
setpriv --reuid=65534 --regid=65534 --clear-groups \
	"$LAB_BIN" up "$top_srcdir/examples/lab-small.yaml" --name "$NAME" 2>"$TMP/err"
[ $? -eq 1 ] && grep -q 'needs root' "$TMP/err" && [ ! -e "/run/closkit/lab/$NAME" ] &&
	pass || fail "non-root up: $(cat "$TMP/err")"

"$LAB_BIN" up "$top_srcdir/examples/lab-small.yaml" --name "$NAME" --push direct >"$TMP/up" 2>&1 &&
	pass || { cat "$TMP/up" >&2; fail "up"; finish; exit 1; }
grep -q 'BGP converged' "$TMP/up" && pass || fail "up did not report convergence"
[ "$(ip netns list | grep -c "^$NAME-")" -eq 11 ] && pass || fail "expected 10 node namespaces and a management one"
[ "$(pgrep -fc -- "-N $NAME-")" -eq 40 ] && pass || fail "expected 40 FRR daemons"

# (up waits for sessions and the servers' routes; check also wants ECMP on
# every switch, which may lag a moment on a loaded machine)
wait_for 60 "$LAB_BIN" check --name "$NAME" -q
"$LAB_BIN" check --name "$NAME" --json >"$TMP/check.json" && pass || fail "check after up"
/usr/bin/python3 - "$TMP/check.json" <<'PY' && pass || fail "check --json content"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["ok"] is True
assert r["sessions"]["expected"] == 32 and r["sessions"]["established"] == 32
assert r["reachability"]["pairs"] == 12 and not r["reachability"]["failed"]
assert r["ecmp"]["ok"] and r["valleyFree"]["ok"]
PY

"$LAB_BIN" status --name "$NAME" | grep -q 'spine01 *spine *sessions 4/4' && pass || fail "status"
"$LAB_BIN" --name "$NAME" exec pod1-r001-s01 ip -br addr show lo | grep -q '10.1.0.1/32' &&
	pass || fail "exec: server address"
"$LAB_BIN" --name "$NAME" exec no-such-node true 2>/dev/null; [ $? -eq 1 ] && pass || fail "exec: unknown node"

# a second lab of the same name is refused and the first is untouched
"$LAB_BIN" up "$top_srcdir/examples/lab-small.yaml" --name "$NAME" 2>"$TMP/err"
[ $? -eq 1 ] && grep -q 'already exists' "$TMP/err" && pass || fail "second up not refused"
[ "$(pgrep -fc -- "-N $NAME-")" -eq 40 ] && pass || fail "refused up disturbed the lab"

# a cut link: check must see it (BFD 300 ms x 3), and recover when restored
"$LAB_BIN" --name "$NAME" exec pod1-r001-tor1 ip link set swp5 down
if wait_for 30 sh -c "! '$LAB_BIN' check --name '$NAME' -q"; then pass; else fail "check did not notice a cut link"; fi
"$LAB_BIN" check --name "$NAME" --json | grep -q '"pod1-r001-tor1:swp5"' && pass || fail "check did not name the cut port"
"$LAB_BIN" --name "$NAME" exec pod1-r001-tor1 ip link set swp5 up
if wait_for 90 "$LAB_BIN" check --name "$NAME" -q; then pass; else fail "check did not recover"; fi

# down removes namespaces, daemons, FRR dirs and the state; twice is fine
# (10 nodes x (zebra, bgpd, bfdd, staticd, lldpd))
"$LAB_BIN" down --name "$NAME" >"$TMP/down" && grep -q '11 namespaces, 50 processes' "$TMP/down" &&
	pass || fail "down: $(cat "$TMP/down")"
[ "$(ip netns list | grep -c "^$NAME-")" -eq 0 ] && pass || fail "namespaces left"
[ "$(pgrep -fc -- "-N $NAME-")" -eq 0 ] && pass || fail "daemons left"
[ "$(pgrep -fc -- "/run/closkit/lab/$NAME/lldp/")" -eq 0 ] && pass || fail "lldpd left"
ls -d /etc/frr/"$NAME"-* /var/run/frr/"$NAME"-* /run/closkit/lab/"$NAME" 2>/dev/null | grep -q . &&
	fail "directories left" || pass
"$LAB_BIN" down --name "$NAME" | grep -q 'no lab' && pass || fail "second down"

finish
