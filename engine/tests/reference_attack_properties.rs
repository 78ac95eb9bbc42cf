//! Properties of the reference-model attacks that hold for any input: the column order does not
//! matter; one reference works (what cannot run is reported); a record never counts itself in
//! RMIA; the sort-based RMIA equals the naive O(n·|Z|) count. And the messages for bad input.

mod common;

use common::{conformance, read};
use mia_engine::reference_attack::rmia::{pairwise_scores, pairwise_scores_naive};
use mia_engine::reference_attack::{
    read_reference_csv, run_reference_attack, ReferenceInputError, ReferenceReport,
    ReferenceSettings, Unavailable, Variant,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn run_csv(csv: &[u8]) -> ReferenceReport {
    let t = read_reference_csv(csv).unwrap().table;
    run_reference_attack(&t, ReferenceSettings::default(), |_| Ok::<(), ()>(())).unwrap()
}

/// The CSV with its columns in the order `order` (indices into the header).
fn permute_columns(csv: &str, order: &[usize]) -> String {
    csv.lines()
        .map(|line| {
            let cells: Vec<&str> = line.split(',').collect();
            order
                .iter()
                .map(|&c| cells[c])
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn column_order_does_not_matter() {
    let csv = String::from_utf8(read(&conformance("lira/lira07_edge_prob_M4.csv"))).unwrap();
    let n = csv.lines().next().unwrap().split(',').count();
    let mut order: Vec<usize> = (0..n).collect();
    let base = run_csv(csv.as_bytes());
    for seed in 0..3 {
        use rand::seq::SliceRandom;
        order.shuffle(&mut ChaCha8Rng::seed_from_u64(seed));
        let shuffled = run_csv(permute_columns(&csv, &order).as_bytes());
        for v in Variant::ALL {
            let (a, b) = (
                base.variants.iter().find(|r| r.variant == v).unwrap(),
                shuffled.variants.iter().find(|r| r.variant == v).unwrap(),
            );
            assert_eq!(
                a.scores(),
                b.scores(),
                "{} with columns {order:?}",
                v.name()
            );
        }
    }
}

#[test]
fn one_reference_works_and_reports_what_cannot_run() {
    // M = 1: nobody has two values on a side, so every spread is the global one.
    let mut csv = String::from("id,member,phi,ref_in_0,ref_phi_0\n");
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    for i in 0..200 {
        let member = i % 2;
        let inside = rng.random_bool(0.5) as u8;
        let phi = rng.random::<f64>() + member as f64;
        let reference = rng.random::<f64>() + inside as f64;
        csv.push_str(&format!("{i},{member},{phi},{inside},{reference}\n"));
    }
    let r = run_csv(csv.as_bytes());
    assert_eq!(r.m, 1);
    for v in Variant::ALL {
        assert!(r.variant(v).is_some(), "{} should run with M = 1", v.name());
    }
    assert!(r
        .fits
        .iter()
        .all(|f| f.spread.iter().all(|&s| Some(s) == f.global_spread)));
    // No subsets below M = 1: the trend has the full run only.
    assert_eq!(r.trend.iter().map(|p| p.m).collect::<Vec<_>>(), vec![1]);

    // Every reference IN: no OUT distribution, so the offline and online variants are reported.
    let all_in = csv.lines().enumerate().map(|(k, l)| {
        if k == 0 {
            return l.to_string();
        }
        let mut c: Vec<&str> = l.split(',').collect();
        c[3] = "1";
        c.join(",")
    });
    let all_in: String = all_in.collect::<Vec<_>>().join("\n");
    let r = run_csv(all_in.as_bytes());
    for v in [
        Variant::LiraOnline,
        Variant::LiraOnlineGlobal,
        Variant::LiraOffline,
        Variant::LiraOfflineGlobal,
        Variant::RmiaOffline,
    ] {
        let res = r.variants.iter().find(|x| x.variant == v).unwrap();
        assert_eq!(
            res.outcome.as_ref().unwrap_err(),
            &Unavailable::NoOutReferences,
            "{}",
            v.name()
        );
    }
    assert!(r.variant(Variant::TargetPhi).is_some() && r.variant(Variant::RmiaOnline).is_some());
    assert!(r.warnings.iter().any(|w| w.starts_with(
        "LiRA offline is not available: no record has a reference model that did not train on it"
    )));
}

#[test]
fn sorted_rmia_equals_the_naive_count_and_never_counts_a_record_against_itself() {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    for trial in 0..300 {
        let n = rng.random_range(2..60);
        // Few distinct values, so ties are common; some +inf.
        let ratios: Vec<f64> = (0..n)
            .map(|_| match rng.random_range(0..10) {
                0 => f64::INFINITY,
                1 => 0.0,
                k => (k as f64 * 0.25)
                    .min(rng.random::<f64>() * 3.0)
                    .max(0.5 * (k % 3) as f64),
            })
            .collect();
        let population: Vec<bool> = (0..n).map(|_| rng.random_bool(0.6)).collect();
        for gamma in [1.0, 0.5, 2.0, 1.3] {
            let fast = pairwise_scores(&ratios, &population, gamma);
            let naive = pairwise_scores_naive(&ratios, &population, gamma);
            assert_eq!(fast, naive, "trial {trial}, γ = {gamma}");
            // With γ < 1 a positive ratio beats γ times itself: only the exclusion keeps a lone
            // pair from scoring above what the other records give.
            if let Some(s) = fast {
                assert!(s.iter().all(|v| (0.0..=1.0).contains(v)));
            }
        }
    }
    // Two population records with equal ratios and γ = 0.5: each beats the other once, itself
    // never (counting itself would give 2/1).
    assert_eq!(
        pairwise_scores(&[1.0, 1.0], &[true, true], 0.5),
        Some(vec![1.0, 1.0])
    );
    assert_eq!(
        pairwise_scores(&[1.0, 1.0, 3.0], &[true, true, false], 0.5),
        Some(vec![1.0, 1.0, 1.0])
    );
}

fn error_of(csv: &str) -> String {
    read_reference_csv(csv.as_bytes()).unwrap_err().to_string()
}

#[test]
fn bad_input_is_named_by_column_or_row() {
    assert_eq!(
        error_of("member,phi,ref_in_0,ref_in_2,ref_phi_0,ref_phi_2\n1,1,1,1,1,1\n"),
        "Column `ref_in_1` is missing: the reference columns must be numbered ref_in_0, ref_in_1, … without gaps (the file has ref_in_0 and ref_in_2)."
    );
    assert_eq!(
        error_of("member,phi,ref_in_0,ref_phi_0,ref_phi_1\n1,1,1,1,1\n"),
        "Column `ref_phi_1` has no `ref_in_1`: the file's IN flags are ref_in_0 … ref_in_0, so this reference's training set is unknown. Add `ref_in_1` or remove `ref_phi_1`."
    );
    assert_eq!(
        error_of("member,confidence,ref_in_0,ref_in_1,ref_conf_0\n1,0.5,1,0,0.5\n"),
        "The reference models' outputs are incomplete: logit mode needs the target's `phi` or `logit_*` columns, and the file has neither; prob mode needs every `ref_conf_j`, but ref_conf_1 is missing. Add the missing columns (see the README: how to produce the CSV)."
    );
    assert!(matches!(
        read_reference_csv(b"member,phi,ref_phi_0\n1,1,1\n"),
        Err(ReferenceInputError::NoReferences { .. })
    ));
    assert!(error_of("phi,ref_in_0,ref_phi_0\n1,1,1\n").starts_with("No `member` column"));
    assert!(
        error_of("member,prob_0,prob_1,ref_in_0,ref_conf_0\n1,0.5,0.5,1,0.5\n")
            .contains("need a `label` column")
    );

    // Row-level problems: the row is skipped and named, the rest is kept.
    let csv = "id,member,confidence,ref_in_0,ref_conf_0,ref_in_1,ref_conf_1\n\
               a,1,0.9,1,0.8,0,0.4\n\
               b,0,1.2,1,0.8,0,0.4\n\
               c,0,0.3,1,-0.1,0,0.4\n\
               d,1,0.8,yes,0.7,0,0.5\n\
               e,0,0.2,2,0.7,0,0.5\n\
               f,0,,1,0.7,0,0.5\n\
               g,0,0.4,1,0.6,0,0.3\n";
    let got = read_reference_csv(csv.as_bytes()).unwrap();
    assert_eq!(got.table.len(), 3);
    let problems: Vec<String> = got.report.problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(
        problems,
        vec![
            "row 3, column `confidence`: probability 1.2 is outside [0, 1]; `confidence` must be the target's probability of the true label.",
            "row 4, column `ref_conf_0`: probability -0.1 is outside [0, 1]; `ref_conf_j` must be reference j's probability of the true label.",
            "row 6, column `ref_in_0`: `2` is not an IN flag (1 = the record was in this reference model's training set); use 1 or 0.",
            "row 7, column `confidence`: the cell is empty; every used column needs a number in every row.",
        ]
    );

    // Non-finite φ in logit mode.
    let got = read_reference_csv(
        b"member,phi,ref_in_0,ref_phi_0\n1,inf,1,2\n1,1,1,2\n0,nan,0,1\n0,0,0,1\n",
    )
    .unwrap();
    assert_eq!(got.table.len(), 2);
    assert_eq!(got.report.problems[0].to_string(), "row 2, column `phi`: `inf` is not a finite number; replace NaN/infinite outputs or remove the row.");

    // Fewer than 2 population rows: RMIA is reported, the LiRA variants run.
    let r = run_csv(b"member,phi,population,ref_in_0,ref_phi_0,ref_in_1,ref_phi_1\n1,3,0,1,2.5,0,0.5\n0,0,1,1,2.0,0,0.1\n1,2,0,0,0.2,1,2.2\n0,0.1,0,0,0.3,1,1.9\n");
    assert_eq!(r.n_population, 1);
    let rmia = r
        .variants
        .iter()
        .find(|x| x.variant == Variant::RmiaOnline)
        .unwrap();
    assert_eq!(
        rmia.outcome.as_ref().unwrap_err(),
        &Unavailable::PopulationTooSmall { size: 1 }
    );
    assert!(r.variant(Variant::LiraOnline).is_some());
    assert!(r.warnings.iter().any(|w| w == "RMIA online is not available: RMIA's population has 1 record(s); it needs at least 2 (the `population` column, or the non-members)."));
}

#[test]
fn a_file_read_in_two_parts_equals_one_read_wherever_it_is_cut() {
    use mia_engine::ingest::reader::CsvStart;
    use mia_engine::reference_attack::ReferenceRead;
    let csv =
        "id,member,phi,confidence,population,ref_in_0,ref_phi_0,ref_conf_0,ref_in_1,ref_phi_1\n\
               a,1,2.1,0.9,1,1,1.5,0.8,0,0.4\n\
               b,0,0.3,1.2,1,1,1.4,0.8,0,0.4\n\
               c,0,-0.8,0.3,0,1,-2.2,0.1,0,0.4\n\
               d,1,1.3,0.8,0,1,0.9,0.7,0,x\n\
               e,0,-1.4,0.2,1,0,0.8,0.7,1,0.5\n\
               f,1,0.4,0.6,0,0,-0.4,0.4,1,2.5\n";
    let whole = read_reference_csv(csv.as_bytes()).unwrap();
    let header_end = csv.find('\n').unwrap() + 1;
    let line_starts: Vec<usize> = csv
        .match_indices('\n')
        .map(|(i, _)| i + 1)
        .filter(|&i| i > header_end && i < csv.len())
        .collect();
    for cut in line_starts {
        let bytes = csv.as_bytes();
        let mut first = ReferenceRead::start(CsvStart::bytes(&bytes[..cut]).unwrap()).unwrap();
        while !first.step(2).unwrap() {}
        assert!(first.ended_on_line_end());
        let mut second =
            ReferenceRead::start_part(first.part_plan(), &bytes[cut..], (bytes.len() - cut) as u64)
                .unwrap();
        while !second.step(2).unwrap() {}
        let mut part = second.finish_part();
        // Handed over as the page's part worker does: the float columns apart.
        let columns = part.take_float_columns();
        assert!(part.put_float_columns(columns));
        first
            .append_part(part)
            .unwrap_or_else(|e| panic!("cut {cut}: {e}"));
        let joined = first.finish().unwrap_or_else(|e| panic!("cut {cut}: {e}"));
        assert_eq!(joined.table, whole.table, "cut at byte {cut}");
        assert_eq!(joined.report, whole.report, "cut at byte {cut}");
    }
    assert_eq!(whole.report.n_skipped, 2);
    assert_eq!(whole.table.ref_p.as_ref().map(Vec::len), Some(8));
}

/// The work shared as the page shares it with its second worker (tasks handed off, run on a copy
/// of the table, their results sent back in bincode, as every message between workers) and as the CLI shares it between two
/// threads gives the report of one run on one thread, whatever the settings.
#[test]
fn shared_work_gives_the_report_of_one_run() {
    use mia_engine::reference_attack::{
        run_reference_attack_on_two_threads, AttackTask, Center, OfflineTest, ReferenceAttackRun,
        TaskResult,
    };
    let csv = read(&conformance("lira/lira01_digits_noise8_M8.csv"));
    let table = read_reference_csv(&csv).unwrap().table;
    for settings in [
        ReferenceSettings::default(),
        ReferenceSettings {
            gamma: 2.0,
            offline_a: 0.0,
            center: Center::Mean,
            offline_test: OfflineTest::TwoSided,
        },
    ] {
        let one = run_reference_attack(&table, settings, |_| Ok::<(), ()>(())).unwrap();
        assert_eq!(run_reference_attack_on_two_threads(&table, settings), one);

        let mut run = ReferenceAttackRun::new(&table, settings);
        let away = run.hand_off();
        assert!(!away.is_empty() && !away.contains(&AttackTask::Fit));
        let sent: Vec<AttackTask> =
            bincode::deserialize(&bincode::serialize(&away).unwrap()).unwrap();
        // The table crosses as the page sends it: its float columns apart, no ids.
        let mut copy: mia_engine::reference_attack::ReferenceTable =
            bincode::deserialize(&bincode::serialize(&table.without_float_columns()).unwrap())
                .unwrap();
        let floats: Vec<Vec<f64>> = table
            .float_columns()
            .into_iter()
            .map(<[f64]>::to_vec)
            .collect();
        assert!(copy.put_float_columns(floats));
        assert_eq!(copy.ref_in, table.ref_in);
        let mut results = ReferenceAttackRun::of_tasks(&copy, settings, sent).results();
        // The scores and curves cross apart, as typed arrays.
        let columns: Vec<Vec<Vec<f64>>> = results
            .iter_mut()
            .map(TaskResult::take_float_columns)
            .collect();
        assert!(columns.iter().any(|c| c.len() == 4));
        let mut back: Vec<TaskResult> =
            bincode::deserialize(&bincode::serialize(&results).unwrap()).unwrap();
        for (r, c) in back.iter_mut().zip(columns) {
            assert!(r.put_float_columns(c));
        }
        while !run.step() {}
        assert!(run.fraction_done() < 1.0, "the tasks away are not done yet");
        // Results of other tasks are refused; the right ones are taken.
        assert!(!run.receive(back[1..].to_vec()));
        assert!(run.receive(back));
        assert_eq!(run.fraction_done(), 1.0);
        assert_eq!(run.finish(), one);

        // Results that never come back are computed by the run itself.
        let mut run = ReferenceAttackRun::new(&table, settings);
        run.hand_off();
        assert_eq!(run.finish(), one);
    }
}
