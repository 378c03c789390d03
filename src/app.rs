//! Builds the pieces a command needs from the configuration: the store,
//! the fetcher, the archive and the crawler.

use std::sync::Arc;

use anyhow::{Context, Result};
use redline_archive::ArchiveWriter;
use redline_config::Config;
use redline_crawl::{Crawler, CrawlerOptions};
use redline_fetch::{FetchSettings, Fetcher};
use redline_store::{Article, SqliteStore, Store};

/// Opens the database named by the configuration.
pub fn open_store(config: &Config) -> Result<Arc<dyn Store>> {
    let path = &config.storage.database;
    let store = SqliteStore::open(path).with_context(|| {
        format!(
            "cannot use the database {} (set [storage] database in the configuration)",
            path.display()
        )
    })?;
    Ok(Arc::new(store))
}

/// A crawler over `store` for the configured sources.
pub async fn crawler(config: &Config, store: Arc<dyn Store>) -> Result<Crawler> {
    let fetcher = Fetcher::new(FetchSettings::from(&config.crawl))
        .context("cannot set up the HTTP client")?;
    let archive_dir = &config.storage.archive;
    let archive = ArchiveWriter::open(archive_dir, config.storage.archive_file_size.0)
        .with_context(|| {
            format!(
                "cannot write raw captures to {} (set [storage] archive in the configuration)",
                archive_dir.display()
            )
        })?;
    let crawler = Crawler::new(config, store, fetcher, archive, CrawlerOptions::default())
        .await
        .context("cannot start the crawler")?;
    Ok(crawler)
}

/// Finds an article by its number or by a URL in any form a reader might
/// paste.
pub fn find_article(store: &dyn Store, reference: &str) -> Result<Article> {
    if let Ok(id) = reference.trim().trim_start_matches('#').parse::<i64>() {
        return store
            .article(id)?
            .with_context(|| format!("there is no article #{id}; `redline articles` lists them"));
    }
    for candidate in redline_discover::lookup_candidates(reference) {
        if let Some(article) = store.find_by_url(&candidate)? {
            return Ok(article);
        }
    }
    anyhow::bail!(
        "no tracked article has the URL {reference:?}; `redline check URL` adds and checks it"
    )
}
