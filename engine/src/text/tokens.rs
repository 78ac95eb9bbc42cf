//! The seed design's tokens: `text.lower().split()` in Python. Lower-casing is Unicode's full
//! mapping with the final-sigma rule (Rust's `str::to_lowercase` and Python's `str.lower` both
//! follow it); splitting is on runs of Python's whitespace, which is Unicode's White_Space plus
//! the four ASCII separators U+001C..U+001F (`str.isspace`). Punctuation stays attached.
//!
//! The audit reads tokens as interned ids (`token_ids`): it splits first and lower-cases each
//! token, which gives the same tokens, because no whitespace character has a case mapping or is
//! the image of one, and whitespace is neither cased nor case-ignorable, so the final-sigma rule
//! sees the same context within a token as in the whole text.

mod interner;

use interner::head;
pub(crate) use interner::Interner;

/// A character Python's `str.split()` splits on.
pub fn is_python_whitespace(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// The seed's tokens of `text`.
pub fn tokens(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(is_python_whitespace)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

/// `text` without leading and trailing Python whitespace (`str.strip()`).
pub fn python_strip(text: &str) -> &str {
    text.trim_matches(is_python_whitespace)
}

/// The classes of bytes the tokenizer tells apart: Python's whitespace among ASCII (tab, line
/// feed, vertical tab, form feed, carriage return, U+001C..U+001F, space), ASCII upper case, and
/// the bytes of non-ASCII characters.
const SPACE: u8 = 1;
const UPPER: u8 = 2;
const HIGH: u8 = 4;
const CLASS: [u8; 256] = {
    let mut class = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        class[b] = match b as u8 {
            9..=13 | 0x1c..=0x20 => SPACE,
            b'A'..=b'Z' => UPPER,
            0x80..=0xff => HIGH,
            _ => 0,
        };
        b += 1;
    }
    class
};

/// The seed's tokens of `text` as ids of `interner`, into `out` (replaced); `lower` is a reused
/// buffer. The same tokens as [`tokens`]: an ASCII token is lower-cased byte by byte (up to 8
/// bytes in one word), any other with `str::to_lowercase`.
pub(crate) fn token_ids(
    text: &str,
    interner: &mut Interner,
    lower: &mut Vec<u8>,
    out: &mut Vec<u32>,
) {
    out.clear();
    let bytes = text.as_bytes();
    let n = bytes.len();
    let mut i = 0;
    loop {
        while i < n {
            let class = CLASS[bytes[i] as usize];
            if class & SPACE != 0 {
                i += 1;
            } else if class & HIGH != 0 {
                match space_at(text, i) {
                    Some(width) => i += width,
                    None => break,
                }
            } else {
                break;
            }
        }
        if i == n {
            return;
        }
        let start = i;
        // Most tokens: ASCII, shorter than 8 bytes, ended by ASCII whitespace within the 8 bytes
        // from their start, lower-cased in one word.
        if let Some(w) = bytes.get(start..start + 8) {
            let w = u64::from_le_bytes(w.try_into().expect("8 bytes"));
            let high = w & HIGHS;
            let stop = high | in_range(w, 9, 13) | in_range(w, 0x1c, 0x20);
            let first = stop & stop.wrapping_neg();
            if first != 0 && first & high == 0 {
                let len = (stop.trailing_zeros() / 8) as usize;
                let head = ascii_lowercase_word(w & (first >> 7).wrapping_sub(1));
                out.push(interner.intern_with_head(&head.to_le_bytes()[..len], head));
                i = start + len;
                continue;
            }
        }
        let (end, ascii, upper) = token_end(text, start);
        i = end;
        let token = &bytes[start..end];
        let id = if !ascii {
            interner.intern(text[start..end].to_lowercase().as_bytes())
        } else if token.len() <= 8 {
            // Lower-cased in one word, read past the token when the text goes on.
            let head = match bytes.get(start..start + 8) {
                Some(w) => {
                    let w = u64::from_le_bytes(w.try_into().expect("8 bytes"));
                    if token.len() == 8 {
                        w
                    } else {
                        w & ((1u64 << (8 * token.len())) - 1)
                    }
                }
                None => head(token),
            };
            let head = ascii_lowercase_word(head);
            interner.intern_with_head(&head.to_le_bytes()[..token.len()], head)
        } else if !upper {
            interner.intern(token)
        } else {
            lower.clear();
            lower.extend(token.iter().map(u8::to_ascii_lowercase));
            interner.intern(lower)
        };
        out.push(id);
    }
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x80 * ONES;

/// The high bit of each byte of `w` within `lo..=hi`, for the bytes below 0x80 up to the first
/// that is not (a byte below 0x80 plus at most 0x77 carries into no other).
#[inline(always)]
fn in_range(w: u64, lo: u8, hi: u8) -> u64 {
    let at_least = w.wrapping_add(u64::from(0x80 - lo) * ONES);
    let above = w.wrapping_add(u64::from(0x7f - hi) * ONES);
    at_least & !above & HIGHS
}

/// The end of the token that starts at byte `start` of `text`, whether it is all ASCII, and
/// whether it has ASCII upper case: 8 bytes at a time while they are ASCII and not whitespace,
/// then character by character from the first non-ASCII one.
fn token_end(text: &str, start: usize) -> (usize, bool, bool) {
    let bytes = text.as_bytes();
    let mut i = start;
    let mut upper = false;
    while let Some(w) = bytes.get(i..i + 8) {
        let w = u64::from_le_bytes(w.try_into().expect("8 bytes"));
        let high = w & HIGHS;
        let stop = high | in_range(w, 9, 13) | in_range(w, 0x1c, 0x20);
        // The bytes before the first stop.
        let before = (stop & stop.wrapping_neg()).wrapping_sub(1);
        upper |= in_range(w, b'A', b'Z') & before != 0;
        if stop == 0 {
            i += 8;
            continue;
        }
        i += (stop.trailing_zeros() / 8) as usize;
        if bytes[i] < 0x80 {
            // Whitespace.
            return (i, true, upper);
        }
        break;
    }
    let mut ascii = true;
    while i < bytes.len() {
        let class = CLASS[bytes[i] as usize];
        if class & SPACE != 0 {
            break;
        }
        if class & HIGH != 0 {
            if space_at(text, i).is_some() {
                break;
            }
            ascii = false;
            i += text[i..].chars().next().map_or(1, char::len_utf8);
        } else {
            upper |= class & UPPER != 0;
            i += 1;
        }
    }
    (i, ascii, upper)
}

/// `w`'s bytes (all ASCII) lower-cased: 0x20 added to those in `A..=Z`, all at once (no byte
/// carries into the next: each is below 0x80 and gets at most 0x3f).
fn ascii_lowercase_word(w: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let at_least_a = w + 0x3f * ONES;
    let past_z = w + 0x25 * ONES;
    let upper = at_least_a & !past_z & (0x80 * ONES);
    w | (upper >> 2)
}

/// The width of the character at byte `i` of `text` if it is Python whitespace.
#[inline]
fn space_at(text: &str, i: usize) -> Option<usize> {
    let b = text.as_bytes()[i];
    if b < 0x80 {
        return (CLASS[b as usize] & SPACE != 0).then_some(1);
    }
    let c = text[i..].chars().next().expect("a character starts here");
    is_python_whitespace(c).then(|| c.len_utf8())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_then_split_on_python_whitespace() {
        assert_eq!(
            tokens("Hello,  World!\tA\u{1c}B\u{3000}c\n"),
            ["hello,", "world!", "a", "b", "c"]
        );
        // Final sigma, as Python's lower() gives it.
        assert_eq!(tokens("ΣΟΦΟΣ"), ["σοφος"]);
        assert_eq!(tokens(" \t "), Vec::<String>::new());
        assert_eq!(python_strip("\u{1f} a b \u{85}"), "a b");
    }

    /// The tokens of `text` as the interner spells its ids.
    fn id_tokens(text: &str, interner: &mut Interner) -> Vec<String> {
        let (mut lower, mut ids) = (Vec::new(), Vec::new());
        token_ids(text, interner, &mut lower, &mut ids);
        ids.iter()
            .map(|&id| String::from_utf8(interner.token(id)).unwrap())
            .collect()
    }

    #[test]
    fn a_word_is_lower_cased_as_its_bytes() {
        for b in 0..128u8 {
            for pad in 0..8 {
                let mut bytes = [b'q'; 8];
                bytes[pad] = b;
                let w = u64::from_le_bytes(bytes);
                let want = u64::from_le_bytes(bytes.map(|x| x.to_ascii_lowercase()));
                assert_eq!(ascii_lowercase_word(w), want, "{b} at {pad}");
            }
        }
        assert_eq!(head(b"abc"), 0x63_62_61);
    }

    #[test]
    fn the_ids_are_the_tokens_on_random_texts() {
        // Pieces that stress the split-then-lower order: final sigma next to whitespace and to
        // case-ignorables (soft hyphen, apostrophe, combining mark), every kind of Python
        // whitespace, İ (which lower-cases to two code points), non-ASCII upper case.
        let pieces = [
            "Σ",
            "σ",
            "ς",
            "Α",
            "ΟΣ",
            "\u{ad}",
            "'",
            "\u{301}",
            "İ",
            "ẞ",
            "É",
            "é",
            "A",
            "b",
            "Z",
            ".",
            ",",
            "🙂",
            "👍🏽",
            "مرحبا",
            "日本",
            "ǅ",
            "Ⅻ",
            " ",
            "\t",
            "\n",
            "\r",
            "\u{b}",
            "\u{c}",
            "\u{1c}",
            "\u{1f}",
            "\u{85}",
            "\u{a0}",
            "\u{1680}",
            "\u{2003}",
            "\u{2028}",
            "\u{2029}",
            "\u{202f}",
            "\u{205f}",
            "\u{3000}",
            "\u{200b}",
            "\u{180e}",
            "\u{feff}",
            "x",
        ];
        let mut s = 11u64;
        let mut draw = |k: usize| {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (s >> 33) as usize % k
        };
        let mut interner = Interner::default();
        for case in 0..3000 {
            let len = draw(30);
            let text: String = (0..len).map(|_| pieces[draw(pieces.len())]).collect();
            assert_eq!(
                id_tokens(&text, &mut interner),
                tokens(&text),
                "case {case}: {text:?}"
            );
        }
        // Mostly ASCII, for the 8-byte words: tokens of every length and offset, whitespace
        // and upper case at each place in a word, a non-ASCII letter or space now and then.
        let ascii = [
            "a", "b", "Z", "Q", "@", "[", "`", "{", ".", "9", " ", " ", "\t", "\u{b}", "\u{1c}",
            "\u{1f}", "\u{20}", "\u{7f}", "\0", "é", "\u{a0}",
        ];
        for case in 0..5000 {
            let len = draw(60);
            let text: String = (0..len)
                .map(|_| {
                    // The last two (non-ASCII) one time in eight.
                    let rare = draw(8) == 0;
                    ascii[draw(ascii.len() - if rare { 0 } else { 2 })]
                })
                .collect();
            assert_eq!(
                id_tokens(&text, &mut interner),
                tokens(&text),
                "ascii case {case}: {text:?}"
            );
        }
        let text = "The ΣΟΦΟΣ sat.  ΟΔΟΣ\u{85}ὈΔΥΣΣΕΎΣ. ΣΑΣ'Σ";
        assert_eq!(id_tokens(text, &mut interner), tokens(text));
    }
}
