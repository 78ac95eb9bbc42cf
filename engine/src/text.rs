//! The text and LLM memorisation audit: does a language model reproduce its training texts word
//! for word, and can an attacker tell its training texts from others?
//!
//! - [`prompts`]: the seed design's cut of texts into prompts and true continuations;
//! - [`tokens`]: the seed design's tokens (Python's `str.lower()` then `str.split()`);
//! - [`verbatim`]: the seed design's verbatim test (`detect_verbatim_memorization`, `get_ngrams`,
//!   `measure_memorization_risk`), exactly: Jaccard word overlap, 5-gram overlap, memorised,
//!   risk level, the memorisation rate of training against held-out texts;
//! - [`extraction`]: the extraction metrics today's audit tools report beside it (exact match,
//!   longest common substring, character edit similarity, word-level LCS ratio), because a
//!   near-verbatim paraphrase passes the verbatim test;
//! - [`pairs`]: the verbatim audit of a pairs file;
//! - [`logprobs`]: membership signals from per-token log-probabilities (−loss, zlib ratio,
//!   Min-K% Prob, reference ratio), and [`attack`]: each through the audit's threshold attack.

pub mod attack;
pub mod csv_file;
pub mod extraction;
pub mod logprobs;
pub mod pairs;
pub mod prompts;
pub mod tokens;
pub mod verbatim;
