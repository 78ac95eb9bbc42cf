//! The seed design's verbatim test and the extraction metrics against
//! `scripts/reference/make_text_reference.py` (the seed's Python, run as written, and difflib and
//! textbook dynamic programmes for the extraction metrics): identical pairs, paraphrases, fewer
//! than 5 tokens, repeated 5-grams, tabs and double spaces and Python's other whitespace,
//! punctuation, non-ASCII case folding, emoji and right-to-left text, several prefix lengths of
//! one text. Every figure is exact (the same divisions of the same integers).

use mia_engine::text::extraction::Extraction;
use mia_engine::text::tokens::tokens;
use mia_engine::text::verbatim::{MemorizationRisk, TextVerdict, VerbatimSignal};
use serde_json::Value;

fn reference() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/text/verbatim_reference.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).expect("fixture")).expect("json")
}

#[test]
fn every_pair_s_figures_are_the_reference_s() {
    let r = reference();
    let pairs = r["pairs"].as_array().unwrap();
    assert!(pairs.len() >= 60);
    for p in pairs {
        let name = p["name"].as_str().unwrap();
        let (reference, output) = (
            p["reference"].as_str().unwrap(),
            p["model_output"].as_str().unwrap(),
        );
        let (rt, ot) = (tokens(reference), tokens(output));
        assert_eq!(
            rt.len() as u64,
            p["reference_tokens"].as_u64().unwrap(),
            "{name}: tokens"
        );
        let s = VerbatimSignal::of_tokens(&rt, &ot);
        let e = Extraction::of(reference, output, &rt, &ot);
        let number = |key: &str| p[key].as_f64().unwrap();
        let flag = |key: &str| p[key].as_bool().unwrap();
        let got = [
            ("word_overlap", s.word_overlap),
            ("ngram_5_overlap", s.ngram_5_overlap),
            (
                "longest_common_substring",
                e.longest_common_substring as f64,
            ),
            ("edit_similarity", e.edit_similarity.unwrap()),
            ("word_lcs_ratio", e.word_lcs_ratio.unwrap()),
        ];
        for (key, value) in got {
            assert_eq!(value, number(key), "{name}: {key}");
        }
        assert_eq!(s.memorized, flag("memorized"), "{name}: memorised");
        assert_eq!(e.exact_match, flag("exact_match"), "{name}: exact match");
    }
}

#[test]
fn texts_take_the_maximum_over_prefix_lengths_and_the_risk_is_the_seed_s() {
    let r = reference();
    let pairs = r["pairs"].as_array().unwrap();
    let mut train = Vec::new();
    let mut held_out = Vec::new();
    let (mut memorised, mut critical) = (0, 0);
    for t in r["texts"].as_array().unwrap() {
        let id = t["id"].as_str().unwrap();
        let signals: Vec<VerbatimSignal> = pairs
            .iter()
            .filter(|p| p["id"] == id)
            .map(|p| {
                VerbatimSignal::of(
                    p["reference"].as_str().unwrap(),
                    p["model_output"].as_str().unwrap(),
                )
            })
            .collect();
        let v = TextVerdict::of(&signals);
        assert_eq!(v.is_memorized, t["is_memorized"].as_bool().unwrap(), "{id}");
        assert_eq!(
            v.max_word_overlap,
            t["max_word_overlap"].as_f64().unwrap(),
            "{id}"
        );
        assert_eq!(
            v.max_ngram_overlap,
            t["max_ngram_overlap"].as_f64().unwrap(),
            "{id}"
        );
        assert_eq!(
            v.risk_level.key(),
            t["risk_level"].as_str().unwrap(),
            "{id}"
        );
        memorised += usize::from(v.is_memorized);
        critical += usize::from(v.risk_level.key() == "critical");
        match t["member"].as_u64() {
            Some(1) => train.push(v.max_word_overlap),
            Some(0) => held_out.push(v.max_word_overlap),
            _ => {}
        }
    }
    assert_eq!(memorised as u64, r["memorized_count"].as_u64().unwrap());
    assert_eq!(critical as u64, r["critical_count"].as_u64().unwrap());
    let want = &r["memorization_risk"];
    let got = MemorizationRisk::of(&train, &held_out);
    assert_eq!(
        got.avg_train_match,
        want["avg_train_match"].as_f64().unwrap()
    );
    assert_eq!(
        got.avg_held_out_match,
        want["avg_held_out_match"].as_f64().unwrap()
    );
    assert_eq!(
        got.memorization_rate,
        want["memorization_rate"].as_f64().unwrap()
    );
    assert_eq!(got.privacy_risk, want["privacy_risk"].as_str().unwrap());
    assert_eq!(
        got.verbatim_memorization_count as u64,
        want["verbatim_memorization_count"].as_u64().unwrap()
    );
}

#[test]
fn the_pairs_file_audit_gives_the_same_figures() {
    use mia_engine::text::pairs::{audit_pairs, read_pairs};
    let r = reference();
    let all: Vec<&Value> = r["pairs"].as_array().unwrap().iter().collect();
    let bytes = pairs_csv(&all);
    // The reference's empty references are refused by the file reader, by row: drop them here.
    let text = String::from_utf8(bytes).unwrap();
    let err = read_pairs("ref.csv", text.as_bytes())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("column `reference`: the reference of `both_empty` is empty"),
        "{err}"
    );
    let kept: Vec<&Value> = r["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| !p["reference"].as_str().unwrap().trim().is_empty())
        .collect();
    let rows = read_pairs("ref.csv", &pairs_csv(&kept)).unwrap();
    let a = audit_pairs("ref.csv", &rows, None).unwrap();
    assert_eq!(a.pairs.len(), kept.len());
    for (got, want) in a.pairs.iter().zip(&kept) {
        assert_eq!(
            got.signal.word_overlap,
            want["word_overlap"].as_f64().unwrap()
        );
        assert_eq!(
            got.extraction.edit_similarity,
            want["edit_similarity"].as_f64()
        );
        assert_eq!(
            got.extracted,
            want["longest_common_substring"].as_u64().unwrap() >= 50
        );
    }
    let multi = a.texts.iter().find(|t| t.id == "multi").unwrap();
    let want = r["texts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "multi")
        .unwrap();
    assert_eq!(multi.pairs.len(), 4);
    assert_eq!(
        multi.verdict.max_word_overlap,
        want["max_word_overlap"].as_f64().unwrap()
    );
    assert_eq!(
        multi.verdict.max_ngram_overlap,
        want["max_ngram_overlap"].as_f64().unwrap()
    );
}

/// The reference's pairs as a pairs file.
fn pairs_csv(pairs: &[&Value]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["id", "reference", "model_output", "member", "prefix_length"])
        .unwrap();
    for p in pairs {
        w.write_record([
            p["id"].as_str().unwrap(),
            p["reference"].as_str().unwrap(),
            p["model_output"].as_str().unwrap(),
            &p["member"].to_string(),
            &p["prefix_length"].to_string(),
        ])
        .unwrap();
    }
    w.into_inner().unwrap()
}
