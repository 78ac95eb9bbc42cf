//! The text audit's job: read the file (a bundled sample, the picked file through the slice
//! reader, or pasted text), then the audit its columns ask for (the engine's `text::report`), and
//! what the page draws: windows of the pairs' texts around their common span, the metrics'
//! distributions, the log-prob signals' histograms.

use mia_engine::attack::histogram::ScoreHistogram;
use mia_engine::text::canary::{audit_of, exposure, groups, read_canaries, CanaryAudit};
use mia_engine::text::excerpt::excerpt;
use mia_engine::text::mode::TextMode;
use mia_engine::text::pair_metrics::distributions;
use mia_engine::text::pairs::{audit_of_pairs, read_pairs, PairFigures, PairRow, PairScorer};
use mia_engine::text::report::{audit_pasted, audit_text, TextError, TextReport};
use mia_engine::text::settings::TextSettings;

use crate::protocol::job::{JobError, JobId, JobOutcome, Stage};
use crate::protocol::text::PairExcerpts;
use crate::protocol::{TextOutcome, TextRequest, TextResult, TextSource};
use crate::samples::{text_sample_bytes, text_sample_title};
use crate::worker::pacing::{
    checkpoint, progress, JobResult, Scope, Stop, ROC_POINTS_SENT, YIELD_EVERY_MS,
};
use crate::worker::part::part_worker_when_ready;
use crate::worker::read::read_upload_bytes;

/// Each side of a pair is shown in a window of this many characters around the common span.
pub const EXCERPT_CHARS: usize = 360;
/// Pairs are scored in runs of about this many milliseconds between progress reports.
const PROGRESS_MS: f64 = 100.0;
/// Pairs files of at least this many bytes are scored by two workers, half each.
const PART_WORKER_BYTES: usize = 1 << 20;
/// Bins of the metrics' and signals' histograms.
const BINS: usize = 20;

pub async fn run(scope: &mut Scope, job: JobId, request: TextRequest) -> Result<JobResult, Stop> {
    let settings = &request.settings;
    let (name, bytes) = match &request.source {
        TextSource::Sample { id } => match text_sample_bytes(id) {
            Some(b) => (text_sample_title(id).to_string(), b.to_vec()),
            None => return Ok(Err(JobError::UnknownSample { id: id.clone() })),
        },
        TextSource::Upload(upload) => match read_upload_bytes(scope, job, upload).await? {
            Ok(b) => (upload.name.clone(), b),
            Err(e) => return Ok(Err(e)),
        },
        TextSource::Pasted { text } => ("pasted text".to_string(), text.clone().into_bytes()),
    };
    let text = match &request.source {
        TextSource::Pasted { text } => Some(text.as_str()),
        _ => None,
    };
    let started = js_sys::Date::now();
    let mode = TextMode::of_file(&name, &bytes);
    let scored = if mode == Ok(TextMode::Pairs) {
        score_pairs(scope, job, &name, &bytes, settings).await?
    } else if mode == Ok(TextMode::Canaries) {
        canary_exposures(scope, job, &name, &bytes)
            .await?
            .map(|a| (TextReport::Canaries(a), Vec::new(), 1))
    } else {
        progress(scope, job, Stage::AuditingTexts, 0.0).await?;
        let report = match text {
            Some(text) => audit_pasted(text, settings),
            None => audit_text(&name, &bytes, settings),
        };
        report.map(|r| (r, Vec::new(), 1))
    };
    let (report, rows, workers) = match scored {
        Ok(r) => r,
        Err(error) => return Ok(Err(JobError::Text { error })),
    };
    let scoring_ms = js_sys::Date::now() - started;
    let result = match report {
        TextReport::Prompts(book) => TextResult::Prompts(book),
        TextReport::Pairs(audit) => {
            let excerpts = audit
                .pairs
                .iter()
                .zip(&rows)
                .map(|(p, r)| {
                    let (at_r, at_o) = p.extraction.substring_at;
                    let len = p.extraction.longest_common_substring;
                    PairExcerpts {
                        reference: excerpt(&r.reference, at_r, len, EXCERPT_CHARS),
                        output: excerpt(&r.model_output, at_o, len, EXCERPT_CHARS),
                    }
                })
                .collect();
            TextResult::Pairs {
                distributions: distributions(&audit, BINS),
                excerpts,
                audit,
            }
        }
        TextReport::Canaries(audit) => TextResult::Canaries(audit),
        TextReport::Logprobs(mut audit) => {
            let member: Vec<bool> = audit.texts.iter().map(|t| t.1).collect();
            let histograms = audit
                .signals
                .iter()
                .filter_map(|s| {
                    let scores: Vec<f64> = audit
                        .texts
                        .iter()
                        .map(|t| s.signal.score_of(&t.2).unwrap_or(f64::NAN))
                        .collect();
                    ScoreHistogram::new(&member, &scores, BINS).map(|h| (s.signal, h))
                })
                .collect();
            for s in &mut audit.signals {
                s.metrics.roc = s.metrics.roc.thinned(ROC_POINTS_SENT);
            }
            TextResult::Logprobs { audit, histograms }
        }
    };
    Ok(Ok(JobOutcome::Text(Box::new(TextOutcome {
        source_name: name,
        scoring_ms,
        workers,
        result,
    }))))
}

/// The pairs of `bytes` scored one by one, reporting progress and heeding cancel about every
/// [`PROGRESS_MS`]; a large file's last half by the part worker at the same time (or here, if it
/// fails); with the rows, for the excerpts, and how many workers scored them.
async fn score_pairs(
    scope: &mut Scope,
    job: JobId,
    name: &str,
    bytes: &[u8],
    settings: &TextSettings,
) -> Result<Result<(TextReport, Vec<PairRow>, u32), TextError>, Stop> {
    if let Err(e) = settings.check() {
        return Ok(Err(e.into()));
    }
    let rows = match read_pairs(name, bytes) {
        Ok(rows) => rows,
        Err(e) => return Ok(Err(e.into())),
    };
    let total = rows.len();
    let span = settings.extracted_span;
    // A large file's last half is scored by the part worker, on the other core, meanwhile.
    let helper = if bytes.len() >= PART_WORKER_BYTES && total >= 2 {
        part_worker_when_ready()
            .await
            .and_then(|w| w.score_pairs(&rows[total / 2..], span))
    } else {
        None
    };
    let mine = if helper.is_some() { total / 2 } else { total };
    let mut workers = 1;
    let mut scoring = Scoring {
        scorer: PairScorer::default(),
        pairs: Vec::with_capacity(total),
        total,
        span,
    };
    progress(scope, job, Stage::ScoringPairs { done: 0, total }, 0.0).await?;
    // With the part worker, its half is taken to go as fast as this one.
    scoring
        .score(scope, job, &rows[..mine], |k| k * total / mine)
        .await?;
    if let Some(helper) = helper {
        let scored = loop {
            if let Some(scored) = helper.wait(YIELD_EVERY_MS as i32).await {
                break scored;
            }
            checkpoint(scope, job).await?;
        };
        match scored {
            Ok(theirs) if theirs.len() == total - mine => {
                scoring.pairs.extend(theirs);
                workers = 2;
            }
            // The part worker failed: its half is scored here.
            _ => {
                scoring
                    .score(scope, job, &rows[mine..], |k| mine + k)
                    .await?
            }
        }
    }
    let pairs = scoring.pairs;
    Ok(audit_of_pairs(name, pairs, span)
        .map(|a| (TextReport::Pairs(a), rows, workers))
        .map_err(TextError::from))
}

/// Pairs scored so far, of `total`.
struct Scoring {
    scorer: PairScorer,
    pairs: Vec<PairFigures>,
    total: usize,
    span: usize,
}

impl Scoring {
    /// Scores `rows` one by one, reporting progress about every [`PROGRESS_MS`] as
    /// `done(rows scored)` of the total.
    async fn score(
        &mut self,
        scope: &mut Scope,
        job: JobId,
        rows: &[PairRow],
        done: impl Fn(usize) -> usize,
    ) -> Result<(), Stop> {
        let total = self.total;
        let mut reported = js_sys::Date::now();
        for (i, row) in rows.iter().enumerate() {
            self.pairs.push(self.scorer.score(row, self.span));
            if js_sys::Date::now() - reported >= PROGRESS_MS {
                let done = done(i + 1).min(total);
                let stage = Stage::ScoringPairs { done, total };
                progress(scope, job, stage, done as f64 / total as f64).await?;
                reported = js_sys::Date::now();
            }
        }
        Ok(())
    }
}

/// The canaries of `bytes`, each fitted in turn, with progress and cancel between them.
async fn canary_exposures(
    scope: &mut Scope,
    job: JobId,
    name: &str,
    bytes: &[u8],
) -> Result<Result<CanaryAudit, TextError>, Stop> {
    let rows = match read_canaries(name, bytes) {
        Ok(rows) => rows,
        Err(e) => return Ok(Err(e.into())),
    };
    let groups = match groups(name, &rows) {
        Ok(g) => g,
        Err(e) => return Ok(Err(e.into())),
    };
    let total = groups.len();
    let mut canaries = Vec::with_capacity(total);
    for (i, g) in groups.iter().enumerate() {
        let stage = Stage::FittingCanaries { done: i, total };
        progress(scope, job, stage, i as f64 / total as f64).await?;
        canaries.push(exposure(g));
    }
    Ok(Ok(audit_of(canaries)))
}
