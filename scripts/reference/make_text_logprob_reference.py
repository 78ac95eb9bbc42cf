#!/usr/bin/env python3
"""Reference values for the text audit's log-prob signals (issue 20), with numpy and Python's zlib.

A generated log-prob file (`id, member, text, token_logprobs, ref_token_logprobs`): members' texts
have higher log-probabilities under the target than under the reference model; some texts are
repetitive (they compress well), some are not ASCII. For each text:

- neg_loss = mean(token_logprobs);
- zlib_length = len(zlib.compress(text.encode("utf-8")))  (level 6, zlib's default);
- zlib_ratio = neg_loss / zlib_length;
- min_k = mean of the lowest max(1, floor(n * 0.2)) log-probs;
- ref_ratio = ref_loss - loss = neg_loss - mean(ref_token_logprobs);

and each signal's AUC, members against the rest (scikit-learn's roc_auc_score).

Writes engine/tests/fixtures/text/logprobs.csv and logprob_reference.json.
"""

import csv
import json
import math
import os
import zlib

import numpy as np
from sklearn.metrics import roc_auc_score

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "engine", "tests", "fixtures", "text")

WORDS = ("the patient was admitted on monday with chest pain and shortness of breath after a long "
         "flight from boston where she had been treated for pneumonia").split()
EXTRA = ["naïve café", "Straße", "日本語のテキスト", "שלום", "مرحبا", "emoji 🎉👍", "ΣΟΦΟΣ"]


def main():
    rng = np.random.default_rng(20)
    rows = []
    for i in range(120):
        member = i % 2
        n = int(rng.integers(3, 80))
        if i % 7 == 0:
            text = " ".join(["the same words again"] * (n // 4 + 1))
        else:
            words = [WORDS[j] for j in rng.integers(0, len(WORDS), n)]
            if i % 5 == 0:
                words.append(EXTRA[i % len(EXTRA)])
            text = " ".join(words)
        shift = 0.6 if member else 0.0
        lp = -rng.gamma(1.2, 1.6 - shift, n)
        ref = -rng.gamma(1.2, 1.6, n)
        rows.append({"id": f"t{i:03d}", "member": member, "text": text,
                     "token_logprobs": " ".join(repr(float(x)) for x in lp),
                     "ref_token_logprobs": json.dumps([float(x) for x in ref])})
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "logprobs.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=["id", "member", "text", "token_logprobs", "ref_token_logprobs"])
        w.writeheader()
        w.writerows(rows)
    ref = []
    for r in rows:
        lp = np.array([float(x) for x in r["token_logprobs"].split()])
        rp = np.array(json.loads(r["ref_token_logprobs"]))
        neg_loss = float(np.mean(lp))
        zlen = len(zlib.compress(r["text"].encode("utf-8")))
        k = max(1, int(math.floor(len(lp) * 0.2)))
        ref.append({
            "id": r["id"],
            "member": r["member"],
            "neg_loss": neg_loss,
            "zlib_length": zlen,
            "zlib_ratio": neg_loss / zlen,
            "min_k": float(np.mean(np.sort(lp)[:k])),
            "ref_ratio": neg_loss - float(np.mean(rp)),
        })
    member = [r["member"] for r in ref]
    # The attack's AUC per signal (scikit-learn), the zlib ratio from Python's own lengths.
    auc = {k: float(roc_auc_score(member, [r[k] for r in ref]))
           for k in ("neg_loss", "zlib_ratio", "min_k", "ref_ratio")}
    with open(os.path.join(OUT, "logprob_reference.json"), "w", encoding="utf-8") as f:
        json.dump({"zlib_version": zlib.ZLIB_RUNTIME_VERSION, "auc": auc, "texts": ref}, f, indent=1)
        f.write("\n")
    print(f"{len(rows)} texts -> {os.path.relpath(OUT)}")


if __name__ == "__main__":
    main()
