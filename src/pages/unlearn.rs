//! The unlearning view (`?view=unlearn&…`): verify an unlearning from a model's outputs before and
//! after: the seed design's test, the stronger membership-inference test, utility and the forget
//! records still exposed.

pub mod page;
pub mod results;
