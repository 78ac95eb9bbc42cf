//! Reading a reference-attack CSV row by row with the audit's streaming reader
//! ([`CsvStart`], [`RecordReader`]) and its cell parsers, so a caller (the web worker) can report
//! progress and stop between steps. Rows with a problem in a used column are skipped, counted and
//! listed by row and column, as in the audit: empty or non-numeric cells, probabilities outside
//! [0, 1], non-finite φ, flags that are not 1/0.

use std::io::Read;

use super::columns::{PhiMode, ReferenceColumns, TargetPhi, TargetProbability};
use super::phi::{phi_from_logits, phi_from_probability, sigmoid, softmax_of};
use super::table::{ReferenceRecord, ReferenceTable};
use super::ReferenceInputError;
use crate::ingest::csv::records::RecordReader;
use crate::ingest::membership_label::parse_member_flag;
use crate::ingest::reader::CsvStart;
use crate::ingest::rows::{cell_str, parse_label, parse_number, CellProblem};
use crate::IngestReport;

/// A reference-attack input that was read: the table and what happened on the way.
#[derive(Debug, Clone, PartialEq)]
pub struct ReferenceIngested {
    pub table: ReferenceTable,
    pub columns: ReferenceColumns,
    pub headers: Vec<String>,
    pub report: IngestReport,
}

/// What a reader of a later part of a file needs from its first part.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ReferencePlan {
    pub headers: Vec<String>,
    pub delimiter: u8,
}

/// The rows of a later part of a file, numbered as if the part began right after the header: what
/// a second reader (a thread, or the page's part worker) hands to the first.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ReferencePart {
    pub plan: ReferencePlan,
    pub table: ReferenceTable,
    /// `n_data_rows`, `n_skipped`, `problems` and `skipped_by_column` of this part alone.
    pub report: IngestReport,
    pub used_decimal_comma: bool,
}

impl ReferencePart {
    /// Takes the part's columns of numbers out (most of its bytes), so that they can be handed
    /// over as they lie in memory ([`ReferenceTable::take_float_columns`]).
    pub fn take_float_columns(&mut self) -> Vec<Vec<f64>> {
        self.table.take_float_columns()
    }

    /// Puts back what [`take_float_columns`](Self::take_float_columns) took; `false` when the
    /// columns do not fit this part (nothing is then put back).
    pub fn put_float_columns(&mut self, columns: Vec<Vec<f64>>) -> bool {
        self.table.put_float_columns(columns)
    }
}

/// A reference-attack CSV being read: `start`, then [`step`](Self::step) until it returns
/// `true`, then [`finish`](Self::finish).
pub struct ReferenceRead<R: Read> {
    records: RecordReader<R>,
    total_bytes: u64,
    headers: Vec<String>,
    columns: ReferenceColumns,
    table: ReferenceTable,
    report: IngestReport,
    decimal_comma: bool,
    used_decimal_comma: bool,
    /// The current row's values, reused.
    ref_phi: Vec<f64>,
    ref_p: Vec<f64>,
    ref_in: Vec<bool>,
    logits: Vec<f64>,
}

/// Reads a whole reference-attack CSV held in memory.
///
/// # Examples
/// ```
/// let csv = b"member,phi,ref_in_0,ref_phi_0\n1,2.5,1,2.0\n0,-1,1,1.5\n0,x,0,0.1\n";
/// let got = mia_engine::reference_attack::read_reference_csv(csv).unwrap();
/// assert_eq!((got.table.len(), got.table.m), (2, 1));
/// assert_eq!(got.report.problems[0].to_string(), "row 4, column `phi`: `x` is not a number.");
/// ```
pub fn read_reference_csv(bytes: &[u8]) -> Result<ReferenceIngested, ReferenceInputError> {
    let mut read = ReferenceRead::start(CsvStart::bytes(bytes)?)?;
    while !read.step(usize::MAX)? {}
    read.finish()
}

impl<R: Read> ReferenceRead<R> {
    /// Decides the columns' roles from the header ([`ReferenceColumns::detect`]).
    pub fn start(start: CsvStart<R>) -> Result<Self, ReferenceInputError> {
        let columns = ReferenceColumns::detect(&start.headers)?;
        let m = columns.n_references();
        let table = ReferenceTable::empty(
            m,
            columns.mode,
            columns.id.is_some(),
            columns.population.is_some(),
            columns.ref_conf.iter().any(Option::is_some),
        );
        Ok(ReferenceRead {
            records: start.records,
            total_bytes: start.total_bytes,
            headers: start.headers,
            report: IngestReport {
                delimiter: start.delimiter,
                had_bom: start.had_bom,
                ..IngestReport::default()
            },
            decimal_comma: start.delimiter != b',',
            used_decimal_comma: false,
            columns,
            table,
            ref_phi: vec![0.0; m],
            ref_p: vec![0.0; m],
            ref_in: vec![false; m],
            logits: Vec::new(),
        })
    }

    /// What a reader of a later part of the file needs from this one.
    pub fn part_plan(&self) -> ReferencePlan {
        ReferencePlan {
            headers: self.headers.clone(),
            delimiter: self.report.delimiter,
        }
    }

    /// Starts reading a later part of a file (its rows only; they are numbered from the part's
    /// start, and [`append_part`](Self::append_part) moves them down).
    pub fn start_part(
        plan: ReferencePlan,
        input: R,
        total_bytes: u64,
    ) -> Result<Self, ReferenceInputError> {
        ReferenceRead::start(CsvStart {
            records: RecordReader::new(input, plan.delimiter),
            headers: plan.headers,
            delimiter: plan.delimiter,
            had_bom: false,
            total_bytes,
        })
    }

    /// The last row read ended with a line end outside quotes: a cut right after it is a record
    /// boundary.
    pub fn ended_on_line_end(&self) -> bool {
        self.records.ended_on_line_end()
    }

    /// Appends a later part of the file (read by [`start_part`](Self::start_part)) to the rows
    /// read so far.
    pub fn append_part(&mut self, part: ReferencePart) -> Result<(), ReferenceInputError> {
        let rows_before = self.report.n_data_rows;
        let n = part.table.len();
        let fits = part.table.target_p.len() == n
            && part.table.ref_phi.len() == n * part.table.m
            && part.table.ref_in.len() == n * part.table.m
            && part
                .table
                .ref_p
                .as_ref()
                .is_none_or(|p| p.len() == n * part.table.m);
        if part.plan != self.part_plan() || !fits || !self.table.append(&part.table, rows_before) {
            return Err(ReferenceInputError::Csv(crate::IngestError::Malformed {
                row: rows_before + 2,
                message:
                    "the second part of the file was read with another header; read the file again."
                        .to_string(),
            }));
        }
        self.used_decimal_comma |= part.used_decimal_comma;
        self.report.append_part(part.report, rows_before);
        Ok(())
    }

    /// Ends the read of a later part: its rows and what happened to them.
    pub fn finish_part(self) -> ReferencePart {
        ReferencePart {
            plan: ReferencePlan {
                headers: self.headers,
                delimiter: self.report.delimiter,
            },
            table: self.table,
            report: self.report,
            used_decimal_comma: self.used_decimal_comma,
        }
    }

    /// The rows read so far.
    pub fn table(&self) -> &ReferenceTable {
        &self.table
    }

    /// The columns' roles.
    pub fn columns(&self) -> &ReferenceColumns {
        &self.columns
    }

    /// Fraction of the input read so far, in `[0, 1]`.
    pub fn fraction_done(&self) -> f64 {
        if self.total_bytes == 0 {
            1.0
        } else {
            (self.records.position() as f64 / self.total_bytes as f64).min(1.0)
        }
    }

    /// Data rows read so far.
    pub fn rows_read(&self) -> u64 {
        self.report.n_data_rows
    }

    /// Reads up to `max_rows` more rows. Returns `true` when the input is exhausted.
    pub fn step(&mut self, max_rows: usize) -> Result<bool, ReferenceInputError> {
        for _ in 0..max_rows {
            let more = self.records.next_record().map_err(|e| {
                ReferenceInputError::Csv(crate::IngestError::Malformed {
                    row: self.report.n_data_rows + 2,
                    message: format!("the file could not be read: {e}"),
                })
            })?;
            if !more {
                return Ok(true);
            }
            self.report.n_data_rows += 1;
            let row = self.report.n_data_rows + 1;
            if self.report.n_data_rows == 1000 {
                let per_row = self.records.position() as f64 / 1000.0;
                let left = self.total_bytes.saturating_sub(self.records.position()) as f64;
                self.table.reserve((left / per_row * 1.02) as usize + 64);
            }
            if let Err(p) = self.push_row(row) {
                let column = (p.column != usize::MAX).then(|| self.headers[p.column].clone());
                self.report.skip(row, column, p.message);
            }
        }
        Ok(false)
    }

    fn number(&mut self, column: usize) -> Result<f64, CellProblem> {
        parse_number(
            &self.records,
            column,
            self.decimal_comma,
            &mut self.used_decimal_comma,
        )
    }

    fn probability(&mut self, column: usize, what: &str) -> Result<f64, CellProblem> {
        let v = self.number(column)?;
        if !(0.0..=1.0).contains(&v) {
            return Err(CellProblem {
                column,
                message: format!("probability {v} is outside [0, 1]; {what}"),
            });
        }
        Ok(v)
    }

    fn flag(&self, column: usize, what: &str) -> Result<bool, CellProblem> {
        match self.records.field(column) {
            b"1" => Ok(true),
            b"0" => Ok(false),
            _ => {
                let s = cell_str(&self.records, column)?;
                parse_member_flag(s).ok_or_else(|| CellProblem {
                    column,
                    message: format!("`{}` is not {what}; use 1 or 0.", s.trim()),
                })
            }
        }
    }

    fn logits(&mut self, cols: &[usize]) -> Result<(), CellProblem> {
        self.logits.clear();
        for &c in cols {
            let v = self.number(c)?;
            self.logits.push(v);
        }
        Ok(())
    }

    /// Validates one row and appends it; on a problem nothing is appended.
    fn push_row(&mut self, row: u64) -> Result<(), CellProblem> {
        let n_columns = self.headers.len();
        if self.records.len() != n_columns {
            return Err(CellProblem {
                column: usize::MAX,
                message: format!(
                    "has {} fields but the header has {n_columns}; fix the row's delimiters or quotes.",
                    self.records.len()
                ),
            });
        }
        let (member_column, population_column) = (self.columns.member, self.columns.population);
        let member = self.flag(
            member_column,
            "a member flag (1 = in the target's training set)",
        )?;
        let population = match population_column {
            Some(c) => Some(self.flag(c, "a population flag (1 = in RMIA's population)")?),
            None => None,
        };
        let k = self.columns.n_classes();
        let label = match self.columns.label {
            Some(c) => Some(parse_label(&self.records, c, k)? as usize),
            None => None,
        };
        let label_or_0 = label.unwrap_or(0);
        let mut logits_read = false;
        let target_p = match &self.columns.target_probability {
            TargetProbability::Confidence(c) => self.probability(
                *c,
                "`confidence` must be the target's probability of the true label.",
            )?,
            TargetProbability::ClassProbabilities(c) => {
                let c = c[label_or_0];
                self.probability(c, "`prob_*` columns must be probabilities.")?
            }
            TargetProbability::Logits(c) => {
                let c = c.clone();
                self.logits(&c)?;
                logits_read = true;
                softmax_of(&self.logits, label_or_0)
            }
            TargetProbability::Phi(c) => sigmoid(self.number(*c)?),
        };
        let (target_phi, phi_column) = match &self.columns.target_phi {
            TargetPhi::Column(c) => {
                let c = *c;
                (self.number(c)?, c)
            }
            TargetPhi::Logits(c) => {
                let c = c.clone();
                if !logits_read {
                    self.logits(&c)?;
                }
                (phi_from_logits(&self.logits, label_or_0), c[0])
            }
            TargetPhi::FromProbability => (phi_from_probability(target_p), usize::MAX),
        };
        if !target_phi.is_finite() {
            return Err(CellProblem {
                column: phi_column,
                message: format!(
                    "the target's φ is {target_phi}, not a finite number; check the target's outputs in this row."
                ),
            });
        }
        let keep_p = self.table.ref_p.is_some();
        for j in 0..self.columns.n_references() {
            self.ref_in[j] = self.flag(
                self.columns.ref_in[j],
                "an IN flag (1 = the record was in this reference model's training set)",
            )?;
            let conf = match self.columns.ref_conf[j] {
                Some(c) => Some(self.probability(
                    c,
                    "`ref_conf_j` must be reference j's probability of the true label.",
                )?),
                None => None,
            };
            let phi = match (self.columns.mode, self.columns.ref_phi[j], conf) {
                (PhiMode::Logit, Some(c), _) => self.number(c)?,
                (_, _, Some(p)) => phi_from_probability(p),
                // Unreachable: detection guarantees one of the two in each mode.
                _ => f64::NAN,
            };
            if !phi.is_finite() {
                return Err(CellProblem {
                    column: self.columns.ref_in[j],
                    message: format!("reference {j}'s φ is not a finite number."),
                });
            }
            self.ref_phi[j] = phi;
            if keep_p {
                self.ref_p[j] = conf.unwrap_or_else(|| sigmoid(phi));
            }
        }
        let id = match self.columns.id {
            Some(c) => Some(cell_str(&self.records, c)?.trim()),
            None => None,
        };
        self.table.push(ReferenceRecord {
            id,
            source_row: row,
            member,
            population,
            target_phi,
            target_p,
            ref_phi: &self.ref_phi,
            ref_p: &self.ref_p,
            ref_in: &self.ref_in,
        });
        Ok(())
    }

    /// Ends the read: checks that an attack is possible.
    pub fn finish(mut self) -> Result<ReferenceIngested, ReferenceInputError> {
        let n_rows = self.report.n_data_rows;
        if n_rows == 0 {
            return Err(ReferenceInputError::HeaderOnly);
        }
        if self.table.is_empty() {
            return Err(ReferenceInputError::NoValidRows {
                n_rows,
                first_problems: self.report.problems.into_iter().take(5).collect(),
            });
        }
        let (n_members, n_nonmembers) = self.table.class_counts();
        if n_members == 0 || n_nonmembers == 0 {
            return Err(ReferenceInputError::OneClass {
                n_members,
                n_nonmembers,
            });
        }
        self.report.n_kept = self.table.len() as u64;
        if self.used_decimal_comma {
            self.report.warnings.push(
                "Some numbers use a decimal comma (e.g. 0,93); they were read as decimal points."
                    .to_string(),
            );
        }
        Ok(ReferenceIngested {
            table: self.table,
            columns: self.columns,
            headers: self.headers,
            report: self.report,
        })
    }
}

/// Reads a reference-attack CSV from disk in two parts at once, one per core, cut at a line start
/// near the middle (as the audit's [`read_path_in_parts`](crate::ingest::split::read_path_in_parts)),
/// and joins them into what one read gives; small files, and a cut that falls inside a quoted
/// field, are read in one go.
#[cfg(not(target_arch = "wasm32"))]
pub fn read_reference_path(
    path: &std::path::Path,
) -> Result<ReferenceIngested, ReferenceInputError> {
    use crate::ingest::split::{
        line_start_after, on_two_threads, open_file, read_at, CUT_WINDOW, SPLIT_MIN_BYTES,
    };
    use std::io::{Seek, SeekFrom};
    let (mut file, size) = open_file(path)?;
    crate::ingest::check_input_size(size)?;
    let one_go = || -> Result<ReferenceIngested, ReferenceInputError> {
        let (file, size) = open_file(path)?;
        let mut read = ReferenceRead::start(CsvStart::stream(Vec::new(), file, size)?)?;
        while !read.step(usize::MAX)? {}
        read.finish()
    };
    let cut = if size >= SPLIT_MIN_BYTES {
        line_start_after(&read_at(&mut file, size / 2, CUT_WINDOW)?, size / 2, size)
    } else {
        None
    };
    let Some(cut) = cut else {
        return one_go();
    };
    let (first_file, _) = open_file(path)?;
    let Ok(mut first) =
        ReferenceRead::start(CsvStart::stream(Vec::new(), first_file.take(cut), size)?)
    else {
        return one_go();
    };
    let mut rest = open_file(path)?.0;
    rest.seek(SeekFrom::Start(cut))
        .map_err(|e| crate::ingest::split::unreadable(&e))?;
    let plan = first.part_plan();
    let (read_first, second) = on_two_threads(
        || {
            while !first.step(usize::MAX)? {}
            Ok::<_, ReferenceInputError>(())
        },
        move || {
            let rest = std::io::BufReader::with_capacity(1 << 20, rest);
            let mut part = ReferenceRead::start_part(plan, rest, size - cut)?;
            while !part.step(usize::MAX)? {}
            Ok::<_, ReferenceInputError>(part.finish_part())
        },
    );
    read_first?;
    match second {
        Ok(part) if first.ended_on_line_end() => {
            first.append_part(part)?;
            first.finish()
        }
        _ => one_go(),
    }
}

impl ReferenceRead<crate::ingest::byte_stream::ByteStream> {
    /// [`step`](Self::step) on the page's input, compiled in this crate at full optimisation
    /// (see [`byte_stream`](crate::ingest::byte_stream)).
    #[inline(never)]
    pub fn step_stream(&mut self, max_rows: usize) -> Result<bool, ReferenceInputError> {
        self.step(max_rows)
    }
}
