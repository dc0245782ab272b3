#!/bin/sh
# capacity-report --dynamic as a planner runs it: the warm-up and what the
# figures rest on, the steady-state check, --dyn-until, --dyn-flows-out
# next to --links-out (paths, sizes, caps, FCTs), unroutable flows, the
# full engine giving the same slowdowns, and the errors.
. "$(dirname "$0")/lib.sh"

py() {	# DESCRIPTION SCRIPT ARGS...: the script asserts
	_what=$1 _script=$2
	shift 2
	if $PY -c "$_script" "$@" 2>"$TMP/pyerr"; then pass; else
		fail "$_what: $(tail -n 3 "$TMP/pyerr")"
	fi
}

DYN="-q --no-verdict -m ecmp -t permutation --dynamic"

# errors: usage, nothing written
expect_exit 2 "--warmup 1" "$CR" $DYN --warmup 1 "$EX/lab-small.yaml"
expect_grep "--warmup '1': expected a fraction in \[0, 1)" "$TMP/err" "--warmup range"
expect_exit 2 "--warmup -0.1" "$CR" $DYN --warmup -0.1 "$EX/lab-small.yaml"
expect_exit 2 "--dyn-engine bogus" "$CR" $DYN --dyn-engine bogus "$EX/lab-small.yaml"
expect_grep "expected incremental or full" "$TMP/err" "--dyn-engine message"
expect_exit 2 "--load 0" "$CR" $DYN --load 0 "$EX/lab-small.yaml"
expect_grep "--load '0': expected a number in (0, 1\]" "$TMP/err" "--load 0 message"
expect_exit 2 "--load 1.5" "$CR" $DYN --load 1.5 "$EX/lab-small.yaml"
expect_grep "--load '1.5': expected a number in (0, 1\]" "$TMP/err" "--load 1.5 message"
# a size CDF that goes back: file:line, what is wrong, what to do; nothing written
printf '# size prob\n1000 0.2\n500 0.5\n2000 1\n' >"$TMP/back.cdf"
expect_exit 1 "CDF not monotone" "$CR" $DYN --sizes "$TMP/back.cdf" \
	--dyn-flows-out "$TMP/never-cdf" "$EX/lab-small.yaml"
expect_grep "back.cdf:3:1: sizes and probabilities must not decrease" "$TMP/err" "CDF size going back"
expect_grep "sort the lines by size" "$TMP/err" "CDF fix said"
[ ! -e "$TMP/never-cdf" ] && pass || fail "--dyn-flows-out written for a bad CDF"
printf '1000 0.5\n2000 0.4\n3000 1\n' >"$TMP/pback.cdf"
expect_exit 1 "CDF probability going back" "$CR" $DYN --sizes "$TMP/pback.cdf" "$EX/lab-small.yaml"
expect_grep "pback.cdf:2:6: sizes and probabilities must not decrease" "$TMP/err" "CDF probability going back message"
expect_exit 2 "--dyn-until 0" "$CR" $DYN --dyn-until 0 "$EX/lab-small.yaml"
expect_exit 2 "--dyn-flows-out without --dynamic" "$CR" -q --dyn-flows-out "$TMP/never" "$EX/lab-small.yaml"
expect_grep "needs --dynamic" "$TMP/err" "--dyn-flows-out message"
[ ! -e "$TMP/never" ] && pass || fail "--dyn-flows-out written on a usage error"
# a run no machine here can hold is refused before it starts, with the
# figure (over a billion flows at 200 bytes or more each)
expect_exit 1 "too many flows" "$CR" $DYN --dyn-until 100000000 --warmup 0.9 \
	--dyn-flows-out "$TMP/never" "$EX/line-2pod.yaml"
expect_grep "dynamic flows would need at least [0-9.]* GB of memory and this machine has [0-9.]* GB; lower --dyn-flows or --dyn-until" "$TMP/err" "memory refusal"
[ ! -e "$TMP/never" ] && pass || fail "--dyn-flows-out written on a refused run"
# a failed run leaves earlier dumps as they were (written beside, then
# renamed only on success), and no part file behind
echo earlier >"$TMP/keep-links"
echo earlier >"$TMP/keep-flows"
expect_exit 1 "failed run with dumps" "$CR" $DYN --fail node:nosuch \
	--links-out "$TMP/keep-links" --dyn-flows-out "$TMP/keep-flows" "$EX/lab-small.yaml"
[ "$(cat "$TMP/keep-links" "$TMP/keep-flows")" = "earlier
earlier" ] && pass || fail "a failed run changed earlier dump files"
ls "$TMP"/keep-*.part-* >/dev/null 2>&1 && fail "part files left behind" || pass
# the flows of one run only: not with a sweep or several loads
expect_exit 2 "--dyn-flows-out with --sweep" "$CR" $DYN --sweep seeds=1-2 \
	--dyn-flows-out "$TMP/never" "$EX/lab-small.yaml"
expect_grep "writes the flows of one run" "$TMP/err" "--dyn-flows-out with --sweep message"
# warm-up and --dyn-until: each refusal says what is wrong with what
expect_exit 1 "--dyn-until too large for the warm-up" "$CR" $DYN --dyn-until 100000000 \
	--warmup 0.99 "$EX/lab-small.yaml"
expect_grep "plans [0-9]* flows (warm-up, measured, tail); at most 2147483647: lower --dyn-until or --warmup" "$TMP/err" "--dyn-until limit message"

# --dyn-flows-out and --links-out in one --dynamic run: every path walks
# from src to dst over listed links; whole bytes; the server's cap; an FCT
# no shorter than alone at that cap; the warm-up split as reported
"$CR" $DYN --json --dyn-flows 600 --load 0.7 --links-out "$TMP/l" \
	--dyn-flows-out "$TMP/f" "$EX/leaf-spine.yaml" >"$TMP/r.json" 2>"$TMP/err" || fail "dump run: $(cat "$TMP/err")"
py "dynamic flows file" '
import json, sys
links = {l["id"]: l for l in map(json.loads, open(sys.argv[1]))}
flows = [json.loads(l) for l in open(sys.argv[2])]
d = json.load(open(sys.argv[3]))["dynamic"]
assert len(flows) == d["flows"] == 600, len(flows)
for f in flows:
    assert sorted(f) == ["arriveS", "bytes", "capBps", "dst", "fctS", "path", "src"], f
    assert f["bytes"] == int(f["bytes"]) and f["bytes"] >= 1
    assert f["capBps"] == 25e9
    node = f["src"]
    for lid in f["path"]:
        assert links[lid]["from"] == node, (f, lid)
        node = links[lid]["to"]
    assert node == f["dst"] and f["path"]
    assert f["fctS"] >= f["bytes"] * 8 / f["capBps"] * (1 - 1e-9), f
arr = [f["arriveS"] for f in flows]
assert arr == sorted(arr)
late = [a for a in arr if a >= d["warmupFraction"] * arr[-1]]
assert d["measuredFlows"] == len(late) and d["warmupFlows"] == 600 - len(late)
assert d["buckets"][3]["flows"] == d["measuredFlows"]
assert abs(d["warmupSeconds"] - late[0]) <= 1e-12 * late[0]
' "$TMP/l" "$TMP/f" "$TMP/r.json"

# --warmup 0 keeps every flow
"$CR" $DYN --json --dyn-flows 300 --warmup 0 "$EX/lab-small.yaml" >"$TMP/w0.json" 2>"$TMP/err" || fail "warmup 0: $(cat "$TMP/err")"
py "--warmup 0" '
import json, sys
d = json.load(open(sys.argv[1]))["dynamic"]
assert d["warmupFlows"] == 0 and d["measuredFlows"] == 300, d
' "$TMP/w0.json"

# unroutable flows (a single-homed rack cut off): empty path, no FCT
"$CR" $DYN --json --dyn-flows 300 --fail node:pod1-r001-tor1 \
	--dyn-flows-out "$TMP/u" "$SIMD/two-to-one.yaml" >"$TMP/u.json" 2>"$TMP/err" || fail "unroutable run: $(cat "$TMP/err")"
py "unroutable flows" '
import json, sys
flows = [json.loads(l) for l in open(sys.argv[1])]
d = json.load(open(sys.argv[2]))["dynamic"]
cut = [f for f in flows if not f["path"]]
assert len(cut) == d["unroutable"] > 0, (len(cut), d["unroutable"])
assert all(f["fctS"] is None for f in cut)
assert all(f["fctS"] is not None for f in flows if f["path"])
' "$TMP/u" "$TMP/u.json"

# steady state: many flows per server on a small fabric levels off; two
# thousand on line-2pod (0.14 per server) do not, and the text says so
"$CR" $DYN --json --dyn-flows 20000 --load 0.5 "$EX/lab-small.yaml" >"$TMP/s.json" 2>"$TMP/err" || fail "steady run: $(cat "$TMP/err")"
"$CR" $DYN --json --dyn-flows 2000 --load 0.6 "$EX/line-2pod.yaml" >"$TMP/t.json" 2>"$TMP/err" || fail "transient run: $(cat "$TMP/err")"
py "steady-state check" '
import json, sys
s = json.load(open(sys.argv[1]))["dynamic"]
t = json.load(open(sys.argv[2]))["dynamic"]
for d in (s, t):
    a, b = d["activeFlows"]["firstHalf"], d["activeFlows"]["secondHalf"]
    assert d["steady"] == (abs(a - b) <= 0.1 * max(a, b) + 1), d["activeFlows"]
    assert ("note" in d) == (not d["steady"])
assert s["steady"] and not t["steady"], (s["activeFlows"], t["activeFlows"])
' "$TMP/s.json" "$TMP/t.json"
"$CR" $DYN --dyn-flows 2000 --load 0.6 "$EX/line-2pod.yaml" >"$TMP/t.txt" 2>&1 || fail "transient text"
expect_grep "^note: the active-flow count had not levelled off" "$TMP/t.txt" "transient note"
expect_grep "^figures rest on the [0-9]* flows arriving after the warm-up" "$TMP/t.txt" "flows the figures rest on"
if grep -q "never reaches steady state" "$TMP/t.txt"; then fail "old note"; else pass; fi

# --dyn-until N: exactly N measured flows, all finished
"$CR" $DYN --json --dyn-until 1000 --dyn-flows-out "$TMP/n" "$EX/lab-small.yaml" >"$TMP/n.json" 2>"$TMP/err" || fail "until run: $(cat "$TMP/err")"
py "--dyn-until" '
import json, sys
flows = [json.loads(l) for l in open(sys.argv[1])]
d = json.load(open(sys.argv[2]))["dynamic"]
lo = d["warmupFlows"]
assert d["measuredFlows"] == 1000 == d["buckets"][3]["flows"], d
assert lo == 112 and d["flows"] == lo + 1000 + 500 + 100, d
assert all(f["fctS"] is not None for f in flows[lo:lo + 1000])
' "$TMP/n" "$TMP/n.json"

# the same flows replayed in SimGrid (CM02, zero latency, precision 1e-9)
# finish at the same times, to 1e-6 relative
simgrid() {	# TOPOLOGY ARGS...
	_topo=$1
	shift
	if ! "$CR" $DYN --links-out "$TMP/sl" --dyn-flows-out "$TMP/sf" "$@" \
		"$_topo" >/dev/null 2>"$TMP/err"; then
		fail "$(basename "$_topo") $*: $(cat "$TMP/err")"
	elif (cd "$SIMD" && $PY simgrid_dyn.py "$TMP/sl" "$TMP/sf") >"$TMP/sg" 2>"$TMP/err"; then
		pass
	else
		fail "SimGrid $(basename "$_topo") $*: $(cat "$TMP/sg" "$TMP/err" | tail -n 3)"
	fi
}
simgrid "$EX/lab-small.yaml" --dyn-flows 400 --load 0.9 --warmup 0
simgrid "$EX/leaf-spine.yaml" --dyn-flows 500 --load 0.7 --sizes datamining -s 3
simgrid "$SIMD/two-to-one.yaml" --dyn-flows 400 --load 0.8 -s 5 --fail node:spine01

# the same seed, the same figures (times of the run aside)
"$CR" $DYN --json --dyn-flows 500 "$EX/lab-medium.yaml" >"$TMP/d1.json" 2>"$TMP/err" || fail "run 1: $(cat "$TMP/err")"
"$CR" $DYN --json --dyn-flows 500 "$EX/lab-medium.yaml" >"$TMP/d2.json" 2>"$TMP/err" || fail "run 2: $(cat "$TMP/err")"
py "reproducible" '
import json, sys
def strip(d):
    return {k: v for k, v in d.items() if not k.endswith("Seconds") or k in ("warmupSeconds", "simulatedSeconds")}
a, b = (strip(json.load(open(p))["dynamic"]) for p in sys.argv[1:3])
assert a == b
' "$TMP/d1.json" "$TMP/d2.json"

# the full engine gives the same slowdowns, event for event
"$CR" $DYN --json --dyn-flows 800 --load 0.8 --dyn-engine full "$EX/leaf-spine.yaml" >"$TMP/full.json" 2>"$TMP/err" || fail "full run: $(cat "$TMP/err")"
"$CR" $DYN --json --dyn-flows 800 --load 0.8 --dyn-check "$EX/leaf-spine.yaml" >"$TMP/inc.json" 2>"$TMP/err" || fail "checked run: $(cat "$TMP/err")"
py "engines agree" '
import json, sys
a = json.load(open(sys.argv[1]))["dynamic"]
b = json.load(open(sys.argv[2]))["dynamic"]
assert a["engine"] == "full" and b["engine"] == "incremental"
assert b["checkMismatches"] == 0 and a["events"] == b["events"]
for x, y in zip(a["cdf"], b["cdf"]):
    assert abs(x[0] - y[0]) <= 1e-9 * x[0], (x, y)
' "$TMP/full.json" "$TMP/inc.json"

# a load sweep: one run per load on the same seed, each equal (times
# aside) to the run at that load alone; p50/p99 per bucket per load; a
# p99 on fewer than 100 flows flagged in JSON and marked in the text
"$CR" $DYN --json --dyn-flows 1000 --load 0.3,0.5,0.7,0.9 "$EX/lab-medium.yaml" >"$TMP/sw.json" 2>"$TMP/err" || fail "sweep run: $(cat "$TMP/err")"
"$CR" $DYN --json --dyn-flows 1000 --load 0.7 "$EX/lab-medium.yaml" >"$TMP/sw7.json" 2>"$TMP/err" || fail "load 0.7 run: $(cat "$TMP/err")"
py "load sweep JSON" '
import json, sys
r = json.load(open(sys.argv[1]))
one = json.load(open(sys.argv[2]))["dynamic"]
sw = r["dynamicSweep"]
assert "dynamic" not in r and [d["load"] for d in sw] == [0.3, 0.5, 0.7, 0.9]
def strip(d):
    return {k: v for k, v in d.items() if not k.endswith("Seconds") or k in ("warmupSeconds", "simulatedSeconds")}
assert strip(sw[2]) == strip(one)
for d in sw:
    assert d["flows"] == 1000
    for b in d["buckets"]:
        assert b["p99FewFlows"] == (b["flows"] < 100), b
        assert b["flows"] == 0 or b["p99"] >= b["p50"] >= 1, b
assert any(b["p99FewFlows"] for b in sw[0]["buckets"]), "no small bucket to flag"
assert [b["flows"] for b in sw[0]["buckets"]] == [b["flows"] for b in sw[3]["buckets"]]
assert sw[3]["buckets"][3]["p99"] > sw[0]["buckets"][3]["p99"]
' "$TMP/sw.json" "$TMP/sw7.json"
"$CR" $DYN --dyn-flows 1000 --load 0.3,0.9 "$EX/lab-medium.yaml" >"$TMP/sw.txt" 2>"$TMP/err" || fail "sweep text: $(cat "$TMP/err")"
expect_grep "^dynamic load sweep (websearch sizes, ecmp, seed 1): FCT slowdown per load" "$TMP/sw.txt" "sweep text title"
[ "$(grep -c '^0\.[39]0   \(small\|medium\|large\|all\) ' "$TMP/sw.txt")" = 8 ] && pass || fail "sweep text: not 4 buckets x 2 loads: $(cat "$TMP/sw.txt")"
expect_grep "^0.30   large  *[0-9]* *[0-9.]* *[0-9.]*\* " "$TMP/sw.txt" "few-flow p99 marked"
expect_grep "^\* p99 rests on fewer than 100 flows" "$TMP/sw.txt" "few-flow note"
"$CR" $DYN --dyn-flows 20000 --load 0.5 "$EX/lab-small.yaml" >"$TMP/many.txt" 2>"$TMP/err" || fail "many flows: $(cat "$TMP/err")"
if grep -q "rests on fewer" "$TMP/many.txt"; then fail "few-flow note on 20,000 flows"; else pass; fi
# its errors: a value outside (0, 1] named, no --dyn-flows-out of several
# runs, one way of sweeping the load
expect_exit 2 "--load 0.3,1.2" "$CR" $DYN --load 0.3,1.2 "$EX/lab-small.yaml"
expect_grep "--load '0.3,1.2': '1.2' is not a number in (0, 1\]" "$TMP/err" "--load list message"
expect_exit 2 "--load 0.3,,0.5" "$CR" $DYN --load 0.3,,0.5 "$EX/lab-small.yaml"
expect_exit 2 "--load list and --dyn-flows-out" "$CR" $DYN --load 0.3,0.5 \
	--dyn-flows-out "$TMP/never-sw" "$EX/lab-small.yaml"
expect_grep "--dyn-flows-out writes the flows of one run" "$TMP/err" "--load list and --dyn-flows-out message"
[ ! -e "$TMP/never-sw" ] && pass || fail "--dyn-flows-out written on a usage error"
expect_exit 2 "--load list and --sweep" "$CR" $DYN --load 0.3,0.5 --sweep seeds=1-2 "$EX/lab-small.yaml"
expect_grep "put the loads in the sweep" "$TMP/err" "--load list and --sweep message"

finish
