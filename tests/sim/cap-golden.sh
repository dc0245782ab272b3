#!/bin/sh
# The golden capacity-report --json reports (default patterns, modes and
# verdict) on lab-small and lab-medium, each well under a second: the
# same text as tests/golden/cap-NAME.json once every time of the run is
# masked (tests/sim/mask_times.py). With --regen (make regen-golden) it
# rewrites those files instead; review them with git diff.
. "$(dirname "$0")/lib.sh"

for name in lab-small lab-medium; do
	GOLDEN="$top_srcdir/tests/golden/cap-$name.json"
	# from the source tree: the report names the topology as given
	if (cd "$top_srcdir" && "$CR" -q --json "examples/$name.yaml") \
		>"$TMP/$name.json" 2>"$TMP/err" &&
		$PY "$SIMD/mask_times.py" "$TMP/$name.json" \
		>"$TMP/$name.masked"; then
		pass
	else
		fail "$name: the run: $(cat "$TMP/err")"
		continue
	fi
	if [ "${1:-}" = --regen ]; then
		cp "$TMP/$name.masked" "$GOLDEN" && echo "wrote $GOLDEN"
		continue
	fi
	if diff -u "$GOLDEN" "$TMP/$name.masked" >"$TMP/diff"; then pass; else
		fail "$name differs from $GOLDEN (make regen-golden, then" \
			"review git diff):"
		head -n 40 "$TMP/diff" >&2
	fi
	# the mask hides times only: the figures are there
	$PY -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert r["seconds"] == "masked" and r["verdict"]["checks"], r
assert all(isinstance(m["fraction"], float) and m["solveSeconds"] == "masked"
           for p in r["patterns"] for m in p["modes"]), r["patterns"]
assert [t["serversBelow"] for t in r["tiers"]][-1] == r["servers"], r["tiers"]
' "$TMP/$name.masked" && pass || fail "$name: golden figures"
done
finish
