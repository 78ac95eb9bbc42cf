#!/usr/bin/env python3
"""Reference values for the DP toolkit. Writes engine/tests/fixtures/reference/dp.json.

- accountant: Google's dp_accounting (PyPI dp-accounting 0.6.0) RDP accountant with its default orders,
  SelfComposedDpEvent(PoissonSampledDpEvent(q, GaussianDpEvent(sigma)), steps), get_epsilon_and_optimal_order(delta),
  over a grid that adds what ../shared/conformance/dp_epsilon.json lacks: very small q (1e-5, 1e-4), deltas other
  than 1e-5, sigma 0.3 and 10, 100,000 steps.
- clopper_pearson: scipy.stats.beta.ppf one-sided upper bounds (k = n gives 1) and two-sided 95% intervals
  (lower = beta.ppf(0.025, k, n-k+1), 0 when k = 0; upper = beta.ppf(0.975, k+1, n-k), 1 when k = n).
- delong: the AUC's DeLong standard error from midranks (scipy.stats.rankdata) as in Sun & Xu 2014, the usual
  reference code (yandexdataschool/roc_comparison); interval auc +/- norm.ppf(0.975) * se clipped to [0, 1].
  On the conformance cases' confidence and neg_loss scores, and on small tied inputs.
Run: pip install dp-accounting scipy numpy pandas && python3 scripts/reference/make_dp_reference.py
"""
import json
import math
import os

import numpy as np
import pandas as pd
from scipy import stats
import dp_accounting as dpa
from dp_accounting import rdp

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, "..", "..", "engine", "tests", "fixtures")


def accountant_rows():
    rows = []
    grid = []
    for q in [1e-5, 1e-4, 0.003, 0.02, 0.25, 1.0]:
        for sigma in [0.3, 0.7, 1.1, 2.0, 10.0]:
            for steps in [1, 100, 100_000]:
                for delta in [1e-3, 1e-6, 1e-8]:
                    grid.append((q, sigma, steps, delta))
    for q, sigma, steps, delta in grid:
        acc = rdp.RdpAccountant()
        acc.compose(dpa.SelfComposedDpEvent(dpa.PoissonSampledDpEvent(q, dpa.GaussianDpEvent(sigma)), steps))
        eps, order = acc.get_epsilon_and_optimal_order(delta)
        excluded = [float(o) for o, r in zip(acc._orders, acc._rdp) if math.isinf(r)]
        rows.append({"q": q, "sigma": sigma, "steps": steps, "delta": delta,
                     "epsilon": None if math.isinf(eps) else float(eps), "optimal_order": float(order),
                     "excluded_orders": excluded})
    return rows


def cp_rows():
    rows = []
    for k, n in [(0, 1), (1, 1), (0, 10), (3, 10), (10, 10), (0, 1000), (1, 1000), (500, 1000), (999, 1000),
                 (1000, 1000), (17, 50_000), (49_990, 50_000), (123_456, 1_000_000)]:
        upper95 = 1.0 if k == n else float(stats.beta.ppf(0.95, k + 1, n - k))
        lo = 0.0 if k == 0 else float(stats.beta.ppf(0.025, k, n - k + 1))
        hi = 1.0 if k == n else float(stats.beta.ppf(0.975, k + 1, n - k))
        rows.append({"k": k, "n": n, "upper_one_sided_95": upper95, "two_sided_95": [lo, hi]})
    return rows


def delong(y, s):
    y = np.asarray(y, dtype=bool)
    s = np.asarray(s, dtype=float)
    x, z = s[y], s[~y]
    m, n = len(x), len(z)
    r = stats.rankdata(np.concatenate([x, z]))
    rx, rz = stats.rankdata(x), stats.rankdata(z)
    v10 = (r[:m] - rx) / n
    v01 = 1.0 - (r[m:] - rz) / m
    auc = v10.mean()
    var = v10.var(ddof=1) / m + v01.var(ddof=1) / n
    se = math.sqrt(var)
    zq = stats.norm.ppf(0.975)
    return {"auc": float(auc), "std_error": se, "lower": max(0.0, auc - zq * se), "upper": min(1.0, auc + zq * se)}


def delong_rows():
    rows = []
    conf = os.path.join(FIX, "conformance")
    for case in ["case01_digits_mlp_overfit", "case03_breast_cancer_logreg", "case08_digits_noisy_mlp_overfit",
                 "case10_digits_lightnoise_mlp_overfit"]:
        df = pd.read_csv(os.path.join(conf, case + ".csv"))
        for signal, score in [("confidence", df["confidence"]), ("neg_loss", -df["loss"])]:
            rows.append({"case": case, "signal": signal, **delong(df["member"].to_numpy(), score.to_numpy())})
    small = [
        ("ties", [1, 1, 0, 0, 1, 0, 1, 0], [0.9, 0.5, 0.5, 0.1, 0.7, 0.7, 0.3, 0.2]),
        ("all tied", [1, 0, 1, 0], [0.5, 0.5, 0.5, 0.5]),
        ("separated", [1, 1, 1, 0, 0], [0.9, 0.8, 0.7, 0.2, 0.1]),
    ]
    for name, y, s in small:
        rows.append({"case": name, "members": y, "scores": s, **delong(y, s)})
    return rows


def main():
    out = {
        "made_with": f"dp-accounting {getattr(dpa, '__version__', '0.6.0')}, scipy {__import__('scipy').__version__}, numpy {np.__version__}",
        "accountant": accountant_rows(),
        "clopper_pearson": cp_rows(),
        "delong": delong_rows(),
    }
    path = os.path.join(FIX, "reference", "dp.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
    print("wrote", path, len(out["accountant"]), "accountant rows")


if __name__ == "__main__":
    main()
