//! The hostile endpoints under `/faults/` behave as documented (every
//! assertion is time-bounded).

mod common;

use std::io::Read;
use std::time::{Duration, Instant};

use common::{get, get_with, read_for, read_head, send};
use redline_newsroom::faults::{LATIN1_TEXT, WINDOWS_1252_TEXT};
use redline_newsroom::{Newsroom, NewsroomConfig};
use tokio::io::AsyncReadExt;

async fn newsroom() -> Newsroom {
    Newsroom::start(NewsroomConfig {
        articles: 3,
        ..Default::default()
    })
    .await
    .expect("start")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hang_never_answers_and_stall_stops_mid_body() {
    let room = newsroom().await;
    let mut s = send("GET", &room.fault_url("hang"), &[], None).await;
    assert!(
        read_for(&mut s, Duration::from_millis(1200))
            .await
            .is_empty()
    );
    assert_eq!(room.outlet_stats(0).in_flight, 1);
    drop(s);

    let mut s = send("GET", &room.fault_url("stall?bytes=100"), &[], None).await;
    let (status, headers, mut got) = read_head(&mut s).await;
    assert_eq!(status, 200);
    assert!(
        headers
            .iter()
            .any(|(k, v)| k == "content-length" && v == "4096")
    );
    got.extend(read_for(&mut s, Duration::from_millis(800)).await);
    assert_eq!(got.len(), 100);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trickle_sends_about_one_byte_per_second() {
    let room = newsroom().await;
    let start = Instant::now();
    let mut s = send("GET", &room.fault_url("trickle"), &[], None).await;
    let (status, headers, mut got) = read_head(&mut s).await;
    assert_eq!(status, 200);
    assert!(
        headers
            .iter()
            .any(|(k, v)| k == "content-length" && v == "3600")
    );
    got.extend(
        read_for(
            &mut s,
            Duration::from_millis(2500).saturating_sub(start.elapsed()),
        )
        .await,
    );
    assert!((1..=3).contains(&got.len()), "{} bytes in 2.5 s", got.len());

    let fast = get(&room.fault_url("trickle?len=5&interval_ms=10")).await;
    assert_eq!(fast.body.len(), 5);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn endless_body_keeps_coming() {
    let room = newsroom().await;
    let mut s = send("GET", &room.fault_url("endless"), &[], None).await;
    let (status, headers, first) = read_head(&mut s).await;
    assert_eq!(status, 200);
    assert!(
        headers
            .iter()
            .any(|(k, v)| k == "transfer-encoding" && v == "chunked")
    );
    let mut total = first.len();
    let mut buf = vec![0u8; 64 * 1024];
    let deadline = Instant::now() + Duration::from_secs(10);
    while total < 20 * 1024 * 1024 {
        assert!(Instant::now() < deadline, "endless body too slow");
        let n = s.read(&mut buf).await.unwrap();
        assert!(n > 0, "endless body ended");
        total += n;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_bodies_declared_and_undeclared() {
    let room = newsroom().await;
    let declared = get(&room.fault_url("oversized")).await;
    assert_eq!(declared.header("content-length"), Some("11534336"));
    assert_eq!(declared.body.len(), 11 * 1024 * 1024);
    assert!(declared.body.starts_with(b"<!DOCTYPE html>"));
    let undeclared = get(&room.fault_url("oversized?declared=false&mb=3")).await;
    assert_eq!(undeclared.header("content-length"), None);
    assert_eq!(undeclared.header("transfer-encoding"), Some("chunked"));
    assert_eq!(undeclared.body.len(), 3 * 1024 * 1024);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gzip_bomb_is_small_and_inflates_to_zeros() {
    let room = newsroom().await;
    let bomb = get(&room.fault_url("gzip-bomb")).await;
    assert_eq!(bomb.header("content-encoding"), Some("gzip"));
    let len: usize = bomb.header("content-length").unwrap().parse().unwrap();
    assert_eq!(len, bomb.body.len());
    assert!(len < 1_200_000, "compressed size {len}");
    // Inflate a 16 MiB prefix: all zeros.
    let mut prefix = vec![0u8; 16 * 1024 * 1024];
    flate2::read::GzDecoder::new(&bomb.body[..])
        .read_exact(&mut prefix)
        .unwrap();
    assert!(prefix.iter().all(|b| *b == 0));
    // A smaller bomb inflates completely, with a valid CRC and size trailer.
    let small = get(&room.fault_url("gzip-bomb?mb=8")).await;
    let mut all = Vec::new();
    flate2::read::GzDecoder::new(&small.body[..])
        .read_to_end(&mut all)
        .unwrap();
    assert_eq!(all.len(), 8 * 1024 * 1024);
    assert!(small.body.len() * 500 < all.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redirect_loop_and_chain() {
    let room = newsroom().await;
    let a = get(&room.fault_url("redirect-loop/a")).await;
    assert_eq!(
        (a.status, a.header("location")),
        (302, Some("/faults/redirect-loop/b"))
    );
    let b = get(&room.fault_url("redirect-loop/b")).await;
    assert_eq!(
        (b.status, b.header("location")),
        (302, Some("/faults/redirect-loop/a"))
    );

    let mut url = room.fault_url("redirect-chain/50");
    let mut hops = 0;
    loop {
        let r = get(&url).await;
        if r.status == 200 {
            break;
        }
        assert_eq!(r.status, 302);
        url = room.url(r.header("location").unwrap());
        hops += 1;
        assert!(hops <= 50);
    }
    assert_eq!(hops, 50);
    let to = get(&room.fault_url("redirect-chain/0?status=301&to=/about")).await;
    assert_eq!((to.status, to.header("location")), (301, Some("/about")));
    let one = get(&room.fault_url("redirect-chain/1?status=308")).await;
    assert_eq!(
        (one.status, one.header("location")),
        (308, Some("/faults/redirect-chain/0?status=308"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deep_nesting() {
    let room = newsroom().await;
    let page = get(&room.fault_url("deep-nesting")).await.text();
    assert_eq!(page.matches("<div>").count(), 200_000);
    assert_eq!(page.matches("</div>").count(), 200_000);
    assert_eq!(
        get(&room.fault_url("deep-nesting?depth=10"))
            .await
            .text()
            .matches("<div>")
            .count(),
        10
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn encodings_invalid_legacy_and_mislabelled() {
    let room = newsroom().await;
    let invalid = get(&room.fault_url("invalid-utf8")).await;
    assert_eq!(
        invalid.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(std::str::from_utf8(&invalid.body).is_err());

    let legacy = get(&room.fault_url("windows-1252")).await;
    assert_eq!(
        legacy.header("content-type"),
        Some("text/html"),
        "declared only by <meta>"
    );
    assert!(std::str::from_utf8(&legacy.body).is_err());
    let (text, _, bad) = encoding_rs::WINDOWS_1252.decode(&legacy.body);
    assert!(!bad);
    assert!(text.contains("<meta charset=\"windows-1252\">"));
    assert!(text.contains(&format!("<p>{WINDOWS_1252_TEXT}</p>")));

    let wrong = get(&room.fault_url("wrong-charset")).await;
    assert_eq!(
        wrong.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(std::str::from_utf8(&wrong.body).is_err());
    let latin1: String = wrong.body.iter().map(|b| *b as char).collect();
    assert!(latin1.contains(&format!("<p>{LATIN1_TEXT}</p>")));

    let binary = get(&room.fault_url("binary")).await;
    assert_eq!(
        binary.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(binary.body.len(), 64 * 1024);
    assert!(std::str::from_utf8(&binary.body).is_err());
    let png = get(&room.fault_url("binary?kind=png")).await;
    assert!(png.body.starts_with(b"\x89PNG\r\n\x1a\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_feeds() {
    let room = newsroom().await;
    let huge = get(&room.fault_url("huge-feed.xml?entries=20000")).await;
    let feed = feed_rs::parser::parse(&huge.body[..]).unwrap();
    assert_eq!(feed.entries.len(), 20_000);
    // The default million-entry feed streams: read 2 MB of it and hang up.
    let mut s = send("GET", &room.fault_url("huge-feed.xml"), &[], None).await;
    let (status, _, mut got) = read_head(&mut s).await;
    assert_eq!(status, 200);
    let mut buf = vec![0u8; 64 * 1024];
    while got.len() < 2_000_000 {
        let n = s.read(&mut buf).await.unwrap();
        assert!(n > 0);
        got.extend_from_slice(&buf[..n]);
    }
    assert!(String::from_utf8_lossy(&got).matches("<item>").count() > 5000);
    drop(s);

    let bomb = get(&room.fault_url("entity-bomb.xml")).await.text();
    assert!(bomb.contains("<!ENTITY lol9") && bomb.len() < 4096);
    assert!(
        feed_rs::parser::parse(
            get(&room.fault_url("truncated-feed.xml"))
                .await
                .body
                .as_slice()
        )
        .is_err()
    );
    assert!(
        feed_rs::parser::parse(
            get(&room.fault_url("garbage-feed.xml"))
                .await
                .body
                .as_slice()
        )
        .is_err()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connection_reset_half_way() {
    let room = newsroom().await;
    let mut s = send("GET", &room.fault_url("reset?len=100000"), &[], None).await;
    let (status, headers, mut got) = read_head(&mut s).await;
    assert_eq!(status, 200);
    assert!(
        headers
            .iter()
            .any(|(k, v)| k == "content-length" && v == "100000")
    );
    let mut buf = vec![0u8; 16 * 1024];
    let ended = loop {
        match tokio::time::timeout(Duration::from_secs(5), s.read(&mut buf))
            .await
            .expect("reset within 5 s")
        {
            Ok(0) => break None,
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) => break Some(e.kind()),
        }
    };
    assert_eq!(
        ended,
        Some(std::io::ErrorKind::ConnectionReset),
        "closed with a TCP reset"
    );
    assert!(got.len() < 100_000, "body cut short ({} bytes)", got.len());
    assert!(
        got.len() >= 40_000,
        "about half arrived ({} bytes)",
        got.len()
    );
    // The server carries on.
    assert_eq!(get(&room.front_page_url()).await.status, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flaky_rate_limited_status_and_slow() {
    let room = newsroom().await;
    let codes = |n| {
        let url = room.fault_url(&format!("flaky/k1?failures={n}"));
        async move {
            let mut out = Vec::new();
            for _ in 0..n + 2 {
                out.push(get(&url).await.status);
            }
            out
        }
    };
    assert_eq!(codes(2).await, [503, 503, 200, 200]);
    let other = get(&room.fault_url("flaky/k2?failures=1")).await;
    assert_eq!(
        (other.status, other.header("retry-after")),
        (503, Some("1"))
    );

    let limited = get(&room.fault_url("rate-limited/r1?failures=1&retry_after=3")).await;
    assert_eq!(
        (limited.status, limited.header("retry-after")),
        (429, Some("3"))
    );
    assert_eq!(
        get(&room.fault_url("rate-limited/r1?failures=1&retry_after=3"))
            .await
            .status,
        200
    );

    for code in [404u16, 410, 500] {
        assert_eq!(
            get(&room.fault_url(&format!("status/{code}"))).await.status,
            code
        );
    }

    let start = Instant::now();
    let slow = get_with(&room.fault_url("slow?delay_ms=300"), &[]).await;
    assert_eq!(slow.status, 200);
    assert!(start.elapsed() >= Duration::from_millis(300));
    assert_eq!(get(&room.fault_url("")).await.status, 200, "the index");
}
