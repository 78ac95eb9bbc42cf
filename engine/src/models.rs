//! Small, deterministic models trained in the engine: the pieces of the shadow-model attack.

pub mod fit_error;
pub mod lbfgs;
pub mod logistic_regression;
pub mod matrix;
pub mod mlp;
pub mod portable_math;
pub mod standard_scaler;

pub use logistic_regression::LogisticRegression;
pub use matrix::Matrix;
pub use mlp::{Mlp, MlpOptions};
pub use standard_scaler::StandardScaler;
