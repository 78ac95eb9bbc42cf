//! The membership ground truth of an audit table, one bit per record (ten million records take
//! 1.25 MB), and the [`Membership`] view that figures read it through.

use serde::{Deserialize, Serialize};

/// One member flag per record, packed 64 to a word.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberFlags {
    words: Vec<u64>,
    len: usize,
}

impl MemberFlags {
    /// Appends the flag of the next record.
    pub fn push(&mut self, member: bool) {
        if self.len.is_multiple_of(64) {
            self.words.push(0);
        }
        if member {
            self.words[self.len / 64] |= 1 << (self.len % 64);
        }
        self.len += 1;
    }

    /// Makes room for `additional` more flags.
    pub fn reserve(&mut self, additional: usize) {
        self.words.reserve(additional.div_ceil(64));
    }

    /// Appends `other`'s flags.
    ///
    /// # Examples
    /// ```
    /// use mia_engine::table::member_flags::MemberFlags;
    /// let a: Vec<bool> = (0..70).map(|i| i % 3 == 0).collect();
    /// let b: Vec<bool> = (0..100).map(|i| i % 5 == 0).collect();
    /// let mut m = MemberFlags::from(a.clone());
    /// m.append(&MemberFlags::from(b.clone()));
    /// assert_eq!(m, MemberFlags::from([a, b].concat()));
    /// ```
    pub fn append(&mut self, other: &MemberFlags) {
        let shift = self.len % 64;
        if shift == 0 {
            self.words.extend_from_slice(&other.words);
        } else {
            self.words.reserve(other.words.len());
            for &w in &other.words {
                if let Some(last) = self.words.last_mut() {
                    *last |= w << shift;
                }
                self.words.push(w >> (64 - shift));
            }
        }
        self.len += other.len;
        // One word per 64 flags started, as `push` keeps it.
        self.words.truncate(self.len.div_ceil(64));
    }

    /// Whether record `i` is a member.
    ///
    /// # Examples
    /// ```
    /// use mia_engine::table::member_flags::MemberFlags;
    /// let m: MemberFlags = [true, false, true].into_iter().collect();
    /// assert_eq!((m.get(0), m.get(1), m.len(), m.n_members()), (true, false, 3, 2));
    /// assert_eq!(m, vec![true, false, true]);
    /// ```
    #[inline]
    pub fn get(&self, i: usize) -> bool {
        self.words[i / 64] >> (i % 64) & 1 == 1
    }

    /// Number of records.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when there are no records.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Number of members.
    pub fn n_members(&self) -> u64 {
        self.words.iter().map(|w| w.count_ones() as u64).sum()
    }

    /// The flags in record order.
    pub fn iter(&self) -> impl Iterator<Item = bool> + '_ {
        (0..self.len).map(|i| self.get(i))
    }

    /// The flags as one `bool` each, for code that takes a slice.
    pub fn to_vec(&self) -> Vec<bool> {
        self.iter().collect()
    }
}

impl FromIterator<bool> for MemberFlags {
    fn from_iter<I: IntoIterator<Item = bool>>(iter: I) -> Self {
        let mut m = MemberFlags::default();
        for b in iter {
            m.push(b);
        }
        m
    }
}

impl From<Vec<bool>> for MemberFlags {
    fn from(v: Vec<bool>) -> Self {
        v.into_iter().collect()
    }
}

impl PartialEq<Vec<bool>> for MemberFlags {
    fn eq(&self, other: &Vec<bool>) -> bool {
        self.len == other.len() && self.iter().zip(other).all(|(a, &b)| a == b)
    }
}

/// Per-record member flags, packed or one `bool` each.
pub trait Membership {
    /// Whether record `i` is a member.
    fn is_member(&self, i: usize) -> bool;
    /// Number of records.
    fn n_records(&self) -> usize;
}

impl Membership for [bool] {
    #[inline]
    fn is_member(&self, i: usize) -> bool {
        self[i]
    }
    fn n_records(&self) -> usize {
        self.len()
    }
}

impl<const N: usize> Membership for [bool; N] {
    #[inline]
    fn is_member(&self, i: usize) -> bool {
        self[i]
    }
    fn n_records(&self) -> usize {
        N
    }
}

impl Membership for Vec<bool> {
    #[inline]
    fn is_member(&self, i: usize) -> bool {
        self[i]
    }
    fn n_records(&self) -> usize {
        self.len()
    }
}

impl Membership for MemberFlags {
    #[inline]
    fn is_member(&self, i: usize) -> bool {
        self.get(i)
    }
    fn n_records(&self) -> usize {
        self.len
    }
}
