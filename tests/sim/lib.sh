# Shared by the capacity-report shell tests (tests/sim/*.sh): tests/lib.sh
# (with the exit-code and grep expectations) and the paths. Sourced, not run.
. "$(dirname "$0")/../lib.sh"
CR="$top_builddir/capacity-report"
PY=/usr/bin/python3
EX="$top_srcdir/examples"
SIMD="$top_srcdir/tests/sim"
