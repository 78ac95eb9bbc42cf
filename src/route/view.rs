//! The views of the app, as the link names them.

/// The views of the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Audit,
    Simulator,
    Shadow,
    Restrict,
    Checklist,
    Dp,
}

impl View {
    pub const ALL: [View; 6] = [
        View::Audit,
        View::Simulator,
        View::Shadow,
        View::Restrict,
        View::Checklist,
        View::Dp,
    ];

    pub fn key(self) -> &'static str {
        match self {
            View::Audit => "audit",
            View::Simulator => "simulator",
            View::Shadow => "shadow",
            View::Restrict => "restrict",
            View::Checklist => "checklist",
            View::Dp => "dp",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            View::Audit => "Audit a model",
            View::Simulator => "Simulator",
            View::Shadow => "Shadow-model attack",
            View::Restrict => "Restrict outputs",
            View::Checklist => "Checklist & report",
            View::Dp => "Differential privacy",
        }
    }

    pub fn from_key(s: &str) -> Option<View> {
        View::ALL.into_iter().find(|v| v.key() == s)
    }
}
