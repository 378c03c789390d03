//! The web interface: server-rendered pages, Atom/RSS feeds and the JSON
//! API over a [`Store`].
//!
//! For now: a status page and `/healthz`; the reader-facing pages come next.

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use redline_store::Store;

/// Everything a request handler needs.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
}

/// The application's routes.
pub fn router(store: Arc<dyn Store>) -> Router {
    Router::new()
        .route("/", get(home))
        .route("/healthz", get(healthz))
        .with_state(AppState { store })
}

/// Serves `router` on `listener` until `shutdown` resolves.
pub async fn serve(
    listener: tokio::net::TcpListener,
    store: Arc<dyn Store>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(store))
        .with_graceful_shutdown(shutdown)
        .await
}

async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    let store = state.store.clone();
    match tokio::task::spawn_blocking(move || store.ping()).await {
        Ok(Ok(())) => (StatusCode::OK, "ok\n"),
        _ => (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n"),
    }
}

async fn home(State(state): State<AppState>) -> impl IntoResponse {
    let store = state.store.clone();
    let sources = tokio::task::spawn_blocking(move || store.sources()).await;
    let Ok(Ok(sources)) = sources else {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            Html("database unavailable".to_string()),
        );
    };
    let articles: u64 = sources.iter().map(|s| s.articles).sum();
    let versions: u64 = sources.iter().map(|s| s.versions).sum();
    let page = format!(
        "<!doctype html><meta charset=utf-8><title>redline</title>\
         <h1>redline</h1><p>Monitoring {articles} articles with {versions} versions from {} sources.</p>",
        sources.len()
    );
    (StatusCode::OK, Html(page))
}
