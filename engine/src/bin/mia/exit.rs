//! How a command ends: the [`Status`] of one that ran to the end, or the [`CliError`] that
//! stopped it, and the exit code of each (see `EXIT_STATUS` in `main.rs`). Messages name the
//! path they are about, so a script's log says which file to fix.

use std::io::{self, Write};
use std::process::ExitCode;

use mia_engine::IngestError;

/// A command that ran to the end and printed its output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Exit 0.
    Ok,
    /// Exit 2: `--strict`, and rows were skipped.
    SkippedRows,
    /// Exit 3: the risk is at or above `--fail-on`, (review) not approved with
    /// `--fail-unapproved`, or (unlearn-verify) not verified with `--fail-unverified`.
    Gated,
}

/// Why a command stopped before the end of its output.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Writing to standard output failed; a closed pipe (the reader had enough) is not an error.
    #[error("cannot write the output: {0}")]
    Output(#[from] io::Error),
    /// The input file could not be read or is not usable.
    #[error("{path}: {source}")]
    Input { path: String, source: IngestError },
    /// The engine refused to work on the input file (shadow, restriction, metrics).
    #[error("{path}: {message}")]
    Refused { path: String, message: String },
    /// A file the command was asked to write (`--out`, `--html`) could not be written.
    #[error("{path}: cannot write the file: {source}")]
    Write { path: String, source: io::Error },
    /// A request the input turned out not to allow, or parameters the engine refused (DP).
    #[error("{0}")]
    Usage(String),
}

impl CliError {
    /// The input file at `path` could not be read or used.
    pub fn input(path: &std::path::Path, source: IngestError) -> CliError {
        CliError::Input {
            path: path.display().to_string(),
            source,
        }
    }

    /// The engine refused the input file at `path`.
    pub fn refused(path: &std::path::Path, message: impl ToString) -> CliError {
        CliError::Refused {
            path: path.display().to_string(),
            message: message.to_string(),
        }
    }
}

/// The exit code of a command's outcome, after saying on standard error what went wrong.
pub fn exit_code(outcome: Result<Status, CliError>) -> ExitCode {
    match outcome {
        Ok(Status::Ok) => ExitCode::SUCCESS,
        Ok(Status::SkippedRows) => ExitCode::from(2),
        Ok(Status::Gated) => ExitCode::from(3),
        // The reader closed the pipe (`mia … | head`): it has all it wanted.
        Err(CliError::Output(e)) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            stderr_line(&format!("error: {e}"));
            match e {
                CliError::Output(_) => ExitCode::from(1),
                _ => ExitCode::from(2),
            }
        }
    }
}

/// Writes one line to standard error; a closed standard error is ignored (never a panic).
pub fn stderr_line(line: &str) {
    let _ = writeln!(io::stderr().lock(), "{line}");
}
