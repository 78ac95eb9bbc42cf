#!/usr/bin/env python3
"""Reference values for the restriction's utility figures, with numpy from the same definitions as the
engine, on conformance case08 (engine/tests/fixtures/conformance). Writes
engine/tests/fixtures/reference/restriction_utility.json.

Pipeline: p = softmax(logits/T) (max-subtracted) -> cap: p = min(p, cap); p /= sum(p) -> round: p = round(p, d);
p /= sum(p) (uniform if the sum is 0); label-only: one-hot argmax. Ties in argmax go to the lowest index.
- top1_agreement = mean(argmax(p_restricted) == argmax(p_unrestricted))
- accuracy = mean(argmax(p_restricted) == label)
- ece (15 bins): confidence = max(p); bin b holds (b/15, (b+1)/15] (0 goes to the first bin);
  sum over bins |B|/n * |mean(correct in B) - mean(confidence in B)|
- n_lost_distinct: records whose confidence on the true label is unique before and shared after
  (values compared at 12 decimals)
- label_only_auc: sklearn roc_auc_score(member, argmax(p_unrestricted) == label)
Run: python3 scripts/reference/make_restriction_reference.py
"""
import json
import os

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, "..", "..", "engine", "tests", "fixtures")


def restrict(z, T, cap, prec, label_only):
    z = z / T
    e = np.exp(z - z.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    if label_only:
        out = np.zeros_like(p)
        out[np.arange(len(p)), p.argmax(axis=1)] = 1.0
        return out
    if cap is not None:
        p = np.minimum(p, cap)
        p = p / p.sum(axis=1, keepdims=True)
    if prec is not None:
        p = np.round(p, prec)
        s = p.sum(axis=1, keepdims=True)
        p = np.where(s > 0, p / np.where(s > 0, s, 1), 1.0 / p.shape[1])
    return p


def near_half(z, T, cap, prec):
    """Probabilities within 1e-9 of a rounding half: there, a last-bit difference in exp would
    flip the rounding, so such settings are not used as references."""
    if prec is None:
        return 0
    p = restrict(z, T, cap, None, False)
    frac = (p * 10**prec) % 1.0
    return int((np.abs(frac - 0.5) < 1e-9 * 10**prec).sum())


def ece(p, y, bins=15):
    conf = p.max(axis=1)
    correct = (p.argmax(axis=1) == y).astype(float)
    b = np.clip(np.ceil(conf * bins).astype(int), 1, bins) - 1
    total = 0.0
    for k in range(bins):
        m = b == k
        if m.any():
            total += m.mean() * abs(correct[m].mean() - conf[m].mean())
    return float(total)


def lost_distinct(before, after):
    # Compared at 12 decimals, as the engine: exp implementations may differ in the last bit.
    before, after = np.rint(before * 1e12), np.rint(after * 1e12)
    _, inv_b, cnt_b = np.unique(before, return_inverse=True, return_counts=True)
    _, inv_a, cnt_a = np.unique(after, return_inverse=True, return_counts=True)
    return int(((cnt_b[inv_b] == 1) & (cnt_a[inv_a] > 1)).sum())


def main():
    df = pd.read_csv(os.path.join(FIX, "conformance", "case08_digits_noisy_mlp_overfit.csv"))
    k = len([c for c in df.columns if c.startswith("logit_")])
    # Row-major, as the shared restriction reference: numpy then sums each row pairwise (the engine
    # does the same); a column-major array from pandas would be summed left to right instead.
    z = np.ascontiguousarray(df[[f"logit_{i}" for i in range(k)]].to_numpy())
    y = df["label"].to_numpy()
    member = df["member"].to_numpy()
    base = restrict(z, 1.0, None, None, False)
    rows = []
    candidates = [(1.0, None, None, False), (2.0, None, 2, False), (4.0, 0.9, 1, False), (4.0, 0.9, 2, False),
                  (0.5, 0.7, 3, False), (8.0, None, 1, False), (1.0, None, None, True)]
    for T, cap, prec, lo in candidates:
        if near_half(z, T, cap, prec):
            print(f"skipped T={T} cap={cap} precision={prec}: {near_half(z, T, cap, prec)} values at a rounding half")
            continue
        p = restrict(z, T, cap, prec, lo)
        n = len(y)
        rows.append({
            "temperature": T, "max_confidence": cap, "precision": prec, "label_only": lo,
            "top1_agreement": float((p.argmax(1) == base.argmax(1)).mean()),
            "accuracy": float((p.argmax(1) == y).mean()),
            "ece": ece(p, y),
            "n_lost_distinct": lost_distinct(base[np.arange(n), y], p[np.arange(n), y]),
        })
    out = {
        "generator": "scripts/reference/make_restriction_reference.py",
        "case": "case08_digits_noisy_mlp_overfit",
        "label_only_auc": float(roc_auc_score(member, (base.argmax(1) == y).astype(float))),
        "ece_unrestricted": ece(base, y),
        "settings": rows,
    }
    with open(os.path.join(FIX, "reference", "restriction_utility.json"), "w") as f:
        json.dump(out, f, indent=1)
    print('wrote', len(rows), 'settings')


if __name__ == "__main__":
    main()
