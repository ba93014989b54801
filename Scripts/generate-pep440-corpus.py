#!/usr/bin/env python3
"""Generate the PEP 440 ordering corpus used by Tests/UpdaterTests (PEP440CorpusTests).

Writes Tests/UpdaterTests/Fixtures/pep440-corpus.json: version strings in many spellings (valid,
messy, epochs, pre/post/dev releases, local versions) with the order Python's `packaging` gives
them, plus strings `packaging` rejects. Deterministic (fixed seed), so re-running it only changes
the file when `packaging` changes its mind.

    python3 -m pip install packaging   # any recent version
    python3 Scripts/generate-pep440-corpus.py
"""

import json
import pathlib
import random

import packaging
from packaging.version import InvalidVersion, Version

SEED = 440
OUTPUT = pathlib.Path(__file__).resolve().parent.parent / "Tests/UpdaterTests/Fixtures/pep440-corpus.json"

PRE_SPELLINGS = {
    "a": ["a", "alpha", "A", "Alpha"],
    "b": ["b", "beta", "B"],
    "rc": ["rc", "c", "pre", "preview", "RC"],
}
SEPARATORS = ["", ".", "-", "_"]


def spell_release(rng, release):
    parts = [str(n) for n in release]
    if rng.random() < 0.1:
        parts = [("0" + p if rng.random() < 0.5 else p) for p in parts]  # leading zeros
    return ".".join(parts)


def random_version(rng):
    text = ""
    if rng.random() < 0.08:
        text += rng.choice(["v", "V"])
    if rng.random() < 0.1:
        text += f"{rng.randint(0, 3)}!"
    release = [rng.randint(0, 3) for _ in range(rng.randint(1, 4))]
    if rng.random() < 0.2:
        release.append(0)  # trailing zeros are insignificant
    text += spell_release(rng, release)
    if rng.random() < 0.35:
        kind = rng.choice(list(PRE_SPELLINGS))
        text += rng.choice(SEPARATORS) + rng.choice(PRE_SPELLINGS[kind])
        if rng.random() < 0.85:
            text += rng.choice(SEPARATORS) + str(rng.randint(0, 3))
    if rng.random() < 0.3:
        style = rng.random()
        if style < 0.3:
            text += f"-{rng.randint(0, 3)}"
        else:
            text += rng.choice(SEPARATORS) + rng.choice(["post", "rev", "r", "POST"])
            if rng.random() < 0.8:
                text += rng.choice(SEPARATORS) + str(rng.randint(0, 3))
    if rng.random() < 0.25:
        text += rng.choice(SEPARATORS) + rng.choice(["dev", "DEV"])
        if rng.random() < 0.8:
            text += rng.choice(SEPARATORS) + str(rng.randint(0, 3))
    if rng.random() < 0.15:
        parts = [rng.choice(["ubuntu", "abc", "1", "2", "10", "b", "Cuda11", "0"]) for _ in range(rng.randint(1, 3))]
        text += "+" + parts[0] + "".join(rng.choice([".", "-", "_"]) + p for p in parts[1:])
    if rng.random() < 0.03:
        text = " " + text + rng.choice([" ", "\t", "\n"])
    return text


def random_invalid(rng):
    choices = [
        "", "v", "latest", "1.0-alpine", "1.0.", ".1", "1..0", "1.0_1", "1.0+", "1.0+a..b", "1.0+-a",
        "1.0a1a1", "1.0.dev1.post1", "1!", "!1", "1.0 a1", "1.0-rc-", "1.0c.1.1", "a1.0", "1.0-beta-x",
        "1.0+ubuntu+1", "1.0.0.0.final", "1.0--1x", "1.0.devx", "1.0pre-1-", "1.0..post1", "1,0", "1.0.post1.post2",
    ]
    base = rng.choice(choices)
    if base and rng.random() < 0.3:
        base = str(rng.randint(1, 9)) + "." + base
    return base


def main():
    rng = random.Random(SEED)
    valid = {}
    invalid = set()
    # Hand-picked spellings first, then random ones until the corpus is large enough.
    seeds = [
        "1.0", "1.0.0", "v1.0", "1.0.post1", "1.0-1", "1.0.dev0", "1.0a1", "1.0b1", "1.0rc1", "1.0c1",
        "1!0.1", "1.0+local.1", "1.0+local.a", "1.0+1", "1.0a-", "1.0a--1", "1.0-dev", "1.0-r", "1.0rev",
        "01.02", "1.0.post", "1.0-1-dev", "2022.01.05", "1.0.0a0.post0.dev0+0", "1.0a1.dev1", "1.0.post1.dev1",
    ]
    for text in seeds:
        valid[text] = Version(text)
    while len(valid) < 2400:
        text = random_version(rng)
        try:
            valid[text] = Version(text)
        except InvalidVersion:
            invalid.add(text)
    while len(invalid) < 120:
        text = random_invalid(rng)
        try:
            valid[text] = Version(text)
        except InvalidVersion:
            invalid.add(text)

    ordered = sorted(valid.items(), key=lambda item: (item[1], item[0]))
    entries = []
    rank = -1
    previous = None
    for text, version in ordered:
        if previous is None or version != previous:
            rank += 1
        previous = version
        entries.append({"version": text, "normalized": str(version), "rank": rank,
                        "isPreRelease": version.is_prerelease})
    corpus = {
        "generator": "Scripts/generate-pep440-corpus.py",
        "packaging": packaging.__version__,
        "seed": SEED,
        "note": "entries ascending by packaging.version.Version; equal versions share a rank",
        "ordered": entries,
        "invalid": sorted(invalid),
    }
    OUTPUT.write_text(json.dumps(corpus, indent=1) + "\n")
    print(f"wrote {len(entries)} versions ({rank + 1} distinct) and {len(invalid)} invalid strings to {OUTPUT}")


if __name__ == "__main__":
    main()
