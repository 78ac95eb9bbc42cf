//! Every view is a link (TensorFlow Playground style): `?view=audit&sample=…&signal=…` or
//! `?view=simulator&gap=…&std=…`. [`view::View`] names the views; each view has one typed query
//! (its own file here) that parses its keys from the link and encodes its controls back, as pure
//! functions tested natively. Only the view the link names reads its keys, so a key two views
//! share (`seed`, `sample`) never leaks into the other. [`browser`] reads and replaces the
//! page's URL (replaced, never pushed, so moving a slider does not flood the history).

pub mod audit;
pub mod browser;
pub mod checklist;
pub mod claim;
pub mod dp;
pub mod lira;
pub mod monitor;
pub mod query;
pub mod restrict;
pub mod shadow;
pub mod simulator;
pub mod text;
pub mod train;
pub mod unlearn;
pub mod view;

pub use browser::{read, write};
pub use query::Query;
pub use view::View;

/// What the link asks for: the view, each view's query (the default for views the link does
/// not name), and what could not be used.
#[derive(Debug, Clone, PartialEq)]
pub struct UrlState {
    pub view: View,
    /// An unknown `view=` value, to tell the user.
    pub unknown_view: Option<String>,
    pub audit: audit::AuditQuery,
    pub simulator: simulator::SimulatorQuery,
    pub shadow: shadow::ShadowSettings,
    pub lira: lira::LiraQuery,
    pub train: train::TrainQuery,
    pub unlearn: unlearn::UnlearnQuery,
    pub text: text::TextQuery,
    pub monitor: monitor::MonitorQuery,
    pub restrict: restrict::RestrictQuery,
    pub checklist: checklist::ChecklistQuery,
    pub dp: dp::DpQuery,
    /// The DP claim under review: it applies to every view's ROC charts.
    pub claim: claim::ClaimQuery,
    /// Parameters the link gave but that could not be used, with why.
    pub ignored: Vec<String>,
    /// Controls hidden with `NAME_hide=true`.
    pub hidden: Vec<String>,
}

/// A view's controls as they travel in the link.
pub trait ViewQuery: Default {
    /// Reads the view's keys; a value that cannot be used is listed in `ignored` and its
    /// control keeps its default.
    fn parse(query: &Query, ignored: &mut Vec<String>) -> Self;
    /// The controls as query pairs, in the order they are written.
    fn pairs(&self) -> Vec<(&'static str, String)>;
}

impl UrlState {
    /// Parses a link's query string (`a=1&b=2`, with or without the leading `?`).
    pub fn parse(search: &str) -> UrlState {
        let q = Query::parse(search);
        let mut ignored = Vec::new();
        let view_key = q.get("view").map(str::to_string);
        let view = view_key
            .as_deref()
            .map_or(Some(View::Audit), View::from_key);
        let shown = view.unwrap_or(View::Audit);
        fn only<T: ViewQuery>(on: bool, q: &Query, ignored: &mut Vec<String>) -> T {
            if on {
                T::parse(q, ignored)
            } else {
                T::default()
            }
        }
        UrlState {
            view: shown,
            unknown_view: if view.is_none() { view_key } else { None },
            audit: only(shown == View::Audit, &q, &mut ignored),
            simulator: only(shown == View::Simulator, &q, &mut ignored),
            shadow: only(shown == View::Shadow, &q, &mut ignored),
            lira: only(shown == View::Lira, &q, &mut ignored),
            train: only(shown == View::Train, &q, &mut ignored),
            unlearn: only(shown == View::Unlearn, &q, &mut ignored),
            text: only(shown == View::Text, &q, &mut ignored),
            monitor: only(shown == View::Monitor, &q, &mut ignored),
            restrict: only(shown == View::Restrict, &q, &mut ignored),
            checklist: only(shown == View::Checklist, &q, &mut ignored),
            dp: only(shown == View::Dp, &q, &mut ignored),
            claim: claim::ClaimQuery::parse(&q, &mut ignored),
            hidden: q.hidden(),
            ignored,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_two_views_share_is_read_by_the_view_the_link_names_only() {
        let shadow = UrlState::parse("?view=shadow&seed=5&sample=x");
        assert_eq!(shadow.view, View::Shadow);
        assert_eq!(shadow.shadow.seed, 5);
        assert_eq!(shadow.simulator, simulator::SimulatorQuery::default());
        assert_eq!(shadow.audit, audit::AuditQuery::default());
        let sim = UrlState::parse("view=simulator&seed=7");
        assert_eq!(sim.simulator.params.seed, 7);
        assert_eq!(sim.shadow.seed, shadow::ShadowSettings::default().seed);
    }

    #[test]
    fn an_unknown_view_shows_the_audit_and_says_so() {
        let s = UrlState::parse("view=nope&sample=digits_noisy_mlp");
        assert_eq!(s.view, View::Audit);
        assert_eq!(s.unknown_view.as_deref(), Some("nope"));
        assert_eq!(s.audit.sample.as_deref(), Some("digits_noisy_mlp"));
    }

    #[test]
    fn every_view_query_round_trips_through_its_pairs() {
        let links = [
            "view=audit&sample=breast_cancer_logreg&signal=neg_loss&threshold=-0.05&roc=log",
            "view=audit&source=simulation&n_members=500&n_nonmembers=700&gap=0.2&std=0.1&nonmember_mean=0.4&family=beta&seed=3",
            "view=simulator&n_members=100&n_nonmembers=200&gap=0.3&std=0.2&nonmember_mean=0.5&family=normal&seed=9&roc=log",
            "view=shadow&mode=outputs&dataset=digits&model=mlp&hidden=32&epochs=20&shadows=3&per_class=true&top_k=true&seed=4",
            "view=lira&source=train&dataset=digits&model=mlp&hidden=64&epochs=100&m=16&noise=4&seed=2&gamma=2&a=0.5&center=mean&test=two-sided&roc=linear",
            "view=train&dataset=wine&model=mlp&hidden=64,32&epochs=20&batch=16&lr=0.05&optimizer=sgd&l2=0.01&dropout=0.3&label_smoothing=0.1&clip=1&early_stop=gap&target_gap=0.2&dp=true&noise_multiplier=1.5&max_grad_norm=0.5&seed=7&roc=linear",
            "view=unlearn&source=sample&sample=unlearn_retrain_digits&roc=linear",
            "view=unlearn&source=file&roc=log",
            "view=text&source=sample&sample=text_logprobs&prefixes=20,80&span=40&k=0.1&sort=edit&roc=linear",
            "view=text&source=file&prefixes=50,100,200,300&span=50&k=0.2&sort=ngram&roc=log",
            "view=monitor&source=sample&sample=monitor_log&window=1800&repeat=4&repeated=8&diversity=0.85&min_total=50&block=0.6&monitor=0.2&scope=all_time&key=probe-7f3a",
            "view=monitor&source=file&window=3600&repeat=3&repeated=10&diversity=0.9&min_total=100&block=0.7&monitor=0.3&scope=window",
            "view=restrict&sample=digits_noisy_mlp&temperature=4&cap=0.9&precision=2&label_only=true",
            "view=checklist&sensitivity=medical&includes_eu_residents=yes",
            "view=dp&dp_n=1000&dp_batch=10&dp_epochs=3&dp_sigma=1&dp_delta=1e-6&dp_target=2&dp_steps=40",
        ];
        for link in links {
            let s = UrlState::parse(link);
            assert!(s.ignored.is_empty(), "{link}: {:?}", s.ignored);
            let pairs = match s.view {
                View::Audit => s.audit.pairs(),
                View::Simulator => s.simulator.pairs(),
                View::Shadow => s.shadow.pairs(),
                View::Lira => s.lira.pairs(),
                View::Train => s.train.pairs(),
                View::Unlearn => s.unlearn.pairs(),
                View::Text => s.text.pairs(),
                View::Monitor => s.monitor.pairs(),
                View::Restrict => s.restrict.pairs(),
                View::Checklist => s.checklist.pairs(),
                View::Dp => s.dp.pairs(),
            };
            let again = UrlState::parse(&Query::encode(s.view, &pairs, &[]));
            assert_eq!(again, s, "{link}");
        }
    }

    #[test]
    fn unusable_values_are_listed_and_keep_their_defaults() {
        let s = UrlState::parse("view=simulator&gap=abc&family=cauchy");
        assert_eq!(s.simulator, simulator::SimulatorQuery::default());
        assert_eq!(
            s.ignored,
            vec![
                "gap=abc (not a number)",
                "family=cauchy (use normal or beta)"
            ]
        );
        let s = UrlState::parse("view=shadow&shadows=40");
        assert_eq!(s.ignored, vec!["shadows=40 (use 1 to 16)"]);
    }
}
