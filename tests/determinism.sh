#!/bin/sh
# Same input, byte-identical output: two builds of each example, and a
# rebuild over an existing bundle, compare equal.
. "$(dirname "$0")/lib.sh"

for case in lab-small leaf-spine line-2pod; do
	y="$top_srcdir/examples/$case.yaml"
	"$FABRIC_GEN" build -q "$y" -o "$TMP/a" &&
		"$FABRIC_GEN" build -q "$y" -o "$TMP/b" &&
		"$FABRIC_GEN" build -q "$y" -o "$TMP/b" ||
		{ fail "$case: build failed"; continue; }
	if diff -r "$TMP/a" "$TMP/b" >/dev/null; then pass; else fail "$case: two builds differ"; fi
	"$FABRIC_GEN" diff --exit-code "$TMP/a" "$TMP/b" >/dev/null &&
		pass || fail "$case: fabric-gen diff reports changes between identical builds"
	CLOSKIT_THREADS=1 "$FABRIC_GEN" build -q "$y" -o "$TMP/c" &&
		CLOSKIT_THREADS=5 "$FABRIC_GEN" build -q "$y" -o "$TMP/d" ||
		fail "$case: build with a set thread count failed"
	if diff -r "$TMP/a" "$TMP/c" >/dev/null && diff -r "$TMP/a" "$TMP/d" >/dev/null; then
		pass
	else
		fail "$case: output depends on the thread count"
	fi
	rm -rf "$TMP/a" "$TMP/b" "$TMP/c" "$TMP/d"
done
finish
