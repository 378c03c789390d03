//! Shared by the integration tests that run the `redline` binary against
//! the simulated newsroom: configuration files and process measurements.

#![allow(dead_code)] // each test binary uses its own subset

use std::path::{Path, PathBuf};

use redline_newsroom::Newsroom;

/// One `[[source]]` per outlet of the room, named `outlet0`, `outlet1`, ...,
/// taking the outlet's feed and its `/news/` URLs.
pub fn outlet_sources(room: &Newsroom) -> String {
    room.outlets()
        .iter()
        .map(|outlet| {
            format!(
                "[[source]]\nname = \"outlet{}\"\nfeeds = ['{}']\narticle_url = '^{}news/'\n",
                outlet.index,
                outlet.feed_url(),
                regex::escape(&outlet.base_url)
            )
        })
        .collect()
}

/// Crawl settings for loopback: no politeness delay, short timeouts, every
/// check a full fetch.
pub const FAST_CRAWL: &str = "per_host_delay = \"0ms\"\nper_host_concurrency = 16\n\
     concurrency = 32\ntimeout = \"4s\"\nconnect_timeout = \"2s\"\nretries = 0\n\
     conditional_requests = false\n";

/// Writes `dir/redline.toml`: database and archive under `storage`, then
/// `[crawl]` with `crawl`, then `rest` (more sections, sources). Returns its
/// path.
pub fn write_config(dir: &Path, storage: &Path, crawl: &str, rest: &str) -> PathBuf {
    let path = dir.join("redline.toml");
    let text = format!(
        "[storage]\ndatabase = '{}'\narchive = '{}'\n[crawl]\n{crawl}\n{rest}",
        storage.join("redline.db").display(),
        storage.join("warc").display(),
    );
    std::fs::write(&path, text).unwrap();
    path
}

/// Peak resident set size, in MB, of all children waited for so far.
pub fn children_peak_rss_mb() -> f64 {
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    usage.ru_maxrss as f64 / 1024.0
}
