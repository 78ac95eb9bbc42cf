//! Which text audit a file asks for, by its columns: `canary_id, log_perplexity, is_canary` is
//! canary exposure, `token_logprobs` the log-prob attack, `model_output` the verbatim test of
//! pairs, and `id, text` alone the prompt builder.

use serde::{Deserialize, Serialize};

use super::csv_file::CsvFile;

/// A text audit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextMode {
    /// `id, text`: cut prompts and true continuations.
    Prompts,
    /// `id, reference, model_output`: the verbatim test and the extraction metrics.
    Pairs,
    /// `id, member, text, token_logprobs`: membership attacks from log-probs.
    Logprobs,
    /// `canary_id, log_perplexity, is_canary`: the Secret Sharer's exposure.
    Canaries,
}

impl TextMode {
    /// The name in the JSON and the page.
    pub fn key(self) -> &'static str {
        match self {
            TextMode::Prompts => "prompts",
            TextMode::Pairs => "pairs",
            TextMode::Logprobs => "logprobs",
            TextMode::Canaries => "canaries",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            TextMode::Prompts => "Prompt builder",
            TextMode::Pairs => "Verbatim memorisation",
            TextMode::Logprobs => "Membership from token log-probs",
            TextMode::Canaries => "Canary exposure",
        }
    }

    /// The mode of the header `columns` (any case).
    pub fn of_columns(columns: &[String]) -> Option<TextMode> {
        let has = |c: &str| columns.iter().any(|h| h.trim().eq_ignore_ascii_case(c));
        if has("canary_id") || has("is_canary") || has("log_perplexity") {
            Some(TextMode::Canaries)
        } else if has("token_logprobs") {
            Some(TextMode::Logprobs)
        } else if has("model_output") || has("reference") {
            Some(TextMode::Pairs)
        } else if has("text") {
            Some(TextMode::Prompts)
        } else {
            None
        }
    }

    /// The mode of file `name`; `Err` says which columns each mode needs.
    pub fn of_file(name: &str, bytes: &[u8]) -> Result<TextMode, String> {
        let file = CsvFile::open(bytes).map_err(|(row, m)| format!("{name}, row {row}: {m}"))?;
        TextMode::of_columns(&file.header).ok_or_else(|| {
            format!(
                "{name}: its columns ({}) ask for no text audit. Give id,text to build prompts; id,reference,model_output for the verbatim test; id,member,text,token_logprobs for the log-prob attack; or canary_id,log_perplexity,is_canary for canary exposure.",
                file.header_list()
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_columns_choose_the_mode() {
        let m = |h: &str| TextMode::of_file("f.csv", h.as_bytes());
        assert_eq!(m("id,text\n"), Ok(TextMode::Prompts));
        assert_eq!(m("id,text,member\n"), Ok(TextMode::Prompts));
        assert_eq!(
            m("\u{feff}ID,Reference,Model_Output\n"),
            Ok(TextMode::Pairs)
        );
        assert_eq!(m("id,member,text,token_logprobs\n"), Ok(TextMode::Logprobs));
        assert_eq!(
            m("canary_id,log_perplexity,is_canary\n"),
            Ok(TextMode::Canaries)
        );
        assert!(m("a,b\n")
            .unwrap_err()
            .starts_with("f.csv: its columns (`a`, `b`) ask for no text audit."));
    }
}
