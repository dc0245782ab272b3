#!/bin/sh
# Debian packages: build closkit and closkit-agent with dpkg-buildpackage,
# lintian with no errors, install both, use them, start and stop the agent
# as its systemd unit says, purge, and nothing is left behind.
#
# This machine has no systemd as PID 1 (a container), so `systemctl start`
# cannot run here: the test runs the installed unit's own ExecStartPre and
# ExecStart lines and stops the agent with SIGTERM, as systemd would.
. "$(dirname "$0")/../lib.sh"

[ "$(id -u)" -eq 0 ] || { echo "needs root (dpkg -i)"; exit 77; }
unset CLOSKIT_TEMPLATES		# the installed templates must be found
PKGS="closkit closkit-agent"
AGENT_PID=""
cleanup() {
	[ -n "$AGENT_PID" ] && kill -9 "$AGENT_PID" 2>/dev/null
	dpkg -s closkit-agent >/dev/null 2>&1 && dpkg --purge closkit-agent >/dev/null 2>&1
	dpkg -s closkit >/dev/null 2>&1 && dpkg --purge closkit >/dev/null 2>&1
	rm -rf "$TMP"
}
trap cleanup EXIT

# build from a copy of the sources (no build products)
mkdir "$TMP/src"
tar -C "$top_srcdir" --exclude=./build --exclude=./.git --exclude='*.o' -cf - . |
	tar -C "$TMP/src" -xf -
# make check's own variables (MAKEFLAGS carries TESTS and TEST_LOGS) must not
# reach the package's make: its dh_auto_test would run this test again, and
# again, without end.
(cd "$TMP/src" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES \
	-u TESTS -u TEST_LOGS DEB_BUILD_OPTIONS="parallel=$(nproc)" dpkg-buildpackage -us -uc -b) \
	>"$TMP/build.log" 2>&1 && pass || { tail -40 "$TMP/build.log"; fail "dpkg-buildpackage"; finish; exit 1; }
for p in $PKGS; do
	[ -f "$TMP/${p}_"*"_$(dpkg --print-architecture).deb" ] && pass || fail "no $p .deb"
done
lintian --fail-on error "$TMP"/*.changes >"$TMP/lintian.log" 2>&1 && pass ||
	{ cat "$TMP/lintian.log"; fail "lintian reports errors"; }
grep '^[EW]:' "$TMP/lintian.log" || true

# install
dpkg -i "$TMP"/closkit_*.deb "$TMP"/closkit-agent_*.deb >"$TMP/install.log" 2>&1 && pass ||
	{ cat "$TMP/install.log"; fail "dpkg -i"; }
for f in /usr/bin/fabric-gen /usr/bin/capacity-report /usr/bin/fabric-lab /usr/sbin/fabricd \
	/usr/bin/fabricctl /usr/share/closkit/templates/frr-switch.conf.mustache \
	/usr/share/man/man1/fabric-gen.1.gz /usr/share/man/man5/fabric-topology.5.gz \
	/usr/share/man/man8/fabricd.8.gz /lib/systemd/system/fabricd.service \
	/etc/closkit/fabricd.conf /usr/share/bash-completion/completions/fabricctl; do
	[ -e "$f" ] && pass || fail "$f not installed"
done
[ "$(stat -c %a /var/lib/fabricd)" = 700 ] && pass || fail "/var/lib/fabricd not 0700"
dpkg-query -W -f='${Conffiles}\n' closkit-agent | grep -q /etc/closkit/fabricd.conf &&
	pass || fail "fabricd.conf is not a conffile"

# the installed tools work from their installed data
/usr/bin/fabric-gen build -q /usr/share/closkit/examples/lab-small.yaml -o "$TMP/bundle" &&
	[ -f "$TMP/bundle/nodes/spine01/frr.conf" ] && pass || fail "installed fabric-gen build"
/usr/bin/capacity-report /usr/share/closkit/examples/lab-small.yaml >/dev/null && pass ||
	fail "installed capacity-report"

# start and stop the agent as its unit does, with a configuration of ours
unit=/lib/systemd/system/fabricd.service
pre=$(sed -n 's/^ExecStartPre=//p' "$unit")
start=$(sed -n 's/^ExecStart=//p' "$unit")
/usr/bin/fabricctl ca init "$TMP/pki" >/dev/null &&
	/usr/bin/fabricctl ca issue --ca-dir "$TMP/pki" testnode --ip 127.0.0.1 >/dev/null &&
	/usr/bin/fabricctl ca issue --ca-dir "$TMP/pki" --operator operator >/dev/null || fail "fabricctl ca"
port=$((20000 + $$ % 20000))
cat >"$TMP/fabricd.conf" <<EOC
node = testnode
listen_address = 127.0.0.1
listen_port = $port
tls_cert = $TMP/pki/testnode.crt
tls_key = $TMP/pki/testnode.key
client_ca = $TMP/pki/ca.crt
allowed_clients = operator
state_dir = $TMP/state
frr_conf = $TMP/frr.conf
EOC
: >"$TMP/frr.conf"
conf_of() { echo "$1" | sed "s|/etc/closkit/fabricd.conf|$TMP/fabricd.conf|"; }
$(conf_of "$pre") >"$TMP/pre.log" 2>&1 && pass || { cat "$TMP/pre.log"; fail "ExecStartPre: $pre"; }
$(conf_of "$start") -f >"$TMP/agent.log" 2>&1 &
AGENT_PID=$!
echo "testnode 127.0.0.1:$port" >"$TMP/inv"
ctl() { /usr/bin/fabricctl -i "$TMP/inv" --ca "$TMP/pki/ca.crt" --cert "$TMP/pki/operator.crt" \
	--key "$TMP/pki/operator.key" --timeout 5 "$@"; }
wait_for 30 ctl --json status testnode && pass || { cat "$TMP/agent.log"; fail "installed agent does not answer"; }
kill -TERM "$AGENT_PID"
wait "$AGENT_PID"
rc=$?
AGENT_PID=""
[ $rc -eq 0 ] && pass || fail "agent exit status $rc on SIGTERM"

# purge: nothing left
dpkg --purge closkit-agent closkit >"$TMP/purge.log" 2>&1 && pass || { cat "$TMP/purge.log"; fail "dpkg --purge"; }
for f in /usr/bin/fabric-gen /usr/sbin/fabricd /etc/closkit /var/lib/fabricd /usr/share/closkit \
	/lib/systemd/system/fabricd.service; do
	[ ! -e "$f" ] && pass || fail "$f left after purge"
done
finish
