#!/bin/sh
# Each broken topology in tests/invalid/ must fail with the message (file,
# line, column, what to do) its last line expects, and write nothing.
. "$(dirname "$0")/lib.sh"

for f in "$top_srcdir"/tests/invalid/*.yaml; do
	name=$(basename "$f")
	expect=$(sed -n 's/^# expect: //p' "$f")
	out="$TMP/out-$name"
	[ -n "$expect" ] || { fail "$name: no '# expect:' line"; continue; }
	cp "$f" "$TMP/$name"
	(cd "$TMP" && "$FABRIC_GEN" build "$name" -o "$out") \
		>"$TMP/stdout" 2>"$TMP/stderr"
	rc=$?
	if [ "$rc" -ne 1 ]; then
		fail "$name: exit $rc, expected 1"
	elif ! grep -qF -- "fabric-gen: $expect" "$TMP/stderr"; then
		fail "$name: expected '$expect', got '$(cat "$TMP/stderr")'"
	elif [ -e "$out" ] || ls -d "$out".new-* >/dev/null 2>&1; then
		fail "$name: output was written despite the error"
	elif [ -s "$TMP/stdout" ]; then
		fail "$name: printed to stdout on failure"
	else
		pass
	fi
done

# A file over the 16 MiB limit is refused before it is read whole.
{ cat "$top_srcdir/examples/lab-small.yaml"
  head -c 17000000 /dev/zero | tr '\0' '#' | fold -w 1000; } >"$TMP/huge.yaml"
"$FABRIC_GEN" check "$TMP/huge.yaml" 2>"$TMP/stderr"
rc=$?
[ $rc -eq 1 ] && grep -q "huge.yaml: file is larger than 16777216 bytes" "$TMP/stderr" && pass ||
	fail "16 MiB limit: exit $rc, $(cat "$TMP/stderr")"

# An invalid topology must not touch an existing bundle either.
"$FABRIC_GEN" build -q "$top_srcdir/examples/lab-small.yaml" -o "$TMP/keep"
sum=$(cd "$TMP/keep" && find . -type f | sort | xargs sha256sum | sha256sum)
"$FABRIC_GEN" build -q "$top_srcdir/tests/invalid/port-budget.yaml" \
	-o "$TMP/keep" 2>/dev/null && fail "broken input accepted"
after=$(cd "$TMP/keep" && find . -type f | sort | xargs sha256sum | sha256sum)
[ "$sum" = "$after" ] && pass || fail "existing bundle changed by a failed build"

finish
