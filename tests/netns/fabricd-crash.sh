#!/bin/sh
# Fault 3: fabricd is SIGKILLed at each phase of a transaction (test-only
# fault points: after the journal, mid-netlink, mid-FRR, before commit).
# The restarted agent must finish or undo the transaction from its journal:
# the DUT ends exactly in the old state or in the new one, never a mix.
. "$(dirname "$0")/lib-fabricd.sh"

fd_setup
fd_start || exit 1
push_code() { ctl --json push --only $DUT "$@" | jq -r '.nodes[0].outcome'; }
settled() { # SNAPSHOT GEN
	wait_for 90 peers_up || return 1
	snapshot "$TMP/snap"
	same_file "$1" "$TMP/snap" && [ "$(generation)" = "$2" ] &&
		[ ! -e "$TMP/state/journal.json" ] && [ "$(state)" = idle ]
}

# Two configurations that differ in FRR (BFD timers), links (MTU) and
# addresses (the loopback), so that every phase has something to undo.
VARIANT_B='s/interval-ms: 300/interval-ms: 400/; s/mtu: 9000/mtu: 9100/; s#loopbacks: 10.255.0.0/24#loopbacks: 10.254.0.0/24#'
fd_bundle 1
check "generation 1 (A) commits" [ "$(push_code "$TMP/g1")" = committed ]
snapshot "$TMP/snapA"
fd_bundle 2 "$VARIANT_B"
check "generation 2 (B) commits" [ "$(push_code "$TMP/g2")" = committed ]
snapshot "$TMP/snapB"
check "A and B differ in config, addresses and links" sh -c "! cmp -s '$TMP/snapA' '$TMP/snapB'"

gen=2 cur=B applied=2
for point in after-journal mid-netlink mid-frr before-commit; do
	gen=$((gen + 1))
	if [ $cur = A ]; then next=B; fd_bundle $gen "$VARIANT_B"; else next=A; fd_bundle $gen; fi
	fd_stop
	fd_start FABRICD_TEST_FAULT=$point || exit 1
	pid=$(cat "$FD_PIDFILE")
	ctl push --only $DUT "$TMP/g$gen" >/dev/null 2>&1
	dead() { ! kill -0 "$pid" 2>/dev/null; }
	check "$point: fabricd was killed there" wait_for 90 dead
	# (one that survived its fault would hold the port against the next)
	dead || { kill -9 "$pid" 2>/dev/null; wait_for 10 dead; }
	wait "$pid" 2>/dev/null
	rm -f "$FD_PIDFILE"
	check "$point: the journal is left behind" [ -e "$TMP/state/journal.json" ]
	fd_start || exit 1
	if [ $point = before-commit ]; then
		# verified before the crash: recovery finishes the commit
		check "$point: recovered to the new state ($next, generation $gen)" settled "$TMP/snap$next" $gen
		cur=$next applied=$gen
	else
		check "$point: recovered to the old state ($cur, generation $applied)" settled "$TMP/snap$cur" $applied
	fi
	outcome=$(ctl --json history $DUT | jq -r ".\"$DUT\".transactions[0].message")
	check "$point: history tells the recovery ($outcome)" [ "${outcome#recovered}" != "$outcome" ]
done
check "fabricd stops cleanly" fd_stop
finish
