#!/usr/bin/env python3
"""Reference values for the simulator's closed forms (scipy.stats.norm), written to
engine/tests/fixtures/reference/analytic.json.

Binormal model, equal spread: AUC = Phi(gap / (std * sqrt 2)); TPR(fpr) = Phi(gap/std - Phi^-1(1 - fpr)).
Run: python3 scripts/reference/make_analytic_reference.py
"""
import json
import math
import os

from scipy.stats import norm

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "engine", "tests", "fixtures", "reference", "analytic.json")
rows = []
for gap in [0.0, 0.01, 0.05, 0.1, 0.2, 0.35, 0.5]:
    for std in [0.05, 0.15, 0.3]:
        row = {"gap": gap, "std": std, "auc": float(norm.cdf(gap / (std * math.sqrt(2)))), "tpr_at_fpr": {}}
        for fpr in [1e-5, 0.001, 0.01, 0.1, 0.5]:
            row["tpr_at_fpr"][repr(fpr)] = float(norm.cdf(gap / std - norm.ppf(1 - fpr)))
        rows.append(row)
with open(OUT, "w") as f:
    json.dump({"generator": "scripts/reference/make_analytic_reference.py", "rows": rows}, f, indent=1)
print("wrote", len(rows), "rows")
