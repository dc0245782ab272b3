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

# The page's commands, one "STATUS^_FIRST^_CMD" line each (^_ the unit
# separator: an empty FIRST must stay a field, which a tab would not): the
# exit status the page records, and the first line it shows it print.
US=$(printf '\037')
awk '
	function out() { if (cmd != "") print rc "\037" first "\037" cmd; cmd = "" }
	/^```console$/ { inblock = 1; next }
	/^```$/ { if (inblock) out(); inblock = 0; next }
	!inblock { next }
	/^\$ / { out(); cmd = substr($0, 3); rc = 0; first = ""; next }
	/^\[exit status [0-9]+\]$/ { rc = $3 + 0; next }
	first == "" { first = $0 }
' "$top_srcdir/doc/operator-guide.md" | grep -v "^0$US[^$US]*${US}tools/bootstrap" >"$TMP/cmds"
n=$(wc -l <"$TMP/cmds")
[ "$n" -ge 25 ] && pass || fail "found only $n commands in doc/operator-guide.md"

# One shell runs them all, so that cd and export carry over as they do for
# a reader (braces, not a subshell); each command's output goes to out.N
# and its status is written next to what was expected.
{
	echo 'cd "$1" || exit 1'
	i=0
	while IFS=$US read -r rc first cmd; do
		i=$((i + 1))
		cmd=$(printf '%s' "$cmd" | sed "s/--name[ =]guide/--name $NAME/g")
		case $cmd in
		*fabric-lab*) case $cmd in *"--name $NAME"*) ;;
			*) fail "command $i runs fabric-lab without --name guide: $cmd" ;; esac ;;
		esac
		printf 'echo "== %s: %s" >&2\n' "$i" "$(printf '%s' "$cmd" | sed 's/["$`\\]/\\&/g')"
		printf '{ %s\n} >"$3/out.%s" 2>&1\n' "$cmd" "$i"
		printf 'echo "%s %s $?" >>"$2"\n' "$i" "$rc"
	done <"$TMP/cmds"
} >"$TMP/guide.sh"
mkdir "$TMP/out"
sh "$TMP/guide.sh" "$W" "$TMP/status" "$TMP/out" >"$TMP/guide.log" 2>&1

while read -r i want got; do
	line=$(sed -n "${i}p" "$TMP/cmds")
	if [ "$want" != "$got" ]; then
		fail "command $i ($(echo "$line" | cut -d"$US" -f3)): exit $got, the page says $want"
		cat "$TMP/out/out.$i" >&2
		continue
	fi
	pass
	# a failure must be the one the page shows: its first line, as printed
	first=$(echo "$line" | cut -d"$US" -f2)
	[ "$want" = 0 ] || [ -z "$first" ] || grep -qxF -- "$first" "$TMP/out/out.$i" &&
		pass || fail "command $i failed otherwise than the page shows ('$first'): $(head -n 3 "$TMP/out/out.$i")"
done <"$TMP/status"
ran=$(wc -l <"$TMP/status")
[ "$ran" -eq "$n" ] && pass || fail "ran $ran of $n commands"
[ "$failures" -eq 0 ] || tail -n 60 "$TMP/guide.log" >&2
finish
