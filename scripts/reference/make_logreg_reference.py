#!/usr/bin/env python3
"""Reference values for the engine's L2 logistic regression: scikit-learn's LogisticRegression(C=1.0)
(lbfgs, L2 penalty on the weights, unpenalised intercept; binary problems use one weight vector, multiclass
the multinomial model) fitted on standardised features (StandardScaler), with a tight tolerance so the
reference is the optimum itself. Writes engine/tests/fixtures/reference/logreg.json with X (already
standardised), y, and predict_proba on X.

Run: python3 scripts/reference/make_logreg_reference.py
"""
import json
import os

import numpy as np
from sklearn.datasets import load_breast_cancer, load_iris, make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "engine", "tests", "fixtures", "reference", "logreg.json")


def case(name, X, y, C=1.0):
    Xs = StandardScaler().fit_transform(X)
    m = LogisticRegression(C=C, tol=1e-12, max_iter=100000).fit(Xs, y)
    return {
        "name": name,
        "C": C,
        "n_classes": int(len(np.unique(y))),
        "X": np.round(Xs, 12).tolist(),
        "X_raw": None,
        "y": [int(v) for v in y],
        "proba": m.predict_proba(np.round(Xs, 12)).tolist(),
        "coef": m.coef_.tolist(),
        "intercept": m.intercept_.tolist(),
    }


def main():
    cases = []
    X, y = make_classification(n_samples=300, n_features=5, n_informative=3, n_redundant=1, random_state=0)
    cases.append(case("synthetic_binary_5", X, y))
    iris = load_iris()
    cases.append(case("iris_multinomial", iris.data, iris.target))
    b = load_breast_cancer()
    cases.append(case("breast_cancer_binary", b.data, b.target))
    # Raw (unstandardised) features too, to test the engine's own StandardScaler.
    Xr, yr = make_classification(n_samples=200, n_features=4, n_informative=2, n_redundant=0, random_state=1)
    Xr = Xr * np.array([1.0, 10.0, 0.1, 100.0]) + np.array([0.0, 5.0, -3.0, 50.0])
    sc = StandardScaler().fit(Xr)
    m = LogisticRegression(C=1.0, tol=1e-12, max_iter=100000).fit(sc.transform(Xr), yr)
    cases.append({
        "name": "raw_features_scaled_by_engine", "C": 1.0, "n_classes": 2, "X": None,
        "X_raw": Xr.tolist(), "y": [int(v) for v in yr],
        "proba": m.predict_proba(sc.transform(Xr)).tolist(), "coef": m.coef_.tolist(), "intercept": m.intercept_.tolist(),
        "scaler_mean": sc.mean_.tolist(), "scaler_scale": sc.scale_.tolist(),
    })
    with open(OUT, "w") as f:
        json.dump({"generator": "scripts/reference/make_logreg_reference.py", "cases": cases}, f)
    print("wrote", OUT, os.path.getsize(OUT), "bytes")


if __name__ == "__main__":
    main()
