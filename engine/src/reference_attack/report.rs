//! Runs every reference-model attack on a table and gathers what a reviewer needs: each
//! variant's scores and figures side by side, the reference counts, the Gaussian check, the
//! reference-count trend and the warnings they call for.

use serde::{Deserialize, Serialize};

use super::columns::PhiMode;
use super::gaussian_check::GaussianCheck;
use std::sync::OnceLock;

use super::lira::{fit_sides, offline_scores, online_scores, SideFit, Spread};
use super::reference_counts::ReferenceCounts;
use super::reference_trend::{subset_sizes, trend_point, TrendFigures, TrendPoint};
use super::rmia::{likelihood_ratios, pairwise_scores, Marginals};
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

/// One piece of the work. The fits come first; the other tasks are independent of each other,
/// and those that need the fits (or RMIA's marginals) wait for whichever thread computes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AttackTask {
    /// Both sides' fits with every reference.
    Fit,
    Variant(Variant),
    Gaussian,
    /// Online LiRA with this many references.
    Trend(usize),
}

impl AttackTask {
    /// Needs the full fits (it cannot start before [`AttackTask::Fit`] is done).
    fn needs_fits(self) -> bool {
        match self {
            AttackTask::Variant(v) => !matches!(
                v,
                Variant::TargetPhi | Variant::RmiaOnline | Variant::RmiaOffline
            ),
            AttackTask::Gaussian => true,
            AttackTask::Fit | AttackTask::Trend(_) => false,
        }
    }
}

/// What a task gave: the part of the report it fills in, as it can be sent from the worker
/// that ran it to the one that writes the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum TaskResult {
    /// The fits stay with the run that made them.
    Fit,
    Variant(Box<VariantResult>),
    Gaussian(Vec<GaussianCheck>),
    Trend(TrendPoint),
}

impl TaskResult {
    /// Takes out the per-record scores and the ROC curve's columns of a variant's result (most
    /// of its bytes), so that they can be handed to another worker as they lie in memory;
    /// nothing for the other results.
    pub fn take_float_columns(&mut self) -> Vec<Vec<f64>> {
        match self {
            TaskResult::Variant(v) => match v.outcome.as_mut() {
                Ok(s) => {
                    let mut c = vec![std::mem::take(&mut s.scores)];
                    c.extend(s.metrics.roc.take_float_columns());
                    c
                }
                Err(_) => Vec::new(),
            },
            _ => Vec::new(),
        }
    }

    /// Puts back what [`take_float_columns`](Self::take_float_columns) took; `false` when the
    /// columns do not fit.
    pub fn put_float_columns(&mut self, mut columns: Vec<Vec<f64>>) -> bool {
        match self {
            TaskResult::Variant(v) => match v.outcome.as_mut() {
                Ok(s) if columns.len() == 4 => {
                    let roc = columns.split_off(1);
                    s.scores = columns.pop().unwrap_or_default();
                    s.metrics.roc.put_float_columns(roc)
                }
                Ok(_) => false,
                Err(_) => columns.is_empty(),
            },
            _ => columns.is_empty(),
        }
    }
}

/// What every task reads.
struct Context<'a> {
    table: &'a ReferenceTable,
    settings: ReferenceSettings,
    fits: OnceLock<[SideFit; 2]>,
    marginals: OnceLock<Marginals>,
    population: Vec<bool>,
    n_population: usize,
}

impl Context<'_> {
    fn new(table: &ReferenceTable, settings: ReferenceSettings) -> Context<'_> {
        let population: Vec<bool> = (0..table.len()).map(|i| table.in_population(i)).collect();
        let n_population = population.iter().filter(|&&z| z).count();
        Context {
            table,
            settings,
            fits: OnceLock::new(),
            marginals: OnceLock::new(),
            population,
            n_population,
        }
    }

    /// Both sides fitted with every reference (computed by the first task that needs them).
    fn fits(&self) -> &[SideFit; 2] {
        self.fits.get_or_init(|| {
            let all: Vec<usize> = (0..self.table.m).collect();
            fit_sides(self.table, &all, self.settings.center)
        })
    }

    fn marginals(&self) -> &Marginals {
        self.marginals
            .get_or_init(|| Marginals::of(self.table, self.settings.offline_a))
    }

    /// Every task, the slowest first (so that two threads pulling them in order end together).
    fn tasks(&self) -> Vec<AttackTask> {
        let mut t = vec![
            AttackTask::Fit,
            AttackTask::Variant(Variant::RmiaOffline),
            AttackTask::Variant(Variant::RmiaOnline),
        ];
        t.extend(
            subset_sizes(self.table.m)
                .into_iter()
                .rev()
                .map(AttackTask::Trend),
        );
        t.push(AttackTask::Gaussian);
        t.extend(
            Variant::ALL
                .into_iter()
                .filter(|v| !matches!(v, Variant::RmiaOffline | Variant::RmiaOnline))
                .map(AttackTask::Variant),
        );
        t
    }

    fn run(&self, task: AttackTask) -> TaskResult {
        match task {
            AttackTask::Fit => {
                self.fits();
                TaskResult::Fit
            }
            AttackTask::Variant(v) => TaskResult::Variant(Box::new(self.variant(v))),
            AttackTask::Gaussian => {
                TaskResult::Gaussian(GaussianCheck::of_fits(self.table, self.fits()))
            }
            AttackTask::Trend(k) => {
                TaskResult::Trend(trend_point(self.table, k, self.settings.center))
            }
        }
    }

    fn variant(&self, v: Variant) -> VariantResult {
        let (table, settings) = (self.table, self.settings);
        let phi = &table.target_phi;
        let rmia = |marginal: Option<&Vec<f64>>| -> Result<Vec<f64>, Unavailable> {
            let marginal = marginal.ok_or(Unavailable::NoOutReferences)?;
            let r = likelihood_ratios(&table.target_p, marginal);
            pairwise_scores(&r, &self.population, settings.gamma).ok_or(
                Unavailable::PopulationTooSmall {
                    size: self.n_population,
                },
            )
        };
        let lira = || {
            let fits = self.fits();
            let online_missing = if fits[0].any() {
                Unavailable::NoOutReferences
            } else {
                Unavailable::NoInReferences
            };
            (fits, online_missing)
        };
        let scores: Result<Vec<f64>, Unavailable> = match v {
            Variant::TargetPhi => Ok(phi.clone()),
            Variant::LiraOnline => {
                let (fits, missing) = lira();
                online_scores(phi, fits, Spread::PerRecord).ok_or(missing)
            }
            Variant::LiraOnlineGlobal => {
                let (fits, missing) = lira();
                online_scores(phi, fits, Spread::Global).ok_or(missing)
            }
            Variant::LiraOffline => {
                offline_scores(phi, &lira().0[1], Spread::PerRecord, settings.offline_test)
                    .ok_or(Unavailable::NoOutReferences)
            }
            Variant::LiraOfflineGlobal => {
                offline_scores(phi, &lira().0[1], Spread::Global, settings.offline_test)
                    .ok_or(Unavailable::NoOutReferences)
            }
            Variant::RmiaOnline => rmia(Some(&self.marginals().online)),
            Variant::RmiaOffline => rmia(self.marginals().offline.as_ref()),
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
    fn report(self, done: Vec<TaskResult>) -> ReferenceReport {
        let table = self.table;
        let mut variants: Vec<VariantResult> = Vec::new();
        let mut gaussian = Vec::new();
        let mut trend = Vec::new();
        for d in done {
            match d {
                TaskResult::Fit => {}
                TaskResult::Variant(v) => variants.push(*v),
                TaskResult::Gaussian(g) => gaussian = g,
                TaskResult::Trend(p) => trend.push(p),
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
        let center = self.settings.center;
        let fits = self.fits.into_inner().unwrap_or_else(|| {
            let all: Vec<usize> = (0..table.m).collect();
            fit_sides(table, &all, center)
        });
        let counts = ReferenceCounts::of(&fits, table.m);
        let mut warnings = counts.warnings(&fits);
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
            fits,
            counts,
            gaussian,
            trend,
            warnings,
        }
    }
}

/// A task's share of the work, for progress: the passes over the n × M values weigh most.
fn weight(task: AttackTask) -> f64 {
    match task {
        AttackTask::Fit => 3.0,
        AttackTask::Variant(Variant::RmiaOnline | Variant::RmiaOffline) => 2.0,
        AttackTask::Trend(_) => 2.0,
        AttackTask::Gaussian => 1.5,
        AttackTask::Variant(_) => 1.0,
    }
}

/// The attacks run step by step, so that a caller (the page's worker) can report progress and
/// stop between steps: each [`step`](Self::step) runs one task (the fits, one variant, the
/// Gaussian check or one point of the trend).
///
/// The work can be shared: [`hand_off`](Self::hand_off) takes out tasks that do not need this
/// run's fits, another run ([`of_tasks`](Self::of_tasks), on its own copy of the table, e.g. in
/// another worker) does them, and [`receive`](Self::receive) takes their results back; the
/// report is the same as a run on one thread.
pub struct ReferenceAttackRun<'a> {
    ctx: Context<'a>,
    /// Tasks still to run here, the next last.
    tasks: Vec<AttackTask>,
    done: Vec<TaskResult>,
    /// Tasks handed to another run whose results have not come back.
    away: Vec<AttackTask>,
    total_weight: f64,
    done_weight: f64,
}

impl<'a> ReferenceAttackRun<'a> {
    /// A run of every task, not yet started.
    pub fn new(table: &'a ReferenceTable, settings: ReferenceSettings) -> Self {
        let ctx = Context::new(table, settings);
        let tasks = ctx.tasks();
        Self::with(ctx, tasks)
    }

    /// A run of `tasks` only (those another run [handed off](Self::hand_off)); its
    /// [`results`](Self::results) go back to that run.
    pub fn of_tasks(
        table: &'a ReferenceTable,
        settings: ReferenceSettings,
        tasks: Vec<AttackTask>,
    ) -> Self {
        Self::with(Context::new(table, settings), tasks)
    }

    fn with(ctx: Context<'a>, mut tasks: Vec<AttackTask>) -> Self {
        let total_weight = tasks.iter().map(|&t| weight(t)).sum();
        tasks.reverse();
        ReferenceAttackRun {
            ctx,
            tasks,
            done: Vec::new(),
            away: Vec::new(),
            total_weight,
            done_weight: 0.0,
        }
    }

    /// Takes out of this run the tasks a second worker of about the same speed should do so that
    /// both end together, and returns them: both RMIA variants, which share the pass over the
    /// references' probabilities, and the trend's largest subset. Measured in the page on
    /// n = 100k × M = 64, with per-task marks, both workers starting together (the other one
    /// joins the table itself): RMIA took 135–185 ms and the larger trend refit 60–80 ms, while
    /// the fits, the smaller refit, the Gaussian check and the LiRA variants took 220–260 ms.
    /// None needs the fits.
    pub fn hand_off(&mut self) -> Vec<AttackTask> {
        let largest_trend = subset_sizes(self.ctx.table.m).last().copied();
        let theirs = |t: &AttackTask| match t {
            AttackTask::Variant(v) => matches!(v, Variant::RmiaOnline | Variant::RmiaOffline),
            AttackTask::Trend(k) => Some(*k) == largest_trend,
            _ => false,
        };
        let away: Vec<AttackTask> = self.tasks.iter().rev().copied().filter(theirs).collect();
        debug_assert!(away.iter().all(|t| !t.needs_fits()));
        self.tasks.retain(|t| !theirs(t));
        self.away.extend_from_slice(&away);
        away
    }

    /// Takes back the results of tasks [handed off](Self::hand_off); `false` (and nothing taken)
    /// when they are not the results of exactly the tasks that are away.
    pub fn receive(&mut self, results: Vec<TaskResult>) -> bool {
        let task_of = |r: &TaskResult| match r {
            TaskResult::Fit => Some(AttackTask::Fit),
            TaskResult::Variant(v) => Some(AttackTask::Variant(v.variant)),
            TaskResult::Gaussian(_) => Some(AttackTask::Gaussian),
            TaskResult::Trend(p) => Some(AttackTask::Trend(p.m)),
        };
        let mut got: Vec<AttackTask> = results.iter().filter_map(task_of).collect();
        let mut want = self.away.clone();
        let key = |t: &AttackTask| format!("{t:?}");
        got.sort_by_key(key);
        want.sort_by_key(key);
        if got != want {
            return false;
        }
        self.done_weight += self.away.iter().map(|&t| weight(t)).sum::<f64>();
        self.away.clear();
        self.done.extend(results);
        true
    }

    /// Runs the next task here; `true` once every task of this run has run (results handed off
    /// may still be away).
    pub fn step(&mut self) -> bool {
        if let Some(task) = self.tasks.pop() {
            self.done.push(self.ctx.run(task));
            self.done_weight += weight(task);
        }
        self.tasks.is_empty()
    }

    /// Fraction of the work done, counting the tasks handed off as done only once they are back.
    pub fn fraction_done(&self) -> f64 {
        if self.total_weight == 0.0 {
            1.0
        } else {
            (self.done_weight / self.total_weight).min(1.0)
        }
    }

    /// The results of this run's tasks (the tasks left are run first): what a run of
    /// [handed-off](Self::hand_off) tasks sends back.
    pub fn results(mut self) -> Vec<TaskResult> {
        while !self.step() {}
        self.done
    }

    /// The report (the tasks left here are run first, and the tasks handed off but not
    /// received are run here too).
    pub fn finish(mut self) -> ReferenceReport {
        let away = std::mem::take(&mut self.away);
        self.tasks.extend(away);
        while !self.step() {}
        self.ctx.report(self.done)
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
    let ctx = Context::new(table, settings);
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
