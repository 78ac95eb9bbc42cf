//! The DP view's query: the accountant's fields as typed (the view validates them as it
//! computes, and says what is wrong beside the field).

use super::{Query, ViewQuery};

/// The accountant's fields: query key and default text (Abadi et al. 2016's MNIST run).
pub const DP_FIELDS: [(&str, &str); 7] = [
    ("dp_n", "60000"),
    ("dp_batch", "256"),
    ("dp_epochs", "60"),
    ("dp_sigma", "1.1"),
    ("dp_delta", "1e-5"),
    ("dp_target", ""),
    ("dp_steps", ""),
];

#[derive(Debug, Clone, PartialEq)]
pub struct DpQuery {
    /// The text of each of [`DP_FIELDS`], in order.
    pub fields: Vec<String>,
}

impl Default for DpQuery {
    fn default() -> Self {
        DpQuery {
            fields: DP_FIELDS.iter().map(|(_, d)| d.to_string()).collect(),
        }
    }
}

impl ViewQuery for DpQuery {
    fn parse(q: &Query, _ignored: &mut Vec<String>) -> Self {
        DpQuery {
            fields: DP_FIELDS
                .iter()
                .map(|(k, d)| q.get(k).unwrap_or(d).to_string())
                .collect(),
        }
    }

    fn pairs(&self) -> Vec<(&'static str, String)> {
        DP_FIELDS
            .iter()
            .zip(&self.fields)
            .map(|((k, _), v)| (*k, v.clone()))
            .collect()
    }
}
