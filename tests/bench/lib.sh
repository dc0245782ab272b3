# Shared by the benchmark scripts. Sourced, not run.
set -eu
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
export CLOSKIT_TEMPLATES="$top_srcdir/templates"
REPEAT=${BENCH_REPEAT:-3}

# run_timed OUTVAR CMD...: best wall time (s) of $REPEAT runs into OUTVAR,
# peak RSS (MB) of the best run into OUTVAR_mb.
run_timed() {
	_var=$1
	shift
	_best=""
	_mb=""
	_i=0
	while [ "$_i" -lt "$REPEAT" ]; do
		_i=$((_i + 1))
		[ -z "${BENCH_BEFORE:-}" ] || eval "$BENCH_BEFORE"
		/usr/bin/time -f '%e %M' -o "$BENCH_TMP/time" "$@" >/dev/null
		read -r _t _kb <"$BENCH_TMP/time"
		if [ -z "$_best" ] || awk "BEGIN{exit !($_t < $_best)}"; then
			_best=$_t
			_mb=$(awk "BEGIN{printf \"%.1f\", $_kb / 1024}")
		fi
	done
	eval "$_var=\$_best; ${_var}_mb=\$_mb"
}

ratio() { awk "BEGIN{ if ($2 > 0) printf \"%.2f\", $1 / $2; else print \"inf\" }"; }
