//! Mode B, everything trained here: split a dataset, train a target and N shadow models, train
//! the attack on the shadows' in/out outputs, attack the target. Runs in steps (one model per
//! step) so a caller can show progress and cancel; deterministic from the seed.

use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::{
    attack_features, AttackModel, Classifier, RecordVerdict, ShadowConfig, ShadowError,
    ShadowReport, TabularDataset,
};
use crate::attack::report::{audit_signal, model_summary, report_for_scores};
use crate::models::Matrix;
use crate::{AuditTable, ColumnMapping, Signal};

/// Where an experiment is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ShadowStage {
    TrainTarget,
    TrainShadow(usize),
    TrainAttack,
    AttackTarget,
    Done,
}

/// An experiment in progress.
pub struct ShadowExperiment {
    data: TabularDataset,
    config: ShadowConfig,
    stage: ShadowStage,
    /// Target's training records (members) and held-out records (non-members), dataset rows.
    target_in: Vec<usize>,
    target_out: Vec<usize>,
    attacker_pool: Vec<usize>,
    target: Option<Classifier>,
    shadow_features: Vec<Vec<f64>>,
    shadow_member: Vec<bool>,
    shadow_labels: Vec<usize>,
    attack: Option<(AttackModel, f64)>,
    report: Option<ShadowReport>,
}

/// Smallest dataset that can be split four ways with both classes likely in each part.
pub const MIN_ROWS: usize = 40;

impl ShadowExperiment {
    /// Splits the dataset (shuffled with the seed): half for the target (half of that its
    /// training set), half as the attacker's pool from which each shadow draws a random half.
    /// The settings are checked first ([`ShadowConfig::check`]).
    pub fn new(
        data: TabularDataset,
        config: ShadowConfig,
    ) -> Result<ShadowExperiment, ShadowError> {
        let config = config.check()?;
        if data.x.rows < MIN_ROWS {
            return Err(ShadowError::TooFewRows { rows: data.x.rows });
        }
        let mut idx: Vec<usize> = (0..data.x.rows).collect();
        idx.shuffle(&mut ChaCha8Rng::seed_from_u64(config.seed));
        let half = idx.len() / 2;
        let (target_pool, attacker_pool) = idx.split_at(half);
        let q = target_pool.len() / 2;
        Ok(ShadowExperiment {
            target_in: target_pool[..q].to_vec(),
            target_out: target_pool[q..].to_vec(),
            attacker_pool: attacker_pool.to_vec(),
            data,
            config,
            stage: ShadowStage::TrainTarget,
            target: None,
            shadow_features: Vec::new(),
            shadow_member: Vec::new(),
            shadow_labels: Vec::new(),
            attack: None,
            report: None,
        })
    }

    /// The step [`step`](Self::step) will do next.
    pub fn stage(&self) -> ShadowStage {
        self.stage
    }

    /// Fraction of the work done, by models trained.
    pub fn fraction_done(&self) -> f64 {
        let total = self.config.n_shadows as f64 + 3.0;
        let done = match self.stage {
            ShadowStage::TrainTarget => 0.0,
            ShadowStage::TrainShadow(i) => 1.0 + i as f64,
            ShadowStage::TrainAttack => 1.0 + self.config.n_shadows as f64,
            ShadowStage::AttackTarget => 2.0 + self.config.n_shadows as f64,
            ShadowStage::Done => total,
        };
        done / total
    }

    fn labels(&self, rows: &[usize]) -> Vec<usize> {
        rows.iter().map(|&i| self.data.y[i]).collect()
    }

    fn fit(&self, rows: &[usize], seed: u64) -> Result<Classifier, ShadowError> {
        Classifier::fit(
            self.config.model,
            &self.data.x.select_rows(rows),
            &self.labels(rows),
            self.data.n_classes(),
            seed,
        )
        .map_err(ShadowError::Training)
    }

    fn features(&self, model: &Classifier, rows: &[usize]) -> Vec<Vec<f64>> {
        model
            .predict_proba(&self.data.x.select_rows(rows))
            .iter()
            .zip(rows)
            .map(|(p, &i)| attack_features(p, Some(self.data.y[i]), self.config.attack.top_k))
            .collect()
    }

    /// Does the next step. Returns `true` when the experiment is finished.
    pub fn step(&mut self) -> Result<bool, ShadowError> {
        match self.stage {
            ShadowStage::TrainTarget => {
                self.target = Some(self.fit(&self.target_in, self.config.seed)?);
                self.stage = ShadowStage::TrainShadow(0);
            }
            ShadowStage::TrainShadow(i) => {
                let mut pool = self.attacker_pool.clone();
                pool.shuffle(&mut ChaCha8Rng::seed_from_u64(
                    self.config.seed.wrapping_add(1 + i as u64),
                ));
                let (inside, outside) = pool.split_at(pool.len() / 2);
                let shadow = self.fit(inside, self.config.seed.wrapping_add(1 + i as u64))?;
                for (rows, member) in [(inside, true), (outside, false)] {
                    let f = self.features(&shadow, rows);
                    self.shadow_features.extend(f);
                    self.shadow_member
                        .extend(std::iter::repeat_n(member, rows.len()));
                    self.shadow_labels.extend(self.labels(rows));
                }
                self.stage = if i + 1 < self.config.n_shadows {
                    ShadowStage::TrainShadow(i + 1)
                } else {
                    ShadowStage::TrainAttack
                };
            }
            ShadowStage::TrainAttack => {
                let x = Matrix::from_rows(&self.shadow_features)
                    .ok_or(ShadowError::InconsistentFeatures)?;
                let labels = self
                    .config
                    .attack
                    .per_class
                    .then_some(self.shadow_labels.as_slice());
                let model = AttackModel::fit(&x, &self.shadow_member, labels, &self.config.attack)
                    .map_err(ShadowError::AttackTraining)?;
                let oof = AttackModel::out_of_fold_accuracy(
                    &x,
                    &self.shadow_member,
                    labels,
                    &self.config.attack,
                    self.config.seed,
                )
                .map_err(ShadowError::AttackCrossValidation)?;
                self.attack = Some((model, oof));
                self.stage = ShadowStage::AttackTarget;
            }
            ShadowStage::AttackTarget => {
                self.report = Some(self.attack_target()?);
                self.stage = ShadowStage::Done;
            }
            ShadowStage::Done => {}
        }
        Ok(self.stage == ShadowStage::Done)
    }

    fn attack_target(&self) -> Result<ShadowReport, ShadowError> {
        let target = self.target.as_ref().ok_or(ShadowError::MissingTarget)?;
        let (attack, oof) = self.attack.as_ref().ok_or(ShadowError::MissingAttack)?;
        let rows: Vec<usize> = self
            .target_in
            .iter()
            .chain(&self.target_out)
            .copied()
            .collect();
        let probs = target.predict_proba(&self.data.x.select_rows(&rows));
        let k = self.data.n_classes();
        let table = AuditTable {
            headers: vec!["record".into(), "member".into(), "label".into()],
            mapping: ColumnMapping {
                id: Some(0),
                member: Some(1),
                label: Some(2),
                ..ColumnMapping::default()
            },
            n_classes: k,
            source_rows: rows.iter().map(|&i| i as u64 + 2).collect(),
            ids: Some(rows.iter().map(|&i| format!("record {}", i + 1)).collect()),
            member: (0..rows.len()).map(|j| j < self.target_in.len()).collect(),
            label: Some(rows.iter().map(|&i| self.data.y[i] as u32).collect()),
            confidence: None,
            loss: None,
            probs: Some(probs.iter().flatten().copied().collect()),
            logits: None,
            shadow: None,
            folded: None,
        };
        let feats = self.features(target, &rows);
        let verdict_p: Vec<f64> = feats
            .iter()
            .zip(&rows)
            .map(|(f, &i)| attack.membership_probability(f, Some(self.data.y[i])))
            .collect();
        let verdicts = (0..rows.len())
            .map(|j| {
                RecordVerdict::new(
                    table.record_name(j),
                    Some(table.member.get(j)),
                    table.label.as_ref().map(|l| l[j]),
                    verdict_p[j],
                )
            })
            .collect();
        let summary = model_summary(&table);
        let mut report = ShadowReport {
            n_shadows: self.config.n_shadows,
            model: self.config.model.describe(),
            n_shadow_records: self.shadow_member.len(),
            attack_oof_accuracy: *oof,
            verdicts,
            n_predicted_members: 0,
            n_high_confidence: 0,
            shadow_attack: report_for_scores(&table, Signal::Confidence, &verdict_p).ok(),
            threshold_attack: audit_signal(&table, Signal::Confidence).ok().flatten(),
            target_train_accuracy: summary.target_train_accuracy,
            target_test_accuracy: summary.target_test_accuracy,
        };
        report.count();
        Ok(report)
    }

    /// The report, once [`step`](Self::step) has returned `true`.
    pub fn into_report(self) -> Option<ShadowReport> {
        self.report
    }

    /// Runs every step.
    pub fn run(data: TabularDataset, config: ShadowConfig) -> Result<ShadowReport, ShadowError> {
        let mut e = ShadowExperiment::new(data, config)?;
        while !e.step()? {}
        e.into_report().ok_or(ShadowError::NoReport)
    }
}
