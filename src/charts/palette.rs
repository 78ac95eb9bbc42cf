//! Colours: the Okabe–Ito palette, distinguishable with the common forms of colour blindness.

use plotters::style::RGBColor;

/// Members (in the training set): vermillion.
pub const MEMBER: RGBColor = RGBColor(213, 94, 0);
/// Non-members: blue.
pub const NONMEMBER: RGBColor = RGBColor(0, 114, 178);
/// The attack's curve: bluish green.
pub const ATTACK: RGBColor = RGBColor(0, 158, 115);
/// The threshold and markers: near black.
pub const INK: RGBColor = RGBColor(34, 34, 34);
/// Chance line and grid.
pub const CHANCE: RGBColor = RGBColor(150, 150, 150);
/// Axis label colour.
pub const AXIS: RGBColor = RGBColor(68, 68, 68);
/// Closed-form (analytic) curves: reddish purple.
pub const ANALYTIC: RGBColor = RGBColor(204, 121, 167);
/// The differential-privacy bound on the ROC curve (vermillion-red, drawn dashed).
pub const DP_BOUND: RGBColor = RGBColor(200, 30, 45);
/// Orange (Okabe–Ito): a second warm hue where several curves share a chart.
pub const ORANGE: RGBColor = RGBColor(230, 159, 0);
/// Sky blue (Okabe–Ito): a second cool hue where several curves share a chart.
pub const SKY_BLUE: RGBColor = RGBColor(86, 180, 233);
