//! The table of inline input keys ([`InputIds`](super::input_ids::InputIds)): open addressing with
//! linear probing, each slot holding a whole 33-byte key and its number, so a lookup reads one
//! slot (a hash table with separate control bytes reads two places), and a reader can
//! [`touch`](InlineTable::touch) the slots of a batch of rows first: those loads do not depend on
//! each other, so the processor waits for their cache misses together, and the lookups after them
//! find the slots in cache. Keys are compared in full: two keys share a number only when equal.

/// A key: its tag byte and its 32 bytes as little-endian words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Key {
    words: [u64; 4],
    tag: u8,
}

impl Key {
    #[inline(always)]
    fn of(key: &[u8; 33]) -> Key {
        let word = |i: usize| {
            let mut w = [0u8; 8];
            w.copy_from_slice(&key[1 + 8 * i..9 + 8 * i]);
            u64::from_le_bytes(w)
        };
        Key {
            words: [word(0), word(1), word(2), word(3)],
            tag: key[0],
        }
    }

    /// The hash whose high bits choose the slot (each multiply spreads a word's bits up).
    #[inline(always)]
    fn hash(&self) -> u64 {
        const K: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut h = u64::from(self.tag).wrapping_mul(K);
        for w in self.words {
            h = (h.rotate_left(26) ^ w).wrapping_mul(K);
        }
        h
    }
}

#[derive(Debug, Clone, Copy)]
struct Slot {
    key: Key,
    /// The key's number, or [`EMPTY`].
    id: u32,
}

/// The id of an empty slot (numbers stop below it: [`next_id`](super::input_ids::next_id)).
const EMPTY: u32 = u32::MAX;

const EMPTY_SLOT: Slot = Slot {
    key: Key {
        words: [0; 4],
        tag: 0,
    },
    id: EMPTY,
};

/// Inline keys and their numbers.
#[derive(Debug, Clone, Default)]
pub(super) struct InlineTable {
    /// A power of two of them (or none), at most 7/10 full.
    slots: Vec<Slot>,
    len: usize,
}

impl InlineTable {
    /// The first slot to probe for `key`.
    #[inline(always)]
    fn home(&self, key: &Key) -> usize {
        let bits = self.slots.len().trailing_zeros();
        (key.hash() >> (64 - bits)) as usize & (self.slots.len() - 1)
    }

    /// The number of `key`, if it has one.
    #[inline]
    pub(super) fn get(&self, key: &[u8; 33]) -> Option<u32> {
        if self.slots.is_empty() {
            return None;
        }
        let key = Key::of(key);
        let mask = self.slots.len() - 1;
        let mut i = self.home(&key);
        loop {
            let slot = &self.slots[i];
            if slot.id == EMPTY {
                return None;
            }
            if slot.key == key {
                return Some(slot.id);
            }
            i = (i + 1) & mask;
        }
    }

    /// Reads the first slot `key` would probe, and returns a word of it: for a batch of lookups,
    /// whose slots are then in cache (the caller keeps the words, so the loads happen).
    #[inline]
    pub(super) fn touch(&self, key: &[u8; 33]) -> u64 {
        if self.slots.is_empty() {
            return 0;
        }
        self.slots[self.home(&Key::of(key))].key.words[0]
    }

    /// Numbers `key`, which has no number yet, `id`.
    pub(super) fn insert(&mut self, key: &[u8; 33], id: u32) {
        if 10 * (self.len + 1) > 7 * self.slots.len() {
            self.grow();
        }
        let key = Key::of(key);
        let mask = self.slots.len() - 1;
        let mut i = self.home(&key);
        while self.slots[i].id != EMPTY {
            i = (i + 1) & mask;
        }
        self.slots[i] = Slot { key, id };
        self.len += 1;
    }

    /// Twice the slots (at least 64), every key moved to its place there.
    fn grow(&mut self) {
        let size = (2 * self.slots.len()).max(64);
        let old = std::mem::replace(&mut self.slots, vec![EMPTY_SLOT; size]);
        let mask = self.slots.len() - 1;
        for slot in old.into_iter().filter(|s| s.id != EMPTY) {
            let mut i = self.home(&slot.key);
            while self.slots[i].id != EMPTY {
                i = (i + 1) & mask;
            }
            self.slots[i] = slot;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_keeps_its_number_through_growth() {
        // Keys that differ in one byte anywhere, the tag included, and many alike.
        let mut table = InlineTable::default();
        assert_eq!(table.get(&[0; 33]), None);
        let key = |n: u32| {
            let mut k = [0u8; 33];
            k[(n % 33) as usize] = (n / 33 % 251) as u8 + 1;
            k[32 - (n / 8300 % 30) as usize] ^= (n / 8300) as u8;
            k
        };
        let mut want = std::collections::HashMap::new();
        for n in 0..20_000 {
            let k = key(n);
            if let std::collections::hash_map::Entry::Vacant(e) = want.entry(k) {
                assert_eq!(table.get(&k), None, "{n}");
                e.insert(n);
                table.insert(&k, n);
            }
            assert_eq!(table.get(&k), want.get(&k).copied(), "{n}");
        }
        for (k, &n) in &want {
            assert_eq!(table.get(k), Some(n));
            let _ = table.touch(k);
        }
        assert_eq!(table.len, want.len());
    }
}
