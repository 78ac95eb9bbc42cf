//! A trained model's per-record outputs in the audit's CSV schema (`id`, `member`, `label`,
//! `prob_k`, `logit_k`), so that the audit view and `mia audit` read them as any upload: members
//! first, then the held-out records, each with its dataset row as id.

use std::io::{self, Write};

use super::network::softmax;
use super::run::TrainingRun;

/// Writes `run`'s current model's outputs for every member and held-out record.
pub fn write_outputs_csv(run: &TrainingRun, out: &mut dyn Write) -> io::Result<()> {
    let k = run.data().k;
    let mut header = String::from("id,member,label");
    for c in 0..k {
        header.push_str(&format!(",prob_{c}"));
    }
    for c in 0..k {
        header.push_str(&format!(",logit_{c}"));
    }
    writeln!(out, "{header}")?;
    let n_members = run.data().members.len();
    for (j, r) in run.outputs().iter().enumerate() {
        let mut line = format!(
            "{},{},{}",
            r.index,
            u8::from(j < n_members),
            run.data().y[r.index]
        );
        for p in softmax(&r.logits) {
            line.push_str(&format!(",{p}"));
        }
        for z in &r.logits {
            line.push_str(&format!(",{z}"));
        }
        writeln!(out, "{line}")?;
    }
    Ok(())
}
