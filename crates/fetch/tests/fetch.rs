//! End-to-end tests of the fetcher against misbehaving local servers.

mod support;

use std::io::Write;
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use redline_fetch::{FetchError, FetchRequest, FetchSettings, Fetcher, Phase};
use support::{Response, TestServer};
use tokio::io::AsyncWriteExt;

/// Fast settings: short timeouts and delays, robots.txt off unless a test
/// turns it on.
fn settings() -> FetchSettings {
    FetchSettings {
        user_agent: "redline-test/1.0 (+mailto:test@example.org)".into(),
        per_host_delay: Duration::ZERO,
        connect_timeout: Duration::from_secs(2),
        timeout: Duration::from_secs(3),
        retries: 2,
        retry_base_delay: Duration::from_millis(50),
        respect_robots: false,
        // The test servers listen on 127.0.0.1, which the address policy
        // refuses unless opened (tests/address_policy.rs tests the policy).
        allow_networks: vec!["127.0.0.1/32".parse().unwrap()],
        ..FetchSettings::default()
    }
}

fn fetcher(s: FetchSettings) -> Fetcher {
    Fetcher::new(s).unwrap()
}

async fn get(f: &Fetcher, url: url::Url) -> Result<redline_fetch::Fetched, FetchError> {
    f.fetch(FetchRequest::new(url)).await
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

#[test]
fn fetcher_is_shareable_across_tasks() {
    fn shareable<T: Send + Sync + Clone + 'static>() {}
    shareable::<Fetcher>();
}

const PAGE: &str = "<html><body><p>Breaking news: nothing happened.</p></body></html>";

#[tokio::test]
async fn gzip_body_is_decoded_and_the_exchange_recorded_as_sent() {
    let seen = Arc::new(Mutex::new(None));
    let seen2 = seen.clone();
    let server = TestServer::simple(move |req| {
        *seen2.lock().unwrap() = Some(req.clone());
        Response::new(200)
            .header("Content-Type", "text/html; charset=utf-8")
            .header("Content-Encoding", "gzip")
            .header("ETag", "\"v1\"")
            .header("Set-Cookie", "a=1")
            .header("Set-Cookie", "b=2")
            .body(gzip(PAGE.as_bytes()))
    })
    .await;
    let f = fetcher(settings());
    let got = get(&f, server.url("/news/1?x=y")).await.unwrap();

    assert_eq!(got.status, 200);
    assert_eq!(got.body, PAGE.as_bytes());
    assert_eq!(got.etag.as_deref(), Some("\"v1\""));
    assert_eq!(
        got.content_type.as_deref(),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(got.attempts, 1);
    assert!(got.redirects.is_empty());

    let ex = &got.exchange;
    assert_eq!(
        ex.raw_body,
        gzip(PAGE.as_bytes()),
        "raw body is kept as received"
    );
    assert_eq!(ex.method, "GET");
    assert_eq!(ex.request_target, "/news/1?x=y");
    assert_eq!(ex.http_version, "HTTP/1.1");
    assert_eq!((ex.status, ex.reason.as_str()), (200, "OK"));
    assert_eq!(ex.remote_ip, Some("127.0.0.1".parse().unwrap()));
    let cookies: Vec<&[u8]> = ex.response_header_values("set-cookie").collect();
    assert_eq!(cookies, vec![&b"a=1"[..], b"b=2"]);

    // The request headers recorded are the ones the server received, in order.
    let req = seen.lock().unwrap().clone().unwrap();
    assert_eq!(req.target, "/news/1?x=y");
    let recorded: Vec<(String, String)> = ex
        .request_headers
        .iter()
        .map(|(n, v)| (n.clone(), String::from_utf8(v.clone()).unwrap()))
        .collect();
    assert_eq!(recorded, req.headers);
    assert_eq!(req.header("Accept-Encoding"), Some("gzip, deflate, br"));
    assert_eq!(req.header("Host"), Some(server.addr.to_string().as_str()));
    assert!(
        req.header("User-Agent")
            .unwrap()
            .starts_with("redline-test/1.0")
    );
}

#[tokio::test]
async fn brotli_body_is_decoded() {
    let mut br = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut br, 4096, 5, 22);
        w.write_all(PAGE.as_bytes()).unwrap();
    }
    let server = TestServer::simple(move |_| {
        Response::new(200)
            .header("Content-Encoding", "br")
            .body(br.clone())
    })
    .await;
    let got = get(&fetcher(settings()), server.url("/")).await.unwrap();
    assert_eq!(got.body, PAGE.as_bytes());
}

#[tokio::test]
async fn unknown_content_encoding_is_an_error_naming_it() {
    let server = TestServer::simple(|_| {
        Response::new(200)
            .header("Content-Encoding", "zstd")
            .body("x")
    })
    .await;
    let err = get(&fetcher(settings()), server.url("/"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, FetchError::UnsupportedEncoding { .. }),
        "{err}"
    );
    assert!(err.to_string().contains("\"zstd\""), "{err}");
}

#[tokio::test]
async fn endless_body_stops_at_the_size_cap() {
    let server = TestServer::start(|_, mut stream| async move {
        let _ = stream
            .write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n")
            .await;
        let chunk = vec![b'a'; 64 * 1024];
        // Close-delimited body that never ends (until the client hangs up).
        while stream.write_all(&chunk).await.is_ok() {}
    })
    .await;
    let f = fetcher(FetchSettings {
        max_body_bytes: 1024 * 1024,
        ..settings()
    });
    let start = Instant::now();
    let err = get(&f, server.url("/endless")).await.unwrap_err();
    assert!(matches!(err, FetchError::BodyTooLarge { .. }), "{err}");
    assert!(err.to_string().contains("larger than 1 MiB limit"), "{err}");
    assert!(!err.is_transient());
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "{:?}",
        start.elapsed()
    );
}

#[tokio::test]
async fn declared_oversize_body_is_refused_without_reading_it() {
    let server = TestServer::start(|_, mut stream| async move {
        let _ = stream
            .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 5000000000\r\n\r\nabc")
            .await;
        tokio::time::sleep(Duration::from_secs(10)).await;
    })
    .await;
    let err = get(&fetcher(settings()), server.url("/"))
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("Content-Length says 4.7 GiB"),
        "{err}"
    );
}

#[tokio::test]
async fn gzip_bomb_stops_at_the_decoded_cap() {
    // 1 GiB of zeros, compressed chunk by chunk (about 1 MiB on the wire;
    // at the default level: zlib-rs's fastest level, which the workspace's
    // flate2 now uses, makes 9.9 MiB of it, over the raw cap).
    let bomb = tokio::task::spawn_blocking(|| {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..1024 {
            e.write_all(&zeros).unwrap();
        }
        e.finish().unwrap()
    })
    .await
    .unwrap();
    assert!(bomb.len() < 10 << 20, "bomb is {} bytes", bomb.len());
    let bomb = Arc::new(bomb);
    let server = TestServer::simple(move |_| {
        Response::new(200)
            .header("Content-Encoding", "gzip")
            .body(bomb.as_slice())
    })
    .await;
    let f = fetcher(settings()); // default cap: [crawl] max_body = "10MB"
    let start = Instant::now();
    let err = get(&f, server.url("/bomb")).await.unwrap_err();
    assert!(
        matches!(err, FetchError::DecompressedTooLarge { .. }),
        "{err}"
    );
    assert!(
        err.to_string().contains("exceeds 9.5 MiB") && err.to_string().contains("compression bomb"),
        "{err}"
    );
    assert!(
        start.elapsed() < Duration::from_secs(30),
        "{:?}",
        start.elapsed()
    );
}

#[tokio::test]
async fn trickling_server_times_out() {
    let server = TestServer::start(|_, mut stream| async move {
        let _ = stream
            .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")
            .await;
        for _ in 0..1000 {
            if stream.write_all(b"x").await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await;
    let f = fetcher(FetchSettings {
        timeout: Duration::from_millis(500),
        retries: 0,
        ..settings()
    });
    let start = Instant::now();
    let err = get(&f, server.url("/slow")).await.unwrap_err();
    let elapsed = start.elapsed();
    assert!(
        matches!(err, FetchError::Timeout { phase: Phase::Body { received }, .. } if received > 0),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .starts_with("timed out after 500ms waiting for the response body"),
        "{err}"
    );
    assert!(err.is_transient());
    assert!(
        elapsed >= Duration::from_millis(500) && elapsed < Duration::from_secs(10),
        "{elapsed:?}"
    );
}

#[tokio::test]
async fn silent_server_times_out_waiting_for_headers_and_is_retried() {
    let hits = Arc::new(AtomicU32::new(0));
    let hits2 = hits.clone();
    let server = TestServer::start(move |_, stream| {
        hits2.fetch_add(1, Ordering::SeqCst);
        async move {
            tokio::time::sleep(Duration::from_secs(10)).await;
            drop(stream);
        }
    })
    .await;
    let f = fetcher(FetchSettings {
        timeout: Duration::from_millis(200),
        retries: 1,
        ..settings()
    });
    let err = get(&f, server.url("/")).await.unwrap_err();
    assert!(
        matches!(
            err,
            FetchError::Timeout {
                phase: Phase::Headers,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        hits.load(Ordering::SeqCst),
        2,
        "one retry after the timeout"
    );
}

/// Redirects `/r/N` → `/r/N-1` … → `/final`.
async fn redirect_server() -> TestServer {
    TestServer::simple(|req| {
        if let Some(n) = req.target.strip_prefix("/r/") {
            let n: u32 = n.parse().unwrap();
            if n == 0 {
                Response::redirect("/final")
            } else {
                // Relative Location, resolved against the current URL.
                Response::redirect(&format!("{}", n - 1))
            }
        } else if req.target == "/loop/a" {
            Response::redirect("/loop/b")
        } else if req.target == "/loop/b" {
            Response::redirect("/loop/a")
        } else if req.target == "/final" {
            Response::new(200).body("arrived")
        } else if req.target == "/to-ftp" {
            Response::redirect("ftp://example.com/file")
        } else {
            Response::new(404)
        }
    })
    .await
}

#[tokio::test]
async fn redirect_chain_is_followed_and_recorded() {
    let server = redirect_server().await;
    let got = get(&fetcher(settings()), server.url("/r/2")).await.unwrap();
    assert_eq!(got.status, 200);
    assert_eq!(got.body, "arrived");
    assert_eq!(got.final_url, server.url("/final"));
    assert_eq!(got.requested_url, server.url("/r/2"));
    assert_eq!(
        got.redirects,
        vec![server.url("/r/2"), server.url("/r/1"), server.url("/r/0")]
    );
    assert_eq!(got.exchange.url, server.url("/final"));
    assert_eq!(got.attempts, 1);
}

#[tokio::test]
async fn long_redirect_chain_is_refused() {
    let server = redirect_server().await;
    let err = get(&fetcher(settings()), server.url("/r/50"))
        .await
        .unwrap_err();
    match &err {
        FetchError::TooManyRedirects { limit, chain, .. } => {
            assert_eq!(*limit, 10);
            assert_eq!(
                chain.len(),
                12,
                "10 followed, the 11th redirect and its target"
            );
        }
        other => panic!("expected TooManyRedirects, got {other:?}"),
    }
    assert!(err.to_string().contains("after 10 redirects"), "{err}");
}

#[tokio::test]
async fn redirect_loop_is_reported_as_a_loop() {
    let server = redirect_server().await;
    let err = get(&fetcher(settings()), server.url("/loop/a"))
        .await
        .unwrap_err();
    assert!(matches!(err, FetchError::RedirectLoop { .. }), "{err:?}");
    assert!(err.to_string().starts_with("redirect loop:"), "{err}");
    assert!(err.to_string().contains("/loop/a"), "{err}");
}

#[tokio::test]
async fn redirect_to_another_scheme_is_not_followed() {
    let server = redirect_server().await;
    let err = get(&fetcher(settings()), server.url("/to-ftp"))
        .await
        .unwrap_err();
    assert!(matches!(err, FetchError::BadRedirect { .. }), "{err:?}");
    assert!(
        err.to_string().contains("only http and https are followed"),
        "{err}"
    );
}

#[tokio::test]
async fn conditional_request_gets_not_modified() {
    let server = TestServer::simple(|req| {
        if req.header("If-None-Match") == Some("\"v7\"")
            && req.header("If-Modified-Since") == Some("Sat, 21 Nov 2026 09:00:00 GMT")
        {
            Response::new(304).header("ETag", "\"v7\"")
        } else {
            Response::new(200).header("ETag", "\"v8\"").body(PAGE)
        }
    })
    .await;
    let f = fetcher(settings());
    let got = f
        .fetch(FetchRequest {
            url: server.url("/a"),
            etag: Some("\"v7\"".into()),
            last_modified: Some("Sat, 21 Nov 2026 09:00:00 GMT".into()),
            allow: Vec::new(),
        })
        .await
        .unwrap();
    assert_eq!(got.status, 304);
    assert!(got.not_modified);
    assert!(got.body.is_empty());
    assert_eq!(got.etag.as_deref(), Some("\"v7\""));

    let fresh = get(&f, server.url("/a")).await.unwrap();
    assert!(!fresh.not_modified);
    assert_eq!(fresh.etag.as_deref(), Some("\"v8\""));
}

#[tokio::test]
async fn server_errors_are_retried_until_success() {
    let hits = Arc::new(AtomicU32::new(0));
    let hits2 = hits.clone();
    let server = TestServer::simple(move |_| {
        if hits2.fetch_add(1, Ordering::SeqCst) < 2 {
            Response::new(503)
        } else {
            Response::new(200).body(PAGE)
        }
    })
    .await;
    let got = get(&fetcher(settings()), server.url("/")).await.unwrap();
    assert_eq!(got.status, 200);
    assert_eq!(got.attempts, 3);
    assert_eq!(hits.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn persistent_server_error_is_returned_with_its_status() {
    let server = TestServer::simple(|_| Response::new(500).body("oops")).await;
    let got = get(&fetcher(settings()), server.url("/")).await.unwrap();
    assert_eq!(got.status, 500);
    assert_eq!(got.attempts, 3, "first try and two retries");
    assert_eq!(got.body, "oops");
}

#[tokio::test]
async fn too_many_requests_waits_for_retry_after() {
    let hits = Arc::new(AtomicU32::new(0));
    let hits2 = hits.clone();
    let server = TestServer::simple(move |_| {
        if hits2.fetch_add(1, Ordering::SeqCst) == 0 {
            Response::new(429).header("Retry-After", "1")
        } else {
            Response::new(200).body(PAGE)
        }
    })
    .await;
    let start = Instant::now();
    let got = get(&fetcher(settings()), server.url("/")).await.unwrap();
    assert_eq!(got.status, 200);
    assert_eq!(got.attempts, 2);
    assert!(
        start.elapsed() >= Duration::from_secs(1),
        "{:?}",
        start.elapsed()
    );
}

#[tokio::test]
async fn retry_after_beyond_the_cap_gives_up_at_once() {
    let server = TestServer::simple(|_| Response::new(429).header("Retry-After", "3600")).await;
    let start = Instant::now();
    let err = get(&fetcher(settings()), server.url("/"))
        .await
        .unwrap_err();
    assert!(start.elapsed() < Duration::from_secs(30));
    assert!(
        matches!(err, FetchError::RetryAfterTooLong { status: 429, .. }),
        "{err:?}"
    );
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3600)));
    assert!(err.is_transient());
    assert!(
        err.to_string()
            .contains("retry after 1h, longer than the 1m redline waits"),
        "{err}"
    );
}

#[tokio::test]
async fn not_found_is_returned_with_its_status_without_retry() {
    let hits = Arc::new(AtomicU32::new(0));
    let hits2 = hits.clone();
    let server = TestServer::simple(move |_| {
        hits2.fetch_add(1, Ordering::SeqCst);
        let mut r = Response::new(404).body("no such article");
        r.reason = "Nicht Gefunden".into();
        r
    })
    .await;
    let got = get(&fetcher(settings()), server.url("/gone"))
        .await
        .unwrap();
    assert_eq!(got.status, 404);
    assert_eq!(
        got.exchange.reason, "Nicht Gefunden",
        "reason phrase as sent"
    );
    assert!(got.is_gone());
    assert_eq!(got.attempts, 1);
    assert_eq!(hits.load(Ordering::SeqCst), 1);
}

/// A server with a robots.txt (counting how often it is asked for it).
async fn robots_server(robots: Response, robots_hits: Arc<AtomicU32>) -> TestServer {
    TestServer::simple(move |req| {
        if req.target == "/robots.txt" {
            robots_hits.fetch_add(1, Ordering::SeqCst);
            robots.clone()
        } else if req.target == "/old" {
            Response::redirect("/private/moved")
        } else {
            Response::new(200).body(PAGE)
        }
    })
    .await
}

fn robots_settings() -> FetchSettings {
    FetchSettings {
        respect_robots: true,
        ..settings()
    }
}

#[tokio::test]
async fn robots_txt_disallow_blocks_with_a_clear_error_and_allows_the_rest() {
    let hits = Arc::new(AtomicU32::new(0));
    let robots = Response::new(200)
        .body("User-agent: *\nDisallow: /\n\nUser-agent: redline-test\nDisallow: /private\n");
    let server = robots_server(robots, hits.clone()).await;
    let f = fetcher(robots_settings());

    let err = get(&f, server.url("/private/a")).await.unwrap_err();
    assert!(
        matches!(err, FetchError::RobotsDisallowed { .. }),
        "{err:?}"
    );
    let msg = err.to_string();
    assert!(
        msg.starts_with("blocked: robots.txt of 127.0.0.1:"),
        "{msg}"
    );
    assert!(
        msg.contains("Disallow: /private") && msg.contains("redline-test"),
        "{msg}"
    );
    assert!(!err.is_transient());

    let ok = get(&f, server.url("/news/1")).await.unwrap();
    assert_eq!(ok.status, 200);

    // A redirect into a disallowed path is blocked at that hop.
    let err = get(&f, server.url("/old")).await.unwrap_err();
    assert!(
        matches!(err, FetchError::RobotsDisallowed { .. }),
        "{err:?}"
    );

    assert_eq!(
        hits.load(Ordering::SeqCst),
        1,
        "robots.txt is read once per host"
    );
}

#[tokio::test]
async fn robots_txt_server_error_blocks_the_host_and_says_why() {
    let hits = Arc::new(AtomicU32::new(0));
    let server = robots_server(Response::new(503), hits.clone()).await;
    let f = fetcher(FetchSettings {
        retries: 0,
        ..robots_settings()
    });
    let err = get(&f, server.url("/news/1")).await.unwrap_err();
    assert!(
        matches!(err, FetchError::RobotsUnavailable { .. }),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("robots.txt of 127.0.0.1:")
            && err.to_string().contains("answered 503 Service Unavailable"),
        "{err}"
    );
    assert!(err.is_transient());
    // Still blocked, without asking again.
    assert!(get(&f, server.url("/news/2")).await.is_err());
    assert_eq!(hits.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn robots_txt_not_found_allows_everything() {
    let hits = Arc::new(AtomicU32::new(0));
    let server = robots_server(Response::new(404), hits.clone()).await;
    let got = get(&fetcher(robots_settings()), server.url("/private/x"))
        .await
        .unwrap();
    assert_eq!(got.status, 200);
}

#[tokio::test]
async fn huge_robots_txt_is_read_only_up_to_its_cap() {
    // 10 MiB of harmless lines, then a rule that would block everything:
    // it lies past the 512 KiB cap and must be ignored.
    let server = TestServer::start(|req, mut stream| async move {
        if req.target != "/robots.txt" {
            Response::new(200).body(PAGE).write_to(&mut stream).await;
            return;
        }
        let line = b"# nothing to see here, just padding the file out\n";
        let total = 10 * 1024 * 1024;
        let tail = b"User-agent: *\nDisallow: /\n";
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n",
            total + tail.len()
        );
        let _ = stream.write_all(head.as_bytes()).await;
        let mut sent = 0;
        while sent < total {
            let n = line.len().min(total - sent);
            if stream.write_all(&line[..n]).await.is_err() {
                return;
            }
            sent += n;
        }
        let _ = stream.write_all(tail).await;
    })
    .await;
    let start = Instant::now();
    let got = get(&fetcher(robots_settings()), server.url("/news/1"))
        .await
        .unwrap();
    assert_eq!(got.status, 200);
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "{:?}",
        start.elapsed()
    );
}

#[tokio::test]
async fn per_host_concurrency_is_never_exceeded() {
    let in_flight = Arc::new(AtomicUsize::new(0));
    let max_seen = Arc::new(AtomicUsize::new(0));
    let (i2, m2) = (in_flight.clone(), max_seen.clone());
    let server = TestServer::start(move |_, mut stream| {
        let (in_flight, max_seen) = (i2.clone(), m2.clone());
        async move {
            let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
            max_seen.fetch_max(now, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(30)).await;
            // Count down before answering: the client frees its slot only
            // after reading the answer.
            in_flight.fetch_sub(1, Ordering::SeqCst);
            Response::new(200).body(PAGE).write_to(&mut stream).await;
        }
    })
    .await;
    let f = fetcher(settings()); // per_host_concurrency: 2
    let mut tasks = Vec::new();
    for i in 0..20 {
        let f = f.clone();
        let url = server.url(&format!("/a/{i}"));
        tasks.push(tokio::spawn(async move { get(&f, url).await }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap().unwrap().status, 200);
    }
    assert_eq!(max_seen.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn per_host_delay_spaces_requests() {
    let arrivals = Arc::new(Mutex::new(Vec::new()));
    let a2 = arrivals.clone();
    let server = TestServer::simple(move |_| {
        a2.lock().unwrap().push(Instant::now());
        Response::new(200).body(PAGE)
    })
    .await;
    let f = fetcher(FetchSettings {
        per_host_delay: Duration::from_millis(200),
        ..settings()
    });
    let mut tasks = Vec::new();
    for i in 0..5 {
        let f = f.clone();
        let url = server.url(&format!("/a/{i}"));
        tasks.push(tokio::spawn(async move { get(&f, url).await }));
    }
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    let arrivals = arrivals.lock().unwrap();
    assert_eq!(arrivals.len(), 5);
    for pair in arrivals.windows(2) {
        let gap = pair[1] - pair[0];
        // 200 ms between starts; a little slack for scheduling on a busy machine.
        assert!(gap >= Duration::from_millis(170), "gap of {gap:?}");
    }
}

#[tokio::test]
async fn a_host_waiting_its_turn_does_not_hold_up_other_hosts() {
    let slow_host = TestServer::simple(|_| Response::new(200).body(PAGE)).await;
    let other_host = TestServer::simple(|_| Response::new(200).body(PAGE)).await;
    // One global slot; the slow host may only be asked every 2 s.
    let f = fetcher(FetchSettings {
        concurrency: 1,
        per_host_delay: Duration::from_secs(2),
        ..settings()
    });
    get(&f, slow_host.url("/1")).await.unwrap();
    let start = Instant::now();
    let waiting = {
        let f = f.clone();
        let url = slow_host.url("/2");
        tokio::spawn(async move { get(&f, url).await })
    };
    tokio::time::sleep(Duration::from_millis(50)).await;
    get(&f, other_host.url("/1")).await.unwrap();
    // The other host was served while the slow one still waited its turn
    // (an order, not a time: no bound to flake on a busy machine).
    assert!(
        !waiting.is_finished(),
        "the other host waited {:?}, until the slow host's turn",
        start.elapsed()
    );
    waiting.await.unwrap().unwrap();
    assert!(start.elapsed() >= Duration::from_millis(1900));
}

#[tokio::test]
async fn robots_crawl_delay_spaces_requests_and_redirected_robots_is_followed() {
    let arrivals = Arc::new(Mutex::new(Vec::new()));
    let a2 = arrivals.clone();
    let server = TestServer::simple(move |req| match req.target.as_str() {
        "/robots.txt" => Response::redirect("/robots-real.txt"),
        "/robots-real.txt" => {
            Response::new(200).body("User-agent: *\nCrawl-delay: 0.4\nDisallow: /private\n")
        }
        _ => {
            a2.lock().unwrap().push(Instant::now());
            Response::new(200).body(PAGE)
        }
    })
    .await;
    let f = fetcher(robots_settings());
    let err = get(&f, server.url("/private/1")).await.unwrap_err();
    assert!(
        matches!(err, FetchError::RobotsDisallowed { .. }),
        "{err:?}"
    );
    get(&f, server.url("/a")).await.unwrap();
    get(&f, server.url("/b")).await.unwrap();
    let arrivals = arrivals.lock().unwrap();
    let gap = arrivals[1] - arrivals[0];
    assert!(
        gap >= Duration::from_millis(350),
        "Crawl-delay not honoured: {gap:?}"
    );
}

#[tokio::test]
async fn connection_closed_half_way_is_a_clear_error() {
    let server = TestServer::start(|_, mut stream| async move {
        let _ = stream
            .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")
            .await;
        let _ = stream.write_all(&[b'x'; 500]).await;
        let _ = stream.flush().await;
        // Dropping the stream closes the connection with 500 bytes missing.
    })
    .await;
    let f = fetcher(FetchSettings {
        retries: 0,
        ..settings()
    });
    let err = get(&f, server.url("/")).await.unwrap_err();
    assert!(
        matches!(
            err,
            FetchError::BodyInterrupted {
                received: 500,
                expected: Some(1000),
                ..
            }
        ),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .contains("broke after 500 bytes of the response body (of 1000 announced)"),
        "{err}"
    );
    assert!(err.is_transient());
}

#[tokio::test]
async fn non_http_scheme_is_rejected() {
    let f = fetcher(settings());
    let err = get(&f, url::Url::parse("ftp://example.com/a").unwrap())
        .await
        .unwrap_err();
    assert!(
        matches!(err, FetchError::UnsupportedScheme { .. }),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "ftp://example.com/a cannot be fetched: only http and https URLs are supported, not ftp:"
    );
    let err = get(&f, url::Url::parse("file:///etc/passwd").unwrap())
        .await
        .unwrap_err();
    assert!(
        matches!(err, FetchError::UnsupportedScheme { .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn refused_connection_is_transient_and_retried() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let f = fetcher(FetchSettings {
        retries: 1,
        ..settings()
    });
    let url = url::Url::parse(&format!("http://{addr}/")).unwrap();
    let err = get(&f, url).await.unwrap_err();
    assert!(matches!(err, FetchError::Connect { .. }), "{err:?}");
    assert!(err.is_transient());
    assert!(err.to_string().contains("refused"), "{err}");
}

#[tokio::test]
async fn tls_failure_is_reported_as_such() {
    // A plain-HTTP server spoken to over https: it answers the TLS hello
    // with an HTTP error.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\n\r\n").await;
        }
    });
    let url = url::Url::parse(&format!("https://{addr}/")).unwrap();
    let err = get(&fetcher(settings()), url).await.unwrap_err();
    assert!(matches!(err, FetchError::Tls { .. }), "{err:?}");
    assert!(
        err.to_string()
            .starts_with("secure connection to https://127.0.0.1:"),
        "{err}"
    );
    assert!(!err.is_transient());
    server.abort();
}

#[tokio::test]
async fn handshake_that_never_completes_hits_the_connect_timeout() {
    // Accepts TCP, then never answers the TLS hello.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            held.push(stream);
        }
    });
    let f = fetcher(FetchSettings {
        connect_timeout: Duration::from_millis(300),
        retries: 0,
        ..settings()
    });
    let start = Instant::now();
    let url = url::Url::parse(&format!("https://{addr}/")).unwrap();
    let err = get(&f, url).await.unwrap_err();
    assert!(matches!(err, FetchError::ConnectTimeout { .. }), "{err:?}");
    assert!(
        err.to_string()
            .starts_with("timed out after 300ms connecting to https://"),
        "{err}"
    );
    assert!(err.is_transient());
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "{:?}",
        start.elapsed()
    );
    server.abort();
}

#[tokio::test]
async fn unresolvable_host_is_a_dns_error() {
    let url = url::Url::parse("http://no-such-host.invalid/").unwrap();
    let err = get(&fetcher(settings()), url).await.unwrap_err();
    assert!(matches!(err, FetchError::Dns { .. }), "{err:?}");
    assert!(
        err.to_string()
            .starts_with("could not resolve the host name no-such-host.invalid"),
        "{err}"
    );
}
