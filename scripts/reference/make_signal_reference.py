#!/usr/bin/env python3
"""Reference values for the membership signals and the report's extra figures, from numpy, scipy and
scikit-learn, on the conformance cases. Writes engine/tests/fixtures/reference/signals.json.

Run: python3 scripts/reference/make_signal_reference.py   (numpy, scipy, scikit-learn, pandas)

Definitions (higher = more likely member):
- max_prob = max_k p_k;  neg_entropy = sum_k p_k ln p_k (0 ln 0 = 0)
- neg_modified_entropy (Song & Mittal 2021) = (1 - p_y) ln p_y + sum_{k != y} p_k ln(1 - p_k), logs floored at 1e-30
- logit_confidence (Carlini et al. 2022) = z_y - logsumexp_{k != y} z_k, from the logits
- best percentile threshold: thresholds np.percentile(member scores, [25, 50, 75]) (linear), predict member iff
  score > threshold; the best accuracy (first on ties)
- per-class AUC: roc_auc_score within each true label
"""
import json
import os

import numpy as np
import pandas as pd
from scipy.special import logsumexp
from sklearn.metrics import roc_auc_score, roc_curve

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, "..", "..", "engine", "tests", "fixtures")
CASES = ["case01_digits_mlp_overfit", "case03_breast_cancer_logreg", "case08_digits_noisy_mlp_overfit"]


def signals(df):
    k = len([c for c in df.columns if c.startswith("prob_")])
    p = df[[f"prob_{i}" for i in range(k)]].to_numpy()
    z = df[[f"logit_{i}" for i in range(k)]].to_numpy()
    y = df["label"].to_numpy()
    n = len(y)
    py = p[np.arange(n), y]
    ln = lambda v: np.log(np.maximum(v, 1e-30))
    with np.errstate(divide="ignore", invalid="ignore"):
        plogp = np.where(p > 0, p * np.log(np.where(p > 0, p, 1)), 0.0)
    other = np.ones_like(p, dtype=bool)
    other[np.arange(n), y] = False
    mentr = (1 - py) * ln(py) + np.where(other, p * ln(1 - p), 0.0).sum(axis=1)
    zo = np.where(other, z, -np.inf)
    return {
        "max_prob": p.max(axis=1),
        "neg_entropy": plogp.sum(axis=1),
        "neg_modified_entropy": mentr,
        "logit_confidence": z[np.arange(n), y] - logsumexp(zo, axis=1),
    }


def best_percentile(member, score):
    best = None
    for q in [25.0, 50.0, 75.0]:
        t = float(np.percentile(score[member], q))
        acc = float(((score > t) == member).mean())
        if best is None or acc > best["accuracy"]:
            best = {"percentile": q, "threshold": t, "accuracy": acc}
    return best


def main():
    out = {"generator": "scripts/reference/make_signal_reference.py", "cases": {}}
    for case in CASES:
        df = pd.read_csv(os.path.join(FIX, "conformance", case + ".csv"))
        member = df["member"].to_numpy() == 1
        label = df["label"].to_numpy()
        entry = {}
        for name, s in signals(df).items():
            fpr, tpr, _ = roc_curve(member, s, drop_intermediate=False)
            entry[name] = {
                "auc": float(roc_auc_score(member, s)),
                "attacker_advantage": float(np.max(tpr - fpr)),
                "first_scores": [float(v) for v in s[:10]],
            }
        conf = df["confidence"].to_numpy()
        entry["confidence"] = {"best_percentile_threshold": best_percentile(member, conf)}
        entry["confidence"]["per_class_auc"] = {
            str(c): float(roc_auc_score(member[label == c], conf[label == c]))
            for c in sorted(set(label)) if len(set(member[label == c])) == 2
        }
        out["cases"][case] = entry
    path = os.path.join(FIX, "reference", "signals.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
    print("wrote", path)


if __name__ == "__main__":
    main()
