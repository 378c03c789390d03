//! What the crawl benchmarks share (`benches/checks.rs`,
//! `benches/real_pages.rs`, each with `mod common;`): a crawler on a
//! configuration's database and archive, fetching without per-host delay.

use std::sync::Arc;
use std::time::Duration;

use redline_archive::ArchiveWriter;
use redline_config::Config;
use redline_crawl::{Crawler, CrawlerOptions};
use redline_fetch::{FetchSettings, Fetcher};
use redline_store::SqliteStore;

/// The store of `config` and a crawler on it, with `concurrency` fetches in
/// flight (16 to one host) and no delay between them.
pub async fn crawler(config: &Config, concurrency: usize) -> (Arc<SqliteStore>, Crawler) {
    let store =
        Arc::new(SqliteStore::open(config.storage.database.sqlite_path().unwrap()).expect("store"));
    let fetcher = Fetcher::new(FetchSettings {
        concurrency,
        per_host_concurrency: 16,
        per_host_delay: Duration::ZERO,
        ..FetchSettings::default()
    })
    .expect("fetcher");
    let archive = ArchiveWriter::open(&config.storage.archive, 1 << 30).expect("archive");
    let crawler = Crawler::new(
        config,
        store.clone(),
        fetcher,
        archive,
        CrawlerOptions::default(),
    )
    .await
    .expect("crawler");
    (store, crawler)
}
