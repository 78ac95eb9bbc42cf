//! The seed design's tokens: `text.lower().split()` in Python. Lower-casing is Unicode's full
//! mapping with the final-sigma rule (Rust's `str::to_lowercase` and Python's `str.lower` both
//! follow it); splitting is on runs of Python's whitespace, which is Unicode's White_Space plus
//! the four ASCII separators U+001C..U+001F (`str.isspace`). Punctuation stays attached.

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
}
