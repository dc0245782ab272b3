# Shared by the fabricd namespace tests (sourced, not run): the fd-tiny
# fabric (1 spine, 2 ToRs, 1 server dual-homed) in network namespaces named
# ckd<PID>-<node>, real FRR in each, and fabricd on ToR 1 (the DUT) with a
# fresh CA. Everything created here is removed by fd_cleanup, on any exit.
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$top_srcdir/tests/lib.sh"

[ "$(id -u)" -eq 0 ] || { echo "not root: skipping"; exit 77; }
for t in ip jq /usr/lib/frr/zebra /usr/lib/frr/bgpd /usr/lib/frr/bfdd; do
	command -v "$t" >/dev/null || { echo "missing $t: run tools/bootstrap" >&2; exit 1; }
done

FABRICD="$top_builddir/fabricd/fabricd"
FABRICCTL="$top_builddir/fabricd/fabricctl"
FD_YAML="$top_srcdir/tests/netns/fabricd/tiny.yaml"
P="ckd$$-"
DUT=pod1-r001-tor1
NODES="spine01 pod1-r001-tor1 pod1-r001-tor2 pod1-r001-s01"
FD_PIDFILE="$TMP/fabricd.pid"
FD_VERIFY_TIMEOUT=${FD_VERIFY_TIMEOUT:-20}

ns() { echo "$P${1##*-}"; }		# pod1-r001-tor1 -> ckd123-tor1
DUT_NS=$(ns $DUT)

FD_PIDS=""	# other processes a test starts (load generators): killed too

fd_cleanup() {
	set +e
	[ -f "$FD_PIDFILE" ] && kill -9 "$(cat "$FD_PIDFILE")" 2>/dev/null
	for p in $FD_PIDS; do kill -9 "$p" 2>/dev/null; done
	for n in $NODES; do
		s=$(ns "$n")
		for pf in /var/run/frr/"$s"/*.pid; do
			[ -f "$pf" ] && kill -9 "$(cat "$pf")" 2>/dev/null
		done
		ip netns del "$s" 2>/dev/null
		rm -rf "/etc/frr/$s" "/var/run/frr/$s"
	done
	mountpoint -q "$TMP/small" 2>/dev/null && umount "$TMP/small"
	rm -rf "$TMP"
}
trap fd_cleanup EXIT
trap 'exit 1' INT TERM

# fd_bundle GEN [SED-ON-YAML]: build the fabric at generation GEN into
# $TMP/gGEN (a variant of the topology through an optional sed script).
fd_bundle() {
	sed -e "s/^fabric: .*/&\ngeneration: $1/" ${2:+-e "$2"} "$FD_YAML" >"$TMP/g$1.yaml"
	"$FABRIC_GEN" build -q "$TMP/g$1.yaml" -o "$TMP/g$1"
}

# fd_mutate DIR NODE SED: edit NODE's frr.conf and fix its checksum, the way
# a broken generator or a hand edit would produce a consistent bundle.
fd_mutate() {
	_d="$1/nodes/$2"
	sed -i -e "$3" "$_d/frr.conf"
	_sum=$(sha256sum "$_d/frr.conf" | cut -d' ' -f1)
	jq --arg s "$_sum" '.files["frr.conf"].sha256 = $s' "$_d/node.json" >"$_d/node.json.new"
	mv "$_d/node.json.new" "$_d/node.json"
}

fd_links() {
	for n in $NODES; do
		ip netns add "$(ns "$n")"
		ip -n "$(ns "$n")" link set lo up
	done
	tail -n +2 "$TMP/g1/cabling.csv" | while IFS=, read -r an ap bn bp _; do
		ip -n "$(ns "$an")" link add "$ap" type veth peer name "$bp" netns "$(ns "$bn")"
		[ "$an" = "$DUT" ] || ip -n "$(ns "$an")" link set "$ap" up
		[ "$bn" = "$DUT" ] || ip -n "$(ns "$bn")" link set "$bp" up
	done
	for n in $NODES; do
		[ "$n" = "$DUT" ] && continue
		ip netns exec "$(ns "$n")" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
		for a in $(jq -r '.loopbacks[]' "$TMP/g1/nodes/$n/node.json"); do
			ip -n "$(ns "$n")" addr add "$a" dev lo
		done
	done
}

# fd_frr NODE CONF: start zebra, bgpd, bfdd for NODE with CONF loaded.
fd_frr() {
	_s=$(ns "$1")
	mkdir -p "/etc/frr/$_s" "/var/run/frr/$_s"
	cp "$2" "/etc/frr/$_s/frr.conf"
	: >"/etc/frr/$_s/vtysh.conf"
	chown -R frr:frr "/etc/frr/$_s" "/var/run/frr/$_s"
	for d in zebra bgpd bfdd; do
		ip netns exec "$_s" "/usr/lib/frr/$d" -N "$_s" -d -F datacenter \
			-A 127.0.0.1 -i "/var/run/frr/$_s/$d.pid" >/dev/null 2>&1
	done
	wait_for 10 test -S "/var/run/frr/$_s/bgpd.vty" -a -S "/var/run/frr/$_s/bfdd.vty" || { echo "FRR did not start in $_s" >&2; exit 1; }
	/usr/bin/python3 /usr/lib/frr/frr-reload.py --reload --stdout --log-level error \
		-N "$_s" "/etc/frr/$_s/frr.conf" >/dev/null 2>&1
}

vtysh_dut() { vtysh -N "$DUT_NS" -c "$1" 2>/dev/null; }

fd_pki() {
	"$FABRICCTL" ca init "$TMP/pki" &&
	"$FABRICCTL" ca issue --ca-dir "$TMP/pki" $DUT --ip 127.0.0.1 &&
	"$FABRICCTL" ca issue --ca-dir "$TMP/pki" --operator operator
}

fd_conf() { # extra "key = value" lines on stdin are appended
	cat >"$TMP/fabricd.conf" <<EOC
node = $DUT
listen_address = 127.0.0.1
listen_port = 8443
tls_cert = $TMP/pki/$DUT.crt
tls_key = $TMP/pki/$DUT.key
client_ca = $TMP/pki/ca.crt
allowed_clients = operator
state_dir = $TMP/state
frr_conf = /etc/frr/$DUT_NS/frr.conf
frr_pathspace = $DUT_NS
verify_timeout_s = $FD_VERIFY_TIMEOUT
frr_timeout_s = 30
EOC
	cat >>"$TMP/fabricd.conf"
	echo "$DUT 127.0.0.1:8443" >"$TMP/inventory"
}

# fabricctl as the operator, from inside the DUT's namespace.
ctl() {
	ip netns exec "$DUT_NS" "$FABRICCTL" --inventory "$TMP/inventory" \
		--ca "$TMP/pki/ca.crt" --cert "$TMP/pki/operator.crt" \
		--key "$TMP/pki/operator.key" --timeout 120 "$@"
}

# curl as some client (for refusals): fd_curl CERT-NAME|none ARGS...
fd_curl() {
	_who=$1
	shift
	if [ "$_who" = none ]; then set -- "$@"; else
		set -- --cert "$TMP/pki/$_who.crt" --key "$TMP/pki/$_who.key" "$@"; fi
	rm -f "$TMP/curl.out"
	ip netns exec "$DUT_NS" curl -sS --cacert "$TMP/pki/ca.crt" \
		--resolve "$DUT:8443:127.0.0.1" -o "$TMP/curl.out" -w '%{http_code}' "$@"
}

# The TLS load generator (tests/bench/fabricd-load.c) as the operator, in
# the DUT: fd_load MODE ARGS... (bounded by timeout), or in the background:
# fd_load_bg OUT MODE ARGS... (bounded by its own arguments; its pid is
# added to FD_PIDS and left in FD_BG).
FD_LOAD="$top_builddir/tests/bench/fabricd-load"
fd_load() {
	timeout 300 ip netns exec "$DUT_NS" "$FD_LOAD" -s $DUT -c "$TMP/pki/ca.crt" \
		-C "$TMP/pki/operator.crt" -K "$TMP/pki/operator.key" "$@"
}
fd_load_bg() {
	_out=$1
	shift
	ip netns exec "$DUT_NS" "$FD_LOAD" -s $DUT -c "$TMP/pki/ca.crt" \
		-C "$TMP/pki/operator.crt" -K "$TMP/pki/operator.key" "$@" >"$_out" 2>&1 &
	FD_BG=$!
	FD_PIDS="$FD_PIDS $FD_BG"
}

# Only the DUT's namespace with FRR on a bare config: enough for status,
# limits and load (no fabric, no push).
fd_setup_dut() {
	ip netns add "$DUT_NS"
	ip -n "$DUT_NS" link set lo up
	fd_bare_dut
	fd_pki >/dev/null
}

fd_start() { # [ENV=VALUE...]: start fabricd in the DUT, wait until it serves
	ip netns exec "$DUT_NS" env "$@" "$FABRICD" -f -c "$TMP/fabricd.conf" \
		>>"$TMP/fabricd.log" 2>&1 &
	echo $! >"$FD_PIDFILE"
	wait_for 60 ctl --json status $DUT || { cat "$TMP/fabricd.log" >&2; return 1; }
	# the answer must be this agent's, not one left over on the port
	kill -0 "$(cat "$FD_PIDFILE")" 2>/dev/null ||
		{ echo "fabricd exited at start" >&2; cat "$TMP/fabricd.log" >&2; return 1; }
}

# Stop fabricd with SIGTERM; fails unless it exits 0 (under ASan, leaks
# and errors make it exit otherwise).
fd_stop() {
	[ -f "$FD_PIDFILE" ] || return 0
	_pid=$(cat "$FD_PIDFILE")
	rm -f "$FD_PIDFILE"
	kill "$_pid" 2>/dev/null
	wait "$_pid"
	_rc=$?
	[ $_rc -eq 0 ] || { echo "fabricd exited $_rc" >&2; tail -30 "$TMP/fabricd.log" >&2; }
	return $_rc
}

# The whole fabric at generation 1; the DUT runs a bare config until the
# first push (its generation 0).
fd_setup() {
	fd_bundle 1
	fd_links
	for n in $NODES; do
		[ "$n" = "$DUT" ] && continue
		fd_frr "$n" "$TMP/g1/nodes/$n/frr.conf"
	done
	fd_bare_dut
	fd_pki >/dev/null
	[ -f "$TMP/fabricd.conf" ] || fd_conf </dev/null
}

# FRR on the DUT with a bare config (its generation 0).
fd_bare_dut() {
	printf 'frr version 8.4\nfrr defaults datacenter\nhostname %s\nservice integrated-vtysh-config\n!\n' \
		$DUT >"$TMP/bare.conf"
	fd_frr $DUT "$TMP/bare.conf"
}

# --- what the tests look at ---------------------------------------------

running() { vtysh_dut "show running-config" | grep -v -e '^Building' -e '^Current configuration' -e '^frr version' -e '^!' -e '^$'; }
addrs() { ip -n "$DUT_NS" -o addr show | awk '{print $2, $4}' | sort; }
links() { ip -n "$DUT_NS" -o link show | awk '{n = $2; sub(/@.*/, "", n); sub(/:$/, "", n); print n, $5, ($3 ~ /UP/ ? "up" : "down")}' | sort; }
sysctls() { ip netns exec "$DUT_NS" sysctl -n net.ipv4.ip_forward net.ipv4.fib_multipath_hash_policy | tr '\n' ' '; }
bgpd_pid() { cat "/var/run/frr/$DUT_NS/bgpd.pid"; }
saved() { cat "/etc/frr/$DUT_NS/frr.conf"; }
# A snapshot of everything a transaction may touch on the DUT.
snapshot() { { running; echo "== addrs"; addrs; echo "== links"; links; echo "== sysctls"; sysctls; echo; echo "== saved"; saved; } >"$1"; }
generation() { ctl --json status $DUT | jq -r ".\"$DUT\".generation"; }
state() { ctl --json status $DUT | jq -r ".\"$DUT\".state"; }
metric() { ctl --json status $DUT >/dev/null; ip netns exec "$DUT_NS" curl -s --cacert "$TMP/pki/ca.crt" --cert "$TMP/pki/operator.crt" --key "$TMP/pki/operator.key" --resolve "$DUT:8443:127.0.0.1" "https://$DUT:8443/metrics" | awk -v m="$1" '$1 == m { print $2 }'; }
peers_up() { # all expected peers Established (and BFD up) on the DUT
	ctl --json status $DUT | jq -e ".\"$DUT\".peers | length > 0 and all(.bgp == \"Established\" and .bfd == \"up\")" >/dev/null
}

# check NAME CMD...: one assertion
check() {
	_name=$1
	shift
	if "$@"; then pass; else fail "$_name"; fi
}
same_file() { cmp -s "$1" "$2" || { diff "$1" "$2" | head -20 >&2; return 1; }; }
