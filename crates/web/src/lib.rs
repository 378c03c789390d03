//! The web interface: server-rendered pages, Atom/RSS feeds and the JSON
//! API over a [`Store`].
//!
//! - Pages ([`pages`]): latest changes, sources, an article's history, one
//!   version, the diff of any two versions, search, lookup by URL. HTML
//!   only, no JavaScript; one stylesheet with a content-hashed URL.
//! - Diff cards (`cardview`): a PNG of each diff, for link previews and
//!   social posts, named in the diff page's Open Graph tags.
//! - Feeds ([`feeds`]): every list of changes as Atom and RSS 2.0, each
//!   entry carrying the diff itself.
//! - API ([`api`]): JSON under `/api/v1/`, cursor pagination, an OpenAPI
//!   document; admin endpoints behind a bearer token ([`admin`]).
//! - `/healthz` and `/metrics` (Prometheus text format).
//!
//! Every text from a fetched page is untrusted: maud escapes it in HTML,
//! the XML writer in feeds, serde (plus `<`, `>`, `&` as `\u` escapes) in
//! JSON; a Content-Security-Policy forbids scripts altogether. A hidden
//! article answers 410 on its own routes and is left out of every list.

#![forbid(unsafe_code)]

pub mod admin;
pub mod api;
mod assets;
mod cache;
mod cardview;
mod changeview;
mod diffview;
pub mod error;
mod evidence;
pub mod feeds;
mod limits;
mod metrics;
mod openapi;
pub mod pages;
mod params;
pub mod time;
mod views;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{FromRequestParts, MatchedPath, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use redline_store::{Article, ArticleId, prelude::*};

pub use crate::cache::assessment;
use crate::cache::{AdminGeneration, CardCache, DiffCache, FeedCache, TotalsCache};
pub use crate::cardview::{card_of, card_path};
pub use crate::changeview::change_href;
use crate::error::{AppError, AppResult};
pub use crate::limits::Limits;
pub use crate::metrics::HttpStats;

/// What the web interface is configured with besides the store. Its
/// `Debug` never shows the admin token.
#[derive(Clone, Default)]
pub struct WebConfig {
    /// Unlocks the admin endpoints; without one they answer 404.
    pub admin_token: Option<String>,
    /// Absolute base of the links in feeds (e.g. `https://redline.example.org`);
    /// without it, the request's Host header (sanitised) is used.
    pub base_url: Option<String>,
    /// The crawler's WARC archive directory (`[storage] archive`), from which
    /// the capture pages read each version's response as fetched; without
    /// it they answer 404.
    pub archive_dir: Option<std::path::PathBuf>,
}

impl std::fmt::Debug for WebConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebConfig")
            .field(
                "admin_token",
                &self.admin_token.as_ref().map(|_| "<secret: not shown>"),
            )
            .field("base_url", &self.base_url)
            .field("archive_dir", &self.archive_dir)
            .finish()
    }
}

/// Everything a request handler needs.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub config: Arc<WebConfig>,
    pub(crate) diffs: Arc<DiffCache>,
    pub(crate) cards: Arc<CardCache>,
    pub(crate) totals: Arc<TotalsCache>,
    pub(crate) feeds: Arc<FeedCache>,
    pub(crate) admin_generation: Arc<AdminGeneration>,
    pub(crate) http: Arc<HttpStats>,
}

const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; \
                   base-uri 'none'; frame-ancestors 'none'";

/// The application's routes, with the default [`Limits`].
pub fn router(store: Arc<dyn Store>, config: WebConfig) -> Router {
    router_with(store, config, Limits::default())
}

/// The application's routes, with these limits on what one visitor may
/// cost.
pub fn router_with(store: Arc<dyn Store>, config: WebConfig, limits: Limits) -> Router {
    let config = WebConfig {
        admin_token: config
            .admin_token
            .filter(|t| !t.trim().is_empty())
            .map(|t| t.trim().to_string()),
        base_url: config.base_url.map(|b| b.trim_end_matches('/').to_string()),
        archive_dir: config.archive_dir,
    };
    let state = AppState {
        store,
        config: Arc::new(config),
        diffs: Arc::new(DiffCache::new(2048)),
        cards: Arc::new(CardCache::new(128)),
        totals: Arc::new(TotalsCache::new(Duration::from_secs(10))),
        feeds: Arc::new(FeedCache::new(256, Duration::from_secs(60))),
        admin_generation: Arc::new(AdminGeneration::default()),
        http: Arc::new(HttpStats::default()),
    };
    Router::new()
        .route("/", get(pages::home))
        .route("/top", get(pages::top))
        .route("/site-changes", get(pages::site_changes))
        .route("/sources", get(pages::sources))
        .route("/sources/{name}", get(pages::source))
        .route(
            "/sources/{name}/feed.atom",
            get(feeds::source_feed::<feeds::Atom>),
        )
        .route(
            "/sources/{name}/feed.rss",
            get(feeds::source_feed::<feeds::Rss>),
        )
        .route("/articles", get(pages::articles))
        .route("/articles/{id}", get(pages::article))
        .route("/articles/{id}/versions/{n}", get(pages::version))
        .route("/articles/{id}/versions/{n}/capture", get(evidence::page))
        .route("/articles/{id}/diff", get(pages::diff_form))
        // Also `/articles/{id}/diff/{a}/{b}.png`, the diff card: axum
        // takes one parameter per segment, so `pages::diff` tells the two
        // apart by the `.png` ending of `{b}`.
        .route("/articles/{id}/diff/{a}/{b}", get(pages::diff))
        .route(
            "/articles/{id}/feed.atom",
            get(feeds::article_feed::<feeds::Atom>),
        )
        .route(
            "/articles/{id}/feed.rss",
            get(feeds::article_feed::<feeds::Rss>),
        )
        .route("/search", get(pages::search))
        .route("/search/feed.atom", get(feeds::search_feed::<feeds::Atom>))
        .route("/search/feed.rss", get(feeds::search_feed::<feeds::Rss>))
        .route("/lookup", get(pages::lookup))
        .route(
            "/feeds/changes.atom",
            get(feeds::changes_feed::<feeds::Atom>),
        )
        .route("/feeds/changes.rss", get(feeds::changes_feed::<feeds::Rss>))
        .route("/api/v1/openapi.json", get(api::openapi))
        .route("/api/v1/articles", get(api::articles))
        .route("/api/v1/articles/{id}", get(api::article))
        .route("/api/v1/articles/{id}/versions", get(api::versions))
        .route("/api/v1/articles/{id}/versions/{n}", get(api::version))
        .route(
            "/api/v1/articles/{id}/versions/{n}/capture",
            get(evidence::api),
        )
        .route("/api/v1/articles/{id}/diff/{a}/{b}", get(api::diff))
        .route("/api/v1/changes", get(api::changes))
        .route("/api/v1/sources", get(api::sources))
        .route("/api/v1/sources/{name}", get(api::source))
        .route("/api/v1/lookup", get(api::lookup))
        .route("/api/v1/admin/sources", post(admin::add_source))
        .route("/api/v1/admin/articles/{id}/check", post(admin::check))
        .route("/api/v1/admin/articles/{id}/retire", post(admin::retire))
        .route("/api/v1/admin/articles/{id}/hide", post(admin::hide))
        .route("/api/v1/admin/articles/{id}/unhide", post(admin::unhide))
        .route("/api/{*rest}", get(api::not_found).post(api::not_found))
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics::metrics))
        .route("/static/{file}", get(assets::static_file))
        .route("/favicon.svg", get(assets::favicon))
        .route("/favicon.ico", get(assets::favicon))
        .route("/robots.txt", get(assets::robots))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(
            limits::Guard {
                app: state.clone(),
                limiter: Arc::new(limits::Limiter::new(limits)),
            },
            limits::enforce,
        ))
        .layer(middleware::from_fn_with_state(state.clone(), count_request))
        .layer(middleware::from_fn(security_headers))
        .with_state(state)
}

/// Serves `router` on `listener` until `shutdown` resolves, with the
/// default [`Limits`].
pub async fn serve(
    listener: tokio::net::TcpListener,
    store: Arc<dyn Store>,
    config: WebConfig,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_with(listener, store, config, Limits::default(), shutdown).await
}

/// Serves `router_with(limits)` on `listener` until `shutdown` resolves;
/// each request knows its peer's address, which the per-client limits key on.
pub async fn serve_with(
    listener: tokio::net::TcpListener,
    store: Arc<dyn Store>,
    config: WebConfig,
    limits: Limits,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    if config
        .admin_token
        .as_deref()
        .is_some_and(|t| t.trim().len() < 16)
    {
        tracing::warn!("the admin token is shorter than 16 characters; choose a longer one");
    }
    let app = router_with(store, config, limits);
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}

async fn count_request(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string());
    let response = next.run(request).await;
    state
        .http
        .record(route.as_deref().unwrap_or("unmatched"), response.status());
    response
}

async fn not_found(request: Request) -> Response {
    let e = AppError::NotFound(format!(
        "There is no page at {}.",
        params::clip(request.uri().path())
    ));
    if request.uri().path().starts_with("/api/") {
        e.into_json()
    } else {
        e.into_response()
    }
}

/// 405, as JSON under `/api/` (as every API answer is) and as text
/// elsewhere.
async fn method_not_allowed(uri: axum::http::Uri) -> Response {
    const MESSAGE: &str = "This address does not accept that method.";
    let mut r = if uri.path().starts_with("/api/") {
        let body = error::ErrorBody {
            error: format!("{MESSAGE} See /api/v1/openapi.json."),
            status: StatusCode::METHOD_NOT_ALLOWED.as_u16(),
        };
        let mut r = (StatusCode::METHOD_NOT_ALLOWED, api::json_bytes(&body)).into_response();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        r
    } else {
        (StatusCode::METHOD_NOT_ALLOWED, format!("{MESSAGE}\n")).into_response()
    };
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    let store = state.store.clone();
    match tokio::task::spawn_blocking(move || store.ping()).await {
        Ok(Ok(())) => (StatusCode::OK, "ok\n"),
        _ => (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n"),
    }
}

/// Runs store work on the blocking pool (SQLite calls block).
pub(crate) async fn blocking<T, F>(state: &AppState, f: F) -> AppResult<T>
where
    T: Send + 'static,
    F: FnOnce(&dyn Store) -> AppResult<T> + Send + 'static,
{
    let store = state.store.clone();
    tokio::task::spawn_blocking(move || f(store.as_ref()))
        .await
        .map_err(|e| AppError::Internal(format!("a request task failed: {e}")))?
}

/// The article `raw` names, refusing unknown ids (404) and hidden
/// articles (410).
pub(crate) fn visible_article(store: &dyn Store, raw: &str) -> AppResult<Article> {
    let id: ArticleId = params::article_id(raw)?;
    let article = store
        .article(id)?
        .ok_or_else(|| AppError::NotFound(format!("There is no article {id}.")))?;
    if article.hidden {
        return Err(AppError::Gone);
    }
    Ok(article)
}

/// The absolute base of links in feeds and API answers: the configured
/// `base_url`, else the scheme and Host of the request, sanitised.
#[derive(Debug, Clone)]
pub struct BaseUrl(pub String);

impl FromRequestParts<AppState> for BaseUrl {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(base) = &state.config.base_url {
            return Ok(BaseUrl(base.clone()));
        }
        let host = parts
            .headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .filter(|h| {
                !h.is_empty()
                    && h.len() <= 255
                    && h.bytes().all(|b| {
                        b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']')
                    })
            })
            .unwrap_or("localhost");
        let scheme = match parts
            .headers
            .get("x-forwarded-proto")
            .and_then(|h| h.to_str().ok())
        {
            Some("https") => "https",
            _ => "http",
        };
        Ok(BaseUrl(format!("{scheme}://{host}")))
    }
}
