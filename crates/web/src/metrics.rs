//! `/metrics` in the Prometheus text format: articles by status, versions,
//! checks and fetch errors by source, how late the check queue is, and the
//! web interface's own requests by route and status.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;

use crate::error::AppResult;
use crate::{AppState, blocking};

/// Requests answered, by route pattern and status.
#[derive(Default)]
pub struct HttpStats {
    counts: Mutex<BTreeMap<(String, u16), u64>>,
}

impl HttpStats {
    pub fn record(&self, route: &str, status: StatusCode) {
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        *counts
            .entry((route.to_string(), status.as_u16()))
            .or_default() += 1;
    }
}

/// Escapes a label value.
fn label(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

pub async fn metrics(State(state): State<AppState>) -> AppResult<Response> {
    let m = blocking(&state, |store| Ok(store.metrics(Utc::now())?)).await?;
    let mut out = String::with_capacity(4096);
    let family = |out: &mut String, name: &str, kind: &str, help: &str| {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
    };
    family(
        &mut out,
        "redline_articles",
        "gauge",
        "Tracked articles by status.",
    );
    for (status, n) in &m.articles_by_status {
        let _ = writeln!(
            out,
            "redline_articles{{status=\"{}\"}} {n}",
            status.as_str()
        );
    }
    family(
        &mut out,
        "redline_articles_hidden",
        "gauge",
        "Articles hidden by an administrator.",
    );
    let _ = writeln!(out, "redline_articles_hidden {}", m.hidden_articles);
    family(&mut out, "redline_versions", "gauge", "Versions stored.");
    let _ = writeln!(out, "redline_versions {}", m.versions);
    family(
        &mut out,
        "redline_source_articles",
        "gauge",
        "Articles by source.",
    );
    for s in &m.sources {
        let _ = writeln!(
            out,
            "redline_source_articles{{source=\"{}\"}} {}",
            label(&s.name),
            s.articles
        );
    }
    family(
        &mut out,
        "redline_checks_total",
        "counter",
        "Article checks by source.",
    );
    for s in &m.sources {
        let _ = writeln!(
            out,
            "redline_checks_total{{source=\"{}\"}} {}",
            label(&s.name),
            s.checks
        );
    }
    family(
        &mut out,
        "redline_fetch_errors_total",
        "counter",
        "Failed article checks by source.",
    );
    for s in &m.sources {
        let _ = writeln!(
            out,
            "redline_fetch_errors_total{{source=\"{}\"}} {}",
            label(&s.name),
            s.errors
        );
    }
    family(
        &mut out,
        "redline_fetches_refused",
        "gauge",
        "Articles whose last check the address policy refused (loopback, private or other \
         special addresses), by source.",
    );
    for s in &m.sources {
        let _ = writeln!(
            out,
            "redline_fetches_refused{{source=\"{}\"}} {}",
            label(&s.name),
            s.refused
        );
    }
    family(
        &mut out,
        "redline_listings_failing",
        "gauge",
        "Feeds, pages and sitemaps whose last poll failed, by source.",
    );
    for s in &m.sources {
        let _ = writeln!(
            out,
            "redline_listings_failing{{source=\"{}\"}} {}",
            label(&s.name),
            s.failing_listings
        );
    }
    family(
        &mut out,
        "redline_check_queue_due",
        "gauge",
        "Active articles whose check is due now.",
    );
    let _ = writeln!(out, "redline_check_queue_due {}", m.due_articles);
    family(
        &mut out,
        "redline_check_queue_lag_seconds",
        "gauge",
        "How long the most overdue check has been waiting.",
    );
    let _ = writeln!(
        out,
        "redline_check_queue_lag_seconds {:.3}",
        m.max_lateness_seconds
    );
    family(
        &mut out,
        "redline_http_requests_total",
        "counter",
        "Requests answered by the web interface, by route and status.",
    );
    {
        let counts = state.http.counts.lock().unwrap_or_else(|e| e.into_inner());
        for ((route, status), n) in counts.iter() {
            let _ = writeln!(
                out,
                "redline_http_requests_total{{route=\"{}\",status=\"{status}\"}} {n}",
                label(route)
            );
        }
    }
    let mut r = out.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(r)
}
