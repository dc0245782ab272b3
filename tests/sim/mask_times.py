"""Print a capacity-report JSON report (argv[1]) with every time of the
run masked: each key ending in Seconds or seconds becomes "masked" (the
simulated times too, to keep one rule); other reals to 10 significant
digits (so another compiler or -O level, summing in another order, does
not move the last bits); keys sorted, two-space indent. The golden tests
compare this text."""
import json
import sys


def mask(o):
    if isinstance(o, dict):
        return {k: "masked" if k.lower().endswith("seconds") else mask(v)
                for k, v in o.items()}
    if isinstance(o, list):
        return [mask(v) for v in o]
    if isinstance(o, float):
        return float("%.10g" % o)
    return o


with open(sys.argv[1]) as f:
    report = json.load(f)
print(json.dumps(mask(report), indent=2, sort_keys=True))
