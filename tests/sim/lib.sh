# Shared by the capacity-report shell tests (tests/sim/*.sh): tests/lib.sh,
# the paths, and the exit-code and grep expectations. Sourced, not run.
. "$(dirname "$0")/../lib.sh"
CR="$top_builddir/capacity-report"
PY=/usr/bin/python3
EX="$top_srcdir/examples"
SIMD="$top_srcdir/tests/sim"

expect_exit() {	# CODE DESCRIPTION CMD...
	_want=$1 _what=$2
	shift 2
	"$@" >"$TMP/out" 2>"$TMP/err"
	_got=$?
	if [ "$_got" -eq "$_want" ]; then pass; else
		fail "$_what: exit $_got, expected $_want ($(head -c 300 "$TMP/err"))"
	fi
}

expect_grep() {	# PATTERN FILE DESCRIPTION
	if grep -q -- "$1" "$2"; then pass; else fail "$3: no '$1' in $(head -c 300 "$2")"; fi
}
