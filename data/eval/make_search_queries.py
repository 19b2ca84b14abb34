#!/usr/bin/env python3
"""Draw the candidate queries of `leerpad eval search` from ESCO (run once; its output was then
reviewed by hand and the free-text queries were written by hand, see search-queries.md).

Usage: python3 make_search_queries.py ../../../shared/data/esco > candidates.tsv

Occupations are drawn from the 300 most advertised ones (data/demand), the ones the demo
catalogue holds most offers for. Every query gets a split: 'tune' (used while building search)
or 'holdout' (only reported), alternating within each type.
"""
import csv, random, re, sys
from collections import defaultdict

esco = sys.argv[1]
rng = random.Random(17)

def rows(name):
    return list(csv.DictReader(open(f"{esco}/{name}", encoding="utf-8")))

def alts(r):
    return [a.strip() for a in r.get("altLabels", "").split("\n") if a.strip()]

occ_nl = {r["conceptUri"]: r for r in rows("occupations_nl.csv")}
occ_en = {r["conceptUri"]: r for r in rows("occupations_en.csv")}
counts = {}
for r in csv.DictReader(open("../demand/job-offers-per-occupation.csv")):
    counts[r["occupation"]] = int(r["job_offers"])
key = lambda uri: uri.rsplit("/", 1)[-1]
top = sorted((u for u in occ_nl if key(u) in counts), key=lambda u: -counts[key(u)])[:300]

# Every label (nl and en, preferred and alternative) with the occupations having it.
owners = defaultdict(set)
for u in occ_nl:
    for l in [occ_nl[u]["preferredLabel"], *alts(occ_nl[u]), occ_en[u]["preferredLabel"], *alts(occ_en[u])]:
        owners[l.lower()].add(u)

short = lambda l: len(l.split()) <= 3 and "/" not in l and "(" not in l
out = []

def add(kind, query, targets):
    out.append((kind, query, " ".join(targets)))

for u in rng.sample([u for u in top if short(occ_nl[u]["preferredLabel"])], 20):
    add("occupation", occ_nl[u]["preferredLabel"], [u])

pool = [u for u in top if u not in {t for _, _, t in out}]
rng.shuffle(pool)
n_nl = n_en = 0
for u in pool:
    pref = occ_nl[u]["preferredLabel"].lower()
    if n_nl < 10:
        cands = [a for a in alts(occ_nl[u]) if short(a) and owners[a.lower()] == {u}
                 and pref not in a.lower() and a.lower() not in pref]
        if cands:
            add("synonym", rng.choice(cands), [u]); n_nl += 1; continue
    if n_en < 10:
        en = occ_en[u]["preferredLabel"]
        if short(en) and owners[en.lower()] == {u} and en.lower() != pref:
            add("synonym", en, [u]); n_en += 1

# Compound parts: the first or last part of a one-word Dutch label, where the part is itself a
# Dutch word of the taxonomy but no occupation label; relevant are the occupations with a word
# starting or ending with it (judged in the eval from the offer's occupation).
words = set()
for r in rows("skills_nl.csv") + list(occ_nl.values()):
    for l in [r["preferredLabel"], *alts(r)]:
        words.update(w for w in re.findall(r"[a-zà-ÿ]+", l.lower()) if len(w) >= 4)
parts = defaultdict(set)
for u in top:
    for w in re.findall(r"[a-zà-ÿ]+", occ_nl[u]["preferredLabel"].lower()):
        for i in range(4, len(w) - 3):
            for p in (w[:i], w[i:]):
                if p in words and p not in owners and len(p) >= 4:
                    parts[p].add(u)
good = sorted(p for p, us in parts.items() if 2 <= len(us) <= 15)
for p in rng.sample(good, 13) + ["heftruck", "zorg"]:
    add("compound", p, ["part:" + p])

skills_nl = {r["conceptUri"]: r["preferredLabel"] for r in rows("skills_nl.csv")}
rel = defaultdict(set)
for r in rows("occupationSkillRelations.csv"):
    if r["relationType"] == "essential" and r["occupationUri"] in set(top):
        rel[r["skillUri"]].add(r["occupationUri"])
cands = sorted(s for s in rel if s in skills_nl and len(skills_nl[s].split()) <= 4)
for s in rng.sample(cands, 15):
    add("skill", skills_nl[s], [s])

seen = defaultdict(int)
print("type\tquery\trelevant\tsplit")
for kind, q, t in out:
    split = "tune" if seen[kind] % 2 == 0 else "holdout"
    seen[kind] += 1
    print(f"{kind}\t{q}\t{t}\t{split}")
