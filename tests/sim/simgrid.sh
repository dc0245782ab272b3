#!/bin/sh
# The same flows and paths fed to SimGrid's max-min solver (Debian's
# python3-simgrid; full routing zone with one explicit route per flow,
# CM02, zero latency, no cross traffic) give the same rates as
# capacity-report within 1e-6 of line rate: on the shipped small fabrics,
# a 5-stage one, a 2:1 one and random leaf/spines, with several patterns,
# several flows per pair and failures.
. "$(dirname "$0")/../lib.sh"
CR="$top_builddir/capacity-report"
PY=/usr/bin/python3
SIMD="$top_srcdir/tests/sim"

if ! $PY -c 'import simgrid' 2>/dev/null; then
	echo "python3-simgrid is missing: run tools/bootstrap" >&2
	exit 1
fi

cross() {	# TOPOLOGY ARGS...: one capacity-report run checked by SimGrid
	_topo=$1
	shift
	if ! "$CR" -q --no-verdict -m ecmp --links-out "$TMP/l" --flows-out "$TMP/f" \
		"$@" "$_topo" >/dev/null 2>"$TMP/err"; then
		fail "$(basename "$_topo") $*: $(cat "$TMP/err")"
		return
	fi
	if $PY "$SIMD/simgrid_check.py" "$TMP/l" "$TMP/f" >"$TMP/sg" 2>"$TMP/err"; then
		pass
	else
		fail "$(basename "$_topo") $*: $(cat "$TMP/sg" "$TMP/err" | tail -n 3)"
	fi
}

cross "$top_srcdir/examples/lab-small.yaml" -t all-to-all:3 --flows-per-pair 3
cross "$top_srcdir/examples/lab-small.yaml" -t permutation --fail node:spine01
cross "$top_srcdir/examples/leaf-spine.yaml" -t all-to-all:4 --flows-per-pair 2
cross "$top_srcdir/examples/leaf-spine.yaml" -t incast:7 --fail random:spine:2
cross "$top_srcdir/examples/leaf-spine.yaml" -t permutation -s 3
cross "$SIMD/small-3tier.yaml" -t all-to-all:5 --flows-per-pair 2
cross "$SIMD/small-3tier.yaml" -t incast:3 --fail node:spine-p1-01
cross "$SIMD/two-to-one.yaml" -t permutation -s 2
cross "$SIMD/spine8.yaml" -t rack-to-rack -s 5
seed=1
while [ "$seed" -le 12 ]; do
	$PY "$SIMD/randtopo.py" "$seed" "$TMP/rand.yaml"
	cross "$TMP/rand.yaml" -t all-to-all:1 --flows-per-pair 2 -s "$seed"
	seed=$((seed + 1))
done

finish
