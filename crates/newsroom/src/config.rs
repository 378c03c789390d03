//! Configuration of a newsroom: [`NewsroomConfig`] and [`Robots`].

use std::net::SocketAddr;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The robots.txt every outlet serves unless configured otherwise.
pub const DEFAULT_ROBOTS_TXT: &str = "User-agent: *\nDisallow: /private/\n";

/// Everything that shapes a newsroom. `NewsroomConfig::default()` is one
/// outlet of 20 articles, seed 0, no edit driver, no added latency.
#[derive(Debug, Clone)]
pub struct NewsroomConfig {
    /// Articles each outlet starts with (total = `articles * outlets`).
    pub articles: usize,
    /// Number of outlets; outlet `i` listens on `127.0.0.{i+1}` (see [`NewsroomConfig::listen`]).
    pub outlets: usize,
    /// Seed for everything generated: outlet names, articles, the edit driver's choices.
    pub seed: u64,
    /// Feeds and the news sitemap list only the newest N articles (`None`: all).
    pub feed_limit: Option<usize>,
    /// How many articles the front page links (newest first).
    pub front_page_limit: usize,
    /// Articles per page of a section page (`/news/<section>/?page=N`).
    pub section_page_size: usize,
    /// What `/robots.txt` answers on every outlet (changeable later per outlet).
    pub robots: Robots,
    /// Start the edit driver: every interval, edit one random live article.
    pub edit_every: Option<Duration>,
    /// Delay added before every article response (simulates a slow origin).
    pub latency: Duration,
    /// Where outlet 0 listens; outlet `i` uses the same port on the IPv4 address
    /// `i` higher (`127.0.0.1:8099` → `127.0.0.2:8099`, ...). `None`: `127.0.0.{i+1}:0`.
    pub listen: Option<SocketAddr>,
    /// "Now" for generated publication times: the initial articles are spread
    /// over the 48 hours before it. `None`: the current time, truncated to the hour.
    pub epoch: Option<DateTime<Utc>>,
    /// Keep a log of every request (outlet, path, time, status) for
    /// `Newsroom::request_log`. Off by default to keep benchmarks lean.
    pub log_requests: bool,
    /// Delay before `/faults/slow` answers when no `delay_ms` is given.
    pub slow_delay: Duration,
    /// Worker threads of the runtime that `Newsroom::start_detached` creates.
    pub worker_threads: usize,
    /// Render every article page before `start` returns (about 0.5 ms per
    /// article, on a blocking thread), so a cold crawl runs at full speed.
    /// Off: pages are rendered on their first request.
    pub prerender: bool,
    /// Extra markup on every article page, in bytes (approximately): a site
    /// menu of links and an embedded JSON state blob, as real news pages
    /// carry (they weigh 100-500 KB against the 10-14 KB of the bare
    /// templates). Part of the page's static template: the article text
    /// and the per-request noise are unchanged. 0: none.
    pub page_padding: usize,
}

impl Default for NewsroomConfig {
    fn default() -> Self {
        NewsroomConfig {
            articles: 20,
            outlets: 1,
            seed: 0,
            feed_limit: None,
            front_page_limit: 60,
            section_page_size: 50,
            robots: Robots::Default,
            edit_every: None,
            latency: Duration::ZERO,
            listen: None,
            epoch: None,
            log_requests: false,
            slow_delay: Duration::from_secs(2),
            worker_threads: 1,
            prerender: true,
            page_padding: 0,
        }
    }
}

/// What `/robots.txt` answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Robots {
    /// [`DEFAULT_ROBOTS_TXT`]: everything allowed except `/private/`.
    Default,
    /// This exact text.
    Text(String),
    /// A 10 MB robots.txt (`Disallow` lines for `/private/...` paths, then the
    /// default rules), for size-cap tests.
    Oversized,
    /// 404 (per RFC 9309: crawl everything).
    Missing,
    /// 503 (per RFC 9309: assume complete disallow).
    Unavailable,
}
