//! Input hashes numbered while a log is read, exactly (two inputs share a number only when their
//! text is equal), with the lookup of the common forms inside the hash table itself.
//!
//! A log names its inputs by hashes, most often lower-case hex (64 digits for SHA-256; the
//! `input` column's own digests are kept as their 32 bytes). Looking up a text stored behind a
//! pointer costs a cache miss per row on a log with many distinct inputs; here a lower-case hex
//! text of up to 64 digits (an even number) is stored decoded, and any other text of up to 32
//! bytes as it is, both in a 33-byte key held in the table. Only longer texts are stored behind
//! a pointer. Each text has exactly one key: a tag byte tells decoded hex (with its length) from
//! raw bytes (with theirs), and lower-case hex decodes one way.
//!
//! A reader looks its rows' keys up a batch at a time ([`QueryLogRead`](super::QueryLogRead)):
//! lookups of different rows do not depend on each other, so the processor overlaps their cache
//! misses.

use super::error::MonitorError;
use super::fast_hash::FxHashMap;
use super::input_table::InlineTable;

/// The tag bit of a key holding decoded hex.
const HEX: u8 = 0x80;

/// Input hashes and their numbers.
#[derive(Debug, Default)]
pub struct InputIds {
    inline: InlineTable,
    long: FxHashMap<Box<[u8]>, u32>,
    names: Names,
}

/// Texts by number, in one buffer (a log can have millions of distinct inputs).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Names {
    text: String,
    /// Where each text ends in `text`.
    ends: Vec<usize>,
}

impl Names {
    /// The text numbered `id` (empty past the last).
    pub fn get(&self, id: u32) -> &str {
        let i = id as usize;
        let Some(&end) = self.ends.get(i) else {
            return "";
        };
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        self.text.get(start..end).unwrap_or_default()
    }

    /// Texts held.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// True when no text is held.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    fn push(&mut self, text: &str) {
        self.text.push_str(text);
        self.ends.push(self.text.len());
    }
}

/// An input hash as looked up: inline (decoded hex, or up to 32 bytes) or, if longer, as it is.
/// Made by [`InputKey::of`] or [`InputKey::of_digest`]; its text is UTF-8.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputKey {
    Inline([u8; 33]),
    Long(Box<[u8]>),
}

/// The value of each byte as a lower-case hex digit; 0x80 for any other byte.
static HEX_VALUE: [u8; 256] = {
    let mut t = [0x80u8; 256];
    let mut c = 0;
    while c < 10 {
        t[b'0' as usize + c] = c as u8;
        c += 1;
    }
    let mut c = 0;
    while c < 6 {
        t[b'a' as usize + c] = 10 + c as u8;
        c += 1;
    }
    t
};

/// The four bytes that eight lower-case hex digits (`word`, little-endian: the first digit in
/// the low byte) spell, and whether all eight are such digits (the bytes are then meaningless
/// if not). A SWAR form of [`HEX_VALUE`]: each byte's range checks are additions whose carry
/// lands in the byte's top bit, which cannot spill into the next byte once every top bit is
/// known clear.
#[inline]
fn eight_hex_digits(word: u64) -> ([u8; 4], bool) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const TOPS: u64 = 0x8080_8080_8080_8080;
    let at_least = |c: u64| word.wrapping_add((0x80 - c) * ONES) & TOPS;
    let above = |c: u64| word.wrapping_add((0x7f - c) * ONES) & TOPS;
    let digit = at_least(0x30) & !above(0x39);
    let letter = at_least(0x61) & !above(0x66);
    let ok = word & TOPS == 0 && digit | letter == TOPS;
    // Each byte's value (0-15): its low nibble, plus 9 for a letter ('a' = 0x61 -> 1 + 9).
    let value = (word & 0x0f0f_0f0f_0f0f_0f0f) + (letter >> 7) * 9;
    // Byte 2i becomes digit 2i's value * 16 + digit 2i+1's; the odd bytes are dropped.
    let pairs = ((value << 4) | (value >> 8)) & 0x00ff_00ff_00ff_00ff;
    let pairs = (pairs | pairs >> 8) & 0x0000_ffff_0000_ffff;
    let pairs = (pairs | pairs >> 16) as u32;
    (pairs.to_le_bytes(), ok)
}

/// Decodes the lower-case hex digits `text` (an even number) by [`HEX_VALUE`], a pair at a time,
/// into `out`; `false` when one is not such a digit (`out` is then meaningless).
#[inline]
fn hex_pairs_into(text: &[u8], out: &mut [u8]) -> bool {
    let mut bad = 0u8;
    for (o, pair) in out.iter_mut().zip(text.chunks_exact(2)) {
        let (a, b) = (
            HEX_VALUE[usize::from(pair[0])],
            HEX_VALUE[usize::from(pair[1])],
        );
        bad |= a | b;
        *o = (a & 15) << 4 | (b & 15);
    }
    bad & 0x80 == 0
}

/// The inline key of `text`, if it has one.
#[inline]
fn inline_key(text: &[u8]) -> Option<[u8; 33]> {
    let mut key = [0u8; 33];
    let n = text.len();
    if n <= 64 && n.is_multiple_of(2) {
        // Eight digits at a time, then the rest (fewer than eight) one pair at a time.
        let words = text.chunks_exact(8);
        let rest = words.remainder();
        let whole = n - rest.len();
        let mut all_hex = true;
        for (out, word) in key[1..].chunks_exact_mut(4).zip(words) {
            let (bytes, ok) =
                eight_hex_digits(u64::from_le_bytes(word.try_into().unwrap_or_default()));
            out.copy_from_slice(&bytes);
            all_hex &= ok;
        }
        all_hex &= hex_pairs_into(rest, &mut key[1 + whole / 2..]);
        if all_hex {
            key[0] = HEX | (n / 2) as u8;
            return Some(key);
        }
    }
    if n <= 32 {
        key = [0u8; 33];
        key[0] = n as u8;
        key[1..=n].copy_from_slice(text);
        return Some(key);
    }
    None
}

impl InputKey {
    /// The key of the input hash `text` (row `row`), which must be UTF-8.
    #[inline]
    pub fn of(text: &[u8], row: u64) -> Result<InputKey, MonitorError> {
        let key = inline_key(text);
        let hex = key.is_some_and(|k| k[0] & HEX != 0);
        if !hex && std::str::from_utf8(text).is_err() {
            return Err(MonitorError::NotUtf8 {
                row,
                column: "input_hash".to_string(),
            });
        }
        Ok(match key {
            Some(k) => InputKey::Inline(k),
            None => InputKey::Long(text.into()),
        })
    }

    /// The key of the input whose SHA-256 is `digest` (its hash is the digest in hex).
    #[inline]
    pub fn of_digest(digest: &[u8; 32]) -> InputKey {
        let mut key = [0u8; 33];
        key[0] = HEX | 32;
        key[1..].copy_from_slice(digest);
        InputKey::Inline(key)
    }

    /// Appends the input hash as text to `names`.
    fn push_text(&self, names: &mut Names) {
        let mut buf = [0u8; 64];
        let text = match self {
            InputKey::Inline(k) if k[0] & HEX != 0 => {
                hex_into(&k[1..=usize::from(k[0] & !HEX)], &mut buf)
            }
            InputKey::Inline(k) => &k[1..=usize::from(k[0])],
            InputKey::Long(text) => text,
        };
        // UTF-8: hex digits, or a text checked by `InputKey::of`.
        names.push(std::str::from_utf8(text).unwrap_or_default());
    }
}

impl InputIds {
    /// The number of `key`, numbering it if new (row `row`: an error past 2³² − 1 inputs).
    #[inline]
    pub fn id(&mut self, key: &InputKey, row: u64) -> Result<u32, MonitorError> {
        if let Some(id) = self.find(key) {
            return Ok(id);
        }
        let id = next_id(self.names.len(), row, "inputs")?;
        match key {
            InputKey::Inline(k) => self.inline.insert(k, id),
            InputKey::Long(text) => {
                self.long.insert(text.clone(), id);
            }
        }
        key.push_text(&mut self.names);
        Ok(id)
    }

    /// The number of `key`, if numbered.
    #[inline]
    pub(super) fn find(&self, key: &InputKey) -> Option<u32> {
        match key {
            InputKey::Inline(k) => self.inline.get(k),
            InputKey::Long(text) => self.long.get(text).copied(),
        }
    }

    /// Reads where `key` would be (see [`InlineTable::touch`]): touching a batch of keys
    /// before looking them up overlaps their cache misses.
    #[inline]
    pub(super) fn touch(&self, key: &InputKey) -> u64 {
        match key {
            InputKey::Inline(k) => self.inline.touch(k),
            InputKey::Long(_) => 0,
        }
    }

    /// Numbers `text`, known to be new, without indexing it: for the last inputs numbered
    /// (by [`find`](Self::find) and this), never looked up again. Used by the native reader in
    /// parts.
    #[cfg(not(target_arch = "wasm32"))]
    pub(super) fn push_unindexed(&mut self, text: &str, row: u64) -> Result<u32, MonitorError> {
        let id = next_id(self.names.len(), row, "inputs")?;
        self.names.push(text);
        Ok(id)
    }

    /// The hashes by number.
    pub fn into_names(self) -> Names {
        self.names
    }
}

/// The number after `len` numbered names; an error at row `row` past 2³² − 1 `what`.
pub(super) fn next_id(len: usize, row: u64, what: &str) -> Result<u32, MonitorError> {
    u32::try_from(len)
        .ok()
        .filter(|&id| id < u32::MAX)
        .ok_or_else(|| MonitorError::TooMany {
            row,
            what: what.to_string(),
        })
}

/// Up to 32 bytes as lower-case hex digits, written into `buf`.
fn hex_into<'a>(bytes: &[u8], buf: &'a mut [u8; 64]) -> &'a [u8] {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let n = bytes.len().min(32);
    for (pair, b) in buf.chunks_exact_mut(2).zip(&bytes[..n]) {
        pair[0] = DIGITS[usize::from(b >> 4)];
        pair[1] = DIGITS[usize::from(b & 15)];
    }
    &buf[..2 * n]
}

/// Up to 32 bytes as lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    let mut buf = [0u8; 64];
    String::from_utf8_lossy(hex_into(bytes, &mut buf)).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_draw::Draw;

    /// Eight digits by the table, a pair at a time: what [`eight_hex_digits`] must give.
    fn by_table(word: [u8; 8]) -> ([u8; 4], bool) {
        let mut out = [0u8; 4];
        let ok = hex_pairs_into(&word, &mut out);
        (out, ok)
    }

    #[test]
    fn eight_digits_at_once_agree_with_the_table() {
        let check = |word: [u8; 8]| {
            let (bytes, ok) = eight_hex_digits(u64::from_le_bytes(word));
            let (want, want_ok) = by_table(word);
            assert_eq!(ok, want_ok, "{word:?}");
            if ok {
                assert_eq!(bytes, want, "{word:?}");
            }
        };
        // Every byte value at every position, among valid digits (the neighbours of a byte with
        // its top bit set, or of one next to a range's edge, must be judged alone).
        let digits = b"0123456789abcdef";
        for pos in 0..8 {
            for b in 0..=255u8 {
                for fill in [b'0', b'9', b'a', b'f'] {
                    let mut w = [fill; 8];
                    w[pos] = b;
                    check(w);
                }
            }
        }
        // Random words: mostly digits, now and then any byte.
        let mut draw = Draw(11);
        for _ in 0..200_000 {
            let mut w = [0u8; 8];
            for b in &mut w {
                *b = if draw.below(10) == 0 {
                    draw.below(256) as u8
                } else {
                    digits[draw.below(16)]
                };
            }
            check(w);
        }
    }

    #[test]
    fn hex_keys_of_every_even_length_decode_as_before() {
        let mut draw = Draw(5);
        for n in (0..=64).step_by(2) {
            for _ in 0..50 {
                let text: Vec<u8> = (0..n)
                    .map(|_| b"0123456789abcdefA"[draw.below(17)])
                    .collect();
                let key = inline_key(&text);
                let all_hex = text.iter().all(|&c| HEX_VALUE[usize::from(c)] < 16);
                match key {
                    Some(k) if k[0] & HEX != 0 => {
                        assert!(all_hex);
                        let mut buf = [0u8; 64];
                        assert_eq!(hex_into(&k[1..=n / 2], &mut buf), &text[..]);
                    }
                    _ => assert!(!all_hex, "{text:?}"),
                }
            }
        }
    }

    #[test]
    fn equal_texts_and_only_they_share_a_number() {
        let mut ids = InputIds::default();
        let texts: [&[u8]; 10] = [
            b"",
            b"00",
            b"0",
            b"ab",
            b"AB",
            b"abc",
            b"\x01ab",
            b"h1",
            b"a-much-longer-input-hash-than-thirty-two-bytes",
            b"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        ];
        let mut id = |t: &[u8]| ids.id(&InputKey::of(t, 2).unwrap(), 2).unwrap();
        let first: Vec<u32> = texts.iter().map(|t| id(t)).collect();
        assert_eq!(first, (0..10).collect::<Vec<u32>>());
        let again: Vec<u32> = texts.iter().map(|t| id(t)).collect();
        assert_eq!(again, first);
        let digest = [0xab; 32];
        let d = ids.id(&InputKey::of_digest(&digest), 4).unwrap();
        assert_eq!(
            ids.id(&InputKey::of(hex(&digest).as_bytes(), 5).unwrap(), 5)
                .unwrap(),
            d
        );
        assert!(InputKey::of(b"\xff", 6).is_err());
        let names = ids.into_names();
        let got: Vec<&[u8]> = (0..10).map(|i| names.get(i).as_bytes()).collect();
        assert_eq!(got, texts);
        assert_eq!((names.len(), names.get(99)), (11, ""));
    }
}
