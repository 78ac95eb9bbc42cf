//! Runs every reference-model attack on a table and gathers what a reviewer needs: each
//! variant's scores and figures side by side, the reference counts, the Gaussian check, the
//! reference-count trend and the warnings they call for.

use serde::{Deserialize, Serialize};

use super::columns::PhiMode;
use super::gaussian_check::GaussianCheck;
use super::lira::{
    fit_sides, offline_scores, online_scores, standardised_residuals, SideFit, Spread,
};
use super::reference_counts::ReferenceCounts;
use super::reference_trend::{subset_sizes, trend_point, TrendFigures, TrendPoint};
use super::rmia::{likelihood_ratios, offline_marginal, online_marginal, pairwise_scores};
use super::settings::ReferenceSettings;
use super::table::ReferenceTable;
use super::variant::{Unavailable, Variant, VariantResult, VariantScores};
use crate::attack::metrics::AttackMetrics;

/// Rows of the most-exposed table.
pub const MOST_EXPOSED_ROWS: usize = 100;

/// Everything the attacks found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReferenceReport {
    pub n_records: usize,
    pub n_members: u64,
    pub n_nonmembers: u64,
    /// M.
    pub m: usize,
    pub mode: PhiMode,
    /// `population == 1` or `member == 0`.
    pub population_source: String,
    pub n_population: usize,
    pub settings: ReferenceSettings,
    /// In [`Variant::ALL`] order.
    pub variants: Vec<VariantResult>,
    /// The IN and OUT fits with every record's centre and spread.
    pub fits: [SideFit; 2],
    pub counts: ReferenceCounts,
    /// One per side with residuals.
    pub gaussian: Vec<GaussianCheck>,
    /// Online LiRA with M/4, M/2 and M references.
    pub trend: Vec<TrendPoint>,
    pub warnings: Vec<String>,
}

/// A record the strongest variant finds most likely a member.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExposedReference {
    /// Index in the table.
    pub index: usize,
    pub name: String,
    pub member: bool,
    pub n_in: u32,
    pub n_out: u32,
    /// Each variant's score, in [`Variant::ALL`] order (`None` where it did not run).
    pub scores: Vec<Option<f64>>,
}

/// One independent piece of the work after the fits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Task {
    Variant(Variant),
    Gaussian,
    /// Online LiRA with this many references.
    Trend(usize),
}

/// What a task gave.
enum Done {
    Variant(Box<VariantResult>),
    Gaussian(Vec<GaussianCheck>),
    Trend(TrendPoint),
}

/// What every task reads.
struct Context<'a> {
    table: &'a ReferenceTable,
    settings: ReferenceSettings,
    all: Vec<usize>,
    fits: [SideFit; 2],
    population: Vec<bool>,
    n_population: usize,
}

impl Context<'_> {
    /// The tasks, the slowest first (so that two threads pulling them in order end together).
    fn tasks(&self) -> Vec<Task> {
        let mut t = vec![
            Task::Variant(Variant::RmiaOffline),
            Task::Variant(Variant::RmiaOnline),
        ];
        t.extend(
            subset_sizes(self.table.m)
                .into_iter()
                .rev()
                .map(Task::Trend),
        );
        t.push(Task::Gaussian);
        t.extend(
            Variant::ALL
                .into_iter()
                .filter(|v| !matches!(v, Variant::RmiaOffline | Variant::RmiaOnline))
                .map(Task::Variant),
        );
        t
    }

    fn run(&self, task: Task) -> Done {
        match task {
            Task::Variant(v) => Done::Variant(Box::new(self.variant(v))),
            Task::Gaussian => Done::Gaussian(
                self.fits
                    .iter()
                    .filter_map(|f| {
                        let (n, z) = standardised_residuals(self.table, &self.all, f);
                        GaussianCheck::of(f.side, n, z)
                    })
                    .collect(),
            ),
            Task::Trend(k) => Done::Trend(trend_point(self.table, k, self.settings.center)),
        }
    }

    fn variant(&self, v: Variant) -> VariantResult {
        let (table, settings) = (self.table, self.settings);
        let [fin, fout] = &self.fits;
        let online_missing = || {
            if fin.any() {
                Unavailable::NoOutReferences
            } else {
                Unavailable::NoInReferences
            }
        };
        let phi = &table.target_phi;
        let rmia = |marginal: Option<Vec<f64>>| -> Result<Vec<f64>, Unavailable> {
            let marginal = marginal.ok_or(Unavailable::NoOutReferences)?;
            let r = likelihood_ratios(&table.target_p, &marginal);
            pairwise_scores(&r, &self.population, settings.gamma).ok_or(
                Unavailable::PopulationTooSmall {
                    size: self.n_population,
                },
            )
        };
        let scores: Result<Vec<f64>, Unavailable> = match v {
            Variant::TargetPhi => Ok(phi.clone()),
            Variant::LiraOnline => {
                online_scores(phi, &self.fits, Spread::PerRecord).ok_or_else(online_missing)
            }
            Variant::LiraOnlineGlobal => {
                online_scores(phi, &self.fits, Spread::Global).ok_or_else(online_missing)
            }
            Variant::LiraOffline => {
                offline_scores(phi, fout, Spread::PerRecord, settings.offline_test)
                    .ok_or(Unavailable::NoOutReferences)
            }
            Variant::LiraOfflineGlobal => {
                offline_scores(phi, fout, Spread::Global, settings.offline_test)
                    .ok_or(Unavailable::NoOutReferences)
            }
            Variant::RmiaOnline => rmia(Some(online_marginal(table))),
            Variant::RmiaOffline => rmia(offline_marginal(table, settings.offline_a)),
        };
        let outcome = scores.and_then(|scores| {
            AttackMetrics::of_scores(&scores, &table.member)
                .map(|metrics| VariantScores { scores, metrics })
                .map_err(|e| Unavailable::NoFigures {
                    reason: e.to_string(),
                })
        });
        VariantResult {
            variant: v,
            outcome,
        }
    }

    /// The report from every task's result.
    fn report(self, done: Vec<Done>) -> ReferenceReport {
        let table = self.table;
        let mut variants: Vec<VariantResult> = Vec::new();
        let mut gaussian = Vec::new();
        let mut trend = Vec::new();
        for d in done {
            match d {
                Done::Variant(v) => variants.push(*v),
                Done::Gaussian(g) => gaussian = g,
                Done::Trend(p) => trend.push(p),
            }
        }
        variants.sort_by_key(|r| Variant::ALL.iter().position(|&v| v == r.variant));
        trend.sort_by_key(|p| p.m);
        let figures = |v: Variant| {
            variants
                .iter()
                .find(|r| r.variant == v)
                .and_then(|r| r.metrics())
                .map(TrendFigures::of)
        };
        trend.push(TrendPoint {
            m: table.m,
            online: figures(Variant::LiraOnline),
            online_global: figures(Variant::LiraOnlineGlobal),
        });
        let counts = ReferenceCounts::of(&self.fits, table.m);
        let mut warnings = counts.warnings(&self.fits);
        warnings.extend(gaussian.iter().filter_map(GaussianCheck::warning));
        for r in &variants {
            if let Err(why) = &r.outcome {
                warnings.push(format!("{} is not available: {why}.", r.variant.label()));
            }
        }
        let (n_members, n_nonmembers) = table.class_counts();
        ReferenceReport {
            n_records: table.len(),
            n_members,
            n_nonmembers,
            m: table.m,
            mode: table.mode,
            population_source: table.population_source().to_string(),
            n_population: self.n_population,
            settings: self.settings,
            variants,
            fits: self.fits,
            counts,
            gaussian,
            trend,
            warnings,
        }
    }
}

/// Fits both sides with every reference: what every task starts from.
fn context(table: &ReferenceTable, settings: ReferenceSettings) -> Context<'_> {
    let all: Vec<usize> = (0..table.m).collect();
    let fits = fit_sides(table, &all, settings.center);
    let population: Vec<bool> = (0..table.len()).map(|i| table.in_population(i)).collect();
    let n_population = population.iter().filter(|&&z| z).count();
    Context {
        table,
        settings,
        all,
        fits,
        population,
        n_population,
    }
}

/// Share of the work the fits take, for progress.
const FIT_SHARE: f64 = 0.2;

/// The attacks run step by step, so that a caller (the page's worker) can report progress and
/// stop between steps: the first [`step`](Self::step) fits both sides, each further one runs
/// one variant, the Gaussian check or one point of the trend.
pub struct ReferenceAttackRun<'a> {
    table: &'a ReferenceTable,
    settings: ReferenceSettings,
    ctx: Option<Context<'a>>,
    tasks: Vec<Task>,
    done: Vec<Done>,
}

impl<'a> ReferenceAttackRun<'a> {
    /// A run not yet started.
    pub fn new(table: &'a ReferenceTable, settings: ReferenceSettings) -> Self {
        ReferenceAttackRun {
            table,
            settings,
            ctx: None,
            tasks: Vec::new(),
            done: Vec::new(),
        }
    }

    /// Does the next step; `true` once every step is done.
    pub fn step(&mut self) -> bool {
        match &self.ctx {
            None => {
                let ctx = context(self.table, self.settings);
                self.tasks = ctx.tasks();
                self.tasks.reverse();
                self.ctx = Some(ctx);
            }
            Some(ctx) => {
                if let Some(task) = self.tasks.pop() {
                    self.done.push(ctx.run(task));
                }
            }
        }
        self.tasks.is_empty()
    }

    /// Fraction of the work done.
    pub fn fraction_done(&self) -> f64 {
        match self.ctx {
            None => 0.0,
            Some(_) => {
                let total = self.done.len() + self.tasks.len();
                FIT_SHARE + (1.0 - FIT_SHARE) * self.done.len() as f64 / total.max(1) as f64
            }
        }
    }

    /// The report, once [`step`](Self::step) has returned `true` (the steps left are run first).
    pub fn finish(mut self) -> ReferenceReport {
        while !self.step() {}
        let ctx = self
            .ctx
            .take()
            .unwrap_or_else(|| context(self.table, self.settings));
        ctx.report(self.done)
    }
}

/// Runs the attacks on one thread. `progress` is called with the fraction done between steps;
/// an `Err` from it stops the run and is returned (a cancelled job).
///
/// # Examples
/// ```
/// use mia_engine::reference_attack::{read_reference_csv, run_reference_attack, ReferenceSettings};
/// let csv = b"member,phi,ref_in_0,ref_phi_0,ref_in_1,ref_phi_1\n\
///             1,3,1,2.5,0,0.5\n0,0,1,2.0,0,0.1\n1,2,0,0.2,1,2.2\n0,0.1,0,0.3,1,1.9\n";
/// let t = read_reference_csv(csv).unwrap().table;
/// let r = run_reference_attack(&t, ReferenceSettings::default(), |_| Ok::<(), ()>(())).unwrap();
/// assert_eq!(r.variants.len(), 7);
/// assert_eq!(r.variant(mia_engine::reference_attack::Variant::LiraOnline).unwrap().auc, 1.0);
/// ```
pub fn run_reference_attack<E>(
    table: &ReferenceTable,
    settings: ReferenceSettings,
    mut progress: impl FnMut(f64) -> Result<(), E>,
) -> Result<ReferenceReport, E> {
    let mut run = ReferenceAttackRun::new(table, settings);
    loop {
        progress(run.fraction_done())?;
        if run.step() {
            break;
        }
    }
    progress(1.0)?;
    Ok(run.finish())
}

/// [`run_reference_attack`] with the tasks shared by two threads (the CLI): the same report.
#[cfg(not(target_arch = "wasm32"))]
pub fn run_reference_attack_on_two_threads(
    table: &ReferenceTable,
    settings: ReferenceSettings,
) -> ReferenceReport {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let ctx = context(table, settings);
    let tasks = ctx.tasks();
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let k = next.fetch_add(1, Ordering::Relaxed);
            let Some(&task) = tasks.get(k) else {
                return done;
            };
            done.push(ctx.run(task));
        }
    };
    let (mut a, b) = crate::ingest::split::on_two_threads(work, work);
    a.extend(b);
    ctx.report(a)
}

impl ReferenceReport {
    /// The report without its per-record columns (scores, centres, spreads), its ROC curves
    /// thinned to about `roc_points` each ([`RocCurve::thinned`](crate::RocCurve::thinned): every
    /// kept point is exact): what the page needs to draw, at a size independent of n.
    pub fn for_sending(mut self, roc_points: usize) -> ReferenceReport {
        for r in &mut self.variants {
            if let Ok(s) = r.outcome.as_mut() {
                s.scores = Vec::new();
                s.metrics.roc = s.metrics.roc.thinned(roc_points);
            }
        }
        for f in &mut self.fits {
            f.n = Vec::new();
            f.centre = Vec::new();
            f.spread = Vec::new();
        }
        self
    }

    /// The figures of `v`, if it ran.
    pub fn variant(&self, v: Variant) -> Option<&AttackMetrics> {
        self.variants
            .iter()
            .find(|r| r.variant == v)
            .and_then(|r| r.metrics())
    }

    /// The strongest attack: the highest TPR at 1 % FPR (what a careful attacker would be judged
    /// by, where reference attacks differ most), then the highest AUC; the first on a full tie.
    pub fn strongest(&self) -> Option<(Variant, &AttackMetrics)> {
        let key = |m: &AttackMetrics| (m.tpr_at(0.01).unwrap_or(0.0), m.auc);
        self.variants
            .iter()
            .filter_map(|r| r.metrics().map(|m| (r.variant, m)))
            .fold(None, |best, (v, m)| match best {
                Some((bv, bm)) if key(bm) >= key(m) => Some((bv, bm)),
                _ => Some((v, m)),
            })
    }

    /// The `k` records the strongest variant scores highest, most exposed first (ties in record
    /// order), with every variant's score.
    pub fn most_exposed(&self, table: &ReferenceTable, k: usize) -> Vec<ExposedReference> {
        let Some((strongest, _)) = self.strongest() else {
            return Vec::new();
        };
        let Some(scores) = self
            .variants
            .iter()
            .find(|r| r.variant == strongest)
            .and_then(|r| r.scores())
        else {
            return Vec::new();
        };
        let mut order: Vec<usize> = (0..scores.len()).collect();
        let by_score = |a: &usize, b: &usize| scores[*b].total_cmp(&scores[*a]).then(a.cmp(b));
        let k = k.min(order.len());
        if k < order.len() && k > 0 {
            order.select_nth_unstable_by(k - 1, by_score);
        }
        order.truncate(k);
        order.sort_unstable_by(by_score);
        order
            .into_iter()
            .map(|i| ExposedReference {
                index: i,
                name: table.record_name(i),
                member: table.member.get(i),
                n_in: self.fits[0].n[i],
                n_out: self.fits[1].n[i],
                scores: self
                    .variants
                    .iter()
                    .map(|r| r.scores().map(|s| s[i]))
                    .collect(),
            })
            .collect()
    }
}
