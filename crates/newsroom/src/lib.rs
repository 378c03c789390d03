//! A simulated newsroom: a local HTTP server of feeds and article pages that
//! redline's end-to-end tests, reliability tests and benchmarks crawl instead
//! of the real internet.
//!
//! This crate owns the simulation: generated outlets and articles
//! (deterministic given a seed), their edits and revision history, statuses
//! (404/410/503/301), the HTML templates with per-request boilerplate noise,
//! the discovery documents (RSS, Atom, JSON Feed, news sitemap, front and
//! section pages, robots.txt), hostile endpoints under `/faults/` (see
//! [`faults`]), a JSON control API under `/_control/` (see [`control`]) for
//! tests in other processes, and the `newsroom` binary.
//!
//! ```no_run
//! # async fn demo() -> Result<(), redline_newsroom::NewsroomError> {
//! use redline_newsroom::{ArticleStatus, Edit, Newsroom, NewsroomConfig};
//!
//! let room = Newsroom::start(NewsroomConfig { articles: 50, outlets: 1, seed: 42, ..Default::default() }).await?;
//! let feed = room.feed_url();                // crawl from here
//! room.edit(3, Edit::ReplaceWord { paragraph: 0, word_index: 2, with: "officials".into() })?;
//! room.set_status(4, ArticleStatus::Gone)?;   // 410 from now on
//! assert_eq!(room.revisions(3).len(), 2);     // what a tracker must have stored
//! assert!(room.requests(3) <= 1);             // how often it was fetched
//! # let _ = feed;
//! room.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! # URL layout (every outlet)
//! - `/` front page; `/news/<section>/` section pages (`?page=N`); sections are
//!   `world politics business technology science health sport culture`.
//! - `/news/<section>/<slug>-<id>.html` article pages (canonical URL; a wrong
//!   section or slug 301s to it). Regex: `^/news/[a-z]+/[a-z0-9-]+-[0-9]+\.html$`.
//! - `/feed.xml` (RSS 2.0, also `/rss`), `/atom.xml`, `/feed.json` (JSON Feed
//!   1.1), `/sitemap-news.xml` (Google News), `/sitemap.xml` (index), `/robots.txt`.
//! - Non-article pages answering 200: `/about`, `/contact`, `/privacy`,
//!   `/newsletters`, `/live/...`, `/video/...`, `/author/...`, `/tag/...`,
//!   `/podcasts/...`, `/search`, `/share`, `/private/...`; assets under
//!   `/static/`, `/img/`, `/_next/`. Anything else is a 404 page.
//! - `/faults/...` hostile endpoints, `/_control/...` control API.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod config;
pub mod control;
mod driver;
pub mod faults;
mod feeds;
pub mod model;
mod prose;
mod render;
mod rng;
mod room;
mod server;
mod state;

pub use config::{DEFAULT_ROBOTS_TXT, NewsroomConfig, Robots};
pub use feeds::tracked_link;
pub use model::{
    ArticleId, ArticleSnapshot, ArticleStatus, Edit, Layout, NewArticle, NewsroomError,
    PunctuationChange, Revision,
};
pub use room::{Newsroom, Outlet, Target};
pub use state::{EditRecord, OutletStats, RequestRecord};
