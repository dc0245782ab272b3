#!/bin/sh
# capacity-report's sweeps (issue 2.4) as a user meets them: N+k, shards
# from the scheduler's variables, --merge equal to the unsharded run
# (times aside) and its refusals, what-if sweeps.
. "$(dirname "$0")/../lib.sh"
CR="$top_builddir/capacity-report"
PY=/usr/bin/python3
EX="$top_srcdir/examples"
unset SLURM_ARRAY_TASK_ID SLURM_ARRAY_TASK_MIN SLURM_ARRAY_TASK_MAX \
	SLURM_ARRAY_TASK_COUNT SLURM_ARRAY_TASK_STEP JOB_COMPLETION_INDEX

LS="$EX/leaf-spine.yaml"
Q="-q --no-verdict -m ecmp -t permutation"

# N+k: usage
expect_exit 2 "--n-plus-k 5" "$CR" --n-plus-k 5 "$LS"
expect_exit 2 "--n-plus-k 0" "$CR" --n-plus-k 0 "$LS"
expect_exit 2 "bad scope" "$CR" --n-plus-k 2 --n-plus-k-scope pod "$LS"
expect_grep "tier or all" "$TMP/err" "scope message"
expect_exit 2 "bad sample" "$CR" --n-plus-k 2 --sample x "$LS"
expect_exit 2 "--sample without --n-plus-k" "$CR" --sample 10 "$LS"
expect_grep "go with --n-plus-k" "$TMP/err" "sample message"

# N+2 within tiers on leaf-spine (32 ToRs, 6 spines): every pair once,
# a rack's two ToRs isolate its servers
"$CR" $Q --json --n-plus-k 2 "$LS" >"$TMP/k2.json" 2>"$TMP/err" || fail "n+2 run: $(cat "$TMP/err")"
if $PY - "$TMP/k2.json" <<'PYEOF'; then pass; else fail "N+2 JSON"; fi
import json, sys
k = json.load(open(sys.argv[1]))["nPlusK"]
assert (k["k"], k["scope"], k["sample"], k["pattern"]) == (2, "tier", None, "permutation"), k
t = {x["tier"]: x for x in k["tiers"]}
assert sorted(t) == ["spine", "tor"], t
assert (t["tor"]["scenarios"], t["tor"]["tried"]) == (496, 496)
assert (t["spine"]["scenarios"], t["spine"]["tried"]) == (15, 15)
assert k["scenarios"] == 511
assert t["tor"]["isolating"] == 16, t["tor"]["isolating"]      # 16 racks
assert t["spine"]["isolating"] == 0
w = t["tor"]["modes"][0]
assert w["mode"] == "ecmp" and len(w["worst"]) == 2
assert 0 < w["fraction"] < k["baseline"][0]["fraction"]
assert w["lostGbps"] > 0
PYEOF
"$CR" $Q --n-plus-k 2 "$LS" >"$TMP/out" 2>&1 || fail "n+2 text"
expect_grep "^N+2 " "$TMP/out" "N+2 text section"
expect_grep "isolate" "$TMP/out" "N+2 text counts isolating pairs"

# across tiers, and a sample
"$CR" $Q --json --n-plus-k 2 --n-plus-k-scope all --sample 40 -s 3 "$LS" >"$TMP/ka.json" || fail "n+2 all"
if $PY - "$TMP/ka.json" <<'PYEOF'; then pass; else fail "N+2 across tiers, sampled"; fi
import json, sys
k = json.load(open(sys.argv[1]))["nPlusK"]
assert k["scope"] == "all" and k["sample"] == 40 and k["scenarios"] == 40
t = {x["tier"]: x for x in k["tiers"]}
assert sorted(t) == ["spine", "tor", "tor+spine"], sorted(t)
assert t["tor+spine"]["scenarios"] == 32 * 6
assert sum(x["tried"] for x in k["tiers"]) == 40
PYEOF

# --shard auto: Slurm array variables, Kubernetes' index, or a usage error
# naming what it looked for
SW="seeds=1-4,traffic=permutation|stride:5"
run_shard() {	# OUT ARGS...: the sweep under test, as JSON
	_o=$1
	shift
	"$CR" $Q --json --n-plus-one --n-plus-k 2 --sweep "$SW" "$@" "$LS" >"$_o" 2>"$TMP/err"
}
SLURM_ARRAY_TASK_ID=2 SLURM_ARRAY_TASK_MIN=1 SLURM_ARRAY_TASK_MAX=3 \
	run_shard "$TMP/a2.json" --shard auto || fail "slurm shard: $(cat "$TMP/err")"
JOB_COMPLETION_INDEX=2 run_shard "$TMP/a3.json" --shard auto --shards 3 || fail "k8s shard: $(cat "$TMP/err")"
SLURM_ARRAY_TASK_ID=0 SLURM_ARRAY_TASK_MIN=0 SLURM_ARRAY_TASK_COUNT=3 \
	run_shard "$TMP/a1.json" --shard auto || fail "slurm count shard: $(cat "$TMP/err")"
run_shard "$TMP/a0.json" || fail "unsharded: $(cat "$TMP/err")"
if $PY - "$TMP/a1.json" "$TMP/a2.json" "$TMP/a3.json" "$TMP/a0.json" <<'PYEOF'; then pass; else fail "shard objects"; fi
import json, sys
r = [json.load(open(p)) for p in sys.argv[1:]]
assert [x["shard"] for x in r[:3]] == [{"index": i, "count": 3} for i in (1, 2, 3)], [x["shard"] for x in r[:3]]
assert "shard" not in r[3]
# shards partition N+k and the sweep exactly
assert sum(t["tried"] for x in r[:3] for t in x["nPlusK"]["tiers"]) == 511
assert sorted(u["index"] for x in r[:3] for u in x["sweep"]["runs"]) == list(range(8))
PYEOF
expect_exit 2 "--shard auto without variables" "$CR" --shard auto "$LS"
expect_grep "SLURM_ARRAY_TASK_ID" "$TMP/err" "auto names Slurm's variable"
expect_grep "JOB_COMPLETION_INDEX" "$TMP/err" "auto names Kubernetes' variable"
JOB_COMPLETION_INDEX=1 expect_exit 2 "index without --shards" "$CR" --shard auto "$LS"
expect_grep "shards N" "$TMP/err" "asks for --shards"
SLURM_ARRAY_TASK_ID=1 expect_exit 2 "array id without bounds" "$CR" --shard auto "$LS"
expect_grep "SLURM_ARRAY_TASK_MIN" "$TMP/err" "names the bounds"
expect_exit 2 "--shards alone" "$CR" --shards 3 "$LS"

# N+k takes the first pattern that runs on the fabric, as N+1 does, and is
# listed as skipped when none does
sed 's/    racks: 8/    racks: 1/' "$top_srcdir/tests/sim/two-to-one.yaml" >"$TMP/onerack.yaml"
expect_exit 0 "N+k on one rack" "$CR" -q --no-verdict -m ecmp --json -t rack-to-rack -t permutation --n-plus-k 1 "$TMP/onerack.yaml"
if $PY - "$TMP/out" <<'PYEOF'; then pass; else fail "N+k pattern on one rack"; fi
import json, sys
r = json.load(open(sys.argv[1]))
assert r["nPlusK"]["pattern"] == "permutation", r["nPlusK"]["pattern"]
assert {"what": "rack-to-rack", "why": "needs at least 2 racks; this fabric has 1"} in r["skipped"], r["skipped"]
PYEOF
sed 's/servers-per-rack: [0-9]*/servers-per-rack: 1/' "$TMP/onerack.yaml" >"$TMP/oneserver.yaml"
expect_exit 0 "N+k on one server" "$CR" -q --no-verdict -m ecmp --json --n-plus-k 1 "$TMP/oneserver.yaml"
expect_grep '"what": "n+k"' "$TMP/out" "N+k listed as skipped"

# --merge equals the unsharded run, times aside (N+1, N+k, the sweep and
# the rest of the report), whatever order the files come in
"$CR" --merge --json "$TMP/a3.json" "$TMP/a1.json" "$TMP/a2.json" >"$TMP/merged.json" 2>"$TMP/err" || fail "merge: $(cat "$TMP/err")"
if $PY "$top_srcdir/tests/sim/same_report.py" "$TMP/a0.json" "$TMP/merged.json"; then pass; else
	fail "merged shards differ from the unsharded run"
fi
# a one-task array (SHARDS=1 in the job files) merges to the whole run too,
# and so does an unsharded report given alone
SLURM_ARRAY_TASK_ID=5 SLURM_ARRAY_TASK_MIN=5 SLURM_ARRAY_TASK_MAX=5 \
	run_shard "$TMP/one.json" --shard auto || fail "one-task array: $(cat "$TMP/err")"
for f in one a0; do
	if "$CR" --merge --json "$TMP/$f.json" >"$TMP/m-$f.json" 2>"$TMP/err" &&
		$PY "$top_srcdir/tests/sim/same_report.py" "$TMP/a0.json" "$TMP/m-$f.json"; then pass; else
		fail "merge of the single report $f.json: $(cat "$TMP/err")"
	fi
done
# the comparison can fail: a single shard is not the whole run
if $PY "$top_srcdir/tests/sim/same_report.py" "$TMP/a0.json" "$TMP/a1.json" 2>"$TMP/err"; then
	fail "same_report.py took a shard for the whole run"
else expect_grep "nPlusK" "$TMP/err" "same_report.py names what differs"; fi
# refusals name the file
expect_exit 1 "merge a duplicated shard" "$CR" --merge "$TMP/a1.json" "$TMP/a2.json" "$TMP/a2.json"
expect_grep "a2.json: shard 2 of 3 again" "$TMP/err" "duplicate names the file"
expect_exit 1 "merge with a shard missing" "$CR" --merge "$TMP/a1.json" "$TMP/a3.json"
expect_grep "shard 2 of 3 is missing" "$TMP/err" "missing shard named"
run_shard "$TMP/s9.json" --shard 2/3 -s 9 || fail "seed 9 shard"
expect_exit 1 "merge a shard of another seed" "$CR" --merge "$TMP/a1.json" "$TMP/s9.json" "$TMP/a3.json"
expect_grep "s9.json: not a shard of the same run.*'seed' differs" "$TMP/err" "foreign seed named"
"$CR" $Q --json --n-plus-one --n-plus-k 2 --sweep "$SW" --shard 2/3 "$EX/lab-small.yaml" >"$TMP/o.json" 2>"$TMP/err" || fail "other topology shard"
expect_exit 1 "merge a shard of another topology" "$CR" --merge "$TMP/a1.json" "$TMP/o.json" "$TMP/a3.json"
expect_grep "o.json: not a shard of the same run" "$TMP/err" "foreign topology named"
run_shard "$TMP/k3.json" --shard 2/3 --sample 30 || fail "sampled shard"
expect_exit 1 "merge a shard with other options" "$CR" --merge "$TMP/a1.json" "$TMP/k3.json" "$TMP/a3.json"
expect_grep "k3.json: .*'nPlusK' differs" "$TMP/err" "foreign options named"

# what-if sweeps: usage, the product of the values, min <= median <= max
expect_exit 2 "unknown sweep axis" "$CR" --sweep speed=1 "$LS"
expect_grep "unknown axis" "$TMP/err" "axis message"
expect_exit 2 "sweep load without --dynamic" "$CR" --sweep load=0.3 "$LS"
expect_grep "add --dynamic" "$TMP/err" "load needs dynamic"
expect_exit 2 "bad sweep range" "$CR" --sweep seeds=5-1 "$LS"
expect_exit 2 "bad sweep pattern" "$CR" --sweep traffic=shuffle "$LS"
"$CR" -q --json -m ecmp --dynamic --dyn-flows 200 --sweep 'seeds=1-3,load=0.3:0.7:0.2,traffic=permutation|rack-to-rack' "$EX/lab-small.yaml" >"$TMP/w.json" 2>"$TMP/err" || fail "sweep run: $(cat "$TMP/err")"
if $PY - "$TMP/w.json" <<'PYEOF'; then pass; else fail "sweep JSON"; fi
import json, sys
s = json.load(open(sys.argv[1]))["sweep"]
assert s["points"] == 3 * 3 * 2 == len(s["runs"]), s["points"]
assert [r["index"] for r in s["runs"]] == list(range(18))
assert {(r["seed"], r["load"], r["traffic"]) for r in s["runs"]} == {
    (a, b, c) for a in (1, 2, 3) for b in (0.3, 0.5, 0.7)
    for c in ("permutation", "rack-to-rack")}
f = {x["figure"]: x for x in s["figures"]}
for k in ("fraction permutation ecmp", "fraction rack-to-rack ecmp",
          "non-blocking", "slowdown all p99"):
    assert k in f, (k, sorted(f))
for x in s["figures"]:
    assert x["min"] <= x["median"] <= x["max"], x
vals = sorted(r["figures"]["slowdown all p99"] for r in s["runs"])
assert f["slowdown all p99"]["min"] == vals[0] and f["slowdown all p99"]["max"] == vals[-1]
assert f["slowdown all p99"]["median"] == (vals[8] + vals[9]) / 2
assert f["fraction permutation ecmp"]["runs"] == 9
PYEOF
"$CR" -q -m ecmp --no-verdict --sweep 'seeds=1-2' "$EX/lab-small.yaml" >"$TMP/out" 2>&1 || fail "sweep text"
expect_grep "^what-if sweep (seeds=1-2; 2 runs of 2)" "$TMP/out" "sweep text header"

# the HTML report shows N+2 and the spreads
"$CR" -q -m ecmp -t permutation --no-verdict --n-plus-k 2 --sweep seeds=1-3 --html "$TMP/r.html" "$LS" >/dev/null 2>"$TMP/err" || fail "html: $(cat "$TMP/err")"
expect_grep "<h2>N+2: worst 2 switches failing together" "$TMP/r.html" "HTML N+2 section"
expect_grep "dc1-r010-tor1+dc1-r010-tor2" "$TMP/r.html" "HTML worst pair"
expect_grep "<h2>What-if sweep: spread per figure" "$TMP/r.html" "HTML sweep section"

finish
