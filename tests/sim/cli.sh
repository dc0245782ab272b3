#!/bin/sh
# capacity-report as a user meets it: help, version, exit codes, the text
# verdict, the JSON keys, --links-out/--flows-out formats, the HTML file,
# failures, shards, the dynamic table, reproducibility.
. "$(dirname "$0")/lib.sh"

# usage and exit codes
expect_exit 0 "--help" "$CR" --help
expect_grep "--traffic" "$TMP/out" "--help lists options"
expect_exit 0 "--version" "$CR" --version
expect_grep "^capacity-report [0-9]" "$TMP/out" "--version"
expect_exit 2 "no topology" "$CR"
expect_exit 2 "two topologies" "$CR" a.yaml b.yaml
expect_exit 2 "unknown option" "$CR" --bogus "$EX/lab-small.yaml"
expect_exit 2 "unknown mode" "$CR" --mode fast "$EX/lab-small.yaml"
expect_grep "spray, ecmp or ecmp-unsalted" "$TMP/err" "unknown mode message"
expect_exit 2 "unknown pattern" "$CR" -t shuffle "$EX/lab-small.yaml"
expect_grep "permutation, stride:K" "$TMP/err" "unknown pattern lists patterns"
expect_exit 2 "bad stride" "$CR" -t stride:x "$EX/lab-small.yaml"
expect_exit 2 "bad shard" "$CR" --shard 3/2 "$EX/lab-small.yaml"
expect_exit 2 "bad load" "$CR" --load 1.5 "$EX/lab-small.yaml"
expect_exit 2 "bad flows-per-pair" "$CR" --flows-per-pair 0 "$EX/lab-small.yaml"
expect_exit 2 "flows-out without single path" "$CR" -m spray --flows-out "$TMP/f" "$EX/lab-small.yaml"
expect_exit 1 "missing topology" "$CR" "$TMP/nonexistent.yaml"
expect_grep "nonexistent.yaml" "$TMP/err" "missing topology names the file"
expect_exit 1 "unknown failed node" "$CR" --fail node:nosuch "$EX/lab-small.yaml"
expect_grep "no node 'nosuch'" "$TMP/err" "unknown node message"
expect_exit 1 "unknown failed port" "$CR" --fail link:pod1-r001-tor1:swp99 "$EX/lab-small.yaml"
expect_grep "no cabled port 'swp99'" "$TMP/err" "unknown port message"
expect_exit 1 "too many random failures" "$CR" --fail random:spine:3 "$EX/lab-small.yaml"
expect_exit 1 "stride of all servers" "$CR" -t stride:8 "$EX/lab-small.yaml"
expect_exit 1 "unreadable links-out" "$CR" --links-out /nonexistent/dir/l "$EX/lab-small.yaml"

# the text verdict
expect_exit 0 "leaf-spine report" "$CR" -q "$EX/leaf-spine.yaml"
expect_grep "^non-blocking: yes" "$TMP/out" "leaf-spine is non-blocking"
expect_grep "^permutation  *384  *100% " "$TMP/out" "permutation row"
expect_exit 0 "2:1 report" "$CR" -q "$SIMD/two-to-one.yaml"
expect_grep "^non-blocking: no (spray carried only 50.0%" "$TMP/out" "2:1 is blocking"
expect_grep "^tor .* 2.00:1" "$TMP/out" "2:1 tier ratio"

# JSON: stable keys, the same verdict
"$CR" -q --json --n-plus-one --dynamic --dyn-flows 200 "$EX/lab-small.yaml" >"$TMP/r.json" 2>"$TMP/err" || fail "json run: $(cat "$TMP/err")"
if $PY - "$TMP/r.json" <<'PYEOF'; then pass; else fail "JSON keys"; fi
import json, sys
r = json.load(open(sys.argv[1]))
for k in ("fabric", "topology", "servers", "switches", "seed", "flowsPerPair",
          "modes", "failures", "tiers", "patterns", "bisection", "verdict",
          "nPlusOne", "dynamic", "seconds"):
    assert k in r, k
assert r["verdict"]["nonBlocking"] is True
m = r["patterns"][0]["modes"][0]
for k in ("mode", "offeredGbps", "achievedGbps", "fraction", "unroutable",
          "placeSeconds", "solveSeconds", "links", "mostSaturated"):
    assert k in m, k
for k in ("links", "count", "saturated", "mean", "min", "p50", "p90", "max",
          "histogram"):
    assert k in m["links"][0], k
for k in ("tier", "switches", "tried", "modes"):
    assert k in r["nPlusOne"]["tiers"][0], k
assert [b["bucket"] for b in r["dynamic"]["buckets"]] == ["small", "medium", "large", "all"]
PYEOF

# --links-out / --flows-out: the formats the issue fixes, consistent paths
"$CR" -q -m ecmp -t all-to-all:3 --flows-per-pair 2 --links-out "$TMP/l" --flows-out "$TMP/f" "$EX/lab-small.yaml" >/dev/null 2>"$TMP/err" || fail "dump run: $(cat "$TMP/err")"
if $PY - "$TMP/l" "$TMP/f" <<'PYEOF'; then pass; else fail "links/flows files"; fi
import json, sys
links = [json.loads(l) for l in open(sys.argv[1])]
flows = [json.loads(l) for l in open(sys.argv[2])]
assert len(links) == 2 * 16, len(links)          # 16 cables, 2 directions
by = {}
for l in links:
    assert sorted(l) == ["capacityBps", "from", "id", "to"], l
    assert l["capacityBps"] == 10e9
    by[l["id"]] = l
assert len(by) == len(links)
assert len(flows) == 4 * 3 * 2, len(flows)
for f in flows:
    assert sorted(f) == ["demandBps", "dst", "path", "rateBps", "src"], f
    assert 0 < f["rateBps"] <= f["demandBps"] * (1 + 1e-12)
    node = f["src"]
    for lid in f["path"]:
        assert by[lid]["from"] == node, (f, lid)
        node = by[lid]["to"]
    assert node == f["dst"]
PYEOF

# HTML: one self-contained file with SVG charts
"$CR" -q --n-plus-one --dynamic --dyn-flows 200 --html "$TMP/r.html" "$EX/leaf-spine.yaml" >/dev/null 2>"$TMP/err" || fail "html run: $(cat "$TMP/err")"
expect_grep "<svg" "$TMP/r.html" "HTML has SVG"
expect_grep "non-blocking: yes" "$TMP/r.html" "HTML verdict"
expect_grep "Failure impact" "$TMP/r.html" "HTML N+1 chart"
expect_grep "slowdown" "$TMP/r.html" "HTML FCT chart"
if grep -q -i -e "<script" -e "src=" -e "@import" -e "url(" "$TMP/r.html"; then
	fail "HTML pulls in external resources"
else pass; fi

# failures and shards in the text
"$CR" -q -t rack-to-rack --fail node:spine02 --fail link:pod1-r001-s01:eth0 "$EX/lab-small.yaml" >"$TMP/out" 2>&1 || fail "failure run"
expect_grep "^failed: node spine02" "$TMP/out" "failed node listed"
expect_grep "link pod1-r001-s01:eth0" "$TMP/out" "failed link listed"
for sh in 1/2 2/2; do
	"$CR" -q --no-verdict --n-plus-one --shard "$sh" --json "$EX/leaf-spine.yaml" >"$TMP/s$(echo "$sh" | tr / _).json" 2>&1 || fail "shard $sh"
done
if $PY - "$TMP/s1_2.json" "$TMP/s2_2.json" <<'PYEOF'; then pass; else fail "shards partition the sweep"; fi
import json, sys
a, b = (json.load(open(p))["nPlusOne"] for p in sys.argv[1:])
assert (a["shard"], b["shard"], a["shards"]) == (1, 2, 2)
tried = [x["tried"] + y["tried"] for x, y in zip(a["tiers"], b["tiers"])]
assert tried == [t["switches"] for t in a["tiers"]] == [32, 6], tried
PYEOF

# --merge: shards of an array job make the unsharded sweep
for i in 1 2 3; do
	"$CR" -q --json --no-verdict -t permutation --n-plus-one --shard "$i/3" "$EX/leaf-spine.yaml" >"$TMP/m$i.json" || fail "shard $i/3"
done
"$CR" -q --json --no-verdict -t permutation --n-plus-one "$EX/leaf-spine.yaml" >"$TMP/m0.json" || fail "unsharded sweep"
"$CR" --merge --json "$TMP/m3.json" "$TMP/m1.json" "$TMP/m2.json" >"$TMP/merged.json" 2>"$TMP/err" || fail "merge: $(cat "$TMP/err")"
if $PY - "$TMP/m0.json" "$TMP/merged.json" <<'PYEOF'; then pass; else fail "merged shards differ from the unsharded sweep"; fi
import json, sys
a, b = (json.load(open(p))["nPlusOne"]["tiers"] for p in sys.argv[1:])
assert a == b, (a, b)
PYEOF
"$CR" --merge "$TMP/m1.json" "$TMP/m2.json" "$TMP/m3.json" >"$TMP/out" 2>&1 || fail "merge text"
expect_grep "^N+1 (permutation; worst single switch per tier; shard 1/1)" "$TMP/out" "merged text header (as unsharded)"
expect_exit 1 "merge with a shard twice" "$CR" --merge "$TMP/m1.json" "$TMP/m1.json" "$TMP/m3.json"
expect_grep "distinct shards" "$TMP/err" "merge duplicate message"
expect_exit 1 "merge a missing file" "$CR" --merge "$TMP/nonexistent.json"
expect_exit 2 "merge nothing" "$CR" --merge

# dynamic table, file traffic, reproducibility
"$CR" -q --no-verdict --dynamic --dyn-flows 300 --warmup 0 --sizes datamining "$EX/lab-small.yaml" >"$TMP/out" 2>&1 || fail "dynamic run"
expect_grep "^dynamic (datamining sizes, load 0.50, ecmp, 300 flows" "$TMP/out" "dynamic header"
expect_grep "^all  *300 " "$TMP/out" "dynamic all bucket"
printf 'src,dst\npod1-r001-s01,pod1-r002-s01\npod1-r001-s02,pod1-r002-s01\n' >"$TMP/t.csv"
"$CR" -q --no-verdict -t "file:$TMP/t.csv" "$EX/lab-small.yaml" >"$TMP/out" 2>&1 || fail "file traffic"
expect_grep "^file:.* 2  *100% " "$TMP/out" "file traffic row"
# a traffic file that asks for more than 10^7 flows is refused before any
# flow is made (200 pairs x 100000 flows = 2*10^7)
{ echo src,dst,flows; for i in $(seq 200); do echo pod1-r001-s01,pod1-r002-s01,100000; done; } >"$TMP/big.csv"
expect_exit 1 "traffic file over 10^7 flows" "$CR" -q -t "file:$TMP/big.csv" "$EX/lab-small.yaml"
"$CR" -q -t "file:$TMP/big.csv" "$EX/lab-small.yaml" 2>"$TMP/err" >/dev/null
expect_grep "big.csv" "$TMP/err" "flow cap message names the file"
for i in 1 2; do
	"$CR" -q --json -s 7 "$EX/leaf-spine.yaml" | grep -v -e Seconds -e '"seconds"' >"$TMP/d$i"
done
if cmp -s "$TMP/d1" "$TMP/d2"; then pass; else fail "same seed, different report"; fi
"$CR" -q --json -s 8 "$EX/leaf-spine.yaml" | grep -v -e Seconds -e '"seconds"' >"$TMP/d3"
if cmp -s "$TMP/d1" "$TMP/d3"; then fail "seed changes nothing"; else pass; fi

# An output path that is a device or a FIFO (/dev/null, a pipe) takes the
# bytes where it is: a rename over it would leave a regular file where
# /dev/null was. Tried on FIFOs of our own, never on /dev/null itself.
for opt in --links-out --html; do
	mkfifo "$TMP/fifo"
	timeout 60 cat "$TMP/fifo" >"$TMP/fifo.out" &	# bounded: nobody may ever open it
	reader=$!
	"$CR" -q $opt "$TMP/fifo" "$EX/lab-small.yaml" >/dev/null 2>"$TMP/err" || fail "$opt to a FIFO: $(cat "$TMP/err")"
	wait $reader
	[ -p "$TMP/fifo" ] && pass || fail "$opt replaced the FIFO with a file"
	[ -s "$TMP/fifo.out" ] && pass || fail "$opt wrote nothing into the FIFO"
	ls "$TMP" | grep -q -e '\.part-' -e '\.tmp\.' && fail "$opt left a scratch file" || pass
	rm -f "$TMP/fifo" "$TMP/fifo.out"
done

finish
