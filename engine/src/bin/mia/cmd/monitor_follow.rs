//! `mia monitor --follow`: a query log read from standard input as its lines arrive (an API
//! gateway's access log piped in), one JSON decision printed per query as soon as it is read,
//! and, with `--metrics-addr`, the detector's metrics served for Prometheus to scrape
//! ([`super::metrics_server`]). A line that cannot be read is counted, said on standard error
//! and skipped; the stream goes on. The engine's [`LiveMonitor`] does the work.

use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::sync::{Arc, Mutex, MutexGuard};

use mia_engine::monitor::follow::{LiveMonitor, LogLine};
use mia_engine::monitor::CheckedSettings;

use super::metrics_server;
use crate::exit::{stderr_line, CliError, Status};

/// The longest line read; a longer one is skipped (and counted) up to its line end, so a stream
/// without line ends cannot fill the memory.
const MAX_LINE: usize = 1 << 20;

/// Skipped lines said one by one on standard error; after these, one note per this many more.
const SAID_ONE_BY_ONE: u64 = 100;
const SAID_EVERY: u64 = 10_000;

/// What `--follow` was given besides the detector's settings.
pub struct FollowOptions {
    /// The header line when the stream has none (`--columns`).
    pub columns: Option<String>,
    /// Where to serve the metrics (`--metrics-addr`).
    pub metrics_addr: Option<String>,
}

/// The monitor shared with the metrics server.
pub type Shared = Arc<Mutex<LiveMonitor>>;

/// The monitor, even if a thread panicked while holding it (its figures are still whole).
pub fn lock(shared: &Shared) -> MutexGuard<'_, LiveMonitor> {
    shared.lock().unwrap_or_else(|e| e.into_inner())
}

/// The input buffer: large enough that a burst of lines is read in one call.
pub const INPUT_BUFFER: usize = 1 << 16;

/// Follows `input` to its end, printing one decision per query to `out`.
pub fn follow(
    settings: CheckedSettings,
    options: &FollowOptions,
    input: &mut BufReader<impl Read>,
    out: &mut dyn Write,
) -> Result<Status, CliError> {
    let mut line = Vec::with_capacity(256);
    let mut row = 0u64;
    let header =
        match &options.columns {
            Some(columns) => columns.clone().into_bytes(),
            None => loop {
                match read_line(input, &mut line)? {
                    None => return Err(CliError::Usage(
                        "--follow: the stream ended before its header line (api_key, input_hash \
                         or input, timestamp); give --columns if the stream has none."
                            .to_string(),
                    )),
                    Some(_) => {
                        row += 1;
                        if !line.iter().all(u8::is_ascii_whitespace) {
                            break line.clone();
                        }
                    }
                }
            },
        };
    let live = LiveMonitor::new(settings, &header).map_err(|e| {
        CliError::Usage(format!(
            "--follow: {e}{}",
            if options.columns.is_some() {
                " (the header given with --columns)"
            } else {
                " If the stream has no header line, give its columns with --columns, such as \
                 --columns api_key,input_hash,timestamp."
            }
        ))
    })?;
    let shared: Shared = Arc::new(Mutex::new(live));
    if let Some(addr) = &options.metrics_addr {
        let url = metrics_server::serve(addr, Arc::clone(&shared))?;
        stderr_line(&format!("mia monitor --follow: serving metrics at {url}"));
    }
    let mut out = BufWriter::with_capacity(1 << 16, out);
    loop {
        let long = match read_line(input, &mut line)? {
            None => break,
            Some(long) => long,
        };
        row += 1;
        let mut live = lock(&shared);
        let skipped = if long {
            Some(live.skip(row, &format!("is longer than {} MiB", MAX_LINE >> 20)))
        } else {
            match live.line(row, &line) {
                LogLine::Blank => None,
                LogLine::Query(decision, _) => {
                    serde_json::to_writer(&mut out, &decision)
                        .map_err(|e| CliError::Output(e.into()))?;
                    out.write_all(b"\n")?;
                    None
                }
                LogLine::Skipped(e) => Some(e),
            }
        };
        if let Some(e) = skipped {
            let n = live.skipped();
            if n <= SAID_ONE_BY_ONE || n.is_multiple_of(SAID_EVERY) {
                out.flush()?;
                stderr_line(&format!(
                    "mia monitor --follow: line skipped ({n} so far{}): {e}",
                    if n == SAID_ONE_BY_ONE {
                        "; from now on one note per 10,000"
                    } else {
                        ""
                    }
                ));
            }
        }
        drop(live);
        // Nothing more has arrived: hand the decisions over before waiting for the next line.
        if input.buffer().is_empty() {
            out.flush()?;
        }
    }
    out.flush()?;
    let live = lock(&shared);
    stderr_line(&format!(
        "mia monitor --follow: the stream ended: {} quer{} from {} API key{}, {} line{} skipped.{}",
        live.queries(),
        if live.queries() == 1 { "y" } else { "ies" },
        live.detector().n_keys(),
        if live.detector().n_keys() == 1 {
            ""
        } else {
            "s"
        },
        live.skipped(),
        if live.skipped() == 1 { "" } else { "s" },
        live.first_skipped()
            .map(|e| format!(" The first: {e}"))
            .unwrap_or_default()
    ));
    Ok(Status::Ok)
}

/// Reads the next line into `line` without its line end: `None` at the end of the input,
/// `Some(true)` for a line longer than [`MAX_LINE`] (then read to its end and not kept).
fn read_line(input: &mut dyn BufRead, line: &mut Vec<u8>) -> Result<Option<bool>, CliError> {
    line.clear();
    let mut long = false;
    let mut any = false;
    loop {
        let buf = match input.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => {
                return Err(CliError::Usage(format!(
                    "--follow: standard input could not be read: {e}"
                )))
            }
        };
        if buf.is_empty() {
            return Ok(any.then_some(long));
        }
        any = true;
        let (part, used, ended) = match memchr::memchr(b'\n', buf) {
            Some(i) => (&buf[..i], i + 1, true),
            None => (buf, buf.len(), false),
        };
        if !long {
            if line.len() + part.len() > MAX_LINE {
                long = true;
                line.clear();
            } else {
                line.extend_from_slice(part);
            }
        }
        input.consume(used);
        if ended {
            return Ok(Some(long));
        }
    }
}
