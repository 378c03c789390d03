//! Measures how many article pages per second the newsroom serves on loopback.
//!
//! `cargo run --release -p redline-newsroom --example throughput -- [--articles 2000] [--seconds 5] [--connections 32] [--server-threads 1]`
//!
//! The server runs on its own runtime (`--server-threads` workers, default 1,
//! i.e. half of a 2-core machine, leaving the other core to the client as a
//! crawler would); the client is a lean keep-alive HTTP/1.1 loop on one
//! thread that requests random article pages and reads (but does not
//! decompress) the bodies.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use redline_newsroom::{Newsroom, NewsroomConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

fn arg(name: &str, default: u64) -> u64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Sends one GET on a keep-alive connection and reads the response; returns body bytes.
async fn fetch(s: &mut TcpStream, buf: &mut Vec<u8>, host: &str, path: &str, gzip: bool) -> usize {
    let req = format!(
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: throughput\r\n{}\r\n",
        if gzip {
            "Accept-Encoding: gzip\r\n"
        } else {
            ""
        }
    );
    s.write_all(req.as_bytes()).await.expect("write");
    buf.clear();
    let mut chunk = [0u8; 64 * 1024];
    let (head_end, len) = loop {
        let n = s.read(&mut chunk).await.expect("read");
        assert!(n > 0, "server closed the connection");
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = std::str::from_utf8(&buf[..end]).expect("ascii head");
            assert!(head.starts_with("HTTP/1.1 200"), "{head}");
            let len = head
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().parse::<usize>())
                })
                .expect("content-length")
                .expect("number");
            break (end + 4, len);
        }
    };
    while buf.len() < head_end + len {
        let n = s.read(&mut chunk).await.expect("read");
        assert!(n > 0);
        buf.extend_from_slice(&chunk[..n]);
    }
    len
}

async fn run(
    paths: Arc<Vec<String>>,
    host: String,
    connections: u64,
    duration: Duration,
    gzip: bool,
) -> (u64, u64) {
    let pages = Arc::new(AtomicU64::new(0));
    let bytes = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let mut tasks = Vec::new();
    for c in 0..connections {
        let (paths, host, pages, bytes, stop) = (
            paths.clone(),
            host.clone(),
            pages.clone(),
            bytes.clone(),
            stop.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut s = TcpStream::connect(&host).await.expect("connect");
            s.set_nodelay(true).ok();
            let mut buf = Vec::with_capacity(128 * 1024);
            let mut i = (c as usize * 7919) % paths.len();
            while !stop.load(Ordering::Relaxed) {
                i = (i * 31 + 17) % paths.len();
                let n = fetch(&mut s, &mut buf, &host, &paths[i], gzip).await;
                pages.fetch_add(1, Ordering::Relaxed);
                bytes.fetch_add(n as u64, Ordering::Relaxed);
            }
        }));
    }
    tokio::time::sleep(duration).await;
    stop.store(true, Ordering::Relaxed);
    for t in tasks {
        t.await.expect("client task");
    }
    (pages.load(Ordering::Relaxed), bytes.load(Ordering::Relaxed))
}

fn main() {
    let articles = arg("--articles", 2000) as usize;
    let seconds = arg("--seconds", 5);
    let connections = arg("--connections", 32);
    let server_threads = arg("--server-threads", 1) as usize;

    let started = Instant::now();
    let room = Newsroom::start_detached(NewsroomConfig {
        articles,
        seed: 1,
        worker_threads: server_threads,
        ..Default::default()
    })
    .expect("start newsroom");
    let startup = started.elapsed();
    let base = room.base_url().trim_end_matches('/').to_string();
    let host = base.trim_start_matches("http://").to_string();
    let paths: Arc<Vec<String>> = Arc::new(
        room.article_ids()
            .iter()
            .map(|id| room.article_url(*id)[base.len()..].to_string())
            .collect(),
    );

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("client runtime");
    rt.block_on(async {
        // First pass over every article (pages were pre-rendered at start-up).
        let t = Instant::now();
        let mut s = TcpStream::connect(&host).await.expect("connect");
        let mut buf = Vec::new();
        for p in paths.iter() {
            fetch(&mut s, &mut buf, &host, p, true).await;
        }
        let cold = t.elapsed();
        println!(
            "newsroom throughput: {articles} articles, {connections} keep-alive connections, {server_threads} server thread(s), client on 1 thread"
        );
        println!(
            "start-up (incl. pre-rendering) {:.0} ms; first pass over all articles, 1 connection: {:.0} pages/s",
            startup.as_secs_f64() * 1e3,
            paths.len() as f64 / cold.as_secs_f64()
        );
        for gzip in [true, false] {
            let d = Duration::from_secs(seconds);
            let (pages, bytes) = run(paths.clone(), host.clone(), connections, d, gzip).await;
            println!(
                "{:>8}: {:>8.0} pages/s, {:>6.1} MB/s, {:>5.1} KB/page",
                if gzip { "gzip" } else { "identity" },
                pages as f64 / d.as_secs_f64(),
                bytes as f64 / d.as_secs_f64() / 1e6,
                bytes as f64 / pages.max(1) as f64 / 1e3
            );
        }
    });
    drop(room);
}
