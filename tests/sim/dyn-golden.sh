#!/bin/sh
# The golden --dynamic --json report on lab-medium (websearch sizes, load
# 0.6, 5,000 flows: steady, every bucket over 100 flows, well under a
# second): the same text as tests/golden/dyn-lab-medium.json once every
# time of the run is masked (tests/sim/mask_times.py). With --regen (make
# regen-golden) it rewrites that file instead; review it with git diff.
. "$(dirname "$0")/lib.sh"
GOLDEN="$top_srcdir/tests/golden/dyn-lab-medium.json"

# from the source tree: the report names the topology as given
if (cd "$top_srcdir" && "$CR" -q --json --dynamic --dyn-flows 5000 --load 0.6 \
	examples/lab-medium.yaml) >"$TMP/r.json" 2>"$TMP/err" &&
	$PY "$SIMD/mask_times.py" "$TMP/r.json" >"$TMP/masked.json"; then
	pass
else
	fail "the run: $(cat "$TMP/err")"
fi
if [ "${1:-}" = --regen ]; then
	cp "$TMP/masked.json" "$GOLDEN" && echo "wrote $GOLDEN"
	finish
	exit
fi
if diff -u "$GOLDEN" "$TMP/masked.json" >"$TMP/diff"; then pass; else
	fail "differs from $GOLDEN (make regen-golden, then review git diff):"
	head -n 40 "$TMP/diff" >&2
fi
# the mask hides times only: the figures are there and the run measured
$PY -c '
import json, sys
d = json.load(open(sys.argv[1]))["dynamic"]
assert d["measuredFlows"] > 0 and d["steady"], d
assert all(b["flows"] >= 100 and b["p99"] >= b["p50"] >= 1 for b in d["buckets"]), d["buckets"]
assert d["simulatedSeconds"] == "masked" and isinstance(d["cdf"][0][0], float)
' "$TMP/masked.json" && pass || fail "golden figures"
finish
