#!/usr/bin/env python3
"""Synthetic pairs file for the text verbatim audit (`mia text pairs`, `audit_pairs`), for benchmarks.

Run: python3 scripts/bench/text_pairs_synthetic.py OUT.csv [--pairs 10000] [--words 300]
                                                           [--mix realistic|unrelated] [--seed 1]
Writes `id,reference,model_output,member,prefix_length` (the pairs file of the text audit). Used by
scripts/bench/bench_text.sh (a benchmark, not a test). Standard library only; deterministic from the
arguments (Python's `random.Random(seed)`).

- Vocabulary: 4,000 English-like words built from syllables, drawn with Zipf-like weights 1/(rank+2.7);
  about 3% of the vocabulary is non-ASCII (accented Latin such as café or naïve, Greek with final
  sigma, Arabic, emoji).
- A reference is WORDS words in sentences of 6..24 words: the first word capitalised, a comma after
  some words, a period (or ! or ?) at the end; a few words are capitalised proper nouns.
- Each text id has two rows (prefix lengths 100 and 200, each with its own reference); member is 1
  for the even ids, 0 for the odd ones (half).
- model_output, realistic mix, by row (i mod 4): a verbatim copy; a light edit (each word, with
  probability 0.05, substituted, deleted, or followed by an inserted word); a heavy paraphrase (each
  word replaced with probability 0.5); an unrelated text of similar length (WORDS +- 10%).
  The `unrelated` mix is all unrelated text (the worst case for the edit distance).
"""
import argparse
import csv
import random
import sys

SYLLABLES = ("ba be bi bo bu ca ce co cu da de di do du fa fe fi fo ga ge go ha he hi ho ka ke ki ko "
             "la le li lo lu ma me mi mo mu na ne ni no nu pa pe pi po pu ra re ri ro ru sa se si so "
             "su ta te ti to tu va ve vi vo wa we wi ya yo za th sh ch st tr pl gr an en in on un er "
             "or ar al el il ol ing ed es ly").split()
NON_ASCII = ["café", "naïve", "résumé", "über", "façade", "jalapeño", "coöperate", "señor", "élan",
             "ΣΟΦΟΣ", "Ὀδυσσεύς", "λόγος", "مرحبا", "كتاب", "السلام", "🙂", "🚀", "👍🏽", "日本語", "Straße",
             "ǅemal", "İstanbul", "ﬁnance", "Ωmega"]
VOCAB = 4000


def vocabulary(rng):
    words, seen = [], set()
    # The most frequent words are short, as in English.
    for w in ("the of and to a in is that it was for on as with by he at from his an be this "
              "which or had are not but were they have their one all she her we been there when "
              "who more would so said what up out if about into them can only other new some "
              "time could these two may then do first any my now such like our over man me").split():
        if w not in seen:
            seen.add(w)
            words.append(w)
    while len(words) < VOCAB:
        rank = len(words)
        if rng.random() < 0.03:
            w = rng.choice(NON_ASCII) + ("" if rng.random() < 0.5 else rng.choice(SYLLABLES))
        else:
            n = 1 + min(4, int(rng.expovariate(1.0 / (1.2 + rank / 2000))))
            w = "".join(rng.choice(SYLLABLES) for _ in range(n))
        if w not in seen:
            seen.add(w)
            words.append(w)
    weights = [1.0 / (r + 2.7) for r in range(len(words))]
    return words, weights


class Writer:
    def __init__(self, rng, words, weights):
        self.rng, self.words = rng, words
        # Cumulative weights, for rng.choices with cum_weights (much faster per draw).
        total, cum = 0.0, []
        for w in weights:
            total += w
            cum.append(total)
        self.cum = cum

    def word(self):
        return self.rng.choices(self.words, cum_weights=self.cum, k=1)[0]

    def text(self, n):
        rng, out = self.rng, []
        left = 0
        for i, w in enumerate(rng.choices(self.words, cum_weights=self.cum, k=n)):
            if left == 0:
                left = rng.randint(6, 24)
                w = w[:1].upper() + w[1:]
            elif rng.random() < 0.03:
                w = w[:1].upper() + w[1:]
            left -= 1
            if left == 0 or i == n - 1:
                w += rng.choice(".....!?")
                left = 0
            elif rng.random() < 0.08:
                w += ","
            out.append(w)
        return " ".join(out)

    def edit(self, text, rate):
        rng, out = self.rng, []
        for w in text.split(" "):
            if rng.random() >= rate:
                out.append(w)
                continue
            kind = rng.randrange(3)
            if kind == 0:
                out.append(self.word())
            elif kind == 2:
                out.extend([w, self.word()])
        return " ".join(out)

    def paraphrase(self, text, rate):
        rng = self.rng
        return " ".join(self.word() if rng.random() < rate else w for w in text.split(" "))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("out")
    p.add_argument("--pairs", type=int, default=10000)
    p.add_argument("--words", type=int, default=300)
    p.add_argument("--mix", choices=["realistic", "unrelated"], default="realistic")
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    if a.pairs < 1 or a.words < 1:
        sys.exit("--pairs and --words must be >= 1")
    rng = random.Random(a.seed)
    w = Writer(rng, *vocabulary(rng))
    with open(a.out, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["id", "reference", "model_output", "member", "prefix_length"])
        for i in range(a.pairs):
            text_id = i // 2
            reference = w.text(a.words)
            kind = 3 if a.mix == "unrelated" else i % 4
            if kind == 0:
                output = reference
            elif kind == 1:
                output = w.edit(reference, 0.05)
            elif kind == 2:
                output = w.paraphrase(reference, 0.5)
            else:
                output = w.text(max(1, round(a.words * rng.uniform(0.9, 1.1))))
            out.writerow([f"t{text_id:05d}", reference, output, 1 - text_id % 2,
                          100 * (1 + i % 2)])


if __name__ == "__main__":
    main()
