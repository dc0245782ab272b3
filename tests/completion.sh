#!/bin/bash
# bash completion: subcommands and options as each program's --help lists
# them, node names from a bundle, the inventory and the labs that are up.
. "$(dirname "$0")/lib.sh"

PATH="$top_builddir:$top_builddir/fabricd:$PATH"
. "$top_srcdir/completion/closkit.bash"

# complete WORDS...: what completing the last word offers (one per line)
complete_line() {
	COMP_WORDS=("$@")
	COMP_CWORD=$(($# - 1))
	local f
	f=$(complete -p "$1" | sed 's/.*-F \([^ ]*\) .*/\1/')
	"$f"
	printf '%s\n' "${COMPREPLY[@]}" | sort
}

offers() { # expected-word WORDS...
	_want=$1
	shift
	if complete_line "$@" | grep -qx -- "$_want"; then pass; else
		fail "completing '$*' does not offer '$_want': $(complete_line "$@" | tr '\n' ' ')"; fi
}

offers build fabric-gen ""
offers show fabric-gen sh
offers --templates fabric-gen build --temp
offers --force fabric-gen build --fo
offers --json fabric-lab check --js
offers probe fabric-lab pr
offers push fabricctl pu
offers --waves fabricctl push --wa

"$FABRIC_GEN" build -q "$top_srcdir/examples/lab-small.yaml" -o "$TMP/b"
offers spine01 fabricctl push "$TMP/b" --only sp
printf 'spine01 127.0.0.1\npod1-r001-tor1 127.0.0.1\n' >"$TMP/inv"
offers pod1-r001-tor1 fabricctl --inventory "$TMP/inv" drain pod
[ "$(complete_line fabricctl --inventory "$TMP/inv" status "" | wc -l)" -eq 2 ] && pass || fail "inventory names"
for p in fabric-gen fabric-lab fabricctl capacity-report; do
	[ "$(complete_line $p -- | wc -l)" -ge 3 ] && pass || fail "$p: options"
done
finish
