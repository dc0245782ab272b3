# Shared by the shell tests: paths, a scratch directory removed on exit,
# and fail/pass helpers. Sourced, not run.
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
FABRIC_GEN="$top_builddir/fabric-gen"
export CLOSKIT_TEMPLATES="$top_srcdir/templates"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/closkit-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
# a signal (the per-test timeout, ^C) runs the script's EXIT trap too
trap 'exit 143' HUP INT TERM
failures=0
checks=0

fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
	checks=$((checks + 1))
}

pass() {
	checks=$((checks + 1))
}

# wait_for SECONDS CMD...: poll CMD until it succeeds (bounded): wait for
# the condition, never for a fixed time
wait_for() {
	_end=$(($(date +%s) + $1))
	shift
	until "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -lt "$_end" ] || return 1
		sleep 0.2
	done
}

finish() {
	echo "$((checks - failures)) passed, $failures failed"
	[ "$checks" -gt 0 ] || { echo "no checks ran" >&2; exit 1; }
	[ "$failures" -eq 0 ]
}

# expect_exit CODE DESCRIPTION CMD...: CMD exits CODE; its output lands in
# $TMP/out and $TMP/err for expect_grep
expect_exit() {
	_want=$1 _what=$2
	shift 2
	"$@" >"$TMP/out" 2>"$TMP/err"
	_got=$?
	if [ "$_got" -eq "$_want" ]; then pass; else
		fail "$_what: exit $_got, expected $_want ($(head -c 300 "$TMP/err"))"
	fi
}

# expect_grep PATTERN FILE DESCRIPTION
expect_grep() {
	if grep -q -- "$1" "$2"; then pass; else fail "$3: no '$1' in $(head -c 300 "$2")"; fi
}
