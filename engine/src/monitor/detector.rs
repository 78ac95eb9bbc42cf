//! The seed's `MembershipInferenceDetector` for a stream: queries pushed one at a time as they
//! arrive, each answered with the key's figures and action (what `mia monitor --follow` and an API
//! gateway need), with memory bounded by the queries in each key's window.
//!
//! The seed's `record_query(api_key, input_hash)` followed by `get_risk_assessment(api_key)` is
//! [`Detector::push`]; the time is the query's own (the seed reads `time.time()`). Input hashes are
//! numbered while a window holds them ([`InputInterner`]); with [`RepeatScope::AllTime`] the seed's
//! never-pruned counters keep them, so memory then grows with each key's distinct inputs, as the
//! seed's does.

use super::assessment::Assessment;
use super::exposition::KeyMetrics;
use super::fast_hash::FxHashMap;
use super::interner::InputInterner;
use super::settings::{CheckedSettings, RepeatScope};
use super::window::KeyWindow;

/// One API key's state.
#[derive(Debug, Clone)]
struct KeyState {
    name: Box<str>,
    window: KeyWindow,
    /// Every query the key sent (Prometheus' `inference_requests_total`).
    requests: u64,
}

/// The streaming detector. See the [module documentation](self).
///
/// # Examples
/// ```
/// use mia_engine::monitor::{Action, DetectorSettings, Detector};
/// let settings = DetectorSettings { window_seconds: 60.0, ..DetectorSettings::default() };
/// let mut d = Detector::new(settings.check().unwrap());
/// let mut last = None;
/// for i in 0..101 {
///     last = Some(d.push("sweeper", &format!("input-{i}"), 1000.0 + i as f64 * 0.5));
/// }
/// let a = last.unwrap();
/// assert_eq!((a.total, a.unique, a.risk, a.action), (101, 101, 0.5, Action::Monitor));
/// ```
#[derive(Debug, Clone)]
pub struct Detector {
    settings: CheckedSettings,
    key_ids: FxHashMap<Box<str>, u32>,
    keys: Vec<KeyState>,
    inputs: InputInterner,
    /// The latest time pushed: the stream's clock.
    clock: Option<f64>,
}

impl Detector {
    /// A detector with no keys yet.
    pub fn new(settings: CheckedSettings) -> Self {
        Detector {
            settings,
            key_ids: FxHashMap::default(),
            keys: Vec::new(),
            inputs: InputInterner::default(),
            clock: None,
        }
    }

    /// The settings.
    pub fn settings(&self) -> &CheckedSettings {
        &self.settings
    }

    /// Records a query of `input_hash` by `api_key` at `time` (Unix seconds) and returns the key's
    /// figures and action after it. A time before the key's latest (or not finite) is taken at
    /// the key's latest time ([`KeyWindow::push`]).
    pub fn push(&mut self, api_key: &str, input_hash: &str, time: f64) -> Assessment {
        let key = match self.key_ids.get(api_key) {
            Some(&k) => k as usize,
            None => {
                let k = self.keys.len();
                self.keys.push(KeyState {
                    name: api_key.into(),
                    window: KeyWindow::new(&self.settings),
                    requests: 0,
                });
                self.key_ids.insert(api_key.into(), k as u32);
                k
            }
        };
        // 2³² live inputs cannot fit in memory; the fallback id only keeps this total.
        let input = self.inputs.acquire(input_hash).unwrap_or(u32::MAX);
        if time.is_finite() && self.clock.is_none_or(|c| time > c) {
            self.clock = Some(time);
        }
        let state = &mut self.keys[key];
        state.requests += 1;
        let inputs = &mut self.inputs;
        let release = self.settings.get().repeat_scope == RepeatScope::Window;
        state.window.push(time, input, &self.settings, |id| {
            if release {
                inputs.release(id);
            }
        })
    }

    /// The latest time pushed (the stream's clock), once a query with a finite time came.
    pub fn clock(&self) -> Option<f64> {
        self.clock
    }

    /// Empties the window of every key that has been idle for a whole window of the stream's
    /// clock (its latest query at or before `clock - window`): at the clock's time it holds no
    /// query, so its figures are 0 and its action allow, and its memory is freed. Keys that
    /// queried within the window keep their figures after their latest query. Returns how
    /// many windows were emptied. (A key that queries again starts from an empty window; a
    /// line stamped more than a window behind the stream then misses the queries dropped.)
    ///
    /// # Examples
    /// ```
    /// use mia_engine::monitor::{Detector, DetectorSettings};
    /// let s = DetectorSettings { window_seconds: 60.0, ..DetectorSettings::default() };
    /// let mut d = Detector::new(s.check().unwrap());
    /// d.push("quiet", "x", 0.0);
    /// d.push("busy", "y", 59.0);
    /// assert_eq!(d.expire_idle(), 0);
    /// d.push("busy", "y", 60.0);
    /// assert_eq!(d.expire_idle(), 1);
    /// assert_eq!(d.assess("quiet").unwrap().total, 0);
    /// assert_eq!(d.assess("busy").unwrap().total, 2);
    /// ```
    pub fn expire_idle(&mut self) -> usize {
        let Some(clock) = self.clock else {
            return 0;
        };
        let cutoff = clock - self.settings.get().window_seconds;
        let release = self.settings.get().repeat_scope == RepeatScope::Window;
        let inputs = &mut self.inputs;
        let mut emptied = 0;
        for k in &mut self.keys {
            if k.window.is_empty() || k.window.latest().is_none_or(|t| t > cutoff) {
                continue;
            }
            k.window.prune(clock, &self.settings, |id| {
                if release {
                    inputs.release(id);
                }
            });
            emptied += 1;
        }
        emptied
    }

    /// The figures of `api_key` after its latest query (`None` before its first).
    pub fn assess(&self, api_key: &str) -> Option<Assessment> {
        let &k = self.key_ids.get(api_key)?;
        Some(self.keys[k as usize].window.assess(&self.settings))
    }

    /// Each key's metrics for Prometheus, in the order the keys first queried.
    pub fn metrics(&self) -> Vec<KeyMetrics<'_>> {
        self.keys
            .iter()
            .map(|k| KeyMetrics {
                api_key: &k.name,
                requests_total: k.requests,
                assessment: k.window.assess(&self.settings),
            })
            .collect()
    }

    /// Keys seen.
    pub fn n_keys(&self) -> usize {
        self.keys.len()
    }

    /// Entries held in memory: every window's queries and per-input counts (and all-time counts
    /// if kept), and the input hashes numbered. With the window scope it is bounded by the
    /// queries in the windows, however long the stream.
    pub fn retained(&self) -> usize {
        self.keys.iter().map(|k| k.window.retained()).sum::<usize>() + self.inputs.live()
    }
}
