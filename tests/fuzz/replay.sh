#!/bin/sh
# Every input a fuzzer ever crashed on (tests/fuzz/regress/TARGET) and the
# seed inputs, replayed through the fuzz targets built without libFuzzer:
# in the sanitizer build this is where a regression would show.
. "$(dirname "$0")/../lib.sh"

r="$top_builddir/tests/fuzz"
f="$top_srcdir/tests/fuzz"
"$r/replay_topo" "$f/regress/topo" "$top_srcdir/examples" \
	"$top_srcdir/tests/invalid" "$top_srcdir/tests/data" && pass || fail "topology loader"
"$r/replay_mustache" "$f/regress/mustache" "$top_srcdir/templates" &&
	pass || fail "mustache renderer"
"$r/replay_bundle" "$f/regress/bundle" "$f/seeds/bundle" && pass || fail "bundle parser"
"$r/replay_http" "$f/regress/http" "$f/seeds/http" && pass || fail "fabricd HTTP API"
"$r/replay_traffic" "$f/regress/traffic" "$f/seeds/traffic" &&
	pass || fail "traffic and CDF readers"
finish
