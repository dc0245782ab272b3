#!/bin/sh
# What a long-lived agent must not leave behind or leave out: frr-reload.py's
# temporary files (a killed or timed-out run leaves its reload-*.txt; they
# go to a directory of the agent's own, emptied at start and after every
# run, never to FRR's run directory), and the bundle's hostname (FRR on
# the DUT starts without one, so it shows the machine's, as in the lab
# where every node shares one UTS namespace).
. "$(dirname "$0")/lib-fabricd.sh"

# the DUT's FRR starts without a hostname line
fd_bare_dut() {
	printf 'frr version 8.4\nfrr defaults datacenter\nservice integrated-vtysh-config\n!\n' >"$TMP/bare.conf"
	fd_frr $DUT "$TMP/bare.conf"
}

# a vtysh through which frr-reload.py's first file load hangs (and is
# killed at frr_timeout_s = 15); everything else goes to the real vtysh
mkdir -p "$TMP/bin"
cat >"$TMP/bin/vtysh" <<EOS
#!/bin/sh
case "\$*" in *reload-*.txt*)
	[ -e "$TMP/hung" ] || { : >"$TMP/hung"; exec sleep 60; };;
esac
exec /usr/bin/vtysh "\$@"
EOS
chmod +x "$TMP/bin/vtysh"
fd_conf <<EOC
vtysh = $TMP/bin/vtysh
EOC
sed -i "s/^frr_timeout_s = .*/frr_timeout_s = 15/" "$TMP/fabricd.conf"
fd_setup
RD="$TMP/state/frr-reload"
frr_files() { ls /var/run/frr/reload-*.txt /var/run/frr/"$DUT_NS"/reload-*.txt 2>/dev/null | sort; }
frr_files >"$TMP/frr-files.before"

# --- frr-reload.py's files -------------------------------------------------
mkdir -p "$RD"
echo 'router bgp 1' >"$RD/reload-OLD123.txt"	# left by a run killed before a restart
fd_start || exit 1
check "a file left in the agent's reload directory is gone at start" [ ! -e "$RD/reload-OLD123.txt" ]
ctl --json push --only $DUT "$TMP/g1" >"$TMP/push.json"
pushed() { jq -r ".nodes[0].$1" "$TMP/push.json"; }
check "a push whose frr-reload.py hangs is rolled back ($(pushed outcome))" [ "$(pushed outcome)" = verify-failed ]
check "... the message says frr-reload.py timed out" expr "$(pushed message)" : '.*frr-reload.py timed out' >/dev/null
check "the hung run did happen" [ -e "$TMP/hung" ]
check "no reload-*.txt left in the agent's directory" [ -z "$(ls -A "$RD")" ]
frr_files >"$TMP/frr-files.after"
check "none in FRR's run directory either" same_file "$TMP/frr-files.before" "$TMP/frr-files.after"
check "no vtysh or sleep left running" [ -z "$(pgrep -P "$(cat "$FD_PIDFILE")")" ]

# --- the bundle's hostname -------------------------------------------------------
ctl --json push --only $DUT "$TMP/g1" >"$TMP/push.json"
check "then the push commits ($(pushed outcome): $(pushed message))" [ "$(pushed outcome)" = committed ]
check "no reload-*.txt left after a good run" [ -z "$(ls -A "$RD")" ]
# (vtysh adds a hostname line of its own: from its vtysh.conf, else the
# system's host name, which it shows beside the daemons' line)
host() { vtysh_dut "show running-config $1" | grep '^hostname ' | tr '\n' ' '; }
for d in zebra bgpd bfdd; do
	check "$d runs the bundle's hostname ($(host $d))" sh -c "vtysh -N '$DUT_NS' -c 'show running-config $d' | grep -qx 'hostname $DUT'"
done
spine_sees() { vtysh -N "$(ns spine01)" -c 'show bgp neighbors json' 2>/dev/null |
	jq -r '[.[] | .hostname // empty] | join(" ")'; }
# The name travels in the BGP OPEN (hostname capability): a session that
# was already up before this push (the rolled-back one above may have kept
# some) keeps the name it announced until it is next established. Reset
# the DUT's sessions, as any later flap would, and wait for the condition.
vtysh_dut 'clear bgp *' >/dev/null 2>&1
wait_for 60 sh -c "vtysh -N '$(ns spine01)' -c 'show bgp neighbors json' | grep -q '\"hostname\":\"$DUT\"'"
check "its BGP neighbours see it by that name ($(spine_sees))" sh -c "echo '$(spine_sees)' | grep -qw $DUT"
check "fabricd stops cleanly" fd_stop
finish
