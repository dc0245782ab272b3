#!/bin/sh
# Sweep figures (issue 2.4):
#   N+2 within tiers on line-2pod (272,302 scenarios; permutation, ecmp):
#     scenarios per second on one core (a seeded sample of 30,000 with -j 1,
#     the same tier mix as the whole) and on every core (the whole sweep,
#     -j $(nproc)); target >= 1,000 scenarios/s/core, whole sweep <= 300 s;
#     projected wall time on 1, 10 and 100 such nodes (shards of the
#     array job: the sweep divided by the nodes, plus one setup each);
#   the Slurm test's wall time through a real Slurm (array of 3 + merge)
#     against the same sweep unsharded (root only; skipped otherwise).
# Rates come from the report's own clock (nPlusK.sweepSeconds: scenarios
# only, not loading the topology or the baseline, which setupSeconds is).
. "$(dirname "$0")/lib.sh"

CR="$top_builddir/capacity-report"
PY=/usr/bin/python3
L2="$top_srcdir/examples/line-2pod.yaml"
BENCH_TMP=$(mktemp -d "${TMPDIR:-/tmp}/closkit-bench.XXXXXX")
trap 'rm -rf "$BENCH_TMP"' EXIT
NP=$(nproc)
N2="-q --json --no-verdict -m ecmp -t permutation --n-plus-k 2"

field() {	# FILE EXPRESSION-ON-k (the nPlusK object)
	$PY -c "import json,sys; k=json.load(open(sys.argv[1]))['nPlusK']; print($2)" "$1"
}

# The machine may be shared: wall-clock rates fall with its load, so the
# rates per CPU-second are given too (CPU time of the run minus that of a
# one-scenario run: loading, the report, the baseline).
/usr/bin/time -f '%U %S' -o "$BENCH_TMP/time" "$CR" $N2 --sample 1 -j 1 "$L2" >/dev/null
read -r u0 s0 <"$BENCH_TMP/time"
# one core, a sample
/usr/bin/time -f '%U %S' -o "$BENCH_TMP/time" "$CR" $N2 --sample 30000 -j 1 "$L2" >"$BENCH_TMP/one.json"
read -r u1 s1 <"$BENCH_TMP/time"
one=$(field "$BENCH_TMP/one.json" 'k["scenarios"] / k["sweepSeconds"]')
one_cpu=$(awk "BEGIN{print 30000 / ($u1 + $s1 - $u0 - $s0)}")
# every core, the whole sweep, with its wall time end to end
/usr/bin/time -f '%e %M %U %S' -o "$BENCH_TMP/time" "$CR" $N2 -j "$NP" "$L2" >"$BENCH_TMP/all.json"
read -r whole kb usr sys <"$BENCH_TMP/time"
all=$(field "$BENCH_TMP/all.json" 'k["scenarios"] / k["sweepSeconds"]')
total=$(field "$BENCH_TMP/all.json" 'k["scenarios"]')
# what every shard pays whatever its share: load, report, baseline
fixed=$(field "$BENCH_TMP/all.json" "$whole - k['sweepSeconds']")
printf 'line-2pod N+2 within tiers (%s scenarios, permutation, ecmp): %.0f scenarios/s on 1 core (%.0f per CPU-second; target >= 1000), %.0f on %s cores (%.0f/core); whole sweep %.1f s end to end (target <= 300), %.0f MB\n' \
	"$total" "$one" "$one_cpu" "$all" "$NP" "$(awk "BEGIN{print $all / $NP}")" "$whole" "$(awk "BEGIN{print $kb / 1024}")"
cpu=$(awk "BEGIN{print $total / ($usr + $sys - $u0 - $s0)}")
printf '  per CPU-second of the whole sweep: %.0f scenarios (load average while running: %s)\n' \
	"$cpu" "$(cut -d' ' -f1-3 /proc/loadavg)"
for nodes in 1 10 100; do
	printf '  projected on %3d such nodes (%s cores each, one shard per node): %.1f s\n' "$nodes" "$NP" \
		"$(awk "BEGIN{print $total / ($all * $nodes) + $fixed}")"
done

# through a real Slurm against unsharded (tests/sim/slurm.sh prints both)
if [ "$(id -u)" -eq 0 ] && command -v slurmctld >/dev/null; then
	export top_srcdir top_builddir
	sh "$top_srcdir/tests/sim/slurm.sh" >"$BENCH_TMP/slurm.out" 2>&1 ||
		{ cat "$BENCH_TMP/slurm.out"; exit 1; }
	grep '^slurm:' "$BENCH_TMP/slurm.out"
else
	echo "slurm: skipped (needs root and tools/bootstrap's slurm packages)"
fi
echo "sweep figures: nplus2_per_core=$one nplus2_per_core_cpu=$one_cpu nplus2_all=$all nplus2_per_cpu_s=$cpu nplus2_whole_s=$whole"
