//! Bounds on what one visitor can make the server do.
//!
//! This module owns three limits, applied by one middleware ([`enforce`])
//! before the handlers run:
//! - **searches** (`/search`, its feeds, `q=` on the API's lists) run a few
//!   at a time ([`Limits::searches_at_once`]); one that waits too long for
//!   its turn, or runs past [`Limits::search_budget`], is answered 503 with
//!   Retry-After (a search past its budget still finishes in the
//!   background, holding its slot, so the bound on work in flight holds);
//! - **expensive routes** (searches, and diffs and diff cards not in the
//!   cache) draw on a per-client budget of work time: each client (its
//!   peer address; an IPv6 client by its /64) may use
//!   [`Limits::work_per_second`] on average, in bursts of up to
//!   [`Limits::work_burst`]; past it, 429 with Retry-After. The time
//!   actually spent is what is charged, so a cheap search costs little
//!   and a slow one much;
//! - **admin tokens**: a client that sent [`Limits::admin_failures`] wrong
//!   tokens is answered 429 for a while without its token being looked at;
//!   every failure is logged with the client's address, never the token.
//!
//! Without a known peer address (a router driven in process) the
//! per-client work budget does not apply and admin failures count for all
//! such requests together; the search slots always apply.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tokio::sync::Semaphore;

use crate::AppState;
use crate::error::AppError;

/// The limits; `Default` gives the values documented on each field.
#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    /// Searches running at once, all clients together. Default: half the
    /// cores, at least 1, so pages keep a core while searches are busy.
    pub searches_at_once: usize,
    /// How long a search waits for a slot before it is answered 503.
    /// Default 2 s.
    pub search_queue_wait: Duration,
    /// How long a search may run before it is answered 503. Default 3 s.
    pub search_budget: Duration,
    /// Whether the per-client work budget applies. Default true.
    pub per_client: bool,
    /// Work time on expensive routes one client may use per second, on
    /// average. Default 150 ms.
    pub work_per_second: Duration,
    /// Work time one client may use in a burst. Default 2 s.
    pub work_burst: Duration,
    /// Wrong admin tokens a client may send before it is held off.
    /// Default 5.
    pub admin_failures: u32,
    /// How often a held-off client earns one more attempt. Default 1 min.
    pub admin_refill: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Limits {
            searches_at_once: (cores / 2).max(1),
            search_queue_wait: Duration::from_secs(2),
            search_budget: Duration::from_secs(3),
            per_client: true,
            work_per_second: Duration::from_millis(150),
            work_burst: Duration::from_secs(2),
            admin_failures: 5,
            admin_refill: Duration::from_secs(60),
        }
    }
}

impl Limits {
    /// No per-client budget (the search slots and admin limits stay): for
    /// benchmarks that measure routes from one address.
    pub fn without_per_client() -> Self {
        Limits {
            per_client: false,
            ..Limits::default()
        }
    }
}

/// A token bucket: `level` refills at `rate` per second up to `capacity`.
#[derive(Debug, Clone, Copy)]
struct Bucket {
    level: f64,
    at: Instant,
}

impl Bucket {
    fn full(capacity: f64, now: Instant) -> Self {
        Bucket {
            level: capacity,
            at: now,
        }
    }

    fn refill(&mut self, capacity: f64, rate: f64, now: Instant) {
        let elapsed = now.saturating_duration_since(self.at).as_secs_f64();
        self.level = (self.level + elapsed * rate).min(capacity);
        self.at = now;
    }

    /// Seconds until the level is back to `needed`.
    fn wait_for(&self, needed: f64, rate: f64) -> u64 {
        let missing = (needed - self.level).max(0.0);
        ((missing / rate).ceil() as u64).max(1)
    }
}

/// Buckets by client, pruned of full ones past this many clients.
const PRUNE_ABOVE: usize = 10_000;

struct Buckets {
    capacity: f64,
    rate: f64,
    map: Mutex<HashMap<IpAddr, Bucket>>,
}

impl Buckets {
    fn new(capacity: f64, rate: f64) -> Self {
        Buckets {
            capacity,
            rate: rate.max(1e-9),
            map: Mutex::new(HashMap::new()),
        }
    }

    /// Runs `f` on the client's bucket, refilled to `now`.
    fn with<T>(&self, client: IpAddr, now: Instant, f: impl FnOnce(&mut Bucket) -> T) -> T {
        let mut map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() > PRUNE_ABOVE {
            let (capacity, rate) = (self.capacity, self.rate);
            map.retain(|_, b| {
                b.refill(capacity, rate, now);
                b.level < capacity
            });
        }
        let bucket = map
            .entry(client)
            .or_insert_with(|| Bucket::full(self.capacity, now));
        bucket.refill(self.capacity, self.rate, now);
        f(bucket)
    }
}

/// The limits' state, shared by all requests.
pub(crate) struct Limiter {
    limits: Limits,
    searches: Arc<Semaphore>,
    /// Seconds of work.
    work: Buckets,
    /// Admin attempts.
    admin: Buckets,
}

impl Limiter {
    pub(crate) fn new(limits: Limits) -> Self {
        Limiter {
            searches: Arc::new(Semaphore::new(limits.searches_at_once)),
            work: Buckets::new(
                limits.work_burst.as_secs_f64(),
                limits.work_per_second.as_secs_f64(),
            ),
            admin: Buckets::new(
                f64::from(limits.admin_failures),
                1.0 / limits.admin_refill.as_secs_f64().max(1e-3),
            ),
            limits,
        }
    }

    /// None when the client may go on, else the seconds to wait.
    fn work_exhausted(&self, client: IpAddr, now: Instant) -> Option<u64> {
        self.work.with(client, now, |b| {
            (b.level <= 0.0).then(|| b.wait_for(0.0, self.work.rate))
        })
    }

    fn charge(&self, client: IpAddr, worked: Duration) {
        self.work.with(client, Instant::now(), |b| {
            // Bounded below, so one very slow request cannot hold a client
            // off for more than 30 s.
            b.level = (b.level - worked.as_secs_f64()).max(-30.0 * self.work.rate);
        });
    }

    fn admin_held_off(&self, client: IpAddr, now: Instant) -> Option<u64> {
        self.admin.with(client, now, |b| {
            (b.level < 1.0).then(|| b.wait_for(1.0, self.admin.rate))
        })
    }

    /// Counts a wrong token; returns the attempts left.
    fn admin_failed(&self, client: IpAddr) -> u32 {
        self.admin.with(client, Instant::now(), |b| {
            b.level = (b.level - 1.0).max(0.0);
            b.level.floor() as u32
        })
    }

    fn admin_succeeded(&self, client: IpAddr) {
        let capacity = self.admin.capacity;
        self.admin
            .with(client, Instant::now(), |b| b.level = capacity);
    }
}

/// Who a request is from, for the per-client limits: the peer address,
/// an IPv6 one by its /64 (one site usually holds a whole /64), an
/// IPv4-mapped one as IPv4.
fn client_key(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V6(v6) => {
            let bits = u128::from(v6) & (u128::MAX << 64);
            IpAddr::V6(Ipv6Addr::from(bits))
        }
        v4 => v4,
    }
}

/// What a request costs, as far as the limits are concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Search,
    Diff,
    Admin,
    Other,
}

fn kind_of(state: &AppState, path: &str, query: Option<&str>) -> Kind {
    let has_q = || {
        query.is_some_and(|q| {
            form_urlencoded::parse(q.as_bytes()).any(|(k, v)| k == "q" && !v.trim().is_empty())
        })
    };
    match path {
        "/search" | "/search/feed.atom" | "/search/feed.rss" | "/api/v1/articles"
        | "/api/v1/changes"
            if has_q() =>
        {
            return Kind::Search;
        }
        _ => {}
    }
    if path.starts_with("/api/v1/admin/") {
        return Kind::Admin;
    }
    let rest = path
        .strip_prefix("/api/v1/articles/")
        .or_else(|| path.strip_prefix("/articles/"));
    if let Some(rest) = rest {
        let parts: Vec<&str> = rest.split('/').collect();
        if let [id, "diff", a, last] = parts[..]
            && let (Ok(id), Ok(a), Ok(b)) = (
                crate::params::article_id(id),
                a.parse::<u32>(),
                last.strip_suffix(".png").unwrap_or(last).parse::<u32>(),
            )
        {
            // A diff card costs its diff and its drawing.
            let cached = if last.ends_with(".png") {
                state.cards.has((id, a, b))
            } else {
                state.diffs.get((id, a, b)).is_some()
            };
            return if cached { Kind::Other } else { Kind::Diff };
        }
    }
    Kind::Other
}

/// The limits' middleware state: the app's state and the limiter.
#[derive(Clone)]
pub(crate) struct Guard {
    pub app: AppState,
    pub limiter: Arc<Limiter>,
}

fn limited(api: bool, error: AppError) -> Response {
    if api {
        error.into_json()
    } else {
        error.into_response()
    }
}

/// The middleware: classifies the request and applies the limits.
pub(crate) async fn enforce(State(guard): State<Guard>, request: Request, next: Next) -> Response {
    let uri = request.uri().clone();
    let kind = kind_of(&guard.app, uri.path(), uri.query());
    if kind == Kind::Other {
        return next.run(request).await;
    }
    let api = uri.path().starts_with("/api/");
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    let limiter = guard.limiter.clone();
    let now = Instant::now();
    if kind == Kind::Admin {
        return admin(limiter, peer, api, request, next).await;
    }
    let client = peer.filter(|_| limiter.limits.per_client).map(client_key);
    if let Some(client) = client
        && let Some(wait) = limiter.work_exhausted(client, now)
    {
        let what = if kind == Kind::Search {
            "searches"
        } else {
            "comparisons of versions"
        };
        return limited(
            api,
            AppError::Limited {
                status: StatusCode::TOO_MANY_REQUESTS,
                title: "Too many requests",
                message: format!(
                    "You have asked for more {what} than one visitor may in a short time. \
                     Please wait {wait} s and try again; pages already seen stay available."
                ),
                retry_after: wait,
            },
        );
    }
    if kind == Kind::Diff {
        let response = next.run(request).await;
        if let Some(client) = client {
            limiter.charge(client, now.elapsed());
        }
        return response;
    }
    search(limiter, client, api, request, next).await
}

/// A search: waits for a slot, runs within the time budget.
async fn search(
    limiter: Arc<Limiter>,
    client: Option<IpAddr>,
    api: bool,
    request: Request,
    next: Next,
) -> Response {
    let limits = &limiter.limits;
    let slot = tokio::time::timeout(
        limits.search_queue_wait,
        limiter.searches.clone().acquire_owned(),
    )
    .await;
    let Ok(Ok(permit)) = slot else {
        let wait = limits.search_queue_wait.as_secs().max(1);
        return limited(
            api,
            AppError::Limited {
                status: StatusCode::SERVICE_UNAVAILABLE,
                title: "Too many searches at once",
                message: format!(
                    "The server is busy with other searches. Please try again in {wait} s."
                ),
                retry_after: wait,
            },
        );
    };
    let started = Instant::now();
    let worker = limiter.clone();
    // The search runs in a task of its own, holding its slot until it is
    // done, even when its answer comes too late to be sent.
    let mut task = tokio::spawn(async move {
        let response = next.run(request).await;
        drop(permit);
        if let Some(client) = client {
            worker.charge(client, started.elapsed());
        }
        response
    });
    match tokio::time::timeout(limits.search_budget, &mut task).await {
        Ok(Ok(response)) => response,
        Ok(Err(e)) => limited(
            api,
            AppError::Internal(format!("a search task failed: {e}")),
        ),
        Err(_) => {
            let budget = limits.search_budget.as_secs_f64();
            tracing::warn!(
                budget_s = budget,
                "a search ran past its time budget; answered 503"
            );
            limited(
                api,
                AppError::Limited {
                    status: StatusCode::SERVICE_UNAVAILABLE,
                    title: "This search takes too long",
                    message: format!(
                        "This search would take longer than the {budget} s a search may run. \
                         Narrow it (more words, a \"phrase\", source:NAME) or try again in 30 s."
                    ),
                    retry_after: 30,
                },
            )
        }
    }
}

/// An admin request: held off after too many wrong tokens; failures logged.
async fn admin(
    limiter: Arc<Limiter>,
    peer: Option<IpAddr>,
    api: bool,
    request: Request,
    next: Next,
) -> Response {
    // Requests without a known peer share one count.
    let client = peer.map_or(IpAddr::from([0, 0, 0, 0]), client_key);
    let who = peer.map_or_else(|| "an unknown client".to_string(), |p| p.to_string());
    if let Some(wait) = limiter.admin_held_off(client, Instant::now()) {
        tracing::warn!(client = %who, "admin request refused: too many wrong tokens");
        return limited(
            api,
            AppError::Limited {
                status: StatusCode::TOO_MANY_REQUESTS,
                title: "Too many wrong admin tokens",
                message: format!(
                    "Too many requests with a wrong admin token came from your address. \
                     Try again in {wait} s with the right token."
                ),
                retry_after: wait,
            },
        );
    }
    let response = next.run(request).await;
    match response.status() {
        StatusCode::UNAUTHORIZED => {
            let left = limiter.admin_failed(client);
            tracing::warn!(
                client = %who,
                attempts_left = left,
                "admin request with a missing or wrong token"
            );
        }
        status if status.is_success() => limiter.admin_succeeded(client),
        _ => {}
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_work_budget_refills_and_is_charged_by_time() {
        let limiter = Limiter::new(Limits {
            work_per_second: Duration::from_millis(100),
            work_burst: Duration::from_secs(1),
            ..Limits::default()
        });
        let client: IpAddr = "192.0.2.1".parse().unwrap();
        let t0 = Instant::now();
        assert_eq!(limiter.work_exhausted(client, t0), None);
        limiter.charge(client, Duration::from_millis(1500));
        let now = Instant::now();
        // 0.5 s of work owed at 0.1 s/s: 5 s to wait.
        assert_eq!(limiter.work_exhausted(client, now), Some(5));
        assert_eq!(
            limiter.work_exhausted(client, now + Duration::from_secs(6)),
            None
        );
        // Another client is not affected.
        let other: IpAddr = "192.0.2.2".parse().unwrap();
        assert_eq!(limiter.work_exhausted(other, now), None);
    }

    #[test]
    fn wrong_admin_tokens_hold_a_client_off() {
        let limiter = Limiter::new(Limits {
            admin_failures: 3,
            admin_refill: Duration::from_secs(60),
            ..Limits::default()
        });
        let client: IpAddr = "198.51.100.4".parse().unwrap();
        assert_eq!(limiter.admin_failed(client), 2);
        assert_eq!(limiter.admin_failed(client), 1);
        assert_eq!(limiter.admin_held_off(client, Instant::now()), None);
        assert_eq!(limiter.admin_failed(client), 0);
        let wait = limiter.admin_held_off(client, Instant::now()).unwrap();
        assert!((59..=60).contains(&wait), "{wait}");
        assert_eq!(
            limiter.admin_held_off(client, Instant::now() + Duration::from_secs(61)),
            None
        );
    }

    #[test]
    fn clients_are_keyed_by_address_and_ipv6_by_64() {
        let k = |s: &str| client_key(s.parse().unwrap()).to_string();
        assert_eq!(k("203.0.113.9"), "203.0.113.9");
        assert_eq!(k("::ffff:203.0.113.9"), "203.0.113.9");
        assert_eq!(k("2001:db8:1:2:aaaa:bbbb:cccc:dddd"), "2001:db8:1:2::");
    }
}
