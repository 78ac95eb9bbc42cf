//! The prompt builder: the seed design's cut of a text into prefixes and true continuations
//! (`detect_verbatim_memorization`), for the user to run their own model offline. For each prefix
//! length p (50, 100, 200 and 300 characters by default), the prompt is the text's first p
//! characters and the reference the next 300; a prefix length is skipped when the text has fewer
//! than p + 100 characters. Characters are Unicode code points, as Python's slicing counts them.

use serde::{Deserialize, Serialize};

/// The seed's prefix lengths, in characters.
pub const PREFIX_LENGTHS: [usize; 4] = [50, 100, 200, 300];
/// The continuation's length, in characters.
pub const CONTINUATION: usize = 300;
/// A prefix length is used only when the text has at least this many characters after it.
pub const MIN_AFTER_PREFIX: usize = 100;

/// One prompt: the prefix to give the model and the continuation it should not reproduce.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Prompt {
    pub id: String,
    pub prefix_length: usize,
    pub prompt: String,
    pub reference: String,
}

/// The prompts of text `id` at each of `prefix_lengths` the text is long enough for.
pub fn prompts_of(id: &str, text: &str, prefix_lengths: &[usize]) -> Vec<Prompt> {
    let chars: Vec<char> = text.chars().collect();
    prefix_lengths
        .iter()
        .filter(|&&p| chars.len() >= p + MIN_AFTER_PREFIX)
        .map(|&p| Prompt {
            id: id.to_string(),
            prefix_length: p,
            prompt: chars[..p].iter().collect(),
            reference: chars[p..(p + CONTINUATION).min(chars.len())]
                .iter()
                .collect(),
        })
        .collect()
}

/// The prompts as CSV (`id,prefix_length,prompt,reference`), with a `model_output` column left
/// empty for the user's model to fill.
pub fn prompts_csv(prompts: &[Prompt]) -> String {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    let _ = w.write_record(["id", "prefix_length", "prompt", "reference", "model_output"]);
    for p in prompts {
        let _ = w.write_record([
            p.id.as_str(),
            &p.prefix_length.to_string(),
            &p.prompt,
            &p.reference,
            "",
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_and_continuations_are_cut_as_the_seed_cuts_them() {
        // 420 characters, the first of them two-byte: prefix 300 needs 400, so it is kept;
        // a 399-character text keeps only 50, 100 and 200.
        let text: String = std::iter::once('é')
            .chain((1..420).map(|i| char::from(b'a' + (i % 26) as u8)))
            .collect();
        let p = prompts_of("t1", &text, &PREFIX_LENGTHS);
        assert_eq!(
            p.iter().map(|p| p.prefix_length).collect::<Vec<_>>(),
            [50, 100, 200, 300]
        );
        assert_eq!(p[0].prompt.chars().count(), 50);
        assert!(p[0].prompt.starts_with('é'));
        assert_eq!(p[0].reference.chars().count(), 300);
        assert_eq!(p[3].reference.chars().count(), 120);
        let short: String = text.chars().take(399).collect();
        assert_eq!(prompts_of("t2", &short, &PREFIX_LENGTHS).len(), 3);
        let csv = prompts_csv(&p[..1]);
        assert!(csv.starts_with("id,prefix_length,prompt,reference,model_output\nt1,50,é"));
        assert!(csv.trim_end().ends_with(','));
    }
}
