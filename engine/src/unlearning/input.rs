//! The outputs of a model before and after an unlearning, per record, with the set each record
//! belongs to: one CSV in the audit schema with a `set` column (forget, retain, held_out) and the
//! after-model's columns with an `after_` prefix, or two CSVs (before, after) joined on `id`.
//! The values stay as the user wrote them: each comparison is audited by the audit's own reader.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::error::UnlearningError;

/// Sets smaller than this cannot be verified (the forget and held-out sets).
pub const MIN_SET: usize = 10;

/// Where a record stands in the unlearning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum UnlearnSet {
    /// Trained on, and to be forgotten.
    Forget,
    /// Trained on, and kept.
    Retain,
    /// Never trained on.
    HeldOut,
}

impl UnlearnSet {
    pub fn key(self) -> &'static str {
        match self {
            UnlearnSet::Forget => "forget",
            UnlearnSet::Retain => "retain",
            UnlearnSet::HeldOut => "held_out",
        }
    }

    pub fn parse(s: &str) -> Option<UnlearnSet> {
        match s.trim().to_ascii_lowercase().replace('-', "_").as_str() {
            "forget" => Some(UnlearnSet::Forget),
            "retain" => Some(UnlearnSet::Retain),
            "held_out" | "heldout" => Some(UnlearnSet::HeldOut),
            _ => None,
        }
    }
}

/// Whether `name` is one of the audit schema's output columns.
fn is_output(name: &str) -> bool {
    name == "confidence"
        || name == "loss"
        || name.starts_with("prob_")
        || name.starts_with("logit_")
}

/// Classes with per-class columns among `columns`.
fn classes(columns: &[String], prefix: &str) -> usize {
    columns.iter().filter(|c| c.starts_with(prefix)).count()
}

/// Refuses per-class columns for different numbers of classes before and after.
fn same_classes(before: &[String], after: &[String]) -> Result<(), UnlearningError> {
    for prefix in ["prob_", "logit_"] {
        let (b, a) = (classes(before, prefix), classes(after, prefix));
        if b != a && b > 0 && a > 0 {
            return Err(UnlearningError::ClassMismatch {
                before: b,
                after: a,
            });
        }
    }
    Ok(())
}

/// Where each of `columns` is among the after-model's outputs (`find` gives a column's index);
/// a missing one is refused by name.
fn after_columns_of(
    columns: &[String],
    find: impl Fn(&str) -> Option<usize>,
) -> Result<Vec<usize>, UnlearningError> {
    columns
        .iter()
        .map(|c| find(c).ok_or_else(|| UnlearningError::MissingAfterColumn { column: c.clone() }))
        .collect()
}

/// The records' outputs before and after, and their sets.
#[derive(Debug, Clone, PartialEq)]
pub struct UnlearningInput {
    /// The file(s) read, for messages and the report.
    pub files: Vec<String>,
    /// The output columns (without the `after_` prefix), in the before file's order.
    pub columns: Vec<String>,
    /// Columns that are neither outputs nor `id`, `set`, `label` or `member`: not used.
    pub ignored_columns: Vec<String>,
    has_label: bool,
    has_id: bool,
    records: Vec<Record>,
}

/// One record.
#[derive(Debug, Clone, PartialEq)]
struct Record {
    /// The `id`, or empty.
    id: String,
    /// Spreadsheet row number in the (before) file: the header is row 1.
    row: u64,
    set: UnlearnSet,
    label: String,
    before: Vec<String>,
    after: Vec<String>,
}

/// A CSV read as text: header (trimmed, lower case) and rows with their row numbers.
struct Text {
    header: Vec<String>,
    rows: Vec<(u64, Vec<String>)>,
}

fn read_text(file: &str, bytes: &[u8]) -> Result<Text, UnlearningError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut r = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(bytes);
    let header: Vec<String> = r
        .headers()
        .map_err(|e| UnlearningError::Csv {
            file: file.into(),
            row: 1,
            message: e.to_string(),
        })?
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    if header.iter().all(String::is_empty) {
        return Err(UnlearningError::Empty { file: file.into() });
    }
    let mut rows = Vec::new();
    for (i, rec) in r.records().enumerate() {
        let row = i as u64 + 2;
        let rec = rec.map_err(|e| UnlearningError::Csv {
            file: file.into(),
            row,
            message: match e.kind() {
                csv::ErrorKind::UnequalLengths {
                    expected_len, len, ..
                } => format!("{len} fields, but the header has {expected_len}."),
                _ => e.to_string(),
            },
        })?;
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        rows.push((row, rec.iter().map(|f| f.trim().to_string()).collect()));
    }
    Ok(Text { header, rows })
}

impl Text {
    fn col(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }
}

/// The set of each row of `t` (its `set` column).
fn sets(file: &str, t: &Text) -> Result<Vec<UnlearnSet>, UnlearningError> {
    let c = t
        .col("set")
        .ok_or_else(|| UnlearningError::NoSetColumn { file: file.into() })?;
    t.rows
        .iter()
        .map(|(row, f)| {
            UnlearnSet::parse(&f[c]).ok_or_else(|| UnlearningError::UnknownSet {
                file: file.into(),
                row: *row,
                value: f[c].clone(),
            })
        })
        .collect()
}

/// Row index of each id in column `c` of `t`; a repeated id is refused.
fn id_index<'t>(
    file: &str,
    t: &'t Text,
    c: usize,
) -> Result<HashMap<&'t str, usize>, UnlearningError> {
    let mut m: HashMap<&str, usize> = HashMap::with_capacity(t.rows.len());
    for (k, (row, f)) in t.rows.iter().enumerate() {
        if m.insert(f[c].as_str(), k).is_some() {
            return Err(UnlearningError::DuplicateId {
                file: file.into(),
                row: *row,
                id: f[c].clone(),
            });
        }
    }
    Ok(m)
}

impl UnlearningInput {
    /// One file: the outputs before, and after with the `after_` prefix.
    pub fn from_csv(file: &str, bytes: &[u8]) -> Result<UnlearningInput, UnlearningError> {
        let t = read_text(file, bytes)?;
        let sets = sets(file, &t)?;
        let columns: Vec<String> = t.header.iter().filter(|h| is_output(h)).cloned().collect();
        let after: Vec<String> = t
            .header
            .iter()
            .filter_map(|h| h.strip_prefix("after_"))
            .filter(|h| is_output(h))
            .map(str::to_string)
            .collect();
        if after.is_empty() {
            return Err(UnlearningError::NoAfterColumns { file: file.into() });
        }
        same_classes(&columns, &after)?;
        let after_index = after_columns_of(&columns, |c| t.col(&format!("after_{c}")))?;
        let before_index: Vec<usize> = columns.iter().filter_map(|c| t.col(c)).collect();
        let known = |h: &str| {
            matches!(h, "id" | "set" | "label" | "member")
                || is_output(h)
                || h.strip_prefix("after_").is_some_and(is_output)
        };
        let ignored_columns = t.header.iter().filter(|h| !known(h)).cloned().collect();
        let (id, label) = (t.col("id"), t.col("label"));
        let records = t
            .rows
            .iter()
            .zip(sets)
            .map(|((row, f), set)| Record {
                id: id.map_or_else(String::new, |i| f[i].clone()),
                row: *row,
                set,
                label: label.map_or_else(String::new, |i| f[i].clone()),
                before: before_index.iter().map(|&i| f[i].clone()).collect(),
                after: after_index.iter().map(|&i| f[i].clone()).collect(),
            })
            .collect();
        Ok(UnlearningInput {
            files: vec![file.to_string()],
            columns,
            ignored_columns,
            has_label: label.is_some(),
            has_id: id.is_some(),
            records,
        })
    }

    /// Two files joined on `id`: the before file has the sets (and the labels); the after file
    /// the after-model's outputs, under the same column names.
    pub fn from_two_csvs(
        before_file: &str,
        before: &[u8],
        after_file: &str,
        after: &[u8],
    ) -> Result<UnlearningInput, UnlearningError> {
        let b = read_text(before_file, before)?;
        let a = read_text(after_file, after)?;
        let sets = sets(before_file, &b)?;
        let id_of = |file: &str, t: &Text| {
            t.col("id")
                .ok_or_else(|| UnlearningError::NoIdColumn { file: file.into() })
        };
        let (bid, aid) = (id_of(before_file, &b)?, id_of(after_file, &a)?);
        let columns: Vec<String> = b.header.iter().filter(|h| is_output(h)).cloned().collect();
        let after_columns: Vec<String> =
            a.header.iter().filter(|h| is_output(h)).cloned().collect();
        same_classes(&columns, &after_columns)?;
        let after_index = after_columns_of(&columns, |c| a.col(c))?;
        let before_index: Vec<usize> = columns.iter().filter_map(|c| b.col(c)).collect();
        let after_by_id = id_index(after_file, &a, aid)?;
        let before_by_id = id_index(before_file, &b, bid)?;
        // Every after row must have a before row too: nothing given is silently dropped.
        if let Some((row, f)) = a
            .rows
            .iter()
            .find(|(_, f)| !before_by_id.contains_key(f[aid].as_str()))
        {
            return Err(UnlearningError::IdNotJoined {
                file: after_file.into(),
                row: *row,
                id: f[aid].clone(),
                other: before_file.into(),
            });
        }
        let label = b.col("label");
        let mut records = Vec::with_capacity(b.rows.len());
        for ((row, f), set) in b.rows.iter().zip(sets) {
            let Some(&k) = after_by_id.get(f[bid].as_str()) else {
                return Err(UnlearningError::IdNotJoined {
                    file: before_file.into(),
                    row: *row,
                    id: f[bid].clone(),
                    other: after_file.into(),
                });
            };
            let g = &a.rows[k].1;
            records.push(Record {
                id: f[bid].clone(),
                row: *row,
                set,
                label: label.map_or_else(String::new, |i| f[i].clone()),
                before: before_index.iter().map(|&i| f[i].clone()).collect(),
                after: after_index.iter().map(|&i| g[i].clone()).collect(),
            });
        }
        let known = |h: &str| matches!(h, "id" | "set" | "label" | "member") || is_output(h);
        let ignored_columns = b
            .header
            .iter()
            .chain(&a.header)
            .filter(|h| !known(h))
            .cloned()
            .collect();
        Ok(UnlearningInput {
            files: vec![before_file.to_string(), after_file.to_string()],
            columns,
            ignored_columns,
            has_label: label.is_some(),
            has_id: true,
            records,
        })
    }

    /// How many records are in `set`.
    pub fn count(&self, set: UnlearnSet) -> usize {
        self.records.iter().filter(|r| r.set == set).count()
    }

    /// Refuses a forget or held-out set below [`MIN_SET`].
    pub fn check_sizes(&self) -> Result<(), UnlearningError> {
        for set in [UnlearnSet::Forget, UnlearnSet::HeldOut] {
            let count = self.count(set);
            if count < MIN_SET {
                return Err(UnlearningError::SmallSet {
                    set: set.key().into(),
                    count,
                    min: MIN_SET,
                });
            }
        }
        Ok(())
    }

    /// The records of `positive` (member = 1) and `negative` (member = 0) as an audit CSV of the
    /// outputs after unlearning (`after`) or before, with the spreadsheet row of each record in
    /// its file (the audit's rows are these, in order).
    pub fn audit_csv(
        &self,
        after: bool,
        positive: UnlearnSet,
        negative: UnlearnSet,
    ) -> (Vec<u8>, Vec<u64>) {
        let mut w = csv::Writer::from_writer(Vec::new());
        let mut header = vec!["id".to_string(), "member".to_string()];
        if self.has_label {
            header.push("label".into());
        }
        header.extend(self.columns.iter().cloned());
        let _ = w.write_record(&header);
        let mut rows = Vec::new();
        for r in &self.records {
            let member = if r.set == positive {
                "1"
            } else if r.set == negative {
                "0"
            } else {
                continue;
            };
            let id = if self.has_id {
                r.id.clone()
            } else {
                format!("row {}", r.row)
            };
            let mut f = vec![id, member.to_string()];
            if self.has_label {
                f.push(r.label.clone());
            }
            f.extend(if after { &r.after } else { &r.before }.iter().cloned());
            let _ = w.write_record(&f);
            rows.push(r.row);
        }
        (w.into_inner().unwrap_or_default(), rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ONE: &str = "id,set,label,prob_0,prob_1,after_prob_0,after_prob_1,note\n\
        a,forget,0,0.9,0.1,0.6,0.4,x\n\
        b,held_out,1,0.4,0.6,0.45,0.55,y\n\
        c,retain,1,0.2,0.8,0.25,0.75,z\n";

    #[test]
    fn one_file_splits_before_and_after_and_lists_unused_columns() {
        let i = UnlearningInput::from_csv("u.csv", ONE.as_bytes()).unwrap();
        assert_eq!(i.columns, vec!["prob_0", "prob_1"]);
        assert_eq!(i.ignored_columns, vec!["note"]);
        let (csv, rows) = i.audit_csv(true, UnlearnSet::Forget, UnlearnSet::HeldOut);
        assert_eq!(
            String::from_utf8(csv).unwrap(),
            "id,member,label,prob_0,prob_1\na,1,0,0.6,0.4\nb,0,1,0.45,0.55\n"
        );
        assert_eq!(rows, vec![2, 3]);
    }

    #[test]
    fn two_files_join_on_id_and_refuse_what_does_not_join() {
        let before = "id,set,label,prob_0,prob_1\na,forget,0,0.9,0.1\nb,held_out,1,0.4,0.6\n";
        let after = "id,prob_0,prob_1\nb,0.45,0.55\na,0.6,0.4\n";
        let i =
            UnlearningInput::from_two_csvs("b.csv", before.as_bytes(), "a.csv", after.as_bytes())
                .unwrap();
        let (csv, _) = i.audit_csv(true, UnlearnSet::Forget, UnlearnSet::HeldOut);
        assert!(String::from_utf8(csv).unwrap().contains("a,1,0,0.6,0.4\n"));
        let missing = "id,prob_0,prob_1\nb,0.45,0.55\nz,0.6,0.4\n";
        let e =
            UnlearningInput::from_two_csvs("b.csv", before.as_bytes(), "a.csv", missing.as_bytes())
                .unwrap_err();
        assert_eq!(
            e.to_string(),
            "id `z` (a.csv, row 3) is not in b.csv: every record needs its outputs before and after."
        );
    }

    #[test]
    fn bad_files_are_named() {
        let e = |s: &str| {
            UnlearningInput::from_csv("u.csv", s.as_bytes())
                .unwrap_err()
                .to_string()
        };
        assert!(e("id,prob_0\na,0.5\n").contains("no `set` column"));
        assert!(e("set,prob_0\nforgot,0.5\n").contains("row 2: set `forgot`"));
        assert!(e("set,prob_0,prob_1\nforget,0.5,0.5\n").contains("no outputs after unlearning"));
        assert!(
            e("set,prob_0,confidence,after_prob_0\nforget,0.5,0.5,0.4\n")
                .contains("`confidence` has no `after_confidence`")
        );
        assert!(e("set,prob_0,prob_1,after_prob_0\nforget,0.5,0.5,1\n")
            .contains("2 classes and the after file for 1"));
    }
}
