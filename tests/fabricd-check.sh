#!/bin/sh
# fabricd -n (check mode: parse the configuration, load the TLS files,
# print the normalised configuration) on the agent configurations of three
# lab-small nodes (a ToR, a spine, a server) and a broken one, against
# tests/golden/fabricd-check/NAME.out (output, then "exit N").
# Unprivileged: the TLS files come from `fabricctl ca`; nothing is served.
# NAME.conf is the input, with @TMP@ for the scratch directory.
# After an intended change: `make regen-golden` (this script with --regen),
# then review `git diff`.
. "$(dirname "$0")/lib.sh"
FABRICD="$top_builddir/fabricd/fabricd"
FABRICCTL="$top_builddir/fabricd/fabricctl"
G="$top_srcdir/tests/golden/fabricd-check"
regen=0
[ "${1:-}" = --regen ] && regen=1

"$FABRICCTL" ca init "$TMP/pki" >/dev/null || { echo "fabricctl ca init failed" >&2; exit 1; }

# NAME.out of the configuration $1, in $TMP/NAME.out
run() {
	_name=$(basename "$1" .conf)
	_node=$(sed -n 's/^node = //p' "$1")
	grep -q "\"name\": \"$_node\"" "$top_srcdir/tests/golden/lab-small/manifest.json" ||
		{ fail "$_name: $_node is not a node of tests/golden/lab-small"; return 1; }
	[ -f "$TMP/keys/$_node.crt" ] ||
		"$FABRICCTL" ca issue --ca-dir "$TMP/pki" --out "$TMP/keys" "$_node" >/dev/null ||
		{ fail "$_name: fabricctl ca issue $_node failed"; return 1; }
	sed "s|@TMP@|$TMP|g" "$1" >"$TMP/$_name.conf"
	"$FABRICD" -n -c "$TMP/$_name.conf" >"$TMP/out" 2>&1
	echo "exit $?" >>"$TMP/out"
	sed "s|$TMP|@TMP@|g" "$TMP/out" >"$TMP/$_name.out"
}

for conf in "$G"/*.conf; do
	run "$conf" || continue
	name=$(basename "$conf" .conf)
	if [ $regen = 1 ]; then
		cp "$TMP/$name.out" "$G/$name.out" && pass || fail "$name: cannot write $G/$name.out"
	elif diff -u "$G/$name.out" "$TMP/$name.out" >"$TMP/diff" 2>&1; then
		pass
	else
		head -60 "$TMP/diff" >&2
		fail "$name: fabricd -n differs from tests/golden/fabricd-check/$name.out (make regen-golden, then review the diff)"
	fi
done
for out in "$G"/*.out; do
	[ -f "${out%.out}.conf" ] && pass || fail "$out: no ${out%.out}.conf beside it"
done
finish
