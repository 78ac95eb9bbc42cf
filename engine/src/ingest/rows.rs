//! One CSV record into the table's columns: every used cell validated (numbers, probabilities,
//! losses, the member flag, the label), the per-class values checked for their sum, and nothing
//! appended when a cell is bad (the reader then lists the row as skipped, by row and column).

use std::io::Read;

use crate::ingest::csv::decimal::parse_decimal;
use crate::ingest::csv::records::RecordReader;
use crate::ingest::membership_label::parse_member_flag;
use crate::ingest::reader::PROB_SUM_TOLERANCE;
use crate::table::signal::ClassOutputs;
use crate::AuditTable;

/// The table being filled, and what the rows taught us on the way.
pub(crate) struct TableBuilder {
    pub(crate) table: AuditTable,
    /// The current row's per-class values, validated before they are kept or folded.
    row_probs: Vec<f64>,
    row_logits: Vec<f64>,
    decimal_comma: bool,
    pub(crate) used_decimal_comma: bool,
    pub(crate) n_prob_sum_off: u64,
    pub(crate) first_prob_sum_off: Option<(u64, f64)>,
}

/// A value that could not be used, before the row number is attached.
pub(crate) struct CellProblem {
    pub(crate) column: usize,
    pub(crate) message: String,
}

impl TableBuilder {
    /// An empty builder for `table`'s columns; decimal commas are read in files whose delimiter
    /// is not a comma.
    pub(crate) fn new(table: AuditTable, delimiter: u8) -> TableBuilder {
        TableBuilder {
            table,
            row_probs: Vec::new(),
            row_logits: Vec::new(),
            decimal_comma: delimiter != b',',
            used_decimal_comma: false,
            n_prob_sum_off: 0,
            first_prob_sum_off: None,
        }
    }
}

impl TableBuilder {
    /// Validates one row and appends it; on a problem nothing is appended.
    pub(crate) fn push_record<R: Read>(
        &mut self,
        rec: &RecordReader<R>,
        row: u64,
    ) -> Result<(), CellProblem> {
        let n_columns = self.table.headers.len();
        if rec.len() != n_columns {
            return Err(CellProblem {
                column: usize::MAX,
                message: format!(
                    "has {} fields but the header has {n_columns}; fix the row's delimiters or quotes.",
                    rec.len()
                ),
            });
        }
        let m = &self.table.mapping;
        let member = match m.member {
            Some(c) => match rec.field(c) {
                b"1" => true,
                b"0" => false,
                _ => member_flag(rec, c)?,
            },
            None => false,
        };
        let k = self.table.n_classes;
        let label = match m.label {
            Some(c) => Some(parse_label(rec, c, k)?),
            None => None,
        };
        let mut dc = false;
        let confidence = match m.confidence {
            Some(c) => {
                let v = parse_number(rec, c, self.decimal_comma, &mut dc)?;
                if !(0.0..=1.0).contains(&v) {
                    return Err(CellProblem {
                        column: c,
                        message: format!("confidence {v} is outside [0, 1]; it must be the probability the model gave the true label."),
                    });
                }
                Some(v)
            }
            None => None,
        };
        let loss = match m.loss {
            Some(c) => {
                let v = parse_number(rec, c, self.decimal_comma, &mut dc)?;
                if v < 0.0 {
                    return Err(CellProblem {
                        column: c,
                        message: format!("loss {v} is negative, but cross-entropy loss is >= 0; if the column holds a log-likelihood, negate it."),
                    });
                }
                Some(v)
            }
            None => None,
        };
        // Per-class values are validated into the row buffers, then kept or folded below.
        let decimal_comma = self.decimal_comma;
        let mut prob_sum = 0.0;
        self.row_probs.clear();
        for &c in &self.table.mapping.probs {
            let v = parse_number(rec, c, decimal_comma, &mut dc)?;
            if !(0.0..=1.0).contains(&v) {
                return Err(CellProblem {
                    column: c,
                    message: format!("probability {v} is outside [0, 1]; per-class `prob_*` columns must be probabilities (use `logit_*` for raw scores)."),
                });
            }
            prob_sum += v;
            self.row_probs.push(v);
        }
        self.row_logits.clear();
        for &c in &self.table.mapping.logits {
            self.row_logits
                .push(parse_number(rec, c, decimal_comma, &mut dc)?);
        }
        let m = &self.table.mapping;
        let text = |c: Option<usize>| -> Result<Option<&str>, CellProblem> {
            c.map(|c| cell_str(rec, c).map(str::trim)).transpose()
        };
        let (id, shadow) = (text(m.id)?, text(m.shadow)?);

        // The row is valid: append it.
        self.used_decimal_comma |= dc;
        let has_probs = !self.table.mapping.probs.is_empty();
        if has_probs && (prob_sum - 1.0).abs() > PROB_SUM_TOLERANCE {
            self.n_prob_sum_off += 1;
            self.first_prob_sum_off.get_or_insert((row, prob_sum));
        }
        let t = &mut self.table;
        t.source_rows.push(row);
        t.member.push(member);
        if let (Some(v), Some(col)) = (label, t.label.as_mut()) {
            col.push(v);
        }
        if let (Some(v), Some(col)) = (confidence, t.confidence.as_mut()) {
            col.push(v);
        }
        if let (Some(v), Some(col)) = (loss, t.loss.as_mut()) {
            col.push(v);
        }
        if let (Some(v), Some(col)) = (id, t.ids.as_mut()) {
            // Cannot overflow: the input is at most MAX_INPUT_BYTES (1 GiB) of text.
            col.push(v);
        }
        if let (Some(v), Some(col)) = (shadow, t.shadow.as_mut()) {
            col.push(v.to_string());
        }
        if let Some(f) = t.folded.as_mut() {
            let has_logits = !t.mapping.logits.is_empty();
            f.push(ClassOutputs {
                probs: has_probs.then_some(&self.row_probs[..]),
                logits: has_logits.then_some(&self.row_logits[..]),
                label: label.map_or(0, |l| l as usize),
            });
        } else {
            if let Some(col) = t.probs.as_mut() {
                col.extend_from_slice(&self.row_probs);
            }
            if let Some(col) = t.logits.as_mut() {
                col.extend_from_slice(&self.row_logits);
            }
        }
        Ok(())
    }
}

/// A member flag in any accepted spelling (the fast path takes `1` and `0`).
#[cold]
pub(crate) fn member_flag<R: Read>(
    rec: &RecordReader<R>,
    column: usize,
) -> Result<bool, CellProblem> {
    let s = cell_str(rec, column)?;
    parse_member_flag(s).ok_or_else(|| CellProblem {
        column,
        message: format!(
            "`{}` is not a member flag; use 1/0, true/false, yes/no, member/non-member, in/out or train/test.",
            s.trim()
        ),
    })
}

pub(crate) fn cell_str<R: Read>(rec: &RecordReader<R>, column: usize) -> Result<&str, CellProblem> {
    std::str::from_utf8(rec.field(column)).map_err(|_| CellProblem {
        column,
        message: "the bytes are not valid UTF-8; save the file as UTF-8 and load it again."
            .to_string(),
    })
}

/// Parses a finite number. With `decimal_comma`, a cell like `0,93` (one comma, no point) is read
/// as 0.93 and `used` is set.
#[inline]
pub(crate) fn parse_number<R: Read>(
    rec: &RecordReader<R>,
    column: usize,
    decimal_comma: bool,
    used: &mut bool,
) -> Result<f64, CellProblem> {
    match parse_decimal(rec.field(column)) {
        Some(v) => Ok(v),
        None => parse_number_slow(rec, column, decimal_comma, used),
    }
}

/// [`parse_number`] for the cells [`parse_decimal`] leaves: spaces, decimal commas, and the
/// messages for what is not a finite number.
#[cold]
fn parse_number_slow<R: Read>(
    rec: &RecordReader<R>,
    column: usize,
    decimal_comma: bool,
    used: &mut bool,
) -> Result<f64, CellProblem> {
    let s = cell_str(rec, column)?.trim();
    let problem = |message: String| CellProblem { column, message };
    if s.is_empty() {
        return Err(problem(
            "the cell is empty; every used column needs a number in every row.".to_string(),
        ));
    }
    let parsed = match s.parse::<f64>() {
        Ok(v) => Ok(v),
        Err(_) if decimal_comma && s.matches(',').count() == 1 && !s.contains('.') => {
            let v = s.replace(',', ".").parse::<f64>();
            if v.is_ok() {
                *used = true;
            }
            v
        }
        Err(e) => Err(e),
    };
    match parsed {
        Ok(v) if v.is_finite() => Ok(v),
        Ok(_) => Err(problem(format!(
            "`{s}` is not a finite number; replace NaN/infinite outputs or remove the row."
        ))),
        Err(_) => Err(problem(format!("`{s}` is not a number."))),
    }
}

pub(crate) fn parse_label<R: Read>(
    rec: &RecordReader<R>,
    column: usize,
    n_classes: usize,
) -> Result<u32, CellProblem> {
    let cell = rec.field(column);
    // Plain class indices first; anything else (spaces, `3.0`) through the float parser.
    let plain = (1..=9).contains(&cell.len()) && cell.iter().all(u8::is_ascii_digit);
    let s = if plain {
        ""
    } else {
        cell_str(rec, column)?.trim()
    };
    let v = if plain {
        Some(cell.iter().fold(0u32, |a, &d| a * 10 + (d - b'0') as u32) as f64)
    } else {
        s.parse::<f64>().ok().filter(|v| v.is_finite())
    };
    match v {
        Some(v) if v >= 0.0 && v.fract() == 0.0 && v < u32::MAX as f64 => {
            let label = v as u32;
            if n_classes > 0 && label as usize >= n_classes {
                Err(CellProblem {
                    column,
                    message: format!(
                        "label {label} is not a class of the {n_classes} per-class columns (0..{}).",
                        n_classes - 1
                    ),
                })
            } else {
                Ok(label)
            }
        }
        _ => Err(CellProblem {
            column,
            message: format!("`{s}` is not a class index; labels must be 0, 1, 2, …"),
        }),
    }
}
