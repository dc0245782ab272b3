#!/bin/sh
# The promise of L3 to the host, proven on lab-small with real FRR and real
# fabricd agents (pushes through fabricctl over mutual TLS):
#   1. lossless ToR drain (drain --wait, links down; undrain, links up)
#   2. link cut without carrier loss: BFD reroutes (the gap is measured)
#   3. bad push to a live spine: rolled back, other traffic loses nothing
#   4. rolling change of every node in waves with drains: nothing lost
#   5. agent killed mid-apply and restarted: LKG or new, fabric healthy
# Every probe stream is bounded (count and rate); the lab is removed on
# any exit.
. "$(dirname "$0")/../lib.sh"
NAME=cks$$
. "$(dirname "$0")/lib-lab.sh"

counter() { # NODE PORT rx|tx
	ip -n "$(ns "$1")" -s -j link show "$2" |
		/usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)[0]['stats64']['$3']['packets'])"
}
peer_port() { # NODE PORT -> the port at the other end, from cabling.csv
	awk -F, -v n="$1" -v p="$2" '$1 == n && $2 == p { print $4 } $3 == n && $4 == p { print $2 }' "$B/cabling.csv"
}
switch_ports() { awk -F, -v n="$1" '$1 == n { print $2 } $3 == n { print $4 }' "$B/cabling.csv"; }
json_field() { /usr/bin/python3 -c "import json,sys; print(json.load(open('$1'))['$2'])"; }

# probe_start NAME SRC DST COUNT PORT: a bounded stream in the background,
# returns once packets flow
probe_start() {
	rm -f "$TMP/$1.ready"
	"$LAB_BIN" --name "$NAME" probe "$2" "$3" --count "$4" --port "$5" --json \
		--ready-file "$TMP/$1.ready" >"$TMP/$1.json" 2>"$TMP/$1.err" &
	echo $! >"$TMP/$1.pid"
	wait_for 30 test -f "$TMP/$1.ready"
}
probe_wait() { wait "$(cat "$TMP/$1.pid")"; cat "$TMP/$1.json" >&2; }
lost() { json_field "$TMP/$1.json" lost; }

# which of CANDIDATES (NODE:PORT rx|tx) the running stream crosses
busiest() {
	_dir=$1
	shift
	for c in "$@"; do echo "$c $(counter "${c%%:*}" "${c#*:}" "$_dir")"; done >"$TMP/c0"
	sleep 1
	for c in "$@"; do echo "$c $(counter "${c%%:*}" "${c#*:}" "$_dir")"; done >"$TMP/c1"
	paste "$TMP/c0" "$TMP/c1" | awk '{ print $4 - $2, $1 }' | sort -n | tail -1
}

S1=pod1-r001-s01 S2=pod1-r001-s02 R2S1=pod1-r002-s01 R2S2=pod1-r002-s02

lab up --verify-timeout 60 "$top_srcdir/examples/lab-small.yaml" >"$TMP/up" 2>&1 ||
	{ cat "$TMP/up" >&2; fail "lab up (agent push)"; finish; exit 1; }
cat "$TMP/up"
grep -q 'push (fabricctl)' "$TMP/up" && pass || fail "up did not push through the agents"
wait_for 90 lab check -q && pass || fail "check after up"

echo "== 1. lossless ToR drain"
probe_start drain "$S1" "$R2S2" 12000 50001 || fail "probe did not start"
set -- $(busiest rx "pod1-r001-tor1:$(peer_port $S1 eth0)" "pod1-r001-tor2:$(peer_port $S1 eth1)")
T=${2%%:*}
echo "stream crosses $T: $1 packets/s on its port from $S1"
[ "$1" -ge 500 ] && pass || fail "the stream does not cross a ToR of its rack ($1 pkt/s)"
lab ctl drain --wait --threshold 100 --wait-timeout 30 "$T" && pass || fail "drain --wait $T"
for p in $(switch_ports "$T"); do ip -n "$(ns "$T")" link set "$p" down; done
probe_wait drain
[ "$(lost drain)" -eq 0 ] && pass || fail "drain of $T lost $(lost drain) probes"
probe_start back "$S1" "$R2S2" 12000 50001 || fail "probe did not start"
for p in $(switch_ports "$T"); do ip -n "$(ns "$T")" link set "$p" up; done
wait_for 90 lab ctl --json status "$T" && pass || fail "$T agent after links up"
# undrain only once T's sessions are back: a ToR that attracts traffic
# before its uplinks are up would race its own FIB
established() {
	lab ctl --json status "$T" | /usr/bin/python3 -c "import json,sys; p=json.load(sys.stdin)['$T']['peers']; sys.exit(not p or any(x['bgp'] != 'Established' for x in p))"
}
wait_for 90 established && pass || fail "$T sessions after links up"
lab ctl undrain "$T" >/dev/null && pass || fail "undrain $T"
probe_wait back
[ "$(lost back)" -eq 0 ] && pass || fail "undrain of $T lost $(lost back) probes"
wait_for 90 lab check -q && pass || fail "check after undrain"

echo "== 2. link cut: silent (BFD) and carrier loss"
for how in silent carrier; do
	probe_start cut "$S1" "$R2S1" 8000 50002 || fail "probe did not start"
	set -- $(busiest tx pod1-r001-tor1:swp5 pod1-r001-tor1:swp6 pod1-r001-tor2:swp5 pod1-r001-tor2:swp6)
	U=${2#*:} T=${2%%:*}
	echo "stream crosses $T $U: $1 packets/s"
	[ "$1" -ge 500 ] && pass || fail "$how cut: no uplink carries the stream ($1 pkt/s)"
	if [ $how = silent ]; then	# carrier stays up: only BFD can tell
		ip netns exec "$(ns "$T")" nft -f - <<EON
table netdev ckcut {
	chain cin { type filter hook ingress device $U priority 0; policy drop; }
}
table inet ckcut {
	chain cout { type filter hook output priority 0; oifname "$U" drop; }
	chain cfwd { type filter hook forward priority 0; oifname "$U" drop; }
}
EON
	else
		ip -n "$(ns "$T")" link set "$U" down
	fi
	probe_wait cut
	gap=$(json_field "$TMP/cut.json" maxGapMs)
	echo "link cut ($how) on $T $U: lost $(lost cut) probes, longest gap $gap ms"
	# BFD (300 ms x 3), not BGP's hold timer, must end the loss
	awk "BEGIN{exit !($gap < 3000)}" && pass || fail "$how cut: gap $gap ms"
	[ "$(json_field "$TMP/cut.json" received)" -gt 4000 ] && pass || fail "$how cut: the stream did not recover"
	if [ $how = silent ]; then
		ip netns exec "$(ns "$T")" nft delete table netdev ckcut
		ip netns exec "$(ns "$T")" nft delete table inet ckcut
	else
		ip -n "$(ns "$T")" link set "$U" up
	fi
	wait_for 90 lab check -q && pass || fail "check after restoring $T $U"
done

# bundle GEN SED: generation GEN of lab-small through SED, in $TMP/gGEN
bundle() {
	sed -e "s/^fabric: .*/&\ngeneration: $1/" ${2:+-e "$2"} \
		"$top_srcdir/examples/lab-small.yaml" >"$TMP/g$1.yaml"
	"$FABRIC_GEN" build -q "$TMP/g$1.yaml" -o "$TMP/g$1"
}

echo "== 3. bad push to a live spine"
bundle 2
# spine01 expects a wrong ASN on one port: a consistent bundle (checksums
# fixed) that is simply wrong, as a broken generator would write it
f="$TMP/g2/nodes/spine01/frr.conf"
sed -i 's/^\( neighbor swp1 remote-as \)\(.*\)$/\14200999999/' "$f"
/usr/bin/python3 - "$TMP/g2" <<'PY'
import hashlib, json, sys
d = sys.argv[1]
nj = d + "/nodes/spine01/node.json"
n = json.load(open(nj))
n["files"]["frr.conf"]["sha256"] = hashlib.sha256(open(d + "/nodes/spine01/frr.conf", "rb").read()).hexdigest()
text = json.dumps(n, indent=2) + "\n"
open(nj, "w").write(text)
m = json.load(open(d + "/manifest.json"))
for e in m["nodes"]:
    if e["name"] == "spine01":
        e["sha256"] = hashlib.sha256(text.encode()).hexdigest()
open(d + "/manifest.json", "w").write(json.dumps(m, indent=2) + "\n")
PY
# a stream that avoids spine01 (its ECMP hash picks spine02)
port=""
# (each port is a coin toss: up to 32 tries; the stream outlasts the 1 s
# sample even on a loaded machine, and must really flow through spine02)
for p in $(seq 50010 50041); do
	probe_start pick "$S1" "$R2S1" 3000 $p || {
		kill "$(cat "$TMP/pick.pid")" 2>/dev/null
		probe_wait pick 2>/dev/null
		continue
	}
	set -- $(busiest rx spine01:swp1 spine01:swp2 spine02:swp1 spine02:swp2)
	kill "$(cat "$TMP/pick.pid")" 2>/dev/null
	probe_wait pick 2>/dev/null
	case $2 in spine02:*) [ "$1" -ge 200 ] && { port=$p; break; } ;; esac
done
[ -n "$port" ] && pass || fail "no probe port hashes away from spine01"
probe_start bad "$S1" "$R2S1" 15000 "${port:-50010}"
lab ctl push --only spine01 "$TMP/g2" >"$TMP/bad.out" 2>&1
rc=$?
cat "$TMP/bad.out"
[ $rc -eq 1 ] && grep -q '^spine01 .* verify-failed .*bgp' "$TMP/bad.out" && pass || fail "bad push not refused at verify (exit $rc)"
probe_wait bad
[ "$(lost bad)" -eq 0 ] && pass || fail "bad push to spine01 lost $(lost bad) probes elsewhere"
[ "$(generation spine01)" = 1 ] && pass || fail "spine01 not back on generation 1"
wait_for 90 lab check -q && pass || fail "check after the rollback"

echo "== 4. rolling change in waves with drains"
bundle 3 's/interval-ms: 300/interval-ms: 250/'
probe_start roll1 "$S1" "$R2S2" 90000 50003 || fail "probe did not start"
probe_start roll2 "$R2S1" "$S2" 90000 50004 || fail "probe did not start"
for wave in "pod1-r001-tor1 pod1-r002-tor1" "pod1-r001-tor2 pod1-r002-tor2" spine01 spine02; do
	lab ctl drain --wait --threshold 100 --wait-timeout 30 $wave >/dev/null || fail "drain $wave"
	for n in $wave; do
		lab ctl push --only "$n" "$TMP/g3" >/dev/null || fail "push $n"
	done
	lab ctl undrain $wave >/dev/null || fail "undrain $wave"
	wait_for 90 lab check -q || fail "check after wave $wave"
done
lab ctl push --only 'pod1-r00?-s0?' "$TMP/g3" >/dev/null && pass || fail "push servers"
# every wave is done: stop the streams (they report what they measured)
kill "$(cat "$TMP/roll1.pid")" "$(cat "$TMP/roll2.pid")"
probe_wait roll1
probe_wait roll2
for r in roll1 roll2; do
	[ "$(lost $r)" -eq 0 ] && [ "$(json_field "$TMP/$r.json" received)" -gt 1000 ] &&
		pass || fail "rolling change: $r lost $(lost $r) probes"
done
for n in pod1-r001-tor1 pod1-r002-tor2 spine01 spine02 "$S1" "$R2S2"; do
	[ "$(generation "$n")" = 3 ] && pass || fail "$n not at generation 3"
done
grep -q 'receive-interval 250' "/etc/frr/$(ns spine02)/frr.conf" && pass || fail "saved config not updated"
wait_for 90 lab check -q && pass || fail "check after the rolling change"

echo "== 5. agent killed mid-apply, restarted"
bundle 4 's/interval-ms: 300/interval-ms: 200/'
T=pod1-r002-tor1
for point in mid-frr before-commit; do
	before=$(generation $T)
	lab restart-agent --fault $point $T || fail "restart $T with fault $point"
	# the push must reach the armed agent, not find it still starting
	wait_for 90 lab ctl --json status $T || fail "$T agent armed with $point"
	lab ctl push --only $T "$TMP/g4" >"$TMP/crash.out" 2>&1 &&
		fail "push to an agent that dies at $point succeeded"
	lab restart-agent $T && pass || fail "agent did not come back after dying at $point"
	g=$(generation $T)
	echo "killed at $point: generation $before -> $g after recovery"
	{ [ "$g" = "$before" ] || [ "$g" = 4 ]; } && pass || fail "$T at generation $g after a crash at $point"
	wait_for 90 lab check -q && pass || fail "check after recovery from $point"
	# what is saved is exactly what runs: LKG or new, never a mix
	lab ctl --json status $T | grep -q '"state": *"idle"' && pass || fail "$T not idle after recovery"
done
lab ctl push --only $T "$TMP/g4" >/dev/null && [ "$(generation $T)" = 4 ] && pass || fail "push after recovery"

finish
