#!/usr/bin/python3
"""Cross-check capacity-report --dynamic's flow-completion times with SimGrid.

Reads the --links-out and --dyn-flows-out files of one dynamic run
(single-path mode) and replays the same flows in SimGrid: exactly those
links, one explicit route per flow in a full routing zone, zero latency,
the CM02 model (plain max-min sharing), no cross traffic, precision 1e-9.
Each source server's nominal rate, which caps all its flows together,
becomes one private link at the head of all its flows' routes. Every flow
is an actor that sleeps until its arrival, sends its bytes and records its
completion time. SimGrid sizes are whole bytes; its clock runs in
microseconds (bandwidths in bytes per microsecond) to keep magnitudes
moderate.

Prints one JSON object: flows, maxRelErr, worst, buildSeconds,
solveSeconds, ok. Exit status 0 when every FCT agrees within --tolerance
(relative), 1 otherwise, 2 on bad input.
"""
import json
import sys
import time

from simgrid_check import load, quiet_import, setup

sg = quiet_import()

TICK = 1e-6          # seconds per SimGrid time unit


def link(zone, name, bps):
    lk = zone.create_link(name, [bps / 8 * TICK])
    lk.set_latency(0)
    lk.seal()
    return sg.LinkInRoute(lk)


def build(links, flows):
    """Hosts and routes: servers are hosts while a pair's route is unique;
    a second flow of a pair gets its own pair of hosts."""
    zone = sg.NetZone.create_full_zone("fabric")
    by_id = {l["id"]: link(zone, l["id"], l["capacityBps"]) for l in links}
    caps, hosts, seen, ends = {}, {}, set(), []

    def host(name):
        if name not in hosts:
            hosts[name] = zone.create_host(name, 1e9)
        return hosts[name]

    for i, f in enumerate(flows):
        if f["src"] not in caps:
            caps[f["src"]] = link(zone, "cap-" + f["src"], f["capBps"])
        pair = (f["src"], f["dst"])
        if pair in seen:
            a, b = host("f%d-src" % i), host("f%d-dst" % i)
        else:
            seen.add(pair)
            a, b = host(f["src"]), host(f["dst"])
        zone.add_route(a.netpoint, b.netpoint, None, None,
                       [caps[f["src"]]] + [by_id[x] for x in f["path"]],
                       False)
        ends.append((a, b))
    zone.seal()
    return ends


def main():
    t0 = time.monotonic()
    args, engine = setup("simgrid_dyn", 1e-9)
    links = load(args.links)
    flows = [f for f in load(args.flows) if f["path"] and f["fctS"]]
    if not flows:
        print("simgrid_dyn: no finished routed flows in " + args.flows,
              file=sys.stderr)
        return 2
    ends = build(links, flows)
    fct = [None] * len(flows)

    def flow(i):
        f = flows[i]
        sg.this_actor.sleep_until(f["arriveS"] / TICK)
        sg.Comm.sendto(ends[i][0], ends[i][1], f["bytes"])
        fct[i] = sg.Engine.clock * TICK - f["arriveS"]

    for i in range(len(flows)):
        sg.Actor.create("f%d" % i, ends[i][0], flow, i)
    t1 = time.monotonic()
    engine.run()
    t2 = time.monotonic()
    errs = [abs(g - f["fctS"]) / f["fctS"] for g, f in zip(fct, flows)]
    worst = max(range(len(errs)), key=errs.__getitem__)
    ok = errs[worst] <= args.tolerance
    print(json.dumps({"flows": len(flows), "maxRelErr": errs[worst],
                      "worst": dict(flows[worst], simgridFctS=fct[worst]),
                      "buildSeconds": t1 - t0, "solveSeconds": t2 - t1,
                      "ok": ok}))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
