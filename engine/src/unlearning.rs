//! Machine unlearning and its verification by membership inference (the right to erasure, GDPR
//! Art. 17 and the CCPA). From a model's outputs before and after an unlearning, on the records it
//! should forget, on records it keeps (retain) and on records it never saw (held out):
//!
//! - the seed design's test, exactly (`verify_unlearning_with_mi_test`): the mean confidence on the
//!   forget set against the held-out mean, before and after ([`seed_test`]);
//! - a stronger test, because a mean can hide a tail: the threshold attack of Yeom et al. (2018)
//!   with every signal, forget set against held-out records, before and after, with DeLong's
//!   interval on the AUC and Clopper-Pearson intervals on the TPR at low FPR ([`mi_test`]);
//! - utility: accuracy on the retained and held-out records, before and after, and the forget
//!   records the attack still singles out ([`report`]).

pub mod error;
pub mod gradient_ascent;
pub mod input;
pub mod lab;
pub mod lab_settings;
pub mod mi_test;
pub mod report;
pub mod seed_test;

pub use error::UnlearningError;
pub use input::{UnlearnSet, UnlearningInput};
pub use report::{verify_unlearning, UnlearningReport};
