//! [`Fetcher`]: one fetch from URL to decoded body — robots.txt check,
//! politeness, the HTTP exchange with its time and size caps, retries and
//! redirects.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use bytes::{Bytes, BytesMut};
use chrono::Utc;
use reqwest::header::{HeaderMap, HeaderValue};
use tokio::time::Instant;
use tracing::{debug, warn};
use url::Url;

use crate::address::{AddressPolicy, IpNet, PolicyResolver, Resolver, SystemResolver, refusal_in};
use crate::decode::{self, Coding, DecodeError};
use crate::error::{FetchError, Phase, TransportKind, classify, fmt_duration};
use crate::politeness::{HostKey, Politeness};
use crate::retry::{backoff, parse_retry_after};
use crate::robots::{RobotsRules, Verdict, product_token_of};
use crate::robots_cache::{RobotsCache, RobotsOutcome};
use crate::settings::FetchSettings;
use crate::types::{Exchange, FetchRequest, Fetched};

/// Cap on a robots.txt: bytes past it are neither read nor parsed.
pub const ROBOTS_MAX_BYTES: u64 = 512 * 1024;
/// Redirects followed when reading robots.txt (RFC 9309 asks for at least 5).
const ROBOTS_MAX_REDIRECTS: usize = 5;
/// HTTP clients kept for requests with their own allowance (see
/// [`FetchRequest::allow`]); past this many the cache starts again.
const MAX_CLIENTS: usize = 32;
/// Bodies larger than this are decoded on the blocking thread pool.
const DECODE_INLINE_MAX: usize = 64 * 1024;

const ACCEPT: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
const ACCEPT_ENCODING: &str = "gzip, deflate, br";
const ROBOTS_ACCEPT: &str = "text/plain,*/*;q=0.8";

/// A polite, bounded HTTP client. Cheap to clone: clones share the
/// connection pool, the limits, the per-host timing and the robots.txt cache.
#[derive(Clone)]
pub struct Fetcher {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Fetcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fetcher")
            .field("settings", &self.inner.settings)
            .finish_non_exhaustive()
    }
}

struct Inner {
    /// One HTTP client per allowance (the extra networks of a request):
    /// each has its own resolver hook and connection pool, so a connection
    /// opened under one allowance is never reused under another.
    clients: Mutex<HashMap<Vec<IpNet>, reqwest::Client>>,
    policy: Arc<AddressPolicy>,
    resolver: Arc<dyn Resolver>,
    settings: FetchSettings,
    product_token: String,
    politeness: Politeness,
    robots: RobotsCache,
}

/// What to do when a body passes its cap.
#[derive(Clone, Copy, PartialEq, Eq)]
enum OverCap {
    Fail,
    Truncate,
}

/// One response of one hop, body read (or skipped for redirects).
struct Hop {
    exchange: Exchange,
    headers: HeaderMap,
    /// The body was cut at the cap (robots.txt only).
    truncated: bool,
}

impl Hop {
    fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
    }

    fn redirect_location(&self) -> Option<&HeaderValue> {
        match self.exchange.status {
            301 | 302 | 303 | 307 | 308 => self.headers.get(reqwest::header::LOCATION),
            _ => None,
        }
    }
}

impl Fetcher {
    /// Builds the client. Fails on settings that cannot work.
    pub fn new(settings: FetchSettings) -> Result<Self, FetchError> {
        Self::with_resolver(settings, Arc::new(SystemResolver))
    }

    /// Builds the client with `resolver` turning host names into addresses
    /// (the address policy still judges every address it gives). For tests:
    /// a resolver that maps names to loopback addresses.
    pub fn with_resolver(
        settings: FetchSettings,
        resolver: Arc<dyn Resolver>,
    ) -> Result<Self, FetchError> {
        settings.validate()?;
        let policy = Arc::new(AddressPolicy::new(settings.allow_networks.clone()));
        let client = build_client(&settings, &policy, &resolver, Vec::new())?;
        Ok(Fetcher {
            inner: Arc::new(Inner {
                clients: Mutex::new(HashMap::from([(Vec::new(), client)])),
                policy,
                resolver,
                product_token: product_token_of(&settings.user_agent).to_string(),
                politeness: Politeness::new(
                    settings.concurrency,
                    settings.per_host_concurrency,
                    settings.per_host_delay,
                ),
                robots: RobotsCache::new(settings.robots_ttl, settings.robots_error_ttl),
                settings,
            }),
        })
    }

    /// The settings in force.
    pub fn settings(&self) -> &FetchSettings {
        &self.inner.settings
    }

    /// Fetches one URL: checks robots.txt, waits its turn for the host,
    /// retries transient failures, follows redirects, decodes the body.
    ///
    /// Every HTTP response that ends the redirect chain is `Ok`, whatever its
    /// status: 404/410, and 5xx/429 once retries are spent, included.
    /// `Err` means no usable response: see [`FetchError`].
    pub async fn fetch(&self, req: FetchRequest) -> Result<Fetched, FetchError> {
        let started = Instant::now();
        let inner = &self.inner;
        let mut url = fetchable(&req.url)?;
        let allow = &req.allow;
        let mut redirects: Vec<Url> = Vec::new();
        let mut retries = 0u32;
        loop {
            // A literal address is refused before anything is asked of it,
            // robots.txt included.
            inner.check_literal(&url, allow)?;
            if inner.settings.respect_robots {
                inner.check_robots(&url, allow).await?;
            }
            let hop = inner
                .send_with_retries(&url, Some(&req), allow, &mut retries, OverCap::Fail)
                .await?;
            if let Some(location) = hop.redirect_location() {
                let next = resolve_location(&url, location)?;
                redirects.push(url.clone());
                if next == redirects[0] || redirects.contains(&next) {
                    return Err(FetchError::RedirectLoop {
                        url: req.url.to_string(),
                        repeated: next.to_string(),
                        chain: redirects,
                    });
                }
                if redirects.len() > inner.settings.max_redirects {
                    redirects.push(next);
                    return Err(FetchError::TooManyRedirects {
                        url: req.url.to_string(),
                        limit: inner.settings.max_redirects,
                        chain: redirects,
                    });
                }
                debug!(from = %url, to = %next, status = hop.exchange.status, "following redirect");
                url = next;
                continue;
            }
            let body = inner.decode_body(&hop).await?;
            let status = hop.exchange.status;
            let attempts = retries + 1;
            let fetched = Fetched {
                requested_url: req.url.clone(),
                final_url: url,
                redirects,
                status,
                not_modified: status == 304,
                etag: hop.header("etag"),
                last_modified: hop.header("last-modified"),
                content_type: hop.header("content-type"),
                body,
                exchange: hop.exchange,
                attempts,
                elapsed: started.elapsed(),
            };
            debug!(
                url = %fetched.requested_url,
                final_url = %fetched.final_url,
                status,
                bytes = fetched.body.len(),
                attempts,
                elapsed_ms = fetched.elapsed.as_millis() as u64,
                "fetched"
            );
            return Ok(fetched);
        }
    }
}

/// An HTTP client whose every connection goes through the address policy,
/// `extra` networks opened too.
fn build_client(
    settings: &FetchSettings,
    policy: &Arc<AddressPolicy>,
    resolver: &Arc<dyn Resolver>,
    extra: Vec<IpNet>,
) -> Result<reqwest::Client, FetchError> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .referer(false)
        .no_proxy()
        .http1_only()
        .http1_title_case_headers()
        .connect_timeout(settings.connect_timeout)
        .pool_idle_timeout(Duration::from_secs(30))
        .pool_max_idle_per_host(settings.per_host_concurrency)
        .tcp_nodelay(true)
        .dns_resolver(PolicyResolver {
            resolver: resolver.clone(),
            policy: policy.clone(),
            extra,
        })
        .build()
        .map_err(|e| FetchError::Client(crate::error::cause_chain(&e)))
}

/// The address of a URL that names one literally.
fn literal_ip(url: &Url) -> Option<IpAddr> {
    match url.host()? {
        url::Host::Ipv4(v4) => Some(IpAddr::V4(v4)),
        url::Host::Ipv6(v6) => Some(IpAddr::V6(v6)),
        url::Host::Domain(_) => None,
    }
}

/// The URL as it will be requested (no fragment, no credentials), or why
/// it cannot be.
fn fetchable(url: &Url) -> Result<Url, FetchError> {
    if url.scheme() != "http" && url.scheme() != "https" {
        return Err(FetchError::UnsupportedScheme {
            url: url.to_string(),
            scheme: url.scheme().to_string(),
        });
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(FetchError::InvalidUrl {
            url: url.to_string(),
            reason: "it has no host".into(),
        });
    }
    let mut url = url.clone();
    url.set_fragment(None);
    // Credentials in a URL from a feed are not ours to send.
    let _ = url.set_username("");
    let _ = url.set_password(None);
    Ok(url)
}

fn resolve_location(base: &Url, location: &HeaderValue) -> Result<Url, FetchError> {
    let raw = String::from_utf8_lossy(location.as_bytes()).into_owned();
    let bad = |reason: String| FetchError::BadRedirect {
        url: base.to_string(),
        location: raw.clone(),
        reason,
    };
    let next = base
        .join(raw.trim())
        .map_err(|e| bad(format!("it is not a valid URL ({e})")))?;
    fetchable(&next).map_err(|e| match e {
        FetchError::UnsupportedScheme { scheme, .. } => {
            bad(format!("only http and https are followed, not {scheme}:"))
        }
        other => bad(other.to_string()),
    })
}

impl Inner {
    /// The client for requests allowed `allow` beyond the policy.
    fn client_for(&self, allow: &[IpNet]) -> Result<reqwest::Client, FetchError> {
        let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(client) = clients.get(allow) {
            return Ok(client.clone());
        }
        let client = build_client(&self.settings, &self.policy, &self.resolver, allow.to_vec())?;
        if clients.len() >= MAX_CLIENTS {
            clients.retain(|k, _| k.is_empty());
        }
        clients.insert(allow.to_vec(), client.clone());
        Ok(client)
    }

    /// Refuses a URL whose host is a literal address the policy forbids
    /// (the resolver hook never sees those).
    fn check_literal(&self, url: &Url, allow: &[IpNet]) -> Result<(), FetchError> {
        match literal_ip(url) {
            Some(ip) => {
                self.policy
                    .check(ip, allow)
                    .map_err(|refusal| FetchError::AddressRefused {
                        url: url.to_string(),
                        refusal,
                    })
            }
            None => Ok(()),
        }
    }

    /// Checks `url` against its host's robots.txt (reading it if needed).
    async fn check_robots(&self, url: &Url, allow: &[IpNet]) -> Result<(), FetchError> {
        let key = host_key(url)?;
        let rules = self
            .robots
            .get(&key, || self.read_robots(&key, allow))
            .await
            .map_err(|blocked| match blocked.refusal {
                Some(refusal) => FetchError::AddressRefused {
                    url: url.to_string(),
                    refusal,
                },
                None => FetchError::RobotsUnavailable {
                    url: url.to_string(),
                    host: key.display_host(),
                    reason: blocked.reason,
                    retry_in: blocked.retry_in,
                },
            })?;
        // Crawl-delay raises the host's delay (up to max_crawl_delay); when
        // robots.txt drops it, the host goes back to per_host_delay.
        let crawl_delay = rules
            .crawl_delay()
            .unwrap_or_default()
            .min(self.settings.max_crawl_delay);
        self.politeness.set_delay(&key, crawl_delay);
        match rules.check(url) {
            Verdict::Allowed => Ok(()),
            Verdict::Disallowed { rule } => Err(FetchError::RobotsDisallowed {
                url: url.to_string(),
                host: key.display_host(),
                agent: self.product_token.clone(),
                rule,
            }),
        }
    }

    /// Reads and parses the robots.txt of `key` (RFC 9309 §2.3: 2xx → rules,
    /// 4xx → allow all, 5xx/429/network error → unavailable).
    async fn read_robots(&self, key: &HostKey, allow: &[IpNet]) -> RobotsOutcome {
        let Some(mut url) = key.robots_url() else {
            return RobotsOutcome::Rules(RobotsRules::allow_all());
        };
        let mut retries = 0;
        for _ in 0..=ROBOTS_MAX_REDIRECTS {
            if let Err(FetchError::AddressRefused { refusal, .. }) = self.check_literal(&url, allow)
            {
                return RobotsOutcome::Refused(refusal);
            }
            let hop = match self
                .send_with_retries(&url, None, allow, &mut retries, OverCap::Truncate)
                .await
            {
                Ok(hop) => hop,
                Err(FetchError::AddressRefused { refusal, .. }) => {
                    return RobotsOutcome::Refused(refusal);
                }
                Err(e) => {
                    warn!(host = %key, error = %e, "robots.txt could not be fetched");
                    return RobotsOutcome::Unavailable(format!(
                        "could not be fetched ({})",
                        brief(&e)
                    ));
                }
            };
            let status = hop.exchange.status;
            if let Some(location) = hop.redirect_location() {
                match resolve_location(&url, location) {
                    Ok(next) => {
                        url = next;
                        continue;
                    }
                    // RFC 9309: an unfollowable robots.txt counts as unavailable (4xx).
                    Err(_) => return RobotsOutcome::Rules(RobotsRules::allow_all()),
                }
            }
            return match status {
                200..=299 => {
                    let codings = decode::parse_codings(
                        hop.headers
                            .get_all(reqwest::header::CONTENT_ENCODING)
                            .iter()
                            .map(|v| v.as_bytes()),
                    )
                    .unwrap_or_default();
                    let (text, incomplete) =
                        decode::decode_lenient(&codings, &hop.exchange.raw_body, ROBOTS_MAX_BYTES);
                    let truncated = hop.truncated || incomplete;
                    if truncated {
                        debug!(host = %key, "robots.txt longer than {ROBOTS_MAX_BYTES} bytes; the rest is ignored");
                    }
                    RobotsOutcome::Rules(RobotsRules::parse(&text, &self.product_token, truncated))
                }
                429 => {
                    RobotsOutcome::Unavailable(format!("answered {}", status_text(&hop.exchange)))
                }
                400..=499 => RobotsOutcome::Rules(RobotsRules::allow_all()),
                500..=599 => {
                    RobotsOutcome::Unavailable(format!("answered {}", status_text(&hop.exchange)))
                }
                // 1xx, 3xx without Location: treat as "no robots.txt".
                _ => RobotsOutcome::Rules(RobotsRules::allow_all()),
            };
        }
        RobotsOutcome::Rules(RobotsRules::allow_all())
    }

    /// Sends GET `url`, retrying timeouts, connection errors, 5xx and 429.
    /// `retries` is incremented for every retry.
    async fn send_with_retries(
        &self,
        url: &Url,
        req: Option<&FetchRequest>,
        allow: &[IpNet],
        retries: &mut u32,
        over_cap: OverCap,
    ) -> Result<Hop, FetchError> {
        let key = host_key(url)?;
        let s = &self.settings;
        // Retries done so far for this URL.
        let mut retry = 0u32;
        loop {
            let slot = self.politeness.acquire(&key).await;
            let result = self.send_once(url, req, allow, over_cap).await;
            drop(slot);
            let can_retry = retry < s.retries;
            match result {
                Ok(hop) if hop.exchange.status == 429 || hop.exchange.status >= 500 => {
                    let status = hop.exchange.status;
                    let retry_after = hop
                        .headers
                        .get(reqwest::header::RETRY_AFTER)
                        .and_then(|v| parse_retry_after(v.as_bytes(), SystemTime::now()));
                    if let Some(wait) = retry_after {
                        // The whole host slows down, not just this task.
                        self.politeness.hold_off(&key, wait.min(s.max_retry_after));
                        if wait > s.max_retry_after {
                            return Err(FetchError::RetryAfterTooLong {
                                url: url.to_string(),
                                status,
                                retry_after: wait,
                                cap: s.max_retry_after,
                            });
                        }
                    }
                    if !can_retry {
                        warn!(%url, status, retries = retry, "server error persisted through all retries");
                        return Ok(hop);
                    }
                    retry += 1;
                    *retries += 1;
                    let delay = backoff(s.retry_base_delay, retry, s.max_retry_after)
                        .max(retry_after.unwrap_or_default());
                    warn!(%url, status, retry, delay_ms = delay.as_millis() as u64, "server error; retrying");
                    tokio::time::sleep(delay).await;
                }
                Ok(hop) => return Ok(hop),
                Err(e) if e.is_retried() && can_retry => {
                    retry += 1;
                    *retries += 1;
                    let delay = backoff(s.retry_base_delay, retry, s.max_retry_after);
                    warn!(%url, error = %e, retry, delay_ms = delay.as_millis() as u64, "fetch failed; retrying");
                    tokio::time::sleep(delay).await;
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// One request and its response, within `timeout`, body capped.
    async fn send_once(
        &self,
        url: &Url,
        req: Option<&FetchRequest>,
        allow: &[IpNet],
        over_cap: OverCap,
    ) -> Result<Hop, FetchError> {
        let s = &self.settings;
        self.check_literal(url, allow)?;
        let client = self.client_for(allow)?;
        let (accept, limit) = match over_cap {
            OverCap::Fail => (ACCEPT, s.max_body_bytes),
            OverCap::Truncate => (ROBOTS_ACCEPT, ROBOTS_MAX_BYTES),
        };
        let mut headers: Vec<(&'static str, String)> = vec![
            ("Host", host_header(url)),
            ("User-Agent", s.user_agent.clone()),
            ("Accept", accept.to_string()),
            ("Accept-Encoding", ACCEPT_ENCODING.to_string()),
        ];
        if let Some(req) = req {
            if let Some(etag) = &req.etag {
                headers.push(("If-None-Match", etag.clone()));
            }
            if let Some(lm) = &req.last_modified {
                headers.push(("If-Modified-Since", lm.clone()));
            }
        }
        let mut builder = client.get(url.clone());
        let mut sent: Vec<(String, Vec<u8>)> = Vec::with_capacity(headers.len());
        for (name, value) in headers {
            // A stored validator with control characters cannot be sent; skip it.
            match HeaderValue::from_str(&value) {
                Ok(v) => {
                    builder = builder.header(name, v);
                    sent.push((name.to_string(), value.into_bytes()));
                }
                Err(_) => debug!(%url, header = name, "header value not sendable; left out"),
            }
        }

        let started_at = Utc::now();
        let got_headers = AtomicBool::new(false);
        let received = AtomicU64::new(0);
        let exchange = async {
            let response = builder
                .send()
                .await
                .map_err(|e| transport_error(url, &e, 0, None, s.connect_timeout))?;
            got_headers.store(true, Ordering::Relaxed);
            read_response(url, response, limit, over_cap, &received, s.connect_timeout).await
        };
        let (response, raw_body, truncated) = match tokio::time::timeout(s.timeout, exchange).await
        {
            Ok(result) => result?,
            Err(_) => {
                return Err(FetchError::Timeout {
                    url: url.to_string(),
                    after: s.timeout,
                    phase: if got_headers.load(Ordering::Relaxed) {
                        Phase::Body {
                            received: received.load(Ordering::Relaxed),
                        }
                    } else {
                        Phase::Headers
                    },
                });
            }
        };
        // The resolver hook only ever hands out allowed addresses; this
        // checks the peer once more, so nothing it sent is used otherwise.
        if let Some(ip) = response.remote_ip
            && let Err(refusal) = self.policy.check(ip, allow)
        {
            return Err(FetchError::AddressRefused {
                url: url.to_string(),
                refusal,
            });
        }
        let status = response.status;
        let reason = response.reason;
        let exchange = Exchange {
            method: "GET".to_string(),
            url: url.clone(),
            request_target: request_target(url),
            request_headers: sent,
            http_version: response.version,
            status: status.as_u16(),
            reason,
            response_headers: response
                .headers
                .iter()
                .map(|(n, v)| (n.as_str().to_string(), v.as_bytes().to_vec()))
                .collect(),
            raw_body,
            remote_ip: response.remote_ip,
            started_at,
        };
        debug!(%url, status = status.as_u16(), bytes = exchange.raw_body.len(), "response");
        Ok(Hop {
            exchange,
            headers: response.headers,
            truncated,
        })
    }

    /// The body with its Content-Encoding undone, capped.
    async fn decode_body(&self, hop: &Hop) -> Result<Bytes, FetchError> {
        let raw = hop.exchange.raw_body.clone();
        if raw.is_empty() {
            return Ok(raw);
        }
        let url = &hop.exchange.url;
        let codings = decode::parse_codings(
            hop.headers
                .get_all(reqwest::header::CONTENT_ENCODING)
                .iter()
                .map(|v| v.as_bytes()),
        )
        .map_err(|e| decode_error(url, e, self.settings.max_body_bytes))?;
        if codings.is_empty() {
            return Ok(raw);
        }
        let limit = self.settings.max_body_bytes;
        let result = if raw.len() <= DECODE_INLINE_MAX {
            decode::decode(&codings, &raw, limit)
        } else {
            let codings2: Vec<Coding> = codings.clone();
            tokio::task::spawn_blocking(move || decode::decode(&codings2, &raw, limit))
                .await
                .unwrap_or_else(|e| {
                    Err(DecodeError::Corrupt {
                        coding: codings[0],
                        detail: format!("decoder stopped: {e}"),
                    })
                })
        };
        result
            .map(Bytes::from)
            .map_err(|e| decode_error(url, e, limit))
    }
}

/// Status line facts taken from a reqwest response before its body is read.
struct Head {
    status: reqwest::StatusCode,
    reason: String,
    version: String,
    headers: HeaderMap,
    remote_ip: Option<std::net::IpAddr>,
}

async fn read_response(
    url: &Url,
    mut response: reqwest::Response,
    limit: u64,
    over_cap: OverCap,
    received: &AtomicU64,
    connect_timeout: Duration,
) -> Result<(Head, Bytes, bool), FetchError> {
    let status = response.status();
    let reason = response
        .extensions()
        .get::<hyper::ext::ReasonPhrase>()
        .map(|r| String::from_utf8_lossy(r.as_bytes()).into_owned())
        .unwrap_or_else(|| status.canonical_reason().unwrap_or("").to_string());
    let version = match response.version() {
        reqwest::Version::HTTP_09 => "HTTP/0.9",
        reqwest::Version::HTTP_10 => "HTTP/1.0",
        reqwest::Version::HTTP_2 => "HTTP/2",
        reqwest::Version::HTTP_3 => "HTTP/3",
        _ => "HTTP/1.1",
    }
    .to_string();
    let declared = response.content_length();
    let head = Head {
        status,
        reason,
        version,
        headers: response.headers().clone(),
        remote_ip: response.remote_addr().map(|a| a.ip()),
    };
    // A redirect's body is not needed: skip reading it.
    if matches!(status.as_u16(), 301 | 302 | 303 | 307 | 308)
        && head.headers.contains_key(reqwest::header::LOCATION)
    {
        return Ok((head, Bytes::new(), false));
    }
    if let Some(n) = declared
        && n > limit
        && over_cap == OverCap::Fail
    {
        return Err(FetchError::BodyTooLarge {
            url: url.to_string(),
            limit,
            declared: Some(n),
        });
    }
    let capacity = declared.unwrap_or(16 * 1024).min(limit) as usize;
    let mut body = BytesMut::with_capacity(capacity);
    loop {
        let chunk = match response.chunk().await {
            Ok(Some(chunk)) => chunk,
            Ok(None) => break,
            Err(e) => {
                return Err(transport_error(
                    url,
                    &e,
                    body.len() as u64,
                    declared,
                    connect_timeout,
                ));
            }
        };
        let room = limit - body.len() as u64;
        if chunk.len() as u64 > room {
            match over_cap {
                OverCap::Fail => {
                    return Err(FetchError::BodyTooLarge {
                        url: url.to_string(),
                        limit,
                        declared,
                    });
                }
                OverCap::Truncate => {
                    body.extend_from_slice(&chunk[..room as usize]);
                    return Ok((head, body.freeze(), true));
                }
            }
        }
        body.extend_from_slice(&chunk);
        received.store(body.len() as u64, Ordering::Relaxed);
    }
    Ok((head, body.freeze(), false))
}

fn host_key(url: &Url) -> Result<HostKey, FetchError> {
    HostKey::of(url).ok_or_else(|| FetchError::InvalidUrl {
        url: url.to_string(),
        reason: "it has no host or port".into(),
    })
}

/// The `Host` header: host, plus the port when it is not the default.
fn host_header(url: &Url) -> String {
    let host = match url.host() {
        Some(url::Host::Ipv6(ip)) => format!("[{ip}]"),
        Some(h) => h.to_string(),
        None => String::new(),
    };
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host,
    }
}

/// Path and query, as on the request line.
fn request_target(url: &Url) -> String {
    match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_string(),
    }
}

fn status_text(exchange: &Exchange) -> String {
    if exchange.reason.is_empty() {
        exchange.status.to_string()
    } else {
        format!("{} {}", exchange.status, exchange.reason)
    }
}

fn transport_error(
    url: &Url,
    e: &reqwest::Error,
    received: u64,
    expected: Option<u64>,
    connect_timeout: Duration,
) -> FetchError {
    let host = url.host_str().unwrap_or("").to_string();
    let url = url.to_string();
    if let Some(refusal) = refusal_in(e) {
        return FetchError::AddressRefused { url, refusal };
    }
    match classify(e) {
        TransportKind::Dns(detail) => FetchError::Dns { host, url, detail },
        TransportKind::ConnectTimeout => FetchError::ConnectTimeout {
            url,
            after: connect_timeout,
        },
        TransportKind::Connect(detail) => FetchError::Connect { url, detail },
        TransportKind::Tls(detail) => FetchError::Tls { url, detail },
        TransportKind::Body(detail) => FetchError::BodyInterrupted {
            url,
            received,
            expected,
            detail,
        },
        TransportKind::Protocol(detail) => FetchError::Protocol { url, detail },
    }
}

fn decode_error(url: &Url, e: DecodeError, limit: u64) -> FetchError {
    let url = url.to_string();
    match e {
        DecodeError::Unsupported(encoding) => FetchError::UnsupportedEncoding { url, encoding },
        DecodeError::TooLarge { coding } => FetchError::DecompressedTooLarge {
            url,
            limit,
            encoding: coding.name().to_string(),
        },
        DecodeError::Corrupt { coding, detail } => FetchError::Decode {
            url,
            encoding: coding.name().to_string(),
            detail,
        },
    }
}

/// A short cause for "robots.txt of HOST could not be fetched (...)".
fn brief(e: &FetchError) -> String {
    match e {
        FetchError::Timeout { after, .. } => format!("timed out after {}", fmt_duration(*after)),
        FetchError::ConnectTimeout { after, .. } => {
            format!("connecting timed out after {}", fmt_duration(*after))
        }
        FetchError::Connect { detail, .. } => detail.clone(),
        FetchError::Dns { .. } => "the host name does not resolve".into(),
        FetchError::Tls { detail, .. } => format!("TLS failed: {detail}"),
        FetchError::BodyInterrupted { detail, .. } => format!("connection broke: {detail}"),
        FetchError::RetryAfterTooLong {
            status,
            retry_after,
            ..
        } => {
            format!(
                "answered {status} with Retry-After {}",
                fmt_duration(*retry_after)
            )
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_header_has_port_only_when_not_default() {
        let u = |s: &str| Url::parse(s).unwrap();
        assert_eq!(host_header(&u("https://example.com/a")), "example.com");
        assert_eq!(
            host_header(&u("http://example.com:8080/a")),
            "example.com:8080"
        );
        assert_eq!(host_header(&u("http://[::1]:81/")), "[::1]:81");
        assert_eq!(host_header(&u("https://bücher.de/")), "xn--bcher-kva.de");
    }

    #[test]
    fn fetchable_strips_fragment_and_credentials() {
        let u = fetchable(&Url::parse("https://user:pw@example.com/a?b=1#c").unwrap()).unwrap();
        assert_eq!(u.as_str(), "https://example.com/a?b=1");
        assert_eq!(request_target(&u), "/a?b=1");
        let err = fetchable(&Url::parse("ftp://example.com/file").unwrap()).unwrap_err();
        assert!(matches!(err, FetchError::UnsupportedScheme { .. }));
        assert!(err.to_string().contains("only http and https"));
    }

    #[test]
    fn locations_resolve_relative_and_refuse_other_schemes() {
        let base = Url::parse("https://example.com/news/a").unwrap();
        let loc = |s: &'static str| HeaderValue::from_static(s);
        assert_eq!(
            resolve_location(&base, &loc("b?x=1")).unwrap().as_str(),
            "https://example.com/news/b?x=1"
        );
        assert_eq!(
            resolve_location(&base, &loc("//other.org/c#frag"))
                .unwrap()
                .as_str(),
            "https://other.org/c"
        );
        let err = resolve_location(&base, &loc("javascript:alert(1)")).unwrap_err();
        assert!(
            err.to_string().contains("only http and https are followed"),
            "{err}"
        );
    }
}
