#!/usr/bin/env python3
"""Redo a closed call's published order from its seed, independently of Leerpad.

Reads the order as `GET /api/v1/calls/{slug}/order` publishes it (JSON on stdin), recomputes
every application's lottery number (SHA-256 of "{seed}:{reference}", lowercase hex), sorts
ascending, gives the budget in that order (an application that no longer fits is passed over),
and prints the result as JSON lines: reference, number, funded. Exits 1 when the published order
differs from the recomputed one.
"""
import hashlib
import json
import sys


def redo(published):
    seed = published["seed"]
    left = published["budget_cents"]
    entries = [
        (hashlib.sha256(f"{seed}:{a['reference']}".encode()).hexdigest(), a["reference"], a["amount_cents"])
        for a in published["applications"]
    ]
    entries.sort()
    out = []
    for number, reference, amount in entries:
        funded = amount <= left
        if funded:
            left -= amount
        out.append({"reference": reference, "number": number, "funded": funded})
    return out


def main():
    published = json.load(sys.stdin)
    mine = redo(published)
    theirs = [
        {"reference": a["reference"], "number": a["number"], "funded": a["funded"]}
        for a in published["applications"]
    ]
    for line in mine:
        print(json.dumps(line))
    if mine != theirs:
        print("the published order differs from the recomputed one", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
