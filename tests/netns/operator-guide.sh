#!/bin/sh
# doc/operator-guide.md is runnable as written: every command it shows
# ("$ " lines in its console blocks), in order, in one shell, from a folder
# laid out like a built checkout, ends with the exit status the page
# records ("[exit status N]", else 0). Only the build line is left out (the
# tree is built; tools/readme-first-line runs that line in a fresh clone),
# and the lab gets a name of its own so that a reader's lab is not touched.
. "$(dirname "$0")/../lib.sh"

[ "$(id -u)" -eq 0 ] || { echo "needs root (network namespaces)"; exit 77; }
NAME=ckg$$
trap '"$top_builddir/fabric-lab" down --name "$NAME" -q; rm -rf "$TMP"' EXIT
unset CLOSKIT_TEMPLATES

W=$TMP/checkout
mkdir -p "$W/fabricd"
for f in examples doc templates; do ln -s "$top_srcdir/$f" "$W/$f"; done
for f in fabric-gen capacity-report fabric-lab fabricd/fabricd fabricd/fabricctl; do
	ln -s "$top_builddir/$f" "$W/$f"
done

# The page's commands and their expected exit status, one "STATUS<TAB>CMD"
# line each.
awk '
	/^```console$/ { inblock = 1; next }
	/^```$/ { if (inblock && cmd != "") print rc "\t" cmd; inblock = 0; cmd = ""; next }
	!inblock { next }
	/^\$ / { if (cmd != "") print rc "\t" cmd; cmd = substr($0, 3); rc = 0; next }
	/^\[exit status [0-9]+\]$/ { rc = $3 + 0 }
' "$top_srcdir/doc/operator-guide.md" | grep -v '^0	tools/bootstrap' >"$TMP/cmds"
n=$(wc -l <"$TMP/cmds")
[ "$n" -ge 25 ] && pass || fail "found only $n commands in doc/operator-guide.md"

# One shell runs them all, so that cd and export carry over as they do for
# a reader; each command's status is written next to what was expected.
{
	echo 'cd "$1" || exit 1'
	i=0
	while IFS='	' read -r rc cmd; do
		i=$((i + 1))
		cmd=$(printf '%s' "$cmd" | sed "s/--name guide/--name $NAME/g")
		printf 'echo "== %s: %s" >&2\n' "$i" "$(printf '%s' "$cmd" | sed 's/["$`\\]/\\&/g')"
		printf '%s\n' "$cmd"
		printf 'echo "%s %s $?" >>"$2"\n' "$i" "$rc"
	done <"$TMP/cmds"
} >"$TMP/guide.sh"
sh "$TMP/guide.sh" "$W" "$TMP/status" >"$TMP/guide.log" 2>&1

while read -r i want got; do
	if [ "$want" = "$got" ]; then
		pass
	else
		fail "command $i ($(sed -n "${i}p" "$TMP/cmds" | cut -f2)): exit $got, the page says $want"
	fi
done <"$TMP/status"
ran=$(wc -l <"$TMP/status")
[ "$ran" -eq "$n" ] && pass || fail "ran $ran of $n commands"
[ "$failures" -eq 0 ] || tail -n 60 "$TMP/guide.log" >&2
finish
