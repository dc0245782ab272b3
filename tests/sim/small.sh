#!/bin/sh
# capacity-report runs with its defaults (and --n-plus-one, --dynamic,
# --html) on every valid small topology: one rack, one server per rack,
# one server in all, servers with a single uplink, one pod of three
# tiers, a ToR-only fabric if fabric-gen takes it. What needs what the
# fabric lacks (2 racks, 2 servers) is skipped, and the text, JSON and
# HTML reports say so with the reason. Servers of different speeds (25G
# and 10G pods) do not make a 1:1 fabric blocking; unlike pods get subtree
# checks whose figures are each pod's own; a partitioned fabric is called
# so.
. "$(dirname "$0")/../lib.sh"
CR="$top_builddir/capacity-report"
PY=/usr/bin/python3

# topo NAME PODS RACKS SERVERS-PER-RACK TORS SPINES [SUPER]: a leaf/spine;
# with SUPER a pod-scoped spine under SUPER fabric-wide super-spines, or
# under nothing (SUPER 0: each pod an island)
topo() {
	_up=$(seq -s ', ' -f 'eth%g' 0 $(($5 - 1)))
	{
	cat <<EOF
fabric: $1
pools: {loopbacks: 10.255.0.0/24, servers: 10.1.0.0/20}
asn:
  server: 4200000001-4200000999
  tor: 4201000001-4201000099
EOF
	[ "$6" -gt 0 ] && echo "  spine: 4202000001-4202000099"
	[ "${7:-0}" -gt 0 ] && echo "  super: 4203000001-4203000099"
	cat <<EOF
models:
  t:
    ports:
      - {count: 16, speed: 10G, use: down}
      - {count: 16, speed: 10G, use: up}
  s:
    ports:
      - {count: 64, speed: 10G}
servers: {uplinks: [$_up], speed: 10G}
pods: {count: $2, name: pod, racks: $3, servers-per-rack: $4}
tiers:
  - {name: tor, role: tor, model: t, count: $5}
EOF
	[ "$6" -gt 0 ] && [ -z "${7:-}" ] &&
		echo "  - {name: spine, role: spine, model: s, scope: fabric, count: $6, speed: 10G}"
	[ -n "${7:-}" ] &&
		echo "  - {name: spine, role: spine, model: s, scope: pod, count: $6, speed: 10G}"
	[ "${7:-0}" -gt 0 ] &&
		echo "  - {name: super, role: superspine, model: s, scope: fabric, count: $7, speed: 10G}"
	} >"$TMP/$1.yaml"
}

# name pods racks servers/rack tors spines [super] | what must be skipped
topo one-server 1 1 1 1 1;        skips_one_server="permutation rack-to-rack bisection n+1 dynamic"
topo one-rack 1 1 3 2 2;          skips_one_rack="rack-to-rack"
topo one-per-rack 1 3 1 2 2;      skips_one_per_rack=""
topo single-uplink 1 2 2 1 2;     skips_single_uplink=""
topo one-pod-3tier 1 2 2 2 2 2;   skips_one_pod_3tier=""
topo two-servers 1 1 2 1 1;       skips_two_servers="rack-to-rack"
topo tor-only 1 2 2 2 0;          skips_tor_only="?"

ran=0
for y in "$TMP"/*.yaml; do
	n=$(basename "$y" .yaml)
	eval "want=\${skips_$(echo "$n" | tr - _)}"
	if ! "$FABRIC_GEN" check "$y" >/dev/null 2>"$TMP/err"; then
		# invalid for fabric-gen: capacity-report refuses it as well
		[ "$want" = "?" ] || fail "$n: fabric-gen check: $(cat "$TMP/err")"
		if "$CR" -q "$y" >/dev/null 2>&1; then
			fail "$n: capacity-report took a topology fabric-gen refuses"
		else pass; fi
		continue
	fi
	ran=$((ran + 1))
	if "$CR" -q --json --n-plus-one --dynamic --dyn-flows 50 --html "$TMP/$n.html" \
		"$y" >"$TMP/$n.json" 2>"$TMP/err"; then pass; else
		fail "$n: capacity-report: $(cat "$TMP/err")"; continue
	fi
	if "$CR" -q "$y" >"$TMP/$n.txt" 2>"$TMP/err"; then pass; else
		fail "$n: text report: $(cat "$TMP/err")"
	fi
	[ "$want" = "?" ] && want=
	if $PY - "$TMP/$n.json" "$TMP/$n.txt" "$TMP/$n.html" "$want" <<'PYEOF'; then pass; else fail "$n: skipped list"; fi
import json, sys
r = json.load(open(sys.argv[1]))
text, html = open(sys.argv[2]).read(), open(sys.argv[3]).read()
want = sys.argv[4].split()
got = [s["what"] for s in r["skipped"]]
assert sorted(got) == sorted(want), (got, want)
for s in r["skipped"]:
    assert "needs" in s["why"] or "applies" in s["why"], s
    if s["what"] != "n+1" and s["what"] != "dynamic":   # text: no --n-plus-one
        assert s["what"] in text and s["why"] in text, (s, text)
    assert s["why"] in html, s
if "rack-to-rack" in want and r["servers"] >= 2:
    assert "needs at least 2 racks; this fabric has 1" in text
ran = [p["pattern"] for p in r["patterns"]]
assert not set(ran) & set(want), ran
assert "verdict" in r and isinstance(r["verdict"]["nonBlocking"], bool)
assert ("nPlusOne" in r) == ("n+1" not in want)
assert ("dynamic" in r) == ("dynamic" not in want)
assert ("bisection" in r) == ("bisection" not in want)
if not want:
    assert "skipped" not in text, text
PYEOF
done
[ "$ran" -ge 6 ] && pass || fail "only $ran small topologies were valid"

# a pattern the user asks for that does not apply is skipped too; a wrong
# argument is still an error
"$CR" -q -t rack-to-rack -t permutation "$TMP/one-rack.yaml" >"$TMP/out" 2>"$TMP/err" ||
	fail "requested rack-to-rack on one rack: $(cat "$TMP/err")"
if grep -q "^  rack-to-rack  *needs at least 2 racks; this fabric has 1" "$TMP/out"; then
	pass; else fail "skipped rack-to-rack: $(cat "$TMP/out")"; fi
if "$CR" -q -t stride:3 "$TMP/one-rack.yaml" >/dev/null 2>&1; then
	fail "stride of all servers accepted"; else pass; fi

# 25G and 10G pods on a 1:1 fabric: every flow offers what its slower end
# takes, so spray carries every check and the fabric is non-blocking
"$CR" -q --json "$top_srcdir/tests/sim/mixed-speed.yaml" >"$TMP/mixed.json" 2>"$TMP/err" ||
	fail "mixed speeds: $(cat "$TMP/err")"
if $PY - "$TMP/mixed.json" <<'PYEOF'; then pass; else fail "mixed speeds are non-blocking"; fi
import json, sys
r = json.load(open(sys.argv[1]))
assert r["verdict"]["nonBlocking"] is True, r["verdict"]
for c in r["verdict"]["checks"]:
    assert c["fraction"] == 1.0 or abs(c["fraction"] - 1) < 1e-9, c
perm = r["patterns"][0]["modes"][0]
assert perm["mode"] == "spray" and perm["offeredGbps"] < 16 * 25, perm
PYEOF

# a partitioned fabric (two pods with nothing above them: 4 x 4 server
# pairs have no path), with allow-partitioned if fabric-gen wants it: the
# verdict says so, from the simulator's own reachability
mkdir "$TMP/part"
topo islands 2 2 2 1 2 0
mv "$TMP/islands.yaml" "$TMP/part/islands.yaml"
if ! "$FABRIC_GEN" check "$TMP/part/islands.yaml" >/dev/null 2>&1; then
	{ echo "allow-partitioned: true"; cat "$TMP/part/islands.yaml"; } >"$TMP/part/i2.yaml"
	mv "$TMP/part/i2.yaml" "$TMP/part/islands.yaml"
fi
"$CR" -q --json "$TMP/part/islands.yaml" >"$TMP/part.json" 2>"$TMP/err" ||
	fail "partitioned fabric: $(cat "$TMP/err")"
if $PY - "$TMP/part.json" <<'PYEOF'; then pass; else fail "partitioned fabric verdict"; fi
import json, sys
v = json.load(open(sys.argv[1]))["verdict"]
assert v["nonBlocking"] is False and v["unreachablePairs"] == 16, v
assert v["reason"].startswith("partitioned: 16 server pairs have no path"), v
PYEOF
# cut by failures: a server without its two uplinks reaches none of 3
"$CR" -q --fail link:pod1-r001-s01:eth0 --fail link:pod1-r001-s01:eth1 \
	"$top_srcdir/examples/lab-small.yaml" >"$TMP/out" 2>"$TMP/err" || fail "cut server: $(cat "$TMP/err")"
if grep -q "^non-blocking: no (partitioned: 3 server pairs have no path" "$TMP/out"; then
	pass; else fail "cut server verdict: $(grep non-blocking "$TMP/out")"; fi

# unlike pods (4 racks of 2 10G servers, 2 racks of 3 25G servers): each
# subtree check runs the stride of the largest subtree, and every figure
# it quotes is that of the pod it names, from the check's own flows
"$CR" -q --json "$top_srcdir/tests/sim/uneven-pods.yaml" >"$TMP/uneven.json" 2>"$TMP/err" ||
	fail "uneven pods: $(cat "$TMP/err")"
if $PY - "$TMP/uneven.json" <<'PYEOF'; then pass; else fail "uneven pods: subtree checks"; fi
import json, sys
r = json.load(open(sys.argv[1]))
v = r["verdict"]
checks = {c.get("tier"): c for c in v["checks"]}
tor, leaf = checks["tor"], checks["leaf"]
assert tor["pattern"] == "stride:3", tor        # pod2's racks, not pod1's
p1, p2 = tor["subtrees"]
assert (p1["pods"], p1["subtrees"], p1["servers"], p1["serverGbps"], p1["uplinkGbps"],
        p1["serversOut"], p1["fraction"]) == (["pod1"], 4, 2, 20, 50, 8, 1), p1
assert (p2["pods"], p2["subtrees"], p2["servers"], p2["serverGbps"], p2["uplinkGbps"],
        p2["serversOut"]) == (["pod2"], 2, 3, 75, 50, 6), p2
# rack 1 of pod2 sends 75G through 50G, rack 2 30G to 10G servers
assert abs(p2["offeredGbps"] - 105) < 1e-6 and abs(p2["achievedGbps"] - 80) < 1e-6, p2
assert "pod1 4 x 2 servers (20 Gb/s nominal, 50 Gb/s up)" in tor["why"], tor["why"]
assert "pod2 2 x 3 servers (75 Gb/s nominal, 50 Gb/s up)" in tor["why"], tor["why"]
# a leaf subtree is a whole pod; pod1 holds 8 of 14 servers, so only 6 of
# them can send out under a permutation, and the text says so
l1, l2 = leaf["subtrees"]
assert (l1["pods"], l1["servers"], l1["serversOut"]) == (["pod1"], 8, 6), l1
assert (l2["pods"], l2["servers"], l2["serversOut"]) == (["pod2"], 6, 6), l2
assert "pod1 1 x 8 servers (80 Gb/s nominal, 400 Gb/s up), only 6 of 8 servers out" in leaf["why"], leaf["why"]
assert v["nonBlocking"] is False
assert "stride:3" in v["reason"] and "most saturated links: tor>leaf" in v["reason"], v
assert "worst: pod2 tor subtrees, 76.2% of the 105 Gb/s they send out" in v["reason"], v
PYEOF

finish
