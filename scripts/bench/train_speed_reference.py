#!/usr/bin/env python3
"""Speed reference for the training lab (a benchmark, not a test): the vectorised numpy code a user would
otherwise write for the same epoch as the lab's, on the same input, timed. It mirrors
engine/src/training/run.rs (the split, standardisation, one epoch = mini-batch training over the members then
one forward pass over every record to measure losses, accuracies and the loss attack's AUC),
engine/src/training/network.rs (the MLP: ReLU hidden layer, softmax cross-entropy, PyTorch's nn.Linear
default init U(-1/sqrt(fan_in), 1/sqrt(fan_in)), Adam as torch.optim.Adam) and engine/src/training/dp_sgd.rs
(DP-SGD with Opacus's semantics: Poisson sampling at q = B/N, floor(1/q) steps an epoch, per-example
gradients clipped to norm C with the factor min(1, C/(||g|| + 1e-6)), Gaussian noise N(0, sigma^2 C^2) added
to their sum, divided by the expected batch size B, then the Adam step).

It is a SPEED reference only: it does not reproduce the engine's random streams (split, init, batch order,
noise), so its losses differ from the lab's. The correctness references are
scripts/reference/train_reference.py (optimiser steps) and the engine's tests. The privacy accountant
(the engine computes epsilon after each DP epoch) is not part of this reference.

Work per epoch, float64 throughout (as the engine):
- plain: shuffle the members, batches of B (the last shorter), forward, backprop of the mean batch loss,
  Adam step; then the measurement pass (below).
- DP-SGD: floor(N/B) steps, each a Poisson batch (each member with probability B/N); per-example
  gradients computed exactly and materialised with einsum (as Opacus's hooks do), the global norm of
  each, clipped, summed, noised, divided by B; Adam step; then the measurement pass.
- measurement: logits of all records, log-softmax, per-record loss and correctness, member and held-out
  accuracy, held-out loss as the mean of batch means, and the AUC of -loss (members against held-out) by
  ranks with ties averaged.

Prints one JSON object on stdout: ms_per_epoch_plain, ms_per_epoch_dp (medians over EPOCHS epochs after
WARMUP warm-up epochs), and the medians of the two parts of each (train_ms_*, measure_ms), with the sizes.

Run: python3 scripts/bench/train_speed_reference.py [--csv www/datasets/digits.csv] [--hidden 128]
     [--batch 32] [--lr 0.001] [--epochs 20] [--warmup 2] [--seed 0]
Needs numpy only (e.g. /work/.venv/bin/python). Used by scripts/bench/bench_train.sh, which pins BLAS to one
thread (the lab's worker and the native CLI use one core); set the *_NUM_THREADS variables to change that.
"""
import argparse
import csv
import json
import os
import statistics
import time

import numpy as np

CLASS_NAMES = ("class", "label", "target", "y")
ADAM_BETA1, ADAM_BETA2, ADAM_EPS = 0.9, 0.999, 1e-8
CLIP_EPS = 1e-6


def read_dataset(path):
    """Features and the class column (named class/label/target/y, else the last), as the engine's
    TabularDataset::from_csv; classes numbered by their sorted names."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    head = [h.strip() for h in rows[0]]
    lower = [h.lower() for h in head]
    c = next((i for i, h in enumerate(lower) if h in CLASS_NAMES), len(head) - 1)
    body = [r for r in rows[1:] if r]
    x = np.array([[float(v) for j, v in enumerate(r) if j != c] for r in body], dtype=np.float64)
    labels = [r[c].strip() for r in body]
    names = sorted(set(labels))
    index = {n: k for k, n in enumerate(names)}
    y = np.array([index[v] for v in labels], dtype=np.int64)
    return x, y, len(names)


def split(y, held_out, rng):
    """Stratified: per class, round(n_c * held_out) held out (at least 1, at most n_c - 1)."""
    members, out = [], []
    for k in np.unique(y):
        idx = np.flatnonzero(y == k)
        rng.shuffle(idx)
        n_out = min(max(int(np.floor(len(idx) * held_out + 0.5)), 1), len(idx) - 1)  # Rust rounds half away from 0
        out.extend(idx[:n_out])
        members.extend(idx[n_out:])
    return np.sort(np.array(members)), np.sort(np.array(out))


def standardise(x, members):
    """By the members' means and population standard deviations; constant columns scaled by 1."""
    mean = x[members].mean(axis=0)
    sd = x[members].std(axis=0)
    sd[(sd == 0) | (sd < 10 * np.finfo(float).eps * np.maximum(sd, 1.0))] = 1.0
    return (x - mean) / sd


def init_params(sizes, rng):
    params = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        b = 1.0 / np.sqrt(fan_in)
        params.append(rng.uniform(-b, b, size=(fan_in, fan_out)))
        params.append(rng.uniform(-b, b, size=fan_out))
    return params


def log_softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


class Adam:
    def __init__(self, params, lr):
        self.lr, self.t = lr, 0
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]

    def step(self, params, grads):
        self.t += 1
        step_size = self.lr / (1 - ADAM_BETA1 ** self.t)
        bc2 = np.sqrt(1 - ADAM_BETA2 ** self.t)
        for p, g, m, v in zip(params, grads, self.m, self.v):
            m *= ADAM_BETA1
            m += (1 - ADAM_BETA1) * g
            v *= ADAM_BETA2
            v += (1 - ADAM_BETA2) * g * g
            p -= step_size * m / (np.sqrt(v) / bc2 + ADAM_EPS)


def forward(params, xb):
    w1, b1, w2, b2 = params
    z1 = xb @ w1 + b1
    a1 = np.maximum(z1, 0.0)
    return z1, a1, a1 @ w2 + b2


def dlogits(logits, yb):
    """d(loss_i)/d(logits_i) per example: softmax - onehot."""
    p = np.exp(log_softmax(logits))
    p[np.arange(len(yb)), yb] -= 1.0
    return p


def plain_epoch(params, opt, x, y, members, batch, rng):
    w1, b1, w2, b2 = params
    order = members.copy()
    rng.shuffle(order)
    total, batches = 0.0, 0
    for s in range(0, len(order), batch):
        idx = order[s:s + batch]
        xb, yb = x[idx], y[idx]
        z1, a1, logits = forward(params, xb)
        ls = log_softmax(logits)
        total += -ls[np.arange(len(yb)), yb].mean()
        dz2 = dlogits(logits, yb) / len(yb)
        gw2, gb2 = a1.T @ dz2, dz2.sum(axis=0)
        dz1 = (dz2 @ w2.T) * (z1 > 0)
        gw1, gb1 = xb.T @ dz1, dz1.sum(axis=0)
        opt.step(params, [gw1, gb1, gw2, gb2])
        batches += 1
    return total / max(batches, 1)


def private_epoch(params, opt, x, y, members, batch, clip, sigma, rng):
    w1, b1, w2, b2 = params
    n = len(members)
    q = batch / n
    steps = max(int(np.floor(1.0 / q)), 1)
    total, batches = 0.0, 0
    for _ in range(steps):
        idx = members[rng.random(n) < q]
        sums = [np.zeros_like(p) for p in params]
        if len(idx):
            xb, yb = x[idx], y[idx]
            z1, a1, logits = forward(params, xb)
            ls = log_softmax(logits)
            total += -ls[np.arange(len(yb)), yb].mean()
            batches += 1
            dz2 = dlogits(logits, yb)                 # per example, not averaged
            dz1 = (dz2 @ w2.T) * (z1 > 0)
            # Per-example gradients, materialised (B x in x out), as Opacus computes them.
            g_w1 = np.einsum("bi,bo->bio", xb, dz1)
            g_w2 = np.einsum("bi,bo->bio", a1, dz2)
            per = [g_w1, dz1, g_w2, dz2]
            sq = (np.einsum("bio,bio->b", g_w1, g_w1) + np.einsum("bo,bo->b", dz1, dz1)
                  + np.einsum("bio,bio->b", g_w2, g_w2) + np.einsum("bo,bo->b", dz2, dz2))
            f = np.minimum(clip / (np.sqrt(sq) + CLIP_EPS), 1.0)
            sums = [np.einsum("b,bio->io", f, per[0]), f @ per[1], np.einsum("b,bio->io", f, per[2]), f @ per[3]]
        sd = sigma * clip
        grads = [(s + sd * rng.standard_normal(s.shape)) / batch for s in sums]
        opt.step(params, grads)
    return total / max(batches, 1)


def auc_of(scores, is_member):
    """AUC of scores (higher says member) by the rank-sum, ties averaged."""
    order = np.argsort(scores, kind="mergesort")
    s = scores[order]
    ranks = np.empty(len(s))
    # average ranks of ties
    starts = np.r_[0, np.flatnonzero(np.diff(s)) + 1]
    ends = np.r_[starts[1:], len(s)]
    avg = (starts + ends + 1) / 2.0
    ranks[order] = np.repeat(avg, ends - starts)
    n1 = is_member.sum()
    n0 = len(s) - n1
    return (ranks[is_member].sum() - n1 * (n1 + 1) / 2) / (n1 * n0)


def measure(params, x, y, members, held_out, batch, train_loss):
    idx = np.concatenate([members, held_out])
    _, _, logits = forward(params, x[idx])
    yi = y[idx]
    loss = -log_softmax(logits)[np.arange(len(idx)), yi]
    correct = logits.argmax(axis=1) == yi
    nm = len(members)
    train_acc, held_acc = correct[:nm].mean(), correct[nm:].mean()
    ho = loss[nm:]
    held_loss = np.mean([c.mean() for c in np.array_split(ho, range(batch, len(ho), batch))])
    auc = auc_of(-loss, np.arange(len(idx)) < nm)
    return dict(train_loss=train_loss, held_out_loss=held_loss, gap=held_loss - train_loss,
                train_accuracy=train_acc, held_out_accuracy=held_acc, auc=auc)


def timed_epochs(kind, params, x, y, members, held_out, args, rng):
    opt = Adam(params, args.lr)
    train_ms, measure_ms, total_ms, last = [], [], [], None
    for e in range(args.warmup + args.epochs):
        t0 = time.perf_counter()
        if kind == "plain":
            loss = plain_epoch(params, opt, x, y, members, args.batch, rng)
        else:
            loss = private_epoch(params, opt, x, y, members, args.batch, args.max_grad_norm,
                                 args.noise_multiplier, rng)
        t1 = time.perf_counter()
        last = measure(params, x, y, members, held_out, args.batch, loss)
        t2 = time.perf_counter()
        if e >= args.warmup:
            train_ms.append((t1 - t0) * 1e3)
            measure_ms.append((t2 - t1) * 1e3)
            total_ms.append((t2 - t0) * 1e3)
    return statistics.median(total_ms), statistics.median(train_ms), statistics.median(measure_ms), last


def main():
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--csv", default=os.path.join(root, "www", "datasets", "digits.csv"))
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=0.001)
    ap.add_argument("--epochs", type=int, default=20, help="timed epochs (the median is reported)")
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--noise-multiplier", type=float, default=1.0)
    ap.add_argument("--max-grad-norm", type=float, default=1.0)
    ap.add_argument("--held-out", type=float, default=0.5)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    x_raw, y, k = read_dataset(args.csv)
    rng = np.random.default_rng(args.seed)
    members, held_out = split(y, args.held_out, rng)
    x = standardise(x_raw, members)
    sizes = [x.shape[1], args.hidden, k]
    init = init_params(sizes, rng)

    out = dict(records=int(len(y)), members=int(len(members)), held_out=int(len(held_out)), sizes=sizes,
               batch=args.batch, lr=args.lr, dtype="float64", timed_epochs=args.epochs, warmup=args.warmup,
               numpy=np.__version__)
    plain, plain_train, plain_measure, plain_last = timed_epochs(
        "plain", [p.copy() for p in init], x, y, members, held_out, args, rng)
    dp, dp_train, dp_measure, dp_last = timed_epochs(
        "dp", [p.copy() for p in init], x, y, members, held_out, args, rng)
    out.update(ms_per_epoch_plain=plain, ms_per_epoch_dp=dp,
               train_ms_plain=plain_train, train_ms_dp=dp_train,
               measure_ms_plain=plain_measure, measure_ms_dp=dp_measure,
               dp_over_plain=dp / plain,
               steps_per_epoch_dp=int(np.floor(len(members) / args.batch)),
               noise_multiplier=args.noise_multiplier, max_grad_norm=args.max_grad_norm,
               # a sanity figure (the run trained): the last timed epoch's measurement
               last_epoch_plain={k: float(v) for k, v in plain_last.items()},
               last_epoch_dp={k: float(v) for k, v in dp_last.items()})
    print(json.dumps(out))


if __name__ == "__main__":
    main()
