#!/bin/sh
# fabricd under hostile load (issue 6/6): one agent on loopback in a
# namespace with real FRR (bare config, so /v1/status asks bgpd and bfdd
# for real, over their vty sockets) and real TLS, and
# tests/bench/fabricd-load as clients:
#  a. 1,000 idle TLS connections, handshaken and then silent (the bench
#     sets max_connections = 1100 and max_connections_per_ip = 0: the
#     defaults, 64 and 16, are for a switch);
#  b. 50 slow clients sending a request header a byte a second;
#  c. oversized headers (20 KiB > max_header_kb) and bodies (2 MiB >
#     max_bundle_kb), 30 of each, one after the other.
# During each, 100 GET /v1/status from an authenticated client, each over a
# new connection (TCP + TLS handshake included): p50/p99/max (target: all
# answered within 100 ms), and the agent's VmRSS before, at the peak
# (VmHWM) and after (target: below MHD's per-connection memory limit times
# the connections plus the idle footprint; see doc/fabricd.md).
# Needs root (namespaces); prints "skipped" otherwise.
set -eu
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
[ "$(id -u)" -eq 0 ] || { echo "fabricd-load bench: not root, skipped"; exit 0; }
IDLE=${BENCH_IDLE:-1000}
SLOW=${BENCH_SLOW:-50}
OVERSIZE=${BENCH_OVERSIZE:-30}
STATUS_N=${BENCH_STATUS_N:-100}
set +eu
. "$top_srcdir/tests/netns/lib-fabricd.sh"
set -u
[ -x "$FD_LOAD" ] || { echo "missing $FD_LOAD: make bench builds it" >&2; exit 1; }
ulimit -n 4096		# the agent (it raises its own) and the generator

NODES=$DUT
fd_conf <<EOC
max_connections = $((IDLE + 100))
max_connections_per_ip = 0
connection_timeout_s = 120
EOC
fd_setup_dut
fd_start || exit 1
PID=$(cat "$FD_PIDFILE")

kb() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$PID/status"; }
# status_during NAME: latency of STATUS_N requests into NAME_p50 etc.
status_during() {
	fd_load status "$STATUS_N" >"$TMP/status.out" || { cat "$TMP/status.out" >&2; fail "$1: not every status was answered"; }
	read -r _ _ok _ p50 p99 max <"$TMP/status.out"
	eval "${1}_ok=$_ok ${1}_p50=${p50#*=} ${1}_p99=${p99#*=} ${1}_max=${max#*=}"
	echo "  status during $1: $(cat "$TMP/status.out")"
}
fd_load status 5 >/dev/null	# warm up (allocator, FRR's first answers)
rss0=$(kb VmRSS)
status_during quiet
# baseline in the same run: what one status query cost when it went
# through vtysh (a process per query; status asks two daemons)
vt0=$(date +%s%N)
for i in 1 2 3 4 5 6 7 8 9 10; do
	ip netns exec "$DUT_NS" vtysh -N "$DUT_NS" -c 'show bgp summary json' >/dev/null
done
vtysh_ms=$(( ($(date +%s%N) - vt0) / 10000000 ))
echo "  baseline: one vtysh -c 'show bgp summary json' takes $vtysh_ms ms; status p50 is $quiet_p50 ms ($(awk -v a="$vtysh_ms" -v b="$quiet_p50" 'BEGIN { printf "%.1f", a / b }')x faster than a single vtysh run)"

# --- a. idle connections --------------------------------------------------
fd_load_bg "$TMP/idle.out" idle "$IDLE" 60
wait_for 120 grep -q held "$TMP/idle.out" || { cat "$TMP/idle.out" >&2; exit 1; }
held=$(awk '/^held/ { print $2 }' "$TMP/idle.out")
echo "  $(head -1 "$TMP/idle.out")"
conns=$(ip netns exec "$DUT_NS" ss -Htn state established "( sport = :8443 )" | wc -l)
rss_idle=$(kb VmRSS)
status_during idle
kill "$FD_BG" 2>/dev/null; wait "$FD_BG" 2>/dev/null
wait_for 30 sh -c "[ \$(ip netns exec $DUT_NS ss -Htn state established '( sport = :8443 )' | wc -l) -eq 0 ]"
rss_after_idle=$(kb VmRSS)

# --- b. slow clients ------------------------------------------------------
fd_load_bg "$TMP/slow.out" slow "$SLOW" 30
wait_for 30 grep -q connected "$TMP/slow.out"
sleep 3		# headers part sent
status_during slow
rss_slow=$(kb VmRSS)
wait "$FD_BG" || true
echo "  $(tail -1 "$TMP/slow.out")"

# --- c. oversized headers and bodies --------------------------------------
fd_load_bg "$TMP/over.out" oversize "$OVERSIZE" 20 2048
status_during oversize
rss_over=$(kb VmRSS)
wait "$FD_BG" || fail "oversized requests not all refused"
echo "  $(cat "$TMP/over.out")"

fd_load status 5 >/dev/null
rss1=$(kb VmRSS)
hwm=$(kb VmHWM)
threads=$(awk '/^Threads:/ { print $2 }' "/proc/$PID/status")
echo "  agent VmRSS KB: before $rss0, 1000 idle $rss_idle, after idle $rss_after_idle, slow $rss_slow, oversize $rss_over, after all $rss1; peak (VmHWM) $hwm; threads $threads"

worst=$(printf '%s\n' "$idle_max" "$slow_max" "$oversize_max" | sort -n | tail -1)
worst_p99=$(printf '%s\n' "$quiet_p99" "$idle_p99" "$slow_p99" "$oversize_p99" | sort -n | tail -1)
# targets: 99% of status answers within 100 ms in every phase (the max is
# one sample of a shared 2-core box: reported, and held to load adding at
# most 100 ms to the quiet max)
awk -v w="$worst_p99" 'BEGIN { exit !(w <= 100) }' || fail "status p99 $worst_p99 ms (target: <= 100 ms in every phase)"
awk -v w="$worst" -v q="$quiet_max" 'BEGIN { exit !(w <= q + 100) }' || fail "status took $worst ms under load, quiet $quiet_max ms (target: load adds <= 100)"
[ "$held" -eq "$IDLE" ] || fail "held $held of $IDLE idle connections"
# bound: idle footprint + 64 KB per connection (max_header_kb 16 of MHD
# pool + GnuTLS session + socket bookkeeping), with 20% slack
bound=$(( rss0 + (IDLE + 100) * 64 ))
[ "$hwm" -le "$bound" ] || fail "peak RSS $hwm KB above the bound $bound KB"
fd_stop || fail "fabricd did not stop cleanly after the load"
echo "fabricd-load figures: vtysh_baseline_ms=$vtysh_ms idle_conns=$held established=$conns status_ms_p50/p99/max: quiet=$quiet_p50/$quiet_p99/$quiet_max idle=$idle_p50/$idle_p99/$idle_max slow=$slow_p50/$slow_p99/$slow_max oversize=$oversize_p50/$oversize_p99/$oversize_max rss_kb: before=$rss0 peak=$hwm after=$rss1 bound=$bound"
[ "$failures" -eq 0 ]
