//! The limits on what one visitor may cost, over HTTP (the router driven in
//! process, each request given the peer address `serve` would give it):
//! search slots and time budget, the per-client work budget on expensive
//! routes, and wrong admin tokens.

mod common;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use common::{Fixture, fixture};
use http_body_util::BodyExt;
use redline_web::{Limits, WebConfig, router_with};
use tower::ServiceExt;

const TOKEN: &str = "correct-horse-battery-staple";

fn app(f: &Fixture, limits: Limits) -> Router {
    router_with(
        f.store.clone(),
        WebConfig {
            admin_token: Some(TOKEN.into()),
            base_url: None,
            archive_dir: None,
        },
        limits,
    )
}

struct Resp {
    status: StatusCode,
    retry_after: Option<String>,
    csp: bool,
    body: String,
}

async fn send(app: &Router, mut request: Request<Body>, peer: Option<&str>) -> Resp {
    if let Some(peer) = peer {
        let addr: SocketAddr = peer.parse().unwrap();
        request.extensions_mut().insert(ConnectInfo(addr));
    }
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let retry_after = response
        .headers()
        .get(header::RETRY_AFTER)
        .map(|v| v.to_str().unwrap().to_string());
    let csp = response
        .headers()
        .contains_key(header::CONTENT_SECURITY_POLICY);
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    Resp {
        status,
        retry_after,
        csp,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

fn get(path: &str) -> Request<Body> {
    Request::get(path).body(Body::empty()).unwrap()
}

fn admin_post(path: &str, token: &str) -> Request<Body> {
    Request::post(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap()
}

#[tokio::test]
async fn a_search_without_a_free_slot_is_answered_503_with_retry_after() {
    let f = fixture();
    let app = app(
        &f,
        Limits {
            searches_at_once: 0,
            search_queue_wait: Duration::from_millis(20),
            ..Limits::default()
        },
    );
    let r = send(&app, get("/search?q=minister"), None).await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(r.retry_after.as_deref(), Some("1"));
    assert!(r.csp, "security headers stay on limit answers");
    assert!(
        r.body
            .contains("The server is busy with other searches. Please try again in 1 s."),
        "{}",
        r.body
    );
    let r = send(&app, get("/api/v1/articles?q=minister"), None).await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        r.body,
        r#"{"error":"The server is busy with other searches. Please try again in 1 s.","status":503}"#
    );
    // Not searches: the search form, the article list, other pages.
    for path in ["/search", "/search?q=+", "/api/v1/articles", "/"] {
        assert_eq!(
            send(&app, get(path), None).await.status,
            StatusCode::OK,
            "{path}"
        );
    }
}

#[tokio::test]
async fn a_search_past_its_budget_is_answered_503() {
    let f = fixture();
    let app = app(
        &f,
        Limits {
            search_budget: Duration::ZERO,
            ..Limits::default()
        },
    );
    let r = send(&app, get("/search/feed.atom?q=minister"), None).await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(r.retry_after.as_deref(), Some("30"));
    assert!(
        r.body.contains(
            "This search would take longer than the 0 s a search may run. Narrow it (more \
             words, a &quot;phrase&quot;, source:NAME) or try again in 30 s."
        ),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn a_client_past_its_work_budget_is_answered_429_and_others_are_not() {
    let f = fixture();
    let app = app(
        &f,
        Limits {
            // Any request at all exhausts it, and it refills slowly.
            work_burst: Duration::from_nanos(1),
            work_per_second: Duration::from_millis(1),
            ..Limits::default()
        },
    );
    let first = send(&app, get("/search?q=minister"), Some("192.0.2.1:4000")).await;
    assert_eq!(first.status, StatusCode::OK);
    let r = send(&app, get("/search?q=minister"), Some("192.0.2.1:4001")).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    // As long as the work done takes to earn back, at most 30 s.
    let wait: u64 = r.retry_after.as_deref().unwrap().parse().unwrap();
    assert!((1..=30).contains(&wait), "{wait}");
    assert!(
        r.body.contains(&format!(
            "You have asked for more searches than one visitor may in a short time. Please \
             wait {wait} s and try again; pages already seen stay available."
        )),
        "{}",
        r.body
    );
    // Uncached diffs draw on the same budget (charged by the time they
    // take); cheap pages do not, nor does a diff once cached.
    let diff = |a: u32, b: u32| format!("/api/v1/articles/{}/diff/{a}/{b}", f.edited);
    let first = send(&app, get(&diff(0, 2)), Some("192.0.2.3:1")).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    let r = send(&app, get(&diff(0, 3)), Some("192.0.2.3:2")).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    assert!(r.body.contains("comparisons of versions"), "{}", r.body);
    let r = send(&app, get(&diff(0, 2)), Some("192.0.2.3:3")).await;
    assert_eq!(r.status, StatusCode::OK, "cached: {}", r.body);
    let article = format!("/articles/{}", f.edited);
    let r = send(&app, get(&article), Some("192.0.2.1:4003")).await;
    assert_eq!(r.status, StatusCode::OK);
    // Another client goes through.
    let r = send(&app, get(&diff(0, 3)), Some("192.0.2.2:4000")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // One site's IPv6 /64 is one client.
    let a = send(
        &app,
        get("/search?q=minister"),
        Some("[2001:db8:1:2::1]:80"),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK);
    let b = send(
        &app,
        get("/search?q=minister"),
        Some("[2001:db8:1:2::2]:80"),
    )
    .await;
    assert_eq!(b.status, StatusCode::TOO_MANY_REQUESTS);
}

/// The log, as written by a subscriber for this thread only.
#[derive(Clone, Default)]
struct Log(Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Log {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Log {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

#[tokio::test(flavor = "current_thread")]
async fn wrong_admin_tokens_hold_the_client_off() {
    let log = Log::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let f = fixture();
    let app = app(
        &f,
        Limits {
            admin_failures: 3,
            ..Limits::default()
        },
    );
    let path = format!("/api/v1/admin/articles/{}/check", f.edited);
    for _ in 0..3 {
        let r = send(&app, admin_post(&path, "guess"), Some("203.0.113.5:1")).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    // Held off, even with the right token now.
    let r = send(&app, admin_post(&path, TOKEN), Some("203.0.113.5:2")).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = r.retry_after.as_deref().unwrap().parse().unwrap();
    assert!((59..=60).contains(&wait), "{wait}");
    assert_eq!(
        r.body,
        format!(
            r#"{{"error":"Too many requests with a wrong admin token came from your address. Try again in {wait} s with the right token.","status":429}}"#
        )
    );
    // Another client with the right token is served.
    let r = send(&app, admin_post(&path, TOKEN), Some("203.0.113.6:1")).await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    // Each failure is logged with the address, never a token.
    let text = log.text();
    assert_eq!(
        text.matches("admin request with a missing or wrong token")
            .count(),
        3,
        "{text}"
    );
    assert!(text.contains("client=203.0.113.5"), "{text}");
    assert!(text.contains("too many wrong tokens"), "{text}");
    assert!(!text.contains("guess") && !text.contains(TOKEN), "{text}");
    // The admin API is POST only.
    let r = send(&app, get(&path), Some("203.0.113.6:2")).await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
}
