//! The characters of a pair of texts as dense symbols `0..sigma`, so that the edit distance and
//! the suffix automaton index small tables instead of hashing characters: ASCII characters are
//! their own symbols (0..128, so that ASCII runs are copied as they are), other code points get
//! 128, 129, … in order of first appearance, through a small open-addressing map reset per pair
//! in time proportional to what the pair used.

const NONE: u32 = u32::MAX;
/// The symbols below this are the ASCII characters themselves.
const ASCII: u32 = 128;

/// A code point's first slot in a table of `mask + 1` slots (the product's high bits).
fn slot(c: u32, mask: usize) -> usize {
    ((u64::from(c).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32) as usize) & mask
}

/// Reused buffers of the mapping.
pub(crate) struct Alphabet {
    /// Open addressing: (code point, symbol), `NONE` code point when empty.
    slots: Vec<(u32, u32)>,
    /// Slots in use, to reset them.
    used: Vec<u32>,
    /// The non-ASCII code points of the symbols from 128 on, in order.
    chars: Vec<u32>,
}

impl Default for Alphabet {
    fn default() -> Self {
        Alphabet {
            slots: vec![(NONE, 0); 64],
            used: Vec::new(),
            chars: Vec::new(),
        }
    }
}

impl Alphabet {
    /// Forgets the non-ASCII symbols (the next pair starts again from 128).
    pub(crate) fn reset(&mut self) {
        for &s in &self.used {
            self.slots[s as usize] = (NONE, 0);
        }
        self.chars.clear();
        self.used.clear();
    }

    /// How many symbols there are (every symbol is below this).
    pub(crate) fn sigma(&self) -> usize {
        ASCII as usize + self.chars.len()
    }

    /// Replaces `out` with the symbols of `text`'s characters, adding new ones.
    pub(crate) fn encode(&mut self, text: &str, out: &mut Vec<u32>) {
        // At most one symbol a byte: written in place, then cut to the count.
        out.clear();
        out.resize(text.len(), 0);
        let bytes = text.as_bytes();
        let (mut i, mut o) = (0, 0);
        while i < bytes.len() {
            // ASCII 8 bytes at a time, then byte by byte to the next other character.
            while let (Some(w), Some(to)) = (bytes.get(i..i + 8), out.get_mut(o..o + 8)) {
                let w = u64::from_le_bytes(w.try_into().expect("8 bytes"));
                if w & 0x8080_8080_8080_8080 != 0 {
                    break;
                }
                for (k, s) in to.iter_mut().enumerate() {
                    *s = (w >> (8 * k)) as u32 & 0xff;
                }
                (i, o) = (i + 8, o + 8);
            }
            let run = bytes[i..].iter().take_while(|b| b.is_ascii()).count();
            for (s, &b) in out[o..o + run].iter_mut().zip(&bytes[i..i + run]) {
                *s = u32::from(b);
            }
            (i, o) = (i + run, o + run);
            if let Some(c) = text[i..].chars().next() {
                out[o] = self.symbol(c);
                (i, o) = (i + c.len_utf8(), o + 1);
            }
        }
        out.truncate(o);
    }

    /// Replaces `out` with the symbols of `text`.
    pub(crate) fn encode_chars(&mut self, text: &[char], out: &mut Vec<u32>) {
        out.clear();
        out.extend(text.iter().map(|&c| self.symbol(c)));
    }

    #[inline(always)]
    fn symbol(&mut self, c: char) -> u32 {
        let c = c as u32;
        if c < ASCII {
            return c;
        }
        let mask = self.slots.len() - 1;
        let mut i = slot(c, mask);
        loop {
            let (k, v) = self.slots[i];
            if k == c {
                return v;
            }
            if k == NONE {
                break;
            }
            i = (i + 1) & mask;
        }
        let s = ASCII + self.chars.len() as u32;
        self.chars.push(c);
        self.slots[i] = (c, s);
        self.used.push(i as u32);
        if 2 * self.used.len() > self.slots.len() {
            self.grow();
        }
        s
    }

    fn grow(&mut self) {
        let old: Vec<(u32, u32)> = self.used.iter().map(|&s| self.slots[s as usize]).collect();
        self.slots = vec![(NONE, 0); self.slots.len() * 2];
        self.used.clear();
        let mask = self.slots.len() - 1;
        for (c, s) in old {
            let mut i = slot(c, mask);
            while self.slots[i].0 != NONE {
                i = (i + 1) & mask;
            }
            self.slots[i] = (c, s);
            self.used.push(i as u32);
        }
    }
}
