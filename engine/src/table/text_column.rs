//! A column of short texts (record ids) held in one buffer: a few bytes per record instead of a
//! heap allocation each, which is what lets ten million ids fit in a browser tab.

use serde::{Deserialize, Serialize};

/// Texts stored end to end in one `String`, with the end offset of each.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextColumn {
    text: String,
    ends: Vec<u32>,
}

impl TextColumn {
    /// Appends `s`. Returns `false` (and appends nothing) once the column would exceed 4 GiB.
    pub fn push(&mut self, s: &str) -> bool {
        let Ok(end) = u32::try_from(self.text.len() + s.len()) else {
            return false;
        };
        self.text.push_str(s);
        self.ends.push(end);
        true
    }

    /// Makes room for `additional` more texts of `text_bytes` bytes in all.
    pub fn reserve(&mut self, additional: usize, text_bytes: usize) {
        self.ends.reserve(additional);
        self.text.reserve(text_bytes);
    }

    /// Appends `other`'s texts; `false` (and nothing appended) if the text would pass 4 GiB.
    ///
    /// # Examples
    /// ```
    /// use mia_engine::table::text_column::TextColumn;
    /// let mut a: TextColumn = ["x", "yz"].into_iter().collect();
    /// assert!(a.append(&["", "w"].into_iter().collect()));
    /// assert_eq!(a.to_vec(), ["x", "yz", "", "w"]);
    /// ```
    pub fn append(&mut self, other: &TextColumn) -> bool {
        let Ok(shift) = u32::try_from(self.text.len()) else {
            return false;
        };
        if u32::try_from(self.text.len() + other.text.len()).is_err() {
            return false;
        }
        self.text.push_str(&other.text);
        self.ends.extend(other.ends.iter().map(|&e| e + shift));
        true
    }

    /// Bytes of text held.
    pub fn text_len(&self) -> usize {
        self.text.len()
    }

    /// Text `i`.
    ///
    /// # Examples
    /// ```
    /// let c: mia_engine::table::text_column::TextColumn = ["a", "", "bc"].into_iter().collect();
    /// assert_eq!((c.get(0), c.get(1), c.get(2), c.len()), ("a", "", "bc", 3));
    /// ```
    pub fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.text[start..self.ends[i] as usize]
    }

    /// Number of texts.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// True when there are no texts.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The texts in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.len()).map(|i| self.get(i))
    }

    /// The texts as owned strings.
    pub fn to_vec(&self) -> Vec<String> {
        self.iter().map(str::to_string).collect()
    }
}

impl<S: AsRef<str>> FromIterator<S> for TextColumn {
    fn from_iter<I: IntoIterator<Item = S>>(iter: I) -> Self {
        let mut c = TextColumn::default();
        for s in iter {
            c.push(s.as_ref());
        }
        c
    }
}
