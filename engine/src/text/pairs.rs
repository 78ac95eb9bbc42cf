//! The verbatim audit of a pairs file (`id, reference, model_output`, optional `member` 1/0 and
//! `prefix_length`): every pair's seed figures ([`super::verbatim`]) and extraction metrics
//! ([`super::extraction`]), each text's figures over its prefix lengths, the counts of memorised
//! and critical texts, and with `member` the seed's memorisation risk on every text.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::csv_file::{CsvFile, CsvProblem};
use super::extraction::{self, Extraction, EXTRACTED_SPAN};
use super::tokens::{token_ids, Interner};
use super::verbatim::{IdSets, MemorizationRisk, TextVerdict, VerbatimSignal};

/// Why a pairs file cannot be audited; each names the file, and the row and column where it can.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum PairsError {
    #[error("{file}: no `{column}` column. A pairs file needs id, reference and model_output (optional member and prefix_length); its header has {found}.")]
    MissingColumn {
        file: String,
        column: String,
        found: String,
    },
    #[error("{file}, row {row}: {message}")]
    Csv {
        file: String,
        row: u64,
        message: String,
    },
    #[error("{file}, row {row}, column `reference`: the reference of `{id}` is empty; give the text the model should not reproduce.")]
    EmptyReference { file: String, row: u64, id: String },
    #[error("{file}, row {row}, column `{column}`: `{value}` is not {expected}.")]
    BadValue {
        file: String,
        row: u64,
        column: String,
        value: String,
        expected: String,
    },
    #[error("{file}: `{id}` is a member in row {row_a} and not in row {row_b}; a text's prefixes share its membership.")]
    MemberDisagrees {
        file: String,
        id: String,
        row_a: u64,
        row_b: u64,
    },
    #[error("{file}: no pairs after the header.")]
    NoRows { file: String },
}

/// One row of a pairs file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairRow {
    /// The file's row (the header is row 1).
    pub row: u64,
    pub id: String,
    pub reference: String,
    pub model_output: String,
    pub member: Option<bool>,
    pub prefix_length: Option<usize>,
}

/// Reads the pairs of `bytes` (file `name`).
pub fn read_pairs(name: &str, bytes: &[u8]) -> Result<Vec<PairRow>, PairsError> {
    let csv_error = |(row, message): CsvProblem| PairsError::Csv {
        file: name.to_string(),
        row,
        message,
    };
    let mut file = CsvFile::open(bytes).map_err(csv_error)?;
    let col = |c: &str| file.column(c);
    let need = |c: &str| {
        col(c).ok_or_else(|| PairsError::MissingColumn {
            file: name.to_string(),
            column: c.to_string(),
            found: file.header_list(),
        })
    };
    let (id_col, ref_col, out_col) = (need("id")?, need("reference")?, need("model_output")?);
    let (member_col, prefix_col) = (col("member"), col("prefix_length"));
    let mut rows = Vec::new();
    for record in file.records() {
        let (row, record) = record.map_err(csv_error)?;
        let field = |i: usize| record.get(i).unwrap_or("");
        let bad = |column: &str, value: &str, expected: &str| PairsError::BadValue {
            file: name.to_string(),
            row,
            column: column.to_string(),
            value: value.to_string(),
            expected: expected.to_string(),
        };
        let id = field(id_col).trim().to_string();
        if id.is_empty() {
            return Err(bad("id", "", "an id (each pair needs its text's id)"));
        }
        let reference = field(ref_col).to_string();
        if reference.trim().is_empty() {
            return Err(PairsError::EmptyReference {
                file: name.to_string(),
                row,
                id,
            });
        }
        let member = match member_col.map(|c| field(c).trim()) {
            None | Some("") => None,
            Some("1") | Some("true") => Some(true),
            Some("0") | Some("false") => Some(false),
            Some(v) => return Err(bad("member", v, "1 or 0")),
        };
        let prefix_length = match prefix_col.map(|c| field(c).trim()) {
            None | Some("") => None,
            Some(v) => Some(
                v.parse::<usize>()
                    .map_err(|_| bad("prefix_length", v, "a whole number of characters"))?,
            ),
        };
        rows.push(PairRow {
            row,
            id,
            reference,
            model_output: field(out_col).to_string(),
            member,
            prefix_length,
        });
    }
    if rows.is_empty() {
        return Err(PairsError::NoRows {
            file: name.to_string(),
        });
    }
    Ok(rows)
}

/// One pair's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairFigures {
    pub row: u64,
    pub id: String,
    pub prefix_length: Option<usize>,
    pub member: Option<bool>,
    pub signal: VerbatimSignal,
    pub extraction: Extraction,
    /// The longest common substring reaches the chosen span.
    pub extracted: bool,
}

/// One text's figures over its pairs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextFigures {
    pub id: String,
    pub member: Option<bool>,
    pub verdict: TextVerdict,
    /// Its pairs' indices in [`VerbatimAudit::pairs`].
    pub pairs: Vec<usize>,
}

/// The verbatim audit of a pairs file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VerbatimAudit {
    pub pairs: Vec<PairFigures>,
    /// In the order their ids first appear.
    pub texts: Vec<TextFigures>,
    pub memorized_count: usize,
    pub critical_count: usize,
    /// The span (characters) from which a common substring counts as extracted.
    pub extracted_span: usize,
    pub extracted_count: usize,
    /// With `member`: the seed's memorisation risk, on every text (the seed takes the first 100
    /// of each side).
    pub memorization_risk: Option<MemorizationRisk>,
}

/// Audits `rows` (of file `name`) with `span` as the extracted length (default
/// [`EXTRACTED_SPAN`]).
pub fn audit_pairs(
    name: &str,
    rows: &[PairRow],
    span: Option<usize>,
) -> Result<VerbatimAudit, PairsError> {
    let span = span.unwrap_or(EXTRACTED_SPAN);
    let mut scorer = PairScorer::default();
    let pairs = rows.iter().map(|r| scorer.score(r, span)).collect();
    audit_of_pairs(name, pairs, span)
}

/// Scores pairs one at a time, reusing its buffers: what [`audit_pairs`] does for every row, for
/// a caller that reports progress between pairs.
#[derive(Default)]
pub struct PairScorer(Scorer);

impl PairScorer {
    /// The figures of `row`, with `span` as the extracted length.
    pub fn score(&mut self, row: &PairRow, span: usize) -> PairFigures {
        let (signal, extraction) = self.0.score(&row.reference, &row.model_output);
        PairFigures {
            row: row.row,
            id: row.id.clone(),
            prefix_length: row.prefix_length,
            member: row.member,
            signal,
            extracted: extraction.longest_common_substring >= span,
            extraction,
        }
    }
}

/// The audit of scored `pairs` (file `name`'s, in its order, scored with `span`): each text's
/// figures over its pairs, the counts and, with `member`, the memorisation rate.
pub fn audit_of_pairs(
    name: &str,
    pairs: Vec<PairFigures>,
    span: usize,
) -> Result<VerbatimAudit, PairsError> {
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut texts: Vec<TextFigures> = Vec::new();
    for (i, p) in pairs.iter().enumerate() {
        let t = *index.entry(p.id.as_str()).or_insert_with(|| {
            texts.push(TextFigures {
                id: p.id.clone(),
                member: p.member,
                verdict: TextVerdict::of(&[]),
                pairs: Vec::new(),
            });
            texts.len() - 1
        });
        if let (Some(a), Some(b)) = (texts[t].member, p.member) {
            if a != b {
                return Err(PairsError::MemberDisagrees {
                    file: name.to_string(),
                    id: p.id.clone(),
                    row_a: pairs[texts[t].pairs[0]].row,
                    row_b: p.row,
                });
            }
        }
        texts[t].member = texts[t].member.or(p.member);
        texts[t].pairs.push(i);
    }
    for t in &mut texts {
        let signals: Vec<VerbatimSignal> = t.pairs.iter().map(|&i| pairs[i].signal).collect();
        t.verdict = TextVerdict::of(&signals);
    }
    let with_member = texts.iter().any(|t| t.member.is_some());
    let side = |m: bool| -> Vec<f64> {
        texts
            .iter()
            .filter(|t| t.member == Some(m))
            .map(|t| t.verdict.max_word_overlap)
            .collect()
    };
    Ok(VerbatimAudit {
        memorized_count: texts.iter().filter(|t| t.verdict.is_memorized).count(),
        critical_count: texts
            .iter()
            .filter(|t| t.verdict.risk_level == super::verbatim::TextRisk::Critical)
            .count(),
        extracted_span: span,
        extracted_count: pairs.iter().filter(|p| p.extracted).count(),
        memorization_risk: with_member.then(|| MemorizationRisk::of(&side(true), &side(false))),
        pairs,
        texts,
    })
}

/// Reused buffers of the audit: an interner for the pair's tokens, its tokens as ids, and the
/// figures' scratch. The same figures as [`VerbatimSignal::of_tokens`] and
/// [`Extraction::of`] on the seed's tokens.
#[derive(Default)]
struct Scorer {
    interner: Interner,
    lower: Vec<u8>,
    reference: Vec<u32>,
    output: Vec<u32>,
    sets: IdSets,
    extraction: extraction::Scratch,
}

impl Scorer {
    fn score(&mut self, reference: &str, output: &str) -> (VerbatimSignal, Extraction) {
        self.interner.clear();
        token_ids(
            reference,
            &mut self.interner,
            &mut self.lower,
            &mut self.reference,
        );
        if output == reference {
            self.output.clone_from(&self.reference);
        } else {
            let (i, l, o) = (&mut self.interner, &mut self.lower, &mut self.output);
            token_ids(output, i, l, o);
        }
        let ids = self.interner.len();
        let (r, o) = (&self.reference[..], &self.output[..]);
        (
            self.sets.signal(r, o, ids),
            self.extraction.extraction(reference, output, r, o, ids),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_read_and_bad_rows_are_named() {
        let csv = "\u{feff}id,reference,model_output,member\nt1,\"a b, c\",a b c,1\nt1,x y,x y,1\nt2,q,,0\n";
        let rows = read_pairs("p.csv", csv.as_bytes()).unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].reference, "a b, c");
        assert_eq!(rows[2].row, 4);
        let a = audit_pairs("p.csv", &rows, None).unwrap();
        assert_eq!(a.texts.len(), 2);
        assert_eq!(a.texts[0].pairs, [0, 1]);
        assert!(a.memorization_risk.is_some());
        let e = |s: &str| read_pairs("p.csv", s.as_bytes()).unwrap_err().to_string();
        assert_eq!(
            e("id,text\n1,a\n"),
            "p.csv: no `reference` column. A pairs file needs id, reference and model_output (optional member and prefix_length); its header has `id`, `text`."
        );
        assert_eq!(
            e("id,reference,model_output\n1, ,x\n"),
            "p.csv, row 2, column `reference`: the reference of `1` is empty; give the text the model should not reproduce."
        );
        assert_eq!(
            e("id,reference,model_output,member\n1,a,b,yes\n"),
            "p.csv, row 2, column `member`: `yes` is not 1 or 0."
        );
        assert!(e("id,reference,model_output\n1,a\n")
            .starts_with("p.csv, row 2: 2 fields where the header has 3"));
        let rows = read_pairs(
            "p.csv",
            b"id,reference,model_output,member\n1,a,b,1\n1,a,c,0\n",
        )
        .unwrap();
        assert_eq!(
            audit_pairs("p.csv", &rows, None).unwrap_err().to_string(),
            "p.csv: `1` is a member in row 2 and not in row 3; a text's prefixes share its membership."
        );
    }

    #[test]
    fn the_reused_scorer_gives_the_seed_s_and_extraction_figures() {
        use crate::text::tokens::tokens;
        let words = [
            "the",
            "The",
            "ΣΟΦΟΣ",
            "café",
            "model,",
            "🙂",
            "a\u{1c}b",
            "x",
            "Data.",
        ];
        fn draw(s: &mut u64, k: usize) -> usize {
            *s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((*s >> 33) % k as u64) as usize
        }
        let text = |s: &mut u64| -> String {
            let n = draw(s, 60);
            let glue = if draw(s, 3) == 0 { "\t " } else { " " };
            (0..n)
                .map(|_| words[draw(s, words.len())])
                .collect::<Vec<_>>()
                .join(glue)
        };
        let (mut s, mut scorer) = (19u64, Scorer::default());
        for case in 0..300 {
            let reference = text(&mut s);
            let output = if case % 3 == 0 {
                reference.clone()
            } else {
                text(&mut s)
            };
            let (rt, ot) = (tokens(&reference), tokens(&output));
            let want = (
                VerbatimSignal::of_tokens(&rt, &ot),
                Extraction::of(&reference, &output, &rt, &ot),
            );
            assert_eq!(scorer.score(&reference, &output), want, "case {case}");
        }
    }
}
