#!/usr/bin/env python3
"""Reference cases for machine-unlearning verification (issue 19). Writes the CSV cases
engine/tests/fixtures/unlearning/caseNN_<what>.csv and their expected figures
engine/tests/fixtures/unlearning/expected.json.

Definition: the seed design's verify_unlearning_with_mi_test, copied verbatim below and called as is
(np.mean on Python lists of float64, in the file's row order):
    before_gap    = mean(conf_before(forget)) - mean(conf_before(held_out))
    after_gap     = mean(conf_after(forget))  - mean(conf_before(held_out))    # held-out under the BEFORE model
    gap_reduction = 1 - abs(after_gap) / max(abs(before_gap), 1e-8)
    unlearning_verified = abs(after_gap) < 0.05
    recommendation = "Unlearning complete - forget set indistinguishable from non-members" if verified,
                     else f"Unlearning incomplete - gap={after_gap:.3f}. Run more steps or retrain."
Beside the seed's 8 keys: held_out_confidence_after = mean(conf_after(held_out)); auc_before / auc_after =
sklearn.metrics.roc_auc_score(y, score) with y = 1 for forget rows and 0 for held_out rows (retain rows left
out) and score = the before / after confidence; retain_accuracy_before/after and held_out_accuracy_before/after
= the share of rows whose argmax (of prob_* when present, else logit_*; ties to the lowest class index, i.e.
np.argmax) equals label (null when a case has no prob_*/logit_* columns); n_forget, n_retain, n_held_out.

Input schema (the audit's, plus `set`): id (optional), set in {forget, retain, held_out}, label (optional when
confidence is given), the BEFORE outputs confidence and/or prob_0..prob_{k-1} and/or logit_0..logit_{k-1}
(optionally loss), the AFTER outputs under an after_ prefix. The confidence of a row = the confidence column
when present; else prob_{label}; else softmax(logits)[label], computed as
exp((z_label - m) - ln(sum_j exp(z_j - m))) with m = max_j z_j (sum in column order, math.exp/math.log).
Two-file form (case08): the before file has id, set, label, prob_*; the after file has id and prob_* without
the after_ prefix, in another row order; the rows are joined on id and the figures computed in the BEFORE
file's row order.

The expected figures are computed from the CSV as written and read back (every float is written with
repr(float), which round-trips), so they are what a reader of the files sees.

Boundary cases (case05/case06): |membership_gap_after| lies within 1e-16 of 0.05 (10 and 6 ulps of 0.05), below
in case05 (verified: the after-forget mean is the double just below 0.55, gap 0.04999999999999993) and above in
case06 (not verified: the after-forget mean is the double nearest 0.55, so the gap is 0.05000000000000004 and
the plain `< 0.05` says no). Their confidences are multiples of 2^-49 with sums
below 16, so every partial sum is exact: the means are the same bits whatever the summation order
(np.mean's pairwise sum, a left-to-right loop or math.fsum), as long as mean = sum / n; the script checks
this, that the two cases fall on either side of the comparison, and that | |gap| - 0.05 | <= 1e-15.
The two files differ in one row (a forget row's after_prob_{label}, by 2^-49, and its other class, by -2^-49).
case09 does the same for a before gap of exactly 0.0 (the 1e-8 floor in gap_reduction: gap_reduction is about
-1.3e6, compare it relatively); its gaps are exact too, and two retain rows tie for the after-argmax.
Recommendation strings: the script checks that no unverified gap lies near a rounding tie of '%.3f'.

Softmax-derived confidences (case03, and the prob_* values generated from logits) and the pairwise means
may differ from another correct implementation by a few ulps: compare those with a tolerance (1e-12);
the boundary cases' comparisons and gap_minus_0_05 are exact.

Run (from the repository root; numpy, scikit-learn; deterministic, re-running rewrites identical bytes):
    /work/.venv/bin/python scripts/reference/make_unlearning_reference.py
Generated with numpy 2.4.6 and scikit-learn 1.9.1.
"""
import csv
import json
import math
import os
from fractions import Fraction

import numpy as np
from sklearn.metrics import roc_auc_score

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, "..", "..", "engine", "tests", "fixtures", "unlearning"))
THRESHOLD = 0.05
Q = 2.0 ** -49  # grid of the exact-sum cases: multiples of 2^-49 below 16 add exactly in any order
SETS = ("forget", "retain", "held_out")


# ---- the seed design's function, verbatim -------------------------------------------------------------
def verify_unlearning_with_mi_test(model_before_unlearning, model_after_unlearning, forget_set_examples, held_out_examples, get_confidence_fn) -> dict:
    import numpy as np
    before_forget_confidences = [get_confidence_fn(model_before_unlearning, ex) for ex in forget_set_examples]
    held_out_confidences = [get_confidence_fn(model_before_unlearning, ex) for ex in held_out_examples]
    after_forget_confidences = [get_confidence_fn(model_after_unlearning, ex) for ex in forget_set_examples]
    before_gap = np.mean(before_forget_confidences) - np.mean(held_out_confidences)
    after_gap = np.mean(after_forget_confidences) - np.mean(held_out_confidences)
    gap_reduction = 1 - abs(after_gap) / max(abs(before_gap), 1e-8)
    return {
        "before_forget_confidence": float(np.mean(before_forget_confidences)),
        "after_forget_confidence": float(np.mean(after_forget_confidences)),
        "held_out_confidence": float(np.mean(held_out_confidences)),
        "membership_gap_before": float(before_gap),
        "membership_gap_after": float(after_gap),
        "gap_reduction": float(gap_reduction),
        "unlearning_verified": abs(after_gap) < 0.05,
        "recommendation": ("Unlearning complete - forget set indistinguishable from non-members" if abs(after_gap) < 0.05
            else f"Unlearning incomplete - gap={after_gap:.3f}. Run more steps or retrain."),
    }


# ---- small helpers --------------------------------------------------------------------------------------
def fmt(x):
    return repr(float(x))


def qz(x):
    """The multiple of 2^-49 nearest x (exact in float64)."""
    return round(float(x) / Q) * Q


def softmax(z):
    m = max(z)
    s = 0.0
    for v in z:
        s += math.exp(v - m)
    return [v / s for v in (math.exp(v - m) for v in z)]


def softmax_at(z, y):
    """Stable softmax(z)[y] = exp((z_y - m) - ln(sum_j exp(z_j - m))), m = max z."""
    m = max(z)
    s = 0.0
    for v in z:
        s += math.exp(v - m)
    return math.exp((z[y] - m) - math.log(s))


def write_csv(name, header, rows):
    path = os.path.join(OUT, name)
    with open(path, "w", newline="") as f:
        f.write(",".join(header) + "\n")
        for r in rows:
            f.write(",".join(r[h] if isinstance(r[h], str) else (str(r[h]) if isinstance(r[h], int) else fmt(r[h])) for h in header) + "\n")
    return path


def read_csv(name):
    with open(os.path.join(OUT, name), newline="") as f:
        return list(csv.DictReader(f))


def ids_for(rng, n):
    """Distinct string ids r0000..r9999, assigned in shuffled order."""
    return ["r%04d" % i for i in rng.choice(10000, size=n, replace=False)]


def prob_header(prefix, k):
    return [f"{prefix}prob_{j}" for j in range(k)]


def logit_header(prefix, k):
    return [f"{prefix}logit_{j}" for j in range(k)]


# ---- reading a case back and computing the figures --------------------------------------------------------
def outputs(row, prefix):
    """(confidence or None, probs or None, logits or None) of one side of a parsed row."""
    conf = float(row[prefix + "confidence"]) if (prefix + "confidence") in row else None
    probs = logits = None
    j = 0
    if (prefix + "prob_0") in row:
        probs = []
        while (prefix + f"prob_{j}") in row:
            probs.append(float(row[prefix + f"prob_{j}"]))
            j += 1
    j = 0
    if (prefix + "logit_0") in row:
        logits = []
        while (prefix + f"logit_{j}") in row:
            logits.append(float(row[prefix + f"logit_{j}"]))
            j += 1
    return conf, probs, logits


def records_one_file(rows):
    recs = []
    for r in rows:
        label = int(r["label"]) if "label" in r else None
        recs.append({"id": r.get("id"), "set": r["set"], "label": label,
                     "before": outputs(r, ""), "after": outputs(r, "after_")})
    return recs


def records_two_files(before_rows, after_rows):
    after_by_id = {}
    for r in after_rows:
        assert r["id"] not in after_by_id, "duplicate id in the after file"
        after_by_id[r["id"]] = r
    assert len(after_by_id) == len(before_rows) and {r["id"] for r in before_rows} == set(after_by_id)
    recs = []
    for r in before_rows:  # the before file's row order
        recs.append({"id": r["id"], "set": r["set"], "label": int(r["label"]),
                     "before": outputs(r, ""), "after": outputs(after_by_id[r["id"]], "")})
    return recs


def confidence(rec, side):
    conf, probs, logits = rec[side]
    if conf is not None:
        return conf
    if probs is not None:
        return probs[rec["label"]]
    return softmax_at(logits, rec["label"])


def accuracy(recs, which, side):
    sel = [r for r in recs if r["set"] == which]
    _, probs, logits = sel[0][side]
    if probs is None and logits is None:
        return None
    hits = []
    for r in sel:
        _, p, z = r[side]
        if p is not None and z is not None:
            assert int(np.argmax(p)) == int(np.argmax(z)), "probs and logits disagree on the argmax"
        hits.append(int(np.argmax(p if p is not None else z)) == r["label"])  # np.argmax: first maximum
    return float(np.mean(hits))


def figures(recs):
    forget = [i for i, r in enumerate(recs) if r["set"] == "forget"]
    held = [i for i, r in enumerate(recs) if r["set"] == "held_out"]
    retain = [i for i, r in enumerate(recs) if r["set"] == "retain"]
    assert len(forget) + len(held) + len(retain) == len(recs)
    assert min(len(forget), len(held), len(retain)) >= 10
    # The models are "which side of the row to read"; the examples are row indices.
    get_conf = lambda model, ex: confidence(recs[ex], model)
    out = verify_unlearning_with_mi_test("before", "after", forget, held, get_conf)
    out["unlearning_verified"] = bool(out["unlearning_verified"])
    out["held_out_confidence_after"] = float(np.mean([get_conf("after", ex) for ex in held]))
    fh = [i for i, r in enumerate(recs) if r["set"] in ("forget", "held_out")]
    y = [1 if recs[i]["set"] == "forget" else 0 for i in fh]
    out["auc_before"] = float(roc_auc_score(y, [get_conf("before", i) for i in fh]))
    out["auc_after"] = float(roc_auc_score(y, [get_conf("after", i) for i in fh]))
    for which in ("retain", "held_out"):
        for side in ("before", "after"):
            out[f"{which}_accuracy_{side}"] = accuracy(recs, which, side)
    out["n_forget"], out["n_retain"], out["n_held_out"] = len(forget), len(retain), len(held)
    # The recommendation's '%.3f' must not sit on a rounding tie (implementations may round ties differently).
    g = out["membership_gap_after"]
    if not out["unlearning_verified"]:
        assert f"{g - 1e-9:.3f}" == f"{g + 1e-9:.3f}" == f"{g:.3f}", g
    return out


def clearly(fig, verified):
    """Outside the boundary cases, keep the gap well away from 0.05 (so summation order cannot matter)."""
    g = abs(fig["membership_gap_after"])
    assert fig["unlearning_verified"] == verified and (g < 0.035 if verified else g > 0.07), fig["membership_gap_after"]


# ---- generators ------------------------------------------------------------------------------------------
def draw_logits(rng, y, k, margin_mean, margin_sd):
    z = rng.normal(0.0, 1.0, k)
    z[y] += rng.normal(margin_mean, margin_sd)
    return [float(v) for v in z]


def nudge(rng, z, sd=0.15):
    return [float(v + e) for v, e in zip(z, rng.normal(0.0, sd, len(z)))]


def logit_rows(rng, n_per_set, k, forget_after):
    """Rows with before/after logits: members (forget, retain) confident, held_out less so.
    forget_after = (margin mean, margin sd) of the forget rows' fresh after-unlearning logits."""
    rows = []
    member = (3.2, 1.0)
    non_member = (1.4, 1.4)
    for s in SETS:
        for _ in range(n_per_set[s]):
            y = int(rng.integers(k))
            z = draw_logits(rng, y, k, *(non_member if s == "held_out" else member))
            if s == "forget":
                za = draw_logits(rng, y, k, *forget_after)
            else:
                za = nudge(rng, z)
            rows.append({"set": s, "label": y, "z": z, "za": za})
    return rows


def shuffle(rng, rows):
    return [rows[i] for i in rng.permutation(len(rows))]


def case_probs(name, seed, forget_after, expect_verified):
    rng = np.random.default_rng(seed)
    k = 3
    rows = shuffle(rng, logit_rows(rng, {"forget": 30, "retain": 40, "held_out": 30}, k, forget_after))
    ids = ids_for(rng, len(rows))
    out = []
    for i, r in zip(ids, rows):
        d = {"id": i, "set": r["set"], "label": r["label"]}
        for j, p in enumerate(softmax(r["z"])):
            d[f"prob_{j}"] = p
        for j, p in enumerate(softmax(r["za"])):
            d[f"after_prob_{j}"] = p
        out.append(d)
    write_csv(name + ".csv", ["id", "set", "label"] + prob_header("", k) + prob_header("after_", k), out)
    fig = figures(records_one_file(read_csv(name + ".csv")))
    clearly(fig, expect_verified)
    return {"name": name, "files": [name + ".csv"], "form": "one_file", "classes": k, "signal": "prob",
            "row_order": "interleaved", "expected": fig}


def case03_logits_only():
    name = "case03_logits_only"
    rng = np.random.default_rng(1903)
    k = 4
    rows = logit_rows(rng, {"forget": 25, "retain": 30, "held_out": 25}, k, (2.8, 1.1))  # grouped by set
    # Two rows whose logits are shifted by a large constant: softmax is unchanged, a naive exp overflows.
    for r in (rows[3], rows[40]):
        r["z"] = [v + 1000.0 for v in r["z"]]
        r["za"] = [v + 1000.0 for v in r["za"]]
    ids = ids_for(rng, len(rows))
    out = []
    for i, r in zip(ids, rows):
        d = {"id": i, "set": r["set"], "label": r["label"]}
        for j, v in enumerate(r["z"]):
            d[f"logit_{j}"] = v
        for j, v in enumerate(r["za"]):
            d[f"after_logit_{j}"] = v
        out.append(d)
    write_csv(name + ".csv", ["id", "set", "label"] + logit_header("", k) + logit_header("after_", k), out)
    fig = figures(records_one_file(read_csv(name + ".csv")))
    clearly(fig, False)
    return {"name": name, "files": [name + ".csv"], "form": "one_file", "classes": k, "signal": "logit",
            "row_order": "grouped", "expected": fig}


def case04_confidence_only():
    name = "case04_confidence_only"
    rng = np.random.default_rng(1904)
    rows = []
    for s, n in (("forget", 25), ("retain", 20), ("held_out", 25)):
        for _ in range(n):
            if s == "held_out":
                c = rng.beta(5.0, 2.5)
                ca = min(max(c + rng.normal(0, 0.02), 1e-4), 1 - 1e-4)
            else:
                c = rng.beta(14.0, 1.5)
                ca = rng.beta(3.8, 2.5) if s == "forget" else min(max(c + rng.normal(0, 0.02), 1e-4), 1 - 1e-4)
            rows.append({"set": s, "confidence": float(c), "after_confidence": float(ca)})
    rows = shuffle(rng, rows)
    write_csv(name + ".csv", ["set", "confidence", "after_confidence"], rows)
    fig = figures(records_one_file(read_csv(name + ".csv")))
    clearly(fig, True)
    assert fig["membership_gap_after"] < 0, fig["membership_gap_after"]
    return {"name": name, "files": [name + ".csv"], "form": "one_file", "classes": None, "signal": "confidence",
            "row_order": "interleaved", "expected": fig}


def exact_rows(rng, n, lo, hi, total=None):
    """n multiples of 2^-49 in (lo, hi); if total is given, the last one is fixed so that they sum to it exactly."""
    while True:
        v = [qz(rng.uniform(lo, hi)) for _ in range(n)]
        if total is None:
            return v
        last = Fraction(total) - sum(Fraction(x) for x in v[:-1])
        if Fraction(lo) < last < Fraction(hi):
            v[-1] = float(last)
            assert Fraction(v[-1]) == last
            return v


def binary_probs(c, y):
    p = [0.0, 0.0]
    p[y] = c
    p[1 - y] = 1.0 - c  # exact: c is a multiple of 2^-49 in (0, 1)
    assert Fraction(p[0]) + Fraction(p[1]) == 1
    return p


def three_probs(rng, c, y):
    rest = 1.0 - c
    a = qz(rest * rng.uniform(0.2, 0.8))
    b = rest - a
    p = [0.0] * 3
    others = [j for j in range(3) if j != y]
    p[y], p[others[0]], p[others[1]] = c, a, b
    assert Fraction(p[0]) + Fraction(p[1]) + Fraction(p[2]) == 1
    return p


def check_exact_mean(values):
    """The mean is the same bits whatever the summation order: np.mean, a left-to-right loop, math.fsum."""
    n = len(values)
    assert all(Fraction(v) % Fraction(Q) == 0 and 0 < v < 1 for v in values)
    assert sum(Fraction(v) for v in values) < 16  # every partial sum is a multiple of 2^-49 below 16: exact
    m = np.mean(values)
    left = 0.0
    for v in values:
        left += v
    assert left == math.fsum(values) == float(sum(Fraction(v) for v in values))
    assert m == left / n == math.fsum(values) / n == np.mean(values[::-1]), (m, left / n)
    return float(m)


def boundary_cases():
    """case05 (|gap| just below 0.05) and case06 (|gap| at the double nearest 0.55 - 0.5, just above 0.05)."""
    rng = np.random.default_rng(1905)
    n_f, n_r, n_h = 16, 12, 14
    m_above = 0.55                               # the double nearest 0.55 = 0.55000000000000004441
    m_below = float(np.nextafter(0.55, 0.0))     # one ulp below
    held = exact_rows(rng, n_h, 0.3, 0.7, total=n_h * 0.5)        # held-out mean exactly 0.5
    held_after = [min(max(qz(c + rng.normal(0, 0.01)), qz(0.01)), qz(0.99)) for c in held]
    forget_before = exact_rows(rng, n_f, 0.8, 0.99)
    forget_after_above = exact_rows(rng, n_f, 0.35, 0.75, total=n_f * m_above)   # sum 16 * m: mean exactly m
    forget_after_below = list(forget_after_above)
    forget_after_below[-1] = forget_after_above[-1] - 16 * 2.0 ** -53            # sum lower by 16 ulps of m
    assert Fraction(forget_after_below[-1]) == Fraction(forget_after_above[-1]) - Fraction(2) ** -49
    retain_before = exact_rows(rng, n_r, 0.8, 0.99)
    retain_after = exact_rows(rng, n_r, 0.75, 0.99)
    labels = [int(v) for v in rng.integers(2, size=n_f + n_r + n_h)]
    sets = ["forget"] * n_f + ["retain"] * n_r + ["held_out"] * n_h
    before = forget_before + retain_before + held
    order = rng.permutation(len(sets))
    ids = ids_for(rng, len(sets))
    out = []
    for name, fa, expect in (("case05_boundary_below", forget_after_below, True),
                             ("case06_boundary_above", forget_after_above, False)):
        after = fa + retain_after + held_after
        rows = []
        for i, idx in zip(ids, order):
            d = {"id": i, "set": sets[idx], "label": labels[idx]}
            for j, p in enumerate(binary_probs(before[idx], labels[idx])):
                d[f"prob_{j}"] = p
            for j, p in enumerate(binary_probs(after[idx], labels[idx])):
                d[f"after_prob_{j}"] = p
            rows.append(d)
        write_csv(name + ".csv", ["id", "set", "label"] + prob_header("", 2) + prob_header("after_", 2), rows)
        recs = records_one_file(read_csv(name + ".csv"))
        fig = figures(recs)
        # The checks: exact means in any order, the side of the comparison, the distance to 0.05.
        conf = lambda s, side: [confidence(r, side) for r in recs if r["set"] == s]
        assert check_exact_mean(conf("held_out", "before")) == 0.5
        m_fa = check_exact_mean(conf("forget", "after"))
        check_exact_mean(conf("forget", "before"))
        assert m_fa == (m_below if expect else m_above)
        gap = fig["membership_gap_after"]
        assert gap == m_fa - 0.5 and Fraction(gap) == Fraction(m_fa) - Fraction(1, 2)  # exact (Sterbenz)
        assert (abs(gap) < 0.05) == expect == fig["unlearning_verified"]
        assert (gap < THRESHOLD) if expect else (gap >= THRESHOLD)
        assert abs(abs(gap) - 0.05) <= 1e-15
        fig["gap_minus_0_05"] = float(abs(gap) - 0.05)   # exact (Sterbenz)
        assert Fraction(fig["gap_minus_0_05"]) == Fraction(abs(gap)) - Fraction(0.05)
        out.append({"name": name, "files": [name + ".csv"], "form": "one_file", "classes": 2, "signal": "prob",
                    "row_order": "interleaved", "expected": fig})
    a, b = out[0]["expected"]["membership_gap_after"], out[1]["expected"]["membership_gap_after"]
    # the after-forget means are adjacent doubles (m_below, m_above), so the gaps differ by one ulp of 0.55 (2^-53)
    assert a < 0.05 <= b and b - a == 2.0 ** -53, (a, b)
    return out


def case07_negative_gap():
    """Over-unlearning: after unlearning the forget rows are less confident than held-out. Every output column
    (confidence = prob_{label}, prob_*, logit_*, loss = -ln prob_{label}), before and after."""
    name = "case07_negative_gap"
    rng = np.random.default_rng(1907)
    k = 3
    rows = shuffle(rng, logit_rows(rng, {"forget": 20, "retain": 25, "held_out": 20}, k, (-0.3, 1.0)))
    ids = ids_for(rng, len(rows))
    out = []
    for i, r in zip(ids, rows):
        d = {"id": i, "set": r["set"], "label": r["label"]}
        for pre, z in (("", r["z"]), ("after_", r["za"])):
            p = softmax(z)
            d[pre + "confidence"] = p[r["label"]]
            for j in range(k):
                d[f"{pre}prob_{j}"] = p[j]
                d[f"{pre}logit_{j}"] = z[j]
            d[pre + "loss"] = -math.log(p[r["label"]])
        out.append(d)
    header = ["id", "set", "label"]
    for pre in ("", "after_"):
        header += [pre + "confidence"] + prob_header(pre, k) + logit_header(pre, k) + [pre + "loss"]
    write_csv(name + ".csv", header, out)
    fig = figures(records_one_file(read_csv(name + ".csv")))
    clearly(fig, False)
    assert fig["membership_gap_after"] < 0
    assert "gap=-" in fig["recommendation"]
    return {"name": name, "files": [name + ".csv"], "form": "one_file", "classes": k, "signal": "confidence",
            "row_order": "interleaved", "expected": fig}


def case08_two_files():
    name = "case08_two_files"
    rng = np.random.default_rng(1908)
    k = 3
    rows = shuffle(rng, logit_rows(rng, {"forget": 24, "retain": 24, "held_out": 24}, k, (0.8, 1.4)))
    ids = ids_for(rng, len(rows))
    before, after = [], []
    for i, r in zip(ids, rows):
        d = {"id": i, "set": r["set"], "label": r["label"]}
        for j, p in enumerate(softmax(r["z"])):
            d[f"prob_{j}"] = p
        before.append(d)
        d = {"id": i}
        for j, p in enumerate(softmax(r["za"])):
            d[f"prob_{j}"] = p
        after.append(d)
    perm = rng.permutation(len(after))
    assert any(p != i for i, p in enumerate(perm))
    after = [after[i] for i in perm]
    fb, fa = name + "_before.csv", name + "_after.csv"
    write_csv(fb, ["id", "set", "label"] + prob_header("", k), before)
    write_csv(fa, ["id"] + prob_header("", k), after)
    fig = figures(records_two_files(read_csv(fb), read_csv(fa)))
    clearly(fig, True)
    return {"name": name, "files": [fb, fa], "form": "two_files", "join": "id", "classes": k, "signal": "prob",
            "row_order": "interleaved; the after file in another order; figures in the before file's order",
            "expected": fig}


def case09_zero_gap_before():
    """A model that never told the forget set apart: the before gap is exactly 0.0 (equal exact sums, equal
    counts), so gap_reduction = 1 - |after_gap| / 1e-8."""
    name = "case09_zero_gap_before"
    rng = np.random.default_rng(1909)
    k = 3
    n = 12
    held = exact_rows(rng, n, 0.25, 0.98)
    total = sum(Fraction(v) for v in held)
    forget_before = exact_rows(rng, n, 0.25, 0.98, total=total)
    # after unlearning the forget rows stay like held-out rows: a shuffled copy of them, slightly moved
    forget_after = [min(max(qz(h + rng.normal(0, 0.03)), qz(0.01)), qz(0.99)) for h in rng.permutation(held)]
    held_after = [min(max(qz(c + rng.normal(0, 0.01)), qz(0.01)), qz(0.99)) for c in held]
    retain_before = exact_rows(rng, n, 0.6, 0.99)
    retain_after = exact_rows(rng, n, 0.6, 0.99)
    sets = ["forget"] * n + ["retain"] * n + ["held_out"] * n
    before = forget_before + retain_before + held
    after = forget_after + retain_after + held_after
    labels = [int(v) for v in rng.integers(k, size=len(sets))]
    # Two retain rows whose after-probabilities tie for the maximum: argmax takes the lowest index, so the
    # first counts as correct (label 0) and the second as wrong (label 2, tied with class 0).
    ties = {n: [0.375, 0.375, 0.25], n + 1: [0.375, 0.25, 0.375]}
    labels[n], labels[n + 1] = 0, 2
    assert int(np.argmax(ties[n])) == 0 == int(np.argmax(ties[n + 1]))
    order = rng.permutation(len(sets))
    ids = ids_for(rng, len(sets))
    rows = []
    for i, idx in zip(ids, order):
        d = {"id": i, "set": sets[idx], "label": labels[idx]}
        for j, p in enumerate(three_probs(rng, before[idx], labels[idx])):
            d[f"prob_{j}"] = p
        for j, p in enumerate(ties[idx] if idx in ties else three_probs(rng, after[idx], labels[idx])):
            d[f"after_prob_{j}"] = p
        rows.append(d)
    write_csv(name + ".csv", ["id", "set", "label"] + prob_header("", k) + prob_header("after_", k), rows)
    recs = records_one_file(read_csv(name + ".csv"))
    fig = figures(recs)
    conf = lambda s, side: [confidence(r, side) for r in recs if r["set"] == s]
    assert check_exact_mean(conf("forget", "before")) == check_exact_mean(conf("held_out", "before"))
    check_exact_mean(conf("forget", "after"))  # the after gap is the same bits in any summation order too
    assert fig["membership_gap_before"] == 0.0
    clearly(fig, True)
    assert fig["gap_reduction"] < -1000.0, fig
    assert fig["retain_accuracy_after"] < 1.0  # the tied row with label 2 counts as wrong
    return {"name": name, "files": [name + ".csv"], "form": "one_file", "classes": k, "signal": "prob",
            "row_order": "interleaved", "expected": fig}


def main():
    os.makedirs(OUT, exist_ok=True)
    cases = [
        case_probs("case01_verified_probs", 1901, (1.7, 1.4), True),
        case_probs("case02_unverified_probs", 1902, (2.8, 1.0), False),
        case03_logits_only(),
        case04_confidence_only(),
        *boundary_cases(),
        case07_negative_gap(),
        case08_two_files(),
        case09_zero_gap_before(),
    ]
    doc = {
        "generator": "scripts/reference/make_unlearning_reference.py",
        "definition": "the seed design's verify_unlearning_with_mi_test: np.mean over Python lists of float64 in "
                      "row order; held-out mean under the BEFORE model; gap_reduction = 1 - |after_gap| / "
                      "max(|before_gap|, 1e-8); verified iff |after_gap| < 0.05",
        "confidence": "the confidence column if present, else prob_{label}, else "
                      "exp((z_label - m) - ln(sum_j exp(z_j - m))), m = max z",
        "auc": "sklearn.metrics.roc_auc_score, y = 1 forget / 0 held_out (retain excluded), score = confidence",
        "accuracy": "mean(argmax(prob_* if present else logit_*) == label), ties to the lowest index; "
                    "null without prob_*/logit_*",
        "threshold": THRESHOLD,
        "tolerance": "exact for the boundary cases' comparisons and gap_minus_0_05; otherwise 1e-12 "
                     "(summation order, softmax)",
        "versions": {"numpy": np.__version__, "scikit-learn": __import__("sklearn").__version__},
        "cases": cases,
    }
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        f.write(json.dumps(doc, indent=1) + "\n")
    for c in cases:
        e = c["expected"]
        print(f"{c['name']:28s} gap_before={e['membership_gap_before']!r:24s} gap_after={e['membership_gap_after']!r:24s} "
              f"verified={e['unlearning_verified']} auc {e['auc_before']:.4f} -> {e['auc_after']:.4f}")
    print("wrote", len(cases), "cases to", OUT)


if __name__ == "__main__":
    main()
