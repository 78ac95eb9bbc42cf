#!/usr/bin/env python3
"""Numpy-only reference for the engine's small softmax classifiers trained with mini-batch SGD (optionally
with momentum) or Adam, with PyTorch semantics. Writes
engine/tests/fixtures/training/optimizer_steps.json, which fixes everything a test needs (data, initial
parameters, batch index lists, hyper-parameters) and the parameters after 1, 10 and 50 steps, so the Rust
implementation can be checked step for step (the engine test matches the 50-step weights within 1e-9).

Definitions (mirroring torch.nn / torch.optim; all arithmetic in float64):
- Layers: sizes [d, h1, ..., k]. Layer l has weight W_l of shape (in, out), stored row-major (flat index
  i*out + o), and bias b_l of length out. Forward for a record x: a0 = x; z_l = a_{l-1} @ W_l + b_l;
  hidden layers a_l = relu(z_l) = max(z_l, 0); the last z are the logits. relu'(z) = 1 if z > 0 else 0.
  No dropout.
- Loss on a batch B (record indices, repeats allowed): mean over B of the label-smoothed cross-entropy,
  q = (1 - eps) * onehot(y) + eps / K, loss_i = -sum_k q_k * log_softmax(z_i)_k (log_softmax with the max
  subtracted). d(mean loss)/d(logits_i) = (softmax(z_i) - q_i) / |B|. No weight-decay term in the loss.
- One step: gradients of the mean batch loss by backprop -> if max_norm > 0, clip_grad_norm_:
  total_norm = sqrt(sum of squares of ALL gradients, weights and biases of every layer),
  clip_coef = max_norm / (total_norm + 1e-6), every gradient *= min(clip_coef, 1.0) -> optimizer step,
  with weight decay folded into the gradient, g = g + weight_decay * p, for every parameter (biases too).
- SGD (torch.optim.SGD, dampening 0, nesterov False): momentum 0: p -= lr * g; otherwise buf = g (copy) on
  the first step, then buf = momentum * buf + g; p -= lr * buf.
- Adam (torch.optim.Adam, amsgrad False, single-tensor formula), beta1 0.9, beta2 0.999, eps 1e-8: t = step
  number from 1; m = beta1*m + (1-beta1)*g; v = beta2*v + (1-beta2)*g*g; step_size = lr / (1 - beta1**t);
  denom = sqrt(v) / sqrt(1 - beta2**t) + eps; p -= step_size * m / denom.

Data per case (numpy.random.default_rng(seed), seed stored in the fixture): x is n x d standard normal
rounded to 6 decimals; y uniform in 0..k-1, redrawn until every class appears; W_l uniform in (-b, b) with
b = sqrt(6 / (in + out)), biases uniform in (-0.1, 0.1), both rounded to 8 decimals; 50 batches of 8 indices,
each rng.choice(n, 8, replace=False). The rounded values are what is stored and what is trained on.

Fixture: {"description", "numpy_version", "cases": [{"name", "seed", "n", "sizes", "optimizer" ("sgd" |
"adam"), "lr", "momentum" (0 for adam), "weight_decay", "label_smoothing", "max_norm", "adam_beta1",
"adam_beta2", "adam_eps" (adam only), "x", "y", "batches", "init", "after": {"1", "10", "50"}, "losses"}]}.
Parameters (init and after) are a list of flat arrays in the order W1, b1, W2, b2, ...; losses[s] is the
mean batch loss of batch s computed before step s's update. Floats are written with repr (round-trip exact).

Self-check, run on every generation: on each case's first batch, the analytic gradient of the mean batch
loss w.r.t. every parameter is compared with central finite differences (h = 1e-6); the largest relative
error |analytic - fd| / max(|analytic|, |fd|, 1e-6) must be < 1e-6 (the 1e-6 floor keeps gradients that are
exactly 0, e.g. of dead ReLU units, from dividing by 0; it treats |values| < 1e-6 absolutely).

Run:
    python3 scripts/reference/train_reference.py [--out PATH]
Only numpy and the standard library are needed (e.g. /work/.venv/bin/python3). Output is deterministic.
"""
import argparse
import json
import math
import os

import numpy as np

DEFAULT_OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "engine", "tests",
                           "fixtures", "training", "optimizer_steps.json")

N_STEPS = 50
BATCH_SIZE = 8
CHECKPOINTS = (1, 10, 50)
ADAM_BETA1, ADAM_BETA2, ADAM_EPS = 0.9, 0.999, 1e-8
CLIP_EPS = 1e-6
FD_H = 1e-6
FD_FLOOR = 1e-6
FD_TOL = 1e-6

CASES = [
    dict(name="mlp_sgd_momentum", seed=101, sizes=[6, 5, 3], n=40, optimizer="sgd", lr=0.1, momentum=0.9,
         weight_decay=1e-3, label_smoothing=0.1, max_norm=1.0),
    dict(name="mlp_adam", seed=202, sizes=[6, 5, 3], n=40, optimizer="adam", lr=0.01, momentum=0.0,
         weight_decay=1e-4, label_smoothing=0.0, max_norm=0.0),
    dict(name="logreg_sgd", seed=303, sizes=[6, 3], n=40, optimizer="sgd", lr=0.5, momentum=0.0,
         weight_decay=0.0, label_smoothing=0.0, max_norm=0.0),
    dict(name="mlp2_adam_clip", seed=404, sizes=[6, 7, 4, 3], n=40, optimizer="adam", lr=0.005, momentum=0.0,
         weight_decay=1e-3, label_smoothing=0.05, max_norm=0.5),
]


# ---------------------------------------------------------------- model

def unflatten(params, sizes):
    """Flat list [W1, b1, W2, b2, ...] -> list of (W (in, out), b (out,)) views."""
    layers = []
    for l in range(len(sizes) - 1):
        layers.append((params[2 * l].reshape(sizes[l], sizes[l + 1]), params[2 * l + 1]))
    return layers


def loss_and_grads(params, sizes, x, y, batch, eps):
    """Mean label-smoothed cross-entropy over the batch and its gradients (same layout as params)."""
    layers = unflatten(params, sizes)
    xb = x[batch]
    yb = y[batch]
    nb, k = len(batch), sizes[-1]
    acts = [xb]
    zs = []
    a = xb
    for l, (w, b) in enumerate(layers):
        z = a @ w + b
        zs.append(z)
        if l < len(layers) - 1:
            a = np.maximum(z, 0.0)
            acts.append(a)
    logits = zs[-1]
    shifted = logits - logits.max(axis=1, keepdims=True)
    logsm = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    q = np.full((nb, k), eps / k)
    q[np.arange(nb), yb] += 1.0 - eps
    loss = float(np.mean(-(q * logsm).sum(axis=1)))
    delta = (np.exp(logsm) - q) / nb  # d loss / d logits
    grads = [None] * len(params)
    for l in range(len(layers) - 1, -1, -1):
        w, _ = layers[l]
        grads[2 * l] = (acts[l].T @ delta).reshape(-1)
        grads[2 * l + 1] = delta.sum(axis=0)
        if l > 0:
            delta = (delta @ w.T) * (zs[l - 1] > 0.0)
    return loss, grads


def batch_loss(params, sizes, x, y, batch, eps):
    return loss_and_grads(params, sizes, x, y, batch, eps)[0]


# ---------------------------------------------------------------- training

def clip_grad_norm(grads, max_norm):
    total = math.sqrt(sum(float(np.sum(g * g)) for g in grads))
    coef = min(max_norm / (total + CLIP_EPS), 1.0)
    return [g * coef for g in grads]


def train(case, x, y, init, batches):
    sizes = case["sizes"]
    params = [p.copy() for p in init]
    state = [None] * len(params)  # sgd: momentum buffer; adam: (m, v)
    losses, after = [], {}
    for step, batch in enumerate(batches, start=1):
        loss, grads = loss_and_grads(params, sizes, x, y, np.asarray(batch), case["label_smoothing"])
        losses.append(loss)
        if case["max_norm"] > 0:
            grads = clip_grad_norm(grads, case["max_norm"])
        for i, p in enumerate(params):
            g = grads[i]
            if case["weight_decay"] != 0:
                g = g + case["weight_decay"] * p
            if case["optimizer"] == "sgd":
                if case["momentum"] != 0:
                    if state[i] is None:
                        state[i] = g.copy()
                    else:
                        state[i] = case["momentum"] * state[i] + g
                    g = state[i]
                params[i] = p - case["lr"] * g
            else:
                if state[i] is None:
                    state[i] = (np.zeros_like(p), np.zeros_like(p))
                m, v = state[i]
                m = ADAM_BETA1 * m + (1.0 - ADAM_BETA1) * g
                v = ADAM_BETA2 * v + (1.0 - ADAM_BETA2) * g * g
                state[i] = (m, v)
                bc1 = 1.0 - ADAM_BETA1 ** step
                bc2 = 1.0 - ADAM_BETA2 ** step
                step_size = case["lr"] / bc1
                denom = np.sqrt(v) / math.sqrt(bc2) + ADAM_EPS
                params[i] = p - step_size * m / denom
        if step in CHECKPOINTS:
            after[str(step)] = [p.tolist() for p in params]
    return losses, after


# ---------------------------------------------------------------- data

def make_data(case):
    rng = np.random.default_rng(case["seed"])
    sizes, n = case["sizes"], case["n"]
    d, k = sizes[0], sizes[-1]
    x = np.round(rng.standard_normal((n, d)), 6)
    while True:
        y = rng.integers(0, k, size=n)
        if len(np.unique(y)) == k:
            break
    init = []
    for l in range(len(sizes) - 1):
        fan_in, fan_out = sizes[l], sizes[l + 1]
        bound = math.sqrt(6.0 / (fan_in + fan_out))
        init.append(np.round(rng.uniform(-bound, bound, size=fan_in * fan_out), 8))
        init.append(np.round(rng.uniform(-0.1, 0.1, size=fan_out), 8))
    batches = [[int(i) for i in rng.choice(n, BATCH_SIZE, replace=False)] for _ in range(N_STEPS)]
    return x, y, init, batches


# ---------------------------------------------------------------- self-check

def finite_difference_check(case, x, y, init, batch):
    sizes, eps = case["sizes"], case["label_smoothing"]
    batch = np.asarray(batch)
    _, grads = loss_and_grads(init, sizes, x, y, batch, eps)
    worst = 0.0
    for i, p in enumerate(init):
        for j in range(p.size):
            plus = [q.copy() for q in init]
            minus = [q.copy() for q in init]
            plus[i][j] += FD_H
            minus[i][j] -= FD_H
            fd = (batch_loss(plus, sizes, x, y, batch, eps) - batch_loss(minus, sizes, x, y, batch, eps)) / (2 * FD_H)
            a = grads[i][j]
            err = abs(a - fd) / max(abs(a), abs(fd), FD_FLOOR)
            worst = max(worst, err)
    return worst


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=DEFAULT_OUT, help="fixture path (default: %(default)s)")
    args = ap.parse_args()

    out_cases = []
    for case in CASES:
        x, y, init, batches = make_data(case)
        worst = finite_difference_check(case, x, y, init, batches[0])
        n_params = sum(p.size for p in init)
        print(f"{case['name']}: finite-difference check on batch 0, {n_params} parameters, "
              f"max relative error {worst:.3e}")
        assert worst < FD_TOL, f"{case['name']}: gradient check failed ({worst:.3e} >= {FD_TOL})"
        losses, after = train(case, x, y, init, batches)
        print(f"    loss step 1 {losses[0]!r}, step {N_STEPS} {losses[-1]!r}")
        entry = {
            "name": case["name"],
            "seed": case["seed"],
            "n": case["n"],
            "sizes": case["sizes"],
            "optimizer": case["optimizer"],
            "lr": case["lr"],
            "momentum": case["momentum"] if case["optimizer"] == "sgd" else 0.0,
            "weight_decay": case["weight_decay"],
            "label_smoothing": case["label_smoothing"],
            "max_norm": case["max_norm"],
        }
        if case["optimizer"] == "adam":
            entry.update(adam_beta1=ADAM_BETA1, adam_beta2=ADAM_BETA2, adam_eps=ADAM_EPS)
        entry.update({
            "x": x.tolist(),
            "y": [int(v) for v in y],
            "batches": batches,
            "init": [p.tolist() for p in init],
            "after": after,
            "losses": losses,
        })
        out_cases.append(entry)

    description = (
        "Generated by scripts/reference/train_reference.py (numpy " + np.__version__ + ", float64; see its "
        "docstring). Softmax classifier, sizes [d, h..., k]; W_l (in, out) row-major flat [i*out+o], b_l; "
        "z_l = a_{l-1} @ W_l + b_l, ReLU on hidden layers, last z = logits; no dropout. Loss = mean over the "
        "batch of -sum_k q_k log_softmax(z)_k with q = (1-eps) onehot(y) + eps/K (eps = label_smoothing); "
        "d loss/d logits_i = (softmax - q)/|B|. Step: backprop -> if max_norm > 0, torch clip_grad_norm_ over "
        "all gradients (coef = max_norm/(total_norm+1e-6), multiply by min(coef, 1)) -> g += weight_decay*p for "
        "every parameter -> SGD (momentum 0: p -= lr g; else buf = g on step 1, then buf = momentum buf + g, "
        "p -= lr buf; dampening 0, no nesterov) or Adam (beta1 0.9, beta2 0.999, eps 1e-8, no amsgrad; m, v "
        "updates; step_size = lr/(1-beta1^t); denom = sqrt(v)/sqrt(1-beta2^t) + eps; p -= step_size m/denom). "
        "Data from numpy.random.default_rng(seed): x standard normal rounded to 6 decimals; y uniform, every "
        "class present; W uniform(+-sqrt(6/(in+out))), b uniform(+-0.1), rounded to 8 decimals; 50 batches of "
        "8 indices without replacement within a batch. Parameter lists are [W1, b1, W2, b2, ...]; after[s] are "
        "the parameters after s steps; losses[s] is batch s's mean loss before its update."
    )
    doc = {"description": description, "generator": "scripts/reference/train_reference.py",
           "numpy_version": np.__version__, "cases": out_cases}
    out = os.path.abspath(args.out)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print("wrote", out, os.path.getsize(out), "bytes")


if __name__ == "__main__":
    main()
