#!/bin/sh
# fabric-gen on the reference build (line-2pod: 15,348 node bundles, ~30,700
# files): build to tmpfs against `cp -r` of its own output on the same
# filesystem (the I/O floor), peak memory, and a render-only dry run.
# Targets (issue 1/6): build <= 2x cp -r, <= 500 MB, dry run <= 0.5 s.
# Then `check` with ~16 MiB of overrides (issue 2.1: <= 10 s), against
# `check` without them.
. "$(dirname "$0")/lib.sh"

GEN="$top_builddir/fabric-gen"
Y="$top_srcdir/examples/line-2pod.yaml"
SHM=${BENCH_TMPFS:-/dev/shm}
BENCH_TMP=$(mktemp -d "$SHM/closkit-bench.XXXXXX")
DISK_TMP=$(mktemp -d "${TMPDIR:-/var/tmp}/closkit-bench.XXXXXX")
trap 'rm -rf "$BENCH_TMP" "$DISK_TMP"' EXIT

files=$("$GEN" build -q "$Y" -o "$BENCH_TMP/ref" && find "$BENCH_TMP/ref" -type f | wc -l)

for fs in tmpfs disk; do
	[ "$fs" = tmpfs ] && d=$BENCH_TMP || d=$DISK_TMP
	BENCH_BEFORE="rm -rf '$d/out'"
	run_timed build "$GEN" build -q "$Y" -o "$d/out"
	BENCH_BEFORE="rm -rf '$d/copy'"
	run_timed copy cp -r "$d/out" "$d/copy"
	BENCH_BEFORE=""
	printf '%-6s build %6.2f s  %6.1f MB peak   cp -r %6.2f s   build/cp = %s (target <= 2)\n' \
		"$fs" "$build" "$build_mb" "$copy" "$(ratio "$build" "$copy")"
	[ "$fs" = tmpfs ] && { tmpfs_build=$build; tmpfs_mb=$build_mb; }
done

run_timed dry "$GEN" build -q -n "$Y"
run_timed check "$GEN" check -q "$Y"
echo "line-2pod: $files files; dry run (render + checksum all) $dry s, $dry_mb MB (target <= 0.5 s); load+validate+expand $check s"
echo "fabric-gen figures: build_tmpfs_s=$tmpfs_build peak_mb=$tmpfs_mb dry_run_s=$dry check_s=$check"

# ~16 MiB of overrides (the file limit): mostly exact names, every 1000th a
# glob with a literal prefix (a rack), every 10000th one that starts with a
# wildcard (tried on every name). BFD only: an MTU on one node would split
# its cables, a routing override would hit switches.
gen_overrides() {
	_limit=$((16 * 1024 * 1024 - $(wc -c <"$2") - 200))
	{ cat "$2"; echo "overrides:"; awk -v limit="$_limit" '
		{ name[n++] = $0 }
		END {
			for (i = 0; ; i++) {
				if (i % 10000 == 9999)
					l = sprintf("  - {match: \"*-s%02d\", bfd: {interval-ms: 250}}", i % 40 + 1)
				else if (i % 1000 == 999)
					l = sprintf("  - {match: \"pod%d-r%03d-*\", bfd: {multiplier: 4}}", i % 2 + 1, i % 180 + 1)
				else
					l = sprintf("  - {match: %s, bfd: {interval-ms: %d}}", name[i % n], 100 + i % 400)
				if (bytes + length(l) + 1 > limit)
					break
				print l
				bytes += length(l) + 1
			}
		}' "$1"; } >"$3"
}

ls "$BENCH_TMP/ref/nodes" >"$BENCH_TMP/names"
OVR="$BENCH_TMP/overrides.yaml"
gen_overrides "$BENCH_TMP/names" "$Y" "$OVR"
novr=$(grep -c '^  - {match' "$OVR")
run_timed ovr "$GEN" check -q "$OVR"
/usr/bin/time -f '%U %S' -o "$BENCH_TMP/cpu" "$GEN" check -q "$OVR" >/dev/null
read -r ovr_user ovr_sys <"$BENCH_TMP/cpu"
echo "line-2pod + $novr overrides ($(wc -c <"$OVR") bytes): check $ovr s (cpu ${ovr_user}u+${ovr_sys}s), $ovr_mb MB peak; without overrides $check s; ratio $(ratio "$ovr" "$check") (target <= 10 s)"
echo "fabric-gen override figures: overrides=$novr check_overrides_s=$ovr check_s=$check ratio=$(ratio "$ovr" "$check") peak_mb=$ovr_mb"

# Dual-stack (issue 2.8): the same fabric with IPv6 pools, against IPv4
# alone measured above. Target: <= 1.3x, for the dry run and the build.
sed 's|^  servers: 10.0.0.0/16.*|&\n  loopbacks6: 2001:db8:ff::/64\n  servers6: 2001:db8::/56|' \
	"$Y" >"$DISK_TMP/line6.yaml"
run_timed dry6 "$GEN" build -q -n "$DISK_TMP/line6.yaml"
BENCH_BEFORE="rm -rf '$BENCH_TMP/out6'"
run_timed build6 "$GEN" build -q "$DISK_TMP/line6.yaml" -o "$BENCH_TMP/out6"
BENCH_BEFORE=""
echo "line-2pod dual-stack: dry run $dry6 s = $(ratio "$dry6" "$dry") x IPv4; build (tmpfs) $build6 s = $(ratio "$build6" "$tmpfs_build") x IPv4 (target <= 1.3)"
