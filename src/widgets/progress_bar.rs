//! Progress of the worker's job, with a cancel button. It fades in after 300 ms (CSS), so quick
//! jobs do not flash it.

use yew::prelude::*;

use crate::hooks::worker_job::Busy;
use crate::protocol::Stage;

#[derive(Properties, PartialEq)]
pub struct ProgressBarProps {
    pub busy: Busy,
    pub on_cancel: Callback<()>,
    /// Offers pause and resume (jobs that can be held): called with `true` to pause.
    #[prop_or_default]
    pub on_pause: Option<Callback<bool>>,
}

#[component]
pub fn ProgressBar(props: &ProgressBarProps) -> Html {
    let b = &props.busy;
    let what = match b.stage {
        Stage::Reading => format!("Reading {}", b.source_name),
        Stage::Simulating => "Drawing the scores".to_string(),
        Stage::Attacking(s) => format!("Attacking with {}", s.title().to_lowercase()),
        Stage::Sweeping => "Sweeping the gap from 0 to 0.5".to_string(),
        Stage::Training(s) => match s {
            mia_engine::shadow::ShadowStage::TrainTarget => "Training the target model".to_string(),
            mia_engine::shadow::ShadowStage::TrainShadow(i) => {
                format!("Training shadow model {}", i + 1)
            }
            mia_engine::shadow::ShadowStage::TrainAttack => "Training the attack model".to_string(),
            mia_engine::shadow::ShadowStage::AttackTarget => "Attacking the target".to_string(),
            mia_engine::shadow::ShadowStage::Done => "Done".to_string(),
        },
        Stage::TrainingReference(0) => "Training the target model".to_string(),
        Stage::TrainingReference(k) => format!("Training reference model {k}"),
        Stage::ReferenceAttacks => "Running LiRA and RMIA".to_string(),
        Stage::TrainingEpoch { epoch, epochs } => format!("Training epoch {epoch} of {epochs}"),
        Stage::Profiling { run, runs } => format!("Training run {run} of {runs}"),
        Stage::Verifying => "Verifying the unlearning".to_string(),
        Stage::ScoringPairs { done, total } => format!(
            "Scoring pair {} of {}",
            crate::format::count(done as u64),
            crate::format::count(total as u64)
        ),
        Stage::AuditingTexts => "Auditing the texts".to_string(),
        Stage::ReplayingLog => "Replaying the log in time order".to_string(),
        Stage::FittingCanaries { done, total } => {
            format!("Fitting canary {} of {total}", done + 1)
        }
        Stage::Unlearning {
            method,
            step,
            steps,
        } => format!("{}: {} {step} of {steps}", method.title(), method.unit()),
    };
    let fraction = b.fraction.clamp(0.0, 1.0);
    let pct = (fraction * 100.0).round();
    let on_cancel = props.on_cancel.clone();
    let paused = b.paused;
    let label = if paused {
        format!("Paused at {pct}%: {}", what.to_lowercase())
    } else {
        format!("{what}… {pct}%")
    };
    let pause = props.on_pause.clone().map(|cb| {
        let onclick = Callback::from(move |_: MouseEvent| cb.emit(!paused));
        html! {
            <button class="cancel" data-testid={if paused { "resume" } else { "pause" }} onclick={onclick}>
                {if paused { "Resume" } else { "Pause" }}
            </button>
        }
    });
    html! {
        <div class={classes!("progress", paused.then_some("paused"))} role="status" data-testid="progress">
            <div class="progress-label">{label}</div>
            <div class="progress-track"><div class="progress-fill" style={format!("transform:scaleX({fraction:.3})")}></div></div>
            {for pause}
            <button class="cancel" data-testid="cancel" onclick={Callback::from(move |_| on_cancel.emit(()))}>{"Cancel"}</button>
        </div>
    }
}
