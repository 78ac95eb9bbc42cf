#!/usr/bin/env python3
"""Synthetic input for the reference-model attacks (LiRA, RMIA), logit mode, for benchmarks.

Run: python3 scripts/bench/lira_synthetic.py N M SEED OUT.csv
Writes N records with columns id,member,label,phi,ref_phi_0..ref_phi_{M-1},ref_in_0..ref_in_{M-1}
(the layout of the conformance spec, `lira/README.md` beside the conformance cases). Used by
scripts/bench/bench_lira.sh (a benchmark, not a test).

The model behind the numbers, per record i (all draws from numpy's PCG64, deterministic from SEED and
independent of anything but N, M and SEED):
  - difficulty d_i ~ N(2, 2^2): how confidently models get the record right when it is not trained on;
  - memorisation gain g_i ~ Gamma(shape 2, scale 0.75) (mean 1.5): the shift in phi when it is trained on;
  - noise scale s_i = 0.4 + Exponential(0.4): how much phi varies across models (training randomness);
  - ref_in_ij ~ Bernoulli(1/2), independently per record and reference;
    ref_phi_ij = d_i + g_i * ref_in_ij + s_i * e_ij, e_ij ~ N(0, 1);
  - member_i ~ Bernoulli(1/2); phi_i = d_i + g_i * member_i + s_i * e_i (the target is one more model);
  - label_i ~ uniform over 0..9 (only there because real files have it).
phi is the logit-scaled confidence on the true label, z_y - logsumexp_{k != y} z_k, as in the spec.
Floats are written as Python's repr (shortest string that parses back to the same float64), so a reader
gets exactly the generated values. Rows are generated and written in chunks of 100,000 (the chunk size
is fixed, so the output does not depend on memory); 1,000,000 x 16 took 16 s on 2 shared cores.
"""
import sys
import time

try:
    import numpy as np
except ImportError as e:  # a reference/benchmark tool: say what to install
    sys.exit(f"{e}: this script needs numpy, pandas and scikit-learn, e.g. python3 -m venv /work/.venv && "
             "/work/.venv/bin/pip install numpy scipy scikit-learn pandas")

CHUNK = 100_000


def chunk_rows(start, count, M, seed):
    rng = np.random.default_rng(np.random.SeedSequence([seed, start // CHUNK]))
    d = rng.normal(2.0, 2.0, count)
    g = rng.gamma(2.0, 0.75, count)
    s = 0.4 + rng.exponential(0.4, count)
    ref_in = rng.random((count, M)) < 0.5
    ref_phi = d[:, None] + g[:, None] * ref_in + s[:, None] * rng.standard_normal((count, M))
    member = rng.random(count) < 0.5
    phi = d + g * member + s * rng.standard_normal(count)
    label = rng.integers(0, 10, count)
    return member, label, phi, ref_phi, ref_in


def main():
    if len(sys.argv) != 5:
        sys.exit("usage: lira_synthetic.py N M SEED OUT.csv")
    n, M, seed, out = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    if n < 1 or M < 1 or seed < 0:
        sys.exit("N and M must be >= 1 and SEED >= 0")
    t0 = time.perf_counter()
    header = ["id", "member", "label", "phi"] + [f"ref_phi_{j}" for j in range(M)] + \
             [f"ref_in_{j}" for j in range(M)]
    flag = np.array(["0", "1"], dtype=object)
    with open(out, "w", newline="\n") as f:
        f.write(",".join(header) + "\n")
        for start in range(0, n, CHUNK):
            count = min(CHUNK, n - start)
            member, label, phi, ref_phi, ref_in = chunk_rows(start, count, M, seed)
            cols = [map(str, range(start, start + count)), flag[member.astype(np.int8)], map(str, label.tolist()),
                    map(repr, phi.tolist())]
            cols += [map(repr, ref_phi[:, j].tolist()) for j in range(M)]
            cols += [flag[ref_in[:, j].astype(np.int8)] for j in range(M)]
            f.write("\n".join(map(",".join, zip(*cols))))
            f.write("\n")
    print(f"wrote {out}: n={n} M={M} seed={seed} in {time.perf_counter() - t0:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
