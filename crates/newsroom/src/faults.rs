//! Hostile endpoints for reliability tests, served by every outlet under
//! `/faults/`. Each is bounded only where said; streamed bodies are never held
//! in memory. `GET /faults/` lists them.
//!
//! | path | behaviour |
//! | --- | --- |
//! | `/faults/hang` | accepts the request and never answers |
//! | `/faults/stall?bytes=512` | headers (`Content-Length: 4096`) and `bytes` bytes, then silence forever |
//! | `/faults/trickle?len=3600&interval_ms=1000` | `Content-Length: len`, one byte now and one per interval |
//! | `/faults/endless` | chunked HTML that never ends (64 KiB chunks) |
//! | `/faults/oversized?mb=11&declared=true` | an `mb` MiB HTML page; `declared=false`: chunked, no length |
//! | `/faults/gzip-bomb?mb=1024` | `Content-Encoding: gzip` (always), ~1 KiB per MiB of zeros it inflates to |
//! | `/faults/redirect-loop/a` | 302 to `/faults/redirect-loop/b`, which 302s back to `a` |
//! | `/faults/redirect-chain/{n}?status=302&to=/path` | `n` → `n-1` → … → `0`, which is a 200 page (or redirects to `to`) |
//! | `/faults/deep-nesting?depth=200000` | `depth` nested `<div>`s around one paragraph |
//! | `/faults/invalid-utf8` | declared UTF-8, contains invalid byte sequences |
//! | `/faults/windows-1252` | [`WINDOWS_1252_TEXT`] in windows-1252, declared only by `<meta charset>` |
//! | `/faults/wrong-charset` | header says UTF-8, body is [`LATIN1_TEXT`] in latin-1 |
//! | `/faults/binary?kind=random` | 64 KiB of random bytes (`kind=png`: a PNG) as `text/html` |
//! | `/faults/huge-feed.xml?entries=1000000` | an RSS feed of `entries` items, streamed |
//! | `/faults/entity-bomb.xml` | an RSS feed with a "billion laughs" entity declaration |
//! | `/faults/truncated-feed.xml` | an RSS feed cut off mid-item |
//! | `/faults/garbage-feed.xml` | random bytes served as `application/rss+xml` |
//! | `/faults/reset?len=100000` | `Content-Length: len`, half the body, then a TCP reset |
//! | `/faults/flaky/{key}?failures=2` | 503 (`Retry-After: 1`) for the first `failures` requests of `key`, then 200 |
//! | `/faults/rate-limited/{key}?failures=1&retry_after=1` | 429 with `Retry-After`, `failures` times per `key`, then 200 |
//! | `/faults/status/{code}` | that status with a small HTML page (404, 410, 500, ...) |
//! | `/faults/slow?delay_ms=N` | 200 after `N` ms (default `NewsroomConfig::slow_delay`) |
//! | `/faults/robots-oversized.txt` | the 10 MB robots.txt of `Robots::Oversized` |

use std::collections::HashMap;
use std::convert::Infallible;
use std::fmt::Write;
use std::sync::OnceLock;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use bytes::{BufMut, Bytes, BytesMut};
use futures_util::stream;

use crate::render::{FINAL_BLOCK, GZIP_HEADER, deflate_sync};
use crate::rng::Rng;
use crate::server::{ConnCtl, Ctx, html_page};

/// The text of `/faults/windows-1252` (what a correct decoder yields for its paragraph).
pub const WINDOWS_1252_TEXT: &str =
    "“Smart quotes” — the café’s naïve crème brûlée costs €5 ½ price… «très bien»";
/// The text of `/faults/wrong-charset` (what decoding it as latin-1 yields for its paragraph).
pub const LATIN1_TEXT: &str = "Crème brûlée à la carte: the façade of the café in Zürich, señor.";
/// Default size of `/faults/oversized` in bytes (11 MiB).
pub const OVERSIZED_DEFAULT_BYTES: u64 = 11 * 1024 * 1024;
/// Default inflated size of `/faults/gzip-bomb` in bytes (1 GiB).
pub const GZIP_BOMB_DEFAULT_BYTES: u64 = 1024 * 1024 * 1024;
/// Size of the robots.txt of `Robots::Oversized` (at least this many bytes).
pub const OVERSIZED_ROBOTS_BYTES: usize = 10 * 1024 * 1024;

type Q = Query<HashMap<String, String>>;

fn q<T: std::str::FromStr>(q: &Q, key: &str, default: T) -> T {
    q.0.get(key).and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn html_head(status: StatusCode) -> axum::http::response::Builder {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
        .header(header::CACHE_CONTROL, "no-store")
}

/// The `/faults/...` routes.
pub(crate) fn routes() -> Router<Ctx> {
    Router::new()
        .route("/faults/", get(index))
        .route("/faults", get(index))
        .route("/faults/hang", get(hang))
        .route("/faults/stall", get(stall))
        .route("/faults/trickle", get(trickle))
        .route("/faults/endless", get(endless))
        .route("/faults/oversized", get(oversized))
        .route("/faults/gzip-bomb", get(gzip_bomb))
        .route("/faults/redirect-loop/{which}", get(redirect_loop))
        .route("/faults/redirect-chain/{n}", get(redirect_chain))
        .route("/faults/deep-nesting", get(deep_nesting))
        .route("/faults/invalid-utf8", get(invalid_utf8))
        .route("/faults/windows-1252", get(windows_1252))
        .route("/faults/wrong-charset", get(wrong_charset))
        .route("/faults/binary", get(binary))
        .route("/faults/huge-feed.xml", get(huge_feed))
        .route("/faults/entity-bomb.xml", get(entity_bomb))
        .route("/faults/truncated-feed.xml", get(truncated_feed))
        .route("/faults/garbage-feed.xml", get(garbage_feed))
        .route("/faults/reset", get(reset))
        .route("/faults/flaky/{key}", get(flaky))
        .route("/faults/rate-limited/{key}", get(rate_limited))
        .route("/faults/status/{code}", get(status))
        .route("/faults/slow", get(slow))
        .route("/faults/robots-oversized.txt", get(robots_oversized))
}

async fn index() -> Response {
    let mut body = String::from(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Faults</title></head><body><h1>Fault endpoints</h1><ul>",
    );
    for p in [
        "hang",
        "stall",
        "trickle",
        "endless",
        "oversized",
        "oversized?declared=false",
        "gzip-bomb",
        "redirect-loop/a",
        "redirect-chain/50",
        "deep-nesting",
        "invalid-utf8",
        "windows-1252",
        "wrong-charset",
        "binary",
        "binary?kind=png",
        "huge-feed.xml",
        "entity-bomb.xml",
        "truncated-feed.xml",
        "garbage-feed.xml",
        "reset",
        "flaky/demo",
        "rate-limited/demo",
        "status/404",
        "status/410",
        "slow",
        "robots-oversized.txt",
    ] {
        let _ = write!(body, "<li><a href=\"/faults/{p}\">/faults/{p}</a></li>");
    }
    body.push_str("</ul></body></html>");
    html_head(StatusCode::OK)
        .body(Body::from(body))
        .expect("response")
}

async fn hang() -> Response {
    std::future::pending::<()>().await;
    unreachable!()
}

const FILLER: &str = "<p>Lorem newsroom filler: the council met again on Tuesday to discuss the bus timetable, the library roof and the long-delayed bypass. </p>\n";

/// `len` bytes of an HTML page (document start followed by filler paragraphs).
fn page_bytes(len: usize) -> Bytes {
    let mut s = String::with_capacity(len + FILLER.len());
    s.push_str(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Filler</title></head><body>\n",
    );
    while s.len() < len {
        s.push_str(FILLER);
    }
    s.truncate(len);
    Bytes::from(s)
}

fn filler_chunk() -> Bytes {
    static CHUNK: OnceLock<Bytes> = OnceLock::new();
    CHUNK
        .get_or_init(|| Bytes::from(FILLER.repeat(65_536 / FILLER.len())))
        .clone()
}

async fn stall(query: Q) -> Response {
    let n = q(&query, "bytes", 512usize).min(4095);
    let first = page_bytes(n);
    let body = stream::once(async move { Ok::<_, Infallible>(first) }).chain(stream::once(async {
        std::future::pending::<()>().await;
        Ok::<_, Infallible>(Bytes::new())
    }));
    html_head(StatusCode::OK)
        .header(header::CONTENT_LENGTH, 4096)
        .body(Body::from_stream(body))
        .expect("response")
}

use futures_util::StreamExt;

async fn trickle(query: Q) -> Response {
    let len = q(&query, "len", 3600u64);
    let interval = Duration::from_millis(q(&query, "interval_ms", 1000u64).max(1));
    let text = page_bytes(4096);
    let body = stream::unfold(0u64, move |i| {
        let text = text.clone();
        async move {
            if i >= len {
                return None;
            }
            if i > 0 {
                tokio::time::sleep(interval).await;
            }
            let at = (i as usize) % text.len();
            Some((Ok::<_, Infallible>(text.slice(at..at + 1)), i + 1))
        }
    });
    html_head(StatusCode::OK)
        .header(header::CONTENT_LENGTH, len)
        .body(Body::from_stream(body))
        .expect("response")
}

async fn endless() -> Response {
    let head = Bytes::from_static(
        b"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Endless</title></head><body>\n",
    );
    let chunk = filler_chunk();
    let body = stream::iter(
        std::iter::once(head)
            .chain(std::iter::repeat(chunk))
            .map(Ok::<_, Infallible>),
    );
    html_head(StatusCode::OK)
        .body(Body::from_stream(body))
        .expect("response")
}

/// A stream of exactly `total` bytes of HTML.
fn sized_stream(
    total: u64,
) -> impl futures_util::Stream<Item = Result<Bytes, Infallible>> + Send + 'static {
    let head = Bytes::from_static(b"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Oversized</title></head><body>\n");
    let chunk = filler_chunk();
    stream::unfold(0u64, move |sent| {
        let (head, chunk) = (head.clone(), chunk.clone());
        async move {
            if sent >= total {
                return None;
            }
            let next = if sent == 0 { head } else { chunk };
            let take = (total - sent).min(next.len() as u64) as usize;
            Some((Ok(next.slice(..take)), sent + take as u64))
        }
    })
}

async fn oversized(query: Q) -> Response {
    let total = q(&query, "mb", 11u64) * 1024 * 1024;
    let declared = q(&query, "declared", true);
    let mut b = html_head(StatusCode::OK);
    if declared {
        b = b.header(header::CONTENT_LENGTH, total);
    }
    b.body(Body::from_stream(sized_stream(total)))
        .expect("response")
}

/// One sync-flushed raw-deflate block of 1 MiB of zeros, and that MiB's CRC state.
fn bomb_block() -> &'static (Bytes, crc32fast::Hasher) {
    static BLOCK: OnceLock<(Bytes, crc32fast::Hasher)> = OnceLock::new();
    BLOCK.get_or_init(|| {
        let zeros = vec![0u8; 1024 * 1024];
        let mut h = crc32fast::Hasher::new();
        h.update(&zeros);
        (Bytes::from(deflate_sync(&zeros, 9)), h)
    })
}

/// The gzip bomb's parts: `(body length, header, block, trailer, blocks)`.
pub(crate) fn bomb_parts(mb: u64) -> (u64, Bytes, Bytes, Bytes, u64) {
    let (block, block_crc) = bomb_block();
    let mut crc = crc32fast::Hasher::new();
    for _ in 0..mb {
        crc.combine(block_crc);
    }
    let mut trailer = BytesMut::with_capacity(10);
    trailer.put_slice(&FINAL_BLOCK);
    trailer.put_u32_le(crc.finalize());
    trailer.put_u32_le((mb * 1024 * 1024) as u32);
    let len = GZIP_HEADER.len() as u64 + mb * block.len() as u64 + trailer.len() as u64;
    (
        len,
        Bytes::from_static(&GZIP_HEADER),
        block.clone(),
        trailer.freeze(),
        mb,
    )
}

async fn gzip_bomb(query: Q) -> Response {
    let mb = q(&query, "mb", 1024u64).max(1);
    let (len, header_bytes, block, trailer, n) = bomb_parts(mb);
    let body = stream::iter(
        std::iter::once(header_bytes)
            .chain((0..n).map(move |_| block.clone()))
            .chain(std::iter::once(trailer))
            .map(Ok::<_, Infallible>),
    );
    html_head(StatusCode::OK)
        .header(header::CONTENT_ENCODING, "gzip")
        .header(header::CONTENT_LENGTH, len)
        .body(Body::from_stream(body))
        .expect("response")
}

fn redirect(status: StatusCode, to: &str) -> Response {
    Response::builder()
        .status(status)
        .header(header::LOCATION, to)
        .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
        .body(Body::from(format!("<a href=\"{to}\">Moved</a>")))
        .expect("response")
}

async fn redirect_loop(Path(which): Path<String>) -> Response {
    let to = if which == "a" {
        "/faults/redirect-loop/b"
    } else {
        "/faults/redirect-loop/a"
    };
    redirect(StatusCode::FOUND, to)
}

async fn redirect_chain(Path(n): Path<u32>, query: Q) -> Response {
    let status = StatusCode::from_u16(q(&query, "status", 302u16))
        .ok()
        .filter(|s| s.is_redirection())
        .unwrap_or(StatusCode::FOUND);
    let suffix = match query.0.get("to") {
        Some(to) => format!("?status={}&to={}", status.as_u16(), to),
        None if status != StatusCode::FOUND => format!("?status={}", status.as_u16()),
        None => String::new(),
    };
    if n == 0 {
        return match query.0.get("to") {
            Some(to) => redirect(status, to),
            None => html_page(StatusCode::OK, "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>End of the chain</title></head><body><p>You made it to the end of the redirect chain.</p></body></html>".into()),
        };
    }
    redirect(status, &format!("/faults/redirect-chain/{}{suffix}", n - 1))
}

async fn deep_nesting(query: Q) -> Response {
    let depth = q(&query, "depth", 200_000usize).min(5_000_000);
    static DEFAULT: OnceLock<Bytes> = OnceLock::new();
    let build = |depth: usize| {
        let mut s = String::with_capacity(depth * 11 + 256);
        s.push_str(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Deep</title></head><body>\n",
        );
        for _ in 0..depth {
            s.push_str("<div>");
        }
        s.push_str("<p>The bottom of a very deep document.</p>");
        for _ in 0..depth {
            s.push_str("</div>");
        }
        s.push_str("\n</body></html>\n");
        Bytes::from(s)
    };
    let body = if depth == 200_000 {
        DEFAULT.get_or_init(|| build(200_000)).clone()
    } else {
        build(depth)
    };
    html_head(StatusCode::OK)
        .body(Body::from(body))
        .expect("response")
}

async fn invalid_utf8() -> Response {
    let mut b = Vec::new();
    b.extend_from_slice(b"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Broken bytes</title></head><body><article><h1>Invalid UTF-8 ahead</h1><p>Caf\xe9 au lait costs \xff\xfe three euros \xc3\x28 today, says the \xed\xa0\x80 council.</p><p>The rest of this paragraph is valid UTF-8: na\xc3\xafve.</p></article></body></html>\n");
    html_head(StatusCode::OK)
        .body(Body::from(b))
        .expect("response")
}

fn encoded_page(meta: &str, title: &str, text: &str) -> Vec<u8> {
    let html = format!(
        "<!DOCTYPE html><html><head>{meta}<title>{title}</title></head><body><article><h1>{title}</h1><p>{text}</p></article></body></html>\n"
    );
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&html);
    debug_assert!(!unmappable);
    bytes.into_owned()
}

async fn windows_1252() -> Response {
    let body = encoded_page(
        "<meta charset=\"windows-1252\">",
        "Legacy encoding",
        WINDOWS_1252_TEXT,
    );
    Response::builder()
        .header(header::CONTENT_TYPE, "text/html")
        .body(Body::from(body))
        .expect("response")
}

async fn wrong_charset() -> Response {
    let body = encoded_page("", "Mislabelled encoding", LATIN1_TEXT);
    html_head(StatusCode::OK)
        .body(Body::from(body))
        .expect("response")
}

async fn binary(query: Q) -> Response {
    let mut rng = Rng::new(0xB1_4A_27);
    let mut bytes = vec![0u8; 64 * 1024];
    rng.fill(&mut bytes);
    if query.0.get("kind").map(String::as_str) == Some("png") {
        const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06\x00\x00\x00";
        bytes[..PNG.len()].copy_from_slice(PNG);
    }
    html_head(StatusCode::OK)
        .body(Body::from(bytes))
        .expect("response")
}

fn xml(body: impl Into<Body>) -> Response {
    Response::builder()
        .header(header::CONTENT_TYPE, "application/rss+xml; charset=utf-8")
        .body(body.into())
        .expect("response")
}

async fn huge_feed(State(cx): State<Ctx>, query: Q) -> Response {
    let entries = q(&query, "entries", 1_000_000u64);
    let base = cx.shared.outlets[cx.outlet].base.clone();
    let head = Bytes::from(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\">\n<channel>\n<title>Everything, ever</title>\n<link>{base}/</link>\n<description>A feed with {entries} items</description>\n"
    ));
    const BATCH: u64 = 1000;
    let items = stream::unfold(0u64, move |start| {
        let base = base.clone();
        async move {
            if start >= entries {
                return None;
            }
            let end = (start + BATCH).min(entries);
            let mut s = String::with_capacity(((end - start) * 260) as usize);
            for n in start..end {
                let _ = writeln!(
                    s,
                    "<item><title>Bulk story number {n}</title><link>{base}/faults/bulk/story-{n}.html</link><guid isPermaLink=\"false\">bulk-{n}</guid><pubDate>Mon, 05 Jan 2026 08:00:00 +0000</pubDate><description>Item {n} of a feed that goes on and on.</description></item>"
                );
            }
            Some((Ok::<_, Infallible>(Bytes::from(s)), end))
        }
    });
    let tail = Bytes::from_static(b"</channel>\n</rss>\n");
    let body = stream::once(async move { Ok::<_, Infallible>(head) })
        .chain(items)
        .chain(stream::once(async move { Ok::<_, Infallible>(tail) }));
    xml(Body::from_stream(body))
}

async fn entity_bomb(State(cx): State<Ctx>) -> Response {
    let base = &cx.shared.outlets[cx.outlet].base;
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE rss [\n<!ENTITY lol \"lol\">\n",
    );
    for i in 1..=9 {
        let prev = if i == 1 {
            "lol".to_string()
        } else {
            format!("lol{}", i - 1)
        };
        let _ = writeln!(s, "<!ENTITY lol{i} \"{}\">", format!("&{prev};").repeat(10));
    }
    let _ = write!(
        s,
        "]>\n<rss version=\"2.0\">\n<channel>\n<title>&lol9;</title>\n<link>{base}/</link>\n<description>&lol9;</description>\n<item><title>&lol9;</title><link>{base}/faults/bulk/laughs.html</link><description>&lol9;</description></item>\n</channel>\n</rss>\n"
    );
    xml(s)
}

async fn truncated_feed(State(cx): State<Ctx>) -> Response {
    let base = &cx.shared.outlets[cx.outlet].base;
    xml(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\">\n<channel>\n<title>Cut short</title>\n<link>{base}/</link>\n<description>This feed stops mid-item</description>\n<item><title>Complete item</title><link>{base}/faults/bulk/complete.html</link></item>\n<item><title>Council appro"
    ))
}

async fn garbage_feed() -> Response {
    let mut rng = Rng::new(0x6A4B);
    let mut bytes = b"<?xml version=\"1.0\"?><rss><<<&&&]]>".to_vec();
    let mut tail = vec![0u8; 8192];
    rng.fill(&mut tail);
    bytes.extend_from_slice(&tail);
    xml(bytes)
}

async fn reset(axum::Extension(ctl): axum::Extension<ConnCtl>, query: Q) -> Response {
    let len = q(&query, "len", 100_000usize).max(2);
    ctl.reset_on_close();
    let half = page_bytes(len / 2);
    let body =
        stream::once(async move { Ok::<_, std::io::Error>(half) }).chain(stream::once(async {
            // Give the first half time to reach the client before the reset.
            tokio::time::sleep(Duration::from_millis(100)).await;
            Err(std::io::Error::new(
                std::io::ErrorKind::ConnectionReset,
                "fault: reset",
            ))
        }));
    html_head(StatusCode::OK)
        .header(header::CONTENT_LENGTH, len)
        .body(Body::from_stream(body))
        .expect("response")
}

/// Decrements the failure budget of `key`; true while it should still fail.
fn should_fail(cx: &Ctx, key: String, failures: u32) -> bool {
    let mut st = cx.shared.lock();
    let seen = st.flaky.entry(key).or_insert(0);
    *seen += 1;
    *seen <= failures
}

async fn flaky(State(cx): State<Ctx>, Path(key): Path<String>, query: Q) -> Response {
    let failures = q(&query, "failures", 2u32);
    if should_fail(&cx, format!("flaky:{key}"), failures) {
        let mut r = html_page(
            StatusCode::SERVICE_UNAVAILABLE,
            "<!DOCTYPE html><html><body><h1>Service temporarily unavailable</h1></body></html>"
                .into(),
        );
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        return r;
    }
    html_page(
        StatusCode::OK,
        format!(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Recovered</title></head><body><p>{key} works after {failures} failures.</p></body></html>"
        ),
    )
}

async fn rate_limited(State(cx): State<Ctx>, Path(key): Path<String>, query: Q) -> Response {
    let failures = q(&query, "failures", 1u32);
    let retry_after = q(&query, "retry_after", 1u64);
    if should_fail(&cx, format!("429:{key}"), failures) {
        let mut r = html_page(
            StatusCode::TOO_MANY_REQUESTS,
            "<!DOCTYPE html><html><body><h1>Too many requests</h1></body></html>".into(),
        );
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
        return r;
    }
    html_page(
        StatusCode::OK,
        format!(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Welcome back</title></head><body><p>{key}: thanks for waiting.</p></body></html>"
        ),
    )
}

async fn status(Path(code): Path<u16>) -> Response {
    let Some(status) = StatusCode::from_u16(code)
        .ok()
        .filter(|s| !s.is_informational())
    else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    if status == StatusCode::NO_CONTENT || status == StatusCode::NOT_MODIFIED {
        return status.into_response();
    }
    let reason = status.canonical_reason().unwrap_or("Status");
    html_page(
        status,
        format!(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{code} {reason}</title></head><body><h1>{code} {reason}</h1></body></html>"
        ),
    )
}

async fn slow(State(cx): State<Ctx>, query: Q) -> Response {
    let default = cx.shared.config.slow_delay.as_millis() as u64;
    tokio::time::sleep(Duration::from_millis(q(&query, "delay_ms", default))).await;
    html_page(StatusCode::OK, "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Slow but fine</title></head><body><p>Worth the wait.</p></body></html>".into())
}

/// The 10 MB robots.txt: the default rules, then filler `Disallow` lines that
/// stay under `/private/`, so truncating it anywhere keeps its meaning.
pub(crate) fn oversized_robots() -> Bytes {
    static ROBOTS: OnceLock<Bytes> = OnceLock::new();
    ROBOTS
        .get_or_init(|| {
            let mut s = String::with_capacity(OVERSIZED_ROBOTS_BYTES + 64);
            s.push_str(crate::config::DEFAULT_ROBOTS_TXT);
            let mut n = 0u64;
            while s.len() < OVERSIZED_ROBOTS_BYTES {
                let _ = writeln!(s, "Disallow: /private/archive/{n}/");
                n += 1;
            }
            Bytes::from(s)
        })
        .clone()
}

async fn robots_oversized() -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        oversized_robots(),
    )
        .into_response()
}
