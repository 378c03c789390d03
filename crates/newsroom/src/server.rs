//! HTTP serving: one listener per outlet, a hand-rolled accept loop over
//! hyper (so a handler can ask for its connection to be reset), request
//! counting, and the routes for articles, pages and discovery documents.

use std::convert::Infallible;
use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use bytes::Bytes;
use chrono::{DateTime, Utc};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinSet;
use tower_service::Service;

use crate::config::{NewsroomConfig, Robots};
use crate::feeds::{self, FeedKind};
use crate::prose::SECTIONS;
use crate::render::{CompiledPage, NoiseCtx, gzip_all, pages};
use crate::rng::{Rng, fnv1a};
use crate::state::{ArticleAnswer, CachedDoc, Shared};

/// Router state: the room and which outlet this listener is.
#[derive(Clone)]
pub(crate) struct Ctx {
    pub shared: Arc<Shared>,
    pub outlet: usize,
}

/// Per-connection control, available to handlers as a request extension.
#[derive(Clone, Default)]
pub(crate) struct ConnCtl(Arc<AtomicBool>);

impl ConnCtl {
    /// Close this connection with a TCP RST (SO_LINGER 0) instead of a FIN.
    pub(crate) fn reset_on_close(&self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// The TCP stream, which resets instead of closing when asked to.
struct ConnIo {
    stream: TcpStream,
    ctl: ConnCtl,
}

impl Drop for ConnIo {
    fn drop(&mut self) {
        if self.ctl.0.load(Ordering::Relaxed) {
            let _ = self.stream.set_zero_linger();
        }
    }
}

impl AsyncRead for ConnIo {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for ConnIo {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }
    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }
    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

/// Binds one listener per outlet (see `NewsroomConfig::listen`).
pub(crate) async fn bind(config: &NewsroomConfig) -> io::Result<Vec<TcpListener>> {
    let mut out = Vec::with_capacity(config.outlets);
    for i in 0..config.outlets.max(1) {
        let addr = match config.listen {
            Some(SocketAddr::V4(a)) => SocketAddr::new(
                IpAddr::V4(Ipv4Addr::from(u32::from(*a.ip()).wrapping_add(i as u32))),
                a.port(),
            ),
            Some(a) if i == 0 => a,
            Some(a) => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("several outlets need an IPv4 listen address, not {a}"),
                ));
            }
            None => SocketAddr::new(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 1 + i as u8)), 0),
        };
        out.push(TcpListener::bind(addr).await?);
    }
    Ok(out)
}

/// Runs outlet `outlet`'s accept loop until `shutdown` changes (or its sender drops).
pub(crate) async fn serve(
    shared: Arc<Shared>,
    outlet: usize,
    listener: TcpListener,
    mut shutdown: watch::Receiver<bool>,
) {
    let router = router(Ctx {
        shared: shared.clone(),
        outlet,
    });
    let mut conns = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let stream = match accepted {
                    Ok((s, _)) => s,
                    Err(_) => {
                        // Out of file descriptors and the like: back off briefly.
                        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
                        continue;
                    }
                };
                shared.stats.outlets[outlet].connections.fetch_add(1, Ordering::Relaxed);
                conns.spawn(connection(stream, shared.clone(), outlet, router.clone(), shutdown.clone()));
                while conns.try_join_next().is_some() {}
            }
            _ = shutdown.changed() => break,
        }
    }
    drop(listener);
    conns.shutdown().await;
}

/// Marks a counted request finished, even if its handler is dropped (hang).
struct Finish {
    shared: Arc<Shared>,
    outlet: usize,
    log: Option<usize>,
    status: u16,
}

impl Drop for Finish {
    fn drop(&mut self) {
        self.shared
            .finish_request(self.outlet, self.log, self.status);
    }
}

async fn connection(
    stream: TcpStream,
    shared: Arc<Shared>,
    outlet: usize,
    router: Router,
    mut shutdown: watch::Receiver<bool>,
) {
    if *shutdown.borrow() {
        return;
    }
    let _ = stream.set_nodelay(true);
    let ctl = ConnCtl::default();
    let io = TokioIo::new(ConnIo {
        stream,
        ctl: ctl.clone(),
    });
    let svc = service_fn(move |mut req: hyper::Request<Incoming>| {
        req.extensions_mut().insert(ctl.clone());
        let shared = shared.clone();
        let mut router = router.clone();
        async move {
            let pq = req
                .uri()
                .path_and_query()
                .map_or("/", |p| p.as_str())
                .to_string();
            let log = shared.count_request(outlet, req.method().as_str(), &pq);
            let mut finish = Finish {
                shared,
                outlet,
                log,
                status: 0,
            };
            let resp = match router.call(req).await {
                Ok(r) => r,
                Err(never) => match never {},
            };
            finish.status = resp.status().as_u16();
            Ok::<_, Infallible>(resp)
        }
    });
    let conn = http1::Builder::new()
        .keep_alive(true)
        .serve_connection(io, svc);
    tokio::select! {
        _ = conn => {}
        _ = shutdown.changed() => {}
    }
}

fn router(cx: Ctx) -> Router {
    Router::new()
        .route("/", get(front))
        .route("/news/{section}/", get(section))
        .route("/news/{section}", get(section_redirect))
        .route("/news/{section}/{file}", get(article))
        .route(
            "/feed.xml",
            get(|s: State<Ctx>, h: HeaderMap| feed(s, FeedKind::Rss, h)),
        )
        .route(
            "/rss",
            get(|s: State<Ctx>, h: HeaderMap| feed(s, FeedKind::Rss, h)),
        )
        .route(
            "/atom.xml",
            get(|s: State<Ctx>, h: HeaderMap| feed(s, FeedKind::Atom, h)),
        )
        .route(
            "/feed.json",
            get(|s: State<Ctx>, h: HeaderMap| feed(s, FeedKind::Json, h)),
        )
        .route(
            "/sitemap-news.xml",
            get(|s: State<Ctx>, h: HeaderMap| feed(s, FeedKind::NewsSitemap, h)),
        )
        .route(
            "/sitemap.xml",
            get(|s: State<Ctx>, h: HeaderMap| feed(s, FeedKind::SitemapIndex, h)),
        )
        .route("/robots.txt", get(robots))
        .merge(crate::faults::routes())
        .merge(crate::control::routes())
        .fallback(fallback)
        .with_state(cx)
}

/// A `text/html; charset=utf-8` response (never compressed).
pub(crate) fn html_page(status: StatusCode, body: String) -> Response {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
        .body(Body::from(body))
        .expect("response")
}

/// Whether the request's `Accept-Encoding` allows gzip.
pub(crate) fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| {
            v.split(',').any(|item| {
                let mut parts = item.split(';');
                let coding = parts.next().unwrap_or("").trim();
                let zero_q = parts.any(|p| {
                    let p = p.trim();
                    p.strip_prefix("q=")
                        .is_some_and(|q| q.trim().parse::<f32>().is_ok_and(|q| q == 0.0))
                });
                (coding.eq_ignore_ascii_case("gzip")
                    || coding.eq_ignore_ascii_case("x-gzip")
                    || coding == "*")
                    && !zero_q
            })
        })
}

fn http_date(t: DateTime<Utc>) -> String {
    t.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

fn etag_matches(header_value: &str, etag: &str) -> bool {
    let ours = etag.trim_start_matches("W/");
    header_value
        .split(',')
        .map(str::trim)
        .any(|t| t == "*" || t.trim_start_matches("W/") == ours)
}

/// RFC 9110 conditional GET: `If-None-Match` wins over `If-Modified-Since`.
fn not_modified(headers: &HeaderMap, etag: &str, last_modified: DateTime<Utc>) -> bool {
    if let Some(inm) = headers.get(header::IF_NONE_MATCH) {
        return inm.to_str().is_ok_and(|v| etag_matches(v, etag));
    }
    headers
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| DateTime::parse_from_rfc2822(v).ok())
        .is_some_and(|ims| last_modified.timestamp() <= ims.timestamp())
}

/// An HTML response, gzipped if the client accepts it.
fn html_maybe_gzip(status: StatusCode, headers: &HeaderMap, body: String) -> Response {
    let mut b = Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
        .header(header::VARY, "Accept-Encoding")
        .header(header::CACHE_CONTROL, "public, max-age=30");
    let body = if accepts_gzip(headers) {
        b = b.header(header::CONTENT_ENCODING, "gzip");
        gzip_all(body.as_bytes())
    } else {
        Bytes::from(body)
    };
    b.body(Body::from(body)).expect("response")
}

fn error_page(cx: &Ctx, headers: &HeaderMap, status: u16) -> Response {
    let listing = {
        let mut st = cx.shared.lock();
        cx.shared.listing(&mut st, cx.outlet)
    };
    let body = pages::error(&cx.shared.outlets[cx.outlet], &listing, status);
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut r = html_maybe_gzip(status, headers, body);
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    r
}

fn moved_permanently(to: &str) -> Response {
    Response::builder()
        .status(StatusCode::MOVED_PERMANENTLY)
        .header(header::LOCATION, to)
        .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
        .body(Body::from(format!(
            "<!DOCTYPE html><html><body><p>Moved to <a href=\"{to}\">{to}</a></p></body></html>"
        )))
        .expect("response")
}

async fn front(State(cx): State<Ctx>, headers: HeaderMap) -> Response {
    let listing = {
        let mut st = cx.shared.lock();
        cx.shared.listing(&mut st, cx.outlet)
    };
    let body = pages::front(
        &cx.shared.outlets[cx.outlet],
        &listing,
        cx.shared.config.front_page_limit,
    );
    html_maybe_gzip(StatusCode::OK, &headers, body)
}

#[derive(serde::Deserialize)]
struct PageQ {
    page: Option<usize>,
}

async fn section(
    State(cx): State<Ctx>,
    Path(slug): Path<String>,
    Query(q): Query<PageQ>,
    headers: HeaderMap,
) -> Response {
    let Some(index) = SECTIONS.iter().position(|s| s.slug == slug) else {
        return error_page(&cx, &headers, 404);
    };
    let listing = {
        let mut st = cx.shared.lock();
        cx.shared.listing(&mut st, cx.outlet)
    };
    let page = q.page.unwrap_or(1).max(1);
    let body = pages::section(
        &cx.shared.outlets[cx.outlet],
        &listing,
        index,
        page,
        cx.shared.config.section_page_size.max(1),
    );
    html_maybe_gzip(StatusCode::OK, &headers, body)
}

async fn section_redirect(
    State(cx): State<Ctx>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Response {
    if SECTIONS.iter().any(|s| s.slug == slug) {
        moved_permanently(&format!(
            "{}/news/{slug}/",
            cx.shared.outlets[cx.outlet].base
        ))
    } else {
        error_page(&cx, &headers, 404)
    }
}

/// The id of `slug-123.html`.
fn article_id(file: &str) -> Option<u64> {
    let stem = file.strip_suffix(".html")?;
    let (_, id) = stem.rsplit_once('-')?;
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    id.parse().ok()
}

async fn article(
    State(cx): State<Ctx>,
    Path((section, file)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let path = format!("/news/{section}/{file}");
    let Some(id) = article_id(&file) else {
        return error_page(&cx, &headers, 404);
    };
    let latency = cx.shared.config.latency;
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    match cx.shared.article_answer(cx.outlet, id, &path) {
        ArticleAnswer::Redirect(to) => moved_permanently(&to),
        ArticleAnswer::Status(code) => error_page(&cx, &headers, code),
        ArticleAnswer::Page {
            page,
            listing,
            section,
        } => {
            let mut ncx = NoiseCtx {
                rng: Rng::for_request(),
                now: Utc::now(),
                listing: &listing,
                id,
                section: Some(section),
                modified: page.last_modified,
            };
            article_response(&page, &headers, &mut ncx)
        }
    }
}

fn article_response(page: &CompiledPage, headers: &HeaderMap, ncx: &mut NoiseCtx<'_>) -> Response {
    let mut b = Response::builder()
        .header(header::ETAG, &page.etag)
        .header(header::LAST_MODIFIED, http_date(page.last_modified))
        .header(header::CACHE_CONTROL, "public, max-age=60")
        .header(header::VARY, "Accept-Encoding")
        .header("x-request-id", ncx.rng.hex(16));
    if not_modified(headers, &page.etag, page.last_modified) {
        return b
            .status(StatusCode::NOT_MODIFIED)
            .body(Body::empty())
            .expect("response");
    }
    b = b
        .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
        .header("x-cache", if ncx.rng.percent(70) { "HIT" } else { "MISS" });
    if ncx.rng.percent(30) {
        b = b.header(
            header::SET_COOKIE,
            format!(
                "nr_session={}; Path=/; HttpOnly; SameSite=Lax",
                ncx.rng.hex(24)
            ),
        );
    }
    let gzip = accepts_gzip(headers);
    if gzip {
        b = b.header(header::CONTENT_ENCODING, "gzip");
    }
    b.body(Body::from(page.assemble(ncx, gzip)))
        .expect("response")
}

async fn feed(State(cx): State<Ctx>, kind: FeedKind, headers: HeaderMap) -> Response {
    let doc = {
        let key = (cx.outlet, kind.key());
        let cached = cx.shared.lock().feed_cache.get(&key).cloned();
        match cached {
            Some(d) => d,
            None => {
                let listing = {
                    let mut st = cx.shared.lock();
                    cx.shared.listing(&mut st, cx.outlet)
                };
                let text = feeds::render(
                    kind,
                    &cx.shared.outlets[cx.outlet],
                    &listing,
                    cx.shared.config.feed_limit,
                );
                let doc = Arc::new(CachedDoc {
                    gz: gzip_all(text.as_bytes()),
                    etag: format!("\"{:016x}\"", fnv1a(text.as_bytes())),
                    body: Bytes::from(text),
                });
                let mut st = cx.shared.lock();
                // Only cache it if nothing changed while rendering.
                if Arc::ptr_eq(&cx.shared.listing(&mut st, cx.outlet), &listing) {
                    st.feed_cache.insert(key, doc.clone());
                }
                doc
            }
        }
    };
    let b = Response::builder()
        .header(header::ETAG, &doc.etag)
        .header(header::CACHE_CONTROL, "public, max-age=60")
        .header(header::VARY, "Accept-Encoding");
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| etag_matches(v, &doc.etag))
    {
        return b
            .status(StatusCode::NOT_MODIFIED)
            .body(Body::empty())
            .expect("response");
    }
    let b = b.header(header::CONTENT_TYPE, kind.content_type());
    if accepts_gzip(&headers) {
        b.header(header::CONTENT_ENCODING, "gzip")
            .body(Body::from(doc.gz.clone()))
            .expect("response")
    } else {
        b.body(Body::from(doc.body.clone())).expect("response")
    }
}

async fn robots(State(cx): State<Ctx>) -> Response {
    let robots = cx.shared.lock().robots[cx.outlet].clone();
    let text =
        |body: Bytes| ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body).into_response();
    match robots {
        Robots::Default => {
            let base = &cx.shared.outlets[cx.outlet].base;
            text(Bytes::from(format!(
                "{}\nSitemap: {base}/sitemap.xml\nSitemap: {base}/sitemap-news.xml\n",
                crate::config::DEFAULT_ROBOTS_TXT
            )))
        }
        Robots::Text(t) => text(Bytes::from(t)),
        Robots::Oversized => text(crate::faults::oversized_robots()),
        Robots::Missing => (StatusCode::NOT_FOUND, "Not found").into_response(),
        Robots::Unavailable => {
            (StatusCode::SERVICE_UNAVAILABLE, "Service unavailable").into_response()
        }
    }
}

const GIF: &[u8] = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff\x21\xf9\x04\x01\x00\x00\x00\x00\x2c\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02\x44\x01\x00\x3b";

/// Non-article pages, assets, and 404 for everything else.
async fn fallback(State(cx): State<Ctx>, headers: HeaderMap, req: Request) -> Response {
    let path = req.uri().path().to_string();
    const PAGES: &[&str] = &[
        "/about",
        "/contact",
        "/privacy",
        "/newsletters",
        "/live",
        "/video",
        "/author/",
        "/tag/",
        "/podcasts/",
        "/search",
        "/share",
        "/private/",
    ];
    if path.starts_with("/static/") || path.starts_with("/_next/") {
        let ct = if path.ends_with(".css") {
            "text/css"
        } else if path.ends_with(".js") {
            "application/javascript"
        } else {
            "image/png"
        };
        return (
            [
                (header::CONTENT_TYPE, ct),
                (header::CACHE_CONTROL, "public, max-age=86400"),
            ],
            "/* static */",
        )
            .into_response();
    }
    if path.starts_with("/img/") {
        return (
            [
                (header::CONTENT_TYPE, "image/gif"),
                (header::CACHE_CONTROL, "public, max-age=86400"),
            ],
            GIF,
        )
            .into_response();
    }
    if PAGES.iter().any(|p| {
        path == p.trim_end_matches('/') || path.starts_with(p) || path.starts_with(&format!("{p}/"))
    }) {
        let listing = {
            let mut st = cx.shared.lock();
            cx.shared.listing(&mut st, cx.outlet)
        };
        let body = pages::misc(&cx.shared.outlets[cx.outlet], &listing, &path);
        return html_maybe_gzip(StatusCode::OK, &headers, body);
    }
    error_page(&cx, &headers, 404)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_article_ids_and_conditionals() {
        assert_eq!(article_id("council-approves-plan-42.html"), Some(42));
        assert_eq!(article_id("council-approves-plan.html"), None);
        assert_eq!(article_id("x-42"), None);
        assert!(etag_matches("W/\"abc\", \"def\"", "W/\"def\""));
        assert!(etag_matches("*", "W/\"x\""));
        assert!(!etag_matches("\"abc\"", "W/\"abd\""));
        let mut h = HeaderMap::new();
        h.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_static("br;q=1.0, gzip;q=0.8"),
        );
        assert!(accepts_gzip(&h));
        h.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_static("gzip;q=0, identity"),
        );
        assert!(!accepts_gzip(&h));
    }
}
