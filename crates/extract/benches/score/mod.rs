//! The extraction benchmarks' pages and scores, shared by the benchmarks
//! (`benches/extraction.rs`, `benches/wcxb.rs`) and the floor test
//! (`tests/benchmark_floor.rs`), each of which includes this file with
//! `#[path = ...] mod score;`.
//!
//! Two sets of pages with their true article text:
//! - [`extraction_benchmark`]: the 181 pages of `testdata/extraction-benchmark`,
//!   scored by [`shingle_scores`]: per page, precision and recall of the
//!   multiset of word 4-grams (lower-cased Unicode `\w+` tokens) of the
//!   extracted paragraphs against the true `articleBody`; an extraction
//!   with no 4-gram has precision 1, a truth with none gives recall 1.
//!   The set's F1 is 2PR/(P+R) of the precision and recall averaged over
//!   pages ([`Summary::of_shingles`]).
//! - [`wcxb_dev`]: the 711 article pages of the WCXB development split
//!   (`testdata/wcxb-dev-articles`, CC-BY-4.0, Murrough Foley), scored by
//!   [`word_scores`], WCXB's metric: per page, precision and recall of the
//!   multiset of lower-cased `\w+` tokens against `ground_truth.main_content`,
//!   F1 = 2PR/(P+R) (both empty gives 1, one empty 0), averaged over pages
//!   ([`Summary::of_words`]).
//!
//! The extracted text is the body paragraphs joined by newlines (no title:
//! neither ground truth has it).

#![allow(dead_code)] // each includer uses its part

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;
use std::sync::LazyLock;

use redline_extract::{Article, Extractor, decode_html};

/// One page of a benchmark set with its truth.
pub struct Page {
    pub id: String,
    pub url: String,
    /// The page as served (gunzipped).
    pub bytes: Vec<u8>,
    /// The true article text.
    pub truth: String,
    /// The true title (WCXB only; empty otherwise).
    pub title: String,
}

/// Precision, recall and F1 of one page.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageScore {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

/// The figures of a whole set.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

static WORD: LazyLock<regex::Regex> = LazyLock::new(|| regex::Regex::new(r"\w+").expect("regex"));

fn testdata(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata")
        .join(name)
}

fn gunzip(path: &Path) -> Vec<u8> {
    let gz = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(&gz[..])
        .read_to_end(&mut bytes)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    bytes
}

/// The 181 pages of `testdata/extraction-benchmark`, by id.
pub fn extraction_benchmark() -> Vec<Page> {
    let dir = testdata("extraction-benchmark");
    let truth: HashMap<String, serde_json::Value> = serde_json::from_slice(
        &std::fs::read(dir.join("ground-truth.json")).expect("ground-truth.json"),
    )
    .expect("valid ground truth");
    let mut pages: Vec<Page> = truth
        .into_iter()
        .map(|(id, value)| Page {
            url: value["url"].as_str().unwrap_or("").to_string(),
            truth: value["articleBody"].as_str().unwrap_or("").to_string(),
            title: String::new(),
            bytes: gunzip(&dir.join("html").join(format!("{id}.html.gz"))),
            id,
        })
        .collect();
    pages.sort_by(|a, b| a.id.cmp(&b.id));
    pages
}

/// The 711 article pages of the WCXB development split, by id.
pub fn wcxb_dev() -> Vec<Page> {
    let dir = testdata("wcxb-dev-articles");
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
            let field = |key: &str| {
                truth["ground_truth"][key]
                    .as_str()
                    .unwrap_or("")
                    .to_string()
            };
            Page {
                url: truth["url"].as_str().unwrap_or("").to_string(),
                truth: field("main_content"),
                title: field("title"),
                bytes: gunzip(&dir.join("html").join(format!("{id}.html.gz"))),
                id,
            }
        })
        .collect()
}

/// What the extractor makes of a page (decoded as the crawler decodes an
/// undeclared charset).
pub fn extract(extractor: &Extractor, page: &Page) -> Article {
    extractor.extract(&decode_html(&page.bytes, None))
}

/// The scored text of an extraction: its paragraphs joined by newlines.
pub fn text_of(article: &Article) -> String {
    article.paragraphs.join("\n")
}

/// The lower-cased `\w+` tokens of `text`, counted.
pub fn tokens(text: &str) -> HashMap<String, usize> {
    let lower = text.to_lowercase();
    let mut out = HashMap::new();
    for m in WORD.find_iter(&lower) {
        *out.entry(m.as_str().to_string()).or_insert(0) += 1;
    }
    out
}

/// The word 4-grams of `text`, counted.
fn shingles(text: &str) -> HashMap<String, usize> {
    let lower = text.to_lowercase();
    let tokens: Vec<&str> = WORD.find_iter(&lower).map(|m| m.as_str()).collect();
    let mut out = HashMap::new();
    for window in tokens.windows(4) {
        *out.entry(window.join(" ")).or_insert(0) += 1;
    }
    out
}

/// How much of two counted multisets is shared.
fn overlap(predicted: &HashMap<String, usize>, truth: &HashMap<String, usize>) -> usize {
    predicted
        .iter()
        .map(|(g, &n)| n.min(truth.get(g).copied().unwrap_or(0)))
        .sum()
}

/// 2PR/(P+R), 0 when both are 0.
pub fn f1(precision: f64, recall: f64) -> f64 {
    if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    }
}

/// One page's 4-gram score.
pub fn shingle_score(predicted: &str, truth: &str) -> PageScore {
    let p = shingles(predicted);
    let t = shingles(truth);
    let p_total: usize = p.values().sum();
    let t_total: usize = t.values().sum();
    let shared = overlap(&p, &t);
    let precision = if p_total == 0 {
        1.0
    } else {
        shared as f64 / p_total as f64
    };
    let recall = if t_total == 0 {
        1.0
    } else {
        shared as f64 / t_total as f64
    };
    PageScore {
        precision,
        recall,
        f1: f1(precision, recall),
    }
}

/// Every page's 4-gram score, `texts[i]` being page i's extraction.
pub fn shingle_scores(pages: &[Page], texts: &[String]) -> Vec<PageScore> {
    pages
        .iter()
        .zip(texts)
        .map(|(page, text)| shingle_score(text, &page.truth))
        .collect()
}

/// One page's word score against the truth's tokens.
pub fn word_score(predicted: &str, truth: &HashMap<String, usize>) -> PageScore {
    let p = tokens(predicted);
    let p_total: usize = p.values().sum();
    let t_total: usize = truth.values().sum();
    if p_total == 0 || t_total == 0 {
        let same = (p_total == 0 && t_total == 0) as u8 as f64;
        return PageScore {
            precision: same,
            recall: same,
            f1: same,
        };
    }
    let shared = overlap(&p, truth);
    let precision = shared as f64 / p_total as f64;
    let recall = shared as f64 / t_total as f64;
    let f1 = if shared == 0 {
        0.0
    } else {
        f1(precision, recall)
    };
    PageScore {
        precision,
        recall,
        f1,
    }
}

/// Every page's word score, `truths[i]` being `tokens` of page i's truth.
pub fn word_scores(truths: &[HashMap<String, usize>], texts: &[String]) -> Vec<PageScore> {
    texts
        .iter()
        .zip(truths)
        .map(|(text, truth)| word_score(text, truth))
        .collect()
}

fn mean(scores: &[PageScore], of: impl Fn(&PageScore) -> f64) -> f64 {
    scores.iter().map(of).sum::<f64>() / scores.len() as f64
}

impl Summary {
    /// The 4-gram figures: precision and recall averaged over pages, F1 of
    /// the two averages.
    pub fn of_shingles(scores: &[PageScore]) -> Summary {
        let precision = mean(scores, |s| s.precision);
        let recall = mean(scores, |s| s.recall);
        Summary {
            precision,
            recall,
            f1: f1(precision, recall),
        }
    }

    /// The word figures: each averaged over pages.
    pub fn of_words(scores: &[PageScore]) -> Summary {
        Summary {
            precision: mean(scores, |s| s.precision),
            recall: mean(scores, |s| s.recall),
            f1: mean(scores, |s| s.f1),
        }
    }
}

/// The indexes of the `n` pages of lowest F1, lowest first.
pub fn worst(scores: &[PageScore], n: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[a].f1.total_cmp(&scores[b].f1));
    order.truncate(n);
    order
}

/// The indexes of the pages whose extraction is empty though their truth
/// is not.
pub fn empty_pages(pages: &[Page], texts: &[String]) -> Vec<usize> {
    pages
        .iter()
        .zip(texts)
        .enumerate()
        .filter(|(_, (page, text))| text.trim().is_empty() && !page.truth.trim().is_empty())
        .map(|(i, _)| i)
        .collect()
}
