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
//! with no 4-gram gives recall 1 (no page of this set has one).
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

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;
use std::time::Instant;

use redline_extract::{Extractor, decode_html};

struct Page {
    id: String,
    url: String,
    bytes: Vec<u8>,
    truth: String,
}

fn load() -> Vec<Page> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/extraction-benchmark");
    let truth: HashMap<String, serde_json::Value> = serde_json::from_slice(
        &std::fs::read(dir.join("ground-truth.json")).expect("ground-truth.json"),
    )
    .expect("valid ground truth");
    let mut pages: Vec<Page> = truth
        .into_iter()
        .map(|(id, value)| {
            let gz =
                std::fs::read(dir.join("html").join(format!("{id}.html.gz"))).expect("page file");
            let mut bytes = Vec::new();
            flate2::read::GzDecoder::new(&gz[..])
                .read_to_end(&mut bytes)
                .expect("gzip");
            Page {
                url: value["url"].as_str().unwrap_or("").to_string(),
                truth: value["articleBody"].as_str().unwrap_or("").to_string(),
                id,
                bytes,
            }
        })
        .collect();
    pages.sort_by(|a, b| a.id.cmp(&b.id));
    pages
}

fn ngrams(text: &str, word: &regex::Regex) -> HashMap<String, usize> {
    let lower = text.to_lowercase();
    let tokens: Vec<&str> = word.find_iter(&lower).map(|m| m.as_str()).collect();
    let mut out = HashMap::new();
    for window in tokens.windows(4) {
        *out.entry(window.join(" ")).or_insert(0) += 1;
    }
    out
}

/// (precision, recall) of `predicted` against `truth`.
fn score(predicted: &str, truth: &str, word: &regex::Regex) -> (f64, f64) {
    let p = ngrams(predicted, word);
    let t = ngrams(truth, word);
    let p_total: usize = p.values().sum();
    let t_total: usize = t.values().sum();
    let overlap: usize = p
        .iter()
        .map(|(g, &n)| n.min(t.get(g).copied().unwrap_or(0)))
        .sum();
    let precision = if p_total == 0 {
        1.0
    } else {
        overlap as f64 / p_total as f64
    };
    let recall = if t_total == 0 {
        1.0
    } else {
        overlap as f64 / t_total as f64
    };
    (precision, recall)
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

fn main() {
    let pages = load();
    let extractor = Extractor::new();
    let passes: usize = std::env::var("EXTRACT_BENCH_PASSES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5)
        .max(1);
    let word = regex::Regex::new(r"\w+").expect("regex");

    // Warm-up pass, which also gives the texts to score.
    let texts: Vec<String> = pages
        .iter()
        .map(|page| {
            extractor
                .extract(&decode_html(&page.bytes, None))
                .paragraphs
                .join("\n")
        })
        .collect();

    let mut pass_ms = Vec::new();
    for _ in 0..passes {
        let start = Instant::now();
        for page in &pages {
            let article = extractor.extract(&decode_html(&page.bytes, None));
            std::hint::black_box(article);
        }
        pass_ms.push(start.elapsed().as_secs_f64() * 1000.0 / pages.len() as f64);
    }
    pass_ms.sort_by(f64::total_cmp);
    let median_ms = pass_ms[pass_ms.len() / 2];

    let mut rows = Vec::new();
    for (page, text) in pages.iter().zip(&texts) {
        let (p, r) = score(text, &page.truth, &word);
        rows.push((page, p, r, f1(p, r)));
    }
    let n = rows.len() as f64;
    let precision = rows.iter().map(|r| r.1).sum::<f64>() / n;
    let recall = rows.iter().map(|r| r.2).sum::<f64>() / n;
    let mean_bytes = pages.iter().map(|p| p.bytes.len()).sum::<usize>() as f64 / n;

    println!("pages: {} (mean {:.0} KB)", rows.len(), mean_bytes / 1024.0);
    println!(
        "F1 {:.4}  precision {:.4}  recall {:.4}",
        f1(precision, recall),
        precision,
        recall
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
        let scores: Vec<(f64, f64)> = pages
            .iter()
            .zip(&texts)
            .map(|(page, text)| score(text, &page.truth, &word))
            .collect();
        let p = scores.iter().map(|s| s.0).sum::<f64>() / n;
        let r = scores.iter().map(|s| s.1).sum::<f64>() / n;
        println!(
            "rs-trafilatura: F1 {:.4}  precision {p:.4}  recall {r:.4}  {ms:.2} ms/page (one pass)",
            f1(p, r)
        );
    }
    let mut worst: Vec<_> = rows.iter().collect();
    worst.sort_by(|a, b| a.3.total_cmp(&b.3));
    println!("worst 10 pages by F1:");
    for (page, p, r, f) in worst.iter().take(10) {
        println!(
            "  F1 {f:.3} P {p:.3} R {r:.3}  {}  {}",
            &page.id[..12],
            page.url
        );
    }

    if let Ok(dir) = std::env::var("EXTRACT_BENCH_DUMP") {
        let dir = Path::new(&dir);
        std::fs::create_dir_all(dir).expect("dump dir");
        let mut tsv = String::from("id\tf1\tprecision\trecall\turl\n");
        for ((page, p, r, f), text) in rows.iter().zip(&texts) {
            tsv.push_str(&format!(
                "{}\t{f:.4}\t{p:.4}\t{r:.4}\t{}\n",
                page.id, page.url
            ));
            std::fs::write(dir.join(format!("{}.pred.txt", page.id)), text).expect("write");
            std::fs::write(dir.join(format!("{}.true.txt", page.id)), &page.truth).expect("write");
        }
        std::fs::write(dir.join("scores.tsv"), tsv).expect("write");
    }
}
