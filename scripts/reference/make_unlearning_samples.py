#!/usr/bin/env python3
"""Makes the two bundled samples of the page's "Unlearning" view (verifying unlearning from a model's
outputs before and after it):

  www/samples/unlearn_retrain_digits.csv    AFTER = retrained from scratch on the retain set (gold standard)
  www/samples/unlearn_finetune_digits.csv   AFTER = the BEFORE model fine-tuned 5 epochs on the retain set

Data: the bundled noisy digits, made like `digits_noisy` in engine/src/training/datasets.rs: the 1,797 8x8
images of www/datasets/digits.csv plus fixed per-pixel Gaussian noise, sd 8, seed 12345, not clipped. The noise
here is numpy's (np.random.default_rng(12345).standard_normal, row-major), NOT bit-identical to the Rust
ChaCha8 noise: same idea, different draws.
Split: a stratified half (train_test_split, test_size=0.5, random_state=0) are the members, the other half
`held_out`; forget = 100 members drawn with np.random.default_rng(1) (without replacement); retain = the
other members.
Model: features standardised (StandardScaler fit on the members); sklearn MLPClassifier with one hidden layer
of 128 ReLU units, alpha=0, adam, batch_size=32, exactly 300 epochs (tol=0, n_iter_no_change=300),
random_state=0: it memorises its training images (train accuracy 100 %).
  BEFORE   = that model trained on all members (forget + retain).
  retrain  = the same hyper-parameters and random_state, trained from scratch on retain only.
  finetune = a deep copy of BEFORE, partial_fit 5 times on retain (5 epochs, its Adam state carried on).
Outputs: logit_* = the MLP's exact pre-softmax outputs, computed from coefs_/intercepts_ (ReLU hidden
layer, linear output); their stable softmax is checked against predict_proba to 1e-9. Only the logits are
written (the tool derives the probabilities exactly), which keeps the bundled samples half the size.

CSV columns: id (d0000..d1796, the row of www/datasets/digits.csv), set in {forget, retain, held_out}, label,
logit_0..logit_9 (BEFORE), after_logit_0..after_logit_9 (AFTER);
rows in dataset order; every float written with repr(float) (round-trips).

The figures printed for each sample are the seed design's (see make_unlearning_reference.py), computed
from the CSV as written and read back: confidence = softmax(logits)[label];
  gap before = mean conf_before(forget) - mean conf_before(held_out)
  gap after  = mean conf_after(forget)  - mean conf_before(held_out)     verified = |gap after| < 0.05
plus roc_auc_score of the confidence, forget (1) vs held_out (0), before and after, and the accuracies.

Deterministic: running it twice writes byte-identical CSVs (checked with sha256sum).
Run:  /work/.venv/bin/python scripts/reference/make_unlearning_samples.py      (numpy, scikit-learn; no network)
"""
import copy
import csv
import hashlib
import os
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
DIGITS = os.path.join(ROOT, "www", "datasets", "digits.csv")
OUT = os.path.join(ROOT, "www", "samples")

NOISE_SD, NOISE_SEED = 8.0, 12345  # as DIGITS_NOISE_SD / DIGITS_NOISE_SEED in datasets.rs
SPLIT_SEED, FORGET_SEED, MODEL_SEED = 0, 1, 0
N_FORGET = 100
FINETUNE_EPOCHS = 5
K = 10


def load_noisy_digits():
    raw = np.loadtxt(DIGITS, delimiter=",", skiprows=1)
    X, y = raw[:, :-1], raw[:, -1].astype(int)
    X = X + NOISE_SD * np.random.default_rng(NOISE_SEED).standard_normal(X.shape)
    return X, y


def new_mlp():
    return MLPClassifier(hidden_layer_sizes=(128,), activation="relu", solver="adam", alpha=0.0,
                         batch_size=32, learning_rate_init=0.001, max_iter=300, tol=0.0,
                         n_iter_no_change=300, shuffle=True, random_state=MODEL_SEED)


def logits_of(model, Xs):
    a = Xs
    for W, b in zip(model.coefs_[:-1], model.intercepts_[:-1]):
        a = np.maximum(a @ W + b, 0.0)
    return a @ model.coefs_[-1] + model.intercepts_[-1]


def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def outputs(model, Xs):
    z = logits_of(model, Xs)
    p = softmax(z)
    assert list(model.classes_) == list(range(K))
    err = np.abs(p - model.predict_proba(Xs)).max()
    assert err < 1e-9, err
    return p, z


def write(path, sets, y, before, after):
    (p0, z0), (p1, z1) = before, after
    # Logits only: the tool derives the probabilities exactly (log-softmax), and the bundle stays
    # half the size.
    header = ["id", "set", "label"] + [f"logit_{j}" for j in range(K)] + [f"after_logit_{j}" for j in range(K)]
    lines = [",".join(header)]
    for i in range(len(y)):
        nums = np.concatenate([z0[i], z1[i]])
        lines.append(",".join([f"d{i:04d}", sets[i], str(int(y[i]))] + [repr(float(v)) for v in nums]))
    with open(path, "w", newline="\n") as f:
        f.write("\n".join(lines) + "\n")


def figures(path):
    """The seed design's figures, from the CSV as read back."""
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    s = np.array([r["set"] for r in rows])
    lab = np.array([int(r["label"]) for r in rows])
    pb = softmax(np.array([[float(r[f"logit_{j}"]) for j in range(K)] for r in rows]))
    pa = softmax(np.array([[float(r[f"after_logit_{j}"]) for j in range(K)] for r in rows]))
    cb, ca = pb[np.arange(len(lab)), lab], pa[np.arange(len(lab)), lab]
    fo, ho, re = s == "forget", s == "held_out", s == "retain"
    held_before = np.mean(list(cb[ho]))
    gap_before = np.mean(list(cb[fo])) - held_before
    gap_after = np.mean(list(ca[fo])) - held_before
    yy = np.r_[np.ones(fo.sum()), np.zeros(ho.sum())]
    acc = lambda p, m: float((p[m].argmax(1) == lab[m]).mean())
    return {
        "n_forget/retain/held_out": (int(fo.sum()), int(re.sum()), int(ho.sum())),
        "forget_confidence_before": float(np.mean(cb[fo])),
        "forget_confidence_after": float(np.mean(ca[fo])),
        "held_out_confidence_before": float(held_before),
        "held_out_confidence_after": float(np.mean(ca[ho])),
        "membership_gap_before": float(gap_before),
        "membership_gap_after": float(gap_after),
        "gap_reduction": float(1 - abs(gap_after) / max(abs(gap_before), 1e-8)),
        "unlearning_verified (|gap after| < 0.05)": bool(abs(gap_after) < 0.05),
        "auc_before": float(roc_auc_score(yy, np.r_[cb[fo], cb[ho]])),
        "auc_after": float(roc_auc_score(yy, np.r_[ca[fo], ca[ho]])),
        "retain_accuracy_before": acc(pb, re),
        "retain_accuracy_after": acc(pa, re),
        "held_out_accuracy_before": acc(pb, ho),
        "held_out_accuracy_after": acc(pa, ho),
        "forget_accuracy_before": acc(pb, fo),
        "forget_accuracy_after": acc(pa, fo),
    }


def main():
    X, y = load_noisy_digits()
    n = len(y)
    members, _ = train_test_split(np.arange(n), test_size=0.5, random_state=SPLIT_SEED, stratify=y)
    members = np.sort(members)
    forget = np.sort(np.random.default_rng(FORGET_SEED).choice(members, size=N_FORGET, replace=False))
    sets = np.full(n, "held_out", dtype=object)
    sets[members] = "retain"
    sets[forget] = "forget"
    retain = np.flatnonzero(sets == "retain")

    scaler = StandardScaler().fit(X[members])
    Xs = scaler.transform(X)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        before = new_mlp().fit(Xs[members], y[members])
        retrained = new_mlp().fit(Xs[retain], y[retain])
        finetuned = copy.deepcopy(before)
        for _ in range(FINETUNE_EPOCHS):
            finetuned.partial_fit(Xs[retain], y[retain])

    out_before = outputs(before, Xs)
    os.makedirs(OUT, exist_ok=True)
    for name, after in [("unlearn_retrain_digits", retrained), ("unlearn_finetune_digits", finetuned)]:
        path = os.path.join(OUT, name + ".csv")
        write(path, sets, y, out_before, outputs(after, Xs))
        with open(path, "rb") as f:
            data = f.read()
        print(f"{name}.csv  {len(data):,} bytes  sha256 {hashlib.sha256(data).hexdigest()}")
        for k, v in figures(path).items():
            print(f"  {k:44s} {v:.4f}" if isinstance(v, float) else f"  {k:44s} {v}")


if __name__ == "__main__":
    main()
