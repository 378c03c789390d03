//! The newsroom's mutable state: articles and their revisions, statuses,
//! listings (what feeds and front pages show), per-request counters, and the
//! operations the library API and the control endpoints share.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use bytes::Bytes;
use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;

use crate::config::{NewsroomConfig, Robots};
use crate::model::{
    ArticleId, ArticleSnapshot, ArticleStatus, Edit, Layout, NewArticle, NewsroomError,
    PunctuationChange, Revision, Text, apply_edit, word_spans,
};
use crate::prose::{self, SECTIONS};
use crate::render::CompiledPage;
use crate::rng::{Rng, fnv1a, mix};

/// Locks a mutex, ignoring poisoning (a panicking handler must not wedge the room).
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// An outlet as the server knows it.
#[derive(Debug, Clone)]
pub(crate) struct OutletMeta {
    pub index: usize,
    pub name: String,
    pub addr: SocketAddr,
    /// `http://127.0.0.1:41234` (no trailing slash).
    pub base: String,
    /// Bytes of padding markup on each article page (see `NewsroomConfig`).
    pub page_padding: usize,
}

/// One article and its history.
pub(crate) struct Article {
    pub id: ArticleId,
    pub outlet: usize,
    pub section: usize,
    pub slug: String,
    pub layout: Layout,
    pub published: DateTime<Utc>,
    pub caption: String,
    pub tags: Vec<String>,
    pub revisions: Vec<Arc<Revision>>,
    pub status: ArticleStatus,
    /// The compiled page of the current revision (built lazily).
    pub page: Option<Arc<CompiledPage>>,
    pub requests: u64,
}

impl Article {
    pub(crate) fn path(&self) -> String {
        format!(
            "/news/{}/{}-{}.html",
            SECTIONS[self.section].slug, self.slug, self.id
        )
    }

    pub(crate) fn current(&self) -> &Arc<Revision> {
        self.revisions
            .last()
            .expect("an article always has a revision")
    }

    pub(crate) fn render_input(&self) -> RenderInput {
        RenderInput {
            id: self.id,
            section: self.section,
            path: self.path(),
            layout: self.layout,
            published: self.published,
            caption: self.caption.clone(),
            tags: self.tags.clone(),
            revision: self.current().clone(),
        }
    }

    fn text(&self) -> Text {
        let r = self.current();
        Text {
            headline: r.headline.clone(),
            byline: r.byline.clone(),
            paragraphs: r.paragraphs.clone(),
        }
    }
}

/// What feeds, front pages and boilerplate know of a listed article.
#[derive(Debug, Clone)]
pub(crate) struct ListEntry {
    pub id: ArticleId,
    pub path: String,
    pub url: String,
    pub headline: String,
    pub byline: String,
    pub summary: String,
    pub section: usize,
    pub published: DateTime<Utc>,
    pub modified: DateTime<Utc>,
}

/// The listed articles of one outlet, newest first.
#[derive(Debug, Default)]
pub(crate) struct Listing {
    pub entries: Vec<ListEntry>,
}

/// Everything needed to render an article page, detached from the lock.
pub(crate) struct RenderInput {
    pub id: ArticleId,
    pub section: usize,
    pub path: String,
    pub layout: Layout,
    pub published: DateTime<Utc>,
    pub caption: String,
    pub tags: Vec<String>,
    pub revision: Arc<Revision>,
}

/// The outcome of looking up an article URL.
pub(crate) enum ArticleAnswer {
    /// Serve this page.
    Page {
        page: Arc<CompiledPage>,
        listing: Arc<Listing>,
        section: usize,
    },
    /// 301 to this absolute URL.
    Redirect(String),
    /// Answer with this status page (404, 410, 503).
    Status(u16),
}

/// A logged request (see `NewsroomConfig::log_requests`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequestRecord {
    /// Outlet index.
    pub outlet: usize,
    /// HTTP method.
    pub method: String,
    /// Path and query.
    pub path: String,
    /// Time since the newsroom started when the request arrived.
    pub at: Duration,
    /// Response status (0 if the handler never answered, e.g. `/faults/hang`).
    pub status: u16,
}

/// One successful edit (see `Newsroom::edits`); the revision itself holds the
/// text and the [`Edit`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct EditRecord {
    /// 1-based position among all edits of the newsroom.
    pub seq: u64,
    /// The edited article.
    pub id: ArticleId,
    /// The revision the edit created.
    pub revision: u32,
    /// When (the revision's time).
    pub at: DateTime<Utc>,
}

/// Per-outlet traffic counters (see `Newsroom::outlet_stats`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct OutletStats {
    /// Requests received.
    pub requests: u64,
    /// Requests being handled right now (until their response head is produced).
    pub in_flight: usize,
    /// The most requests ever handled at once: a per-host concurrency check.
    pub max_in_flight: usize,
    /// TCP connections accepted.
    pub connections: u64,
}

#[derive(Default)]
pub(crate) struct OutletCounters {
    pub requests: AtomicU64,
    pub in_flight: AtomicUsize,
    pub max_in_flight: AtomicUsize,
    pub connections: AtomicU64,
}

/// Request counters.
pub(crate) struct Stats {
    pub started: Instant,
    pub outlets: Vec<OutletCounters>,
    pub paths: Mutex<HashMap<(usize, String), u64>>,
    pub log: Option<Mutex<Vec<RequestRecord>>>,
}

/// A rendered feed or sitemap, plain and gzipped, with its validator.
pub(crate) struct CachedDoc {
    pub body: Bytes,
    pub gz: Bytes,
    pub etag: String,
}

/// State behind the lock.
pub(crate) struct State {
    pub articles: Vec<Article>,
    listings: Vec<Option<Arc<Listing>>>,
    /// Rendered feeds/sitemaps per (outlet, kind); cleared on every change.
    pub feed_cache: HashMap<(usize, &'static str), Arc<CachedDoc>>,
    pub robots: Vec<Robots>,
    pub driver_rng: Rng,
    pub flaky: HashMap<String, u32>,
    /// Every successful edit, in order.
    pub edit_log: Vec<EditRecord>,
}

/// State shared by the handle, the servers and the edit driver.
pub(crate) struct Shared {
    pub config: NewsroomConfig,
    /// Where the edit driver runs.
    pub runtime: tokio::runtime::Handle,
    /// The running edit driver, if any.
    pub driver: Mutex<Option<crate::driver::Driver>>,
    pub outlets: Vec<OutletMeta>,
    pub epoch: DateTime<Utc>,
    pub state: Mutex<State>,
    pub stats: Stats,
}

impl Shared {
    /// Generates the initial articles for the bound outlets.
    pub(crate) fn new(
        config: NewsroomConfig,
        outlets: Vec<OutletMeta>,
        runtime: tokio::runtime::Handle,
    ) -> Shared {
        let epoch = config.epoch.unwrap_or_else(|| {
            let now = Utc::now();
            now - TimeDelta::seconds(now.timestamp().rem_euclid(3600))
        });
        let mut articles = Vec::with_capacity(config.articles * outlets.len());
        let n = config.articles.max(1) as i64;
        let spacing = (48 * 3600 / n).clamp(60, 3600);
        for o in 0..outlets.len() {
            for k in 0..config.articles {
                let id = articles.len() as ArticleId + 1;
                let mut rng = Rng::new(mix(config.seed, id));
                let jitter = rng.below(spacing as usize / 2 + 1) as i64;
                let published = epoch - TimeDelta::seconds((n - k as i64) * spacing - jitter);
                articles.push(generate(
                    &config,
                    id,
                    o,
                    &NewArticle {
                        outlet: o,
                        ..Default::default()
                    },
                    published,
                ));
            }
        }
        let stats = Stats {
            started: Instant::now(),
            outlets: outlets.iter().map(|_| OutletCounters::default()).collect(),
            paths: Mutex::new(HashMap::new()),
            log: config.log_requests.then(|| Mutex::new(Vec::new())),
        };
        let state = State {
            articles,
            listings: vec![None; outlets.len()],
            feed_cache: HashMap::new(),
            robots: vec![config.robots.clone(); outlets.len()],
            driver_rng: Rng::new(mix(config.seed, 0xED17)),
            flaky: HashMap::new(),
            edit_log: Vec::new(),
        };
        Shared {
            config,
            runtime,
            driver: Mutex::new(None),
            outlets,
            epoch,
            state: Mutex::new(state),
            stats,
        }
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }

    pub(crate) fn article_url(&self, st: &State, id: ArticleId) -> Option<String> {
        let a = st.get(id)?;
        Some(format!("{}{}", self.outlets[a.outlet].base, a.path()))
    }

    /// Applies an edit; returns the new revision number.
    pub(crate) fn edit(&self, id: ArticleId, edit: Edit) -> Result<u32, NewsroomError> {
        let mut st = self.lock();
        st.apply(id, edit)
    }

    /// Edits one random live article (the edit driver's step).
    pub(crate) fn edit_random(&self) -> Result<EditRecord, NewsroomError> {
        let mut st = self.lock();
        let live: Vec<ArticleId> = st
            .articles
            .iter()
            .filter(|a| a.status == ArticleStatus::Live)
            .map(|a| a.id)
            .collect();
        if live.is_empty() {
            return Err(NewsroomError::Invalid("no live article to edit".into()));
        }
        for _ in 0..50 {
            let mut rng = st.driver_rng.clone();
            let id = rng.pick(&live);
            let a = st.get(id).expect("live id");
            let edit = random_edit(&mut rng, a);
            // The driver never recreates a text the article had before, so every
            // revision it makes is distinct from all earlier ones.
            let repeats = match apply_edit(&a.text(), &edit) {
                Ok(next) => a.revisions.iter().any(|r| {
                    r.headline == next.headline
                        && r.byline == next.byline
                        && r.paragraphs == next.paragraphs
                }),
                Err(_) => true,
            };
            st.driver_rng = rng;
            if repeats {
                continue;
            }
            match st.apply(id, edit) {
                Ok(_) => return Ok(*st.edit_log.last().expect("just logged")),
                Err(NewsroomError::NoChange) => continue,
                Err(e) => return Err(e),
            }
        }
        Err(NewsroomError::NoChange)
    }

    pub(crate) fn set_status(
        &self,
        id: ArticleId,
        status: ArticleStatus,
    ) -> Result<(), NewsroomError> {
        let mut st = self.lock();
        if let ArticleStatus::Moved(to) = status {
            st.get(to).ok_or(NewsroomError::UnknownArticle(to))?;
        }
        let outlet = st.get(id).ok_or(NewsroomError::UnknownArticle(id))?.outlet;
        st.get_mut(id).expect("checked").status = status;
        st.invalidate(outlet);
        Ok(())
    }

    pub(crate) fn add_article(&self, new: NewArticle) -> Result<ArticleId, NewsroomError> {
        if new.outlet >= self.outlets.len() {
            return Err(NewsroomError::UnknownOutlet(new.outlet));
        }
        if let Some(s) = &new.section
            && !SECTIONS.iter().any(|x| x.slug == s)
        {
            return Err(NewsroomError::Invalid(format!("unknown section {s:?}")));
        }
        if new
            .paragraphs
            .as_ref()
            .is_some_and(|p| p.is_empty() || p.iter().any(|p| p.trim().is_empty()))
        {
            return Err(NewsroomError::Invalid(
                "paragraphs must be non-empty".into(),
            ));
        }
        let mut st = self.lock();
        let id = st.articles.len() as ArticleId + 1;
        let published = new.published.unwrap_or_else(Utc::now);
        let article = generate(&self.config, id, new.outlet, &new, published);
        st.articles.push(article);
        st.invalidate(new.outlet);
        Ok(id)
    }

    pub(crate) fn snapshot(&self, st: &State, id: ArticleId) -> Option<ArticleSnapshot> {
        let a = st.get(id)?;
        let r = a.current();
        Some(ArticleSnapshot {
            id,
            outlet: a.outlet,
            url: format!("{}{}", self.outlets[a.outlet].base, a.path()),
            section: SECTIONS[a.section].slug.to_string(),
            layout: a.layout,
            published: a.published,
            modified: r.at,
            revision: r.number,
            headline: r.headline.clone(),
            byline: r.byline.clone(),
            paragraphs: r.paragraphs.clone(),
            status: a.status,
            requests: a.requests,
        })
    }

    /// The listing of an outlet (rebuilt after changes).
    pub(crate) fn listing(&self, st: &mut State, outlet: usize) -> Arc<Listing> {
        if let Some(l) = &st.listings[outlet] {
            return l.clone();
        }
        let base = &self.outlets[outlet].base;
        let mut entries: Vec<ListEntry> = st
            .articles
            .iter()
            .filter(|a| a.outlet == outlet && a.status.is_listed())
            .map(|a| {
                let r = a.current();
                let path = a.path();
                ListEntry {
                    id: a.id,
                    url: format!("{base}{path}"),
                    path,
                    headline: r.headline.clone(),
                    byline: r.byline.clone(),
                    summary: r.paragraphs[0].clone(),
                    section: a.section,
                    published: a.published,
                    modified: r.at,
                }
            })
            .collect();
        entries.sort_by(|a, b| b.published.cmp(&a.published).then(b.id.cmp(&a.id)));
        let l = Arc::new(Listing { entries });
        st.listings[outlet] = Some(l.clone());
        l
    }

    /// Resolves an article request on `outlet` for `path` (counted).
    pub(crate) fn article_answer(&self, outlet: usize, id: ArticleId, path: &str) -> ArticleAnswer {
        let mut st = self.lock();
        let Some(a) = st.get_mut(id).filter(|a| a.outlet == outlet) else {
            return ArticleAnswer::Status(404);
        };
        a.requests += 1;
        match a.status {
            ArticleStatus::Live => {}
            ArticleStatus::NotFound => return ArticleAnswer::Status(404),
            ArticleStatus::Gone => return ArticleAnswer::Status(410),
            ArticleStatus::ServerError { failures } => {
                if failures > 0 {
                    a.status = if failures == 1 {
                        ArticleStatus::Live
                    } else {
                        ArticleStatus::ServerError {
                            failures: failures - 1,
                        }
                    };
                    return ArticleAnswer::Status(503);
                }
                a.status = ArticleStatus::Live;
            }
            ArticleStatus::Moved(to) => {
                return match self.article_url(&st, to) {
                    Some(u) => ArticleAnswer::Redirect(u),
                    None => ArticleAnswer::Status(404),
                };
            }
        }
        let canonical = a.path();
        if canonical != path {
            return ArticleAnswer::Redirect(format!("{}{}", self.outlets[outlet].base, canonical));
        }
        let section = a.section;
        if let Some(page) = a.page.clone() {
            let listing = self.listing(&mut st, outlet);
            return ArticleAnswer::Page {
                page,
                listing,
                section,
            };
        }
        let input = a.render_input();
        drop(st);
        let page = Arc::new(crate::render::layouts::compile(
            &input,
            &self.outlets[outlet],
        ));
        let mut st = self.lock();
        let a = st.get_mut(id).expect("articles are never removed");
        if a.current().number == input.revision.number {
            a.page = Some(page.clone());
        }
        let listing = self.listing(&mut st, outlet);
        ArticleAnswer::Page {
            page,
            listing,
            section,
        }
    }

    /// Compiles the page of every article that has none (start-up pre-rendering).
    pub(crate) fn prerender_all(&self) {
        let count = self.lock().articles.len() as ArticleId;
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(8) as ArticleId;
        if threads > 1 && count >= 64 {
            std::thread::scope(|scope| {
                for t in 0..threads {
                    scope.spawn(move || self.prerender_some(t, threads, count));
                }
            });
        } else {
            self.prerender_some(0, 1, count);
        }
    }

    /// Pre-renders ids `k*step + first + 1` for all `k`.
    fn prerender_some(&self, first: ArticleId, step: ArticleId, count: ArticleId) {
        for id in (first + 1..=count).step_by(step as usize) {
            let (input, outlet) = {
                let st = self.lock();
                let a = st.get(id).expect("ids are dense");
                if a.page.is_some() {
                    continue;
                }
                (a.render_input(), a.outlet)
            };
            let page = Arc::new(crate::render::layouts::compile(
                &input,
                &self.outlets[outlet],
            ));
            let mut st = self.lock();
            let a = st.get_mut(id).expect("ids are dense");
            if a.page.is_none() && a.current().number == input.revision.number {
                a.page = Some(page);
            }
        }
    }

    /// Counts a request; returns the log index if logging.
    pub(crate) fn count_request(
        &self,
        outlet: usize,
        method: &str,
        path_and_query: &str,
    ) -> Option<usize> {
        let c = &self.stats.outlets[outlet];
        c.requests.fetch_add(1, Ordering::Relaxed);
        let now = c.in_flight.fetch_add(1, Ordering::Relaxed) + 1;
        c.max_in_flight.fetch_max(now, Ordering::Relaxed);
        let path = path_and_query.split('?').next().unwrap_or("");
        *lock(&self.stats.paths)
            .entry((outlet, path.to_string()))
            .or_insert(0) += 1;
        self.stats.log.as_ref().map(|log| {
            let mut log = lock(log);
            log.push(RequestRecord {
                outlet,
                method: method.to_string(),
                path: path_and_query.to_string(),
                at: self.stats.started.elapsed(),
                status: 0,
            });
            log.len() - 1
        })
    }

    /// Requests for `path` (query ignored) on one outlet or all.
    pub(crate) fn path_requests(&self, outlet: Option<usize>, path: &str) -> u64 {
        let path = path.split(['?', '#']).next().unwrap_or("");
        lock(&self.stats.paths)
            .iter()
            .filter(|((o, p), _)| p == path && outlet.is_none_or(|x| x == *o))
            .map(|(_, n)| n)
            .sum()
    }

    pub(crate) fn outlet_stats(&self, outlet: usize) -> OutletStats {
        let c = &self.stats.outlets[outlet];
        OutletStats {
            requests: c.requests.load(Ordering::Relaxed),
            in_flight: c.in_flight.load(Ordering::Relaxed),
            max_in_flight: c.max_in_flight.load(Ordering::Relaxed),
            connections: c.connections.load(Ordering::Relaxed),
        }
    }

    /// Marks a counted request as answered.
    pub(crate) fn finish_request(&self, outlet: usize, log_index: Option<usize>, status: u16) {
        self.stats.outlets[outlet]
            .in_flight
            .fetch_sub(1, Ordering::Relaxed);
        if let (Some(i), Some(log)) = (log_index, &self.stats.log) {
            lock(log)[i].status = status;
        }
    }
}

impl State {
    pub(crate) fn get(&self, id: ArticleId) -> Option<&Article> {
        self.articles.get((id as usize).checked_sub(1)?)
    }

    pub(crate) fn get_mut(&mut self, id: ArticleId) -> Option<&mut Article> {
        self.articles.get_mut((id as usize).checked_sub(1)?)
    }

    /// Forgets cached listings/feeds of `outlet` (and moved-to pages elsewhere).
    pub(crate) fn invalidate(&mut self, outlet: usize) {
        self.listings[outlet] = None;
        self.feed_cache.retain(|(o, _), _| *o != outlet);
    }

    fn apply(&mut self, id: ArticleId, edit: Edit) -> Result<u32, NewsroomError> {
        let a = self.get_mut(id).ok_or(NewsroomError::UnknownArticle(id))?;
        let text = apply_edit(&a.text(), &edit)?;
        let prev = a.current().clone();
        let at = Utc::now().max(prev.at + TimeDelta::seconds(1));
        // Whole seconds, so `Last-Modified` (1 s resolution) is exact.
        let at = DateTime::from_timestamp(at.timestamp(), 0).unwrap_or(at);
        let number = prev.number + 1;
        a.revisions.push(Arc::new(Revision {
            number,
            at,
            edit: Some(edit),
            headline: text.headline,
            byline: text.byline,
            paragraphs: text.paragraphs,
        }));
        a.page = None;
        let outlet = a.outlet;
        self.invalidate(outlet);
        let seq = self.edit_log.len() as u64 + 1;
        self.edit_log.push(EditRecord {
            seq,
            id,
            revision: number,
            at,
        });
        Ok(number)
    }
}

/// Builds article `id` from the seed, honouring the fields of `new` that are set.
fn generate(
    config: &NewsroomConfig,
    id: ArticleId,
    outlet: usize,
    new: &NewArticle,
    published: DateTime<Utc>,
) -> Article {
    let mut rng = Rng::new(mix(mix(config.seed, id), 0xA271));
    let section = match &new.section {
        Some(s) => SECTIONS.iter().position(|x| x.slug == s).unwrap_or(0),
        None => rng.below(SECTIONS.len()),
    };
    let layout = new.layout.unwrap_or(Layout::ALL[rng.below(3)]);
    let g = prose::article(&mut rng, section);
    let headline = new.headline.clone().unwrap_or(g.headline);
    let published = DateTime::from_timestamp(published.timestamp(), 0).unwrap_or(published);
    let rev = Revision {
        number: 1,
        at: published,
        edit: None,
        byline: new.byline.clone().unwrap_or(g.byline),
        paragraphs: new.paragraphs.clone().unwrap_or(g.paragraphs),
        headline,
    };
    Article {
        id,
        outlet,
        section,
        slug: prose::slugify(&rev.headline),
        layout,
        published,
        caption: g.caption,
        tags: g.tags,
        revisions: vec![Arc::new(rev)],
        status: ArticleStatus::Live,
        page: None,
        requests: 0,
    }
}

/// The edit driver's choice of edit for article `a`.
fn random_edit(rng: &mut Rng, a: &Article) -> Edit {
    let r = a.current();
    let n = r.paragraphs.len();
    let paragraph = rng.below(n);
    match rng.below(100) {
        0..=34 => {
            let words = word_spans(&r.paragraphs[paragraph]).len().max(1);
            Edit::ReplaceWord {
                paragraph,
                word_index: rng.below(words),
                with: prose::replacement_word(rng).to_string(),
            }
        }
        35..=49 => Edit::ReplaceParagraph {
            paragraph,
            text: prose::standalone_paragraph(rng, a.section),
        },
        50..=64 => Edit::AddParagraph {
            at: rng.below(n + 1),
            text: prose::standalone_paragraph(rng, a.section),
        },
        65..=74 if n > 3 => Edit::RemoveParagraph(paragraph),
        75..=84 => Edit::SetHeadline(prose::standalone_headline(rng, a.section)),
        _ => {
            const CHANGES: [PunctuationChange; 4] = [
                PunctuationChange::ExtraSpace,
                PunctuationChange::TrailingPeriod,
                PunctuationChange::Comma,
                PunctuationChange::Quotes,
            ];
            Edit::Punctuation {
                paragraph,
                change: rng.pick(&CHANGES),
            }
        }
    }
}

/// A strong-enough validator for a revision's text.
pub(crate) fn etag_for(id: ArticleId, r: &Revision) -> String {
    let mut h = fnv1a(r.headline.as_bytes()) ^ mix(id, u64::from(r.number));
    h = mix(h, fnv1a(r.byline.as_bytes()));
    for p in &r.paragraphs {
        h = mix(h, fnv1a(p.as_bytes()));
    }
    format!("W/\"{h:016x}\"")
}
