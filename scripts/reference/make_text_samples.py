#!/usr/bin/env python3
"""Makes the Text view's bundled samples in www/samples/ from a real (tiny) language model trained here.

Everything comes from text that ships with Python itself; nothing is made up and nothing is downloaded.

Corpus. The docstrings of the standard library (the modules in MODULES below, their classes, functions
and the classes' methods, read with `inspect` from the running interpreter), and the topic pages of the
Python reference manual that `pydoc` shows (pydoc_data.topics). A text is cleaned with
inspect.cleandoc and cut into paragraphs at blank lines; each paragraph's whitespace runs become one
space (punctuation and case are kept) and the paragraphs are joined by a blank line. Identical
docstrings are kept once, the first by qualified name. The few non-ASCII characters are the
docstrings' own. Near-duplicates (sibling functions that share a paragraph) are not removed, so a
few non-members are as well known to the target as members are.

- The long docstrings (450 to 2,500 characters) are sorted by qualified name, shuffled with SEED and cut
  into thirds: members, non-members and a reference corpus.
- "Public" text, the short docstrings (< 450 characters) and the topic pages' paragraphs, is shuffled
  and halved between the two models, so that both know the library's vocabulary and phrasing the way a
  pretrained model would.
- Each member (and each reference text) appears 1 to 4 times in its model's training data (uniform,
  seeded), as web text is duplicated; public text once.

Model. A word-level interpolated Kneser-Ney 5-gram: tokens are text.split() (case and punctuation kept);
each document is padded with four <s> before it and </s> after it; the highest order uses raw counts,
the lower ones continuation counts, with Ney's discount n1 / (n1 + 2 n2) per order; n-grams of two or
more words seen fewer than twice in the training data are pruned (a count cut-off, as in SRILM and
KenLM), so a text seen once is learnt only through what it shares with others and a duplicated text is
memorised (Kandpal et al. 2022; Carlini et al. 2023). Every distribution is a proper one: the pruned
and discounted mass goes to the next lower order, and the unigram level is interpolated with a
uniform distribution over the vocabulary, </s> and <unk>, so unseen words get <unk>'s share.
- Target model: the member texts, public half A and the canaries below.
- Reference model: the same kind, trained on the reference texts and public half B (disjoint from the
  target's data).
- Canaries (Carlini et al. 2019, "The Secret Sharer"): "the secret number is d d d d" with four random
  digits; canary k is inserted INSERTIONS[k] = 1, 2, 4, 8, 16 times as a training document of the
  target model.

Files. The samples hold SAMPLE_PER_SIDE member texts and as many non-member texts (every non-ASCII text
of those two thirds is taken first), shuffled and numbered doc_0001, ...; the ids say nothing of
membership.

- text_texts.csv: id, text, member (1/0), for the prompt builder.
- text_pairs.csv: id, reference, model_output, member, prefix_length. The seed design's cut: for prefix
  lengths 50, 100, 200, 300 characters (Python code points), the prompt is the text's first p characters
  and the reference the next 300; a prefix length is skipped when the text has fewer than p + 100
  characters. model_output is the target model's greedy continuation of the prompt, word by word
  (<unk> never chosen, </s> ends it), joined with single spaces (a paragraph break of the reference is a
  space there) and cut to the reference's length in characters. When the prompt ends inside a word, the
  first word is the likeliest vocabulary word that starts with the typed part (its remaining characters
  are output), or the typed part is taken as a whole word when no word does.
- text_logprobs.csv: id, member, text, token_logprobs, ref_token_logprobs: the natural-log probability of
  each token of text.split() under the target and under the reference model given the previous four
  tokens (<s> before the text's start), space-separated, at full precision (repr).
- text_canaries.csv: canary_id, log_perplexity, is_canary. For each canary, every one of the 10,000
  four-digit candidates: log_perplexity = -sum of log2 P(digit | previous four tokens) over the four
  digit tokens after "the secret number is" under the target model (base 2, as in the Secret Sharer),
  is_canary 1 for the inserted secret. canary_id says how often it was inserted: c1_x1 ... c5_x16.

Run:  python3 scripts/reference/make_text_samples.py      (numpy; no network; about 30 s)
Deterministic for one Python version, whose docstrings these are (made with Python 3.11.7).
"""
import csv
import importlib
import inspect
import os
import random
import re
import warnings
from collections import Counter, defaultdict

import numpy as np
import pydoc_data.topics

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "www", "samples")

SEED = 20
ORDER = 5
MIN_COUNT = 2  # n-grams of 2 or more words seen fewer times are pruned
MAX_COPIES = 4  # a member or reference text is in its training data 1..MAX_COPIES times
MIN_CHARS, MAX_CHARS = 450, 2500
SAMPLE_PER_SIDE = 60
PREFIX_LENGTHS = (50, 100, 200, 300)
CONTINUATION, MIN_AFTER_PREFIX = 300, 100
CANARY_PREFIX = "the secret number is"
CANARY_DIGITS = 4
INSERTIONS = (1, 2, 4, 8, 16)

MODULES = tuple(sorted("""
abc argparse array ast asyncio.base_events asyncio.events asyncio.futures asyncio.locks asyncio.queues
asyncio.streams asyncio.tasks asyncio.transports base64 bdb binascii builtins bz2 calendar cmath cmd code
codecs codeop collections collections.abc compileall concurrent.futures._base concurrent.futures.process
concurrent.futures.thread configparser contextlib copy csv dataclasses datetime dbm.dumb decimal difflib
dis doctest email.charset email.feedparser email.generator email.header email.headerregistry
email.message email.parser email.policy email.utils enum filecmp fileinput fnmatch fractions ftplib
functools gc getopt getpass gettext glob graphlib gzip hashlib heapq hmac html.parser http.client
http.cookiejar http.cookies http.server imaplib importlib.abc importlib.metadata importlib.util inspect io
ipaddress itertools json json.decoder json.encoder linecache locale logging logging.config
logging.handlers lzma math mimetypes mmap netrc operator optparse os os.path pathlib pdb pickle
pickletools pkgutil platform plistlib poplib pprint profile pstats py_compile pyclbr pydoc queue random re
runpy sched secrets selectors shelve shlex shutil signal smtplib socket socketserver sqlite3 ssl
statistics string struct subprocess sys sysconfig tarfile tempfile textwrap threading time timeit tokenize
trace traceback types typing unittest.case unittest.loader unittest.mock unittest.result urllib.error
urllib.parse urllib.request urllib.robotparser uuid venv warnings wave weakref wsgiref.handlers
wsgiref.simple_server wsgiref.util wsgiref.validate xml.etree.ElementTree xml.sax.handler
xml.sax.xmlreader xmlrpc.client xmlrpc.server zipapp zipfile zipimport zlib
""".split()))


# ---- The corpus ------------------------------------------------------------------------------

def normalise(doc):
    paragraphs = re.split(r"\n\s*\n", inspect.cleandoc(doc))
    return "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip())


def docstrings():
    """{qualified name: normalised docstring} over MODULES, their classes, functions and methods."""
    found = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for m in MODULES:
            try:
                mod = importlib.import_module(m)
            except ImportError:
                continue
            if isinstance(mod.__doc__, str):
                found[m] = mod.__doc__
            for name, obj in inspect.getmembers(mod):
                if getattr(obj, "__module__", None) != m:
                    continue
                if not (inspect.isclass(obj) or inspect.isfunction(obj) or inspect.isbuiltin(obj)):
                    continue
                if isinstance(obj.__doc__, str):
                    found[f"{m}.{name}"] = obj.__doc__
                if inspect.isclass(obj):
                    for n2, o2 in vars(obj).items():
                        if (inspect.isfunction(o2) or inspect.ismethoddescriptor(o2)) and isinstance(o2.__doc__, str):
                            found[f"{m}.{name}.{n2}"] = o2.__doc__
    texts, seen = {}, set()
    for q in sorted(found):
        t = normalise(found[q])
        if t and t not in seen:
            seen.add(t)
            texts[q] = t
    return texts


def topic_paragraphs():
    """The paragraphs of the reference manual's topic pages (pydoc_data.topics), in topic order."""
    topics = pydoc_data.topics.topics
    return [p for k in sorted(topics) for p in normalise(topics[k]).split("\n\n") if len(p.split()) >= 3]


# ---- The language model ----------------------------------------------------------------------

BOS, EOS, UNK = "<s>", "</s>", "<unk>"


class KneserNey:
    """Interpolated Kneser-Ney n-gram model over whitespace tokens, with a count cut-off."""

    def __init__(self, docs, order=ORDER, min_count=MIN_COUNT):
        self.order = order
        self.vocab = [EOS, UNK] + sorted({w for d in docs for w in d})
        self.index = {w: i for i, w in enumerate(self.vocab)}
        V = len(self.vocab)
        raw = {k: Counter() for k in range(1, order + 1)}
        for d in docs:
            s = [BOS] * (order - 1) + d + [EOS]
            for i in range(order - 1, len(s)):
                for k in range(1, order + 1):
                    raw[k][tuple(s[i - k + 1:i + 1])] += 1
        # Raw counts at the highest order, continuation counts (distinct left neighbours) below.
        counts = {order: raw[order]}
        for k in range(order - 1, 0, -1):
            counts[k] = Counter(g[1:] for g in raw[k + 1])
        self.discount, self.tables = {}, {}
        for k in range(1, order + 1):
            coc = Counter(counts[k].values())
            n1, n2 = coc.get(1, 0), coc.get(2, 0)
            D = n1 / (n1 + 2 * n2)
            self.discount[k] = D
            by_ctx = defaultdict(dict)
            for g, c in counts[k].items():
                by_ctx[g[:-1]][g[-1]] = c
            table = {}
            for ctx, follow in by_ctx.items():
                total = float(sum(follow.values()))
                kept = {self.index[w]: c for w, c in follow.items() if k == 1 or raw[k][ctx + (w,)] >= min_count}
                if not kept:
                    continue
                ids = np.fromiter(kept.keys(), dtype=np.int64, count=len(kept))
                disc = np.maximum(np.fromiter(kept.values(), dtype=np.float64, count=len(kept)) - D, 0.0) / total
                # (kept counts, total, weight of the lower order, ids, discounted probabilities)
                table[ctx] = (kept, total, 1.0 - float(disc.sum()), ids, disc)
            self.tables[k] = table
        _, _, backoff, ids, disc = self.tables[1][()]
        self.unigram = np.full(V, backoff / V)
        self.unigram[ids] += disc

    def _ctx(self, context, n):
        ctx = [w if w in self.index else UNK for w in context[len(context) - n:]] if n else []
        return tuple([BOS] * (n - len(ctx)) + ctx)

    def distribution(self, context):
        """P(. | the last order-1 tokens of context) over the vocabulary, as a numpy vector."""
        p = self.unigram.copy()
        for k in range(2, self.order + 1):
            e = self.tables[k].get(self._ctx(context, k - 1))
            if e is not None:
                p *= e[2]
                p[e[3]] += e[4]
        return p

    def prob(self, context, word):
        w = self.index.get(word, 1)
        p = self.unigram[w]
        for k in range(2, self.order + 1):
            e = self.tables[k].get(self._ctx(context, k - 1))
            if e is not None:
                p = max(e[0].get(w, 0) - self.discount[k], 0.0) / e[1] + e[2] * p
        return float(p)

    def token_logprobs(self, tokens):
        return [float(np.log(self.prob(tokens[:i], t))) for i, t in enumerate(tokens)]


def continue_prompt(model, prompt, length):
    """The model's greedy continuation of `prompt`, at most `length` characters."""
    toks = prompt.split()
    out, words = "", []
    if toks and not prompt[-1].isspace():
        part, context = toks[-1], toks[:-1]
        starts = [i for i, w in enumerate(model.vocab) if w.startswith(part) and w not in (EOS, UNK)]
        if starts:
            p = model.distribution(context)
            word = model.vocab[starts[int(np.argmax(p[starts]))]]
            out = word[len(part):]
            toks = context + [word]
    while len(out) < length:
        p = model.distribution(toks)
        p[1] = -1.0  # never <unk>
        w = model.vocab[int(np.argmax(p))]
        if w == EOS:
            break
        out += w if not out and not words and prompt[-1:].isspace() else " " + w
        words.append(w)
        toks.append(w)
    return out[:length]


# ---- The files -------------------------------------------------------------------------------

def write_csv(name, header, rows):
    path = os.path.join(OUT, name)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
    return os.path.getsize(path)


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = random.Random(SEED)
    texts = docstrings()
    names = sorted(q for q, t in texts.items() if MIN_CHARS <= len(t) <= MAX_CHARS)
    rng.shuffle(names)
    third = len(names) // 3
    members, non_members, reference = names[:third], names[third:2 * third], names[2 * third:3 * third]
    public = [texts[q] for q in sorted(q for q, t in texts.items() if len(t) < MIN_CHARS)] + topic_paragraphs()
    rng.shuffle(public)
    copies = {q: rng.randint(1, MAX_COPIES) for q in members + reference}

    # The canaries: random digits, each inserted INSERTIONS[k] times into the target's training data.
    canaries = [[str(rng.randrange(10)) for _ in range(CANARY_DIGITS)] for _ in INSERTIONS]
    canary_docs = [CANARY_PREFIX.split() + c for c, r in zip(canaries, INSERTIONS) for _ in range(r)]

    def corpus(side, public_half):
        return [texts[q].split() for q in side for _ in range(copies[q])] + [t.split() for t in public_half]

    target = KneserNey(corpus(members, public[0::2]) + canary_docs)
    ref_model = KneserNey(corpus(reference, public[1::2]))

    def pick(side):
        return sorted(side, key=lambda q: texts[q].isascii())[:SAMPLE_PER_SIDE]  # stable: order kept

    sample = [(q, 1) for q in pick(members)] + [(q, 0) for q in pick(non_members)]
    rng.shuffle(sample)
    sample = [(f"doc_{i + 1:04d}", q, m) for i, (q, m) in enumerate(sample)]
    n_members = sum(m for _, _, m in sample)

    size = write_csv("text_texts.csv", ["id", "text", "member"], [[i, texts[q], m] for i, q, m in sample])
    print(f"text_texts.csv: {len(sample)} stdlib docstrings ({n_members} members), {size:,} bytes")

    pairs = []
    for i, q, m in sample:
        t = texts[q]
        for p in PREFIX_LENGTHS:
            if len(t) < p + MIN_AFTER_PREFIX:
                continue
            ref = t[p:p + CONTINUATION]
            pairs.append([i, ref, continue_prompt(target, t[:p], len(ref)), m, p])
    size = write_csv("text_pairs.csv", ["id", "reference", "model_output", "member", "prefix_length"], pairs)
    print(f"text_pairs.csv: {len(pairs)} prompts of {len(sample)} texts with the target's greedy continuations, {size:,} bytes")

    rows = []
    for i, q, m in sample:
        toks = texts[q].split()
        lp, rp = target.token_logprobs(toks), ref_model.token_logprobs(toks)
        rows.append([i, m, texts[q], " ".join(map(repr, lp)), " ".join(map(repr, rp))])
    size = write_csv("text_logprobs.csv", ["id", "member", "text", "token_logprobs", "ref_token_logprobs"], rows)
    print(f"text_logprobs.csv: {len(rows)} texts; target {ORDER}-gram on {len(members)} member texts, "
          f"{len(public[0::2])} public texts, {sum(INSERTIONS)} canary copies ({len(target.vocab):,} words); "
          f"reference on {len(reference)} + {len(public[1::2])} ({len(ref_model.vocab):,} words); {size:,} bytes")

    rows = []
    prefix = CANARY_PREFIX.split()
    cache = {}  # log2 P(digit | context) for the ten digits, by context

    def log2_digits(context):
        key = tuple(context[-(ORDER - 1):])
        if key not in cache:
            cache[key] = [np.log2(target.prob(context, str(d))) for d in range(10)]
        return cache[key]

    for k, (secret, r) in enumerate(zip(canaries, INSERTIONS)):
        for n in range(10 ** CANARY_DIGITS):
            cand = list(f"{n:0{CANARY_DIGITS}d}")
            lp = -sum(log2_digits(prefix + cand[:j])[int(d)] for j, d in enumerate(cand))
            rows.append([f"c{k + 1}_x{r}", repr(float(lp)), int(cand == secret)])
    size = write_csv("text_canaries.csv", ["canary_id", "log_perplexity", "is_canary"], rows)
    print(f"text_canaries.csv: {len(INSERTIONS)} canaries x {10 ** CANARY_DIGITS:,} candidates "
          f"(inserted {', '.join(map(str, INSERTIONS))} times), {size:,} bytes")


if __name__ == "__main__":
    main()
