//! The bundled sample audits (made by `scripts/reference/make_samples.py` from scikit-learn's public
//! datasets). Their bytes are compiled into the worker only.

/// A sample: id, title, one-paragraph description.
pub struct Sample {
    pub id: &'static str,
    pub title: &'static str,
    pub description: &'static str,
}

/// The samples, in the order the page lists them. The first is loaded at first visit.
pub const SAMPLES: [Sample; 3] = [
    Sample {
        id: "digits_noisy_mlp",
        title: "Digits, overfit neural net",
        description: "8x8 handwritten digits with pixel noise; a 128-unit MLP with no regularisation trained 300 epochs on half of them. It memorises its training images.",
    },
    Sample {
        id: "digits_regularised_mlp",
        title: "Digits, regularised neural net",
        description: "The same digits without noise; a 64-unit MLP with weight decay and early stopping. Better generalisation, smaller leak.",
    },
    Sample {
        id: "breast_cancer_logreg",
        title: "Breast cancer, logistic regression",
        description: "Wisconsin diagnostic breast cancer (569 patients); standardised logistic regression trained on half. A simple model on medical data.",
    },
];

/// The sample shown at first visit.
pub const DEFAULT_SAMPLE: &str = "digits_noisy_mlp";

/// The title of the sample `id` of `list`, or the id itself.
pub fn title_in<'a>(list: &[Sample], id: &'a str) -> &'a str {
    list.iter().find(|s| s.id == id).map_or(id, |s| s.title)
}

/// The title of sample `id`, or the id itself.
pub fn sample_title(id: &str) -> &str {
    title_in(&SAMPLES, id)
}

/// The CSV bytes of sample `id`.
pub fn sample_bytes(id: &str) -> Option<&'static [u8]> {
    match id {
        "digits_noisy_mlp" => Some(include_bytes!("../www/samples/digits_noisy_mlp.csv")),
        "digits_regularised_mlp" => {
            Some(include_bytes!("../www/samples/digits_regularised_mlp.csv"))
        }
        "breast_cancer_logreg" => Some(include_bytes!("../www/samples/breast_cancer_logreg.csv")),
        _ => None,
    }
}

/// The bundled reference-attack inputs (the public cases of `conformance/lira/`).
pub const REFERENCE_SAMPLES: [Sample; 2] = [
    Sample {
        id: "lira01_digits_noise8_M8",
        title: "Digits, overfit MLP, 8 reference models",
        description: "Digits with fixed pixel noise; the target and 8 reference MLPs (128 units, no regularisation) each trained on a random half. Logits give φ.",
    },
    Sample {
        id: "lira07_edge_prob_M4",
        title: "Edge cases, probabilities only, 4 reference models",
        description: "40 hand-placed records: no IN or no OUT reference, identical reference outputs, probabilities of exactly 0 and 1, exact ties.",
    },
];

/// The reference-attack sample shown at first visit.
pub const DEFAULT_REFERENCE_SAMPLE: &str = "lira01_digits_noise8_M8";

/// The CSV bytes of reference-attack sample `id`.
pub fn reference_sample_bytes(id: &str) -> Option<&'static [u8]> {
    match id {
        "lira01_digits_noise8_M8" => {
            Some(include_bytes!("../www/samples/lira01_digits_noise8_M8.csv"))
        }
        "lira07_edge_prob_M4" => Some(include_bytes!("../www/samples/lira07_edge_prob_M4.csv")),
        _ => None,
    }
}

/// The title of reference-attack sample `id`, or the id itself.
pub fn reference_sample_title(id: &str) -> &str {
    title_in(&REFERENCE_SAMPLES, id)
}

/// The unlearning view's samples (made by `scripts/reference/make_unlearning_samples.py`): a
/// model's outputs before and after unlearning 100 of its training records.
pub const UNLEARN_SAMPLES: [Sample; 2] = [
    Sample {
        id: "unlearn_finetune_digits",
        title: "Noisy digits, fine-tuned on the retained records",
        description: "A 128-unit MLP trained on half of the noisy digits; 100 of its training images are to be forgotten. After: the same model fine-tuned a few epochs on the other training images only. Cheap, and it still remembers.",
    },
    Sample {
        id: "unlearn_retrain_digits",
        title: "Noisy digits, retrained from scratch",
        description: "The same model and forget set. After: a model retrained from scratch without the 100 images, the gold standard of unlearning.",
    },
];

/// The unlearning sample shown at first visit.
pub const DEFAULT_UNLEARN_SAMPLE: &str = "unlearn_finetune_digits";

/// The CSV bytes of unlearning sample `id`.
pub fn unlearn_sample_bytes(id: &str) -> Option<&'static [u8]> {
    match id {
        "unlearn_finetune_digits" => {
            Some(include_bytes!("../www/samples/unlearn_finetune_digits.csv"))
        }
        "unlearn_retrain_digits" => {
            Some(include_bytes!("../www/samples/unlearn_retrain_digits.csv"))
        }
        _ => None,
    }
}

/// The title of unlearning sample `id`, or the id itself.
pub fn unlearn_sample_title(id: &str) -> &str {
    title_in(&UNLEARN_SAMPLES, id)
}

/// The monitor's sample log (made by `scripts/reference/make_monitor_sample.py`).
pub const MONITOR_SAMPLES: [Sample; 1] = [Sample {
    id: "monitor_log",
    title: "One day of a model API's query log",
    description: "30 ordinary clients, a key that repeats 14 records, one that sweeps 900 inputs, one that does both, and a nightly batch job.",
}];

/// The monitor's sample shown at first visit.
pub const DEFAULT_MONITOR_SAMPLE: &str = "monitor_log";

/// The CSV bytes of monitor sample `id`.
pub fn monitor_sample_bytes(id: &str) -> Option<&'static [u8]> {
    match id {
        "monitor_log" => Some(include_bytes!("../www/samples/monitor_log.csv")),
        _ => None,
    }
}

/// The title of monitor sample `id`, or the id itself.
pub fn monitor_sample_title(id: &str) -> &str {
    title_in(&MONITOR_SAMPLES, id)
}

/// The Text view's samples (made by `scripts/reference/make_text_samples.py`): a small word-level
/// 5-gram Kneser–Ney language model trained in the script on half of Python's standard-library
/// docstrings, so its memorisation is genuine.
pub const TEXT_SAMPLES: [Sample; 4] = [
    Sample {
        id: "text_pairs",
        title: "Continuations of a small language model",
        description: "Prefixes of training and held-out texts, the true continuation and what the model wrote. The verbatim test and the extraction metrics.",
    },
    Sample {
        id: "text_logprobs",
        title: "Token log-probs of training and held-out texts",
        description: "The model's log-probability of every token, and a reference model's trained on other texts. Loss, zlib, Min-K% and reference attacks.",
    },
    Sample {
        id: "text_canaries",
        title: "Secret Sharer canaries",
        description: "Random secrets inserted into the training data 1 to 16 times, scored against candidates the model never saw. Exposure in bits.",
    },
    Sample {
        id: "text_texts",
        title: "Texts to build prompts from",
        description: "Training and held-out texts: cut into prefixes and true continuations, as a prompts CSV for your own model.",
    },
];

/// The Text view's sample shown at first visit.
pub const DEFAULT_TEXT_SAMPLE: &str = "text_pairs";

/// The CSV bytes of text sample `id`.
pub fn text_sample_bytes(id: &str) -> Option<&'static [u8]> {
    match id {
        "text_pairs" => Some(include_bytes!("../www/samples/text_pairs.csv")),
        "text_logprobs" => Some(include_bytes!("../www/samples/text_logprobs.csv")),
        "text_canaries" => Some(include_bytes!("../www/samples/text_canaries.csv")),
        "text_texts" => Some(include_bytes!("../www/samples/text_texts.csv")),
        _ => None,
    }
}

/// The title of text sample `id`, or the id itself.
pub fn text_sample_title(id: &str) -> &str {
    title_in(&TEXT_SAMPLES, id)
}

/// The bundled tabular datasets for the shadow-model attack: id and title.
pub const DATASETS: [(&str, &str); 2] = [
    (
        "breast_cancer",
        "Breast cancer (569 patients, 30 features, 2 classes)",
    ),
    ("digits", "Digits (1,797 images, 64 pixels, 10 classes)"),
];

/// The training lab's bundled datasets ([`mia_engine::training::datasets::DATASET_IDS`]).
pub const LAB_DATASETS: [(&str, &str); 4] = [
    (
        "digits_noisy",
        "Noisy digits (1,797 images with fixed per-image pixel noise: easy to memorise)",
    ),
    ("digits", "Digits (1,797 images, 64 pixels, 10 classes)"),
    (
        "breast_cancer",
        "Breast cancer (569 patients, 30 features, 2 classes)",
    ),
    ("wine", "Wine (178 wines, 13 features, 3 classes)"),
];

/// The CSV bytes of bundled dataset `id`.
pub fn dataset_bytes(id: &str) -> Option<&'static [u8]> {
    match id {
        "breast_cancer" | "digits" => mia_engine::training::datasets::dataset_csv(id),
        _ => None,
    }
}
