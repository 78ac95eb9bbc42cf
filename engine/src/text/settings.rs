//! The text audit's settings, checked once for the CLI and the page: the prompt builder's prefix
//! lengths, the longest common substring's "extracted" span and Min-K% Prob's k.

use serde::{Deserialize, Serialize};

use super::extraction::EXTRACTED_SPAN;
use super::logprobs::DEFAULT_K;
use super::prompts::PREFIX_LENGTHS;

/// At most this many prefix lengths.
pub const MAX_PREFIX_LENGTHS: usize = 16;
/// The longest prefix length, in characters.
pub const MAX_PREFIX_LENGTH: usize = 100_000;

/// The settings as given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextSettings {
    /// The prompt builder's prefix lengths, in characters.
    pub prefix_lengths: Vec<usize>,
    /// A common substring of at least this many characters counts as extracted.
    pub extracted_span: usize,
    /// Min-K% Prob's share of the tokens (0.2 is 20 %).
    pub k: f64,
}

impl Default for TextSettings {
    fn default() -> Self {
        TextSettings {
            prefix_lengths: PREFIX_LENGTHS.to_vec(),
            extracted_span: EXTRACTED_SPAN,
            k: DEFAULT_K,
        }
    }
}

/// Settings the audit cannot use; each says what to give instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[non_exhaustive]
pub enum TextSettingsError {
    #[error("no prefix lengths: give one or more lengths in characters, such as 50,100,200,300.")]
    NoPrefixLengths,
    #[error("{count} prefix lengths: give at most {MAX_PREFIX_LENGTHS}.")]
    TooManyPrefixLengths { count: usize },
    #[error("prefix length {length}: give a length from 1 to {MAX_PREFIX_LENGTH} characters.")]
    PrefixLength { length: usize },
    #[error("prefix length {length} is given twice.")]
    RepeatedPrefixLength { length: usize },
    #[error("extracted span {span}: give a length of at least 1 character (50 by default).")]
    Span { span: usize },
    #[error("k = {k}: Min-K% takes a share of the tokens above 0 and at most 1 (0.2 is 20 %).")]
    K { k: String },
}

impl TextSettings {
    /// The settings if the audit can use them.
    pub fn check(&self) -> Result<(), TextSettingsError> {
        let p = &self.prefix_lengths;
        if p.is_empty() {
            return Err(TextSettingsError::NoPrefixLengths);
        }
        if p.len() > MAX_PREFIX_LENGTHS {
            return Err(TextSettingsError::TooManyPrefixLengths { count: p.len() });
        }
        for (i, &length) in p.iter().enumerate() {
            if length == 0 || length > MAX_PREFIX_LENGTH {
                return Err(TextSettingsError::PrefixLength { length });
            }
            if p[..i].contains(&length) {
                return Err(TextSettingsError::RepeatedPrefixLength { length });
            }
        }
        if self.extracted_span == 0 {
            return Err(TextSettingsError::Span { span: 0 });
        }
        if !(self.k > 0.0 && self.k <= 1.0) {
            return Err(TextSettingsError::K {
                k: format!("{}", self.k),
            });
        }
        Ok(())
    }
}

/// Parses `50,100,200` (spaces allowed) into prefix lengths; `Err` names the bad item.
pub fn parse_prefix_lengths(text: &str) -> Result<Vec<usize>, String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<usize>().map_err(|_| {
                format!("`{s}` is not a prefix length; give whole numbers of characters separated by commas, such as 50,100,200,300.")
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_pass_and_each_bad_value_is_named() {
        assert_eq!(TextSettings::default().check(), Ok(()));
        let with = |f: fn(&mut TextSettings)| {
            let mut s = TextSettings::default();
            f(&mut s);
            s.check().unwrap_err().to_string()
        };
        assert_eq!(
            with(|s| s.prefix_lengths = vec![50, 0]),
            "prefix length 0: give a length from 1 to 100000 characters."
        );
        assert_eq!(
            with(|s| s.prefix_lengths = vec![50, 50]),
            "prefix length 50 is given twice."
        );
        assert!(with(|s| s.prefix_lengths.clear()).starts_with("no prefix lengths"));
        assert!(with(|s| s.k = 0.0).starts_with("k = 0: "));
        assert!(with(|s| s.k = f64::NAN).starts_with("k = NaN: "));
        assert!(with(|s| s.extracted_span = 0).starts_with("extracted span 0"));
        assert_eq!(parse_prefix_lengths(" 50, 100 ,"), Ok(vec![50, 100]));
        assert!(parse_prefix_lengths("50,x")
            .unwrap_err()
            .starts_with("`x` is not"));
    }
}
