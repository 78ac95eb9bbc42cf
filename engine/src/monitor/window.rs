//! One API key's sliding window: the seed's `record_query` (append, count, prune) made exact and
//! bounded.
//!
//! The seed keeps `query_hashes[api_key]` as a list of `(hash, t)` and, on each query at `now`,
//! keeps the entries with `t > cutoff` where `cutoff = now - self.window` (seed lines 163-167).
//! So a query exactly `window` seconds old is OUT of the window, and the query just recorded is
//! always in (for any window where `now - window < now`). Here the entries sit in a deque in time
//! order and are popped from the front while `t <= now - window`, the same comparison on the same
//! `f64`s, so the figures equal the seed's bit for bit. Per-input counts in the window are kept
//! alongside ([`CountTable`]), so memory is bounded by the queries in the window.
//!
//! The seed's `repeat_counts` is never pruned; with [`RepeatScope::AllTime`] a second table keeps
//! those all-time counts and the repeat figures are read from it, exactly as the seed does.
//!
//! The seed stamps a query with `time.time()`, so its times never go back. Here a query stamped
//! before the key's latest time (or not finite) is taken at that latest time, so the window never
//! moves back; a replay sorts the log first, so it never meets one.

use std::collections::VecDeque;

use super::assessment::Assessment;
use super::counts::CountTable;
use super::settings::{CheckedSettings, RepeatScope};

/// One API key's queries in the window and the counts over them.
#[derive(Debug, Clone)]
pub struct KeyWindow {
    /// `(time, input id)` in time order: the seed's `query_hashes[api_key]`.
    queries: VecDeque<(f64, u32)>,
    /// Per-input counts over `queries`.
    in_window: CountTable,
    /// The seed's never-pruned `repeat_counts[api_key]`, with [`RepeatScope::AllTime`].
    all_time: Option<CountTable>,
    /// The key's latest time, once it has queried.
    latest: Option<f64>,
}

impl KeyWindow {
    /// An empty window for the settings' repeat threshold and scope.
    pub fn new(settings: &CheckedSettings) -> Self {
        let s = settings.get();
        KeyWindow {
            queries: VecDeque::new(),
            in_window: CountTable::new(s.repeat_threshold),
            all_time: (s.repeat_scope == RepeatScope::AllTime)
                .then(|| CountTable::new(s.repeat_threshold)),
            latest: None,
        }
    }

    /// Records a query of `input` at `time` and returns the key's figures after it (the seed's
    /// `record_query` then `get_risk_assessment`). `evicted` is told each input id whose query
    /// left the window.
    #[inline]
    pub fn push(
        &mut self,
        time: f64,
        input: u32,
        settings: &CheckedSettings,
        evicted: impl FnMut(u32),
    ) -> Assessment {
        let now = match self.latest {
            Some(latest) if !time.is_finite() || time < latest => latest,
            None if !time.is_finite() => 0.0,
            _ => time,
        };
        self.latest = Some(now);
        self.queries.push_back((now, input));
        self.in_window.add(input);
        if let Some(all) = &mut self.all_time {
            all.add(input);
        }
        self.prune(now, settings, evicted);
        self.assess(settings)
    }

    /// Drops the queries that are out of the window at `now` (those with
    /// `t <= now - window`, as the seed's `t > cutoff` keeps the others).
    #[inline]
    pub fn prune(&mut self, now: f64, settings: &CheckedSettings, mut evicted: impl FnMut(u32)) {
        let cutoff = now - settings.get().window_seconds;
        let before = self.queries.len();
        while let Some(&(t, input)) = self.queries.front() {
            if t > cutoff {
                break;
            }
            self.queries.pop_front();
            self.in_window.remove(input);
            evicted(input);
        }
        let (len, cap) = (self.queries.len(), self.queries.capacity());
        if len < before && cap > 64 && len * 4 < cap {
            self.queries.shrink_to(len * 2);
        }
    }

    /// The key's figures now (the seed's `get_risk_assessment`, which does not prune).
    pub fn assess(&self, settings: &CheckedSettings) -> Assessment {
        Assessment::from_counts(
            self.queries.len() as u64,
            self.in_window.distinct() as u64,
            self.repeat_counts().figures(),
            settings,
        )
    }

    /// The counts the repeat figures are read from (the window's, or the all-time ones).
    pub fn repeat_counts(&self) -> &CountTable {
        self.all_time.as_ref().unwrap_or(&self.in_window)
    }

    /// The key's latest time, once it has queried.
    pub fn latest(&self) -> Option<f64> {
        self.latest
    }

    /// Queries in the window.
    pub fn len(&self) -> usize {
        self.queries.len()
    }

    /// True when no query is in the window.
    pub fn is_empty(&self) -> bool {
        self.queries.is_empty()
    }

    /// Entries held: queries in the window, per-input counts, and all-time counts if kept.
    pub fn retained(&self) -> usize {
        self.queries.len()
            + self.in_window.retained()
            + self.all_time.as_ref().map_or(0, CountTable::retained)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::monitor::DetectorSettings;

    #[test]
    fn a_query_exactly_one_window_old_is_out() {
        let s = DetectorSettings {
            window_seconds: 10.0,
            ..DetectorSettings::default()
        }
        .check()
        .unwrap();
        let mut w = KeyWindow::new(&s);
        let mut gone = Vec::new();
        assert_eq!(w.push(100.0, 1, &s, |i| gone.push(i)).total, 1);
        assert_eq!(w.push(109.5, 2, &s, |i| gone.push(i)).total, 2);
        // 100 = 110 - 10: out, as the seed's `t > cutoff` drops it.
        assert_eq!(w.push(110.0, 3, &s, |i| gone.push(i)).total, 2);
        assert_eq!(gone, vec![1]);
        // An earlier time is taken at the latest one.
        let a = w.push(50.0, 3, &s, |i| gone.push(i));
        assert_eq!((a.total, a.unique, w.latest()), (3, 2, Some(110.0)));
        assert_eq!(w.retained(), 3 + 2);
    }
}
