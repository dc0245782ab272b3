#!/bin/sh
# fabric-lab figures (issue 4/6): lab-small and lab-medium (28 nodes) from
# `up` to a green `check` with agents and a fabricctl push, the memory of
# every process of the lab, and a silent link cut's gap (BFD 300 ms x 3).
# Needs root. Targets: lab-small up to green <= 30 s.
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" -eq 0 ] || { echo "fabric-lab bench: needs root, skipped"; exit 0; }
LAB="$top_builddir/fabric-lab"
BENCH_TMP=$(mktemp -d)
NAMES=""
trap 'for n in $NAMES; do "$LAB" down --name $n -q; done; rm -rf "$BENCH_TMP"' EXIT

now() { date +%s.%N; }
secs() { awk "BEGIN{printf \"%.1f\", $2 - $1}"; }
lab_rss_mb() { # the RSS of every process the lab's state records
	/usr/bin/python3 - "/run/closkit/lab/$1/state.json" <<'PY'
import json, sys
total = 0
for p in json.load(open(sys.argv[1]))["processes"]:
    try:
        for line in open("/proc/%d/status" % p["pid"]):
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    except OSError:
        pass
print("%.0f" % (total / 1024))
PY
}

for topo in lab-small lab-medium; do
	name=ckb$$$topo
	NAMES="$NAMES $name"
	t0=$(now)
	"$LAB" up -q --name $name "$top_srcdir/examples/$topo.yaml" || { echo "$topo: up failed"; exit 1; }
	t1=$(now)
	"$LAB" --name $name check -q || { echo "$topo: check failed"; exit 1; }
	t2=$(now)
	nodes=$(grep -c '"name"' "/run/closkit/lab/$name/bundle/manifest.json")
	mb=$(lab_rss_mb $name)
	printf '%-10s %3d nodes: up %5s s, check %4s s, up to green %5s s; lab processes %4s MB (%s MB/node)\n' \
		$topo "$nodes" "$(secs $t0 $t1)" "$(secs $t1 $t2)" "$(secs $t0 $t2)" "$mb" \
		"$(awk "BEGIN{printf \"%.1f\", $mb / $nodes}")"
	/usr/bin/python3 -c "import json; s=json.load(open('/run/closkit/lab/$name/state.json'))['stages']; print('           stages: ' + ', '.join('%s %.1f s' % (k, v) for k, v in s.items()))"
	per_node=$(awk "BEGIN{printf \"%.1f\", $mb / $nodes}")
	# fabricctl cabling over every agent: LLDP against cabling.csv
	t3=$(now)
	"$LAB" --name $name ctl cabling >/dev/null || echo "$topo: cabling not green"
	t4=$(now)
	cables=$(($(wc -l <"/run/closkit/lab/$name/bundle/cabling.csv") - 1))
	printf '           fabricctl cabling over %d agents, %d cables: %s s\n' \
		"$nodes" "$cables" "$(secs $t3 $t4)"
done

# a silent cut on lab-medium: the stream's ToR uplink drops everything
# (carrier stays up), BFD 300 ms x 3 ends the loss
name=ckb$$lab-medium
rm -f "$BENCH_TMP/ready"
"$LAB" --name $name probe pod1-r001-s01 pod1-r004-s04 --count 8000 --json \
	--ready-file "$BENCH_TMP/ready" >"$BENCH_TMP/cut.json" &
pp=$!
while [ ! -f "$BENCH_TMP/ready" ]; do sleep 0.1; done
best=""; bestn=0
for t in pod1-r001-tor1 pod1-r001-tor2; do
	for p in swp5 swp6 swp7 swp8; do
		a=$(ip -n $name-$t -s -j link show $p | /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)[0]['stats64']['tx']['packets'])")
		echo "$t $p $a"
	done
done >"$BENCH_TMP/c0"
sleep 1
while read -r t p a; do
	b=$(ip -n $name-$t -s -j link show $p | /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)[0]['stats64']['tx']['packets'])")
	[ $((b - a)) -gt "$bestn" ] && { bestn=$((b - a)); best="$t $p"; }
done <"$BENCH_TMP/c0"
set -- $best
ip netns exec $name-$1 nft -f - <<EON
table netdev ckcut {
	chain cin { type filter hook ingress device $2 priority 0; policy drop; }
}
table inet ckcut {
	chain cout { type filter hook output priority 0; oifname "$2" drop; }
	chain cfwd { type filter hook forward priority 0; oifname "$2" drop; }
}
EON
wait $pp
gap=$(/usr/bin/python3 -c "import json; print(json.load(open('$BENCH_TMP/cut.json'))['maxGapMs'])")
lost=$(/usr/bin/python3 -c "import json; print(json.load(open('$BENCH_TMP/cut.json'))['lost'])")
echo "lab-medium silent cut of $1 $2 (stream at $bestn pkt/s): lost $lost probes, gap $gap ms (target < 1000)"
mem_kb=$(awk '/MemTotal/{print $2}' /proc/meminfo)
echo "capacity: ${per_node} MB of lab processes per node -> about $(awk "BEGIN{printf \"%d\", $mem_kb / 1024 * 0.8 / $per_node}") nodes in 80% of this machine's memory; fabric-lab caps a lab at 400 nodes"
