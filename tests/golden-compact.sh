#!/bin/sh
# golden-compact.sh BUNDLE OUT: the compact golden of a bundle too big to
# commit whole. OUT/SHA256SUMS holds the sha256 of the four fabric files;
# manifest.json holds the sha256 of every node.json, and each node.json that
# of its frr.conf, so the sums cover every byte of the bundle. OUT/nodes/
# holds the first node of each role (manifest order) whole, so that a
# change shows up as a diff one can review, not only as a new sum.
set -e
b=$1 out=$2
mkdir -p "$out/nodes"
(cd "$b" && sha256sum manifest.json topology.json cabling.csv topology.dot) \
	>"$out/SHA256SUMS"
awk -F'"' '/^      "name": / { name = $4 }
	/^      "role": / { if (!($4 in seen)) { seen[$4] = 1; print name } }' \
	"$b/manifest.json" | while read -r n; do
	cp -r "$b/nodes/$n" "$out/nodes/$n"
done
