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

finish
