//! Limited-memory BFGS (Nocedal 1980; Liu & Nocedal 1989, "On the limited memory BFGS method for
//! large scale optimization") with a backtracking Armijo line search: the optimiser behind
//! scikit-learn's default `lbfgs` solver, for smooth convex objectives.

/// Stopping rules.
#[derive(Debug, Clone, Copy)]
pub struct LbfgsOptions {
    pub memory: usize,
    pub max_iter: usize,
    /// Stop when the largest gradient component is below this.
    pub gradient_tol: f64,
    /// When no further progress is possible (the line search is at rounding level), the run still
    /// counts as converged if the largest gradient component is below this.
    pub accept_tol: f64,
}

impl Default for LbfgsOptions {
    fn default() -> Self {
        LbfgsOptions {
            memory: 10,
            max_iter: 2_000,
            gradient_tol: 1e-10,
            accept_tol: 1e-6,
        }
    }
}

/// The result: the minimiser, its objective value, the iterations used, and whether the gradient
/// tolerance was reached.
#[derive(Debug, Clone)]
pub struct LbfgsResult {
    pub x: Vec<f64>,
    pub value: f64,
    pub iterations: usize,
    pub converged: bool,
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Minimises `f`, which returns the value and writes the gradient, from `x0`.
pub fn minimize(
    mut f: impl FnMut(&[f64], &mut [f64]) -> f64,
    x0: Vec<f64>,
    opt: LbfgsOptions,
) -> LbfgsResult {
    let n = x0.len();
    let mut x = x0;
    let mut g = vec![0.0; n];
    let mut fx = f(&x, &mut g);
    let mut s_hist: Vec<Vec<f64>> = Vec::new();
    let mut y_hist: Vec<Vec<f64>> = Vec::new();
    let mut x_new = vec![0.0; n];
    let mut g_new = vec![0.0; n];
    for it in 0..opt.max_iter {
        let gmax = g.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        if gmax < opt.gradient_tol {
            return LbfgsResult {
                x,
                value: fx,
                iterations: it,
                converged: true,
            };
        }
        // Two-loop recursion: d = −H g.
        let mut q = g.clone();
        let k = s_hist.len();
        let mut alpha = vec![0.0; k];
        for i in (0..k).rev() {
            let rho = 1.0 / dot(&y_hist[i], &s_hist[i]);
            alpha[i] = rho * dot(&s_hist[i], &q);
            for (qj, yj) in q.iter_mut().zip(&y_hist[i]) {
                *qj -= alpha[i] * yj;
            }
        }
        let gamma = if k > 0 {
            dot(&s_hist[k - 1], &y_hist[k - 1]) / dot(&y_hist[k - 1], &y_hist[k - 1])
        } else {
            1.0 / gmax.max(1.0)
        };
        q.iter_mut().for_each(|v| *v *= gamma);
        for i in 0..k {
            let rho = 1.0 / dot(&y_hist[i], &s_hist[i]);
            let beta = rho * dot(&y_hist[i], &q);
            for (qj, sj) in q.iter_mut().zip(&s_hist[i]) {
                *qj += (alpha[i] - beta) * sj;
            }
        }
        let mut d: Vec<f64> = q.into_iter().map(|v| -v).collect();
        let mut slope = dot(&g, &d);
        if slope >= 0.0 {
            // Not a descent direction (numerical trouble): restart from steepest descent.
            s_hist.clear();
            y_hist.clear();
            d = g.iter().map(|v| -v / gmax.max(1.0)).collect();
            slope = dot(&g, &d);
        }
        // Backtracking line search (Armijo, c = 1e-4).
        let mut step = 1.0;
        let mut accepted = false;
        let mut f_new = fx;
        for _ in 0..60 {
            for j in 0..n {
                x_new[j] = x[j] + step * d[j];
            }
            f_new = f(&x_new, &mut g_new);
            if f_new.is_finite() && f_new <= fx + 1e-4 * step * slope {
                accepted = true;
                break;
            }
            step *= 0.5;
        }
        if !accepted {
            return LbfgsResult {
                x,
                value: fx,
                iterations: it,
                converged: gmax < opt.accept_tol,
            };
        }
        let s: Vec<f64> = x_new.iter().zip(&x).map(|(a, b)| a - b).collect();
        let y: Vec<f64> = g_new.iter().zip(&g).map(|(a, b)| a - b).collect();
        let sy = dot(&s, &y);
        std::mem::swap(&mut x, &mut x_new);
        std::mem::swap(&mut g, &mut g_new);
        let progress = fx - f_new;
        fx = f_new;
        if sy > 1e-16 * dot(&y, &y).max(f64::MIN_POSITIVE) {
            s_hist.push(s);
            y_hist.push(y);
            if s_hist.len() > opt.memory {
                s_hist.remove(0);
                y_hist.remove(0);
            }
        }
        if progress == 0.0 && k > 0 {
            let gmax = g.iter().fold(0.0f64, |m, v| m.max(v.abs()));
            return LbfgsResult {
                x,
                value: fx,
                iterations: it + 1,
                converged: gmax < opt.accept_tol,
            };
        }
    }
    let gmax = g.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    LbfgsResult {
        x,
        value: fx,
        iterations: opt.max_iter,
        converged: gmax < opt.accept_tol,
    }
}
