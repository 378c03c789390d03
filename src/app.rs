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

/// The public address links in alerts point at: `[server] base_url`, else
/// the address the web interface listens on (with a warning: readers
/// elsewhere cannot follow such links).
pub fn public_base(config: &Config) -> String {
    match &config.server.base_url {
        Some(base) => base.trim_end_matches('/').to_string(),
        None => format!("http://{}", config.server.listen),
    }
}

/// The alerts' delivery worker of this process, when `[[alert]]` rules
/// are configured.
pub fn alert_worker(
    config: &Config,
    store: Arc<dyn Store>,
) -> Result<Option<redline_alert::Worker>> {
    if config.alerts.is_empty() {
        return Ok(None);
    }
    let rules = redline_alert::Rules::compile(&config.alerts)?;
    if config.server.base_url.is_none() {
        tracing::warn!(
            "alerts link to {}: set [server] base_url to the address readers reach redline at",
            public_base(config)
        );
    }
    let id = redline_crawl::lease::crawler_id(config.crawl.id.as_deref());
    let settings =
        redline_alert::WorkerSettings::new(&id, &public_base(config), &config.crawl.user_agent);
    let cards = Arc::new(Cards {
        store: store.clone(),
        site_name: settings.site_name.clone(),
    });
    let worker = redline_alert::Worker::new(store, rules, settings, Some(cards))
        .context("cannot start the alerts")?;
    Ok(Some(worker))
}

/// The diff cards of the alerts that post an image: the web interface's
/// card of the change.
struct Cards {
    store: Arc<dyn Store>,
    site_name: String,
}

impl redline_alert::CardMaker for Cards {
    fn card(&self, item: &redline_alert::message::Item) -> Option<redline_alert::CardImage> {
        let c = &item.change;
        let versions = self
            .store
            .version_texts(&[(c.article_id, c.from), (c.article_id, c.number)])
            .ok()?;
        let [old, new] = versions.as_slice() else {
            return None;
        };
        let diff = redline_diff::diff(&old.text, &new.text);
        let assessment = redline_web::assessment(&diff, &c.url);
        let card = redline_web::card_of(
            &c.source_title,
            &self.site_name,
            &old.meta,
            &new.meta,
            &assessment,
        );
        let png = redline_card::render(&card)
            .map_err(|e| tracing::warn!("no card for change {}: {e}", c.key))
            .ok()?;
        Some(redline_alert::CardImage {
            png,
            alt: redline_card::alt_text(&card),
            width: redline_card::WIDTH,
            height: redline_card::HEIGHT,
        })
    }
}
