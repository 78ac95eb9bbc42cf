//! A key's course over a replay, thinned for drawing: at most [`MAX_TIMELINE_POINTS`] points per
//! key, however many queries it sent, without losing a rise of its risk.
//!
//! The key's queries are cut into runs of equal length (so at most half the points' worth of
//! runs); each run gives its first query at its highest risk and its last query. So every
//! monitor or block episode shows at its height, and the key's last point is its final state.

use serde::{Deserialize, Serialize};

use super::assessment::Assessment;

/// Points per key at most.
pub const MAX_TIMELINE_POINTS: usize = 500;

/// A key's figures right after one of its queries.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TimelinePoint {
    /// Unix seconds.
    pub time: f64,
    pub risk: f64,
    /// Queries in the window ending at `time`.
    pub total: u64,
    /// `total` over the window's length: queries per second.
    pub rate_per_second: f64,
    pub repeated_inputs: u64,
    pub diversity: f64,
}

impl TimelinePoint {
    /// The point of an assessment at `time`, for a window of `window_seconds`.
    pub fn new(time: f64, a: &Assessment, window_seconds: f64) -> Self {
        TimelinePoint {
            time,
            risk: a.risk,
            total: a.total,
            rate_per_second: a.total as f64 / window_seconds,
            repeated_inputs: a.repeated_inputs,
            diversity: a.diversity,
        }
    }
}

/// Builds one key's thinned timeline, a point at a time.
#[derive(Debug, Clone)]
pub struct TimelineBuilder {
    /// Queries per run.
    run: u64,
    seen: u64,
    /// The run's first point at its highest risk, and its last point, with their indices.
    highest: Option<(u64, TimelinePoint)>,
    last: Option<(u64, TimelinePoint)>,
    points: Vec<TimelinePoint>,
}

impl TimelineBuilder {
    /// For a key that sends `n_queries` queries in all.
    pub fn new(n_queries: u64) -> Self {
        let runs = (MAX_TIMELINE_POINTS / 2) as u64;
        TimelineBuilder {
            run: n_queries.div_ceil(runs).max(1),
            seen: 0,
            highest: None,
            last: None,
            points: Vec::new(),
        }
    }

    /// The key's next point.
    pub fn add(&mut self, point: TimelinePoint) {
        let i = self.seen;
        self.seen += 1;
        if self.highest.is_none_or(|(_, h)| point.risk > h.risk) {
            self.highest = Some((i, point));
        }
        self.last = Some((i, point));
        if self.seen.is_multiple_of(self.run) {
            self.flush();
        }
    }

    fn flush(&mut self) {
        if let Some((h, point)) = self.highest.take() {
            self.points.push(point);
            if let Some((l, last)) = self.last.take() {
                if l != h {
                    self.points.push(last);
                }
            }
        }
    }

    /// The points, in time order.
    pub fn finish(mut self) -> Vec<TimelinePoint> {
        self.flush();
        self.points
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thins_to_the_limit_and_keeps_every_rise() {
        let point = |i: u64, risk| TimelinePoint {
            time: i as f64,
            risk,
            total: 1,
            rate_per_second: 1.0,
            repeated_inputs: 0,
            diversity: 1.0,
        };
        for n in [1u64, 2, 499, 500, 501, 12_345] {
            let mut b = TimelineBuilder::new(n);
            for i in 0..n {
                b.add(point(i, if i == n / 3 { 1.0 } else { 0.0 }));
            }
            let points = b.finish();
            assert!(points.len() <= MAX_TIMELINE_POINTS, "{n}: {}", points.len());
            assert!(points.iter().any(|p| p.risk == 1.0), "{n}");
            assert_eq!(points.last().map(|p| p.time), Some((n - 1) as f64));
            assert!(points.windows(2).all(|w| w[0].time < w[1].time));
        }
    }
}
