#!/bin/sh
# The capacity-report HTML, opened in headless Chromium (Debian's): every
# chart draws (the p99-against-load chart of a --load sweep too, whose
# lines must sit where the JSON puts them). Each chart is rendered on its own page and screenshotted; the
# PNG must show the chart's data colours (not just text), and the
# throughput chart must have one bar per pattern and mode, each as long as
# the fraction the JSON report gives.
. "$(dirname "$0")/lib.sh"

CHROMIUM=${CHROMIUM:-chromium}
command -v "$CHROMIUM" >/dev/null || { echo "chromium not found: run tools/bootstrap" >&2; exit 1; }
CR="$top_builddir/capacity-report"

"$CR" --json --html "$TMP/report.html" --n-plus-one --dynamic -s 3 \
	"$top_srcdir/examples/lab-small.yaml" >"$TMP/report.json" && pass || { fail "capacity-report"; finish; exit 1; }
# a load sweep: its chart of p99 slowdown against load joins the others
"$CR" -q --json --html "$TMP/sweep.html" --no-verdict -t permutation --dynamic \
	--dyn-flows 1000 --load 0.3,0.5,0.7,0.9 "$top_srcdir/examples/lab-medium.yaml" \
	>"$TMP/sweep.json" && pass || { fail "capacity-report --load sweep"; finish; exit 1; }

# one page per chart, with the report's own style
/usr/bin/python3 - "$TMP" <<'PY' && pass || fail "split the report into charts"
import re, sys
d = sys.argv[1]
html = open(d + "/report.html").read()
style = "".join(re.findall(r"<style.*?</style>", html, re.S))
svgs = re.findall(r"<svg.*?</svg>", html, re.S)
assert len(svgs) >= 6, len(svgs)
sweep = open(d + "/sweep.html").read()
assert "<h2>p99 FCT slowdown against load</h2>" in sweep
svgs.append(re.findall(r"<svg.*?</svg>", sweep, re.S)[-1])
open(d + "/sweep-chart", "w").write(str(len(svgs) - 1))
for i, svg in enumerate(svgs):
    h = int(re.search(r'height="(\d+)"', svg).group(1))
    open("%s/chart%d.html" % (d, i), "w").write(
        "<!doctype html><html><head>%s</head><body style='margin:0'>%s</body></html>" % (style, svg))
    open("%s/chart%d.height" % (d, i), "w").write(str(h))
open(d + "/charts", "w").write(str(len(svgs)))
PY

n=$(cat "$TMP/charts")
i=0
while [ "$i" -lt "$n" ]; do
	h=$(($(cat "$TMP/chart$i.height") + 20))
	"$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$TMP/profile" --window-size=800,$h \
		--screenshot="$TMP/chart$i.png" "file://$TMP/chart$i.html" >"$TMP/chromium.log" 2>&1
	[ -s "$TMP/chart$i.png" ] && pass || { cat "$TMP/chromium.log" >&2; fail "chart $i: no screenshot"; }
	i=$((i + 1))
done

# every chart drew: enough saturated (data-coloured) pixels in its picture
/usr/bin/python3 - "$TMP" "$n" <<'PY' && pass || fail "a chart did not draw"
import struct, sys, zlib
d, n = sys.argv[1], int(sys.argv[2])

def pixels(path):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        ln, typ = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + ln]
        if typ == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and ctype in (2, 6), (depth, ctype)
            bpp = 3 if ctype == 2 else 4
        elif typ == b"IDAT":
            idat += body
        pos += 12 + ln
    raw, stride, prev, out = zlib.decompress(idat), w * bpp, None, []
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        prev = prev or bytearray(stride)
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b, c = prev[x], prev[x - bpp] if x >= bpp else 0
            if f == 1: line[x] = (line[x] + a) & 255
            elif f == 2: line[x] = (line[x] + b) & 255
            elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        out.append(line)
        prev = line
    return out, bpp

bad = []
for i in range(n):
    rows, bpp = pixels("%s/chart%d.png" % (d, i))
    coloured = sum(1 for r in rows for x in range(0, len(r), bpp)
                   if max(r[x:x + 3]) - min(r[x:x + 3]) > 60)
    print("chart %d: %d coloured pixels" % (i, coloured))
    if coloured < 20:
        bad.append(i)
assert not bad, "charts with nothing drawn: %s" % bad
PY

# the throughput chart: one bar per (pattern, mode), as long as its fraction
/usr/bin/python3 - "$TMP" <<'PY' && pass || fail "throughput bars do not match the JSON"
import json, re, sys
d = sys.argv[1]
rep = json.load(open(d + "/report.json"))
want = [m["fraction"] for p in rep["patterns"] for m in p["modes"]]
svg = open(d + "/chart0.html").read()
bars = [float(w) for w, h in re.findall(r'<rect [^>]*width="([0-9.]+)" height="([0-9.]+)"', svg)
        if float(h) > 12]   # the legend's swatches are 12 high
assert len(bars) == len(want), (len(bars), len(want))
full = max(b / f for b, f in zip(bars, want) if f > 0)
for b, f in zip(bars, want):
    assert abs(b - f * full) < 1.0, (b, f, full)
print("%d bars match their fractions (full width %.0f px)" % (len(bars), full))
PY

# the load-sweep chart: one line per bucket through one point per load,
# x proportional to the load, y to p99 - 1, hollow where few flows; axes
# labelled with their units
/usr/bin/python3 - "$TMP" <<'PY' && pass || fail "load-sweep chart does not match the JSON"
import json, re, sys
d = sys.argv[1]
sw = json.load(open(d + "/sweep.json"))["dynamicSweep"]
svg = open("%s/chart%s.html" % (d, open(d + "/sweep-chart").read())).read()
assert "offered load (% of server capacity)" in svg
assert "p99 FCT slowdown (&#215; idle-fabric FCT)" in svg
lines = re.findall(r'<polyline [^>]*points="([^"]*)"', svg)
assert len(lines) == len(sw[0]["buckets"]) == 4, len(lines)
circles = re.findall(r'<circle cx="([0-9.]+)" cy="([0-9.]+)" r="4" stroke="([^"]+)" fill="([^"]+)"', svg)
assert len(circles) == 4 * len(sw), len(circles)
xs, ys = [], []
for k, pts in enumerate(lines):
    p = [tuple(map(float, q.split(","))) for q in pts.split()]
    assert len(p) == len(sw), (k, p)
    for (x, y), run in zip(p, sw):
        b = run["buckets"][k]
        xs.append((x, run["load"]))
        ys.append((y, b["p99"]))
        c = [c for c in circles if abs(float(c[0]) - x) < 0.1 and abs(float(c[1]) - y) < 0.1]
        assert c and (c[0][3] == "white") == b["p99FewFlows"], (k, run["load"], c)
# x = x0 + a * load, y = y0 - b * (p99 - 1): two points fix each line
(x1, l1), (x2, l2) = xs[0], xs[1]
a = (x2 - x1) / (l2 - l1)
assert all(abs(x - (x1 + a * (l - l1))) < 0.2 for x, l in xs), xs
top = max(p for _, p in ys)
y_top = min(y for y, _ in ys)
scale = (max(y for y, _ in ys) - y_top) / (top - min(p for _, p in ys))
assert all(abs((y - y_top) - scale * (top - p)) < 0.3 for y, p in ys), ys
print("load-sweep chart: %d lines of %d points match the JSON" % (len(lines), len(sw)))
PY
finish
