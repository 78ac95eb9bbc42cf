//! A file read in two parts (two workers or threads) gives exactly the table, report and errors
//! of one read, at every record boundary; a cut inside a quoted field is detected.

use mia_engine::{ingest, IngestProgress, Ingested};

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
    let dir =
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/conformance");
    for case in [
        "case08_digits_noisy_mlp_overfit.csv",
        "case03_breast_cancer_logreg.csv",
    ] {
        let plain = std::fs::read(dir.join(case)).unwrap();
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

/// The CLI reads a file over the two-thread threshold in two parts: its JSON equals the report
/// of one read, including skipped rows; a quoted line end across the cut makes it read again.
#[test]
fn the_cli_reads_large_files_on_two_threads_with_the_one_read_figures() {
    let dir = std::env::temp_dir().join(format!("mia-two-threads-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for quoted in [false, true] {
        let mut s = String::from("id,member,confidence,loss\n");
        let mut seed = 3u64;
        let mut i = 0;
        while s.len() < 17 << 20 {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let c = (seed >> 40) % 1000;
            let member = (i & 1) as u64;
            let c = (c + 150 * member).min(999);
            match i {
                // A bad row in each half: skipped, counted and named by row.
                1000 | 500_000 => s.push_str(&format!("r{i},{member},oops,0.5\n")),
                _ => s.push_str(&format!(
                    "r{i},{member},0.{c:03},{:.4}\n",
                    -((c as f64 + 0.5) / 1000.0).ln()
                )),
            }
            i += 1;
        }
        if quoted {
            // A quoted id with a line end spanning the middle.
            let mid = s.len() / 2;
            let at = s[..mid - 10].rfind('\n').unwrap() + 1;
            let id = format!("\"{}\n{}\"", "x".repeat(mid + 200 - at), "y");
            let end = at + s[at..].find(',').unwrap();
            s.replace_range(at..end, &id);
            // The CLI cuts after the first line end from the middle on: inside the quotes.
            let cut = s.len() / 2 + s[s.len() / 2..].find('\n').unwrap() + 1;
            assert_eq!(s[..cut].matches('"').count() % 2, 1);
        }
        let path = dir.join(if quoted { "quoted.csv" } else { "plain.csv" });
        std::fs::write(&path, &s).unwrap();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_mia"))
            .args(["audit", path.to_str().unwrap(), "--json"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let got: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let one = ingest(s.as_bytes(), None).unwrap();
        assert_eq!(one.report.n_skipped, 2);
        let report = mia_engine::audit(&one.table).unwrap();
        let want = mia_engine::output::report_json::report_json(&report, &one.report, &[]);
        assert_eq!(got, want, "quoted {quoted}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
