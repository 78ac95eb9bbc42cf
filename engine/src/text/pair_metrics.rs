//! The verbatim audit's per-pair figures as metrics to sort by and to draw: each pair's value,
//! and each metric's histogram of training against held-out texts with the two means (the
//! seed design's memorisation rate is the difference of the word overlap's means, per text).

use serde::{Deserialize, Serialize};

use super::pairs::{PairFigures, TextFigures, VerbatimAudit};
use crate::attack::histogram::ScoreHistogram;

/// A per-pair figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PairMetric {
    WordOverlap,
    Ngram5Overlap,
    LongestCommonSubstring,
    EditSimilarity,
    WordLcsRatio,
}

impl PairMetric {
    pub const ALL: [PairMetric; 5] = [
        PairMetric::WordOverlap,
        PairMetric::Ngram5Overlap,
        PairMetric::LongestCommonSubstring,
        PairMetric::EditSimilarity,
        PairMetric::WordLcsRatio,
    ];

    /// The name in the link and the page's test ids.
    pub fn key(self) -> &'static str {
        match self {
            PairMetric::WordOverlap => "jaccard",
            PairMetric::Ngram5Overlap => "ngram",
            PairMetric::LongestCommonSubstring => "lcs",
            PairMetric::EditSimilarity => "edit",
            PairMetric::WordLcsRatio => "word_lcs",
        }
    }

    pub fn from_key(key: &str) -> Option<PairMetric> {
        PairMetric::ALL.into_iter().find(|m| m.key() == key)
    }

    pub fn title(self) -> &'static str {
        match self {
            PairMetric::WordOverlap => "Word overlap (Jaccard)",
            PairMetric::Ngram5Overlap => "5-gram overlap",
            PairMetric::LongestCommonSubstring => "Longest common substring",
            PairMetric::EditSimilarity => "Edit similarity",
            PairMetric::WordLcsRatio => "Word LCS ratio",
        }
    }

    /// A share from 0 to 1 (the substring is a length).
    pub fn is_share(self) -> bool {
        self != PairMetric::LongestCommonSubstring
    }

    /// The value of pair `p`; `None` for a quadratic metric not computed on a pair too long
    /// for it ([`crate::text::extraction::QUADRATIC_LIMIT`]).
    pub fn value(self, p: &PairFigures) -> Option<f64> {
        match self {
            PairMetric::WordOverlap => Some(p.signal.word_overlap),
            PairMetric::Ngram5Overlap => Some(p.signal.ngram_5_overlap),
            PairMetric::LongestCommonSubstring => {
                Some(p.extraction.longest_common_substring as f64)
            }
            PairMetric::EditSimilarity => p.extraction.edit_similarity,
            PairMetric::WordLcsRatio => p.extraction.word_lcs_ratio,
        }
    }
}

impl PairMetric {
    /// A text's value: the largest over its pairs (the seed's rule for the word and 5-gram
    /// overlaps, over its prefix lengths); `None` when no pair has one.
    pub fn text_value(self, audit: &VerbatimAudit, text: &TextFigures) -> Option<f64> {
        text.pairs
            .iter()
            .filter_map(|&i| audit.pairs.get(i))
            .filter_map(|p| self.value(p))
            .reduce(f64::max)
    }
}

/// The index in `audit.pairs` of `text`'s pair with the largest 5-gram overlap (then the
/// longest common substring; the first of equals): the pair a table shows for the text.
pub fn telling_pair(audit: &VerbatimAudit, text: &TextFigures) -> Option<usize> {
    let key = |i: usize| {
        let p = &audit.pairs[i];
        (
            p.signal.ngram_5_overlap,
            p.extraction.longest_common_substring,
        )
    };
    text.pairs
        .iter()
        .copied()
        .filter(|&i| i < audit.pairs.len())
        .reduce(|best, i| {
            if key(i).partial_cmp(&key(best)) == Some(std::cmp::Ordering::Greater) {
                i
            } else {
                best
            }
        })
}

/// The texts of `audit` in descending order of `metric` (file order among equals; texts without
/// a value last).
pub fn texts_by(audit: &VerbatimAudit, metric: PairMetric) -> Vec<usize> {
    let values: Vec<f64> = audit
        .texts
        .iter()
        .map(|t| metric.text_value(audit, t).unwrap_or(f64::NEG_INFINITY))
        .collect();
    let mut order: Vec<usize> = (0..audit.texts.len()).collect();
    order.sort_by(|&a, &b| values[b].total_cmp(&values[a]));
    order
}

/// One metric over every pair that has it: its histogram (members against held-out pairs; every
/// pair on the held-out side when the file has no `member`), the means, and how many pairs were
/// too long for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricDistribution {
    pub metric: PairMetric,
    pub histogram: ScoreHistogram,
    pub mean: f64,
    pub mean_members: Option<f64>,
    pub mean_held_out: Option<f64>,
    /// Pairs without the metric (too long for a quadratic metric).
    pub not_computed: usize,
}

/// Each metric's distribution over `audit`'s pairs in `bins` bins (shares over 0..1, the
/// substring's length from 0 to the longest); none when there are no pairs.
pub fn distributions(audit: &VerbatimAudit, bins: usize) -> Vec<MetricDistribution> {
    PairMetric::ALL
        .into_iter()
        .filter_map(|metric| {
            let (pairs, values): (Vec<&PairFigures>, Vec<f64>) = audit
                .pairs
                .iter()
                .filter_map(|p| metric.value(p).map(|v| (p, v)))
                .unzip();
            let member: Vec<bool> = pairs.iter().map(|p| p.member == Some(true)).collect();
            let hi = if metric.is_share() {
                1.0
            } else {
                values.iter().copied().fold(1.0, f64::max)
            };
            let histogram = ScoreHistogram::over(&member, &values, bins, 0.0, hi)?;
            let mean_of = |side: Option<bool>| {
                let v: Vec<f64> = pairs
                    .iter()
                    .zip(&values)
                    .filter(|(p, _)| p.member == side)
                    .map(|(_, &v)| v)
                    .collect();
                (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
            };
            Some(MetricDistribution {
                metric,
                mean: values.iter().sum::<f64>() / values.len().max(1) as f64,
                mean_members: mean_of(Some(true)),
                mean_held_out: mean_of(Some(false)),
                not_computed: audit.pairs.len() - values.len(),
                histogram,
            })
        })
        .collect()
}
