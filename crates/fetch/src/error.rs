//! The one error type of this crate, [`FetchError`], and how transport errors
//! from the HTTP library are sorted into it.
//!
//! Every message says what happened to which URL and what follows from it,
//! so a line in a log is enough to understand a failed check.

use std::error::Error as _;
use std::fmt;
use std::time::Duration;

use url::Url;

use crate::address::Refusal;

/// Why a fetch did not produce an HTTP response.
///
/// HTTP error statuses are *not* errors: a 404, a 410, or a 5xx/429 that
/// persisted through all retries come back as `Ok(Fetched)` with that status.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FetchError {
    /// The settings given to `Fetcher::new` cannot work.
    #[error("invalid fetch settings: {0}")]
    Settings(String),

    /// The HTTP client could not be built (TLS roots, resolver...).
    #[error("could not set up the HTTP client: {0}")]
    Client(String),

    /// Only http and https are fetched.
    #[error("{url} cannot be fetched: only http and https URLs are supported, not {scheme}:")]
    UnsupportedScheme { url: String, scheme: String },

    /// The URL has no host or is otherwise unusable for HTTP.
    #[error("{url} cannot be fetched: {reason}")]
    InvalidUrl { url: String, reason: String },

    /// The address policy refused the address the URL leads to (loopback,
    /// private, link-local, ...): nothing was sent.
    #[error(
        "{refusal}; {url} was not fetched — redline fetches only public addresses, unless \
         [crawl] allow_networks opens the network or a listing on that network led here"
    )]
    AddressRefused { url: String, refusal: Refusal },

    /// The host name did not resolve.
    #[error(
        "could not resolve the host name {host} of {url} ({detail}); the domain may be \
         misspelt, expired or its DNS down — it will be tried again at the next check"
    )]
    Dns {
        url: String,
        host: String,
        detail: String,
    },

    /// No TCP (and TLS) connection within `connect_timeout`.
    #[error(
        "timed out after {} connecting to {url}; the server may be down or overloaded — \
         it will be tried again at the next check",
        fmt_duration(*.after)
    )]
    ConnectTimeout { url: String, after: Duration },

    /// The connection was refused, reset or closed before a response.
    #[error(
        "could not get a response from {url}: {detail}; the server may be down or \
         restarting — it will be tried again at the next check"
    )]
    Connect { url: String, detail: String },

    /// The TLS handshake failed (certificate, protocol).
    #[error(
        "secure connection to {url} failed: {detail}; the site's certificate or TLS setup \
         is broken, nothing was fetched — it will be tried again at the next check"
    )]
    Tls { url: String, detail: String },

    /// The whole response (headers and body) did not arrive within `timeout`.
    #[error(
        "timed out after {} waiting for the {phase} of {url}; the server may be \
         overloaded — it will be tried again at the next check",
        fmt_duration(*.after)
    )]
    Timeout {
        url: String,
        after: Duration,
        phase: Phase,
    },

    /// The connection broke while the body was being read.
    #[error(
        "the connection to {url} broke after {received} bytes of the response body{}: {detail}; \
         the page was not stored — it will be tried again at the next check",
        match .expected { Some(n) => format!(" (of {n} announced)"), None => String::new() }
    )]
    BodyInterrupted {
        url: String,
        received: u64,
        expected: Option<u64>,
        detail: String,
    },

    /// The server's answer was not valid HTTP/1.1.
    #[error("the response from {url} was not valid HTTP: {detail}; the page was not stored")]
    Protocol { url: String, detail: String },

    /// The raw body passed `max_body_bytes`; reading stopped there.
    #[error(
        "body of {url} larger than {} limit{}; reading stopped and the page was not stored — \
         raise [crawl] max_body in the configuration if such pages are legitimate",
        fmt_bytes(*.limit),
        match .declared { Some(n) => format!(" (Content-Length says {})", fmt_bytes(*n)), None => String::new() }
    )]
    BodyTooLarge {
        url: String,
        limit: u64,
        declared: Option<u64>,
    },

    /// The decoded body passed `max_body_bytes`.
    #[error(
        "decompressed body of {url} exceeds {} ({encoding}): possible compression bomb; \
         decoding stopped and the page was not stored",
        fmt_bytes(*.limit)
    )]
    DecompressedTooLarge {
        url: String,
        limit: u64,
        encoding: String,
    },

    /// The body could not be decoded with its Content-Encoding.
    #[error(
        "could not decode the {encoding}-encoded body of {url}: {detail}; the server sent \
         corrupt or mislabelled data and the page was not stored"
    )]
    Decode {
        url: String,
        encoding: String,
        detail: String,
    },

    /// A Content-Encoding redline cannot decode.
    #[error(
        "{url} answered with Content-Encoding {encoding:?}, which redline cannot decode \
         (it asks for and decodes gzip, deflate and br only); the page was not stored"
    )]
    UnsupportedEncoding { url: String, encoding: String },

    /// More than `max_redirects` redirects.
    #[error(
        "gave up on {url} after {limit} redirects (last to {}); raise max_redirects if the \
         site really needs more",
        .chain.last().map(|u| u.as_str()).unwrap_or("?")
    )]
    TooManyRedirects {
        url: String,
        limit: usize,
        chain: Vec<Url>,
    },

    /// A redirect led back to a URL already visited in this chain.
    #[error(
        "redirect loop: {url} redirects back to {repeated}, already visited after {} \
         redirect(s); the site may need cookies redline does not keep — check the URL in a browser",
        .chain.len()
    )]
    RedirectLoop {
        url: String,
        repeated: String,
        chain: Vec<Url>,
    },

    /// A redirect that cannot be followed (bad Location, other scheme).
    #[error("{url} redirects to {location:?}, which cannot be followed: {reason}")]
    BadRedirect {
        url: String,
        location: String,
        reason: String,
    },

    /// robots.txt forbids this URL to our user agent.
    #[error(
        "blocked: robots.txt of {host} disallows {url} for user agent {agent} ({rule}); \
         it is not fetched while the rule stands"
    )]
    RobotsDisallowed {
        url: String,
        host: String,
        agent: String,
        rule: String,
    },

    /// robots.txt could not be read (5xx, 429, network error): nothing is
    /// fetched from the host for a while.
    #[error(
        "blocked: robots.txt of {host} {reason}; nothing is fetched from {host} until its \
         robots.txt can be read (next try in {}) — it will be tried again at the next check",
        fmt_duration(*.retry_in)
    )]
    RobotsUnavailable {
        url: String,
        host: String,
        reason: String,
        retry_in: Duration,
    },

    /// The server asked for a longer pause than `max_retry_after`.
    #[error(
        "{url} answered {status} and asked to retry after {}, longer than the {} redline waits; \
         gave up for now — check again after that time",
        fmt_duration(*.retry_after),
        fmt_duration(*.cap)
    )]
    RetryAfterTooLong {
        url: String,
        status: u16,
        retry_after: Duration,
        cap: Duration,
    },

    /// Chromium could not render the page (it did not start, died, or the
    /// page did not load); see [`crate::Renderer`].
    #[error(
        "could not render {url} in Chromium: {detail}; nothing was stored — it will be tried \
         again at the next check"
    )]
    Render { url: String, detail: String },

    /// The page was still loading, running scripts or making requests
    /// after `[render] timeout`: its scripts were stopped.
    #[error(
        "rendering {url} in Chromium took longer than {} ([render] timeout): its scripts were \
         stopped and nothing was stored — raise [render] timeout if the site is just slow",
        fmt_duration(*.after)
    )]
    RenderTimeout { url: String, after: Duration },

    /// The rendered DOM passed `[crawl] max_body`.
    #[error(
        "the rendered page {url} is larger than {} ([crawl] max_body); nothing was stored — \
         raise [crawl] max_body if such pages are legitimate",
        fmt_bytes(*.limit)
    )]
    RenderTooLarge { url: String, limit: u64 },
}

/// Which part of the response a timeout interrupted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// No response headers yet.
    Headers,
    /// Headers arrived; this many body bytes had been received.
    Body { received: u64 },
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Phase::Headers => f.write_str("response headers"),
            Phase::Body { received } => {
                write!(f, "response body ({} received)", fmt_bytes(*received))
            }
        }
    }
}

impl FetchError {
    /// The error's kind as a stable, machine-readable name (for
    /// `redline check --json` and the like): `dns`, `connect_timeout`,
    /// `address_refused`, `robots_disallowed`, `body_too_large`, ...
    pub fn kind(&self) -> &'static str {
        match self {
            FetchError::Settings(_) => "settings",
            FetchError::Client(_) => "client",
            FetchError::UnsupportedScheme { .. } => "unsupported_scheme",
            FetchError::InvalidUrl { .. } => "invalid_url",
            FetchError::AddressRefused { .. } => "address_refused",
            FetchError::Dns { .. } => "dns",
            FetchError::ConnectTimeout { .. } => "connect_timeout",
            FetchError::Connect { .. } => "connect",
            FetchError::Tls { .. } => "tls",
            FetchError::Timeout { .. } => "timeout",
            FetchError::BodyInterrupted { .. } => "body_interrupted",
            FetchError::Protocol { .. } => "protocol",
            FetchError::BodyTooLarge { .. } => "body_too_large",
            FetchError::DecompressedTooLarge { .. } => "decompressed_too_large",
            FetchError::Decode { .. } => "decode",
            FetchError::UnsupportedEncoding { .. } => "unsupported_encoding",
            FetchError::TooManyRedirects { .. } => "too_many_redirects",
            FetchError::RedirectLoop { .. } => "redirect_loop",
            FetchError::BadRedirect { .. } => "bad_redirect",
            FetchError::RobotsDisallowed { .. } => "robots_disallowed",
            FetchError::RobotsUnavailable { .. } => "robots_unavailable",
            FetchError::RetryAfterTooLong { .. } => "retry_after_too_long",
            FetchError::Render { .. } => "render",
            FetchError::RenderTimeout { .. } => "render_timeout",
            FetchError::RenderTooLarge { .. } => "render_too_large",
        }
    }

    /// Whether the same request may well succeed later with nothing changed
    /// on our side: timeouts, connection and DNS failures, an unreadable
    /// robots.txt, a long Retry-After. Not transient: bad URLs, TLS failures,
    /// size limits, undecodable bodies, redirect problems, robots.txt rules.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            FetchError::Dns { .. }
                | FetchError::ConnectTimeout { .. }
                | FetchError::Connect { .. }
                | FetchError::Timeout { .. }
                | FetchError::BodyInterrupted { .. }
                | FetchError::RobotsUnavailable { .. }
                | FetchError::RetryAfterTooLong { .. }
                | FetchError::Render { .. }
                | FetchError::RenderTimeout { .. }
        )
    }

    /// Whether the fetcher itself retries this error (with back-off) before
    /// giving up: the transient errors minus DNS failures, an unreadable
    /// robots.txt and a too-long Retry-After.
    pub(crate) fn is_retried(&self) -> bool {
        matches!(
            self,
            FetchError::ConnectTimeout { .. }
                | FetchError::Connect { .. }
                | FetchError::Timeout { .. }
                | FetchError::BodyInterrupted { .. }
        )
    }

    /// The address policy's refusal, when that is what stopped the fetch.
    pub fn refusal(&self) -> Option<&Refusal> {
        match self {
            FetchError::AddressRefused { refusal, .. } => Some(refusal),
            _ => None,
        }
    }

    /// How long the server or robots.txt policy asks to wait before trying
    /// again, when known.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            FetchError::RetryAfterTooLong { retry_after, .. } => Some(*retry_after),
            FetchError::RobotsUnavailable { retry_in, .. } => Some(*retry_in),
            _ => None,
        }
    }

    /// The URL the error is about, when there is one.
    pub fn url(&self) -> Option<&str> {
        match self {
            FetchError::Settings(_) | FetchError::Client(_) => None,
            FetchError::UnsupportedScheme { url, .. } | FetchError::InvalidUrl { url, .. } => {
                Some(url)
            }
            FetchError::Dns { url, .. }
            | FetchError::AddressRefused { url, .. }
            | FetchError::ConnectTimeout { url, .. }
            | FetchError::Connect { url, .. }
            | FetchError::Tls { url, .. }
            | FetchError::Timeout { url, .. }
            | FetchError::BodyInterrupted { url, .. }
            | FetchError::Protocol { url, .. }
            | FetchError::BodyTooLarge { url, .. }
            | FetchError::DecompressedTooLarge { url, .. }
            | FetchError::Decode { url, .. }
            | FetchError::UnsupportedEncoding { url, .. }
            | FetchError::TooManyRedirects { url, .. }
            | FetchError::RedirectLoop { url, .. }
            | FetchError::BadRedirect { url, .. }
            | FetchError::RobotsDisallowed { url, .. }
            | FetchError::RobotsUnavailable { url, .. }
            | FetchError::RetryAfterTooLong { url, .. }
            | FetchError::Render { url, .. }
            | FetchError::RenderTimeout { url, .. }
            | FetchError::RenderTooLarge { url, .. } => Some(url),
        }
    }
}

/// What kind of failure a reqwest error was, before it is given a URL.
pub(crate) enum TransportKind {
    Dns(String),
    ConnectTimeout,
    Connect(String),
    Tls(String),
    Body(String),
    Protocol(String),
}

/// Sorts a reqwest error by walking its chain of causes.
pub(crate) fn classify(err: &reqwest::Error) -> TransportKind {
    let detail = cause_chain(err);
    let mut source: Option<&(dyn std::error::Error + 'static)> = err.source();
    let mut is_tls = false;
    while let Some(e) = source {
        is_tls |= is_rustls_error(e);
        source = e.source();
    }
    if is_tls {
        return TransportKind::Tls(detail);
    }
    if err.is_connect() && err.is_timeout() {
        return TransportKind::ConnectTimeout;
    }
    if err.is_connect() {
        if detail.contains("dns error") || detail.contains("failed to lookup address") {
            return TransportKind::Dns(detail);
        }
        return TransportKind::Connect(detail);
    }
    if err.is_body() || err.is_decode() {
        return TransportKind::Body(detail);
    }
    let lower = detail.to_ascii_lowercase();
    if lower.contains("parse")
        || lower.contains("invalid")
        || lower.contains("too large")
        || lower.contains("unsupported")
    {
        return TransportKind::Protocol(detail);
    }
    // Closed or reset before or while the head arrived.
    TransportKind::Connect(detail)
}

/// Whether `e` is a rustls error, possibly wrapped in (nested) io::Errors,
/// whose `source()` skips the wrapped error.
fn is_rustls_error(e: &(dyn std::error::Error + 'static)) -> bool {
    if e.downcast_ref::<rustls::Error>().is_some() {
        return true;
    }
    match e
        .downcast_ref::<std::io::Error>()
        .and_then(|io| io.get_ref())
    {
        Some(inner) => is_rustls_error(inner),
        None => false,
    }
}

/// The messages of an error's causes, without repeats, joined by ": ".
pub(crate) fn cause_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut source = err.source();
    while let Some(e) = source {
        let msg = e.to_string();
        if !parts.iter().any(|p| p.contains(&msg)) {
            parts.push(msg);
        }
        source = e.source();
    }
    if parts.is_empty() {
        parts.push(err.to_string());
    }
    let joined = parts.join(": ");
    // hyper-util prefixes its causes with "client error (Connect): " and the
    // like, which tells a reader nothing.
    match joined.strip_prefix("client error (") {
        Some(rest) => match rest.split_once("): ") {
            Some((_, cause)) => cause.to_string(),
            None => joined,
        },
        None => joined,
    }
}

/// `30s`, `200ms`, `1m30s`, `2h`.
pub fn fmt_duration(d: Duration) -> String {
    let ms = d.as_millis();
    if ms < 1000 {
        return format!("{ms}ms");
    }
    let secs = d.as_secs();
    if secs < 60 {
        let tenths = (ms % 1000) / 100;
        return if tenths == 0 {
            format!("{secs}s")
        } else {
            format!("{secs}.{tenths}s")
        };
    }
    let (h, m, s) = (secs / 3600, (secs % 3600) / 60, secs % 60);
    let mut out = String::new();
    if h > 0 {
        out.push_str(&format!("{h}h"));
    }
    if m > 0 {
        out.push_str(&format!("{m}m"));
    }
    if s > 0 {
        out.push_str(&format!("{s}s"));
    }
    out
}

/// `512 KiB`, `10 MiB`, `1.5 MiB`, `300 bytes`.
pub fn fmt_bytes(n: u64) -> String {
    const KIB: u64 = 1024;
    const MIB: u64 = 1024 * 1024;
    const GIB: u64 = 1024 * 1024 * 1024;
    let unit = |n: u64, size: u64, name: &str| {
        if n.is_multiple_of(size) {
            format!("{} {name}", n / size)
        } else {
            format!("{:.1} {name}", n as f64 / size as f64)
        }
    };
    match n {
        n if n >= GIB => unit(n, GIB, "GiB"),
        n if n >= MIB => unit(n, MIB, "MiB"),
        n if n >= KIB => unit(n, KIB, "KiB"),
        n => format!("{n} bytes"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_sizes_read_naturally() {
        assert_eq!(fmt_duration(Duration::from_millis(200)), "200ms");
        assert_eq!(fmt_duration(Duration::from_secs(30)), "30s");
        assert_eq!(fmt_duration(Duration::from_millis(1500)), "1.5s");
        assert_eq!(fmt_duration(Duration::from_secs(90)), "1m30s");
        assert_eq!(fmt_duration(Duration::from_secs(86400)), "24h");
        assert_eq!(fmt_bytes(10 * 1024 * 1024), "10 MiB");
        assert_eq!(fmt_bytes(512 * 1024), "512 KiB");
        assert_eq!(fmt_bytes(1536 * 1024), "1.5 MiB");
        assert_eq!(fmt_bytes(300), "300 bytes");
    }

    #[test]
    fn timeout_message_names_url_phase_and_consequence() {
        let e = FetchError::Timeout {
            url: "https://example.com/a".into(),
            after: Duration::from_secs(30),
            phase: Phase::Body { received: 2048 },
        };
        assert_eq!(
            e.to_string(),
            "timed out after 30s waiting for the response body (2 KiB received) of \
             https://example.com/a; the server may be overloaded — it will be tried again at \
             the next check"
        );
        assert!(e.is_transient());
    }

    #[test]
    fn refusal_message_gives_the_reason_first() {
        let e = FetchError::AddressRefused {
            url: "http://169.254.169.254/latest/meta-data/".into(),
            refusal: Refusal {
                ip: "169.254.169.254".parse().unwrap(),
                class: crate::address::AddressClass::LinkLocal,
                host: None,
            },
        };
        assert_eq!(
            e.to_string(),
            "refused: 169.254.169.254 is a link-local address; \
             http://169.254.169.254/latest/meta-data/ was not fetched — redline fetches only \
             public addresses, unless [crawl] allow_networks opens the network or a listing on \
             that network led here"
        );
        assert!(!e.is_transient());
        assert!(!e.is_retried());
        assert!(e.refusal().is_some());
    }

    #[test]
    fn size_message_names_the_limit() {
        let e = FetchError::BodyTooLarge {
            url: "https://example.com/big".into(),
            limit: 10 * 1024 * 1024,
            declared: None,
        };
        assert!(e.to_string().contains("larger than 10 MiB limit"), "{e}");
        assert!(!e.is_transient());
    }
}
