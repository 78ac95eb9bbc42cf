//! The prompt builder: the seed design's cut of a text into prefixes and true continuations
//! (`detect_verbatim_memorization`), for the user to run their own model offline. For each prefix
//! length p (50, 100, 200 and 300 characters by default), the prompt is the text's first p
//! characters and the reference the next 300; a prefix length is skipped when the text has fewer
//! than p + 100 characters. Characters are Unicode code points, as Python's slicing counts them.

use serde::{Deserialize, Serialize};

use super::csv_file::{CsvFile, CsvProblem};

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

/// One text of a texts file (`id, text`, optional `member` 1/0).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceText {
    /// The file's row (the header is row 1).
    pub row: u64,
    pub id: String,
    pub text: String,
    pub member: Option<bool>,
}

/// Reads a texts file; `Err` names the file, row and column.
pub fn read_texts(name: &str, bytes: &[u8]) -> Result<Vec<SourceText>, String> {
    let csv_error = |(row, message): CsvProblem| format!("{name}, row {row}: {message}");
    let mut file = CsvFile::open(bytes).map_err(csv_error)?;
    let need = |c: &str| {
        file.column(c).ok_or_else(|| {
            format!(
                "{name}: no `{c}` column. A texts file needs id and text (optional member); its header has {}.",
                file.header_list()
            )
        })
    };
    let (id_c, text_c) = (need("id")?, need("text")?);
    let member_c = file.column("member");
    let mut out: Vec<SourceText> = Vec::new();
    let mut seen: std::collections::HashMap<String, u64> = std::collections::HashMap::new();
    for record in file.records() {
        let (row, record) = record.map_err(csv_error)?;
        let field = |i: usize| record.get(i).unwrap_or("");
        let at =
            |column: &str, what: String| format!("{name}, row {row}, column `{column}`: {what}");
        let id = field(id_c).trim().to_string();
        if id.is_empty() {
            return Err(at("id", "empty: each text needs an id.".into()));
        }
        if let Some(first) = seen.insert(id.clone(), row) {
            return Err(at(
                "id",
                format!("`{id}` is also the id of row {first}; give each text its own id."),
            ));
        }
        let member = match member_c.map(|c| field(c).trim()) {
            None | Some("") => None,
            Some("1" | "true") => Some(true),
            Some("0" | "false") => Some(false),
            Some(v) => return Err(at("member", format!("`{v}` is not 1 or 0."))),
        };
        out.push(SourceText {
            row,
            id,
            text: field(text_c).to_string(),
            member,
        });
    }
    if out.is_empty() {
        return Err(format!("{name}: no texts after the header."));
    }
    Ok(out)
}

/// Texts pasted as plain paragraphs (separated by blank lines), numbered `p1`, `p2`, … in order;
/// `row` is the paragraph's number.
pub fn texts_from_paragraphs(pasted: &str) -> Vec<SourceText> {
    let mut out = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let flush = |current: &mut Vec<&str>, out: &mut Vec<SourceText>| {
        if !current.is_empty() {
            let n = out.len() + 1;
            out.push(SourceText {
                row: n as u64,
                id: format!("p{n}"),
                text: current.join("\n"),
                member: None,
            });
            current.clear();
        }
    };
    for line in pasted.lines() {
        if line.trim().is_empty() {
            flush(&mut current, &mut out);
        } else {
            current.push(line);
        }
    }
    flush(&mut current, &mut out);
    out
}

/// The prompt builder's result: every prompt, and the texts too short for any prefix length.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PromptBook {
    pub texts: usize,
    pub prefix_lengths: Vec<usize>,
    pub prompts: Vec<Prompt>,
    /// (id, row, length in characters) of each text with no prompt.
    pub too_short: Vec<(String, u64, usize)>,
}

impl PromptBook {
    /// The prompts of `texts` at `prefix_lengths`.
    pub fn of(texts: &[SourceText], prefix_lengths: &[usize]) -> PromptBook {
        let mut prompts = Vec::new();
        let mut too_short = Vec::new();
        for t in texts {
            let p = prompts_of(&t.id, &t.text, prefix_lengths);
            if p.is_empty() {
                too_short.push((t.id.clone(), t.row, t.text.chars().count()));
            }
            prompts.extend(p);
        }
        PromptBook {
            texts: texts.len(),
            prefix_lengths: prefix_lengths.to_vec(),
            prompts,
            too_short,
        }
    }
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

    #[test]
    fn pasted_paragraphs_are_texts() {
        let t = texts_from_paragraphs("one\ntwo\n\n \nthree\r\n");
        assert_eq!(
            t.iter()
                .map(|t| (t.id.as_str(), t.text.as_str()))
                .collect::<Vec<_>>(),
            [("p1", "one\ntwo"), ("p2", "three")]
        );
    }

    #[test]
    fn a_texts_file_is_read_and_short_texts_are_listed() {
        let long = "x".repeat(160);
        let csv = format!("\u{feff}id,text,member\na,{long},1\nb,short,0\n");
        let texts = read_texts("t.csv", csv.as_bytes()).unwrap();
        assert_eq!(texts[1].member, Some(false));
        let book = PromptBook::of(&texts, &PREFIX_LENGTHS);
        assert_eq!(book.prompts.len(), 1);
        assert_eq!(book.too_short, [("b".to_string(), 3, 5)]);
        let e = |s: &str| read_texts("t.csv", s.as_bytes()).unwrap_err();
        assert_eq!(
            e("id,text\na,x\na,y\n"),
            "t.csv, row 3, column `id`: `a` is also the id of row 2; give each text its own id."
        );
        assert!(e("id,body\n").starts_with("t.csv: no `text` column."));
        assert_eq!(
            e("id,text,member\na,x,2\n"),
            "t.csv, row 2, column `member`: `2` is not 1 or 0."
        );
    }
}
