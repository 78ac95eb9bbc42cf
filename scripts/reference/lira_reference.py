#!/usr/bin/env python3
"""Vectorised numpy reference for the reference-model attacks (LiRA, RMIA) and the target-only baseline.

What it is: a line-by-line implementation of the rules in the conformance specification
(`lira/README.md` beside the conformance cases: column detection by name, phi mode logit/prob, phi by
logsumexp from `logit_*` when there is no `phi` column, the p_t priority, the population Z, LiRA's four
variants with median centres, ddof-0 spreads around the mean, per-side pooled global spreads, the
n_s = 0 column-mean fallback and the spread fallback, RMIA online/offline with the self-pair excluded).
It is the "what a user would write with numpy/pandas/scikit-learn" side of scripts/bench/bench_lira.sh
(a benchmark, not a test) and a second opinion when a Rust result looks wrong. There are no per-record
Python loops: everything is vectorised over the n records (loops run over the M references only).
Reading uses pandas.read_csv; AUC and ROC are scikit-learn's roc_auc_score and
roc_curve(drop_intermediate=False); tpr_at_fpr[t] = max TPR over ROC points with FPR <= t;
attacker_advantage = max(TPR - FPR).

Checked against both conformance cases (lira01_digits_noise8_M8, logit mode, and lira07_edge_prob_M4,
prob mode with hand-placed edge cases), with numpy 2.4.6, scipy 1.17.1, scikit-learn 1.9.1, pandas 3.1.1:
every variant's AUC equal (|difference| 0), tpr_at_fpr and attacker advantage equal, global spreads,
column-mean fallbacks and reference counts equal, and every record's score and intermediate within 1e-9
relative (largest 5.9e-13 on lira01, a lira_online_global score of 3.8e-4 left by cancellation; 8.5e-16 on
lira07); likewise the optional variants that are parameters here (--center mean, --gamma 2, --offline-a 0
and 1). Re-run that check with --check (see below).
One choice beyond the letter of the spec: when every value on a side is equal the spread is set to exactly
0 (np.std of equal values can return ~1e-17, e.g. three copies of 0.1, which would be taken as a real
spread); the conformance cases pass with or without it.

Run:
    python3 scripts/reference/lira_reference.py FILE.csv [--gamma G] [--offline-a A]
        [--center median|mean] [--scores-out OUT.csv]
    python3 scripts/reference/lira_reference.py CASE.csv --check CASE   # CASE.expected.json, CASE.scores.csv
It prints ONE JSON object on stdout: {"seconds": wall time from starting to read the CSV to the last figure,
"n", "M", "phi_mode", "variants": {name: {"available", "auc", "tpr_at_fpr": {"0.001", "0.01", "0.1"},
"attacker_advantage"}}, "global_sigma": {"in", "out"}, plus reference counts, column-mean fallbacks,
parameters and the number of skipped rows}. Rows with input errors (empty/NaN cells, probabilities outside
[0, 1], non-finite phi, unreadable flags or labels) are named on stderr and skipped, as in the audit.
--scores-out writes every record's score per variant and the intermediates, with the column names of the
conformance `<case>.scores.csv`.
Needs numpy, pandas and scikit-learn (e.g. python3 -m venv /work/.venv && /work/.venv/bin/pip install
numpy scipy scikit-learn pandas); it is a reference tool and is never required by CI.
"""
import argparse
import json
import math
import sys
import time

try:
    import numpy as np
    import pandas as pd
    from sklearn.metrics import roc_auc_score, roc_curve
except ImportError as e:  # a reference/benchmark tool: say what to install
    sys.exit(f"{e}: this script needs numpy, pandas and scikit-learn, e.g. python3 -m venv /work/.venv && "
             "/work/.venv/bin/pip install numpy scipy scikit-learn pandas")

PHI_EPS = 1e-45
STD_EPS = 1e-30
FPR_TARGETS = ("0.001", "0.01", "0.1")
VARIANTS = ("target_phi", "lira_online", "lira_online_global", "lira_offline", "lira_offline_global",
            "rmia_online", "rmia_offline")
HALF_LN_2PI = 0.5 * math.log(2.0 * math.pi)

# Column names as the audit detects them (engine/src/ingest/columns.rs): trimmed, lower-cased,
# spaces and '-' as '_'; earlier names win.
MEMBER_NAMES = ("member", "is_member", "membership", "in_train", "is_train")
ID_NAMES = ("id", "record_id", "row_id", "index")
LABEL_NAMES = ("label", "true_label", "y", "target", "class")
CONFIDENCE_NAMES = ("confidence", "conf", "true_prob", "p_true")
PROB_PREFIXES = ("prob_", "proba_", "p_")
LOGIT_PREFIXES = ("logit_", "logits_")
# Flag spellings (engine/src/ingest/membership_label.rs), compared case-insensitively.
TRUE_SPELLINGS = {"1", "1.0", "true", "yes", "member", "in", "train", "y"}
FALSE_SPELLINGS = {"0", "0.0", "false", "no", "non-member", "nonmember", "non_member", "out", "test", "n"}


def normalise(name):
    return str(name).strip().lower().replace(" ", "_").replace("-", "_")


def sniff_delimiter(path):
    """The candidate (',' ';' tab) that occurs most often outside quotes in the header line."""
    with open(path, "rb") as f:
        head = f.read(1 << 20)
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    head = head.lstrip(b"\r\n")
    counts = {b",": 0, b";": 0, b"\t": 0}
    in_quotes = False
    for b in head:
        c = bytes([b])
        if c == b'"':
            in_quotes = not in_quotes
        elif c in (b"\n", b"\r") and not in_quotes:
            break
        elif not in_quotes and c in counts:
            counts[c] += 1
    best = max(counts, key=lambda d: (counts[d], -list(counts).index(d)))
    return best.decode()


# ---------------------------------------------------------------------------------------------------
# Reading and validation


class Rows:
    """Row-level input errors: a mask of bad rows and the first reasons, reported on stderr."""

    def __init__(self, n):
        self.bad = np.zeros(n, dtype=bool)
        self.reasons = []

    def flag(self, mask, what):
        mask = np.asarray(mask, dtype=bool)
        if mask.any():
            idx = np.flatnonzero(mask)
            self.reasons.append((int(idx[0]), int(idx.size), what))
            self.bad |= mask


def numeric(df, col, decimal_comma):
    s = df[col]
    if s.dtype.kind in "fiu":
        return s.to_numpy(dtype=np.float64)
    if s.dtype.kind == "b":
        return s.to_numpy().astype(np.float64)
    s = s.astype("string").str.strip()
    if decimal_comma:
        s = s.str.replace(",", ".", regex=False)
    return pd.to_numeric(s, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)


def flags(df, col):
    """A 0/1 flag column -> (bool values, bad mask)."""
    s = df[col]
    if s.dtype.kind == "b":
        return s.to_numpy(), np.zeros(len(s), dtype=bool)
    if s.dtype.kind in "fiu":
        v = s.to_numpy(dtype=np.float64)
        return v == 1.0, ~((v == 1.0) | (v == 0.0))
    t = s.astype("string").str.strip().str.lower()
    yes = t.isin(TRUE_SPELLINGS).to_numpy(dtype=bool, na_value=False)
    no = t.isin(FALSE_SPELLINGS).to_numpy(dtype=bool, na_value=False)
    return yes, ~(yes | no)


def log_phi_prob(p):
    """phi(p) = ln(p + 1e-45) - ln((1 - p) + 1e-45)."""
    return np.log(p + PHI_EPS) - np.log((1.0 - p) + PHI_EPS)


def sigmoid(x):
    """Numerically stable logistic function on both signs."""
    out = np.empty_like(x)
    pos = x >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-x[pos]))
    e = np.exp(x[~pos])
    out[~pos] = e / (1.0 + e)
    return out


def load(path):
    """Reads the CSV and returns the validated inputs (bad rows skipped) as numpy arrays."""
    sep = sniff_delimiter(path)
    df = pd.read_csv(path, sep=sep, encoding="utf-8-sig", skip_blank_lines=True, low_memory=False)
    decimal_comma = sep == ";"
    names = {}
    for col in df.columns:
        names.setdefault(normalise(col), col)

    def first(cands):
        for c in cands:
            if c in names:
                return names[c]
        return None

    def indexed(prefixes):
        for prefix in prefixes:
            found = {}
            for nm, col in names.items():
                if nm.startswith(prefix) and nm[len(prefix):].isdigit():
                    found[int(nm[len(prefix):])] = col
            if found:
                cols = []
                while len(cols) in found:
                    cols.append(found[len(cols)])
                return cols
        return []

    member_col = first(MEMBER_NAMES)
    if member_col is None:
        sys.exit(f"no member column (one of {', '.join(MEMBER_NAMES)}) in {path}")
    id_col = first(ID_NAMES)
    label_col = first(LABEL_NAMES)
    conf_col = first(CONFIDENCE_NAMES)
    phi_col = names.get("phi")
    prob_cols = indexed(PROB_PREFIXES)
    logit_cols = indexed(LOGIT_PREFIXES)
    pop_col = names.get("population")
    ref_in_cols = indexed(("ref_in_",))
    M = len(ref_in_cols)
    if M < 1:
        sys.exit("no reference models: columns ref_in_0, ref_in_1, ... are required")
    ref_phi_cols = [names.get(f"ref_phi_{j}") for j in range(M)]
    ref_conf_cols = [names.get(f"ref_conf_{j}") for j in range(M)]

    phi_mode = "logit" if (all(c is not None for c in ref_phi_cols)
                           and (phi_col is not None or logit_cols)) else "prob"
    if phi_mode == "prob":
        missing = [f"ref_conf_{j}" for j in range(M) if ref_conf_cols[j] is None]
        if missing:
            sys.exit("prob mode (not every reference has ref_phi_j, or the target has neither phi nor "
                     f"logit_*) needs ref_conf_j for every reference; missing: {', '.join(missing)}")

    n = len(df)
    rows = Rows(n)
    member, bad = flags(df, member_col)
    rows.flag(bad, f"{member_col} is not a member flag")

    # Target probability p_t: confidence > prob_{label} > softmax(logit_*)_label > sigmoid(phi).
    need_label = (conf_col is None and (prob_cols or logit_cols)) or \
                 (phi_mode == "logit" and phi_col is None)
    label = None
    if need_label:
        if label_col is None:
            sys.exit("a label column is needed to read prob_*/logit_* on the true class")
        lab = numeric(df, label_col, decimal_comma)
        K = len(prob_cols) if (conf_col is None and prob_cols) else len(logit_cols)
        ok = np.isfinite(lab) & (lab == np.floor(lab)) & (lab >= 0) & (lab < K)
        rows.flag(~ok, f"{label_col} is not a class index in 0..{K - 1}")
        label = np.where(ok, lab, 0).astype(np.int64)

    logits = None
    if logit_cols and ((phi_mode == "logit" and phi_col is None) or (conf_col is None and not prob_cols)):
        logits = np.column_stack([numeric(df, c, decimal_comma) for c in logit_cols])
        rows.flag(~np.isfinite(logits).all(axis=1), "a logit_* cell is empty or not finite")

    r = np.arange(n)
    if conf_col is not None:
        p_t = numeric(df, conf_col, decimal_comma)
        rows.flag(~((p_t >= 0) & (p_t <= 1)), f"{conf_col} is empty or outside [0, 1]")
    elif prob_cols:
        p_t = np.column_stack([numeric(df, c, decimal_comma) for c in prob_cols])[r, label]
        rows.flag(~((p_t >= 0) & (p_t <= 1)), "prob_{label} is empty or outside [0, 1]")
    elif logits is not None:
        z = np.where(np.isfinite(logits), logits, 0.0)
        m = z.max(axis=1)
        e = np.exp(z - m[:, None])
        p_t = e[r, label] / e.sum(axis=1)
    elif phi_col is not None:
        p_t = None  # sigmoid(phi), below
    else:
        sys.exit("the target's output is missing: one of phi, logit_*, confidence, prob_* is required")

    # Target phi.
    if phi_mode == "logit":
        if phi_col is not None:
            phi_t = numeric(df, phi_col, decimal_comma)
            rows.flag(~np.isfinite(phi_t), f"{phi_col} is empty or not finite")
        else:
            z = np.where(np.isfinite(logits), logits, 0.0).copy()
            zy = z[r, label].copy()
            z[r, label] = -np.inf
            m = z.max(axis=1)
            phi_t = zy - (m + np.log(np.exp(z - m[:, None]).sum(axis=1)))
            rows.flag(~np.isfinite(phi_t), "phi from logit_* is not finite")
        if p_t is None:
            p_t = sigmoid(np.where(np.isfinite(phi_t), phi_t, 0.0))
    else:
        if p_t is None:
            phi_in = numeric(df, phi_col, decimal_comma)
            rows.flag(~np.isfinite(phi_in), f"{phi_col} is empty or not finite")
            p_t = sigmoid(np.where(np.isfinite(phi_in), phi_in, 0.0))
        phi_t = log_phi_prob(np.clip(np.nan_to_num(p_t), 0.0, 1.0))

    ref_in = np.empty((n, M), dtype=bool)
    ref_phi = np.empty((n, M))
    ref_p = np.empty((n, M))
    for j in range(M):
        ref_in[:, j], bad = flags(df, ref_in_cols[j])
        rows.flag(bad, f"ref_in_{j} is not 0/1")
        if ref_conf_cols[j] is not None:
            c = numeric(df, ref_conf_cols[j], decimal_comma)
            rows.flag(~((c >= 0) & (c <= 1)), f"ref_conf_{j} is empty or outside [0, 1]")
            ref_p[:, j] = c
            if phi_mode == "prob":
                ref_phi[:, j] = log_phi_prob(np.clip(np.nan_to_num(c), 0.0, 1.0))
        if phi_mode == "logit" or ref_conf_cols[j] is None:
            v = numeric(df, ref_phi_cols[j], decimal_comma)
            rows.flag(~np.isfinite(v), f"ref_phi_{j} is empty or not finite")
            v = np.where(np.isfinite(v), v, 0.0)
            if phi_mode == "logit":
                ref_phi[:, j] = v
            if ref_conf_cols[j] is None:
                ref_p[:, j] = sigmoid(v)

    if pop_col is not None:
        population, bad = flags(df, pop_col)
        rows.flag(bad, "population is not 0/1")
        pop_source = "population == 1"
    else:
        population = ~member
        pop_source = "member == 0"

    ids = df[id_col].to_numpy() if id_col is not None else np.arange(n)
    if rows.bad.any():
        keep = ~rows.bad
        print(f"skipped {int(rows.bad.sum())} of {n} rows with input errors:", file=sys.stderr)
        for first_row, count, what in rows.reasons:
            print(f"  {what}: {count} row(s), first data row {first_row + 1}", file=sys.stderr)
        member = member[keep]
        phi_t, p_t, ref_in, ref_phi, ref_p = phi_t[keep], p_t[keep], ref_in[keep], ref_phi[keep], ref_p[keep]
        population, ids = population[keep], ids[keep]
    return dict(ids=ids, member=member, phi_t=phi_t, p_t=p_t, ref_in=ref_in, ref_phi=ref_phi, ref_p=ref_p,
                population=population, phi_mode=phi_mode, M=M, n_skipped=int(rows.bad.sum()),
                pop_source=pop_source)


# ---------------------------------------------------------------------------------------------------
# LiRA


def side_stats(ref_phi, mask, center):
    """Per record: count, centre (median or mean, with the column-mean fallback), mean-based ddof-0 spread
    (NaN for n = 0), and the global spread G = np.std of the pooled residuals phi_j - c."""
    n, M = ref_phi.shape
    cnt = mask.sum(axis=1)
    has = cnt >= 1
    safe = np.maximum(cnt, 1)
    total = np.where(mask, ref_phi, 0.0).sum(axis=1)
    mean = total / safe
    dev = np.where(mask, ref_phi - mean[:, None], 0.0)
    sd = np.sqrt((dev * dev).sum(axis=1) / safe)
    # All values on the side equal: the spread is exactly 0 (mean-then-subtract can leave ~1e-17).
    hi = np.where(mask, ref_phi, -np.inf).max(axis=1)
    lo = np.where(mask, ref_phi, np.inf).min(axis=1)
    sd[has & (hi == lo)] = 0.0
    sd[~has] = np.nan
    if center == "median":
        v = np.where(mask, ref_phi, np.inf)
        v.sort(axis=1)
        a = np.take_along_axis(v, np.clip((cnt - 1) // 2, 0, M - 1)[:, None], axis=1)[:, 0]
        b = np.take_along_axis(v, np.clip(cnt // 2, 0, M - 1)[:, None], axis=1)[:, 0]
        c = (a + b) / 2.0
    else:
        c = mean.copy()
    if has.any():
        fallback = float(np.mean(c[has]))
        resid = (ref_phi - c[:, None])[mask]
        G = float(np.std(resid))
    else:
        fallback, G = float("nan"), float("nan")
    c[~has] = fallback
    used = np.where((cnt >= 2) & (sd > 0), sd, G)
    return dict(cnt=cnt, c=c, sd=sd, used=used, G=G, fallback=fallback, any=bool(has.any()))


def log_normal(x, mu, s):
    return -0.5 * ((x - mu) / s) ** 2 - np.log(s) - HALF_LN_2PI


def lira(phi_t, ref_phi, ref_in, center):
    si = side_stats(ref_phi, ref_in, center)
    so = side_stats(ref_phi, ~ref_in, center)
    scores = {}
    online_ok = si["any"] and so["any"]
    offline_ok = so["any"]
    s_in, s_out = si["used"] + STD_EPS, so["used"] + STD_EPS
    g_in, g_out = si["G"] + STD_EPS, so["G"] + STD_EPS
    scores["lira_online"] = (log_normal(phi_t, si["c"], s_in) - log_normal(phi_t, so["c"], s_out)
                             if online_ok else None)
    scores["lira_online_global"] = (log_normal(phi_t, si["c"], g_in) - log_normal(phi_t, so["c"], g_out)
                                    if online_ok else None)
    scores["lira_offline"] = (phi_t - so["c"]) / s_out if offline_ok else None
    scores["lira_offline_global"] = (phi_t - so["c"]) / g_out if offline_ok else None
    return scores, si, so


# ---------------------------------------------------------------------------------------------------
# RMIA


def rmia_score(r, in_z, gamma):
    """score(x) = #{z in Z, z != x : r(x) > gamma r(z)} / #{z in Z, z != x}, by sort + searchsorted."""
    rz = np.sort(gamma * r[in_z])
    beats = np.searchsorted(rz, r, side="left")  # number of gamma r(z) strictly below r(x)
    self_pair = in_z & (r > gamma * r)
    beats = beats - self_pair
    return beats / (rz.size - in_z.astype(np.int64))


def ratio(p_t, P):
    with np.errstate(divide="ignore", invalid="ignore"):
        r = p_t / P
    return np.where(P == 0, np.where(p_t > 0, np.inf, 1.0), r)


def rmia(p_t, ref_p, ref_in, population, gamma, a):
    out = ~ref_in
    n_out = out.sum(axis=1)
    P_online = ref_p.mean(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        P_out = np.where(out, ref_p, 0.0).sum(axis=1) / n_out
    has = n_out >= 1
    if has.any():
        P_out[~has] = np.mean(P_out[has])
    P_off = ((1.0 + a) / 2.0) * P_out + (1.0 - a) / 2.0
    r_on, r_off = ratio(p_t, P_online), ratio(p_t, P_off)
    z_ok = population.sum() >= 2
    scores = {
        "rmia_online": rmia_score(r_on, population, gamma) if z_ok else None,
        "rmia_offline": rmia_score(r_off, population, gamma) if (z_ok and has.any()) else None,
    }
    inter = dict(P_online=P_online, P_out=P_out, P_offline=P_off, r_online=r_on, r_offline=r_off)
    return scores, inter


# ---------------------------------------------------------------------------------------------------
# Metrics


def figures(member, score):
    if score is None:
        return {"available": False, "auc": None, "tpr_at_fpr": {t: None for t in FPR_TARGETS},
                "attacker_advantage": None}
    fpr, tpr, _ = roc_curve(member, score, drop_intermediate=False)
    return {
        "available": True,
        "auc": float(roc_auc_score(member, score)),
        "tpr_at_fpr": {t: float(tpr[fpr <= float(t)].max()) for t in FPR_TARGETS},
        "attacker_advantage": float((tpr - fpr).max()),
    }


def compute(d, gamma, a, center):
    lira_scores, si, so = lira(d["phi_t"], d["ref_phi"], d["ref_in"], center)
    rmia_scores, inter = rmia(d["p_t"], d["ref_p"], d["ref_in"], d["population"], gamma, a)
    scores = {"target_phi": d["phi_t"], **lira_scores, **rmia_scores}
    return scores, si, so, inter


def run(d, gamma, a, center):
    scores, si, so, inter = compute(d, gamma, a, center)
    variants = {v: figures(d["member"], scores[v]) for v in VARIANTS}
    return scores, si, so, inter, variants


# ---------------------------------------------------------------------------------------------------
# --check against a conformance case


def check(d, prefix):
    exp = json.load(open(prefix + ".expected.json"))
    ref = pd.read_csv(prefix + ".scores.csv")
    problems = []
    worst_rel, worst_auc = 0.0, 0.0

    def rel_cmp(name, got, want):
        nonlocal worst_rel
        got, want = np.asarray(got, dtype=np.float64), np.asarray(want, dtype=np.float64)
        both_nan = np.isnan(got) & np.isnan(want)
        same = (got == want) | both_nan
        with np.errstate(invalid="ignore"):
            rel = np.abs(got - want) / np.maximum(np.abs(want), 1e-300)
        rel = np.where(same, 0.0, rel)
        m = float(np.nanmax(rel)) if rel.size else 0.0
        if np.isnan(rel).any():
            m = float("inf")
        worst_rel = max(worst_rel, m)
        if m > 1e-9:
            problems.append(f"{name}: max rel diff {m:.3g}")

    def metric_cmp(name, got, want):
        nonlocal worst_auc
        dauc = abs(got["auc"] - want["auc"])
        worst_auc = max(worst_auc, dauc)
        if dauc > 1e-9:
            problems.append(f"{name}: auc {got['auc']!r} vs {want['auc']!r}")
        for t in FPR_TARGETS:
            if got["tpr_at_fpr"][t] != want["tpr_at_fpr"][t]:
                problems.append(f"{name}: tpr@{t} {got['tpr_at_fpr'][t]!r} vs {want['tpr_at_fpr'][t]!r}")
        if abs(got["attacker_advantage"] - want["attacker_advantage"]) > 1e-12:
            problems.append(f"{name}: advantage {got['attacker_advantage']!r} vs {want['attacker_advantage']!r}")

    p = exp["params"]
    scores, si, so, inter, variants = run(d, p["gamma"], p["offline_a"], p["center"])
    for v in VARIANTS:
        metric_cmp(v, variants[v], exp["variants"][v])
        rel_cmp(f"score {v}", scores[v], ref[v])
    inter_cols = {"phi_t": d["phi_t"], "p_t": d["p_t"], "n_in": si["cnt"], "n_out": so["cnt"],
                  "mu_in": si["c"], "sd_in": si["sd"], "sd_in_used": si["used"], "mu_out": so["c"],
                  "sd_out": so["sd"], "sd_out_used": so["used"], **inter}
    for k, v in inter_cols.items():
        rel_cmp(k, v, ref[k])
    rel_cmp("global_sigma", [si["G"], so["G"]], [exp["global_sigma"]["in"], exp["global_sigma"]["out"]])
    rel_cmp("column_mean_fallbacks", [si["fallback"], so["fallback"]],
            [exp["column_mean_fallbacks"]["mu_in"], exp["column_mean_fallbacks"]["mu_out"]])
    rc = exp["reference_counts"]
    got_rc = {
        "n_in_min": int(si["cnt"].min()), "n_in_max": int(si["cnt"].max()),
        "n_out_min": int(so["cnt"].min()), "n_out_max": int(so["cnt"].max()),
        "records_n_in_0": int((si["cnt"] == 0).sum()), "records_n_in_1": int((si["cnt"] == 1).sum()),
        "records_n_out_0": int((so["cnt"] == 0).sum()), "records_n_out_1": int((so["cnt"] == 1).sum()),
        "records_sd_in_zero_with_n_ge_2": int(((si["cnt"] >= 2) & (si["sd"] == 0)).sum()),
        "records_sd_out_zero_with_n_ge_2": int(((so["cnt"] >= 2) & (so["sd"] == 0)).sum()),
    }
    for k, v in rc.items():
        if got_rc[k] != v:
            problems.append(f"reference_counts.{k}: {got_rc[k]} vs {v}")
    if d["phi_mode"] != exp["phi_mode"]:
        problems.append(f"phi_mode {d['phi_mode']} vs {exp['phi_mode']}")

    # Optional variants that are parameters here.
    opt = exp.get("optional_variants", {})
    s_mean, si_m, so_m, _, v_mean = run(d, p["gamma"], p["offline_a"], "mean")
    for v in ("lira_online", "lira_online_global", "lira_offline", "lira_offline_global"):
        name = v + "_meancenter"
        if name in opt:
            metric_cmp(name, v_mean[v], opt[name])
            rel_cmp(f"score {name}", s_mean[v], ref[name])
    if "in_meancenter" in exp["global_sigma"]:
        rel_cmp("global_sigma meancenter", [si_m["G"], so_m["G"]],
                [exp["global_sigma"]["in_meancenter"], exp["global_sigma"]["out_meancenter"]])
    s_g2, _, _, _, v_g2 = run(d, 2.0, p["offline_a"], p["center"])
    for v in ("rmia_online", "rmia_offline"):
        name = v + "_gamma2"
        if name in opt:
            metric_cmp(name, v_g2[v], opt[name])
            rel_cmp(f"score {name}", s_g2[v], ref[name])
    for a, name in ((1.0, "rmia_offline_a1"), (0.0, "rmia_offline_a0")):
        if name in opt:
            s_a, _, _, _, v_a = run(d, p["gamma"], a, p["center"])
            metric_cmp(name, v_a["rmia_offline"], opt[name])
            rel_cmp(f"score {name}", s_a["rmia_offline"], ref[name])
    return {"case": exp["case"], "ok": not problems, "max_abs_auc_diff": worst_auc,
            "max_rel_diff": worst_rel, "problems": problems}


# ---------------------------------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("csv")
    ap.add_argument("--gamma", type=float, default=1.0, help="RMIA gamma (default 1)")
    ap.add_argument("--offline-a", type=float, default=0.3, help="offline RMIA a (default 0.3)")
    ap.add_argument("--center", choices=("median", "mean"), default="median", help="LiRA centre")
    ap.add_argument("--scores-out", help="write every record's scores and intermediates to this CSV")
    ap.add_argument("--check", metavar="CASE_PREFIX",
                    help="compare with CASE_PREFIX.expected.json and CASE_PREFIX.scores.csv (default "
                         "parameters and the optional variants); exit 1 on a mismatch")
    args = ap.parse_args()

    t0 = time.perf_counter()
    d = load(args.csv)
    scores, si, so, inter, variants = run(d, args.gamma, args.offline_a, args.center)
    seconds = time.perf_counter() - t0

    out = {
        "seconds": seconds,
        "n": int(d["member"].size),
        "M": d["M"],
        "phi_mode": d["phi_mode"],
        "variants": variants,
        "global_sigma": {"in": si["G"], "out": so["G"]},
        "column_mean_fallbacks": {"mu_in": si["fallback"], "mu_out": so["fallback"]},
        "reference_counts": {
            "n_in_min": int(si["cnt"].min()), "n_in_max": int(si["cnt"].max()),
            "n_out_min": int(so["cnt"].min()), "n_out_max": int(so["cnt"].max()),
            "records_n_in_0": int((si["cnt"] == 0).sum()), "records_n_out_0": int((so["cnt"] == 0).sum()),
        },
        "population_source": d["pop_source"],
        "n_population": int(d["population"].sum()),
        "n_skipped_rows": d["n_skipped"],
        "params": {"gamma": args.gamma, "offline_a": args.offline_a, "center": args.center,
                   "phi_eps": PHI_EPS, "std_eps": STD_EPS},
    }
    # JSON has no NaN/inf: report them as null.
    def clean(o):
        if isinstance(o, dict):
            return {k: clean(v) for k, v in o.items()}
        if isinstance(o, float) and not math.isfinite(o):
            return None
        return o
    print(json.dumps(clean(out)))

    if args.scores_out:
        cols = {"id": d["ids"], "member": d["member"].astype(int)}
        for v in VARIANTS:
            cols[v] = scores[v] if scores[v] is not None else np.full(d["member"].size, np.nan)
        cols.update({"n_in": si["cnt"], "n_out": so["cnt"], "phi_t": d["phi_t"], "p_t": d["p_t"],
                     "mu_in": si["c"], "sd_in": si["sd"], "sd_in_used": si["used"], "mu_out": so["c"],
                     "sd_out": so["sd"], "sd_out_used": so["used"], **inter})
        pd.DataFrame(cols).to_csv(args.scores_out, index=False, float_format="%.17g")

    if args.check:
        res = check(d, args.check)
        print(json.dumps(res, indent=1), file=sys.stderr)
        if not res["ok"]:
            sys.exit(1)


if __name__ == "__main__":
    main()
