#!/usr/bin/env python3
"""Makes the bundled sample audits in www/samples/ from real public datasets shipped with scikit-learn.

Each sample is a target model trained on half of a dataset (the members) and evaluated on every record;
the CSV holds per-record outputs in the format the app reads:
id, member, label, prob_0..prob_{K-1}, logit_0..logit_{K-1}, confidence, loss.

Run:  python3 scripts/reference/make_samples.py      (scikit-learn >= 1.3, numpy; no network needed)
Floats are written with 10 significant digits to keep the files small; the app treats them as given.
"""
import json
import os

import numpy as np
from sklearn.datasets import load_breast_cancer, load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "www", "samples")


def logits_of(model, X):
    if isinstance(model, MLPClassifier):
        a = X
        for W, b in zip(model.coefs_[:-1], model.intercepts_[:-1]):
            a = np.maximum(a @ W + b, 0.0)
        z = a @ model.coefs_[-1] + model.intercepts_[-1]
    else:
        z = model.decision_function(X)
    if z.ndim == 1:  # binary logistic regression: logits (0, z)
        z = np.stack([np.zeros_like(z), z], axis=1)
    return z


def write(name, X, y, model, members, meta):
    z = logits_of(model, X)
    z = z - z.max(axis=1, keepdims=True)
    p = np.exp(z)
    p /= p.sum(axis=1, keepdims=True)
    conf = p[np.arange(len(y)), y]
    loss = -np.log(np.maximum(conf, 1e-12))
    k = p.shape[1]
    header = ["id", "member", "label"] + [f"prob_{i}" for i in range(k)] + [f"logit_{i}" for i in range(k)] + ["confidence", "loss"]
    g = lambda v: f"{v:.10g}"
    with open(os.path.join(OUT, name + ".csv"), "w") as f:
        f.write(",".join(header) + "\n")
        for i in range(len(y)):
            row = [str(i), "1" if members[i] else "0", str(y[i])]
            row += [g(v) for v in p[i]] + [g(v) for v in z[i]] + [g(conf[i]), g(loss[i])]
            f.write(",".join(row) + "\n")
    train_acc = (p[members].argmax(1) == y[members]).mean()
    test_acc = (p[~members].argmax(1) == y[~members]).mean()
    meta.update(rows=len(y), classes=k, train_accuracy=round(float(train_acc), 4), test_accuracy=round(float(test_acc), 4))
    return meta


def split(n, y, seed=0):
    tr, _ = train_test_split(np.arange(n), test_size=0.5, random_state=seed, stratify=y)
    m = np.zeros(n, dtype=bool)
    m[tr] = True
    return m


def main():
    os.makedirs(OUT, exist_ok=True)
    index = []

    # 1. Digits with per-record pixel noise, MLP trained to memorise: the leak is large.
    d = load_digits()
    rng = np.random.default_rng(8)
    X = np.clip(d.data + rng.normal(0, 8, d.data.shape), 0, 32)
    y = d.target
    m = split(len(y), y)
    mlp = MLPClassifier(hidden_layer_sizes=(128,), alpha=0.0, batch_size=32, max_iter=300, tol=0.0,
                        n_iter_no_change=300, random_state=0).fit(X[m], y[m])
    index.append(write("digits_noisy_mlp", X, y, mlp, m, {
        "id": "digits_noisy_mlp", "file": "digits_noisy_mlp.csv",
        "title": "Digits, overfit neural net",
        "description": "8x8 handwritten digits (UCI, 1,797 images) with pixel noise; a 128-unit MLP with no regularisation trained 300 epochs on half of them. It memorises its training images.",
    }))

    # 2. The same digits without noise, MLP with weight decay and early stopping: mild leak.
    X2 = d.data
    mlp2 = MLPClassifier(hidden_layer_sizes=(64,), alpha=1.0, early_stopping=True, random_state=0,
                         max_iter=300).fit(X2[m], y[m])
    index.append(write("digits_regularised_mlp", X2, y, mlp2, m, {
        "id": "digits_regularised_mlp", "file": "digits_regularised_mlp.csv",
        "title": "Digits, regularised neural net",
        "description": "The same digits without noise; a 64-unit MLP with weight decay (alpha=1) and early stopping. Better generalisation, smaller leak.",
    }))

    # 3. Breast cancer diagnosis, logistic regression: a simple model that barely leaks.
    b = load_breast_cancer()
    Xb = StandardScaler().fit_transform(b.data)
    yb = b.target
    mb = split(len(yb), yb)
    lr = LogisticRegression(C=1.0, max_iter=1000).fit(Xb[mb], yb[mb])
    index.append(write("breast_cancer_logreg", Xb, yb, lr, mb, {
        "id": "breast_cancer_logreg", "file": "breast_cancer_logreg.csv",
        "title": "Breast cancer, logistic regression",
        "description": "Wisconsin diagnostic breast cancer (569 patients, 30 features); standardised logistic regression (C=1) trained on half. A simple model on medical data.",
    }))

    # Tabular datasets for the shadow-model attack (features + class), written as they come.
    ds_dir = os.path.join(OUT, "..", "datasets")
    os.makedirs(ds_dir, exist_ok=True)
    for name, data in [("breast_cancer", load_breast_cancer()), ("digits", load_digits())]:
        cols = [f"f{i}" if name == "digits" else c.replace(" ", "_") for i, c in enumerate(data.feature_names)]
        with open(os.path.join(ds_dir, name + ".csv"), "w") as f:
            f.write(",".join(cols + ["class"]) + "\n")
            for row, label in zip(data.data, data.target):
                f.write(",".join(f"{v:.6g}" for v in row) + f",{label}\n")

    with open(os.path.join(OUT, "index.json"), "w") as f:
        json.dump(index, f, indent=1)
    for s in index:
        print(s["id"], s["rows"], "rows", "train acc", s["train_accuracy"], "test acc", s["test_accuracy"])


if __name__ == "__main__":
    main()
