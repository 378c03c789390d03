//! The targets on the labelled pairs of `eval/`: precision and recall
//! of at least 0.9 for headline, byline, number, quote, correction, move and
//! style, and 0.8 for attribution and name.

#[path = "../eval/score.rs"]
mod score;

#[test]
fn labels_meet_their_targets() {
    let pairs = score::load();
    assert!(pairs.len() >= 340, "only {} pairs", pairs.len());
    let outcomes = score::run(&pairs, 1);
    let failures = score::failures(&outcomes);
    assert!(
        failures.is_empty(),
        "labels under target (label, precision, recall, target): {failures:?}\n\n{}\n{}",
        score::report(&outcomes, false),
        score::misses(&outcomes)
    );
}

#[test]
fn every_pair_is_well_formed() {
    let pairs = score::load();
    let mut ids = std::collections::HashSet::new();
    for p in &pairs {
        assert!(ids.insert(p.id.as_str()), "{}: duplicate id", p.id);
        assert!((1..=5).contains(&p.rank), "{}: rank {}", p.id, p.rank);
        let labels = p.expected();
        assert_eq!(labels.len(), p.labels.len(), "{}: repeated label", p.id);
        let sorted: Vec<&str> = labels.iter().map(|l| l.as_str()).collect();
        assert_eq!(sorted, p.labels, "{}: labels not in vocabulary order", p.id);
        assert!(!labels.is_empty(), "{}: no labels", p.id);
    }
}
