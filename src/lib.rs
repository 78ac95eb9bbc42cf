//! mia-playground: the browser front end of the membership-inference audit.
//!
//! The folders show the architecture, and arrows go one way:
//! [`pages`] → [`hooks`] / [`widgets`] / [`charts`] → [`protocol`] ← [`worker`] → `mia-engine`.
//! The page never computes a metric: it sends typed requests ([`protocol`]) to the web worker
//! ([`worker`]), which calls the engine, and draws what comes back. [`app`] frames the views and
//! [`route`] keeps each view's controls in the link.

pub mod app;
pub mod charts;
pub mod csp;
pub mod format;
pub mod hooks;
pub mod pages;
pub mod protocol;
pub mod route;
pub mod samples;
pub mod widgets;
pub mod worker;
