//! The change-intelligence benchmark: runs the classifier on every labelled
//! pair of `eval/` and prints per-label precision and recall, the rank
//! correlation of significance and the time per pair.
//!
//! `cargo bench -p redline-classify --bench labels [-- --misses] [--runs=N]
//! [--file=PATH ...]`: `--file` reads other JSONL files of the same format
//! instead (e.g. a set generated with another `--seed`).

#[path = "../eval/score.rs"]
mod score;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let show_misses = args.iter().any(|a| a == "--misses");
    let runs = args
        .iter()
        .find_map(|a| a.strip_prefix("--runs="))
        .map(|n| n.parse().expect("--runs=N"))
        .unwrap_or(20);
    let files: Vec<String> = args
        .iter()
        .filter_map(|a| a.strip_prefix("--file="))
        .map(str::to_string)
        .collect();
    let pairs = if files.is_empty() {
        score::load()
    } else {
        score::load_files(&files)
    };
    // One warm-up pass, then the measured runs.
    let _ = score::run(&pairs, 1);
    let outcomes = score::run(&pairs, runs);
    println!("{}", score::report(&outcomes, true));
    if show_misses {
        println!("Misclassified pairs:\n{}", score::misses(&outcomes));
    } else {
        println!("(`-- --misses` lists every misclassified pair)");
    }
}
