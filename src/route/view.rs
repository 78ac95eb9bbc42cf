//! The views of the app, as the link names them.

/// The views of the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Audit,
    Simulator,
    Shadow,
    Lira,
    Train,
    Unlearn,
    Text,
    Restrict,
    Monitor,
    Checklist,
    Dp,
}

impl View {
    pub const ALL: [View; 11] = [
        View::Audit,
        View::Simulator,
        View::Shadow,
        View::Lira,
        View::Train,
        View::Unlearn,
        View::Text,
        View::Restrict,
        View::Monitor,
        View::Checklist,
        View::Dp,
    ];

    pub fn key(self) -> &'static str {
        match self {
            View::Audit => "audit",
            View::Simulator => "simulator",
            View::Shadow => "shadow",
            View::Lira => "lira",
            View::Train => "train",
            View::Unlearn => "unlearn",
            View::Text => "text",
            View::Restrict => "restrict",
            View::Monitor => "monitor",
            View::Checklist => "checklist",
            View::Dp => "dp",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            View::Audit => "Audit a model",
            View::Simulator => "Simulator",
            View::Shadow => "Shadow-model attack",
            View::Lira => "Reference attacks",
            View::Train => "Training lab",
            View::Unlearn => "Unlearning",
            View::Text => "Text & LLMs",
            View::Restrict => "Restrict outputs",
            View::Monitor => "Monitor queries",
            View::Checklist => "Checklist & report",
            View::Dp => "Differential privacy",
        }
    }

    pub fn from_key(s: &str) -> Option<View> {
        View::ALL.into_iter().find(|v| v.key() == s)
    }
}
