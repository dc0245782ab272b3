#!/bin/sh
# fabric-gen's commands and options as an operator uses them.
. "$(dirname "$0")/lib.sh"

LAB="$top_srcdir/examples/lab-small.yaml"
G="$FABRIC_GEN"

# usage errors exit 2, --help and --version exit 0
"$G" >/dev/null 2>&1; [ $? -eq 2 ] && pass || fail "no arguments: expected exit 2"
"$G" frobnicate x >/dev/null 2>&1; [ $? -eq 2 ] && pass || fail "unknown command: expected exit 2"
"$G" build "$LAB" >/dev/null 2>&1; [ $? -eq 2 ] && pass || fail "build without -o: expected exit 2"
# a missing or extra argument is named as such, per command (exit 2)
for c in "check:topology file" "show:topology file" "build:topology file" "diff:bundle directory"; do
	"$G" "${c%%:*}" >"$TMP/out" 2>"$TMP/err"
	[ $? -eq 2 ] && grep -q "^fabric-gen: ${c%%:*}: ${c#*:} missing; usage: fabric-gen ${c%%:*} " "$TMP/err" &&
		! grep -q unknown "$TMP/err" && pass || fail "${c%%:*} without arguments: $(cat "$TMP/err")"
done
"$G" diff "$TMP" >/dev/null 2>"$TMP/err"; [ $? -eq 2 ] && grep -q 'diff: bundle directory missing' "$TMP/err" &&
	pass || fail "diff with one directory: $(cat "$TMP/err")"
"$G" check "$LAB" extra.yaml >/dev/null 2>"$TMP/err"; [ $? -eq 2 ] && grep -q "check: unexpected argument 'extra.yaml'" "$TMP/err" &&
	pass || fail "check with two files: $(cat "$TMP/err")"
"$G" frobnicate x 2>&1 | grep -q "unknown command 'frobnicate'" && pass || fail "unknown command message"
"$G" --help | grep -q '^Usage: fabric-gen' && pass || fail "--help"
"$G" --version | grep -q '^fabric-gen [0-9]' && pass || fail "--version"
"$G" check "$TMP/missing.yaml" 2>"$TMP/err"; [ $? -eq 1 ] && grep -q 'missing.yaml: cannot open' "$TMP/err" &&
	pass || fail "missing file: expected exit 1 and a message"

# every program keeps the same conventions: --help and --version exit 0 on
# stdout, an unknown option is a usage error (2) with a message on stderr
for p in fabric-gen capacity-report fabric-lab fabricd/fabricd fabricd/fabricctl; do
	b="$top_builddir/$p" n=${p#*/}
	"$b" --help >"$TMP/out" 2>"$TMP/err" && grep -q "^Usage: $n" "$TMP/out" && [ ! -s "$TMP/err" ] &&
		pass || fail "$n --help: usage on stdout, exit 0"
	"$b" --version >"$TMP/out" 2>&1 && grep -qx "$n [0-9][0-9.]*" "$TMP/out" &&
		pass || fail "$n --version: '$(cat "$TMP/out")'"
	"$b" --no-such-option >"$TMP/out" 2>"$TMP/err"
	rc=$?
	[ $rc -eq 2 ] && [ -s "$TMP/err" ] && [ ! -s "$TMP/out" ] &&
		pass || fail "$n --no-such-option: exit $rc, expected 2 with a message on stderr only"
done

# check / show, text and JSON agree on the counts
"$G" check "$LAB" | grep -q 'ok: lab-small, 10 nodes (6 switches, 4 servers), 16 links' &&
	pass || fail "check summary"
"$G" show --json "$LAB" >"$TMP/show.json" || fail "show --json"
/usr/bin/python3 - "$TMP/show.json" <<'PY' && pass || fail "show --json content"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["nodes"] == 10 and s["switches"] == 6 and s["servers"] == 4, s
assert [t["name"] for t in s["tiers"]] == ["tor", "spine"]
assert s["tiers"][0]["oversubscription"] == 1.0
assert s["links"]["total"] == 16 and s["links"]["bySpeed"] == {"10G": 16}
assert s["addresses"]["loopbacks"]["used"] == 6
tor, spine = s["tiers"]
# "nodes" is the tier's total, "perScope" the topology's count; no "count"
assert (tor["nodes"], tor["perScope"], spine["nodes"], spine["perScope"]) == (4, 2, 2, 2), s
assert "count" not in tor and "count" not in spine
assert tor["top"] is False and tor["serversBelow"] == 2
assert spine["top"] is True and spine["serversBelow"] == 4 and spine["oversubscription"] is None
PY
# text: the header names the total 'nodes'; a tier reaching every server is
# 'top', never a down:up ratio of its uplinks that only lead out
"$G" show "$top_srcdir/examples/line-2pod.yaml" >"$TMP/show.txt" || fail "show line-2pod"
grep -q '^  tier  *role  *model  *scope  *nodes  *down Gb/s' "$TMP/show.txt" && ! grep -q ' count ' "$TMP/show.txt" &&
	pass || fail "show header: $(sed -n 3p "$TMP/show.txt")"
grep -q '^  spine .* 80 .*  top (reaches every server)$' "$TMP/show.txt" && grep -q '^  leaf .* 144 .*  1.00:1$' "$TMP/show.txt" &&
	! grep -q '36.00:1' "$TMP/show.txt" && pass || fail "show line-2pod tiers: $(cat "$TMP/show.txt")"

# --only builds a subset; the manifest lists exactly it
"$G" build -q "$LAB" -o "$TMP/only" --only 'spine*' || fail "--only build"
[ "$(ls "$TMP/only/nodes")" = "$(printf 'spine01\nspine02')" ] && pass || fail "--only: wrong nodes: $(ls "$TMP/only/nodes")"
[ "$(grep -c '"name"' "$TMP/only/manifest.json")" -eq 2 ] && pass || fail "--only: manifest"
"$G" build -q "$LAB" -o "$TMP/none" --only 'nomatch*' 2>"$TMP/err"
[ $? -eq 1 ] && grep -q "matches no node" "$TMP/err" && [ ! -e "$TMP/none" ] && pass || fail "--only with no match"

# --dry-run writes nothing
"$G" build -q -n "$LAB" -o "$TMP/dry" && [ ! -e "$TMP/dry" ] && pass || fail "--dry-run wrote output"

# diff: a BFD change touches every node; an override touches only its node
"$G" build -q "$LAB" -o "$TMP/a" || fail "build a"
sed 's/interval-ms: 300/interval-ms: 200/' "$LAB" >"$TMP/bfd.yaml"
"$G" build -q "$TMP/bfd.yaml" -o "$TMP/b" || fail "build b"
"$G" diff --json "$TMP/a" "$TMP/b" >"$TMP/d.json"
/usr/bin/python3 -c "
import json; d = json.load(open('$TMP/d.json'))
assert len(d['changed']) == 10 and d['unchanged'] == 0 and not d['added'] and not d['removed'], d" &&
	pass || fail "diff after a BFD change"
{ cat "$LAB"; printf 'overrides:\n  - match: spine02\n    bfd: {interval-ms: 100}\n'; } >"$TMP/ovr.yaml"
"$G" build -q "$TMP/ovr.yaml" -o "$TMP/c" || fail "build c"
"$G" diff "$TMP/a" "$TMP/c" >"$TMP/d.txt"
grep -q '^~ spine02 (spine)$' "$TMP/d.txt" && grep -q '0 added, 0 removed, 1 changed, 9 unchanged' "$TMP/d.txt" &&
	pass || fail "diff after an override: $(cat "$TMP/d.txt")"
grep -q '"intervalMs": 100,' "$TMP/c/nodes/spine02/node.json" && ! grep -q '"intervalMs": 100,' "$TMP/c/nodes/spine01/node.json" &&
	pass || fail "override applied to the wrong nodes"
"$G" diff --exit-code "$TMP/a" "$TMP/c" >/dev/null; [ $? -eq 1 ] && pass || fail "diff --exit-code"
"$G" diff "$TMP/a" "$TMP/nowhere" 2>"$TMP/err"; [ $? -eq 1 ] && grep -q "$TMP/nowhere: no such directory" "$TMP/err" &&
	pass || fail "diff of a missing bundle: $(cat "$TMP/err")"
"$G" diff "$TMP/nowhere" "$TMP/a" 2>"$TMP/err"; [ $? -eq 1 ] && grep -q "$TMP/nowhere: no such directory" "$TMP/err" &&
	pass || fail "diff from a missing bundle: $(cat "$TMP/err")"

# output safety: an existing -o DIR is replaced only when it is empty or a
# bundle; anything else needs --force; a DIR holding the input, never
W="$TMP/work"
mkdir "$W" && cp "$LAB" "$W/topo.yaml" && echo keep >"$W/notes.txt"
same_work() { [ "$(ls "$W")" = "$(printf 'notes.txt\ntopo.yaml')" ] && cmp -s "$LAB" "$W/topo.yaml"; }
for o in "$W" "$W/" "$W/." "$W/topo.yaml" "$TMP"; do
	for f in "" --force; do
		"$G" build -q "$W/topo.yaml" -o "$o" $f 2>"$TMP/err"
		[ $? -eq 1 ] && grep -q "^fabric-gen: $o: \(contains\|is\) the input $W/topo.yaml; .*not even with --force" "$TMP/err" &&
			same_work && pass || fail "-o $o $f: input directory not refused or touched: $(cat "$TMP/err"); $(ls "$W")"
	done
done
(cd "$W" && "$G" build -q topo.yaml -o . --force 2>"$TMP/err"); [ $? -eq 1 ] && same_work &&
	pass || fail "-o . beside the input: $(cat "$TMP/err")"
"$G" build -q "$W/topo.yaml" -o "$W" --only 'spine*' --force 2>/dev/null; [ $? -eq 1 ] && same_work &&
	pass || fail "--only build into the input directory"
mkdir "$TMP/mine" && echo keep >"$TMP/mine/notes.txt"
for only in "" "--only=spine*"; do
	"$G" build -q "$LAB" -o "$TMP/mine" $only 2>"$TMP/err"
	[ $? -eq 1 ] && grep -q "^fabric-gen: $TMP/mine: not empty and not a closkit bundle (no manifest.json).*--force" "$TMP/err" &&
		[ "$(ls "$TMP/mine")" = notes.txt ] && pass || fail "non-bundle -o $only: $(cat "$TMP/err")"
done
"$G" build -q "$LAB" -o "$TMP/mine" --force && [ ! -e "$TMP/mine/notes.txt" ] && [ -s "$TMP/mine/manifest.json" ] &&
	pass || fail "--force did not replace a non-bundle directory"
"$G" build -q "$LAB" -o "$TMP/mine" --only 'spine*' && "$G" build -q "$LAB" -o "$TMP/mine" &&
	[ -d "$TMP/mine/nodes/pod1-r001-tor1" ] && pass || fail "a bundle (or an --only bundle) is replaced without --force"
mkdir "$TMP/empty" && "$G" build -q "$LAB" -o "$TMP/empty" && pass || fail "an empty directory is replaced"
echo keep >"$TMP/mine/README"
"$G" build -q "$LAB" -o "$TMP/mine" 2>"$TMP/err"; [ $? -eq 1 ] && grep -q "it holds 'README', which fabric-gen did not write" "$TMP/err" &&
	[ -e "$TMP/mine/README" ] && pass || fail "bundle with a foreign file: $(cat "$TMP/err")"
rm "$TMP/mine/README" && mkdir "$TMP/mine/nodes/old-switch"
"$G" build -q "$LAB" -o "$TMP/mine" 2>"$TMP/err"; [ $? -eq 1 ] && grep -q "it holds 'nodes/old-switch', which its manifest.json does not list" "$TMP/err" &&
	pass || fail "bundle with an unlisted node: $(cat "$TMP/err")"
rmdir "$TMP/mine/nodes/old-switch"
# ... nor a file of the operator's inside a node's directory
echo "my notes" >"$TMP/mine/nodes/spine01/notes.txt"
"$G" build -q "$LAB" -o "$TMP/mine" 2>"$TMP/err"; [ $? -eq 1 ] && grep -q "it holds 'nodes/spine01/notes.txt', which fabric-gen did not write" "$TMP/err" &&
	[ "$(cat "$TMP/mine/nodes/spine01/notes.txt")" = "my notes" ] && pass || fail "a foreign file in nodes/NAME/: $(cat "$TMP/err")"
rm "$TMP/mine/nodes/spine01/notes.txt" && echo '{"nodes": []}' >"$TMP/mine/manifest.json"
"$G" build -q "$LAB" -o "$TMP/mine" 2>"$TMP/err"; [ $? -eq 1 ] && grep -q "manifest.json: not a closkit manifest (no 'fabric' name)" "$TMP/err" &&
	pass || fail "a look-alike manifest: $(cat "$TMP/err")"
(cd "$W" && "$G" build -q topo.yaml -o "" --force 2>"$TMP/err"); [ $? -eq 1 ] && grep -q "empty string" "$TMP/err" && same_work &&
	pass || fail "-o '': $(cat "$TMP/err")"
"$G" build -q "$LAB" -o "$TMP/mine/manifest.json" 2>"$TMP/err"; [ $? -eq 1 ] && grep -q "exists and is not a directory" "$TMP/err" &&
	pass || fail "-o a file: $(cat "$TMP/err")"

# -o creates missing parents (the README's first command, on a fresh clone);
# a build that fails or writes nothing leaves no parent behind
mkdir "$TMP/clone" && (cd "$TMP/clone" && "$G" build -q "$LAB" -o out/lab-small) &&
	[ -s "$TMP/clone/out/lab-small/manifest.json" ] && pass || fail "-o with a missing parent"
"$G" build -q "$LAB" -o "$TMP/p1/p2/out" --only 'nomatch*' 2>/dev/null; [ $? -eq 1 ] && [ ! -e "$TMP/p1" ] &&
	pass || fail "a failed build left the parents it created"
"$G" build -q -n "$LAB" -o "$TMP/p3/out" && [ ! -e "$TMP/p3" ] && pass || fail "--dry-run created parents"

# --templates: a customised copy is used; a broken one is refused cleanly
cp -r "$top_srcdir/templates" "$TMP/tpl"
sed -i 's/^log syslog informational$/log syslog warnings/' "$TMP/tpl/frr-switch.conf.mustache"
"$G" build -q "$LAB" -o "$TMP/t" --templates "$TMP/tpl" &&
	grep -q '^log syslog warnings$' "$TMP/t/nodes/spine01/frr.conf" &&
	grep -q '^log syslog informational$' "$TMP/t/nodes/pod1-r001-s01/frr.conf" &&
	pass || fail "--templates not used"
printf '{{#upper}}\n' >>"$TMP/tpl/frr-switch.conf.mustache"
"$G" build -q "$LAB" -o "$TMP/t2" --templates "$TMP/tpl" 2>"$TMP/err"
[ $? -eq 1 ] && grep -q 'frr-switch.conf.mustache:' "$TMP/err" && [ ! -e "$TMP/t2" ] &&
	pass || fail "broken template: $(cat "$TMP/err")"
cp "$top_srcdir/templates/frr-switch.conf.mustache" "$TMP/tpl/"
printf '{{neighbour}}\n' >>"$TMP/tpl/frr-switch.conf.mustache"
"$G" build -q "$LAB" -o "$TMP/t3" --templates "$TMP/tpl" 2>"$TMP/err"
[ $? -eq 1 ] && grep -q 'neighbour' "$TMP/err" && pass || fail "unknown template key not reported: $(cat "$TMP/err")"
rm "$TMP/tpl/frr-server.conf.mustache"
"$G" build -q "$LAB" -o "$TMP/t4" --templates "$TMP/tpl" 2>"$TMP/err"
[ $? -eq 1 ] && grep -q "frr-server.conf.mustache' is missing" "$TMP/err" && pass || fail "missing template"

# static host routing: no BGP on the server, static /32 + proxy ARP on ToRs
"$G" build -q "$top_srcdir/tests/data/lab-static.yaml" -o "$TMP/s" || fail "static build"
! grep -q 'router bgp' "$TMP/s/nodes/pod1-r001-s01/frr.conf" &&
	grep -q '^ip route 0.0.0.0/0 eth0$' "$TMP/s/nodes/pod1-r001-s01/frr.conf" &&
	pass || fail "static server config"
grep -q '^ip route 10.1.0.1/32 swp1$' "$TMP/s/nodes/pod1-r001-tor1/frr.conf" &&
	grep -q 'redistribute static route-map CK-STATIC-SERVERS' "$TMP/s/nodes/pod1-r001-tor1/frr.conf" &&
	grep -q '"proxyArp": true' "$TMP/s/nodes/pod1-r001-tor1/node.json" &&
	pass || fail "static ToR config"
grep -q 'router bgp' "$TMP/s/nodes/pod1-r002-s02/frr.conf" &&
	grep -q 'neighbor swp2 interface peer-group SERVERS' "$TMP/s/nodes/pod1-r002-tor1/frr.conf" &&
	pass || fail "mixed rack: the bgp server keeps its session"
for n in pod1-r001-s01 pod1-r001-tor1 pod1-r002-tor1; do
	${VTYSH:-vtysh} --dryrun -f "$TMP/s/nodes/$n/frr.conf" >/dev/null 2>&1 && pass || fail "static: vtysh --dryrun $n"
done

# dual-stack: the IPv6 twin of static host routing, and of default-originate
sed 's|^  servers: 10.1.0.0/24.*|&\n  loopbacks6: fd00:0:255::/64\n  servers6: fd00:0:1::/64|' \
	"$top_srcdir/tests/data/lab-static.yaml" >"$TMP/static6.yaml"
"$G" build -q "$TMP/static6.yaml" -o "$TMP/s6" || fail "static dual-stack build"
grep -q '^ip route 0.0.0.0/0 eth0$' "$TMP/s6/nodes/pod1-r001-s01/frr.conf" &&
	grep -q '^ipv6 route ::/0 eth0$' "$TMP/s6/nodes/pod1-r001-s01/frr.conf" &&
	grep -q '^ipv6 route ::/0 eth1$' "$TMP/s6/nodes/pod1-r001-s01/frr.conf" &&
	pass || fail "static dual-stack server: an IPv6 default over every uplink"
grep -q '^ipv6 route fd00:0:1::1/128 swp1$' "$TMP/s6/nodes/pod1-r001-tor1/frr.conf" &&
	grep -A1 '^route-map CK-STATIC-SERVERS permit 20$' "$TMP/s6/nodes/pod1-r001-tor1/frr.conf" |
	grep -q 'match ipv6 address prefix-list CK-RACK' &&
	pass || fail "static dual-stack ToR: static /128 redistributed through CK-RACK"
for n in pod1-r001-s01 pod1-r001-tor1 pod1-r002-s02; do
	${VTYSH:-vtysh} --dryrun -f "$TMP/s6/nodes/$n/frr.conf" >/dev/null 2>&1 && pass || fail "static dual-stack: vtysh --dryrun $n"
done
sed 's|^  servers: 10.0.0.0/16.*|&\n  loopbacks6: 2001:db8:ff::/64\n  servers6: 2001:db8::/56|' \
	"$top_srcdir/examples/line-2pod.yaml" >"$TMP/line6.yaml"
"$G" build -q "$TMP/line6.yaml" -o "$TMP/l6" || fail "line-2pod dual-stack build"
b=$(grep -l '"role": "border"' "$TMP"/l6/nodes/*/node.json | head -1)
b=$(dirname "$b")
[ "$(grep -c '^  neighbor LOWER default-originate$' "$b/frr.conf")" -eq 2 ] &&
	pass || fail "dual-stack border: default-originate in both families"
sp="$TMP/l6/nodes/$(ls "$TMP/l6/nodes" | grep -m1 spine)/frr.conf"
[ "$(grep -c '^ip prefix-list CK-BELOW' "$sp")" -eq "$(grep -c '^ipv6 prefix-list CK-BELOW' "$sp")" ] &&
	grep -q '^ipv6 prefix-list CK-BELOW seq 10 permit 2001:db8:ff::' "$sp" &&
	pass || fail "dual-stack spine: CK-BELOW mirrors the IPv4 list"

# an mtu override applies per cable, both ends; the later override wins
{ cat "$LAB"; printf 'overrides:\n  - {match: "spine*", mtu: 1500}\n  - {match: pod1-r001-tor1, mtu: 4000}\n'; } >"$TMP/mtu.yaml"
"$G" build -q "$TMP/mtu.yaml" -o "$TMP/mtu" 2>"$TMP/err" || fail "mtu override refused: $(cat "$TMP/err")"
ifmtu() { jq -r --arg p "$2" '.interfaces[] | select(.peer.node == $p) | .mtu' "$TMP/mtu/nodes/$1/node.json" | sort -u | tr '\n' ' '; }
[ "$(ifmtu spine01 pod1-r002-tor1)" = "1500 " ] && [ "$(ifmtu pod1-r002-tor1 spine01)" = "1500 " ] &&
	[ "$(ifmtu pod1-r002-tor1 pod1-r002-s01)" = "9000 " ] && [ "$(ifmtu pod1-r002-s01 pod1-r002-tor1)" = "9000 " ] &&
	[ "$(ifmtu pod1-r001-tor1 spine01)" = "4000 " ] && [ "$(ifmtu spine01 pod1-r001-tor1)" = "4000 " ] &&
	[ "$(ifmtu pod1-r001-s01 pod1-r001-tor1)" = "4000 " ] && pass ||
	fail "per-cable MTU: spine01-tor $(ifmtu spine01 pod1-r002-tor1), tor-spine $(ifmtu pod1-r002-tor1 spine01), tor-server $(ifmtu pod1-r002-tor1 pod1-r002-s01), r001 $(ifmtu pod1-r001-tor1 spine01)/$(ifmtu spine01 pod1-r001-tor1)"
finish
