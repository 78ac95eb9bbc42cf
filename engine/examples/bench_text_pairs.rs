//! Benchmark (not a test): times the text pairs audit (`audit_pairs`) on a pairs file, as
//! `scripts/bench/bench_text.sh` runs it.
//!
//!   cargo run --release -p mia-engine --example bench_text_pairs -- FILE.csv [--repeat N]
//!       [--figures OUT.csv] [--stages]
//!
//! Reads FILE with `read_pairs` (timed once, printed beside the row count), then runs `audit_pairs` N times (default 3) and prints
//! the rows, every run's milliseconds and the best. `--figures` writes each pair's figures
//! (row, word and 5-gram overlap, longest common substring and where it starts, edit similarity,
//! word LCS ratio, exact match; floats as shortest round-trip strings) for the Python cross-check.
//! `--stages` also times the public per-metric functions one by one over all rows (a hint of where
//! the time goes; the audit itself shares its tokens and buffers, so its total is lower than
//! their sum).
//!
//! The same file builds as a WebAssembly module, for the browser's speed (no wasm-bindgen, no
//! imports: it exports a buffer to fill, then `load` and `run`; `scripts/bench/bench_text.sh`
//! times it in node):
//!
//!   cargo build --release -p mia-engine --example bench_text_pairs --target wasm32-unknown-unknown
#![cfg_attr(target_arch = "wasm32", allow(dead_code))]

use std::io::Write;
use std::time::Instant;

use mia_engine::text::extraction::{lcs_length, levenshtein, longest_common_substring};
use mia_engine::text::pairs::{audit_pairs, read_pairs, PairRow};
use mia_engine::text::tokens::tokens;
use mia_engine::text::verbatim::{ngram_overlap, word_overlap, NGRAM};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut file = None;
    let (mut repeat, mut figures, mut stages) = (3usize, None, false);
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--repeat" => {
                i += 1;
                repeat = args[i].parse().expect("--repeat N");
            }
            "--figures" => {
                i += 1;
                figures = Some(args[i].clone());
            }
            "--stages" => stages = true,
            f => file = Some(f.to_string()),
        }
        i += 1;
    }
    let file =
        file.expect("usage: bench_text_pairs FILE.csv [--repeat N] [--figures OUT.csv] [--stages]");
    let bytes = std::fs::read(&file).expect("read the pairs file");
    let t = Instant::now();
    let rows = read_pairs(&file, &bytes).expect("a pairs file");
    let read_ms = t.elapsed().as_secs_f64() * 1e3;
    let chars: usize = rows
        .iter()
        .map(|r| r.reference.chars().count() + r.model_output.chars().count())
        .sum();
    println!(
        "rows {}  mean chars per text {:.0}  read_pairs ms {read_ms:.1}",
        rows.len(),
        chars as f64 / (2 * rows.len()) as f64
    );
    let mut runs = Vec::new();
    let mut audit = None;
    for _ in 0..repeat.max(1) {
        let t = Instant::now();
        let a = audit_pairs(&file, &rows, None).expect("audit");
        runs.push(t.elapsed().as_secs_f64() * 1e3);
        audit = Some(a);
    }
    let audit = audit.expect("one run");
    let best = runs.iter().copied().fold(f64::INFINITY, f64::min);
    let list: Vec<String> = runs.iter().map(|ms| format!("{ms:.1}")).collect();
    println!(
        "audit_pairs ms: {}  best {best:.1}  ({:.1} us per pair)",
        list.join(" "),
        best * 1e3 / rows.len() as f64
    );
    println!(
        "memorised {}  critical {}  extracted {}",
        audit.memorized_count, audit.critical_count, audit.extracted_count
    );
    if let Some(path) = figures {
        let mut out =
            std::io::BufWriter::new(std::fs::File::create(&path).expect("create the figures file"));
        writeln!(out, "row,id,word_overlap,ngram_5_overlap,longest_common_substring,at_reference,at_output,edit_similarity,word_lcs_ratio,exact_match").unwrap();
        for p in &audit.pairs {
            let (s, e) = (&p.signal, &p.extraction);
            writeln!(
                out,
                "{},{},{:?},{:?},{},{},{},{:?},{:?},{}",
                p.row,
                p.id,
                s.word_overlap,
                s.ngram_5_overlap,
                e.longest_common_substring,
                e.substring_at.0,
                e.substring_at.1,
                e.edit_similarity.unwrap_or(f64::NAN),
                e.word_lcs_ratio.unwrap_or(f64::NAN),
                u8::from(e.exact_match)
            )
            .unwrap();
        }
        println!("figures written to {path}");
    }
    if stages {
        print_stages(&rows);
    }
}

/// Times each public metric over all rows, one after the other.
fn print_stages(rows: &[PairRow]) {
    let time = |name: &str, f: &mut dyn FnMut() -> usize| {
        let t = Instant::now();
        let sink = f();
        println!(
            "  {name:<28} {:>9.1} ms  (checksum {sink})",
            t.elapsed().as_secs_f64() * 1e3
        );
    };
    println!("per stage (the public functions, separately):");
    let mut toks = Vec::new();
    time("tokens", &mut || {
        toks = rows
            .iter()
            .map(|r| (tokens(&r.reference), tokens(&r.model_output)))
            .collect();
        toks.len()
    });
    time("word overlap (Jaccard)", &mut || {
        toks.iter()
            .map(|(a, b)| (word_overlap(a, b) * 1e6) as usize)
            .sum()
    });
    time("5-gram overlap", &mut || {
        toks.iter()
            .map(|(a, b)| (ngram_overlap(a, b, NGRAM) * 1e6) as usize)
            .sum()
    });
    time("word LCS", &mut || {
        toks.iter().map(|(a, b)| lcs_length(a, b)).sum()
    });
    let mut chars = Vec::new();
    time("chars", &mut || {
        chars = rows
            .iter()
            .map(|r| {
                (
                    r.reference.chars().collect::<Vec<char>>(),
                    r.model_output.chars().collect::<Vec<char>>(),
                )
            })
            .collect();
        chars.len()
    });
    time("longest common substring", &mut || {
        chars
            .iter()
            .map(|(a, b)| longest_common_substring(a, b).0)
            .sum()
    });
    time("levenshtein", &mut || {
        chars.iter().map(|(a, b)| levenshtein(a, b)).sum()
    });
}

/// The WebAssembly entry points: `buffer(len)` gives room for the pairs file, `load(len)` reads
/// it (not timed), `run()` audits it once and returns the count of extracted pairs.
#[cfg(target_arch = "wasm32")]
mod wasm {
    use std::sync::Mutex;

    use mia_engine::text::pairs::{audit_pairs, read_pairs, PairRow};

    static FILE: Mutex<Vec<u8>> = Mutex::new(Vec::new());
    static ROWS: Mutex<Vec<PairRow>> = Mutex::new(Vec::new());

    /// Room for `len` bytes of the pairs file, to fill from JavaScript.
    #[no_mangle]
    pub extern "C" fn buffer(len: usize) -> *mut u8 {
        let mut file = FILE.lock().expect("one thread");
        *file = vec![0; len];
        file.as_mut_ptr()
    }

    /// Reads the pairs file in the buffer: its rows, or 0 when it is not one.
    #[no_mangle]
    pub extern "C" fn load() -> u32 {
        let file = FILE.lock().expect("one thread");
        let rows = read_pairs("pairs.csv", &file).unwrap_or_default();
        let n = rows.len() as u32;
        *ROWS.lock().expect("one thread") = rows;
        n
    }

    /// Audits the rows read: the count of extracted pairs.
    #[no_mangle]
    pub extern "C" fn run() -> u32 {
        let rows = ROWS.lock().expect("one thread");
        audit_pairs("pairs.csv", &rows, None).map_or(u32::MAX, |a| a.extracted_count as u32)
    }
}
