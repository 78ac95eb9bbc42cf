//! The one test harness of the engine's integration tests: fixtures by name, the `mia` binary run
//! with arguments (also with its standard output already closed), a scratch directory, and small
//! asserts on a run's output that print its standard error when they fail.
//!
//! Each test file includes it with `mod common;` and uses a part of it.
#![allow(dead_code)]

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Output, Stdio};

use serde_json::Value;

/// A file under `tests/fixtures/` (`rel` like `reference/dp.json`).
pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

/// A file under `tests/fixtures/conformance/` (the cases shared with scikit-learn).
pub fn conformance(name: &str) -> PathBuf {
    fixture(&format!("conformance/{name}"))
}

/// A bundled dataset of the page (`www/datasets/`).
pub fn dataset(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../www/datasets")
        .join(name)
}

/// The bytes of a file (a fixture), with its path in the panic message.
pub fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A JSON fixture under `tests/fixtures/`.
pub fn fixture_json(rel: &str) -> Value {
    serde_json::from_slice(&read(&fixture(rel))).unwrap()
}

/// Runs `mia` with `args` and waits for it.
pub fn run_mia<I, S>(args: I) -> Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    Command::new(env!("CARGO_BIN_EXE_mia"))
        .args(args)
        .output()
        .unwrap()
}

/// Runs `mia` with `args` writing to a pipe whose reading end is closed before it starts (as
/// `mia … | head -0`, deterministically): every write to standard output fails with EPIPE.
/// Returns the exit status and standard error.
pub fn run_mia_closed_stdout<I, S>(args: I) -> (ExitStatus, String)
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = Command::new(env!("CARGO_BIN_EXE_mia"))
        .args(args)
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    (
        out.status,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs `mia` with `args` into a closed pipe ([`run_mia_closed_stdout`]): it must end quietly,
/// with status 0 and no panic.
pub fn assert_quiet_when_output_closed(args: &[&str]) {
    let (status, err) = run_mia_closed_stdout(args);
    assert_eq!(status.code(), Some(0), "{args:?}: {err}");
    assert!(!err.contains("panicked"), "{args:?}: {err}");
}

/// `args` (a `--help`) succeeds and its output holds each of `texts` and the exit statuses.
pub fn assert_help_mentions(args: &[&str], texts: &[&str]) {
    let out = run_mia(args);
    assert_success(&out);
    for text in texts.iter().chain(&["EXIT STATUS"]) {
        assert_stdout_contains(&out, text);
    }
}

/// The entry `key` (like `T2_cap0.95_prec1`) of the shared numpy reference of the restriction.
pub fn restriction_reference(key: &str) -> Value {
    let reference = fixture_json("conformance/restriction_case01_digits_mlp_overfit.json");
    let grid = reference["grid"].as_array().unwrap();
    grid.iter().find(|g| g["key"] == key).unwrap().clone()
}

/// Standard output as text.
pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Standard error as text.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Standard output parsed as JSON (after asserting the run succeeded).
pub fn stdout_json(out: &Output) -> Value {
    assert_success(out);
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", stdout(out)))
}

/// The run exited with status 0.
pub fn assert_success(out: &Output) {
    assert_exit(out, 0);
}

/// The run exited with status `code`.
pub fn assert_exit(out: &Output, code: i32) {
    assert_eq!(
        out.status.code(),
        Some(code),
        "exit status; stderr:\n{}",
        stderr(out)
    );
}

/// Standard output holds `needle`.
pub fn assert_stdout_contains(out: &Output, needle: &str) {
    let s = stdout(out);
    assert!(s.contains(needle), "stdout lacks {needle:?}:\n{s}");
}

/// Standard error holds `needle`.
pub fn assert_stderr_contains(out: &Output, needle: &str) {
    let s = stderr(out);
    assert!(s.contains(needle), "stderr lacks {needle:?}:\n{s}");
}

/// A bad command line: status 2, nothing on standard output, and a message naming `needle`
/// (usually the option) on standard error.
pub fn assert_usage_error(out: &Output, needle: &str) {
    assert_exit(out, 2);
    assert_eq!(stdout(out), "", "stdout of a usage error");
    assert_stderr_contains(out, needle);
}

/// The input at `path` could not be read: status 2, and an I/O message naming the path.
pub fn assert_cannot_read(out: &Output, path: &Path) {
    assert_usage_error(
        out,
        &format!("error: {}: cannot read the file", path.display()),
    );
}

/// The file at `path` (`--out`, `--html`) could not be written: status 2, naming the path.
pub fn assert_cannot_write(out: &Output, path: &Path) {
    assert_exit(out, 2);
    assert_stderr_contains(
        out,
        &format!("error: {}: cannot write the file", path.display()),
    );
}

/// A scratch directory, removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    /// A new empty directory named after `name` and this process.
    pub fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("mia-test-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    /// A path inside the directory.
    pub fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    /// The directory itself.
    pub fn dir(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A CSV over the two-thread threshold with a bad row in each half; with `quoted`, a quoted id
/// with a line end spans the middle, so the cut after the middle's first line end is inside it.
pub fn large_csv(quoted: bool) -> String {
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
        let mid = s.len() / 2;
        let at = s[..mid - 10].rfind('\n').unwrap() + 1;
        let id = format!("\"{}\n{}\"", "x".repeat(mid + 200 - at), "y");
        let end = at + s[at..].find(',').unwrap();
        s.replace_range(at..end, &id);
        // The CLI cuts after the first line end from the middle on: inside the quotes.
        let cut = s.len() / 2 + s[s.len() / 2..].find('\n').unwrap() + 1;
        assert_eq!(s[..cut].matches('"').count() % 2, 1);
    }
    s
}

/// case01 with a bad confidence in three rows (spreadsheet rows 5, 52 and 702).
pub fn csv_with_skipped_rows(dir: &TempDir) -> std::path::PathBuf {
    let text = String::from_utf8(read(&conformance("case01_digits_mlp_overfit.csv"))).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let column = lines[0].split(',').position(|c| c == "confidence").unwrap();
    for row in [5, 52, 702] {
        let mut cells: Vec<&str> = lines[row - 1].split(',').collect();
        cells[column] = "oops";
        lines[row - 1] = cells.join(",");
    }
    let path = dir.path("skipped.csv");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    path
}

/// How close the engine's figures are to scikit-learn's on the conformance cases.
pub const CONFORMANCE_TOL: f64 = 1e-9;

/// Every key of `want` (a conformance case's `expected.json`, except case metadata) is in `got`
/// (the engine's or the CLI's JSON), with the same value to [`CONFORMANCE_TOL`].
pub fn assert_same_keys(path: &str, got: &Value, want: &Value) {
    const METADATA: [&str; 10] = [
        "case",
        "description",
        "csv",
        "roc_file",
        "format",
        "model",
        "n_confidence_equal_1",
        "n_confidence_clipped",
        "max_abs_diff_softmax_logits_vs_probs",
        "n_scores_within_1e-9_of_threshold",
    ];
    match want {
        Value::Object(w) => {
            for (k, v) in w {
                if METADATA.contains(&k.as_str()) {
                    continue;
                }
                let g = got
                    .get(k)
                    .unwrap_or_else(|| panic!("CLI JSON lacks key {path}.{k}"));
                assert_same_keys(&format!("{path}.{k}"), g, v);
            }
        }
        Value::Number(n) => {
            let (g, w) = (got.as_f64().unwrap(), n.as_f64().unwrap());
            assert!(
                (g - w).abs() <= CONFORMANCE_TOL,
                "{path}: CLI {g}, scikit-learn {w}"
            );
        }
        other => assert_eq!(got, other, "{path}"),
    }
}
