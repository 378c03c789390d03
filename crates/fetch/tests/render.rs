//! The renderer in headless Chromium (Debian's `chromium`), on loopback
//! pages: a page whose article text is written by scripts (one inline, one
//! fetched through the fetcher), a hostile page whose scripts try to reach
//! an address the policy forbids (a listener on 127.0.0.2 records every
//! connection: none may arrive), and a page whose script never ends (the
//! typed timeout within the bound, and the next page renders).
//!
//! Without Chromium the tests say so loudly and pass, unless
//! `REDLINE_REQUIRE_BROWSER=1` (CI sets it), when they fail.

mod support;

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use redline_fetch::{
    FetchRequest, FetchSettings, Fetcher, IpNet, PageRequest, RenderSettings, Renderer,
    RequestOutcome,
};
use support::{Response, TestServer};

/// The browser, or None (with a loud notice) when it is missing and not
/// required.
fn chromium() -> Option<PathBuf> {
    let path = std::env::var("REDLINE_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from("/usr/bin/chromium"));
    if path.is_file() {
        return Some(path);
    }
    if std::env::var("REDLINE_REQUIRE_BROWSER").as_deref() == Ok("1") {
        panic!(
            "REDLINE_REQUIRE_BROWSER=1 but {} is missing (apt-get install chromium)",
            path.display()
        );
    }
    eprintln!();
    eprintln!("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!");
    eprintln!("!! SKIPPED a render test: {} is missing", path.display());
    eprintln!("!! (apt-get install chromium; REDLINE_REQUIRE_BROWSER=1 to fail)");
    eprintln!("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!");
    None
}

fn fetcher() -> Fetcher {
    Fetcher::new(FetchSettings {
        user_agent: "redline-test/1.0 (+mailto:test@example.org)".into(),
        per_host_delay: Duration::ZERO,
        connect_timeout: Duration::from_secs(2),
        timeout: Duration::from_secs(3),
        retries: 0,
        respect_robots: false,
        ..FetchSettings::default()
    })
    .unwrap()
}

fn renderer(chromium: PathBuf, timeout: Duration) -> Renderer {
    let settings = RenderSettings {
        chromium,
        timeout,
        ..RenderSettings::default()
    };
    Renderer::new(settings, fetcher()).unwrap()
}

/// Only 127.0.0.1 is opened to these fetches: 127.0.0.2 stays forbidden.
fn allow() -> Vec<IpNet> {
    vec!["127.0.0.1/32".parse().unwrap()]
}

/// A server for `pages` (path → content type, body), recording the paths
/// asked for.
async fn site(
    pages: Vec<(&'static str, &'static str, String)>,
) -> (TestServer, Arc<Mutex<Vec<String>>>) {
    let asked = Arc::new(Mutex::new(Vec::new()));
    let log = asked.clone();
    let server = TestServer::simple(move |req| {
        log.lock().unwrap().push(req.target.clone());
        match pages.iter().find(|(path, _, _)| *path == req.target) {
            Some((_, kind, body)) => Response::new(200)
                .header("Content-Type", kind)
                .body(body.clone()),
            None => Response::new(404).body("not here"),
        }
    })
    .await;
    (server, asked)
}

const ARTICLE: &str = "<!DOCTYPE html><html><head><title>Storm closes the coast road</title>\
<script src=\"/app.js\"></script></head><body><article><h1>Storm closes the coast road</h1>\
<div id=\"story\"></div></article><script>document.getElementById('story').innerHTML = \
'<p>The coast road was closed on Tuesday night as the storm brought down trees.</p>';\
</script></body></html>";

const APP_JS: &str = "document.addEventListener('DOMContentLoaded', function () {\
 var p = document.createElement('p'); p.textContent = 'Crews expect to reopen it by Thursday.';\
 document.getElementById('story').appendChild(p); });";

#[tokio::test]
async fn the_text_a_script_writes_is_in_the_rendered_dom() {
    let Some(chromium) = chromium() else { return };
    let (server, asked) = site(vec![
        ("/story", "text/html; charset=utf-8", ARTICLE.to_string()),
        ("/app.js", "text/javascript", APP_JS.to_string()),
    ])
    .await;
    let fetcher = fetcher();
    let fetched = fetcher
        .fetch(FetchRequest::new(server.url("/story")).allowing(allow()))
        .await
        .unwrap();
    let renderer = renderer(chromium, Duration::from_secs(20));
    let rendered = renderer.render(&fetched, &allow()).await.unwrap();
    assert_eq!(rendered.url, server.url("/story"));
    assert_eq!(
        rendered.html,
        "<!DOCTYPE html>\n<html><head><title>Storm closes the coast road</title>\
<script src=\"/app.js\"></script></head><body><article><h1>Storm closes the coast road</h1>\
<div id=\"story\"><p>The coast road was closed on Tuesday night as the storm brought down \
trees.</p><p>Crews expect to reopen it by Thursday.</p></div></article><script>\
document.getElementById('story').innerHTML = '<p>The coast road was closed on Tuesday night \
as the storm brought down trees.</p>';</script></body></html>"
    );
    assert_eq!(
        rendered.requests,
        [PageRequest {
            method: "GET".into(),
            url: server.url("/app.js").to_string(),
            kind: "Script".into(),
            outcome: RequestOutcome::Fetched { status: 200 },
        }]
    );
    // The document came from the fetcher once, the script through it:
    // Chromium fetched nothing itself.
    assert_eq!(*asked.lock().unwrap(), ["/story", "/app.js"]);
    assert_eq!(renderer.launches(), 1);
}

/// A listener on 127.0.0.2 counting every connection made to it.
async fn forbidden_listener() -> (u16, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.2:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            let mut buf = vec![0u8; 300];
            use tokio::io::AsyncReadExt;
            let n = tokio::time::timeout(Duration::from_millis(300), stream.read(&mut buf)).await;
            if let Ok(Ok(n)) = n {
                eprintln!("FORBIDDEN HIT: {:?}", String::from_utf8_lossy(&buf[..n]));
            }
        }
    });
    (port, hits)
}

#[tokio::test]
async fn a_page_cannot_make_chromium_reach_a_forbidden_address() {
    let Some(chromium) = chromium() else { return };
    let (port, hits) = forbidden_listener().await;
    let bad = format!("http://127.0.0.2:{port}");
    let page = format!(
        "<!DOCTYPE html><html><head><title>Hostile</title>\
         <link rel=\"stylesheet\" href=\"{bad}/style.css\">\
         <script src=\"{bad}/script.js\"></script></head><body><article><h1>Hostile</h1>\
         <p id=\"out\">The page as served.</p><iframe src=\"{bad}/frame\"></iframe></article>\
         <script>\
         fetch('{bad}/fetch').catch(function () {{}});\
         var x = new XMLHttpRequest(); x.open('GET', '{bad}/xhr'); x.send();\
         try {{ new WebSocket('ws://127.0.0.2:{port}/socket'); }} catch (e) {{}}\
         try {{ navigator.sendBeacon('{bad}/beacon', 'x'); }} catch (e) {{}}\
         var post = new XMLHttpRequest(); post.open('POST', '{bad}/post'); post.send('x');\
         document.getElementById('out').textContent = 'The script ran.';\
         </script></body></html>"
    );
    let (server, asked) = site(vec![("/hostile", "text/html", page)]).await;
    let fetched = fetcher()
        .fetch(FetchRequest::new(server.url("/hostile")).allowing(allow()))
        .await
        .unwrap();
    let renderer = renderer(chromium, Duration::from_secs(20));
    let rendered = renderer.render(&fetched, &allow()).await.unwrap();
    assert!(
        rendered.html.contains("<p id=\"out\">The script ran.</p>"),
        "{}",
        rendered.html
    );
    // Give anything Chromium might still try a moment to arrive.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(
        hits.load(Ordering::SeqCst),
        0,
        "a connection reached 127.0.0.2"
    );
    let mut requests: Vec<(String, String, String, RequestOutcome)> = rendered
        .requests
        .iter()
        .map(|r| {
            (
                r.url.clone(),
                r.method.clone(),
                r.kind.clone(),
                r.outcome.clone(),
            )
        })
        .collect();
    requests.sort_by(|a, b| a.0.cmp(&b.0));
    let refused = RequestOutcome::Failed {
        kind: "address_refused",
    };
    let row = |path: &str, method: &str, kind: &str, outcome: &RequestOutcome| {
        (
            format!("{bad}/{path}"),
            method.to_string(),
            kind.to_string(),
            outcome.clone(),
        )
    };
    assert_eq!(
        requests,
        [
            row("beacon", "POST", "Ping", &RequestOutcome::Refused),
            // fetch() is an XHR to Chromium's request interception.
            row("fetch", "GET", "XHR", &refused),
            row("frame", "GET", "Document", &RequestOutcome::Refused),
            row("post", "POST", "XHR", &RequestOutcome::Refused),
            row("script.js", "GET", "Script", &refused),
            row("style.css", "GET", "Stylesheet", &RequestOutcome::Refused),
            row("xhr", "GET", "XHR", &refused),
        ]
    );
    assert_eq!(*asked.lock().unwrap(), ["/hostile"]);
}

#[tokio::test]
async fn a_script_that_never_ends_times_out_and_the_next_page_renders() {
    let Some(chromium) = chromium() else { return };
    let (server, _) = site(vec![
        (
            "/loop",
            "text/html",
            "<html><body><p>Loading…</p><script>while (true) {}</script></body></html>".into(),
        ),
        (
            "/fine",
            "text/html",
            "<html><body><p>Fine.</p></body></html>".into(),
        ),
    ])
    .await;
    let fetcher = fetcher();
    let renderer = renderer(chromium, Duration::from_secs(3));
    let looping = fetcher
        .fetch(FetchRequest::new(server.url("/loop")).allowing(allow()))
        .await
        .unwrap();
    let started = Instant::now();
    let err = renderer.render(&looping, &allow()).await.unwrap_err();
    let took = started.elapsed();
    assert_eq!(err.kind(), "render_timeout");
    assert_eq!(
        err.to_string(),
        format!(
            "rendering {} in Chromium took longer than 3s ([render] timeout): its scripts were \
             stopped and nothing was stored — raise [render] timeout if the site is just slow",
            server.url("/loop")
        )
    );
    // The timeout, plus at most the grace to stop the page (twice).
    assert!(took < Duration::from_secs(10), "took {took:?}");
    let fine = fetcher
        .fetch(FetchRequest::new(server.url("/fine")).allowing(allow()))
        .await
        .unwrap();
    let rendered = renderer.render(&fine, &allow()).await.unwrap();
    assert_eq!(
        rendered.html,
        "<html><head></head><body><p>Fine.</p></body></html>"
    );
}
