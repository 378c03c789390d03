//! Benchmark: CPU time per article check on real pages, redline against
//! diffengine's pipeline, in the same run.
//!
//! The 711 real article pages of `testdata/wcxb-dev-articles` (loaded as
//! the extraction benchmarks load them, `crates/extract/benches/score`) are
//! served from memory on loopback behind an RSS feed, by a small HTTP/1.1
//! server on a thread of its own (`text/html; charset=utf-8` for the pages
//! that are valid UTF-8, bare `text/html` for the others; no validators, so
//! every check downloads the whole page; robots.txt 404). Then, each pass
//! on a fresh database and archive:
//! 1. first crawl: poll the feed and check every new article (discovery,
//!    the first text, its confirmation fetch, version 0 stored);
//! 2. re-check: every article again, unchanged.
//!
//! The figure is the process's CPU time (user + system,
//! `CLOCK_PROCESS_CPUTIME_ID`: every thread, the blocking pool and SQLite
//! included) less the server thread's own (`CLOCK_THREAD_CPUTIME_ID`,
//! reported apart), divided by the number of checks; the median of the
//! passes is printed with the wall time.
//!
//! With `REDLINE_BENCH_PYTHON=/path/to/python` (a Python with
//! `benches/diffengine/requirements.txt` installed), the same server then
//! serves diffengine's pipeline (`benches/diffengine/pipeline.py`: requests,
//! readability-lxml, bleach, per page as diffengine's `Entry.get_latest`),
//! which reports its own CPU time per page, and the ratio is printed.
//!
//! `cargo bench -p redline-crawl --bench real_pages [-- PASSES]` (default 3).

use std::collections::HashMap;
use std::io::Write as _;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chrono::Utc;
use redline_config::{Config, Origin};
use redline_store::prelude::*;
use rustix::time::{ClockId, clock_gettime};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

mod common;
#[path = "../../extract/benches/score/mod.rs"]
mod score;

fn cpu(clock: ClockId) -> Duration {
    let t = clock_gettime(clock);
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}

/// What the server serves, and what it has cost.
struct Site {
    /// Path → (content type, body).
    routes: HashMap<String, (&'static str, Vec<u8>)>,
    /// CPU time of the server's thread, in ns, as of its last response.
    cpu_ns: AtomicU64,
    requests: AtomicU64,
}

impl Site {
    fn cpu(&self) -> Duration {
        Duration::from_nanos(self.cpu_ns.load(Ordering::SeqCst))
    }
}

/// Serves `pages` at `/a/N` and their feed at `/feed.xml`, on a thread of
/// its own with a single-threaded runtime (so its CPU time is one thread's).
fn serve(pages: &[score::Page]) -> (SocketAddr, Arc<Site>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    let base = format!("http://{addr}");
    let now = Utc::now().to_rfc2822();
    let mut routes = HashMap::new();
    let mut items = String::new();
    for (n, page) in pages.iter().enumerate() {
        let kind = match std::str::from_utf8(&page.bytes) {
            Ok(_) => "text/html; charset=utf-8",
            Err(_) => "text/html",
        };
        routes.insert(format!("/a/{n}"), (kind, page.bytes.clone()));
        items.push_str(&format!(
            "<item><title>Article {n}</title><link>{base}/a/{n}</link>\
             <guid>{base}/a/{n}</guid><pubDate>{now}</pubDate></item>\n"
        ));
    }
    let feed = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel>\
         <title>Real pages</title><link>{base}/</link><description>WCXB pages</description>\n\
         {items}</channel></rss>\n"
    );
    routes.insert(
        "/feed.xml".to_string(),
        ("application/rss+xml", feed.into_bytes()),
    );
    let site = Arc::new(Site {
        routes,
        cpu_ns: AtomicU64::new(0),
        requests: AtomicU64::new(0),
    });
    let served = site.clone();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(async move {
            listener.set_nonblocking(true).expect("nonblocking");
            let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                tokio::spawn(connection(stream, served.clone()));
            }
        });
    });
    (addr, site)
}

/// One keep-alive HTTP/1.1 connection: GETs only, bodies with a length.
async fn connection(mut stream: tokio::net::TcpStream, site: Arc<Site>) {
    let _ = stream.set_nodelay(true);
    let mut buffer = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    loop {
        let end = loop {
            if let Some(i) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            }
        };
        let head = String::from_utf8_lossy(&buffer[..end]).to_ascii_lowercase();
        buffer.drain(..end);
        let path = head.split_whitespace().nth(1).unwrap_or("/").to_string();
        let close = head.contains("\r\nconnection: close");
        let (status, kind, body): (&str, &str, &[u8]) = match site.routes.get(&path) {
            Some((kind, body)) => ("200 OK", kind, body),
            None => ("404 Not Found", "text/plain", b"not found"),
        };
        let header = format!(
            "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\n{}\r\n",
            body.len(),
            if close { "Connection: close\r\n" } else { "" }
        );
        let written = async {
            stream.write_all(header.as_bytes()).await?;
            stream.write_all(body).await
        }
        .await;
        site.requests.fetch_add(1, Ordering::SeqCst);
        let spent = cpu(ClockId::ThreadCPUTime).as_nanos() as u64;
        site.cpu_ns.fetch_max(spent, Ordering::SeqCst);
        if written.is_err() || close {
            return;
        }
    }
}

/// One phase's figures.
#[derive(Clone, Copy, Default)]
struct Phase {
    checks: u64,
    requests: u64,
    cpu: Duration,
    server_cpu: Duration,
    wall: Duration,
}

impl Phase {
    fn ms_per_check(&self) -> f64 {
        self.cpu.as_secs_f64() * 1000.0 / self.checks.max(1) as f64
    }
}

/// Runs `work` and measures it.
async fn measure<F: Future<Output = u64>>(site: &Site, work: F) -> Phase {
    let (requests, server) = (site.requests.load(Ordering::SeqCst), site.cpu());
    let (cpu0, wall) = (cpu(ClockId::ProcessCPUTime), Instant::now());
    let checks = work.await;
    let (cpu1, wall) = (cpu(ClockId::ProcessCPUTime), wall.elapsed());
    // The server answered before the checks finished: its clock is current.
    let server_cpu = site.cpu() - server;
    Phase {
        checks,
        requests: site.requests.load(Ordering::SeqCst) - requests,
        cpu: (cpu1 - cpu0).saturating_sub(server_cpu),
        server_cpu,
        wall,
    }
}

/// A first crawl and a re-check on a fresh database and archive.
async fn pass(
    addr: SocketAddr,
    site: &Site,
    archive_bytes: &mut u64,
    failed: &mut u64,
) -> [Phase; 2] {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = format!(
        "[storage]\ndatabase = '{db}'\narchive = '{archive}'\n\
         [crawl]\nconcurrency = 16\nper_host_concurrency = 16\nper_host_delay = \"0ms\"\n\
         [[source]]\nname = \"real\"\nfeeds = ['http://{addr}/feed.xml']\n\
         article_url = '^http://{pattern}/a/'\n",
        db = dir.path().join("bench.db").display(),
        archive = dir.path().join("archive").display(),
        pattern = regex::escape(&addr.to_string()),
    );
    let config = Config::parse(&text, Origin::BuiltIn).expect("config");
    let (store, crawler) = common::crawler(&config, 16).await;
    let run = || async {
        let before = crawler.stats().snapshot().checks;
        crawler.run_once().await.expect("crawl");
        crawler.stats().snapshot().checks - before
    };
    let first = measure(site, run()).await;
    let now = Utc::now();
    for article in store.articles(&Default::default()).expect("articles") {
        store.schedule_check(article.id, now).expect("schedule");
    }
    let versions = crawler.stats().snapshot().new_versions;
    let again = measure(site, run()).await;
    let totals = crawler.stats().snapshot();
    assert_eq!(
        totals.new_versions, versions,
        "an unchanged page made a version"
    );
    // A few real pages yield no text (nothing to store): they count as checks.
    *failed = totals.errors;
    *archive_bytes = std::fs::read_dir(&config.storage.archive)
        .expect("archive dir")
        .filter_map(|e| e.ok()?.metadata().ok())
        .map(|m| m.len())
        .sum();
    [first, again]
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let passes: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(3)
        .max(1);
    let pages = score::wcxb_dev();
    let bytes: usize = pages.iter().map(|p| p.bytes.len()).sum();
    let (addr, site) = serve(&pages);
    println!(
        "real pages: {} WCXB article pages, {:.0} KB on average, served on {addr}; {passes} passes",
        pages.len(),
        bytes as f64 / pages.len() as f64 / 1000.0
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let mut runs = Vec::new();
    let (mut archive_bytes, mut failed) = (0, 0);
    for n in 0..passes {
        let phases = runtime.block_on(pass(addr, &site, &mut archive_bytes, &mut failed));
        for (name, p) in ["first crawl", "re-check"].iter().zip(&phases) {
            println!(
                "  pass {n} {name:<12} {:>4} checks {:>5} requests  {:>6.2} ms CPU/check  \
                 wall {:>6.2} s  (server {:.2} ms/request)",
                p.checks,
                p.requests,
                p.ms_per_check(),
                p.wall.as_secs_f64(),
                p.server_cpu.as_secs_f64() * 1000.0 / p.requests.max(1) as f64,
            );
        }
        runs.push(phases);
    }
    let figure = |i: usize| {
        let cpu = median(runs.iter().map(|r| r[i].ms_per_check()).collect());
        let wall = median(runs.iter().map(|r| r[i].wall.as_secs_f64()).collect());
        (cpu, wall)
    };
    let (first, first_wall) = figure(0);
    let (again, again_wall) = figure(1);
    println!(
        "redline     first crawl {first:>6.2} ms CPU/check (wall {first_wall:.2} s)   \
         re-check {again:>6.2} ms CPU/check (wall {again_wall:.2} s)\n            \
         archive {:.1} MB after both; {failed} checks failed (pages without text)",
        archive_bytes as f64 / 1e6
    );
    let _ = std::io::stdout().flush();
    let Ok(python) = std::env::var("REDLINE_BENCH_PYTHON") else {
        println!(
            "(set REDLINE_BENCH_PYTHON to a Python with benches/diffengine/requirements.txt to compare)"
        );
        return;
    };
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/benches/diffengine/pipeline.py"
    );
    let output = std::process::Command::new(python)
        .arg(script)
        .arg(format!("http://{addr}/feed.xml"))
        .arg(passes.to_string())
        .stderr(std::process::Stdio::inherit())
        .output()
        .expect("run pipeline.py");
    assert!(output.status.success(), "pipeline.py failed");
    let report = String::from_utf8_lossy(&output.stdout);
    print!("{report}");
    let figures: HashMap<&str, f64> = report
        .lines()
        .filter_map(|l| l.strip_prefix("result "))
        .filter_map(|l| l.split_once('='))
        .filter_map(|(k, v)| Some((k.trim(), v.trim().parse().ok()?)))
        .collect();
    if let (Some(de_first), Some(de_again)) = (figures.get("first_ms"), figures.get("recheck_ms")) {
        println!(
            "ratio       first crawl {:.1}x   re-check {:.1}x less CPU per check than diffengine's pipeline",
            de_first / first,
            de_again / again
        );
    }
}
