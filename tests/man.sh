#!/bin/sh
# No drift between what the programs and the loader accept and what the
# manual says: every long option of each --help is in its man page and
# every option a man page names exists; every key the topology loader
# accepts is documented in fabric-topology(5).
. "$(dirname "$0")/lib.sh"

opts() { grep -o -- '--[a-z][a-z0-9-]*' | sort -u; }

for p in fabric-gen:1 capacity-report:1 fabric-lab:8 fabricd/fabricctl:8 fabricd/fabricd:8; do
	prog=${p%:*}
	page="$top_builddir/doc/man/$(basename "$prog").${p#*:}"
	[ -s "$page" ] || { fail "$page missing"; continue; }
	"$top_builddir/$prog" --help | opts >"$TMP/help"
	sed 's/\\-/-/g; s/\\f[BIRP]//g' "$page" | opts >"$TMP/man"
	[ -s "$TMP/help" ] || { fail "$prog --help lists no option"; continue; }
	missing=$(comm -23 "$TMP/help" "$TMP/man" | tr '\n' ' ')
	extra=$(comm -13 "$TMP/help" "$TMP/man" | tr '\n' ' ')
	[ -z "$missing" ] && pass || fail "$page lacks $missing"
	[ -z "$extra" ] && pass || fail "$page names options $prog does not have: $extra"
done

# every key in the loader's allowed-key tables, documented as `key`
sed -n '/static const char \*const [a-z_]*keys\[\] = {/,/};/p' "$top_srcdir/topo/load.c" |
	grep -o '"[a-z-]*"' | tr -d '"' | sort -u >"$TMP/keys"
[ "$(wc -l <"$TMP/keys")" -ge 30 ] && pass || fail "found only $(wc -l <"$TMP/keys") loader keys"
while read -r k; do
	grep -q "\`$k\`" "$top_srcdir/doc/topology.md" && pass || fail "topology key '$k' is not documented in doc/topology.md"
done <"$TMP/keys"
[ -s "$top_builddir/doc/man/fabric-topology.5" ] && pass || fail "fabric-topology.5 missing"

# generated pages are build products: git ignores them (in a git checkout)
if git -C "$top_srcdir" rev-parse --git-dir >/dev/null 2>&1; then
	for m in fabric-gen.1 fabricd.8 fabric-topology.5; do
		git -C "$top_srcdir" check-ignore -q "doc/man/$m" && pass || fail "doc/man/$m is not in .gitignore"
	done
fi

# the examples cite only files that ship with them (*.md, *.yaml, ...)
for f in "$top_srcdir"/examples/*.yaml; do
	grep '#' "$f" | grep -oE '[A-Za-z0-9_./-]+\.(md|yaml|json|csv|sh)\b' | sort -u |
	while read -r ref; do
		[ -e "$top_srcdir/$ref" ] || [ -e "$top_srcdir/examples/$ref" ] || [ -e "$top_srcdir/doc/$ref" ] ||
			echo "$(basename "$f") cites $ref, which is not in the repository"
	done
done >"$TMP/refs"
[ ! -s "$TMP/refs" ] && pass || fail "$(cat "$TMP/refs")"

finish
