//! Progress of the worker's job, with a cancel button. It fades in after 300 ms (CSS), so quick
//! jobs do not flash it.

use yew::prelude::*;

use crate::hooks::worker_job::Busy;
use crate::protocol::Stage;

#[derive(Properties, PartialEq)]
pub struct ProgressBarProps {
    pub busy: Busy,
    pub on_cancel: Callback<()>,
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
    };
    let fraction = b.fraction.clamp(0.0, 1.0);
    let pct = (fraction * 100.0).round();
    let on_cancel = props.on_cancel.clone();
    html! {
        <div class="progress" role="status" data-testid="progress">
            <div class="progress-label">{format!("{what}… {pct}%")}</div>
            <div class="progress-track"><div class="progress-fill" style={format!("transform:scaleX({fraction:.3})")}></div></div>
            <button class="cancel" data-testid="cancel" onclick={Callback::from(move |_| on_cancel.emit(()))}>{"Cancel"}</button>
        </div>
    }
}
