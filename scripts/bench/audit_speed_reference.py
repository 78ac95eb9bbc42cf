#!/usr/bin/env python3
"""The Python reference a user would otherwise reach for, timed on one audit CSV: pandas read_csv, then for
each membership signal the engine computes from that file, scikit-learn's roc_curve(drop_intermediate=False)
and roc_auc_score, TPR at 0.1/1/10 % FPR, attacker advantage, best balanced accuracy, the mean-score
threshold and a 40-bin histogram between the 0.5th and 99.5th percentiles (numpy).

Prints one JSON line: {"seconds": wall time from reading to the last figure, "peak_rss_mb": ..., "signals": {...}}.
Used by scripts/bench/bench_scale.mjs (a benchmark, not a test).
Run: python3 scripts/bench/audit_speed_reference.py FILE.csv
"""
import json
import resource
import sys
import time

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score, roc_curve


def figures(member, score):
    fpr, tpr, thr = roc_curve(member, score, drop_intermediate=False)
    auc = roc_auc_score(member, score)
    out = {"auc": float(auc)}
    for t in (0.001, 0.01, 0.1):
        out[f"tpr_at_{t}"] = float(tpr[fpr <= t].max())
    out["advantage"] = float((tpr - fpr).max())
    out["balanced_accuracy"] = float(((tpr + 1 - fpr) / 2).max())
    m = score.mean()
    pred = score > m
    out["mean_threshold_accuracy"] = float((pred == member).mean())
    lo, hi = np.percentile(score, [0.5, 99.5])
    np.histogram(score[member], bins=40, range=(lo, hi))
    np.histogram(score[~member], bins=40, range=(lo, hi))
    return out


def main():
    path = sys.argv[1]
    t0 = time.perf_counter()
    df = pd.read_csv(path)
    member = df["member"].to_numpy().astype(bool)
    signals = {}
    prob_cols = [c for c in df.columns if c.startswith("prob_")]
    logit_cols = [c for c in df.columns if c.startswith("logit_")]
    conf = df["confidence"].to_numpy()
    signals["confidence"] = conf
    signals["neg_loss"] = -df["loss"].to_numpy()
    if prob_cols:
        p = np.ascontiguousarray(df[prob_cols].to_numpy())
        y = df["label"].to_numpy().astype(int)
        signals["max_prob"] = p.max(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            signals["neg_entropy"] = np.where(p > 0, p * np.log(p), 0.0).sum(axis=1)
            py = p[np.arange(len(y)), y]
            other = np.where(p > 0, p * np.log(np.clip(1 - p, 1e-300, None)), 0.0)
            other[np.arange(len(y)), y] = 0.0
            mentr = (1 - py) * np.log(np.clip(py, 1e-300, None)) + other.sum(axis=1)
            signals["neg_modified_entropy"] = mentr
    if logit_cols:
        z = np.ascontiguousarray(df[logit_cols].to_numpy())
        y = df["label"].to_numpy().astype(int)
        zy = z[np.arange(len(y)), y]
        zo = z.copy()
        zo[np.arange(len(y)), y] = -np.inf
        mx = zo.max(axis=1)
        signals["logit_confidence"] = zy - (mx + np.log(np.exp(zo - mx[:, None]).sum(axis=1)))
    else:
        c = np.clip(conf, 1e-300, 1 - 1e-16)
        signals["logit_confidence"] = np.log(c) - np.log1p(-c)
    out = {k: figures(member, v) for k, v in signals.items()}
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_rss_mb": peak, "signals": out}))


if __name__ == "__main__":
    main()
