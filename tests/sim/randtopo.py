#!/usr/bin/python3
"""Write a random small, valid leaf/spine topology (for the SimGrid
cross-check): random racks, servers per rack, ToRs per rack, spines,
links per ToR-spine pair and speeds, so that link capacities differ and
flows contend. Usage: randtopo.py SEED OUT.yaml"""
import random
import sys


def main():
    seed, out = int(sys.argv[1]), sys.argv[2]
    g = random.Random(seed)
    racks = g.randint(2, 5)
    per_rack = g.randint(1, 6)
    tors = g.randint(1, 2)
    spines = g.randint(1, 4)
    links = g.randint(1, 2)
    srv = g.choice([10, 25])
    fab = g.choice([10, 25, 40])
    uplinks = ", ".join("eth%d" % i for i in range(tors))
    with open(out, "w") as f:
        f.write(f"""# random topology, seed {seed}
fabric: rand{seed}
pools:
  loopbacks: 10.255.0.0/24
  servers: 10.1.0.0/22
asn:
  server: 4200000001-4200000999
  tor: 4201000001-4201000099
  spine: 4202000001-4202000009
models:
  tor:
    ports:
      - {{count: {per_rack}, speed: {srv}G, use: down}}
      - {{count: {spines * links}, speed: {fab}G, use: up}}
  spine:
    ports:
      - {{count: {racks * tors * links}, speed: {fab}G}}
servers:
  uplinks: [{uplinks}]
  speed: {srv}G
pods:
  - name: pod1
    racks: {racks}
    servers-per-rack: {per_rack}
tiers:
  - name: tor
    role: tor
    model: tor
    count: {tors}
  - name: spine
    role: spine
    model: spine
    scope: fabric
    count: {spines}
    links: {links}
    speed: {fab}G
""")


if __name__ == "__main__":
    main()
