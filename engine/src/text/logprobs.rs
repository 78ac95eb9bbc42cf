//! Membership signals from a language model's per-token log-probabilities, each oriented so that
//! higher means member:
//!
//! - −loss: the mean token log-probability (the negated mean negative log-likelihood);
//! - zlib ratio (Carlini et al. 2021, "Extracting training data from large language models"):
//!   −loss over the zlib-compressed length in bytes of the text's UTF-8 (DEFLATE at zlib's
//!   default level 6, by `miniz_oxide`, within a few bytes of zlib's: a text the model finds
//!   likely only because it is repetitive compresses well, and is discounted);
//! - Min-K% Prob (Shi et al. 2023, "Detecting pretraining data from large language models"): the
//!   mean of the lowest k % of the token log-probabilities, max(1, ⌊n·k⌋) of them (k = 20 % by
//!   default);
//! - reference ratio (Carlini et al. 2021; Mireshghallah et al. 2022): the reference model's loss
//!   minus the target's, from `ref_token_logprobs` or `ref_loss`.

use serde::{Deserialize, Serialize};

use super::csv_file::{CsvFile, CsvProblem};

/// Min-K%'s default k.
pub const DEFAULT_K: f64 = 0.2;
/// zlib's default compression level.
pub const ZLIB_LEVEL: u8 = 6;

/// The length in bytes of `text`'s UTF-8 compressed in the zlib format at level 6. zlib writes
/// each block with fixed or dynamic Huffman codes, whichever is shorter; miniz chooses dynamic
/// codes for all but tiny blocks, so both are tried and the shorter is taken (on the test texts
/// this gives zlib's length for 111 of 120, the rest within 3 bytes: the README states it).
pub fn zlib_length(text: &str) -> usize {
    use miniz_oxide::deflate::core::{
        compress_to_output, create_comp_flags_from_zip_params, CompressionStrategy,
        CompressorOxide, TDEFLFlush,
    };
    let length = |strategy: CompressionStrategy| {
        let flags = create_comp_flags_from_zip_params(ZLIB_LEVEL.into(), 1, strategy as i32);
        let mut compressor = CompressorOxide::new(flags);
        let mut n = 0usize;
        let _ = compress_to_output(&mut compressor, text.as_bytes(), TDEFLFlush::Finish, |b| {
            n += b.len();
            true
        });
        n
    };
    length(CompressionStrategy::Default).min(length(CompressionStrategy::Fixed))
}

/// Reads a list of log-probabilities: numbers separated by spaces (or commas), or a JSON list.
/// Each must be a finite number ≤ 0; `Err` names the first that is not, by its position
/// (1-based) and text.
pub fn parse_logprobs(text: &str) -> Result<Vec<f64>, String> {
    let t = text.trim();
    let inner = t
        .strip_prefix('[')
        .and_then(|s| s.strip_suffix(']'))
        .unwrap_or(t);
    let mut out = Vec::new();
    for (i, token) in inner
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .enumerate()
    {
        let v: f64 = token
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite())
            .ok_or_else(|| format!("log-prob {} (`{token}`) is not a number", i + 1))?;
        if v > 0.0 {
            return Err(format!(
                "log-prob {} is {token}, above 0: a log-probability is at most 0 (give ln p, not p or −ln p)",
                i + 1
            ));
        }
        out.push(v);
    }
    if out.is_empty() {
        return Err("no log-probs: give one number per token".into());
    }
    Ok(out)
}

/// The mean of `v` (which is not empty).
fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

/// −loss: the mean token log-probability.
pub fn neg_loss(logprobs: &[f64]) -> f64 {
    mean(logprobs)
}

/// Min-K% Prob: the mean of the lowest max(1, ⌊n·k⌋) log-probabilities.
pub fn min_k_prob(logprobs: &[f64], k: f64) -> f64 {
    let mut v = logprobs.to_vec();
    v.sort_by(f64::total_cmp);
    let count = ((v.len() as f64 * k).floor() as usize).clamp(1, v.len());
    mean(&v[..count])
}

/// The signals of one text.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LogprobSignals {
    pub neg_loss: f64,
    pub zlib_length: usize,
    pub zlib_ratio: f64,
    pub min_k: f64,
    /// With a reference model: its loss minus the target's.
    pub ref_ratio: Option<f64>,
}

impl LogprobSignals {
    /// The signals of `text` with its token log-probabilities, and the reference model's loss
    /// when there is one.
    pub fn of(text: &str, logprobs: &[f64], k: f64, ref_loss: Option<f64>) -> LogprobSignals {
        let neg_loss = neg_loss(logprobs);
        let zlib_length = zlib_length(text);
        LogprobSignals {
            neg_loss,
            zlib_length,
            zlib_ratio: neg_loss / zlib_length.max(1) as f64,
            min_k: min_k_prob(logprobs, k),
            ref_ratio: ref_loss.map(|r| r + neg_loss),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_read_and_bad_values_named() {
        assert_eq!(
            parse_logprobs("-0.5 -1e-3\t-2"),
            Ok(vec![-0.5, -0.001, -2.0])
        );
        assert_eq!(parse_logprobs("[-0.5, -1.25]"), Ok(vec![-0.5, -1.25]));
        assert_eq!(
            parse_logprobs("-0.5 x"),
            Err("log-prob 2 (`x`) is not a number".into())
        );
        assert!(parse_logprobs("-0.5 0.3")
            .unwrap_err()
            .starts_with("log-prob 2 is 0.3, above 0"));
        assert!(parse_logprobs("[]").is_err());
        assert!(parse_logprobs("-inf").is_err());
    }

    #[test]
    fn min_k_takes_at_least_one_token() {
        assert_eq!(min_k_prob(&[-1.0, -3.0, -2.0], 0.2), -3.0);
        assert_eq!(
            min_k_prob(
                &[-1.0, -3.0, -2.0, -4.0, -0.5, -6.0, -1.0, -1.0, -1.0, -1.0],
                0.2
            ),
            -5.0
        );
        let s = LogprobSignals::of("abc", &[-1.0, -2.0], 0.2, Some(2.5));
        assert_eq!(s.neg_loss, -1.5);
        assert_eq!(s.ref_ratio, Some(1.0));
        assert_eq!(s.zlib_length, zlib_length("abc"));
    }
}

/// One text of a log-prob file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogprobText {
    /// The file's row (the header is row 1).
    pub row: u64,
    pub id: String,
    pub member: bool,
    pub text: String,
    pub logprobs: Vec<f64>,
    /// The reference model's loss (from `ref_loss`, or the mean of `ref_token_logprobs` negated).
    pub ref_loss: Option<f64>,
}

/// Reads a log-prob file (`id, member, text, token_logprobs`, optional `ref_token_logprobs` or
/// `ref_loss`, and `n_tokens` to check the lists' lengths). `Err` names the file, row and column.
pub fn read_logprob_texts(name: &str, bytes: &[u8]) -> Result<Vec<LogprobText>, String> {
    let csv_error = |(row, message): CsvProblem| format!("{name}, row {row}: {message}");
    let mut file = CsvFile::open(bytes).map_err(csv_error)?;
    let col = |c: &str| file.column(c);
    let need = |c: &str| {
        col(c).ok_or_else(|| {
            format!(
                "{name}: no `{c}` column. A log-prob file needs id, member, text and token_logprobs (optional ref_token_logprobs or ref_loss, n_tokens); its header has {}.",
                file.header_list()
            )
        })
    };
    let (id_c, member_c, text_c, lp_c) = (
        need("id")?,
        need("member")?,
        need("text")?,
        need("token_logprobs")?,
    );
    let (ref_lp_c, ref_loss_c, n_c) = (col("ref_token_logprobs"), col("ref_loss"), col("n_tokens"));
    let mut out = Vec::new();
    for record in file.records() {
        let (row, record) = record.map_err(csv_error)?;
        let field = |i: usize| record.get(i).unwrap_or("");
        let at =
            |column: &str, what: String| format!("{name}, row {row}, column `{column}`: {what}");
        let id = field(id_c).trim().to_string();
        if id.is_empty() {
            return Err(at("id", "empty: each text needs an id.".into()));
        }
        let member = match field(member_c).trim() {
            "1" | "true" => true,
            "0" | "false" => false,
            v => return Err(at("member", format!("`{v}` is not 1 or 0."))),
        };
        let text = field(text_c).to_string();
        if text.trim().is_empty() {
            return Err(at("text", format!("the text of `{id}` is empty.")));
        }
        let logprobs =
            parse_logprobs(field(lp_c)).map_err(|e| at("token_logprobs", format!("{e}.")))?;
        if let Some(c) = n_c {
            let v = field(c).trim();
            let n: usize = v
                .parse()
                .map_err(|_| at("n_tokens", format!("`{v}` is not a whole number.")))?;
            if n != logprobs.len() {
                return Err(at(
                    "token_logprobs",
                    format!("{} log-probs where n_tokens says {n}.", logprobs.len()),
                ));
            }
        }
        let ref_loss = match (
            ref_lp_c.map(field).filter(|v| !v.trim().is_empty()),
            ref_loss_c.map(field).filter(|v| !v.trim().is_empty()),
        ) {
            (Some(list), _) => {
                let r =
                    parse_logprobs(list).map_err(|e| at("ref_token_logprobs", format!("{e}.")))?;
                if n_c.is_some() && r.len() != logprobs.len() {
                    return Err(at(
                        "ref_token_logprobs",
                        format!(
                            "{} log-probs where n_tokens says {}.",
                            r.len(),
                            logprobs.len()
                        ),
                    ));
                }
                Some(-neg_loss(&r))
            }
            (None, Some(v)) => Some(
                v.trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|x| x.is_finite() && *x >= 0.0)
                    .ok_or_else(|| {
                        at(
                            "ref_loss",
                            format!("`{}` is not a loss (a number ≥ 0).", v.trim()),
                        )
                    })?,
            ),
            (None, None) => None,
        };
        out.push(LogprobText {
            row,
            id,
            member,
            text,
            logprobs,
            ref_loss,
        });
    }
    if out.is_empty() {
        return Err(format!("{name}: no texts after the header."));
    }
    Ok(out)
}
