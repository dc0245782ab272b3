#!/bin/sh
# Every file of the lab-small bundles (IPv4 only, dual-stack) against
# tests/golden/CASE/.
# After an intended change: `make regen-golden`, then review `git diff`.
. "$(dirname "$0")/lib.sh"

for case in lab-small lab-small-dualstack; do
	"$FABRIC_GEN" build -q "$top_srcdir/examples/$case.yaml" -o "$TMP/$case" ||
		{ fail "$case: build failed"; continue; }
	if diff -ru "$top_srcdir/tests/golden/$case" "$TMP/$case" >"$TMP/diff"; then
		pass
	else
		head -60 "$TMP/diff" >&2
		fail "$case: output differs from tests/golden/$case (make regen-golden, then review the diff)"
	fi
done
finish
