#!/usr/bin/env python3
"""Redo an advice programme's draw from its published file and say whether it matches.

Usage: redo_draw.py DRAW.json

The file is what Leerpad publishes when a registration window closes: the seed, the capacity,
the places of each reserve (in order), every registration with the reserves whose target group
it belongs to, and the result. The rule (also in crates/leerpad-domain/src/advice/draw.rs):

1. a registration's lottery number is the SHA-256 of "{seed}:{registration}" in lowercase hex;
2. registrations are taken in ascending order of that number (then of their reference);
3. each reserve, in order, takes the registrations of its group without a place, up to its
   places (never more than the places left);
4. the places left go to the registrations without a place, in the same order;
5. the rest form the waitlist, in the same order, numbered from 1.

Written without Leerpad's code, with Python's standard library only. Exit status 0 when the
published result is exactly the one redone, 1 otherwise (with the first difference).
"""
import hashlib
import json
import sys


def redo(draw):
    seed = draw["seed"]
    left = int(draw["capacity"])
    regs = []
    for r in draw["registrations"]:
        number = hashlib.sha256(f"{seed}:{r['registration']}".encode("utf-8")).hexdigest()
        regs.append((number, r["registration"], set(r.get("groups", []))))
    regs.sort()
    outcome = {}
    for group, reserve in enumerate(draw["reserves"]):
        to_fill = min(int(reserve["places"]), left)
        for number, ref, groups in regs:
            if to_fill == 0:
                break
            if ref not in outcome and group in groups:
                outcome[ref] = f"reserve {group}"
                to_fill -= 1
                left -= 1
    position = 0
    for number, ref, groups in regs:
        if ref in outcome:
            continue
        if left > 0:
            outcome[ref] = "open"
            left -= 1
        else:
            position += 1
            outcome[ref] = f"waitlist {position}"
    return [
        {"registration": ref, "number": number, "outcome": outcome[ref]}
        for number, ref, _ in regs
    ]


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8") as f:
        draw = json.load(f)
    expected = redo(draw)
    published = draw["result"]
    if len(published) != len(expected):
        print(f"published {len(published)} lines, redone {len(expected)}")
        return 1
    for i, (p, e) in enumerate(zip(published, expected)):
        if p != e:
            print(f"line {i + 1} differs: published {p}, redone {e}")
            return 1
    places = sum(1 for e in expected if not e["outcome"].startswith("waitlist"))
    print(f"the draw matches: {len(expected)} registrations, {places} places")
    return 0


if __name__ == "__main__":
    sys.exit(main())
