//! The extraction benchmarks' figures may not fall: the shingle F1 of the
//! 181 pages of `testdata/extraction-benchmark` (0.970 when this test was
//! written) and the word-F1 of the 711 WCXB development pages (0.953) are
//! held above floors a little below, and no page whose truth has text may
//! come out empty. On failure the 10 worst pages are printed. The pages and
//! the scores are those of `benches/extraction.rs` and `benches/wcxb.rs`
//! (`benches/score/mod.rs`); the benchmarks give the exact figures and the
//! times.

#[path = "../benches/score/mod.rs"]
mod score;

use redline_extract::Extractor;
use score::{Page, PageScore, Summary};

/// Shingle F1 on the 181 pages, with a margin below today's 0.970.
const EXTRACTION_BENCHMARK_F1: f64 = 0.965;
/// Word-F1 on the WCXB development pages, with a margin below today's 0.953.
const WCXB_WORD_F1: f64 = 0.948;

/// Every page's extracted text, on all cores (the test profile builds this
/// crate unoptimised).
fn texts(pages: &[Page]) -> Vec<String> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = pages.len().div_ceil(threads).max(1);
    let extractor = Extractor::new();
    std::thread::scope(|scope| {
        let workers: Vec<_> = pages
            .chunks(chunk)
            .map(|part| {
                let extractor = &extractor;
                scope.spawn(move || {
                    part.iter()
                        .map(|page| score::text_of(&score::extract(extractor, page)))
                        .collect::<Vec<String>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("extraction panicked"))
            .collect()
    })
}

/// The verdict on one set: its figure against the floor, and the empty
/// pages; with the 10 worst pages when it fails.
fn check(set: &str, floor: f64, pages: &[Page], texts: &[String], scores: &[PageScore], f1: f64) {
    let empty: Vec<&str> = score::empty_pages(pages, texts)
        .into_iter()
        .map(|i| pages[i].id.as_str())
        .collect();
    println!(
        "{set}: F1 {f1:.4} (floor {floor}), {} empty pages",
        empty.len()
    );
    if f1 >= floor && empty.is_empty() {
        return;
    }
    let worst: Vec<String> = score::worst(scores, 10)
        .into_iter()
        .map(|i| {
            let s = scores[i];
            format!(
                "  F1 {:.3} P {:.3} R {:.3}  {}  {}",
                s.f1, s.precision, s.recall, pages[i].id, pages[i].url
            )
        })
        .collect();
    panic!(
        "{set}: F1 {f1:.4} (floor {floor}), empty pages {empty:?}\nworst 10 pages:\n{}",
        worst.join("\n")
    );
}

#[test]
fn extraction_benchmark_f1_stays_above_its_floor() {
    let pages = score::extraction_benchmark();
    assert_eq!(pages.len(), 181);
    let texts = texts(&pages);
    let scores = score::shingle_scores(&pages, &texts);
    let summary = Summary::of_shingles(&scores);
    check(
        "extraction benchmark (shingle F1)",
        EXTRACTION_BENCHMARK_F1,
        &pages,
        &texts,
        &scores,
        summary.f1,
    );
}

#[test]
fn wcxb_word_f1_stays_above_its_floor() {
    let pages = score::wcxb_dev();
    assert_eq!(pages.len(), 711);
    let texts = texts(&pages);
    let truths: Vec<_> = pages.iter().map(|p| score::tokens(&p.truth)).collect();
    let scores = score::word_scores(&truths, &texts);
    let summary = Summary::of_words(&scores);
    check(
        "WCXB dev (word-F1)",
        WCXB_WORD_F1,
        &pages,
        &texts,
        &scores,
        summary.f1,
    );
}
