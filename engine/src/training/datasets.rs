//! The bundled tabular datasets (no download): scikit-learn's digits (8×8 handwritten digits,
//! 1,797 images), the same digits with fixed per-record pixel noise (each image made unique, so an
//! overfit model memorises it: the one that leaks), Wisconsin diagnostic breast cancer (569
//! patients) and wine (178 wines, 3 cultivars). One registry for the page and the CLI.

use crate::shadow::TabularDataset;

/// Standard deviation of the noisy digits' pixel noise (pixels are 0..16).
pub const DIGITS_NOISE_SD: f64 = 8.0;
/// Seed of the noisy digits' pixel noise (the same noise everywhere: it is part of the data).
pub const DIGITS_NOISE_SEED: u64 = 12345;

/// The ids, as the link and `mia train --dataset` spell them.
pub const DATASET_IDS: [&str; 4] = ["digits", "digits_noisy", "breast_cancer", "wine"];

/// The CSV bytes of a bundled file.
pub fn dataset_csv(file: &str) -> Option<&'static [u8]> {
    match file {
        "digits" => Some(include_bytes!("../../../www/datasets/digits.csv")),
        "breast_cancer" => Some(include_bytes!("../../../www/datasets/breast_cancer.csv")),
        "wine" => Some(include_bytes!("../../../www/datasets/wine.csv")),
        _ => None,
    }
}

/// A bundled dataset by id (`None` for an unknown id).
pub fn bundled_dataset(id: &str) -> Option<TabularDataset> {
    let (file, noisy) = match id {
        "digits_noisy" => ("digits", true),
        other => (other, false),
    };
    let data = TabularDataset::from_csv(dataset_csv(file)?).ok()?;
    Some(if noisy {
        data.with_pixel_noise(DIGITS_NOISE_SD, DIGITS_NOISE_SEED)
    } else {
        data
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_bundled_dataset_reads() {
        for (id, rows, classes) in [
            ("digits", 1797, 10),
            ("digits_noisy", 1797, 10),
            ("breast_cancer", 569, 2),
            ("wine", 178, 3),
        ] {
            let d = super::bundled_dataset(id).unwrap();
            assert_eq!((d.x.rows, d.class_names.len()), (rows, classes), "{id}");
        }
        assert!(super::bundled_dataset("mnist").is_none());
        assert_ne!(
            super::bundled_dataset("digits").unwrap().x,
            super::bundled_dataset("digits_noisy").unwrap().x
        );
    }
}
