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
//!   Min-K% Prob, reference ratio), and [`attack`]: each through the audit's threshold attack;
//! - [`mode`]: which of these a file asks for, by its columns; [`settings`]: their settings,
//!   checked once; [`report`]: the one entry point of `mia text` and the page's Text view;
//! - [`pair_metrics`] and [`excerpt`]: the pairs' figures to sort and draw, and windows of long
//!   texts around their common span, for the page.
//! - [`canary`]: canary exposure (Carlini et al. 2019, "The Secret Sharer"): the rank exposure,
//!   and TF Privacy's extrapolated exposure from a [`skew_normal`] fitted to the references.

pub mod attack;
pub mod canary;
pub mod csv_file;
pub mod excerpt;
pub mod extraction;
pub mod logprobs;
pub mod mode;
pub mod pair_metrics;
pub mod pairs;
pub mod prompts;
pub mod report;
pub mod settings;
pub mod skew_normal;
pub mod summary;
pub mod tokens;
pub mod verbatim;
