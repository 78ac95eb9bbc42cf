//! The engine's kernels at 1e4 … 1e6 rows (1e7 with `MIA_BENCH_BIG=1`): CSV parsing, ranking +
//! ROC + AUC, the histogram, and a whole signal report, so the cost curve against n is visible
//! (it should grow as n or n log n, never n²). Run with `cargo bench -p mia-engine`.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use mia_engine::attack::histogram::ScoreHistogram;
use mia_engine::attack::ranking::RankedRecords;
use mia_engine::attack::report::SignalAuditor;
use mia_engine::attack::roc::roc_from_ranked;
use mia_engine::{auc, ingest, Signal};

/// A narrow audit CSV (id, member, confidence, loss) with `n` rows, members scoring a little higher.
fn narrow_csv(n: usize) -> Vec<u8> {
    let mut out = String::with_capacity(n * 28);
    out.push_str("id,member,confidence,loss\n");
    let mut seed = 1u64;
    for i in 0..n {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let u = (seed >> 11) as f64 / (1u64 << 53) as f64;
        let c = (0.5 + 0.3 * u + (i & 1) as f64 * 0.1).min(0.999999);
        out.push_str(&format!("{i},{},{c:.6},{:.6}\n", i & 1, -c.ln()));
    }
    out.into_bytes()
}

fn sizes() -> Vec<usize> {
    let mut v = vec![10_000, 100_000, 1_000_000];
    if std::env::var_os("MIA_BENCH_BIG").is_some() {
        v.push(10_000_000);
    }
    v
}

fn kernels(c: &mut Criterion) {
    let mut g = c.benchmark_group("kernels");
    g.sample_size(10);
    for n in sizes() {
        let csv = narrow_csv(n);
        let table = ingest(&csv, None).unwrap().table;
        let scores = Signal::Confidence.scores(&table).unwrap();
        let members = table.member.to_vec();
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::new("parse", n), &csv, |b, csv| {
            b.iter(|| ingest(csv, None).unwrap())
        });
        g.bench_with_input(BenchmarkId::new("rank+roc+auc", n), &scores, |b, s| {
            b.iter(|| {
                let ranked = RankedRecords::rank(s, &table.member);
                auc(&roc_from_ranked(&ranked).unwrap())
            })
        });
        g.bench_with_input(BenchmarkId::new("histogram", n), &scores, |b, s| {
            b.iter(|| ScoreHistogram::new(&members, s, 40).unwrap())
        });
        g.bench_with_input(BenchmarkId::new("signal report", n), &table, |b, t| {
            b.iter(|| {
                SignalAuditor::new(t, true)
                    .audit(Signal::Confidence)
                    .unwrap()
            })
        });
    }
    g.finish();
}

criterion_group!(benches, kernels);
criterion_main!(benches);
