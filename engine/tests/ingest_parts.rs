//! A file read in two parts (two workers or threads) gives exactly the table, report and errors
//! of one read, at every record boundary; a cut inside a quoted field is detected.

mod common;

use mia_engine::ingest::split::{read_path_in_parts, SPLIT_MIN_BYTES};
use mia_engine::{ingest, IngestError, IngestProgress, Ingested};

/// Reads `bytes` as two parts cut at `cut` (a line start); `None` when the first part did not
/// end on a record boundary (the caller then reads the file in one go).
fn read_in_two_parts(bytes: &[u8], cut: usize, fold: bool) -> Option<Result<Ingested, String>> {
    let first = IngestProgress::start(&bytes[..cut], None).map(|p| {
        if fold {
            p.fold_class_outputs()
        } else {
            p
        }
    });
    let mut first = match first {
        Ok(p) => p,
        Err(e) => return Some(Err(e.to_string())),
    };
    while !first.step(7).unwrap() {}
    if !first.ended_on_line_end() {
        return None;
    }
    let rest = &bytes[cut..];
    let mut second = IngestProgress::start_part(first.part_plan(), rest, rest.len() as u64);
    while !second.step(5).unwrap() {
        assert!(second.fraction_done() <= 1.0);
    }
    // The part crosses between workers as its float columns and the rest serialized.
    let mut part = second.finish_part();
    let floats = part.take_float_columns();
    let mut part: mia_engine::ingest::split::IngestedPart =
        bincode::deserialize(&bincode::serialize(&part).unwrap()).unwrap();
    assert!(part.put_float_columns(floats));
    first.append_part(part).unwrap();
    Some(first.finish().map_err(|e| e.to_string()))
}

fn read_whole(bytes: &[u8], fold: bool) -> Result<Ingested, String> {
    let mut p = match IngestProgress::start(bytes, None) {
        Ok(p) if fold => p.fold_class_outputs(),
        Ok(p) => p,
        Err(e) => return Err(e.to_string()),
    };
    while !p.step(1000).unwrap() {}
    p.finish().map_err(|e| e.to_string())
}

/// Offsets just after each `\n` (where a second part may start), header excluded.
fn line_starts(bytes: &[u8]) -> Vec<usize> {
    let first = bytes.iter().position(|&b| b == b'\n').map_or(0, |i| i + 1);
    (first..bytes.len())
        .filter(|&i| i > 0 && bytes[i - 1] == b'\n')
        .collect()
}

#[test]
fn conformance_files_read_in_two_parts_equal_one_read() {
    for case in [
        "case08_digits_noisy_mlp_overfit.csv",
        "case03_breast_cancer_logreg.csv",
    ] {
        let plain = common::read(&common::conformance(case));
        let mut with_bom = mia_engine::ingest::csv::format::UTF8_BOM.to_vec();
        with_bom.extend_from_slice(&plain);
        for bytes in [plain, with_bom] {
            for fold in [false, true] {
                let whole = read_whole(&bytes, fold).unwrap();
                if !fold {
                    assert_eq!(whole, ingest(&bytes, None).unwrap());
                }
                let starts = line_starts(&bytes);
                let step = (starts.len() / 40).max(1);
                for &cut in starts.iter().step_by(step).chain(starts.last()) {
                    let got = read_in_two_parts(&bytes, cut, fold)
                        .unwrap_or_else(|| panic!("{case}: plain lines, yet cut {cut} refused"));
                    assert_eq!(got.as_ref(), Ok(&whole), "{case}, cut {cut}, fold {fold}");
                }
            }
        }
    }
}

/// Generated files full of what a single read reports: bad cells in every column, short rows,
/// probabilities off 1, decimal commas, quoted ids with delimiters and line ends, `\r\n`, blank
/// lines, no final line end. At every line start the two-part read equals the single read, or
/// is refused (a cut inside quotes); refusals happen only where a quoted field spans the cut.
#[test]
fn awkward_files_read_in_two_parts_equal_one_read_or_are_refused() {
    let mut seed = 11u64;
    let mut draw = |below: u64| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) % below
    };
    let (mut joined, mut refused) = (0, 0);
    for case in 0..120 {
        let semicolon = case % 3 == 0;
        let d = if semicolon { ";" } else { "," };
        let point = |v: &str| {
            if semicolon {
                v.replace('.', ",")
            } else {
                v.to_string()
            }
        };
        let mut s = [
            "id",
            "member",
            "label",
            "prob_0",
            "prob_1",
            "logit_0",
            "logit_1",
            "confidence",
            "loss",
        ]
        .join(d);
        s.push_str(if case % 2 == 0 { "\n" } else { "\r\n" });
        let rows = 5 + draw(40) as usize;
        for i in 0..rows {
            let id = match draw(10) {
                0 => format!("\"id {i}{d} with\nline\""),
                1 => format!("\"say \"\"{i}\"\"\""),
                _ => format!("r{i}"),
            };
            let member = ["1", "0", "yes", "no", "maybe", "0"][draw(6) as usize];
            let label = ["0", "1", "2", "x", "1"][draw(5) as usize];
            let p = draw(1000) as f64 / 1000.0;
            let q = if draw(8) == 0 { 0.5 } else { 1.0 - p };
            let cells = [
                id,
                member.to_string(),
                label.to_string(),
                point(&format!("{p}")),
                point(&format!("{q}")),
                point(&format!("{:.3}", p.ln_1p())),
                if draw(15) == 0 {
                    "nan".into()
                } else {
                    point("-0.25")
                },
                point(&format!("{}", draw(1001) as f64 / 1000.0)),
                if draw(15) == 0 {
                    "-1".into()
                } else {
                    point("0.75")
                },
            ];
            let n_cells = if draw(20) == 0 { 7 } else { cells.len() };
            s.push_str(&cells[..n_cells].join(d));
            match draw(12) {
                0 => s.push_str("\n\n"),
                1 if i + 1 == rows => {}
                2 => s.push_str("\r\n"),
                _ => s.push('\n'),
            }
        }
        let bytes = s.into_bytes();
        for fold in [false, true] {
            let whole = read_whole(&bytes, fold);
            for cut in line_starts(&bytes) {
                match read_in_two_parts(&bytes, cut, fold) {
                    Some(got) => {
                        joined += 1;
                        assert_eq!(
                            got,
                            whole,
                            "case {case}, cut {cut}, fold {fold}:\n{}",
                            String::from_utf8_lossy(&bytes)
                        );
                    }
                    None => {
                        refused += 1;
                        // Only a quoted line end just before the cut refuses it.
                        let before = String::from_utf8_lossy(&bytes[..cut]);
                        assert!(
                            before.matches('"').count() % 2 == 1,
                            "case {case}: cut {cut} refused outside quotes"
                        );
                    }
                }
            }
        }
    }
    eprintln!("joined {joined}, refused {refused}");
    assert!(
        joined > 5_000 && refused > 50,
        "joined {joined}, refused {refused}"
    );
}

/// The read of a file on disk (the CLI's): over [`SPLIT_MIN_BYTES`] in two parts on two threads,
/// equal to one read with the class outputs folded, skipped rows included; a quoted line end
/// across the cut makes it read again; below the threshold one read. I/O failures are typed.
#[test]
fn a_file_read_from_its_path_in_two_parts_equals_one_read() {
    let dir = common::TempDir::new("read-path");
    for quoted in [false, true] {
        let s = common::large_csv(quoted);
        assert!(s.len() as u64 >= SPLIT_MIN_BYTES);
        let path = dir.path("large.csv");
        std::fs::write(&path, &s).unwrap();
        let got = read_path_in_parts(&path).unwrap();
        assert_eq!(got.report.n_skipped, 2);
        assert_eq!(Ok(got), read_whole(s.as_bytes(), true), "quoted {quoted}");
    }
    let case = common::conformance("case08_digits_noisy_mlp_overfit.csv");
    let whole = read_whole(&common::read(&case), true);
    assert_eq!(read_path_in_parts(&case).map_err(|e| e.to_string()), whole);

    let empty = dir.path("empty.csv");
    std::fs::write(&empty, "").unwrap();
    assert_eq!(read_path_in_parts(&empty), Err(IngestError::Empty));
    for path in [dir.path("missing.csv"), dir.dir().to_path_buf()] {
        let e = read_path_in_parts(&path).unwrap_err();
        assert!(matches!(e, IngestError::Unreadable { .. }), "{e:?}");
        assert!(e.to_string().starts_with("cannot read the file: "), "{e}");
        let e = mia_engine::ingest::split::read_path(&path).unwrap_err();
        assert!(matches!(e, IngestError::Unreadable { .. }), "{e:?}");
    }
}
