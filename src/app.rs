//! Builds the pieces a command needs from the configuration: the store,
//! the fetcher, the archive and the crawler.

use std::sync::Arc;

use anyhow::{Context, Result};
use redline_archive::ArchiveWriter;
use redline_config::Config;
use redline_crawl::{Crawler, CrawlerOptions};
use redline_fetch::{FetchSettings, Fetcher};
use redline_store::{Article, prelude::*};

/// Opens the database named by the configuration: a SQLite file, or a
/// PostgreSQL database shared with other crawlers.
pub fn open_store(config: &Config) -> Result<Arc<dyn Store>> {
    let database = &config.storage.database;
    let context = || {
        format!(
            "cannot use the database {database} (set [storage] database in the configuration, \
             or REDLINE_DATABASE_URL)"
        )
    };
    redline_store::open(database, pool_size(config)).with_context(context)
}

/// Connections to a PostgreSQL database: one per check that may run at
/// once, and a few for the listing polls and the web interface.
fn pool_size(config: &Config) -> u32 {
    u32::try_from(config.crawl.concurrency)
        .unwrap_or(u32::MAX)
        .saturating_add(4)
        .min(64)
}

/// A crawler over `store` for the configured sources.
pub async fn crawler(config: &Config, store: Arc<dyn Store>) -> Result<Crawler> {
    let fetcher = Fetcher::new(FetchSettings::from(&config.crawl))
        .context("cannot set up the HTTP client")?;
    let archive_dir = &config.storage.archive;
    // Named after this crawler, so crawlers sharing the directory (and the
    // database) each write their own files.
    let id = redline_crawl::lease::crawler_id(config.crawl.id.as_deref());
    let archive =
        ArchiveWriter::open_for_crawler(archive_dir, config.storage.archive_file_size.0, &id)
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
