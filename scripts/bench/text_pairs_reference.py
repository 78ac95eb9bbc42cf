#!/usr/bin/env python3
"""Python reference for the text pairs audit (`audit_pairs`), for benchmarks: what a user would run.

Run: python3 scripts/bench/text_pairs_reference.py PAIRS.csv [--subset 200] [--check FIGURES.csv] [--json]

- The seed design's verbatim test on EVERY row, as the seed writes it (`detect_verbatim_memorization`,
  `get_ngrams`): tokens = text.lower().split(), Jaccard of the token sets, 5-gram overlap |R5 & O5| / |R5|.
- The extraction metrics on a SUBSET of rows (--subset of them, a fixed random sample; they are too
  slow for all): exact match (strip), longest common substring with difflib
  (SequenceMatcher(None, a, b, autojunk=False).find_longest_match), character Levenshtein by a numpy
  dynamic programme (one vectorised row at a time: the row minimum as a running minimum), word LCS by a
  numpy dynamic programme (the row as a running maximum). Their time is EXTRAPOLATED to all rows
  (time on the subset x rows / subset), and labelled so.
- --check FIGURES.csv: the per-pair figures the Rust benchmark wrote
  (`cargo run --release -p mia-engine --example bench_text_pairs -- PAIRS.csv --figures FIGURES.csv`):
  word and 5-gram overlap must be equal on every row, and on the subset the longest common substring's
  length, the word LCS ratio and exact match equal, the edit similarity within 1e-12. Exit status 1 on
  any difference.
- --json: one JSON object on stdout instead of the text lines.

Used by scripts/bench/bench_text.sh (a benchmark, not a test). Needs numpy.
"""
import argparse
import csv
import difflib
import json
import random
import sys
import time

try:
    import numpy as np
except ImportError as e:  # a benchmark tool: say what to install
    sys.exit(f"{e}: this script needs numpy, e.g. python3 -m venv /work/.venv && /work/.venv/bin/pip install numpy")


# ---- The seed's verbatim test, as written ----------------------------------------------------

def get_ngrams(text: str, n: int = 5) -> set:
    words = text.lower().split()
    return {" ".join(words[i:i + n]) for i in range(len(words) - n + 1)}


def detect_verbatim_memorization(actual_continuation: str, model_continuation: str, match_threshold=0.75):
    actual_words = set(actual_continuation.lower().split())
    model_words = set(model_continuation.lower().split())
    if not actual_words and not model_words:
        word_overlap = 0.0
    else:
        word_overlap = len(actual_words & model_words) / len(actual_words | model_words)
    actual_ngrams = get_ngrams(actual_continuation, 5)
    model_ngrams = get_ngrams(model_continuation, 5)
    ngram_overlap = len(actual_ngrams & model_ngrams) / len(actual_ngrams) if actual_ngrams else 0.0
    return {
        "word_overlap": word_overlap,
        "ngram_5_overlap": ngram_overlap,
        "memorized": word_overlap > match_threshold or ngram_overlap > 0.3,
    }


# ---- Extraction metrics ----------------------------------------------------------------------

def longest_common_substring(a: str, b: str) -> int:
    m = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return m.find_longest_match(0, len(a), 0, len(b)).size


def codes(s: str):
    return np.frombuffer(s.encode("utf-32-le"), dtype=np.uint32)


def levenshtein(a: str, b: str) -> int:
    """Row by row over a, each row vectorised over b: cur[j] = min_k<=j (t[k] + j - k)."""
    if len(a) < len(b):
        a, b = b, a
    if not b:
        return len(a)
    bb = codes(b)
    idx = np.arange(len(b) + 1, dtype=np.int64)
    prev = idx.copy()
    t = np.empty_like(prev)
    for i, ca in enumerate(codes(a), 1):
        t[0] = i
        np.minimum(prev[1:] + 1, prev[:-1] + (bb != ca), out=t[1:])
        prev = np.minimum.accumulate(t - idx) + idx
    return int(prev[-1])


def edit_similarity(a: str, b: str) -> float:
    longest = max(len(a), len(b))
    return 1.0 if longest == 0 else 1.0 - levenshtein(a, b) / longest


def word_lcs_ratio(reference: str, output: str) -> float:
    """The LCS row as a running maximum of max(prev[j], prev[j-1] + 1 where the words match)."""
    r, o = reference.lower().split(), output.lower().split()
    if not r:
        return 0.0
    if not o:
        return 0.0
    ids = {}
    oo = np.array([ids.setdefault(w, len(ids)) for w in o], dtype=np.int64)
    prev = np.zeros(len(o) + 1, dtype=np.int64)
    for w in r:
        x = ids.get(w, -1)
        t = prev.copy()
        t[1:] = np.maximum(prev[1:], np.where(oo == x, prev[:-1] + 1, 0))
        prev = np.maximum.accumulate(t)
    return int(prev[-1]) / len(r)


def extraction(reference: str, output: str):
    return {
        "exact_match": output.strip() == reference.strip(),
        "longest_common_substring": longest_common_substring(reference, output),
        "edit_similarity": edit_similarity(reference, output),
        "word_lcs_ratio": word_lcs_ratio(reference, output),
    }


# ---- Main ------------------------------------------------------------------------------------

def read_rows(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        return [(r["reference"], r["model_output"]) for r in csv.DictReader(f)]


def check(path, seed, subset, ext):
    """Differences between the Rust figures in `path` and ours (a list of messages)."""
    with open(path, newline="", encoding="utf-8") as f:
        rust = list(csv.DictReader(f))
    problems = []
    if len(rust) != len(seed):
        return [f"{len(rust)} Rust rows, {len(seed)} Python rows"]
    for i, (r, p) in enumerate(zip(rust, seed)):
        for key in ("word_overlap", "ngram_5_overlap"):
            if float(r[key]) != p[key]:
                problems.append(f"row {i}: {key} Rust {r[key]} Python {p[key]!r}")
    for i, e in zip(subset, ext):
        r = rust[i]
        if int(r["longest_common_substring"]) != e["longest_common_substring"]:
            problems.append(f"row {i}: longest common substring Rust {r['longest_common_substring']} "
                            f"Python {e['longest_common_substring']}")
        if abs(float(r["edit_similarity"]) - e["edit_similarity"]) > 1e-12:
            problems.append(f"row {i}: edit similarity Rust {r['edit_similarity']} Python {e['edit_similarity']!r}")
        if float(r["word_lcs_ratio"]) != e["word_lcs_ratio"]:
            problems.append(f"row {i}: word LCS ratio Rust {r['word_lcs_ratio']} Python {e['word_lcs_ratio']!r}")
        if bool(int(r["exact_match"])) != e["exact_match"]:
            problems.append(f"row {i}: exact match Rust {r['exact_match']} Python {e['exact_match']}")
    return problems


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("pairs")
    p.add_argument("--subset", type=int, default=200, help="rows for the extraction metrics (default 200)")
    p.add_argument("--check", metavar="FIGURES.csv", help="the Rust benchmark's per-pair figures")
    p.add_argument("--json", action="store_true", help="one JSON object on stdout")
    a = p.parse_args()
    rows = read_rows(a.pairs)
    n = len(rows)
    t0 = time.perf_counter()
    seed = [detect_verbatim_memorization(r, o) for r, o in rows]
    seed_s = time.perf_counter() - t0
    # A fixed random sample (rows in a regular stride could all be of one kind of the mix).
    subset = sorted(random.Random(0).sample(range(n), min(n, max(1, a.subset))))
    timing = {"lcs_difflib": 0.0, "levenshtein_numpy": 0.0, "word_lcs_numpy": 0.0, "exact": 0.0}
    ext = []
    for i in subset:
        r, o = rows[i]
        t = time.perf_counter()
        exact = o.strip() == r.strip()
        timing["exact"] += time.perf_counter() - t
        t = time.perf_counter()
        lcs = longest_common_substring(r, o)
        timing["lcs_difflib"] += time.perf_counter() - t
        t = time.perf_counter()
        sim = edit_similarity(r, o)
        timing["levenshtein_numpy"] += time.perf_counter() - t
        t = time.perf_counter()
        wl = word_lcs_ratio(r, o)
        timing["word_lcs_numpy"] += time.perf_counter() - t
        ext.append({"exact_match": exact, "longest_common_substring": lcs, "edit_similarity": sim,
                    "word_lcs_ratio": wl})
    scale = n / len(subset) if subset else 0.0
    extrapolated = {key: v * scale for key, v in timing.items()}
    ext_s = sum(extrapolated.values())
    out = {
        "rows": n,
        "subset_rows": len(subset),
        "seed_seconds": seed_s,
        "extraction_seconds_on_subset": sum(timing.values()),
        "extraction_seconds_extrapolated": ext_s,
        "extraction_extrapolated_by_metric": extrapolated,
        "total_seconds_extrapolated": seed_s + ext_s,
    }
    problems = check(a.check, seed, subset, ext) if a.check else []
    if a.check:
        out["check"] = {"figures": a.check, "differences": len(problems), "first": problems[:10]}
    if a.json:
        print(json.dumps(out, indent=1))
    else:
        print(f"rows {n}")
        print(f"seed verbatim test (all rows, measured): {seed_s:.2f} s")
        print(f"extraction metrics on {len(subset)} rows (measured): {sum(timing.values()):.2f} s")
        for key, v in extrapolated.items():
            print(f"  {key:<18} EXTRAPOLATED to {n} rows: {v:8.1f} s")
        print(f"total, EXTRAPOLATED: {seed_s + ext_s:.1f} s")
        if a.check:
            print(f"check against {a.check}: {len(problems)} differences")
            for line in problems[:10]:
                print("  " + line)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
