# Shared by the lab tests (sourced after tests/lib.sh, with NAME set to the
# lab's name): root or skip, the lab removed on any exit, and the helpers
# each test used to define for itself.
[ "$(id -u)" -eq 0 ] || { echo "needs root (network namespaces)"; exit 77; }
LAB_BIN="$top_builddir/fabric-lab"
B="/run/closkit/lab/$NAME/bundle"
trap '"$LAB_BIN" down --name "$NAME" -q; rm -rf "$TMP"' EXIT
lab() { "$LAB_BIN" --name "$NAME" "$@"; }
ns() { echo "$NAME-$1"; }
# the generation an agent has applied
generation() { lab ctl --json status "$1" | /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['$1']['generation'])"; }
