//! Every record's score under every variant as CSV, so a reviewer can check any record in
//! another tool: `id,member,n_in,n_out,target_phi,lira_online,…`; a variant that did not run has
//! empty cells. Numbers are written in the shortest form that reads back to the same float.

use std::io::{self, Write};

use super::report::ReferenceReport;
use super::table::ReferenceTable;

/// Writes the per-record scores of `report` (computed on `table`) to `out`.
///
/// # Examples
/// ```
/// use mia_engine::reference_attack::{read_reference_csv, run_reference_attack, ReferenceSettings};
/// use mia_engine::reference_attack::scores_csv::write_scores_csv;
/// let csv = b"id,member,phi,ref_in_0,ref_phi_0,ref_in_1,ref_phi_1\n\
///             a,1,3,1,2.5,0,0.5\nb,0,0,1,2.0,0,0.1\nc,1,2,0,0.2,1,2.2\nd,0,0.1,0,0.3,1,1.9\n";
/// let t = read_reference_csv(csv).unwrap().table;
/// let r = run_reference_attack(&t, ReferenceSettings::default(), |_| Ok::<(), ()>(())).unwrap();
/// let mut out = Vec::new();
/// write_scores_csv(&r, &t, &mut out).unwrap();
/// let text = String::from_utf8(out).unwrap();
/// assert!(text.starts_with("id,member,n_in,n_out,target_phi,lira_online,"));
/// assert_eq!(text.lines().count(), 5);
/// ```
pub fn write_scores_csv(
    report: &ReferenceReport,
    table: &ReferenceTable,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut w = io::BufWriter::with_capacity(1 << 16, out);
    write!(w, "id,member,n_in,n_out")?;
    for r in &report.variants {
        write!(w, ",{}", r.variant.name())?;
    }
    writeln!(w)?;
    let columns: Vec<Option<&[f64]>> = report.variants.iter().map(|r| r.scores()).collect();
    for i in 0..table.len() {
        let name = table.record_name(i);
        if name.contains([',', '"', '\n', '\r']) {
            write!(w, "\"{}\"", name.replace('"', "\"\""))?;
        } else {
            write!(w, "{name}")?;
        }
        write!(
            w,
            ",{},{},{}",
            u8::from(table.member.get(i)),
            report.fits[0].n[i],
            report.fits[1].n[i]
        )?;
        for c in &columns {
            match c {
                Some(s) => write!(w, ",{}", s[i])?,
                None => write!(w, ",")?,
            }
        }
        writeln!(w)?;
    }
    w.flush()
}
