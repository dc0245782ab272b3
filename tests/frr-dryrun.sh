#!/bin/sh
# FRR itself must accept what we generate: `vtysh --dryrun -f` on every
# frr.conf of lab-small (IPv4 only and dual-stack) and leaf-spine, and on a sample of line-2pod that
# covers every role (every spine and border, a leaf and ToR of each cluster,
# and servers spread over both pods).
. "$(dirname "$0")/lib.sh"

VTYSH=${VTYSH:-vtysh}
command -v "$VTYSH" >/dev/null || { echo "vtysh not found: run tools/bootstrap" >&2; exit 1; }

check_dir() { # bundle dir, list of node names on stdin
	while read -r node; do
		if "$VTYSH" --dryrun -f "$1/nodes/$node/frr.conf" >"$TMP/vtysh.out" 2>&1; then
			pass
		else
			fail "$node: vtysh --dryrun: $(cat "$TMP/vtysh.out")"
		fi
	done
}

for y in examples/lab-small examples/lab-small-dualstack examples/leaf-spine \
	tests/data/superspine; do
	case=$(basename "$y")
	"$FABRIC_GEN" build -q "$top_srcdir/$y.yaml" -o "$TMP/$case"
	ls "$TMP/$case/nodes" >"$TMP/list"
	check_dir "$TMP/$case" <"$TMP/list"	# not a pipe: counts must survive
done

"$FABRIC_GEN" build -q "$top_srcdir/examples/line-2pod.yaml" -o "$TMP/line"
grep '"tier": ' "$TMP/line/topology.json" | grep -o '"name": "[^"]*", "role": "[^"]*"' |
	sed 's/"name": "\([^"]*\)", "role": "\([^"]*\)"/\1 \2/' |
	awk '$2 == "spine" || $2 == "border" { print; next }
	     $2 == "leaf" && n_leaf++ % 4 == 0 { print; next }
	     $2 == "tor" && n_tor++ % 12 == 0 { print; next }
	     $2 == "server" && n_srv++ % 150 == 0 { print }' >"$TMP/sample-roles"
n=$(wc -l <"$TMP/sample-roles")
[ "$n" -ge 200 ] && pass || fail "line-2pod sample has only $n nodes (need >= 200)"
for role in server tor leaf spine border; do
	if grep -q " $role\$" "$TMP/sample-roles"; then pass; else fail "no $role in the line-2pod sample"; fi
done
cut -d' ' -f1 "$TMP/sample-roles" >"$TMP/sample"
check_dir "$TMP/line" <"$TMP/sample"
echo "line-2pod: checked $n nodes with vtysh --dryrun"
finish
