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
//! joined by newlines (no title, as the ground truth has none).
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
    title: String,
}

fn gunzip(path: &Path) -> Vec<u8> {
    let gz = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(&gz[..])
        .read_to_end(&mut bytes)
        .expect("gzip");
    bytes
}

fn load() -> Vec<Page> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/wcxb-dev-articles");
    let mut ids: Vec<String> = std::fs::read_dir(dir.join("html"))
        .expect("html dir")
        .filter_map(|e| {
            let name = e.ok()?.file_name().into_string().ok()?;
            name.strip_suffix(".html.gz").map(str::to_string)
        })
        .collect();
    ids.sort();
    ids.into_iter()
        .map(|id| {
            let truth: serde_json::Value = serde_json::from_slice(&gunzip(
                &dir.join("ground-truth").join(format!("{id}.json.gz")),
            ))
            .expect("valid ground truth");
            Page {
                url: truth["url"].as_str().unwrap_or("").to_string(),
                truth: truth["ground_truth"]["main_content"]
                    .as_str()
                    .unwrap_or("")
                    .to_string(),
                title: truth["ground_truth"]["title"]
                    .as_str()
                    .unwrap_or("")
                    .to_string(),
                bytes: gunzip(&dir.join("html").join(format!("{id}.html.gz"))),
                id,
            }
        })
        .collect()
}

fn tokens(text: &str, word: &regex::Regex) -> HashMap<String, usize> {
    let lower = text.to_lowercase();
    let mut out = HashMap::new();
    for m in word.find_iter(&lower) {
        *out.entry(m.as_str().to_string()).or_insert(0) += 1;
    }
    out
}

/// (precision, recall, F1) of `predicted` against `truth`.
fn score(predicted: &str, truth: &HashMap<String, usize>, word: &regex::Regex) -> [f64; 3] {
    let p = tokens(predicted, word);
    let p_total: usize = p.values().sum();
    let t_total: usize = truth.values().sum();
    if p_total == 0 || t_total == 0 {
        let same = (p_total == 0 && t_total == 0) as u8 as f64;
        return [same, same, same];
    }
    let overlap: usize = p
        .iter()
        .map(|(g, &n)| n.min(truth.get(g).copied().unwrap_or(0)))
        .sum();
    let precision = overlap as f64 / p_total as f64;
    let recall = overlap as f64 / t_total as f64;
    let f1 = if overlap == 0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    [precision, recall, f1]
}

struct Run {
    name: &'static str,
    texts: Vec<String>,
    scores: Vec<[f64; 3]>,
    ms: f64,
}

impl Run {
    fn print(&self, pages: &[Page]) {
        let n = self.scores.len() as f64;
        let mean = |k: usize| self.scores.iter().map(|s| s[k]).sum::<f64>() / n;
        let empty = self
            .texts
            .iter()
            .zip(pages)
            .filter(|(t, p)| t.trim().is_empty() && !p.truth.trim().is_empty())
            .count();
        println!(
            "{:<16} word-F1 {:.4}  precision {:.4}  recall {:.4}  empty {:>3}  {:.2} ms/page",
            self.name,
            mean(2),
            mean(0),
            mean(1),
            empty,
            self.ms
        );
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let pages = load();
    let word = regex::Regex::new(r"\w+").expect("regex");
    let truths: Vec<_> = pages.iter().map(|p| tokens(&p.truth, &word)).collect();
    let passes: usize = std::env::var("EXTRACT_BENCH_PASSES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5)
        .max(1);

    let extractor = Extractor::new();
    let articles: Vec<_> = pages
        .iter()
        .map(|p| extractor.extract(&decode_html(&p.bytes, None)))
        .collect();
    let texts: Vec<String> = articles.iter().map(|a| a.paragraphs.join("\n")).collect();
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
            std::hint::black_box(extractor.extract(&decode_html(&page.bytes, None)));
        }
        pass_ms.push(start.elapsed().as_secs_f64() * 1000.0 / pages.len() as f64);
    }
    let fastest = pass_ms.iter().copied().fold(f64::INFINITY, f64::min);
    let scores = texts
        .iter()
        .zip(&truths)
        .map(|(t, truth)| score(t, truth, &word))
        .collect();
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
            let scores = texts
                .iter()
                .zip(&truths)
                .map(|(t, truth)| score(t, truth, &word))
                .collect();
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

    let mut worst: Vec<usize> = (0..pages.len()).collect();
    worst.sort_by(|&a, &b| redline.scores[a][2].total_cmp(&redline.scores[b][2]));
    println!("redline's worst 15 pages by word-F1 (rs-trafilatura's in brackets):");
    for &i in worst.iter().take(15) {
        let [p, r, f] = redline.scores[i];
        let other = trafilatura
            .as_ref()
            .map(|t| format!(" [{:.3}]", t.scores[i][2]))
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
            let [p, r, f] = redline.scores[i];
            let t = trafilatura
                .as_ref()
                .map(|t| format!("{:.4}", t.scores[i][2]))
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
