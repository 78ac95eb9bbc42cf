//! A window of a long text around a span (the longest common substring of a pair), for showing
//! the span highlighted without sending or drawing a whole megabyte. Positions are in characters
//! (Unicode code points), as the extraction metrics count them.

use serde::{Deserialize, Serialize};

/// A text's window: what comes before the span, the span, what comes after, and whether the
/// text goes on beyond each end.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Excerpt {
    pub before: String,
    pub span: String,
    pub after: String,
    pub cut_before: bool,
    pub cut_after: bool,
}

/// The window of at most `width` characters of `text` around the span of `len` characters at
/// `at`, the context shared between both sides; a span longer than the window is cut at its end.
///
/// # Examples
/// ```
/// use mia_engine::text::excerpt::excerpt;
/// let e = excerpt("abcdefghij", 4, 2, 6);
/// assert_eq!((e.before.as_str(), e.span.as_str(), e.after.as_str()), ("cd", "ef", "gh"));
/// assert!(e.cut_before && e.cut_after);
/// ```
pub fn excerpt(text: &str, at: usize, len: usize, width: usize) -> Excerpt {
    let chars: Vec<char> = text.chars().collect();
    let n = chars.len();
    let at = at.min(n);
    let len = len.min(n - at);
    let shown_span = len.min(width);
    let context = width - shown_span;
    // Half the context before the span; what one side cannot use goes to the other.
    let mut start = at.saturating_sub(context / 2);
    let mut end = (at + shown_span + (context - (at - start))).min(n);
    if end - start < width {
        start = start.saturating_sub(width - (end - start));
        end = (start + width).min(n);
    }
    let end = end.max(at + shown_span);
    let take = |a: usize, b: usize| chars[a..b.max(a)].iter().collect::<String>();
    Excerpt {
        before: take(start, at),
        span: take(at, at + shown_span),
        after: take(at + shown_span, end),
        cut_before: start > 0,
        cut_after: end < n,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_holds_the_span_and_uses_all_its_width() {
        let t = "0123456789";
        let e = excerpt(t, 0, 2, 6);
        assert_eq!(
            (e.before.as_str(), e.span.as_str(), e.after.as_str()),
            ("", "01", "2345")
        );
        assert!(!e.cut_before && e.cut_after);
        let e = excerpt(t, 8, 2, 6);
        assert_eq!(
            (e.before.as_str(), e.span.as_str(), e.after.as_str()),
            ("4567", "89", "")
        );
        let e = excerpt(t, 2, 8, 4);
        assert_eq!(
            (e.before.as_str(), e.span.as_str(), e.after.as_str()),
            ("", "2345", "")
        );
        assert!(e.cut_before && e.cut_after);
        let e = excerpt("ab😀dé", 2, 1, 100);
        assert_eq!(
            (e.before.as_str(), e.span.as_str(), e.after.as_str()),
            ("ab", "😀", "dé")
        );
        assert_eq!(excerpt("", 5, 3, 10), Excerpt::default());
        let e = excerpt(t, 3, 0, 4);
        assert_eq!(e.before.chars().count() + e.after.chars().count(), 4);
    }
}
