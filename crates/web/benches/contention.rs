//! One visitor cannot occupy the machine: 8 clients repeat common-word
//! searches as fast as the server answers (ignoring Retry-After) while a
//! ninth reads article and diff pages at a reader's pace (one request
//! every 20 ms, article and diff pages alternating, random articles so the
//! diffs are computed); the ninth's latency is what counts. Each client
//! connects from its own loopback address (127.0.0.2 for the reader,
//! 127.0.0.10-17 for the searchers), as distinct visitors would.
//!
//! ```sh
//! cargo bench -p redline-web --bench pages        # builds the database once
//! cargo bench -p redline-web --bench contention
//! ```
//!
//! Three runs: the reader alone, the reader with the 8 searchers and the
//! default limits, and the same without limits (for comparison).
//! `REDLINE_BENCH_SECONDS` (default 30) sets the length of the contended
//! runs. The database is `target/tmp/bench-web.db`, built by the `pages`
//! benchmark.

mod common;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use http_body_util::{BodyExt, Empty};
use hyper::Request;
use hyper_util::rt::TokioIo;
use redline_store::{SqliteStore, prelude::*};
use redline_web::{Limits, WebConfig};

const SEARCHERS: u8 = 8;
const SEARCHES: &[&str] = &[
    "/search?q=%22peace+talks%22+pension",
    "/search?q=merger+-strike",
];
const READER_PACE: Duration = Duration::from_millis(20);

/// A small deterministic generator (xorshift).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

type Sender = hyper::client::conn::http1::SendRequest<Empty<Bytes>>;

async fn connect(from: &str, to: SocketAddr) -> Sender {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind(format!("{from}:0").parse().unwrap()).unwrap();
    let stream = socket.connect(to).await.unwrap();
    stream.set_nodelay(true).unwrap();
    let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .unwrap();
    tokio::spawn(conn);
    sender
}

/// Sends one GET; the status, or None when the connection broke.
async fn get(sender: &mut Sender, path: &str) -> Option<u16> {
    let req = Request::get(path)
        .header("host", "127.0.0.1")
        .body(Empty::<Bytes>::new())
        .unwrap();
    let resp = sender.send_request(req).await.ok()?;
    let status = resp.status().as_u16();
    resp.into_body().collect().await.ok()?;
    Some(status)
}

#[derive(Default)]
struct Counts {
    ok: AtomicU64,
    limited: AtomicU64,
    busy: AtomicU64,
    other: AtomicU64,
}

impl Counts {
    fn add(&self, status: Option<u16>) {
        let c = match status {
            Some(200) => &self.ok,
            Some(429) => &self.limited,
            Some(503) => &self.busy,
            _ => &self.other,
        };
        c.fetch_add(1, Ordering::Relaxed);
    }

    fn line(&self) -> String {
        let g = |c: &AtomicU64| c.load(Ordering::Relaxed);
        format!(
            "{} answered, {} 429, {} 503, {} other",
            g(&self.ok),
            g(&self.limited),
            g(&self.busy),
            g(&self.other)
        )
    }
}

/// A server on its own runtime with two workers (this machine's cores).
fn start_server(store: Arc<SqliteStore>, limits: Limits) -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            redline_web::serve_with(
                listener,
                store as Arc<dyn Store>,
                WebConfig::default(),
                limits,
                std::future::pending(),
            )
            .await
            .unwrap();
        });
    });
    addr
}

/// The searchers, each on a connection of its own, until `stop`.
fn start_searchers(addr: SocketAddr, stop: Arc<AtomicBool>, counts: Arc<Counts>) {
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let mut tasks = Vec::new();
            for k in 0..SEARCHERS {
                let (stop, counts) = (stop.clone(), counts.clone());
                tasks.push(tokio::spawn(async move {
                    let from = format!("127.0.0.{}", 10 + k);
                    let mut sender = connect(&from, addr).await;
                    let mut i = usize::from(k);
                    while !stop.load(Ordering::Relaxed) {
                        let status = get(&mut sender, SEARCHES[i % SEARCHES.len()]).await;
                        counts.add(status);
                        if status.is_none() {
                            sender = connect(&from, addr).await;
                        }
                        i += 1;
                    }
                }));
            }
            for t in tasks {
                let _ = t.await;
            }
        });
    });
}

/// The reader, at its pace, for `length`: its latencies and answers.
fn read(addr: SocketAddr, paths: &[String], length: Duration) -> (Vec<Duration>, Counts) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async move {
        let mut sender = connect("127.0.0.2", addr).await;
        let counts = Counts::default();
        let mut latencies = Vec::new();
        let start = Instant::now();
        let mut next = Instant::now();
        let mut i = 0;
        while start.elapsed() < length {
            tokio::time::sleep_until(next.into()).await;
            next += READER_PACE;
            let t = Instant::now();
            let status = get(&mut sender, &paths[i % paths.len()]).await;
            latencies.push(t.elapsed());
            counts.add(status);
            if status.is_none() {
                sender = connect("127.0.0.2", addr).await;
            }
            i += 1;
        }
        latencies.sort();
        (latencies, counts)
    })
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)].as_secs_f64() * 1000.0
}

fn report(name: &str, latencies: &[Duration], reader: &Counts, searches: Option<&Counts>) {
    println!(
        "{name:<34} reader p50 {:>6.2} ms  p99 {:>6.2} ms  max {:>7.2} ms  ({} requests: {})",
        percentile(latencies, 0.5),
        percentile(latencies, 0.99),
        latencies.last().map_or(0.0, |d| d.as_secs_f64() * 1000.0),
        latencies.len(),
        reader.line()
    );
    if let Some(s) = searches {
        println!("{:<34} searches: {}", "", s.line());
    }
}

fn main() {
    let seconds: u64 = std::env::var("REDLINE_BENCH_SECONDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(30);
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bench-web.db");
    if !path.exists() {
        eprintln!(
            "{} does not exist: run `cargo bench -p redline-web --bench pages` first, which builds it",
            path.display()
        );
        std::process::exit(1);
    }
    let store = Arc::new(SqliteStore::open(&path).unwrap());
    let totals = store.totals().unwrap();

    // The reader's pages: random articles with at least two versions,
    // each page then the diff of its last two versions.
    let changed = common::changed_articles(store.as_ref());
    assert!(!changed.is_empty(), "the database has no changed articles");
    let mut r = Rng(7);
    let mut paths = Vec::new();
    for _ in 0..4000 {
        let (id, n) = changed[r.below(changed.len())];
        paths.push(format!("/articles/{id}"));
        paths.push(format!("/articles/{id}/diff/{}/{}", n - 2, n - 1));
    }

    println!(
        "{} articles, {} versions; the reader asks every {} ms, alternating article and diff pages; \
         {SEARCHERS} searchers repeat common-word searches without pause",
        totals.articles,
        totals.versions,
        READER_PACE.as_millis()
    );
    let length = Duration::from_secs(seconds);
    let unlimited = Limits {
        searches_at_once: 1 << 16,
        search_queue_wait: Duration::from_secs(3600),
        search_budget: Duration::from_secs(3600),
        per_client: false,
        ..Limits::default()
    };
    let runs: [(&str, Limits, bool, Duration); 3] = [
        (
            "alone (default limits)",
            Limits::default(),
            false,
            length / 3,
        ),
        (
            "8 searchers, default limits",
            Limits::default(),
            true,
            length,
        ),
        ("8 searchers, no limits", unlimited, true, length),
    ];
    for (name, limits, contended, length) in runs {
        let addr = start_server(store.clone(), limits);
        std::thread::sleep(Duration::from_millis(200));
        let stop = Arc::new(AtomicBool::new(false));
        let searches = Arc::new(Counts::default());
        if contended {
            start_searchers(addr, stop.clone(), searches.clone());
            // Let the searches pile up first.
            std::thread::sleep(Duration::from_secs(1));
        }
        // A new server each run: its diff cache starts empty.
        let (latencies, reader) = read(addr, &paths, length);
        stop.store(true, Ordering::Relaxed);
        report(name, &latencies, &reader, contended.then_some(&*searches));
        // Let the searches still running drain before the next run.
        std::thread::sleep(Duration::from_secs(2));
    }
}
