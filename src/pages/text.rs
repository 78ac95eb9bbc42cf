//! The Text view: the text and LLM memorisation audit of a texts, pairs, log-prob or canary
//! file, in the mode its columns ask for.

pub mod canaries;
pub mod histograms;
pub mod logprobs;
pub mod page;
pub mod pairs;
pub mod prompts;
