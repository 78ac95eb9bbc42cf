//! The replay of a whole log (the view's table and `mia monitor`): the queries in time order
//! through one [`KeyWindow`] per key, as the seed's detector would have met them, and per key
//! what an operator asks: the figures at the end, when it was first flagged, its course, and the
//! inputs it repeated most.
//!
//! The final figures are the key's state right after its last query: the seed prunes a key's
//! window only when that key queries (`record_query`, seed lines 163-167) and
//! `get_risk_assessment` reads the window without pruning (lines 194-197), so that state is what
//! the seed reports for the key at the end of the log. "First flagged at" is the time of the
//! first query after which the action was monitor or block.

use serde::{Deserialize, Serialize};

use super::assessment::{Action, Assessment};
use super::input_ids::Names;
use super::log::{InputColumn, Query, QueryLog};
use super::settings::{CheckedSettings, DetectorSettings};
use super::timeline::{TimelineBuilder, TimelinePoint};
use super::window::KeyWindow;

/// The inputs listed per key.
pub const TOP_INPUTS: usize = 10;

/// How many times something was decided.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionCounts {
    pub allow: u64,
    pub monitor: u64,
    pub block: u64,
}

impl ActionCounts {
    fn add(&mut self, action: Action) {
        match action {
            Action::Allow => self.allow += 1,
            Action::Monitor => self.monitor += 1,
            Action::Block => self.block += 1,
        }
    }
}

/// An input a key queried more than once, and how many times (in the window at the end, or
/// ever with the all-time scope: the counts the repeat figures are read from).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepeatedInput {
    pub input_hash: String,
    pub count: u64,
}

/// One API key over the replay.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyReport {
    pub api_key: String,
    /// Every query the key sent.
    pub queries: u64,
    pub first_seen: f64,
    pub last_seen: f64,
    /// The figures right after the key's last query.
    pub figures: Assessment,
    /// The highest risk after any of its queries.
    pub peak_risk: f64,
    /// The time of the first query after which the action was monitor or block.
    pub first_flagged_at: Option<f64>,
    /// The time of the first query after which the action was block.
    pub first_blocked_at: Option<f64>,
    /// The action after each of its queries, counted.
    pub decisions: ActionCounts,
    /// The inputs it queried most (more than once), most first; ties by hash.
    pub top_inputs: Vec<RepeatedInput>,
    /// Its course, thinned ([`TimelineBuilder`]).
    pub timeline: Vec<TimelinePoint>,
}

/// The replay of a log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonitorReport {
    pub settings: DetectorSettings,
    pub n_queries: u64,
    /// Rows whose time was before the previous row's (sorted before the replay).
    pub out_of_order: u64,
    pub first_time: f64,
    pub last_time: f64,
    pub input_column: InputColumn,
    /// The keys' actions after their last query.
    pub final_actions: ActionCounts,
    /// Keys flagged (monitor or block) at some point.
    pub ever_flagged: u64,
    /// One per key, by API key.
    pub keys: Vec<KeyReport>,
}

/// One key during the replay.
struct KeyReplay {
    window: KeyWindow,
    first_seen: f64,
    last: Option<(f64, Assessment)>,
    peak_risk: f64,
    first_flagged_at: Option<f64>,
    first_blocked_at: Option<f64>,
    decisions: ActionCounts,
    timeline: TimelineBuilder,
}

impl KeyReplay {
    /// Replays the key's query `q`.
    #[inline]
    fn push(&mut self, q: &Query, settings: &CheckedSettings) {
        let a = self.window.push(q.time, q.input, settings, |_| {});
        if self.last.is_none() {
            self.first_seen = q.time;
        }
        self.last = Some((q.time, a));
        self.peak_risk = self.peak_risk.max(a.risk);
        if a.action != Action::Allow && self.first_flagged_at.is_none() {
            self.first_flagged_at = Some(q.time);
        }
        if a.action == Action::Block && self.first_blocked_at.is_none() {
            self.first_blocked_at = Some(q.time);
        }
        self.decisions.add(a.action);
        let window = settings.get().window_seconds;
        self.timeline.add(TimelinePoint::new(q.time, &a, window));
    }
}

/// A replay in progress: [`new`](Self::new), [`step`](Self::step) until it returns `true`, then
/// [`finish`](Self::finish) (so a worker can report progress and stop between steps).
pub struct Replay<'a> {
    log: &'a QueryLog,
    settings: CheckedSettings,
    next: usize,
    keys: Vec<KeyReplay>,
}

/// Replays a whole log.
///
/// # Examples
/// ```
/// use mia_engine::monitor::{analyse, read_query_log, Action, CheckedSettings};
/// let mut csv = String::from("api_key,input_hash,timestamp\n");
/// for i in 0..101 {
///     csv.push_str(&format!("sweeper,h{i},{}\n", 1000 + i));
/// }
/// let log = read_query_log(csv.as_bytes()).unwrap();
/// let report = analyse(&log, &CheckedSettings::default());
/// let k = &report.keys[0];
/// assert_eq!((k.figures.total, k.figures.action), (101, Action::Monitor));
/// assert_eq!(k.first_flagged_at, Some(1100.0));
/// ```
///
/// Natively, a large log is replayed on every core, each with its own keys: the same report.
pub fn analyse(log: &QueryLog, settings: &CheckedSettings) -> MonitorReport {
    let mut replay = Replay::new(log, settings);
    #[cfg(not(target_arch = "wasm32"))]
    if log.queries.len() >= PARALLEL_QUERIES {
        replay.run_in_parts(super::log_parts::cores());
    }
    while !replay.step(usize::MAX) {}
    replay.finish()
}

/// The least queries worth replaying on several cores.
#[cfg(not(target_arch = "wasm32"))]
const PARALLEL_QUERIES: usize = 100_000;

impl<'a> Replay<'a> {
    /// Starts the replay of `log`.
    pub fn new(log: &'a QueryLog, settings: &CheckedSettings) -> Self {
        let mut n = vec![0u64; log.keys.len()];
        for q in &log.queries {
            n[q.key as usize] += 1;
        }
        let keys = n
            .into_iter()
            .map(|n| KeyReplay {
                window: KeyWindow::new(settings),
                first_seen: f64::NAN,
                last: None,
                peak_risk: 0.0,
                first_flagged_at: None,
                first_blocked_at: None,
                decisions: ActionCounts::default(),
                timeline: TimelineBuilder::new(n),
            })
            .collect();
        Replay {
            log,
            settings: *settings,
            next: 0,
            keys,
        }
    }

    /// Replays up to `max_queries` more queries; `true` once all are.
    pub fn step(&mut self, max_queries: usize) -> bool {
        let end = self
            .next
            .saturating_add(max_queries)
            .min(self.log.queries.len());
        for q in &self.log.queries[self.next..end] {
            self.keys[q.key as usize].push(q, &self.settings);
        }
        self.next = end;
        end == self.log.queries.len()
    }

    /// Replays the queries not yet replayed with the keys cut into up to `parts` ranges of about
    /// as many queries each, each range on its own thread (a key's figures depend only on its
    /// own queries, met in the same order).
    #[cfg(not(target_arch = "wasm32"))]
    fn run_in_parts(&mut self, parts: usize) {
        let queries = &self.log.queries[self.next..];
        let mut count = vec![0usize; self.keys.len()];
        for q in queries {
            count[q.key as usize] += 1;
        }
        // Each range ends once it holds its share of the queries.
        let mut ranges = Vec::with_capacity(parts);
        let (mut rest, mut first, mut held) = (&mut self.keys[..], 0, 0);
        for p in 1..parts {
            let aim = queries.len() * p / parts;
            let mut end = first;
            while end < count.len() && held < aim {
                held += count[end];
                end += 1;
            }
            let (range, after) = std::mem::take(&mut rest).split_at_mut(end - first);
            ranges.push((first, range));
            (rest, first) = (after, end);
        }
        ranges.push((first, rest));
        let settings = &self.settings;
        std::thread::scope(|s| {
            for (first, keys) in ranges {
                s.spawn(move || {
                    for q in queries {
                        if let Some(k) = keys.get_mut((q.key as usize).wrapping_sub(first)) {
                            k.push(q, settings);
                        }
                    }
                });
            }
        });
        self.next = self.log.queries.len();
    }

    /// Fraction of the queries replayed, in `[0, 1]`.
    pub fn fraction_done(&self) -> f64 {
        match self.log.queries.len() {
            0 => 1.0,
            n => self.next as f64 / n as f64,
        }
    }

    /// The report (of the queries replayed so far).
    pub fn finish(self) -> MonitorReport {
        let log = self.log;
        let mut final_actions = ActionCounts::default();
        let mut ever_flagged = 0;
        let mut keys: Vec<KeyReport> = self
            .keys
            .into_iter()
            .zip(&log.keys)
            .filter_map(|(k, name)| {
                let (last_seen, figures) = k.last?;
                final_actions.add(figures.action);
                ever_flagged += u64::from(k.first_flagged_at.is_some());
                Some(KeyReport {
                    api_key: name.clone(),
                    queries: k.decisions.allow + k.decisions.monitor + k.decisions.block,
                    first_seen: k.first_seen,
                    last_seen,
                    figures,
                    peak_risk: k.peak_risk,
                    first_flagged_at: k.first_flagged_at,
                    first_blocked_at: k.first_blocked_at,
                    decisions: k.decisions,
                    top_inputs: top_inputs(&k.window, &log.inputs),
                    timeline: k.timeline.finish(),
                })
            })
            .collect();
        keys.sort_by(|a, b| a.api_key.cmp(&b.api_key));
        let done = &log.queries[..self.next];
        MonitorReport {
            settings: *self.settings.get(),
            n_queries: done.len() as u64,
            out_of_order: log.out_of_order,
            first_time: done.first().map_or(f64::NAN, |q| q.time),
            last_time: done.last().map_or(f64::NAN, |q| q.time),
            input_column: log.input_column,
            final_actions,
            ever_flagged,
            keys,
        }
    }
}

/// The [`TOP_INPUTS`] inputs a key queried most (more than once), most first, ties by hash.
fn top_inputs(window: &KeyWindow, names: &Names) -> Vec<RepeatedInput> {
    let mut top: Vec<(u32, &str)> = window
        .repeat_counts()
        .iter()
        .filter(|&(_, count)| count > 1)
        .map(|(id, count)| (count, names.get(id)))
        .collect();
    top.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    top.into_iter()
        .take(TOP_INPUTS)
        .map(|(count, hash)| RepeatedInput {
            input_hash: hash.to_string(),
            count: u64::from(count),
        })
        .collect()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::monitor::{read_query_log, RepeatScope};
    use crate::test_draw::Draw;

    #[test]
    fn keys_replayed_in_parts_give_the_report_replayed_in_order() {
        // Keys of very different volumes (the ranges cut by queries, not keys), repeaters and
        // sweepers flagged, in both scopes, cut into 1 to 5 parts.
        let mut csv = String::from("api_key,input_hash,timestamp\n");
        let mut draw = Draw(11);
        let mut next = |n: u64| draw.below(n as usize) as u64;
        for row in 0..6000u64 {
            let key = match next(4) {
                0 => 0,
                1 => 1 + next(3),
                _ => 4 + next(40),
            };
            let input = if (1..4).contains(&key) {
                next(15)
            } else {
                next(100_000)
            };
            csv.push_str(&format!("k{key},h{input},{}\n", row * 3 + next(5)));
        }
        let log = read_query_log(csv.as_bytes()).unwrap();
        for scope in [RepeatScope::Window, RepeatScope::AllTime] {
            let settings = DetectorSettings {
                window_seconds: 3600.0,
                repeat_scope: scope,
                ..DetectorSettings::default()
            }
            .check()
            .unwrap();
            let mut in_order = Replay::new(&log, &settings);
            while !in_order.step(997) {}
            let want = in_order.finish();
            assert!(want.ever_flagged > 0, "some key is flagged");
            for parts in 1..=5 {
                let mut replay = Replay::new(&log, &settings);
                replay.step(500);
                replay.run_in_parts(parts);
                assert!(replay.step(usize::MAX));
                assert_eq!(replay.finish(), want, "{scope:?}, {parts} parts");
            }
        }
    }
}
