#!/usr/bin/python3
"""Cross-check capacity-report's max-min rates against SimGrid's solver.

Reads the --links-out and --flows-out files of one capacity-report run
(single-path mode), builds a SimGrid platform with exactly those links and
one explicit route per flow (a full routing zone, no routing of SimGrid's
own), zero latency, the CM02 model (plain max-min sharing) and no cross
traffic, starts every flow at once with more data than it can send, and
reads the rates SimGrid gives them. A flow's demand becomes a private link
of that capacity at the head of its route. Rates are in Gb/s inside
SimGrid (its bandwidths are plain numbers) to keep magnitudes moderate.

Prints one JSON object: flows, maxAbsErrBps, lineRateBps, buildSeconds,
solveSeconds, ok. Exit status 0 when every rate agrees within
--tolerance x line rate (the largest demand), 1 otherwise, 2 on bad input.
"""
import argparse
import json
import os
import sys
import time


def quiet_import():
    """Import simgrid without the banner it logs to stderr at load time."""
    saved = os.dup(2)
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 2)
    try:
        import simgrid
    finally:
        os.dup2(saved, 2)
        os.close(null)
        os.close(saved)
    return simgrid


sg = quiet_import()

SCALE = 1e9          # bps per SimGrid unit
DURATION = 1.0       # simulated seconds before rates are read
PAYLOAD = 10 ** 9    # units; far more than any flow sends in DURATION


def load(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def build(links, flows):
    zone = sg.NetZone.create_full_zone("fabric")
    by_id = {}
    for l in links:
        link = zone.create_link(l["id"], [l["capacityBps"] / SCALE])
        link.set_latency(0)
        link.seal()
        by_id[l["id"]] = sg.LinkInRoute(link)
    # A full zone holds one route per host pair. When every flow has its
    # own server pair, servers are the hosts; otherwise (two flows of one
    # pair may take different ecmp paths) each flow gets a host pair.
    unique = len({(f["src"], f["dst"]) for f in flows}) == len(flows)
    hosts = {}

    def host(name):
        if name not in hosts:
            hosts[name] = zone.create_host(name, 1e9)
        return hosts[name]

    ends = []
    for i, f in enumerate(flows):
        if unique:
            a, b = host(f["src"]), host(f["dst"])
        else:
            a, b = host("f%d-src" % i), host("f%d-dst" % i)
        route = [by_id[x] for x in f["path"]]
        cap = zone.create_link("f%d-demand" % i, [f["demandBps"] / SCALE])
        cap.set_latency(0)
        cap.seal()
        zone.add_route(a.netpoint, b.netpoint, None, None,
                       [sg.LinkInRoute(cap)] + route, False)
        ends.append((a, b))
    zone.seal()
    return ends


def setup(name, precision):
    """The command line (LINKS FLOWS [--tolerance]) and a SimGrid engine
    with plain max-min sharing: CM02, no cross traffic, no latency or
    bandwidth factors."""
    ap = argparse.ArgumentParser()
    ap.add_argument("links")
    ap.add_argument("flows")
    ap.add_argument("--tolerance", type=float, default=1e-6)
    args = ap.parse_args()
    engine = sg.Engine([name, "--cfg=network/model:CM02",
                        "--cfg=network/crosstraffic:0",
                        "--cfg=maxmin/precision:%g" % precision,
                        "--cfg=surf/precision:%g" % precision,
                        "--cfg=network/bandwidth-factor:1",
                        "--cfg=network/latency-factor:1",
                        "--cfg=network/weight-S:0",
                        "--log=root.thres:critical"])
    return args, engine


def main():
    t0 = time.monotonic()
    args, engine = setup("simgrid_check", 1e-12)
    links = load(args.links)
    flows = [f for f in load(args.flows) if f["path"]]
    if not flows:
        print("simgrid_check: no routed flows in " + args.flows,
              file=sys.stderr)
        return 2
    ends = build(links, flows)
    got = []

    def run():
        comms = [sg.Comm.sendto_async(a, b, PAYLOAD) for a, b in ends]
        sg.this_actor.sleep_for(DURATION)
        got.extend((PAYLOAD - c.remaining) / DURATION * SCALE for c in comms)
        for c in comms:
            c.cancel()

    sg.Actor.create("driver", ends[0][0], run)
    t1 = time.monotonic()
    engine.run()
    t2 = time.monotonic()
    line = max(f["demandBps"] for f in flows)
    err = max(abs(g - f["rateBps"]) for g, f in zip(got, flows))
    ok = len(got) == len(flows) and err <= args.tolerance * line
    print(json.dumps({"flows": len(flows), "maxAbsErrBps": err,
                      "lineRateBps": line, "buildSeconds": t1 - t0,
                      "solveSeconds": t2 - t1, "ok": ok}))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
