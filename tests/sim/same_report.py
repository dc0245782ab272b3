#!/usr/bin/python3
"""same_report.py A.json B.json: exit 0 when two capacity-report JSON
reports are equal apart from times (keys "seconds" and "*Seconds"), else
name the top-level keys that differ (the --merge contract)."""
import json
import sys


def strip(v):
    if isinstance(v, dict):
        return {k: strip(x) for k, x in v.items()
                if k != "seconds" and not k.endswith("Seconds")}
    if isinstance(v, list):
        return [strip(x) for x in v]
    return v


a, b = (strip(json.load(open(p))) for p in sys.argv[1:3])
diff = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
if diff:
    sys.exit("reports differ in: " + ", ".join(diff))
