//! What the reference-attack charts' axes share: the mesh's look and the tick labels.

use plotters::chart::MeshStyle;
use plotters::coord::ranged1d::{Ranged, ValueFormatter};
use plotters::prelude::*;

use super::palette::{AXIS, CHANCE};

/// The grid and label styles of every chart on the page, set on `mesh`.
pub fn house_style<'a, 'b, 'm, X, Y, XT, YT, DB>(
    mesh: &'m mut MeshStyle<'a, 'b, X, Y, DB>,
) -> &'m mut MeshStyle<'a, 'b, X, Y, DB>
where
    X: Ranged<ValueType = XT> + ValueFormatter<XT>,
    Y: Ranged<ValueType = YT> + ValueFormatter<YT>,
    DB: DrawingBackend,
{
    mesh.light_line_style(CHANCE.mix(0.12))
        .bold_line_style(CHANCE.mix(0.25))
        .label_style(("sans-serif", 12).into_font().color(&AXIS))
        .axis_desc_style(("sans-serif", 13).into_font().color(&AXIS))
}

/// A label at whole numbers only (counts, numbers of models); empty elsewhere.
pub fn whole(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round())
    } else {
        String::new()
    }
}

/// A log axis's label at powers of ten only: `1`, `0.1`, `0.01`, `1e-3`, …
pub fn decade(v: f64) -> String {
    let e = v.log10().round();
    if (v.log10() - e).abs() > 1e-6 {
        return String::new();
    }
    match e as i32 {
        0 => "1".into(),
        -1 => "0.1".into(),
        -2 => "0.01".into(),
        k => format!("1e{k}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_only_where_they_belong() {
        for (v, label) in [(3.0, "3"), (0.0, "0"), (2.5, ""), (-1.0, "-1")] {
            assert_eq!(whole(v), label);
        }
        for (v, label) in [
            (1.0, "1"),
            (0.1, "0.1"),
            (0.01, "0.01"),
            (1e-3, "1e-3"),
            (1e-4, "1e-4"),
            (0.5, ""),
        ] {
            assert_eq!(decade(v), label);
        }
    }
}
