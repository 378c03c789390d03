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
    let alerts = blocking(&state, |store| Ok(store.alert_status()?)).await?;
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
    for (name, kind, help, value) in [
        (
            "redline_alert_sent_total",
            "counter",
            "Changes an alert delivered (alone, in a digest or a site change's message).",
            (|s: &redline_store::AlertStatus| s.sent) as fn(&redline_store::AlertStatus) -> u64,
        ),
        (
            "redline_alert_messages_total",
            "counter",
            "Messages an alert sent.",
            |s| s.messages,
        ),
        (
            "redline_alert_queued",
            "gauge",
            "Changes waiting to be sent by an alert.",
            |s| s.queued,
        ),
        (
            "redline_alert_failing",
            "gauge",
            "Changes waiting whose last attempt failed.",
            |s| s.failing,
        ),
        (
            "redline_alert_failed_total",
            "counter",
            "Changes an alert gave up after failing for too long.",
            |s| s.failed,
        ),
    ] {
        family(&mut out, name, kind, help);
        for a in &alerts {
            let _ = writeln!(out, "{name}{{alert=\"{}\"}} {}", label(&a.alert), value(a));
        }
    }
    family(
        &mut out,
        "redline_alert_last_sent_timestamp_seconds",
        "gauge",
        "When an alert last sent a message (Unix time).",
    );
    for a in &alerts {
        if let Some(t) = a.last_sent {
            let _ = writeln!(
                out,
                "redline_alert_last_sent_timestamp_seconds{{alert=\"{}\"}} {}",
                label(&a.alert),
                t.timestamp()
            );
        }
    }
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
