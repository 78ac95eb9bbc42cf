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
}

impl Detector {
    /// A detector with no keys yet.
    pub fn new(settings: CheckedSettings) -> Self {
        Detector {
            settings,
            key_ids: FxHashMap::default(),
            keys: Vec::new(),
            inputs: InputInterner::default(),
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
