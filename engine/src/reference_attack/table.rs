//! The input of a reference-model attack: for each record, the target's φ and probability of the
//! true label, ground-truth membership, and an n × M matrix of reference φ, probabilities and IN
//! flags (row-major: record i's references are `[i·M, (i+1)·M)`).

use serde::{Deserialize, Serialize};

use super::columns::PhiMode;
use super::phi::sigmoid;
use crate::table::member_flags::{MemberFlags, Membership};
use crate::table::row_numbers::RowNumbers;
use crate::table::text_column::TextColumn;

/// One record's values, before it is appended.
#[derive(Debug, Clone, PartialEq)]
pub struct ReferenceRecord<'a> {
    pub id: Option<&'a str>,
    pub source_row: u64,
    pub member: bool,
    pub population: Option<bool>,
    pub target_phi: f64,
    pub target_p: f64,
    pub ref_phi: &'a [f64],
    /// p_j, when the table keeps probabilities ([`ReferenceTable::ref_p`]).
    pub ref_p: &'a [f64],
    pub ref_in: &'a [bool],
}

/// Target and reference outputs of n records under M reference models.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReferenceTable {
    /// M, the number of reference models.
    pub m: usize,
    pub mode: PhiMode,
    /// Spreadsheet row of each record (the header is row 1).
    pub source_rows: RowNumbers,
    pub ids: Option<TextColumn>,
    /// Ground truth: in the target's training set.
    pub member: MemberFlags,
    /// RMIA's population flags, when the file has a `population` column.
    pub population: Option<Vec<bool>>,
    pub target_phi: Vec<f64>,
    /// The target's probability of the true label.
    pub target_p: Vec<f64>,
    /// φ_j(i), n × M.
    pub ref_phi: Vec<f64>,
    /// p_j(i), n × M, when some reference has `ref_conf_j` (`ref_conf_j`, else σ(φ_j(i)));
    /// without any, p_j(i) = σ(φ_j(i)) is computed where it is needed.
    pub ref_p: Option<Vec<f64>>,
    /// Record i was in reference j's training set, n × M.
    #[serde(with = "flags_as_bytes")]
    pub ref_in: Vec<bool>,
}

/// The IN flags serialised as one byte string (0/1 per flag) rather than n × M booleans one by
/// one: the page hands tables between workers in bincode, which then copies the string in one
/// go (tens of milliseconds saved per million flags in WebAssembly).
mod flags_as_bytes {
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer>(flags: &[bool], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(&to_bytes(flags))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<bool>, D::Error> {
        Ok(from_bytes(byte_buf(d)?))
    }

    // The two conversions are not generic, so they are compiled here (at the engine's full
    // optimisation) rather than in the crate that names the serialiser (the page's, tuned for
    // size): a table's millions of flags cross in a few milliseconds.
    #[inline(never)]
    fn to_bytes(flags: &[bool]) -> Vec<u8> {
        flags.iter().map(|&f| u8::from(f)).collect()
    }

    #[inline(never)]
    fn from_bytes(bytes: Vec<u8>) -> Vec<bool> {
        bytes.into_iter().map(|b| b != 0).collect()
    }

    /// A byte string, however the format hands it over (borrowed, owned or as a sequence).
    fn byte_buf<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        struct Bytes;
        impl<'de> serde::de::Visitor<'de> for Bytes {
            type Value = Vec<u8>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a byte string of flags")
            }
            fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<Vec<u8>, E> {
                Ok(v.to_vec())
            }
            fn visit_byte_buf<E: serde::de::Error>(self, v: Vec<u8>) -> Result<Vec<u8>, E> {
                Ok(v)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut a: A,
            ) -> Result<Vec<u8>, A::Error> {
                let mut v = Vec::with_capacity(a.size_hint().unwrap_or(0));
                while let Some(b) = a.next_element::<u8>()? {
                    v.push(b);
                }
                Ok(v)
            }
        }
        d.deserialize_byte_buf(Bytes)
    }
}

impl ReferenceTable {
    /// An empty table for `m` references; `ids` and `population` columns if the input has them.
    pub fn empty(
        m: usize,
        mode: PhiMode,
        ids: bool,
        population: bool,
        probabilities: bool,
    ) -> ReferenceTable {
        ReferenceTable {
            m,
            mode,
            source_rows: RowNumbers::default(),
            ids: ids.then(TextColumn::default),
            member: MemberFlags::default(),
            population: population.then(Vec::new),
            target_phi: Vec::new(),
            target_p: Vec::new(),
            ref_phi: Vec::new(),
            ref_p: probabilities.then(Vec::new),
            ref_in: Vec::new(),
        }
    }

    /// Appends a record (its slices hold M values each).
    pub fn push(&mut self, r: ReferenceRecord<'_>) {
        debug_assert_eq!(r.ref_phi.len(), self.m);
        self.source_rows.push(r.source_row);
        if let (Some(c), Some(id)) = (self.ids.as_mut(), r.id) {
            c.push(id);
        }
        self.member.push(r.member);
        if let (Some(c), Some(p)) = (self.population.as_mut(), r.population) {
            c.push(p);
        }
        self.target_phi.push(r.target_phi);
        self.target_p.push(r.target_p);
        self.ref_phi.extend_from_slice(r.ref_phi);
        if let Some(p) = self.ref_p.as_mut() {
            p.extend_from_slice(r.ref_p);
        }
        self.ref_in.extend_from_slice(r.ref_in);
    }

    /// Sizes the columns for `additional` more records.
    pub fn reserve(&mut self, additional: usize) {
        self.member.reserve(additional);
        self.target_phi.reserve(additional);
        self.target_p.reserve(additional);
        self.ref_phi.reserve(additional * self.m);
        if let Some(p) = self.ref_p.as_mut() {
            p.reserve(additional * self.m);
        }
        self.ref_in.reserve(additional * self.m);
        if let Some(p) = self.population.as_mut() {
            p.reserve(additional);
        }
    }

    /// Number of records.
    pub fn len(&self) -> usize {
        self.target_phi.len()
    }

    /// True without records.
    pub fn is_empty(&self) -> bool {
        self.target_phi.is_empty()
    }

    /// Record `i` is in RMIA's population Z: `population` = 1 when the column exists, else a
    /// non-member.
    pub fn in_population(&self, i: usize) -> bool {
        match &self.population {
            Some(p) => p[i],
            None => !self.member.get(i),
        }
    }

    /// Where Z comes from: `population == 1` or `member == 0`.
    pub fn population_source(&self) -> &'static str {
        if self.population.is_some() {
            "population == 1"
        } else {
            "member == 0"
        }
    }

    /// The record's id, or its row in the file.
    pub fn record_name(&self, i: usize) -> String {
        match &self.ids {
            Some(ids) => ids.get(i).to_string(),
            None => format!("row {}", self.source_rows.get(i)),
        }
    }

    /// Record i's reference values `[i·M, (i+1)·M)` of a row-major column.
    pub fn row<'a, T>(&self, values: &'a [T], i: usize) -> &'a [T] {
        &values[i * self.m..(i + 1) * self.m]
    }

    /// Record i's reference probabilities p_j(i) into `out` (M values).
    pub fn reference_probabilities(&self, i: usize, out: &mut Vec<f64>) {
        out.clear();
        match &self.ref_p {
            Some(p) => out.extend_from_slice(self.row(p, i)),
            None => out.extend(self.row(&self.ref_phi, i).iter().map(|&f| sigmoid(f))),
        }
    }

    /// Takes the columns of numbers out (most of the table's bytes: the target's φ and p, the
    /// references' φ and p), so that they can be handed to another worker as they lie in
    /// memory; [`put_float_columns`](Self::put_float_columns) puts them back.
    pub fn take_float_columns(&mut self) -> Vec<Vec<f64>> {
        let mut v = vec![
            std::mem::take(&mut self.target_phi),
            std::mem::take(&mut self.target_p),
            std::mem::take(&mut self.ref_phi),
        ];
        v.extend(self.ref_p.as_mut().map(std::mem::take));
        v
    }

    /// The columns [`take_float_columns`](Self::take_float_columns) takes, borrowed.
    pub fn float_columns(&self) -> Vec<&[f64]> {
        let mut v = vec![&self.target_phi[..], &self.target_p[..], &self.ref_phi[..]];
        v.extend(self.ref_p.as_deref());
        v
    }

    /// Puts back what [`take_float_columns`](Self::take_float_columns) took; `false` when the
    /// columns do not fit the table (nothing is then put back).
    pub fn put_float_columns(&mut self, columns: Vec<Vec<f64>>) -> bool {
        let n = self.member.n_records();
        let m = self.m;
        let fits = columns.len() == 3 + usize::from(self.ref_p.is_some())
            && columns[0].len() == n
            && columns[1].len() == n
            && columns[2..].iter().all(|c| c.len() == n * m);
        if !fits {
            return false;
        }
        let mut c = columns.into_iter();
        self.target_phi = c.next().unwrap_or_default();
        self.target_p = c.next().unwrap_or_default();
        self.ref_phi = c.next().unwrap_or_default();
        if let Some(p) = self.ref_p.as_mut() {
            *p = c.next().unwrap_or_default();
        }
        true
    }

    /// A copy for running the attacks' tasks elsewhere: without its float columns (sent
    /// apart, [`float_columns`](Self::float_columns)), its ids or its row numbers, which no task
    /// reads.
    pub fn without_float_columns(&self) -> ReferenceTable {
        ReferenceTable {
            m: self.m,
            mode: self.mode,
            source_rows: RowNumbers::default(),
            ids: None,
            member: self.member.clone(),
            population: self.population.clone(),
            target_phi: Vec::new(),
            target_p: Vec::new(),
            ref_phi: Vec::new(),
            ref_p: self.ref_p.as_ref().map(|_| Vec::new()),
            ref_in: self.ref_in.clone(),
        }
    }

    /// Appends the records of `other` (a later part of the same file, whose rows were numbered
    /// from the part's start): row numbers move down by `rows_before`. `false` (and nothing
    /// appended) when the two do not have the same columns.
    pub fn append(&mut self, other: &ReferenceTable, rows_before: u64) -> bool {
        let same = self.m == other.m
            && self.mode == other.mode
            && self.ids.is_some() == other.ids.is_some()
            && self.population.is_some() == other.population.is_some()
            && self.ref_p.is_some() == other.ref_p.is_some();
        if !same {
            return false;
        }
        if let (Some(c), Some(o)) = (self.ids.as_mut(), other.ids.as_ref()) {
            if !c.append(o) {
                return false;
            }
        }
        self.source_rows
            .append_shifted(&other.source_rows, rows_before);
        self.member.append(&other.member);
        if let (Some(c), Some(o)) = (self.population.as_mut(), other.population.as_ref()) {
            c.extend_from_slice(o);
        }
        self.target_phi.extend_from_slice(&other.target_phi);
        self.target_p.extend_from_slice(&other.target_p);
        self.ref_phi.extend_from_slice(&other.ref_phi);
        if let (Some(c), Some(o)) = (self.ref_p.as_mut(), other.ref_p.as_ref()) {
            c.extend_from_slice(o);
        }
        self.ref_in.extend_from_slice(&other.ref_in);
        true
    }

    /// Members and non-members.
    pub fn class_counts(&self) -> (u64, u64) {
        let n_members = self.member.n_members();
        (n_members, self.member.n_records() as u64 - n_members)
    }
}
