#!/bin/sh
# A real Slurm runs contrib/slurm/capacity-sweep.sbatch (issue 2.4): this
# test starts munged, slurmctld and slurmd itself, with a generated munge
# key and slurm.conf in a temporary directory, its own loopback ports, pid
# files and state directories (nothing system-wide is read or written),
# submits the array job and the dependent merge (sbatch --wait), and checks
# that the merged report equals the unsharded run, times aside. Daemons
# are stopped by pid in the EXIT trap; every wait is bounded. Prints the
# wall time through Slurm against the same sweep unsharded.
. "$(dirname "$0")/../lib.sh"
CR="$top_builddir/capacity-report"
PY=/usr/bin/python3
[ "$(id -u)" -eq 0 ] || { echo "needs root (slurmd starts jobs as their user)"; exit 77; }
for p in munged slurmctld slurmd sbatch squeue sinfo scancel; do
	command -v "$p" >/dev/null || { fail "$p missing: run tools/bootstrap"; finish; }
done

S="$TMP/slurm"
mkdir -p "$S/ctld" "$S/spool" "$S/out"
export SLURM_CONF="$S/slurm.conf"
unset SLURM_JOB_ID SLURM_ARRAY_TASK_ID JOB_COMPLETION_INDEX
pids=""

cleanup() {
	if [ -n "$pids" ]; then
		scancel --quiet --full --jobname=capacity-sweep >/dev/null 2>&1
		scancel --quiet --full --jobname=capacity-merge >/dev/null 2>&1
		wait_for 20 sh -c '[ -z "$(squeue -h 2>/dev/null)" ]'
		for p in $pids; do kill "$p" 2>/dev/null; done
		for p in $pids; do
			wait_for 10 sh -c "! kill -0 $p" || kill -9 "$p" 2>/dev/null
		done
	fi
	rm -rf "$TMP"
}
trap cleanup EXIT

# two free loopback ports (the kernel's pick)
ports=$($PY -c '
import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(" ".join(str(x.getsockname()[1]) for x in s))')
set -- $ports
CTLD_PORT=$1 SLURMD_PORT=$2
NODE=$(hostname -s)
CPUS=$(nproc)

dd if=/dev/urandom of="$S/munge.key" bs=1024 count=1 2>/dev/null
chmod 400 "$S/munge.key"
munged -F --force --key-file="$S/munge.key" --socket="$S/munge.sock" \
	--pid-file="$S/munged.pid" --log-file="$S/munged.log" \
	--seed-file="$S/munge.seed" >"$S/munged.out" 2>&1 &
pids="$pids $!"
wait_for 20 test -S "$S/munge.sock" || { fail "munged did not start: $(cat "$S/munged.log")"; finish; }

cat >"$SLURM_CONF" <<EOC
ClusterName=closkit-test
SlurmctldHost=$NODE(127.0.0.1)
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$S/munge.sock
StateSaveLocation=$S/ctld
SlurmdSpoolDir=$S/spool
SlurmctldPidFile=$S/slurmctld.pid
SlurmdPidFile=$S/slurmd.pid
SlurmctldLogFile=$S/slurmctld.log
SlurmdLogFile=$S/slurmd.log
ProctrackType=proctrack/pgid
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
MpiDefault=none
ReturnToService=2
MinJobAge=600
NodeName=$NODE NodeAddr=127.0.0.1 CPUs=$CPUS State=UNKNOWN
PartitionName=test Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
EOC

slurmctld -D -i -f "$SLURM_CONF" >"$S/slurmctld.out" 2>&1 &
pids="$pids $!"
slurmd -D -f "$SLURM_CONF" -N "$NODE" >"$S/slurmd.out" 2>&1 &
pids="$pids $!"
node_idle() {
	sinfo -h -N -o %T 2>/dev/null | grep -q -e idle -e mixed
}
if ! wait_for 60 node_idle; then
	fail "slurm node not up: $(tail -5 "$S/slurmctld.log" "$S/slurmd.log" 2>&1)"
	finish
fi
pass

# the sweep: N+2 within tiers on leaf-spine plus a small what-if sweep
set -- "$top_srcdir/examples/leaf-spine.yaml" --n-plus-k 2 --n-plus-one \
	-m ecmp -t permutation --no-verdict --sweep 'seeds=1-6'
t0=$(date +%s%N)
if SHARDS=3 WAIT=1 CAPACITY_REPORT="$CR" timeout 300 \
	sh "$top_srcdir/contrib/slurm/capacity-sweep.sbatch" submit "$S/out" "$@" \
	>"$S/submit.out" 2>&1; then pass; else
	fail "sbatch: $(cat "$S/submit.out" "$S"/out/*.log 2>/dev/null | tail -20)"
fi
t1=$(date +%s%N)
"$CR" -q --json -j 1 "$@" >"$S/unsharded.json" 2>"$TMP/err" || fail "unsharded: $(cat "$TMP/err")"
t2=$(date +%s%N)
[ "$(ls "$S"/out/shard-*.json 2>/dev/null | wc -l)" -eq 3 ] && pass || fail "expected 3 shard files: $(ls "$S/out")"
if $PY "$top_srcdir/tests/sim/same_report.py" "$S/unsharded.json" "$S/out/merged.json"; then pass; else
	fail "Slurm's merged report differs from the unsharded run"
fi
grep -q "^N+2 " "$S/out/report.txt" && pass || fail "merge job's text report"
grep -q "<h2>N+2" "$S/out/report.html" && pass || fail "merge job's HTML report"
echo "slurm: array of 3 + merge through Slurm $(awk "BEGIN{printf \"%.2f\", ($t1 - $t0) / 1e9}") s, unsharded $(awk "BEGIN{printf \"%.2f\", ($t2 - $t1) / 1e9}") s"
finish
