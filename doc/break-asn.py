#!/usr/bin/python3
"""Make a deliberately bad generation of one node in a copied bundle, as the
operator guide does to show an automatic rollback: NODE's frr.conf expects
ASN on PORT (a session that will never come up), the generation is raised
to GENERATION, and the checksums in node.json and manifest.json are updated
so that the agent accepts the bundle and fails it only in verification.

Usage: doc/break-asn.py BUNDLE NODE PORT ASN GENERATION
"""
import hashlib
import json
import re
import sys


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def main(argv):
    if len(argv) != 6:
        sys.exit(__doc__.strip().splitlines()[-1])
    bundle, node, port, asn, gen = argv[1:]
    if not re.fullmatch(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?", node):
        sys.exit(f"break-asn: '{node}' is not a node name")
    conf = f"{bundle}/nodes/{node}/frr.conf"
    text, n = re.subn(rf"^( neighbor {re.escape(port)} remote-as ).*$",
                      rf"\g<1>{asn}", open(conf).read(), flags=re.M)
    if n == 0:
        sys.exit(f"break-asn: {conf} has no 'neighbor {port} remote-as' line")
    open(conf, "w").write(text)
    path = f"{bundle}/nodes/{node}/node.json"
    nodecfg = json.load(open(path))
    nodecfg["generation"] = int(gen)
    nodecfg["files"]["frr.conf"]["sha256"] = sha256(text.encode())
    out = json.dumps(nodecfg, indent=2) + "\n"
    open(path, "w").write(out)
    manifest = json.load(open(f"{bundle}/manifest.json"))
    manifest["generation"] = int(gen)
    for entry in manifest["nodes"]:
        if entry["name"] == node:
            entry["sha256"] = sha256(out.encode())
    with open(f"{bundle}/manifest.json", "w") as f:
        f.write(json.dumps(manifest, indent=2) + "\n")


if __name__ == "__main__":
    main(sys.argv)
