#!/bin/sh
# capacity-report --dynamic figures (issue 2.3): line-2pod, websearch
# sizes, load 0.6, ecmp. For 2,000 / 10,000 / 100,000 / 1,000,000 flows:
# wall time end to end, the engine's own wall and CPU time (from --json;
# CPU time is the fair figure on a shared machine), events per CPU second,
# peak memory; the full re-solve engine on the same workload in the same
# run where it finishes in reasonable time (2,000 and 10,000 flows; it
# took > 10 CPU-minutes for 100,000), with the speed-up and a check that
# both give the same slowdown CDF (1e-9). Then the same 20,000-flow
# workload on the 7,200-server tests/sim/line-1pod.yaml side by side with
# SimGrid (tests/sim/simgrid_dyn.py: CM02, precision 1e-9, crosstraffic
# off, the same links, paths and arrivals): both wall times end to end,
# including loading their input, and the worst FCT disagreement.
. "$(dirname "$0")/lib.sh"

CR="$top_builddir/capacity-report"
PY=/usr/bin/python3
L2="$top_srcdir/examples/line-2pod.yaml"
L1="$top_srcdir/tests/sim/line-1pod.yaml"
BENCH_TMP=$(mktemp -d "${TMPDIR:-/tmp}/closkit-bench.XXXXXX")
trap 'rm -rf "$BENCH_TMP"' EXIT

dyn() {	# N ENGINE: one run; sets wall and wall_mb, the JSON in $BENCH_TMP/N-ENGINE.json
	/usr/bin/time -f '%e %M' -o "$BENCH_TMP/time" "$CR" -q --no-verdict \
		-m ecmp -t permutation --dynamic --load 0.6 --sizes websearch \
		--dyn-flows "$1" --dyn-engine "$2" --json "$L2" >"$BENCH_TMP/$1-$2.json"
	read -r wall _kb <"$BENCH_TMP/time"
	wall_mb=$(awk "BEGIN{printf \"%.1f\", $_kb / 1024}")
}

field() {	# FILE EXPRESSION-ON-d (the dynamic section)
	$PY -c "import json,sys; d=json.load(open(sys.argv[1]))['dynamic']; print($2)" "$1"
}

report() {	# N ENGINE
	_j="$BENCH_TMP/$1-$2.json"
	printf 'line-2pod dynamic %s flows, %s: %.2f s end to end, engine %.2f s wall / %.2f s CPU, %s events, %.0f events per CPU second, %s MB; mean component %s flows\n' \
		"$1" "$2" "$wall" "$(field "$_j" 'd["engineSeconds"]')" \
		"$(field "$_j" 'd["engineCpuSeconds"]')" "$(field "$_j" 'd["events"]')" \
		"$(field "$_j" 'd["events"] / max(d["engineCpuSeconds"], 1e-9)')" "$wall_mb" \
		"$(field "$_j" '"%.1f" % d["component"]["flowsPerSolve"] if "component" in d else "-"')"
}

same_cdf() {	# A.json B.json
	$PY -c '
import json, sys
a = json.load(open(sys.argv[1]))["dynamic"]["cdf"]
b = json.load(open(sys.argv[2]))["dynamic"]["cdf"]
print("same slowdowns" if len(a) == len(b) and all(abs(x[0] - y[0]) <= 1e-9 * x[0] for x, y in zip(a, b)) else "DIFFERENT slowdowns")' "$1" "$2"
}

for n in 2000 10000; do
	dyn "$n" incremental
	report "$n" incremental
	dyn "$n" full
	report "$n" full
	printf '  %s flows: incremental %sx faster than full (engine CPU time), %s\n' "$n" \
		"$(ratio "$(field "$BENCH_TMP/$n-full.json" 'd["engineCpuSeconds"]')" \
			"$(field "$BENCH_TMP/$n-incremental.json" 'd["engineCpuSeconds"]')")" \
		"$(same_cdf "$BENCH_TMP/$n-full.json" "$BENCH_TMP/$n-incremental.json")"
done
echo "line-2pod dynamic 100000 flows, full: not run (more than 10 CPU-minutes before this engine)"
for n in 100000 1000000; do
	dyn "$n" incremental
	report "$n" incremental
done
c10=$(field "$BENCH_TMP/10000-incremental.json" 'd["engineCpuSeconds"]')
c100=$(field "$BENCH_TMP/100000-incremental.json" 'd["engineCpuSeconds"]')
c1m=$(field "$BENCH_TMP/1000000-incremental.json" 'd["engineCpuSeconds"]')
printf 'time against flows (engine CPU, incremental): 10k %.2f s, 100k %.2f s (x%s for 10x flows), 1M %.2f s (x%s for 10x flows; targets: 100k <= 5 s, 1M <= 30 s)\n' \
	"$c10" "$c100" "$(ratio "$c100" "$c10")" "$c1m" "$(ratio "$c1m" "$c100")"

# side by side with SimGrid on 7,200 servers
/usr/bin/time -f '%e %M' -o "$BENCH_TMP/time" "$CR" -q --no-verdict -m ecmp \
	-t permutation --dynamic --load 0.6 --dyn-flows 20000 --json \
	--links-out "$BENCH_TMP/l" --dyn-flows-out "$BENCH_TMP/f" "$L1" >"$BENCH_TMP/one.json"
read -r ours ours_kb <"$BENCH_TMP/time"
/usr/bin/time -f '%e %M' -o "$BENCH_TMP/time" sh -c 'cd "$1" && exec '"$PY"' simgrid_dyn.py "$2" "$3"' \
	sh "$top_srcdir/tests/sim" "$BENCH_TMP/l" "$BENCH_TMP/f" >"$BENCH_TMP/sg.json" || true
read -r sg sg_kb <"$BENCH_TMP/time"
printf 'line-1pod (7,200 servers) dynamic 20000 flows, load 0.6, ecmp: capacity-report %.2f s (engine %.2f s CPU), SimGrid %.1f s (%.0f MB): %sx faster (target >= 50); FCTs %s (worst relative difference %s, target 1e-6)\n' \
	"$ours" "$(field "$BENCH_TMP/one.json" 'd["engineCpuSeconds"]')" "$sg" \
	"$(awk "BEGIN{print $sg_kb / 1024}")" "$(ratio "$sg" "$ours")" \
	"$($PY -c 'import json,sys; r=json.load(open(sys.argv[1])); print("agree" if r["ok"] else "DISAGREE")' "$BENCH_TMP/sg.json")" \
	"$($PY -c 'import json,sys; print("%.2g" % json.load(open(sys.argv[1]))["maxRelErr"])' "$BENCH_TMP/sg.json")"
