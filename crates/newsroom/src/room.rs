//! [`Newsroom`], the handle tests hold: starting and stopping the servers,
//! URLs, edits, statuses, counters and the edit driver.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::config::{NewsroomConfig, Robots};
use crate::model::{
    ArticleId, ArticleSnapshot, ArticleStatus, Edit, NewArticle, NewsroomError, Revision,
};
use crate::state::{EditRecord, OutletMeta, OutletStats, RequestRecord, Shared, lock};

/// A running simulated newsroom: one HTTP server per outlet on loopback.
///
/// All methods except [`Newsroom::start`] and [`Newsroom::shutdown`] are
/// synchronous and cheap, so they can be called from async tests and from
/// plain threads alike. Dropping the handle stops the servers (without
/// waiting); [`Newsroom::shutdown`] stops them and waits until every port is
/// closed.
///
/// ```no_run
/// # async fn demo() -> Result<(), redline_newsroom::NewsroomError> {
/// use redline_newsroom::{Edit, Newsroom, NewsroomConfig};
/// let room = Newsroom::start(NewsroomConfig { articles: 50, seed: 42, ..Default::default() }).await?;
/// let feed = room.feed_url();                  // http://127.0.0.1:PORT/feed.xml
/// let url = room.article_url(7);               // canonical URL of article 7
/// let rev = room.edit(7, Edit::SetHeadline("Council U-turn on bus lanes".into()))?;
/// assert_eq!(rev, 2);
/// assert_eq!(room.revisions(7).len(), 2);
/// # let _ = (feed, url);
/// room.shutdown().await;
/// # Ok(()) }
/// ```
pub struct Newsroom {
    shared: Arc<Shared>,
    base_url: String,
    shutdown: watch::Sender<bool>,
    servers: Vec<JoinHandle<()>>,
    runtime: Option<tokio::runtime::Runtime>,
}

/// One outlet (news site) of a newsroom, on its own loopback address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outlet {
    /// Index (0-based); outlet `i` listens on `127.0.0.{i+1}` by default.
    pub index: usize,
    /// Its name, e.g. "The Halverton Ledger".
    pub name: String,
    /// The bound address.
    pub addr: SocketAddr,
    /// `http://127.0.0.2:PORT/` (with trailing slash).
    pub base_url: String,
}

impl Outlet {
    /// `base_url` joined with `path` (which may start with '/').
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path.trim_start_matches('/'))
    }
    /// RSS 2.0 feed: `/feed.xml`.
    pub fn feed_url(&self) -> String {
        self.url("feed.xml")
    }
    /// Atom feed: `/atom.xml`.
    pub fn atom_url(&self) -> String {
        self.url("atom.xml")
    }
    /// JSON Feed 1.1: `/feed.json`.
    pub fn json_feed_url(&self) -> String {
        self.url("feed.json")
    }
    /// Front page: `/`.
    pub fn front_page_url(&self) -> String {
        self.base_url.clone()
    }
    /// Google News sitemap: `/sitemap-news.xml`.
    pub fn sitemap_url(&self) -> String {
        self.url("sitemap-news.xml")
    }
    /// Sitemap index pointing at the news sitemap: `/sitemap.xml`.
    pub fn sitemap_index_url(&self) -> String {
        self.url("sitemap.xml")
    }
    /// `/robots.txt`.
    pub fn robots_url(&self) -> String {
        self.url("robots.txt")
    }
    /// A section page, e.g. `section_url("politics")` → `/news/politics/`.
    pub fn section_url(&self, section: &str) -> String {
        self.url(&format!("news/{section}/"))
    }
    /// A fault endpoint, e.g. `fault_url("trickle?len=10")` → `/faults/trickle?len=10`.
    pub fn fault_url(&self, fault: &str) -> String {
        self.url(&format!("faults/{}", fault.trim_start_matches('/')))
    }
}

/// What [`Newsroom::requests`] counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Requests resolved to this article (any status, 304s and slug redirects included).
    Article(ArticleId),
    /// Requests for this path (query and fragment ignored) on any outlet, or an
    /// absolute URL (`http://127.0.0.2:PORT/path`) for that outlet only.
    Path(String),
}

impl From<ArticleId> for Target {
    fn from(id: ArticleId) -> Self {
        Target::Article(id)
    }
}
impl From<&str> for Target {
    fn from(p: &str) -> Self {
        Target::Path(p.to_string())
    }
}
impl From<String> for Target {
    fn from(p: String) -> Self {
        Target::Path(p)
    }
}
impl From<&String> for Target {
    fn from(p: &String) -> Self {
        Target::Path(p.clone())
    }
}

impl Newsroom {
    /// Binds every outlet and starts serving on the current tokio runtime.
    ///
    /// With `#[tokio::test]` (a current-thread runtime) the servers only run
    /// while the test awaits; a test that blocks its thread (sync I/O, a
    /// blocking client, `std::thread::sleep`) should use
    /// [`Newsroom::start_detached`] or a multi-thread runtime instead.
    pub async fn start(config: NewsroomConfig) -> Result<Newsroom, NewsroomError> {
        Self::start_on(config, tokio::runtime::Handle::current()).await
    }

    /// Starts the newsroom on a runtime of its own (`config.worker_threads`
    /// threads), independent of the caller's. Callable from sync code and from
    /// inside another runtime; the runtime lives as long as the handle.
    pub fn start_detached(config: NewsroomConfig) -> Result<Newsroom, NewsroomError> {
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(config.worker_threads.max(1))
                .thread_name("newsroom")
                .enable_all()
                .build()?;
            let mut room = rt.block_on(Self::start_on(config, rt.handle().clone()))?;
            room.runtime = Some(rt);
            Ok(room)
        })
        .join()
        .unwrap_or_else(|_| Err(NewsroomError::Invalid("newsroom start-up panicked".into())))
    }

    async fn start_on(
        config: NewsroomConfig,
        runtime: tokio::runtime::Handle,
    ) -> Result<Newsroom, NewsroomError> {
        let mut config = config;
        config.outlets = config.outlets.max(1);
        if config.outlets > 250 {
            return Err(NewsroomError::Invalid(
                "at most 250 outlets (one loopback address each)".into(),
            ));
        }
        let listeners = crate::server::bind(&config).await?;
        let mut outlets = Vec::with_capacity(listeners.len());
        for (index, l) in listeners.iter().enumerate() {
            let addr = l.local_addr()?;
            outlets.push(OutletMeta {
                index,
                name: crate::prose::outlet_name(config.seed, index),
                addr,
                base: format!("http://{addr}"),
                page_padding: config.page_padding,
            });
        }
        let edit_every = config.edit_every;
        let prerender = config.prerender;
        let shared = Arc::new(Shared::new(config, outlets, runtime.clone()));
        if prerender {
            let s = shared.clone();
            runtime
                .spawn_blocking(move || s.prerender_all())
                .await
                .map_err(|_| NewsroomError::Invalid("pre-rendering panicked".into()))?;
        }
        let (tx, rx) = watch::channel(false);
        let servers = listeners
            .into_iter()
            .enumerate()
            .map(|(i, l)| runtime.spawn(crate::server::serve(shared.clone(), i, l, rx.clone())))
            .collect();
        if let Some(every) = edit_every {
            crate::driver::start(&shared, every);
        }
        let base_url = format!("{}/", shared.outlets[0].base);
        Ok(Newsroom {
            shared,
            base_url,
            shutdown: tx,
            servers,
            runtime: None,
        })
    }

    /// Stops serving and waits until every listener and connection is closed.
    pub async fn shutdown(mut self) {
        self.stop();
        for s in std::mem::take(&mut self.servers) {
            let _ = s.await;
        }
    }

    fn stop(&mut self) {
        crate::driver::stop(&self.shared);
        let _ = self.shutdown.send(true);
    }

    /// Outlet 0's base URL, e.g. `http://127.0.0.1:41234/`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Outlet 0's URL for `path`.
    pub fn url(&self, path: &str) -> String {
        self.outlet(0).url(path)
    }

    /// Outlet 0's RSS feed URL (`/feed.xml`).
    pub fn feed_url(&self) -> String {
        self.outlet(0).feed_url()
    }
    /// Outlet 0's Atom feed URL (`/atom.xml`).
    pub fn atom_url(&self) -> String {
        self.outlet(0).atom_url()
    }
    /// Outlet 0's JSON Feed URL (`/feed.json`).
    pub fn json_feed_url(&self) -> String {
        self.outlet(0).json_feed_url()
    }
    /// Outlet 0's front page URL (`/`).
    pub fn front_page_url(&self) -> String {
        self.outlet(0).front_page_url()
    }
    /// Outlet 0's Google News sitemap URL (`/sitemap-news.xml`).
    pub fn sitemap_url(&self) -> String {
        self.outlet(0).sitemap_url()
    }
    /// Outlet 0's robots.txt URL.
    pub fn robots_url(&self) -> String {
        self.outlet(0).robots_url()
    }
    /// Outlet 0's URL of a fault endpoint (see [`crate::faults`]), e.g. `fault_url("redirect-chain/50")`.
    pub fn fault_url(&self, fault: &str) -> String {
        self.outlet(0).fault_url(fault)
    }

    /// All outlets, by index.
    pub fn outlets(&self) -> Vec<Outlet> {
        (0..self.shared.outlets.len())
            .map(|i| self.outlet(i))
            .collect()
    }

    /// Outlet `index`. Panics if there is no such outlet.
    pub fn outlet(&self, index: usize) -> Outlet {
        let o = &self.shared.outlets[index];
        Outlet {
            index,
            name: o.name.clone(),
            addr: o.addr,
            base_url: format!("{}/", o.base),
        }
    }

    /// The canonical URL of article `id` (on its outlet's host). Panics if there is no such article.
    pub fn article_url(&self, id: ArticleId) -> String {
        let st = self.shared.lock();
        self.shared
            .article_url(&st, id)
            .unwrap_or_else(|| panic!("no article with id {id}"))
    }

    /// Every article id, ascending (ids are 1..=n; outlet 0's initial articles come first).
    pub fn article_ids(&self) -> Vec<ArticleId> {
        (1..=self.shared.lock().articles.len() as ArticleId).collect()
    }

    /// The current state of article `id`.
    pub fn article(&self, id: ArticleId) -> Option<ArticleSnapshot> {
        let st = self.shared.lock();
        self.shared.snapshot(&st, id)
    }

    /// Snapshots of every article.
    pub fn articles(&self) -> Vec<ArticleSnapshot> {
        let st = self.shared.lock();
        st.articles
            .iter()
            .filter_map(|a| self.shared.snapshot(&st, a.id))
            .collect()
    }

    /// Every text article `id` has had, oldest first (empty if unknown).
    pub fn revisions(&self, id: ArticleId) -> Vec<Revision> {
        let st = self.shared.lock();
        st.get(id)
            .map(|a| a.revisions.iter().map(|r| (**r).clone()).collect())
            .unwrap_or_default()
    }

    /// Every successful edit of the newsroom (API, control endpoint or driver), in order.
    pub fn edits(&self) -> Vec<EditRecord> {
        self.shared.lock().edit_log.clone()
    }

    /// Applies `edit` to article `id`; returns the new revision number.
    /// Fails without creating a revision if the edit is out of range or would
    /// change nothing ([`NewsroomError::NoChange`]).
    pub fn edit(&self, id: ArticleId, edit: Edit) -> Result<u32, NewsroomError> {
        self.shared.edit(id, edit)
    }

    /// One edit-driver step: edits a random live article with a random edit
    /// that yields a text the article never had before.
    pub fn edit_random(&self) -> Result<EditRecord, NewsroomError> {
        self.shared.edit_random()
    }

    /// Sets what article `id`'s URL answers (see [`ArticleStatus`]).
    pub fn set_status(&self, id: ArticleId, status: ArticleStatus) -> Result<(), NewsroomError> {
        self.shared.set_status(id, status)
    }

    /// Publishes a new article (generated where `new` leaves fields `None`);
    /// it appears at the top of its outlet's feeds and front page.
    pub fn add_article(&self, new: NewArticle) -> Result<ArticleId, NewsroomError> {
        self.shared.add_article(new)
    }

    /// Changes what `/robots.txt` answers on one outlet.
    pub fn set_robots(&self, outlet: usize, robots: Robots) -> Result<(), NewsroomError> {
        let mut st = self.shared.lock();
        *st.robots
            .get_mut(outlet)
            .ok_or(NewsroomError::UnknownOutlet(outlet))? = robots;
        Ok(())
    }

    /// How many requests `target` received: an article id (`room.requests(7)`)
    /// or a path (`room.requests("/feed.xml")`, all outlets) or an absolute URL
    /// (that outlet only).
    pub fn requests(&self, target: impl Into<Target>) -> u64 {
        match target.into() {
            Target::Article(id) => self.shared.lock().get(id).map_or(0, |a| a.requests),
            Target::Path(p) => {
                if p.starts_with("http://") {
                    for o in &self.shared.outlets {
                        if let Some(rest) = p.strip_prefix(&o.base)
                            && (rest.is_empty() || rest.starts_with(['/', '?', '#']))
                        {
                            let path = if rest.is_empty() || !rest.starts_with('/') {
                                "/"
                            } else {
                                rest
                            };
                            return self.shared.path_requests(Some(o.index), path);
                        }
                    }
                    0
                } else {
                    self.shared.path_requests(None, &p)
                }
            }
        }
    }

    /// Traffic counters of one outlet (requests, connections, peak concurrency).
    pub fn outlet_stats(&self, outlet: usize) -> OutletStats {
        self.shared.outlet_stats(outlet)
    }

    /// Every request so far, if `NewsroomConfig::log_requests` is on (else empty).
    pub fn request_log(&self) -> Vec<RequestRecord> {
        self.shared
            .stats
            .log
            .as_ref()
            .map(|l| lock(l).clone())
            .unwrap_or_default()
    }

    /// Starts (or retimes) the edit driver: one random edit every `every`.
    pub fn start_edit_driver(&self, every: Duration) {
        crate::driver::start(&self.shared, every);
    }

    /// Stops the edit driver (no edit is in progress once this returns).
    pub fn stop_edit_driver(&self) {
        crate::driver::stop(&self.shared);
        // An edit step holds the state lock; taking it waits for a running one.
        drop(self.shared.lock());
    }

    /// The anchor of generated publication times (see `NewsroomConfig::epoch`).
    pub fn epoch(&self) -> chrono::DateTime<chrono::Utc> {
        self.shared.epoch
    }

    /// The seed this newsroom was generated from.
    pub fn seed(&self) -> u64 {
        self.shared.config.seed
    }
}

impl Drop for Newsroom {
    fn drop(&mut self) {
        self.stop();
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}

impl std::fmt::Debug for Newsroom {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Newsroom")
            .field("base_url", &self.base_url)
            .field("outlets", &self.shared.outlets.len())
            .finish()
    }
}
