//! DP-SGD's properties (Abadi et al. 2016 with Opacus's semantics): without noise and clipping it
//! is plain SGD on the same batches, bit for bit; every clipped per-example gradient has norm at
//! most C; the noise of the update has standard deviation σC/B; Poisson batches have mean size B.

use mia_engine::training::dp_sgd::{clip_factor, poisson_batch, private_gradient};
use mia_engine::training::network::{global_norm, Network};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// A 6-5-3 network with seeded weights and 40 seeded records.
fn setup() -> (Network, Vec<f64>, Vec<usize>) {
    use rand::Rng;
    let mut rng = ChaCha8Rng::seed_from_u64(9);
    let mut net = Network::zeros(&[6, 5, 3]);
    for p in net.params.iter_mut().flatten() {
        *p = rng.random_range(-0.8..0.8);
    }
    let x: Vec<f64> = (0..40 * 6).map(|_| rng.random_range(-2.0..2.0)).collect();
    let y: Vec<usize> = (0..40).map(|i| i % 3).collect();
    (net, x, y)
}

#[test]
fn without_noise_or_clipping_it_is_plain_sgd_bit_for_bit() {
    let (net, x, y) = setup();
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    for start in 0..5 {
        let batch: Vec<usize> = (start * 8..start * 8 + 8).collect();
        let (loss, plain) = net.batch_gradient(&x, &y, &batch, 0.1, None);
        let dp = private_gradient(
            &net,
            &x,
            &y,
            &batch,
            0.1,
            0.0,
            f64::INFINITY,
            0.0,
            8.0,
            &mut rng,
        );
        assert_eq!(dp.grad, plain);
        assert_eq!(dp.loss, loss);
    }
}

#[test]
fn every_clipped_per_example_gradient_has_norm_at_most_c() {
    let (net, x, y) = setup();
    let mut rng = ChaCha8Rng::seed_from_u64(2);
    let mut clipped = 0;
    for c in [0.01, 0.1, 0.5, 1.0, 5.0] {
        for i in 0..40 {
            let (_, g) = net.batch_gradient(&x, &y, &[i], 0.0, None);
            let norm = global_norm(&g);
            let f = clip_factor(norm, c);
            assert!(norm * f <= c, "C = {c}, record {i}: {}", norm * f);
            clipped += usize::from(f < 1.0);
        }
        let dp = private_gradient(
            &net,
            &x,
            &y,
            &(0..40).collect::<Vec<_>>(),
            0.0,
            0.0,
            c,
            0.0,
            40.0,
            &mut rng,
        );
        assert!(dp.max_clipped_norm <= c);
        // The sum of 40 clipped gradients over 40 has norm at most C.
        assert!(global_norm(&dp.grad) <= c * (1.0 + 1e-12));
    }
    assert!(clipped > 40, "the check must clip: {clipped}");
}

#[test]
fn the_noise_has_standard_deviation_sigma_c_over_b() {
    // An empty batch: the update is the noise alone, N(0, σ²C²)/B per coordinate. With n draws the
    // sample standard deviation's relative standard error is about 1/√(2n) (0.35 % for n = 40,000
    // here); the bound is 2 %, more than 5 standard errors.
    let (net, x, y) = setup();
    let (sigma, c, b) = (1.3, 0.7, 16.0);
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let mut values = Vec::new();
    while values.len() < 40_000 {
        let dp = private_gradient(&net, &x, &y, &[], 0.0, 0.0, c, sigma, b, &mut rng);
        values.extend(dp.grad.into_iter().flatten());
    }
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let sd = (values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1.0)).sqrt();
    let want = sigma * c / b;
    assert!((sd / want - 1.0).abs() < 0.02, "sd {sd} vs σC/B {want}");
    assert!(mean.abs() < 5.0 * want / n.sqrt(), "mean {mean}");
}

#[test]
fn poisson_batches_have_the_expected_size_on_average() {
    let mut rng = ChaCha8Rng::seed_from_u64(4);
    let (n, q) = (900, 32.0 / 900.0);
    let sizes: Vec<usize> = (0..2_000)
        .map(|_| poisson_batch(n, q, &mut rng).len())
        .collect();
    let mean = sizes.iter().sum::<usize>() as f64 / sizes.len() as f64;
    // Binomial(900, q): variance ≈ 30.9, so the mean of 2,000 batches has standard error 0.12.
    assert!((mean - 32.0).abs() < 0.6, "mean batch size {mean}");
    assert!(sizes.iter().any(|&s| s != 32), "sizes vary");
}
