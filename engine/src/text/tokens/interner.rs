//! Tokens as dense ids: an interner gives every distinct token a `u32`, so that the set, n-gram
//! and LCS figures compare integers. The audit clears it between pairs, so that its table stays
//! small and in cache. The table is open addressing; each slot holds a token's first 8 bytes,
//! its length and its id, so that a token of at most 8 bytes (most words) is found, and kept,
//! without anything else; a longer one is compared in full with its copy in an arena.

const EMPTY: u64 = u64::MAX;
const K: u64 = 0x9E37_79B9_7F4A_7C15;
/// The table's smallest size.
const MIN_SLOTS: usize = 1024;

/// A token's first 8 bytes (little-endian, zero after its end), its length and id (`EMPTY`
/// when the slot is free).
#[derive(Clone, Copy)]
struct Slot {
    head: u64,
    len_id: u64,
}

const FREE: Slot = Slot {
    head: 0,
    len_id: EMPTY,
};

/// Distinct tokens and their ids (`0..len`, in order of first appearance).
pub(crate) struct Interner {
    slots: Vec<Slot>,
    /// Per id: its first 8 bytes, length, and where the rest starts in `rest`.
    ids: Vec<(u64, u32, u32)>,
    /// The bytes after the first 8 of the longer tokens.
    rest: Vec<u8>,
}

impl Default for Interner {
    fn default() -> Self {
        Interner {
            slots: vec![FREE; MIN_SLOTS],
            ids: Vec::new(),
            rest: Vec::new(),
        }
    }
}

/// The first 8 bytes of `token`, little-endian, zero after its end.
#[inline(always)]
pub(crate) fn head(token: &[u8]) -> u64 {
    if let Some(first) = token.first_chunk::<8>() {
        return u64::from_le_bytes(*first);
    }
    let mut w = 0u64;
    for (i, &b) in token.iter().enumerate() {
        w |= u64::from(b) << (8 * i);
    }
    w
}

/// The hash of a token from its head, length and the bytes after its first 8 (its high bits,
/// which depend on every byte, choose the slot).
#[inline(always)]
fn hash(head: u64, len: usize, rest: &[u8]) -> u64 {
    let mut h = (head ^ (len as u64).rotate_right(5)).wrapping_mul(K);
    for c in rest.chunks(8) {
        h = (h.rotate_left(29) ^ self::head(c)).wrapping_mul(K);
    }
    h
}

impl Interner {
    /// How many distinct tokens there are (ids are below this).
    pub(crate) fn len(&self) -> usize {
        self.ids.len()
    }

    /// Forgets every token (ids start again from 0), keeping the buffers.
    pub(crate) fn clear(&mut self) {
        let size = (2 * self.len()).next_power_of_two().max(MIN_SLOTS);
        self.slots.clear();
        self.slots.resize(size, FREE);
        self.ids.clear();
        self.rest.clear();
    }

    /// The bytes after the first 8 of token `id`.
    fn rest_of(&self, id: u32) -> &[u8] {
        let (_, len, start) = self.ids[id as usize];
        let start = start as usize;
        &self.rest[start..start + (len as usize).saturating_sub(8)]
    }

    /// The bytes of token `id`.
    #[cfg(test)]
    pub(crate) fn token(&self, id: u32) -> Vec<u8> {
        let (head, len, _) = self.ids[id as usize];
        let mut t = head.to_le_bytes()[..(len as usize).min(8)].to_vec();
        t.extend_from_slice(self.rest_of(id));
        t
    }

    /// The id of `token`, new if it is new.
    pub(crate) fn intern(&mut self, token: &[u8]) -> u32 {
        self.intern_with_head(token, head(token))
    }

    /// The id of `token` whose first 8 bytes (little-endian, zero after its end) are `head`:
    /// a token of at most 8 bytes already met is found here, without a call.
    #[inline(always)]
    pub(crate) fn intern_with_head(&mut self, token: &[u8], head: u64) -> u32 {
        if token.len() > 8 {
            return self.intern_long(token, head);
        }
        let len_tag = (token.len() as u64) << 32;
        let (shift, mask) = (64 - self.slots.len().trailing_zeros(), self.slots.len() - 1);
        let mut i = (hash(head, token.len(), &[]) >> shift) as usize & mask;
        loop {
            let slot = self.slots[i];
            if slot.head == head && slot.len_id >> 32 << 32 == len_tag {
                return slot.len_id as u32;
            }
            if slot.len_id == EMPTY {
                return self.insert(i, token, head);
            }
            i = (i + 1) & mask;
        }
    }

    /// The id of `token`, longer than 8 bytes, whose first 8 are `head`.
    #[inline(never)]
    fn intern_long(&mut self, token: &[u8], head: u64) -> u32 {
        let rest = token.get(8..).unwrap_or(&[]);
        let h = hash(head, token.len(), rest);
        let len_tag = (token.len() as u64) << 32;
        let shift = 64 - self.slots.len().trailing_zeros();
        let mask = self.slots.len() - 1;
        let mut i = (h >> shift) as usize;
        loop {
            let slot = self.slots[i];
            if slot.len_id == EMPTY {
                break;
            }
            if slot.head == head
                && slot.len_id >> 32 << 32 == len_tag
                && self.rest_of(slot.len_id as u32) == rest
            {
                return slot.len_id as u32;
            }
            i = (i + 1) & mask;
        }
        self.insert(i, token, head)
    }

    /// Gives `token` (first 8 bytes `head`) the next id, in free slot `i`.
    #[inline(never)]
    fn insert(&mut self, i: usize, token: &[u8], head: u64) -> u32 {
        let id = self.ids.len() as u32;
        let start = u32::try_from(self.rest.len()).expect("under 4 GiB of distinct tokens");
        if let Some(rest) = token.get(8..) {
            self.rest.extend_from_slice(rest);
        }
        self.ids.push((head, token.len() as u32, start));
        self.slots[i] = Slot {
            head,
            len_id: (token.len() as u64) << 32 | u64::from(id),
        };
        if 2 * self.ids.len() > self.slots.len() {
            self.grow();
        }
        id
    }

    fn grow(&mut self) {
        self.slots = vec![FREE; self.slots.len() * 2];
        let shift = 64 - self.slots.len().trailing_zeros();
        let mask = self.slots.len() - 1;
        for id in 0..self.ids.len() as u32 {
            let (head, len, _) = self.ids[id as usize];
            let mut i = (hash(head, len as usize, self.rest_of(id)) >> shift) as usize;
            while self.slots[i].len_id != EMPTY {
                i = (i + 1) & mask;
            }
            self.slots[i] = Slot {
                head,
                len_id: u64::from(len) << 32 | u64::from(id),
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_tokens_share_an_id_and_others_do_not() {
        let mut t = Interner::default();
        // Short and long tokens, and ones that differ only past their first 8 bytes.
        let words: Vec<String> = (0..5000)
            .map(|i| match i % 3 {
                0 => format!("w{}", i % 1700),
                1 => format!("longer-token-{}", i % 1700),
                _ => format!("{}-the-same-start", i % 1700),
            })
            .collect();
        let ids: Vec<u32> = words.iter().map(|w| t.intern(w.as_bytes())).collect();
        let distinct: std::collections::HashSet<&String> = words.iter().collect();
        assert_eq!(t.len(), distinct.len());
        for (i, w) in words.iter().enumerate() {
            assert_eq!(t.token(ids[i]), w.as_bytes());
            assert_eq!(
                ids[i] == ids[(i + 5100) % 5000],
                *w == words[(i + 5100) % 5000]
            );
        }
        let n = t.len() as u32;
        assert_eq!(t.intern(b""), n);
        assert_eq!(t.intern("ς".as_bytes()), n + 1);
        assert_eq!(t.intern(b"a\0"), n + 2);
        assert_eq!(t.intern(b"a"), n + 3);
        assert_eq!(t.intern(b""), n);
        t.clear();
        assert_eq!(
            (t.intern(b"w5"), t.intern(b"w1"), t.intern(b"w5")),
            (0, 1, 0)
        );
        assert_eq!(t.len(), 2);
    }
}
