//! Extraction benchmark: runs the extractor over the 181 pages of
//! `testdata/extraction-benchmark` and prints F1, precision, recall and the
//! mean time per page, then the 10 worst pages.
//!
//! The metric: for each page, precision and recall of the multiset of word
//! 4-grams (lower-cased Unicode `\w+` tokens) of the extracted paragraphs
//! (joined by newlines; the title is not included, as the ground truth
//! `articleBody` does not include it) against the true `articleBody`.
//! Precision and recall are each averaged over pages and F1 = 2PR/(P+R) of
//! the averages. An extraction with no 4-gram has precision 1; a truth
//! with no 4-gram gives recall 1 (no page of this set has one). Loading and
//! scoring are in `score/mod.rs`, shared with `tests/benchmark_floor.rs`.
//!
//! The time covers decoding the bytes to text, parsing and extraction (the
//! gunzipped bytes are already in memory), single-threaded; the figure is
//! the median of several passes over the whole set.
//!
//! rs-trafilatura (crates.io) runs on the same pages in the same run, scored
//! the same way (`content_text`), timed over one pass.
//!
//! Environment: `EXTRACT_BENCH_PASSES` (default 5) timed passes;
//! `EXTRACT_BENCH_TRAFILATURA=0` skips rs-trafilatura;
//! `EXTRACT_BENCH_DUMP=DIR` writes each page's extraction and truth and a
//! `scores.tsv` there, for error analysis.

use std::path::Path;
use std::time::Instant;

use redline_extract::Extractor;

#[path = "score/mod.rs"]
mod score;

use score::{PageScore, Summary};

fn main() {
    let pages = score::extraction_benchmark();
    let extractor = Extractor::new();
    let passes: usize = std::env::var("EXTRACT_BENCH_PASSES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5)
        .max(1);

    // Warm-up pass, which also gives the texts to score.
    let texts: Vec<String> = pages
        .iter()
        .map(|page| score::text_of(&score::extract(&extractor, page)))
        .collect();

    let mut pass_ms = Vec::new();
    for _ in 0..passes {
        let start = Instant::now();
        for page in &pages {
            std::hint::black_box(score::extract(&extractor, page));
        }
        pass_ms.push(start.elapsed().as_secs_f64() * 1000.0 / pages.len() as f64);
    }
    pass_ms.sort_by(f64::total_cmp);
    let median_ms = pass_ms[pass_ms.len() / 2];

    let scores = score::shingle_scores(&pages, &texts);
    let summary = Summary::of_shingles(&scores);
    let n = pages.len() as f64;
    let mean_bytes = pages.iter().map(|p| p.bytes.len()).sum::<usize>() as f64 / n;

    println!(
        "pages: {} (mean {:.0} KB)",
        pages.len(),
        mean_bytes / 1024.0
    );
    println!(
        "F1 {:.4}  precision {:.4}  recall {:.4}",
        summary.f1, summary.precision, summary.recall
    );
    println!(
        "time: {:.3} ms/page (median of {} passes; fastest {:.3}, slowest {:.3})",
        median_ms,
        passes,
        pass_ms[0],
        pass_ms[pass_ms.len() - 1]
    );
    if std::env::var("EXTRACT_BENCH_TRAFILATURA").as_deref() != Ok("0") {
        let start = Instant::now();
        let texts: Vec<String> = pages
            .iter()
            .map(|p| {
                rs_trafilatura::extract_bytes(&p.bytes)
                    .map(|r| r.content_text)
                    .unwrap_or_default()
            })
            .collect();
        let ms = start.elapsed().as_secs_f64() * 1000.0 / pages.len() as f64;
        let Summary {
            precision: p,
            recall: r,
            f1,
        } = Summary::of_shingles(&score::shingle_scores(&pages, &texts));
        println!(
            "rs-trafilatura: F1 {f1:.4}  precision {p:.4}  recall {r:.4}  {ms:.2} ms/page (one pass)"
        );
    }
    println!("worst 10 pages by F1:");
    for i in score::worst(&scores, 10) {
        let PageScore {
            precision: p,
            recall: r,
            f1: f,
        } = scores[i];
        println!(
            "  F1 {f:.3} P {p:.3} R {r:.3}  {}  {}",
            &pages[i].id[..12],
            pages[i].url
        );
    }

    if let Ok(dir) = std::env::var("EXTRACT_BENCH_DUMP") {
        let dir = Path::new(&dir);
        std::fs::create_dir_all(dir).expect("dump dir");
        let mut tsv = String::from("id\tf1\tprecision\trecall\turl\n");
        for ((page, s), text) in pages.iter().zip(&scores).zip(&texts) {
            tsv.push_str(&format!(
                "{}\t{:.4}\t{:.4}\t{:.4}\t{}\n",
                page.id, s.f1, s.precision, s.recall, page.url
            ));
            std::fs::write(dir.join(format!("{}.pred.txt", page.id)), text).expect("write");
            std::fs::write(dir.join(format!("{}.true.txt", page.id)), &page.truth).expect("write");
        }
        std::fs::write(dir.join("scores.tsv"), tsv).expect("write");
    }
}
