//! Benchmark: article checks per second against the simulated newsroom on
//! loopback, with full extraction and comparison (conditional requests off,
//! so every check downloads, decodes, extracts, hashes and classifies the
//! whole page, and writes its result to SQLite).
//!
//! `cargo bench -p redline-crawl --bench checks [-- ARTICLES [PAGE_KB]]`
//! (default 2000 articles; PAGE_KB pads each page with a site menu and an
//! embedded JSON blob to about that many KB, as real news pages weigh
//! 100-500 KB; default 0, the bare 10-14 KB templates).
//!
//! Phases, each timed on its own:
//! 1. discovery: poll the feed and check every new article (first text,
//!    confirmed by a second fetch, stored as version 0);
//! 2. re-check: every article again, unchanged (the steady state of a
//!    tracker: most checks find nothing new);
//! 3. edits: 10% of the articles edited, all re-checked (changes are
//!    confirmed by a second fetch and diffed against the stored version).

use std::time::{Duration, Instant};

use chrono::Utc;
use redline_config::{Config, Origin};
use redline_newsroom::{Edit, Newsroom, NewsroomConfig};
use redline_store::prelude::*;

mod common;

fn main() {
    let numbers: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let articles = numbers.first().copied().unwrap_or(2000);
    let page_kb = numbers.get(1).copied().unwrap_or(0);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(bench(articles, page_kb));
}

async fn bench(articles: usize, page_kb: usize) {
    let outlets = 4;
    let room = Newsroom::start(NewsroomConfig {
        articles: articles / outlets,
        outlets,
        seed: 1,
        page_padding: page_kb * 1000,
        ..Default::default()
    })
    .await
    .expect("newsroom");
    let dir = tempfile::tempdir().expect("tempdir");
    let mut sources = String::new();
    for outlet in room.outlets() {
        sources.push_str(&format!(
            "[[source]]\nname = \"outlet{index}\"\ntitle = \"{title}\"\nfeeds = ['{feed}']\narticle_url = '^{base}news/'\n",
            index = outlet.index,
            title = outlet.name,
            feed = outlet.feed_url(),
            base = regex::escape(&outlet.base_url),
        ));
    }
    let text = format!(
        "[storage]\ndatabase = '{}'\narchive = '{}'\n[crawl]\nconcurrency = 64\n\
         per_host_concurrency = 16\nper_host_delay = \"0ms\"\nconditional_requests = false\n{sources}",
        dir.path().join("bench.db").display(),
        dir.path().join("archive").display(),
    );
    let config = Config::parse(&text, Origin::BuiltIn).expect("config");
    let (store, crawler) = common::crawler(&config, 64).await;

    let page = page_size(&room.article_url(room.article_ids()[0]));
    println!(
        "redline check throughput: {articles} articles on {outlets} loopback outlets, pages of {:.0} KB",
        page as f64 / 1000.0
    );
    let start = Instant::now();
    crawler.run_once().await.expect("crawl");
    let total = store
        .sources()
        .expect("sources")
        .iter()
        .map(|s| s.articles)
        .sum::<u64>();
    report(
        "discovery (new articles, 2 fetches each)",
        total,
        start.elapsed(),
    );

    let due_all = || {
        let now = Utc::now();
        for article in store.articles(&Default::default()).expect("articles") {
            store.schedule_check(article.id, now).expect("schedule");
        }
    };
    due_all();
    let before = crawler.stats().snapshot();
    let start = Instant::now();
    crawler.run_once().await.expect("crawl");
    let after = crawler.stats().snapshot();
    report(
        &format!(
            "re-check, unchanged ({} false changes)",
            after.new_versions - before.new_versions
        ),
        after.checks - before.checks,
        start.elapsed(),
    );

    let ids = room.article_ids();
    let edited = ids.len() / 10;
    for id in ids.iter().take(edited) {
        room.edit(*id, Edit::SetHeadline(format!("Updated headline {id}")))
            .expect("edit");
    }
    due_all();
    let before = crawler.stats().snapshot();
    let start = Instant::now();
    crawler.run_once().await.expect("crawl");
    let after = crawler.stats().snapshot();
    report(
        &format!(
            "re-check with {edited} edited ({} new versions)",
            after.new_versions - before.new_versions
        ),
        after.checks - before.checks,
        start.elapsed(),
    );
}

fn report(phase: &str, checks: u64, elapsed: Duration) {
    println!(
        "  {phase:<48} {checks:>6} checks in {:>6.2} s = {:>7.0} checks/s",
        elapsed.as_secs_f64(),
        checks as f64 / elapsed.as_secs_f64()
    );
}

/// Size of one article page as served uncompressed (a raw HTTP/1.1 GET).
fn page_size(url: &str) -> usize {
    use std::io::{Read, Write};
    let rest = url.trim_start_matches("http://");
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let mut stream = std::net::TcpStream::connect(host).expect("connect");
    let request = format!("GET /{path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).expect("request");
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let head_end = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(0, |i| i + 4);
    response.len() - head_end
}
