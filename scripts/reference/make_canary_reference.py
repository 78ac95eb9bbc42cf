#!/usr/bin/env python3
"""Reference values for canary exposure (The Secret Sharer, Carlini et al. 2019), with numpy,
scipy and mpmath, the way TF Privacy's
tensorflow_privacy/privacy/privacy_tests/secret_sharer/exposures.py computes them.

A generated canary file (`canary_id, log_perplexity, is_canary`, one row per candidate): groups of
10, 50, 100, 500, 1,000, 2,000, 3,000 and 5,000 candidates, their references drawn from
skew-normal, normal and shifted gamma distributions, the canary at rank 1 far in the tail (one
beyond the smallest double), at rank 2, in the middle, above every reference, tied with
references (values rounded to one decimal); a group of 3 candidates (too few for a fit) and one
of 8 whose skew-normal likelihood has no maximum (half-normal data). The 10-candidate group's
likelihood also rises towards a half-normal, above the local maximum where scipy's fit stops.
For each group:

- rank, exactly as TF Privacy's `compute_exposure_interpolation` (its current version sorts
  (perplexity, -1) for references and (perplexity, 0) for the secret, so a tied reference sorts
  first, then counts the references before the secret, plus 1);
- exposure = log2(candidates) - log2(rank)  (the issue's formula, the paper's), and TF Privacy's
  own tf_privacy_exposure = log2(references) - log2(rank);
- scipy_fit = stats.skewnorm.fit(references) (TF Privacy's call: Nelder-Mead from the method of
  moments, xtol 1e-4) and scipy_log_likelihood = -skewnorm.nnlf at it; tight_fit: the same fit
  restarted with fmin(xtol=1e-12, ftol=1e-14) until it stops improving (the optimum itself);
  half_normal_log_likelihood: the likelihood with the shape fixed at +1e4 and -1e4 (the
  half-normal limits; where one is above tight_log_likelihood the likelihood has no maximum, the
  scipy fit is a lower local one or a run-off shape, and the engine gives no fit);
- tf_extrapolated_exposure = -log2(skewnorm.cdf(canary, *scipy_fit)), as TF Privacy computes it,
  null where the CDF underflows to 0; scipy_log_cdf is skewnorm.logcdf, which for skewnorm is
  log(cdf) and gives no more range, so the exact values come from mpmath:
- exact_exposure_at_scipy_fit and exact_exposure_at_tight_fit: -log2 of the CDF in mpmath at 40
  digits, F = (1/pi) int_a^inf exp(-z^2 (1+x^2)/2)/(1+x^2) dx for z <= 0 (1 - the same at (-z, -a)
  for z > 0, and ln F = log1p(-F(-z; -a)) there), integrated with its largest value factored out
  and breakpoints 1e-12..100 past a.

And a grid of direct CDF values (x, loc, scale, shape) reaching z = -40 and |shape| = 30: mpmath's
log-CDF and CDF, scipy's cdf and logcdf, and scipy's relative error against mpmath (scipy's cdf
integrates the density numerically below 1e-6 when shape > 0, good to about 1e-9 there, and to
1e-4 or worse at 1e-200).

Run from anywhere, with numpy, scipy and mpmath installed (about 4 minutes, mostly mpmath):
    python scripts/reference/make_canary_reference.py
Writes engine/tests/fixtures/text/canaries.csv and canary_reference.json.
"""

import csv
import json
import math
import os

import mpmath as mp
import numpy as np
from scipy import optimize, stats

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "engine", "tests", "fixtures", "text")
mp.mp.dps = 40
GEO = [mp.mpf(10) ** k for k in range(-12, 3)]


def mp_cdf(z, a):
    """The standard skew-normal CDF F(z; a) in mpmath (z, a exact binary floats)."""
    z, a = mp.mpf(z), mp.mpf(a)
    if z > 0:
        return 1 - mp_cdf(-z, -a)
    b = max(a, mp.mpf(0))
    pts = sorted(set([a] + [a + g for g in GEO] + ([mp.mpf(0)] if a < 0 else []))) + [mp.inf]
    integral = mp.quad(lambda x: mp.exp(-z ** 2 * (x ** 2 - b ** 2) / 2) / (1 + x ** 2), pts,
                       maxdegree=10)
    return mp.exp(-z ** 2 * (1 + b ** 2) / 2) * integral / mp.pi


def mp_log_cdf(z, a):
    """ln F(z; a), by log1p of the other tail when F is near 1."""
    z = mp.mpf(z)
    return mp.log1p(-mp_cdf(-z, -a)) if z > 0 else mp.log(mp_cdf(z, a))


def mp_exposure(x, shape, loc, scale):
    z = (mp.mpf(x) - mp.mpf(loc)) / mp.mpf(scale)
    return float(-mp_log_cdf(z, shape) / mp.log(2))


def tf_rank(canary, references):
    """TF Privacy's compute_exposure_interpolation, for one secret."""
    concat = [(p, -1) for p in references] + [(canary, 0)]
    indices = np.fromiter((i for _, i in sorted(concat)), dtype=int)
    cum_sum = np.cumsum(indices == -1)
    return int(cum_sum[indices == 0][0] + 1)


def tight_fit(refs, start):
    nnlf = lambda p: stats.skewnorm.nnlf(p, refs) if p[2] > 0 else np.inf
    p, f = np.array(start, dtype=float), nnlf(start)
    for _ in range(20):
        q = optimize.fmin(nnlf, p, xtol=1e-12, ftol=1e-14, maxiter=200000, maxfun=200000, disp=0)
        if nnlf(q) >= f - 1e-13:
            break
        p, f = q, nnlf(q)
    return p


def groups(rng):
    sn = lambda a, loc, scale, n: stats.skewnorm.rvs(a, loc, scale, size=n, random_state=rng)
    out = []
    refs = sn(2.0, 40.0, 6.0, 9)
    out.append(("c010_small", refs, float(refs.min() - 4.0)))
    out.append(("c003_tiny", np.array([41.5, 44.25]), 39.0))
    out.append(("c008_halfnormal", 40.0 + np.array([0.0, 0.05, 0.1, 0.2, 0.4, 0.8, 2.9]), 39.5))
    refs = sn(3.0, 45.0, 5.0, 99)
    out.append(("c100_tail", refs, 45.0 - 3.5 * 5.0))
    refs = np.round(sn(2.0, 50.0, 4.0, 999), 1)
    out.append(("c1000_ties", refs, float(np.sort(refs)[25])))
    refs = 30.0 + rng.gamma(6.0, 2.0, 4999)
    out.append(("c5000_middle", refs, float(np.median(refs))))
    refs = sn(4.0, 30.0, 8.0, 4999)
    out.append(("c5000_far", refs, 30.0 - 8.0 * 3.6))
    refs = sn(-4.0, 50.0, 5.0, 1999)
    out.append(("c2000_negskew", refs, float(np.sort(refs)[2] - 1e-3)))
    refs = rng.normal(35.0, 4.0, 2999)
    out.append(("c3000_normal", refs, float(refs.min() - 2.0)))
    refs = sn(1.0, 60.0, 3.0, 499)
    out.append(("c500_top", refs, float(refs.max() + 1.0)))
    refs = sn(2.0, 40.0, 5.0, 4999)
    out.append(("c5000_beyond", refs, 40.0 - 5.0 * 20.0))
    refs = sn(3.0, 45.0, 5.0, 49)
    low = np.sort(refs)
    out.append(("c050_second", refs, float((low[0] + low[1]) / 2)))
    return out


def group_reference(name, refs, canary):
    refs = [float(r) for r in refs]
    rank = tf_rank(canary, refs)
    candidates = len(refs) + 1
    g = {"canary_id": name, "log_perplexity": canary, "candidates": candidates, "rank": rank,
         "exposure": float(np.log2(candidates) - np.log2(rank)),
         "tf_privacy_exposure": float(np.log2(len(refs)) - np.log2(rank))}
    if len(refs) < 3:
        return g
    fit = stats.skewnorm.fit(refs)
    tight = tight_fit(refs, fit)
    cdf = float(stats.skewnorm.cdf(canary, *fit))
    g.update({
        "scipy_fit": {"shape": float(fit[0]), "location": float(fit[1]), "scale": float(fit[2])},
        "scipy_log_likelihood": float(-stats.skewnorm.nnlf(fit, refs)),
        "tight_fit": {"shape": float(tight[0]), "location": float(tight[1]),
                      "scale": float(tight[2])},
        "tight_log_likelihood": float(-stats.skewnorm.nnlf(tight, refs)),
        "half_normal_log_likelihood": {
            side: float(-stats.skewnorm.nnlf(stats.skewnorm.fit(refs, f0=sign * 1e4), refs))
            for side, sign in (("positive", 1.0), ("negative", -1.0))},
        "tf_extrapolated_exposure": float(-np.log2(cdf)) if cdf > 0 else None,
        "scipy_log_cdf": float(stats.skewnorm.logcdf(canary, *fit)) if cdf > 0 else None,
        "exact_exposure_at_scipy_fit": mp_exposure(canary, *fit),
        "exact_exposure_at_tight_fit": mp_exposure(canary, *tight),
    })
    return g


def cdf_grid():
    rows = []
    for loc, scale in ((0.0, 1.0), (40.0, 6.0)):
        for shape in (-30.0, -4.0, -1.0, 0.0, 0.5, 2.0, 5.0, 30.0):
            for z in (-40.0, -20.0, -8.0, -3.0, -1.0, -0.1, 0.0, 0.5, 2.0, 6.0):
                x = loc + z * scale
                z_exact = (mp.mpf(x) - loc) / mp.mpf(scale)
                exact, log_exact = mp_cdf(z_exact, shape), mp_log_cdf(z_exact, shape)
                sc = float(stats.skewnorm.cdf(x, shape, loc, scale))
                rel = float(abs(sc - exact) / exact) if sc > 0 else None
                logsc = float(stats.skewnorm.logcdf(x, shape, loc, scale))
                rows.append({"x": x, "location": loc, "scale": scale, "shape": shape,
                             "log_cdf": float(log_exact), "cdf": float(exact),
                             "scipy_cdf": sc, "scipy_log_cdf": logsc if math.isfinite(logsc) else None,
                             "scipy_relative_error": rel})
    return rows


def main():
    rng = np.random.default_rng(2019)
    gs = groups(rng)
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "canaries.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["canary_id", "log_perplexity", "is_canary"])
        for name, refs, canary in gs:
            rows = [(repr(float(r)), 0) for r in refs] + [(repr(canary), 1)]
            # The canary somewhere inside its group, and the group's rows shuffled.
            for i in rng.permutation(len(rows)):
                w.writerow([name, rows[i][0], rows[i][1]])
    ref = {"groups": [group_reference(n, r, c) for n, r, c in gs], "cdf": cdf_grid()}
    with open(os.path.join(OUT, "canary_reference.json"), "w", encoding="utf-8") as f:
        json.dump(ref, f, indent=1)
        f.write("\n")
    for g in ref["groups"]:
        print(g["canary_id"], g["rank"], g["candidates"], g.get("scipy_fit"),
              g.get("tf_extrapolated_exposure"), g.get("exact_exposure_at_tight_fit"))


if __name__ == "__main__":
    main()
