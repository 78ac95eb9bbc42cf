//! The spreadsheet row of each kept record, stored as the runs of consecutive rows: a file with
//! no skipped row costs one entry, not eight bytes per record.

use serde::{Deserialize, Serialize};

/// Row numbers that mostly count up by one: `(first record index, its row)` at each break.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowNumbers {
    len: usize,
    runs: Vec<(usize, u64)>,
}

impl RowNumbers {
    /// Appends the row of the next record.
    pub fn push(&mut self, row: u64) {
        if self.len == 0 || self.get(self.len - 1).wrapping_add(1) != row {
            self.runs.push((self.len, row));
        }
        self.len += 1;
    }

    /// Appends `other`'s rows, each `by` further down (the rows of a later part of a file).
    ///
    /// # Examples
    /// ```
    /// use mia_engine::table::row_numbers::RowNumbers;
    /// let mut a: RowNumbers = [2, 3, 5].into_iter().collect();
    /// let b: RowNumbers = [2, 3, 4].into_iter().collect();
    /// a.append_shifted(&b, 4);
    /// assert_eq!(a, [2, 3, 5, 6, 7, 8].into_iter().collect::<RowNumbers>());
    /// ```
    pub fn append_shifted(&mut self, other: &RowNumbers, by: u64) {
        for (k, &(start, row)) in other.runs.iter().enumerate() {
            let end = other.runs.get(k + 1).map_or(other.len, |&(s, _)| s);
            let row = row + by;
            if self.len == 0 || self.get(self.len - 1).wrapping_add(1) != row {
                self.runs.push((self.len, row));
            }
            self.len += end - start;
        }
    }

    /// The row of record `i`.
    ///
    /// # Examples
    /// ```
    /// let r: mia_engine::table::row_numbers::RowNumbers = [2, 3, 4, 9, 10].into_iter().collect();
    /// assert_eq!((0..5).map(|i| r.get(i)).collect::<Vec<_>>(), vec![2, 3, 4, 9, 10]);
    /// assert_eq!(r.to_vec(), vec![2, 3, 4, 9, 10]);
    /// ```
    pub fn get(&self, i: usize) -> u64 {
        let k = self.runs.partition_point(|&(start, _)| start <= i) - 1;
        let (start, row) = self.runs[k];
        row + (i - start) as u64
    }

    /// Number of records.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when there are no records.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Every row, in record order.
    pub fn to_vec(&self) -> Vec<u64> {
        (0..self.len).map(|i| self.get(i)).collect()
    }
}

impl FromIterator<u64> for RowNumbers {
    fn from_iter<I: IntoIterator<Item = u64>>(iter: I) -> Self {
        let mut r = RowNumbers::default();
        for row in iter {
            r.push(row);
        }
        r
    }
}
