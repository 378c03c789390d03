//! Loading the benchmark pages (`testdata/extraction-benchmark`) in tests.

use std::io::Read;
use std::path::{Path, PathBuf};

pub fn benchmark_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/extraction-benchmark")
}

/// Ids of all benchmark pages, sorted.
#[allow(dead_code, reason = "not every test file uses every helper")]
pub fn page_ids() -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(benchmark_dir().join("html"))
        .expect("benchmark html dir")
        .filter_map(Result::ok)
        .filter_map(|e| {
            e.file_name()
                .to_str()?
                .strip_suffix(".html.gz")
                .map(str::to_string)
        })
        .collect();
    ids.sort();
    ids
}

/// The decoded HTML of the page whose id starts with `prefix`.
#[allow(dead_code, reason = "not every test file uses every helper")]
pub fn page(prefix: &str) -> String {
    let ids = page_ids();
    let id = ids
        .iter()
        .find(|id| id.starts_with(prefix))
        .unwrap_or_else(|| panic!("no page {prefix}"));
    let gz =
        std::fs::read(benchmark_dir().join("html").join(format!("{id}.html.gz"))).expect("page");
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(&gz[..])
        .read_to_end(&mut bytes)
        .expect("gzip");
    redline_extract::decode_html(&bytes, None)
}
