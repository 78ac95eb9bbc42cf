//! The text audit of one file, whichever its mode ([`TextMode`]): the one entry point of
//! `mia text` and the page's Text view, so both give the same figures.

use serde::{Deserialize, Serialize};

use super::attack::{audit_logprobs, LogprobAudit};
use super::canary::{exposures, read_canaries, CanaryAudit};
use super::logprobs::read_logprob_texts;
use super::mode::TextMode;
use super::pairs::{audit_pairs, read_pairs, VerbatimAudit};
use super::prompts::{read_texts, texts_from_paragraphs, PromptBook};
use super::settings::TextSettings;

/// What a text file gave.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum TextReport {
    Prompts(PromptBook),
    Pairs(VerbatimAudit),
    Logprobs(LogprobAudit),
    Canaries(CanaryAudit),
}

impl TextReport {
    pub fn mode(&self) -> TextMode {
        match self {
            TextReport::Prompts(_) => TextMode::Prompts,
            TextReport::Pairs(_) => TextMode::Pairs,
            TextReport::Logprobs(_) => TextMode::Logprobs,
            TextReport::Canaries(_) => TextMode::Canaries,
        }
    }
}

/// Why a text file gave no report: the message names the file, and the row and column where it
/// can.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
#[non_exhaustive]
pub enum TextError {
    #[error("{0}")]
    Settings(#[from] super::settings::TextSettingsError),
    #[error("{0}")]
    Pairs(#[from] super::pairs::PairsError),
    #[error("{0}")]
    Canaries(#[from] super::canary::CanaryError),
    #[error("{0}")]
    File(String),
}

/// The audit of file `name` (its `bytes`) in the mode its columns ask for.
pub fn audit_text(
    name: &str,
    bytes: &[u8],
    settings: &TextSettings,
) -> Result<TextReport, TextError> {
    settings.check()?;
    Ok(
        match TextMode::of_file(name, bytes).map_err(TextError::File)? {
            TextMode::Prompts => TextReport::Prompts(PromptBook::of(
                &read_texts(name, bytes).map_err(TextError::File)?,
                &settings.prefix_lengths,
            )),
            TextMode::Pairs => TextReport::Pairs(audit_pairs(
                name,
                &read_pairs(name, bytes)?,
                Some(settings.extracted_span),
            )?),
            TextMode::Logprobs => TextReport::Logprobs(
                audit_logprobs(
                    &read_logprob_texts(name, bytes).map_err(TextError::File)?,
                    settings.k,
                )
                .map_err(|e| TextError::File(format!("{name}: {e}")))?,
            ),
            TextMode::Canaries => {
                TextReport::Canaries(exposures(name, &read_canaries(name, bytes)?)?)
            }
        },
    )
}

/// The audit of pasted text: a CSV whose header asks for an audit, else plain paragraphs for the
/// prompt builder.
pub fn audit_pasted(pasted: &str, settings: &TextSettings) -> Result<TextReport, TextError> {
    settings.check()?;
    if TextMode::of_file("pasted text", pasted.as_bytes()).is_ok() {
        return audit_text("pasted text", pasted.as_bytes(), settings);
    }
    let texts = texts_from_paragraphs(pasted);
    if texts.is_empty() {
        return Err(TextError::File(
            "pasted text: nothing to read; paste texts separated by blank lines, or a CSV with a header.".into(),
        ));
    }
    Ok(TextReport::Prompts(PromptBook::of(
        &texts,
        &settings.prefix_lengths,
    )))
}
