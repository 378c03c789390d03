//! WCXB benchmark: runs the extractor and rs-trafilatura over the 711
//! article pages of the WCXB development split (`testdata/wcxb-dev-articles`,
//! CC-BY-4.0, Murrough Foley) in the same run and prints, for each, the
//! word-F1, the pages that came out empty and the mean time per page, then
//! redline's 15 worst pages.
//!
//! The metric is WCXB's: per page, precision and recall of the multiset of
//! lower-cased Unicode `\w+` tokens of the extracted text against those of
//! `ground_truth.main_content`, F1 = 2PR/(P+R), averaged over pages. Both
//! empty gives 1, one empty 0. The extracted text is the body paragraphs
//! joined by newlines (no title, as the ground truth has none). Loading and
//! scoring are in `score/mod.rs`, shared with `tests/benchmark_floor.rs`.
//!
//! Time per page covers decoding the bytes (`decode_html`), parsing and
//! extraction for redline and `extract_bytes` for rs-trafilatura, on one
//! thread with the gunzipped bytes in memory; the figure is the median of
//! several passes (a single pass for rs-trafilatura, which is slow).
//!
//! Environment: `EXTRACT_BENCH_PASSES` (default 5) timed passes of redline;
//! `EXTRACT_BENCH_TRAFILATURA=0` skips rs-trafilatura;
//! `EXTRACT_BENCH_DUMP=DIR` writes each page's extraction and truth and a
//! `scores.tsv` there.

use std::path::Path;
use std::time::Instant;

use redline_extract::Extractor;

#[path = "score/mod.rs"]
mod score;

use score::{Page, PageScore, Summary};

struct Run {
    name: &'static str,
    texts: Vec<String>,
    scores: Vec<PageScore>,
    ms: f64,
}

impl Run {
    fn print(&self, pages: &[Page]) {
        let summary = Summary::of_words(&self.scores);
        println!(
            "{:<16} word-F1 {:.4}  precision {:.4}  recall {:.4}  empty {:>3}  {:.2} ms/page",
            self.name,
            summary.f1,
            summary.precision,
            summary.recall,
            score::empty_pages(pages, &self.texts).len(),
            self.ms
        );
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let pages = score::wcxb_dev();
    let truths: Vec<_> = pages.iter().map(|p| score::tokens(&p.truth)).collect();
    let passes: usize = std::env::var("EXTRACT_BENCH_PASSES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5)
        .max(1);

    let extractor = Extractor::new();
    let articles: Vec<_> = pages
        .iter()
        .map(|p| score::extract(&extractor, p))
        .collect();
    let texts: Vec<String> = articles.iter().map(score::text_of).collect();
    let key = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let titled: Vec<&Page> = pages.iter().filter(|p| !key(&p.title).is_empty()).collect();
    let titles_right = pages
        .iter()
        .zip(&articles)
        .filter(|(p, a)| {
            !key(&p.title).is_empty() && a.title.as_deref().map(key) == Some(key(&p.title))
        })
        .count();
    let blocked = articles.iter().filter(|a| a.blocked.is_some()).count();
    let mut pass_ms = Vec::new();
    for _ in 0..passes {
        let start = Instant::now();
        for page in &pages {
            std::hint::black_box(score::extract(&extractor, page));
        }
        pass_ms.push(start.elapsed().as_secs_f64() * 1000.0 / pages.len() as f64);
    }
    let fastest = pass_ms.iter().copied().fold(f64::INFINITY, f64::min);
    let scores = score::word_scores(&truths, &texts);
    let redline = Run {
        name: "redline",
        texts,
        scores,
        ms: median(pass_ms),
    };

    let trafilatura =
        (std::env::var("EXTRACT_BENCH_TRAFILATURA").as_deref() != Ok("0")).then(|| {
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
            let scores = score::word_scores(&truths, &texts);
            Run {
                name: "rs-trafilatura",
                texts,
                scores,
                ms,
            }
        });

    let mean_bytes = pages.iter().map(|p| p.bytes.len()).sum::<usize>() as f64 / pages.len() as f64;
    println!(
        "WCXB dev split, article pages: {} (mean {:.0} KB)",
        pages.len(),
        mean_bytes / 1024.0
    );
    redline.print(&pages);
    println!("                 (median of {passes} passes; fastest {fastest:.2} ms/page)");
    if let Some(t) = &trafilatura {
        t.print(&pages);
    }
    println!(
        "redline titles equal to the truth's (letters and digits): {} of {}; pages called blocked: {}",
        titles_right,
        titled.len(),
        blocked
    );
    if std::env::var("EXTRACT_BENCH_TITLES").is_ok() {
        for (p, a) in pages.iter().zip(&articles) {
            if !key(&p.title).is_empty() && a.title.as_deref().map(key) != Some(key(&p.title)) {
                println!("  title {}: {:?} (truth {:?})", p.id, a.title, p.title);
            }
        }
    }
    for (p, a) in pages.iter().zip(&articles) {
        if let Some(b) = a.blocked {
            println!(
                "  blocked {}: {b} ({} paragraphs)",
                p.id,
                a.paragraphs.len()
            );
        }
    }

    println!("redline's worst 15 pages by word-F1 (rs-trafilatura's in brackets):");
    for i in score::worst(&redline.scores, 15) {
        let PageScore {
            precision: p,
            recall: r,
            f1: f,
        } = redline.scores[i];
        let other = trafilatura
            .as_ref()
            .map(|t| format!(" [{:.3}]", t.scores[i].f1))
            .unwrap_or_default();
        println!(
            "  F1 {f:.3}{other} P {p:.3} R {r:.3}  {}  {}",
            pages[i].id, pages[i].url
        );
    }

    if let Ok(dir) = std::env::var("EXTRACT_BENCH_DUMP") {
        let dir = Path::new(&dir);
        std::fs::create_dir_all(dir).expect("dump dir");
        let mut tsv = String::from("id\tf1\tprecision\trecall\ttrafilatura_f1\turl\n");
        for (i, page) in pages.iter().enumerate() {
            let PageScore {
                precision: p,
                recall: r,
                f1: f,
            } = redline.scores[i];
            let t = trafilatura
                .as_ref()
                .map(|t| format!("{:.4}", t.scores[i].f1))
                .unwrap_or_default();
            tsv.push_str(&format!(
                "{}\t{f:.4}\t{p:.4}\t{r:.4}\t{t}\t{}\n",
                page.id, page.url
            ));
            std::fs::write(dir.join(format!("{}.pred.txt", page.id)), &redline.texts[i])
                .expect("write");
            std::fs::write(dir.join(format!("{}.true.txt", page.id)), &page.truth).expect("write");
            if let Some(t) = &trafilatura {
                std::fs::write(dir.join(format!("{}.traf.txt", page.id)), &t.texts[i])
                    .expect("write");
            }
        }
        std::fs::write(dir.join("scores.tsv"), tsv).expect("write");
    }
}
