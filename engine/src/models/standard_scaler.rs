//! Standardisation to zero mean and unit variance, as scikit-learn's `StandardScaler`.

use serde::{Deserialize, Serialize};

use super::Matrix;

/// Per-column mean and scale (population standard deviation; 1 for a constant column).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StandardScaler {
    pub mean: Vec<f64>,
    pub scale: Vec<f64>,
}

impl StandardScaler {
    /// Learns the columns' means and scales.
    ///
    /// # Examples
    /// ```
    /// use mia_engine::models::{Matrix, StandardScaler};
    /// let x = Matrix::from_rows(&[vec![1.0, 5.0], vec![3.0, 5.0]]).unwrap();
    /// let s = StandardScaler::fit(&x);
    /// assert_eq!((s.mean.clone(), s.scale.clone()), (vec![2.0, 5.0], vec![1.0, 1.0]));
    /// ```
    pub fn fit(x: &Matrix) -> StandardScaler {
        let n = x.rows.max(1) as f64;
        let mut mean = vec![0.0; x.cols];
        for i in 0..x.rows {
            for (m, v) in mean.iter_mut().zip(x.row(i)) {
                *m += v;
            }
        }
        mean.iter_mut().for_each(|m| *m /= n);
        let mut var = vec![0.0; x.cols];
        for i in 0..x.rows {
            for ((s, v), m) in var.iter_mut().zip(x.row(i)).zip(&mean) {
                *s += (v - m) * (v - m);
            }
        }
        let scale = var
            .into_iter()
            .map(|s| {
                let sd = (s / n).sqrt();
                // scikit-learn leaves constant columns unscaled.
                if sd < 10.0 * f64::EPSILON * 1.0f64.max(sd) || sd == 0.0 {
                    1.0
                } else {
                    sd
                }
            })
            .collect();
        StandardScaler { mean, scale }
    }

    /// `(x − mean) / scale`, column by column.
    pub fn transform(&self, x: &Matrix) -> Matrix {
        let mut out = x.clone();
        for i in 0..x.rows {
            let row = &mut out.data[i * x.cols..(i + 1) * x.cols];
            for ((v, m), s) in row.iter_mut().zip(&self.mean).zip(&self.scale) {
                *v = (*v - m) / s;
            }
        }
        out
    }
}
