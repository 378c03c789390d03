//! The crawler's loops: listing polls and article checks, continuously
//! ([`Crawler::run`]), once ([`Crawler::run_once`]) or for given URLs
//! ([`Crawler::check_urls`]).

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use chrono::Utc;
use redline_archive::ArchiveWriter;
use redline_config::Config;
use redline_discover::UrlFilter;
use redline_extract::{Extractor, SiteRules};
use redline_fetch::Fetcher;
use redline_store::{ArticleId, DueArticle, NewArticle, SourceSpec, StoreError, prelude::*};
use tokio::sync::{Notify, watch};
use tokio::task::JoinSet;

use crate::report::{CheckReport, CheckResult, Stats};
use crate::schedule::SchedulePolicy;

/// A crawler that cannot start.
#[derive(Debug, thiserror::Error)]
pub enum CrawlError {
    #[error("source {name:?}: {error}")]
    Rules {
        name: String,
        error: redline_extract::RuleError,
    },
    #[error("source {name:?}: {error}")]
    Pattern { name: String, error: String },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{url}: {reason}")]
    BadUrl { url: String, reason: String },
    #[error(
        "{url}: the check stopped unexpectedly (a bug in redline: please report it with the log)"
    )]
    CheckPanicked { url: String },
    /// A source asks for `render = "chromium"` and the renderer cannot be
    /// set up (the browser named by `[render] chromium` is missing).
    #[error(transparent)]
    Render(redline_fetch::FetchError),
}

/// The extractor of a configured source: the generic one, with the
/// source's `[source.extract]` rules when it has them.
pub fn extractor_for(source: &redline_config::Source) -> Result<Extractor, CrawlError> {
    extractor_of(&source_spec(source))
}

/// The extractor of a source, configured or added at run time: the generic
/// one, with the source's CSS rules when it has them.
pub fn extractor_of(spec: &SourceSpec) -> Result<Extractor, CrawlError> {
    if spec.extract_body.is_none() && spec.extract_remove.is_empty() {
        return Ok(Extractor::new());
    }
    Extractor::with_rules(&SiteRules {
        body: spec.extract_body.clone(),
        remove: spec.extract_remove.clone(),
    })
    .map_err(|error| CrawlError::Rules {
        name: spec.name.clone(),
        error,
    })
}

/// Tuning that is not in the configuration file.
#[derive(Debug, Clone)]
pub struct CrawlerOptions {
    /// Checks in flight at once (most of them waiting for their host's turn).
    pub max_in_flight: usize,
    /// How long a claimed article stays reserved for this crawler.
    pub lease: Duration,
    /// Longest sleep between looks at the schedule.
    pub idle_poll: Duration,
}

impl Default for CrawlerOptions {
    fn default() -> Self {
        Self {
            max_in_flight: 256,
            lease: Duration::from_secs(30 * 60),
            idle_poll: Duration::from_secs(5),
        }
    }
}

/// The sources of `config` as the store keeps them.
pub fn source_specs(config: &Config) -> Vec<SourceSpec> {
    config.sources.iter().map(source_spec).collect()
}

/// One configured source as the store keeps it.
fn source_spec(source: &redline_config::Source) -> SourceSpec {
    let rules = source.extract.clone().unwrap_or_default();
    SourceSpec {
        name: source.name.clone(),
        title: source.display_title().to_string(),
        listings: source
            .listings()
            .map(|(kind, url)| (kind, url.to_string()))
            .collect(),
        article_url: source.article_url.as_ref().map(|p| p.as_str().to_string()),
        exclude_url: source.exclude_url.as_ref().map(|p| p.as_str().to_string()),
        extract_body: rules.body,
        extract_remove: rules.remove,
    }
}

/// A source's filter, extractor and networks, built the one way whether the
/// source is configured or was added at run time (from the store). The
/// patterns compile as the configuration's do.
fn runtime_of(spec: &SourceSpec) -> Result<SourceRuntime, CrawlError> {
    let pattern = |p: &Option<String>| {
        p.as_deref()
            .map(|p| redline_config::Pattern::new(p).map(|p| (*p).clone()))
            .transpose()
            .map_err(|error| CrawlError::Pattern {
                name: spec.name.clone(),
                error,
            })
    };
    Ok(SourceRuntime {
        filter: UrlFilter {
            article: pattern(&spec.article_url)?,
            exclude: pattern(&spec.exclude_url)?,
        },
        extractor: extractor_of(spec)?,
        networks: listing_networks(spec.listings.iter().map(|(_, url)| url.as_str())),
    })
}

/// The renderer, and the configured sources whose pages it renders
/// (`render = "chromium"`).
pub(crate) struct Rendering {
    pub renderer: redline_fetch::Renderer,
    pub sources: HashSet<String>,
}

/// The renderer for the sources of `config` that ask for one, if any.
fn rendering_of(config: &Config, fetcher: &Fetcher) -> Result<Option<Rendering>, CrawlError> {
    let sources: HashSet<String> = config
        .sources
        .iter()
        .filter(|s| s.render == redline_config::RenderMode::Chromium)
        .map(|s| s.name.clone())
        .collect();
    if sources.is_empty() {
        return Ok(None);
    }
    let settings = redline_fetch::RenderSettings::new(&config.render, &config.crawl);
    let renderer =
        redline_fetch::Renderer::new(settings, fetcher.clone()).map_err(CrawlError::Render)?;
    Ok(Some(Rendering { renderer, sources }))
}

/// One configured source, ready to use.
pub(crate) struct SourceRuntime {
    pub filter: UrlFilter,
    pub extractor: Extractor,
    /// The networks the source's listings open to its articles: a listing
    /// on a loopback or private address may lead to articles on the same
    /// network (see `redline_fetch::listing_network`).
    pub networks: Vec<redline_fetch::IpNet>,
}

/// The networks that listings at `urls` open (unparsable ones open none).
pub(crate) fn listing_networks<'a>(
    urls: impl IntoIterator<Item = &'a str>,
) -> Vec<redline_fetch::IpNet> {
    let parsed: Vec<url::Url> = urls
        .into_iter()
        .filter_map(|u| url::Url::parse(u).ok())
        .collect();
    redline_fetch::listing_networks(&parsed)
}

pub(crate) struct Inner {
    pub store: Arc<dyn Store>,
    pub fetcher: Fetcher,
    /// Renders the pages of sources with `render = "chromium"`.
    pub render: Option<Rendering>,
    pub archive: Mutex<ArchiveWriter>,
    /// Configured sources, and those added at run time once first met.
    pub sources: RwLock<HashMap<String, Arc<SourceRuntime>>>,
    pub generic: Arc<SourceRuntime>,
    pub policy: SchedulePolicy,
    pub feed_interval: Duration,
    pub conditional_requests: bool,
    pub options: CrawlerOptions,
    /// This crawler's name in the leases (`[crawl] id`, else `host:pid`).
    pub id: String,
    pub stats: Stats,
    /// Woken when articles are added, so they are checked at once.
    pub wake: Notify,
    /// Set while the store refuses writes (disk full, read-only).
    pub storage_paused: AtomicBool,
    /// Set once shutdown begins: waiting writes give up.
    pub stopping: AtomicBool,
    /// Limits listings polled at once.
    pub listing_slots: tokio::sync::Semaphore,
    /// Articles this crawler is checking. A check that waits long for its
    /// host's turn can outlive its lease; claimed again, it is not checked
    /// twice (the new claim just renews the lease).
    pub checking: Mutex<HashSet<ArticleId>>,
}

/// Marks an article as being checked until dropped (when the check ends,
/// however it ends).
struct Checking(Arc<Inner>, ArticleId);

impl Drop for Checking {
    fn drop(&mut self) {
        self.0
            .checking
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&self.1);
    }
}

/// The crawler. Cheap to clone; clones share everything.
#[derive(Clone)]
pub struct Crawler {
    pub(crate) inner: Arc<Inner>,
}

impl Crawler {
    /// Builds a crawler for the sources of `config`, and brings the store's
    /// list of sources and listings in line with it.
    pub async fn new(
        config: &Config,
        store: Arc<dyn Store>,
        fetcher: Fetcher,
        archive: ArchiveWriter,
        options: CrawlerOptions,
    ) -> Result<Self, CrawlError> {
        let mut sources = HashMap::new();
        let specs = source_specs(config);
        for spec in &specs {
            sources.insert(spec.name.clone(), Arc::new(runtime_of(spec)?));
        }
        let render = rendering_of(config, &fetcher)?;
        let inner = Arc::new(Inner {
            store,
            fetcher,
            render,
            archive: Mutex::new(archive),
            sources: RwLock::new(sources),
            generic: Arc::new(SourceRuntime {
                filter: UrlFilter::default(),
                extractor: Extractor::new(),
                networks: Vec::new(),
            }),
            policy: SchedulePolicy::from(&config.schedule),
            feed_interval: *config.crawl.feed_interval,
            conditional_requests: config.crawl.conditional_requests,
            options,
            id: crate::lease::crawler_id(config.crawl.id.as_deref()),
            stats: Stats::default(),
            wake: Notify::new(),
            storage_paused: AtomicBool::new(false),
            stopping: AtomicBool::new(false),
            listing_slots: tokio::sync::Semaphore::new(crate::poll::LISTING_SLOTS),
            checking: Mutex::new(HashSet::new()),
        });
        let now = Utc::now();
        inner
            .with_store(move |s| s.sync_sources(&specs, now))
            .await?;
        Ok(Crawler { inner })
    }

    /// Running totals since this crawler started.
    pub fn stats(&self) -> &Stats {
        &self.inner.stats
    }

    /// The store the crawler writes to.
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.inner.store
    }

    /// True while writes are paused because the store refuses them.
    pub fn storage_paused(&self) -> bool {
        self.inner.storage_paused.load(Ordering::Relaxed)
    }

    /// Crawls until `shutdown` turns true: polls listings when due and
    /// checks articles when due. Checks in flight are finished (and
    /// recorded) before it returns.
    pub async fn run(&self, mut shutdown: watch::Receiver<bool>) -> Result<(), CrawlError> {
        self.release_stale_leases().await?;
        // Writes waiting for a full disk give up as soon as shutdown begins.
        let inner = self.inner.clone();
        let mut watched = shutdown.clone();
        tokio::spawn(async move {
            let _ = watched.wait_for(|stop| *stop).await;
            inner.stopping.store(true, Ordering::Relaxed);
        });
        // The discovery loop, watched so that a panic in it is reported when
        // it happens, not at shutdown.
        let discovery = tokio::spawn(self.clone().listings_loop(shutdown.clone()));
        let listings = tokio::spawn(async move {
            if let Err(e) = discovery.await
                && e.is_panic()
            {
                tracing::error!(
                    "the discovery loop (feeds, pages, sitemaps) stopped with a panic: {e}; \
                     articles already known are still checked, but no new ones are found until \
                     redline restarts — this is a bug, please report it"
                );
            }
        });
        let mut checks: JoinSet<CheckReport> = JoinSet::new();
        loop {
            if *shutdown.borrow() {
                break;
            }
            while checks.try_join_next().is_some() {}
            let room = self
                .inner
                .options
                .max_in_flight
                .saturating_sub(checks.len());
            let mut claimed = 0;
            if room > 0 && !self.storage_paused() {
                match self.claim(room).await {
                    Ok(due) => {
                        claimed = due.len();
                        self.spawn_checks(&mut checks, due);
                    }
                    Err(e) => {
                        tracing::error!("cannot read the schedule: {e}");
                    }
                }
            }
            if claimed > 0 && claimed == room {
                // Full: wait for a slot.
                tokio::select! {
                    _ = checks.join_next() => {}
                    _ = shutdown.changed() => {}
                }
                continue;
            }
            let sleep = self.until_next_due().await;
            tokio::select! {
                _ = tokio::time::sleep(sleep) => {}
                _ = self.inner.wake.notified() => {}
                Some(_) = checks.join_next(), if !checks.is_empty() => {}
                _ = shutdown.changed() => {}
            }
        }
        tracing::info!(
            in_flight = checks.len(),
            "stopping: finishing the checks in flight"
        );
        self.inner.stopping.store(true, Ordering::Relaxed);
        while checks.join_next().await.is_some() {}
        let _ = listings.await;
        self.inner.sync_archive().await;
        Ok(())
    }

    /// One pass: polls every listing once, then checks every article due
    /// (including those just discovered) until none is due, and returns.
    pub async fn run_once(&self) -> Result<(), CrawlError> {
        self.release_stale_leases().await?;
        let listings = self.inner.with_store(|s| s.listings()).await?;
        let mut polls = JoinSet::new();
        for listing in listings {
            let inner = self.inner.clone();
            polls.spawn(async move { inner.poll(listing).await });
        }
        while polls.join_next().await.is_some() {}
        let mut checks: JoinSet<CheckReport> = JoinSet::new();
        loop {
            let room = self
                .inner
                .options
                .max_in_flight
                .saturating_sub(checks.len());
            let due = if room > 0 {
                self.claim(room).await?
            } else {
                Vec::new()
            };
            if due.is_empty() && checks.is_empty() {
                break;
            }
            self.spawn_checks(&mut checks, due);
            checks.join_next().await;
        }
        self.inner.sync_archive().await;
        Ok(())
    }

    /// Checks these URLs now, whatever their schedule, adding the unknown
    /// ones under `source` (or the source whose URL pattern matches).
    /// Returns one report per URL, in order.
    pub async fn check_urls(
        &self,
        urls: &[String],
        source: Option<&str>,
    ) -> Vec<Result<CheckReport, CrawlError>> {
        let mut tasks = JoinSet::new();
        for (i, url) in urls.iter().enumerate() {
            let crawler = self.clone();
            let url = url.clone();
            let source = source.map(str::to_string);
            tasks.spawn(async move { (i, crawler.check_url(&url, source.as_deref()).await) });
        }
        let mut results: Vec<Option<Result<CheckReport, CrawlError>>> =
            (0..urls.len()).map(|_| None).collect();
        while let Some(joined) = tasks.join_next().await {
            if let Ok((i, result)) = joined {
                results[i] = Some(result);
            }
        }
        self.inner.sync_archive().await;
        results
            .into_iter()
            .zip(urls)
            .map(|(r, url)| {
                r.unwrap_or_else(|| Err(CrawlError::CheckPanicked { url: url.clone() }))
            })
            .collect()
    }

    async fn check_url(&self, url: &str, source: Option<&str>) -> Result<CheckReport, CrawlError> {
        let canonical =
            redline_discover::canonicalize(url, None).map_err(|e| CrawlError::BadUrl {
                url: url.to_string(),
                reason: e.to_string(),
            })?;
        let key = canonical.to_string();
        let found = self.inner.with_store({
            let key = key.clone();
            move |s| s.find_by_url(&key)
        });
        let id: ArticleId = match found.await? {
            Some(article) => article.id,
            None => {
                let source = self.source_for(&canonical, source).await?;
                let new = vec![NewArticle {
                    url: key.clone(),
                    title: None,
                    published: None,
                }];
                let now = Utc::now();
                let added = self
                    .inner
                    .with_store(move |s| s.add_articles(&source, &new, now))
                    .await?;
                match added.first() {
                    Some(id) => *id,
                    // Added meanwhile by another task under an alias.
                    None => {
                        let key = key.clone();
                        let article = self.inner.with_store(move |s| s.find_by_url(&key)).await?;
                        article.map(|a| a.id).ok_or_else(|| CrawlError::BadUrl {
                            url: url.to_string(),
                            reason: "could not be added".into(),
                        })?
                    }
                }
            }
        };
        let (now, owner) = (Utc::now(), self.inner.id.clone());
        let lease_until = now + self.inner.lease();
        let due = self
            .inner
            .with_store(move |s| s.claim(&owner, id, now, lease_until))
            .await?
            .ok_or_else(|| CrawlError::BadUrl {
                url: url.to_string(),
                reason: "the article vanished from the database".into(),
            })?;
        Ok(self.inner.check(due).await)
    }

    /// The source an unknown URL belongs to: the one named, else the first
    /// whose `article_url` pattern matches it.
    async fn source_for(&self, url: &url::Url, named: Option<&str>) -> Result<String, CrawlError> {
        if let Some(name) = named {
            return if self.inner.runtime(name).await.is_some() {
                Ok(name.to_string())
            } else {
                Err(CrawlError::BadUrl {
                    url: url.to_string(),
                    reason: format!("there is no source named {name:?}"),
                })
            };
        }
        let sources = self.inner.sources.read().unwrap_or_else(|e| e.into_inner());
        let mut matching: Vec<&String> = sources
            .iter()
            .filter(|(_, s)| s.filter.article.is_some() && s.filter.accepts(url, None))
            .map(|(name, _)| name)
            .collect();
        matching.sort();
        matching
            .first()
            .map(|s| s.to_string())
            .ok_or_else(|| CrawlError::BadUrl {
                url: url.to_string(),
                reason: "no source's article_url pattern matches it; name one with --source".into(),
            })
    }

    /// Starts a check of each claimed article not already being checked.
    fn spawn_checks(&self, checks: &mut JoinSet<CheckReport>, due: Vec<DueArticle>) {
        for article in due {
            if !self
                .inner
                .checking
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(article.id)
            {
                continue;
            }
            let checking = Checking(self.inner.clone(), article.id);
            let inner = self.inner.clone();
            checks.spawn(async move {
                let _checking = checking;
                inner.check(article).await
            });
        }
    }

    async fn claim(&self, limit: usize) -> Result<Vec<DueArticle>, StoreError> {
        let (now, owner) = (Utc::now(), self.inner.id.clone());
        let lease_until = now + self.inner.lease();
        self.inner
            .with_store(move |s| s.claim_due(&owner, now, limit, lease_until))
            .await
    }

    /// Drops this crawler's own leases and those of dead crawler processes
    /// of this host ([`crate::lease`]), before it starts claiming.
    async fn release_stale_leases(&self) -> Result<(), StoreError> {
        let me = self.inner.id.clone();
        self.inner
            .with_store(move |s| {
                let owners = s.lease_owners(Utc::now())?;
                let release = crate::lease::releasable(&me, &owners);
                s.release_leases(&release)
            })
            .await
    }

    /// This crawler's name in the database's leases.
    pub fn id(&self) -> &str {
        &self.inner.id
    }

    async fn until_next_due(&self) -> Duration {
        let idle = self.inner.options.idle_poll;
        let now = Utc::now();
        match self.inner.with_store(move |s| s.next_due(now)).await {
            Ok(Some(next)) => (next - Utc::now())
                .to_std()
                .unwrap_or(Duration::ZERO)
                .clamp(Duration::from_millis(50), idle),
            _ => idle,
        }
    }

    /// Polls each listing when due. Due listings are leased to this crawler
    /// (so crawlers sharing a database poll each once); the lease ends when
    /// the poll is recorded. Those being polled are also remembered, so a
    /// poll that outlives its lease is not started twice here; a slow one
    /// holds up no other (`listing_slots` bounds how many fetch at once).
    async fn listings_loop(self, mut shutdown: watch::Receiver<bool>) {
        let mut polls = JoinSet::new();
        let mut polling: HashMap<tokio::task::Id, String> = HashMap::new();
        loop {
            if *shutdown.borrow() {
                break;
            }
            while let Some(done) = polls.try_join_next_with_id() {
                let id = match done {
                    Ok((id, ())) => id,
                    Err(e) => e.id(),
                };
                polling.remove(&id);
            }
            if !self.storage_paused() {
                let (now, owner) = (Utc::now(), self.inner.id.clone());
                let lease_until = now + self.inner.lease();
                let claimed = self
                    .inner
                    .with_store(move |s| s.claim_listings(&owner, now, lease_until))
                    .await;
                match claimed {
                    Ok(due) => {
                        for listing in due {
                            if polling.values().any(|url| *url == listing.url) {
                                continue;
                            }
                            let url = listing.url.clone();
                            let inner = self.inner.clone();
                            let task = polls.spawn(async move { inner.poll(listing).await });
                            polling.insert(task.id(), url);
                        }
                    }
                    Err(e) => tracing::error!("cannot read the listings' schedule: {e}"),
                }
            }
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_secs(1)) => {}
                _ = shutdown.changed() => {}
            }
        }
        polls.abort_all();
    }
}

impl Inner {
    /// Runs a store call once, on the blocking pool.
    async fn store_once<T: Send + 'static>(
        self: &Arc<Self>,
        f: impl FnOnce(&dyn Store) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let inner = self.clone();
        tokio::task::spawn_blocking(move || f(inner.store.as_ref()))
            .await
            .unwrap_or_else(|e| Err(StoreError::Other(format!("store task failed: {e}"))))
    }

    /// Runs a store call (a read or a write) on the blocking pool, waiting
    /// out refusals that go away by themselves or once an operator acts (a
    /// full disk, a read-only database, a database server out of reach or
    /// busy) with the crawler paused, so no result is dropped meanwhile.
    /// Other errors come back at once; so do refusals once shutdown has
    /// begun.
    pub(crate) async fn with_store<T: Send + 'static>(
        self: &Arc<Self>,
        f: impl Fn(&dyn Store) -> Result<T, StoreError> + Send + Sync + 'static,
    ) -> Result<T, StoreError> {
        let f = Arc::new(f);
        let mut wait = Duration::from_secs(1);
        loop {
            let attempt = f.clone();
            match self.store_once(move |s| attempt(s)).await {
                Err(e) if e.is_transient() && self.storage_refused(&e, &mut wait).await => {}
                result => {
                    if result.is_ok() {
                        self.storage_accepted();
                    }
                    return result;
                }
            }
        }
    }

    pub(crate) fn lease(&self) -> chrono::Duration {
        chrono::Duration::from_std(self.options.lease).unwrap_or(chrono::Duration::minutes(30))
    }

    /// A source's filter and extractor: from the configuration, else built
    /// from the store (a source added at run time). None if the store does
    /// not know it either.
    pub(crate) async fn runtime(self: &Arc<Self>, name: &str) -> Option<Arc<SourceRuntime>> {
        if let Some(known) = self
            .sources
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(name)
        {
            return Some(known.clone());
        }
        let specs = self.with_store(|s| s.source_specs()).await.ok()?;
        let spec = specs.into_iter().find(|s| s.name == name)?;
        // A pattern or selector that does not compile (the web interface
        // refuses them, so only a hand-edited database has one) makes the
        // source unusable rather than letting every URL through.
        let runtime = match runtime_of(&spec) {
            Ok(runtime) => Arc::new(runtime),
            Err(e) => {
                tracing::error!(source = name, "the source cannot be crawled: {e}");
                return None;
            }
        };
        self.sources
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(name.to_string(), runtime.clone());
        Some(runtime)
    }

    /// A source's runtime, or the generic one for a source nobody knows.
    pub(crate) async fn runtime_or_generic(self: &Arc<Self>, name: &str) -> Arc<SourceRuntime> {
        match self.runtime(name).await {
            Some(runtime) => runtime,
            None => self.generic.clone(),
        }
    }

    /// Makes archived captures durable on disk.
    pub(crate) async fn sync_archive(self: &Arc<Self>) {
        let inner = self.clone();
        let synced = tokio::task::spawn_blocking(move || {
            inner
                .archive
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .sync()
        })
        .await;
        if let Ok(Err(e)) = synced {
            tracing::warn!("could not flush the archive to disk: {e}");
        }
    }

    pub(crate) fn report(&self, due: &DueArticle, result: CheckResult) -> CheckReport {
        self.stats.count_check(&result);
        match &result {
            CheckResult::NewArticle | CheckResult::NewVersion { .. } => {
                tracing::info!(article = due.id, url = %due.url, "{result}");
            }
            CheckResult::Failed { .. } => {
                tracing::warn!(article = due.id, url = %due.url, "{result}");
            }
            CheckResult::Gone { .. }
            | CheckResult::Redirected { .. }
            | CheckResult::Restored { .. }
            | CheckResult::Merged { .. }
            | CheckResult::Reverted { .. } => {
                tracing::info!(article = due.id, url = %due.url, "{result}");
            }
            CheckResult::Unchanged | CheckResult::NotModified => {
                tracing::debug!(article = due.id, url = %due.url, "{result}");
            }
        }
        CheckReport {
            article: due.id,
            url: due.url.clone(),
            result,
        }
    }
}
