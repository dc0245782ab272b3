#!/bin/sh
# Every example's bundle against tests/golden/CASE/: whole, or, where
# tests/golden/CASE/SHA256SUMS exists (bundles of many MB), in the compact
# form of tests/golden-compact.sh. An example without a golden fails.
# After an intended change: `make regen-golden`, then review `git diff`.
. "$(dirname "$0")/lib.sh"

for yaml in "$top_srcdir"/examples/*.yaml; do
	case=$(basename "$yaml" .yaml)
	g="$top_srcdir/tests/golden/$case"
	[ -d "$g" ] || { fail "$case: no tests/golden/$case (add the case to make regen-golden)"; continue; }
	"$FABRIC_GEN" build -q "$yaml" -o "$TMP/$case" ||
		{ fail "$case: build failed"; continue; }
	out="$TMP/$case"
	if [ -f "$g/SHA256SUMS" ]; then
		out="$TMP/$case.compact"
		sh "$top_srcdir/tests/golden-compact.sh" "$TMP/$case" "$out"
	fi
	if diff -ru "$g" "$out" >"$TMP/diff"; then
		pass
	else
		head -60 "$TMP/diff" >&2
		fail "$case: output differs from tests/golden/$case (make regen-golden, then review the diff)"
	fi
	rm -rf "$TMP/$case" "$TMP/$case.compact"
done
finish
