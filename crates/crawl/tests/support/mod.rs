//! A tiny HTTP/1.1 server on 127.0.0.1 for the crawl tests: each request's
//! path is answered by a function of the server's port and that path, and
//! the requests reaching it are counted.

#![allow(dead_code)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// An answer: status line (`"200 OK"`), Content-Type and body.
pub type Answer = (&'static str, &'static str, String);

/// Serves `answer(port, path)` to every request on a free port of
/// 127.0.0.1; returns the port and the count of requests received.
pub async fn serve(
    answer: impl Fn(u16, &str) -> Answer + Send + Sync + 'static,
) -> (u16, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    let answer = Arc::new(answer);
    tokio::spawn(async move {
        loop {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            let counter = counter.clone();
            let answer = answer.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut byte = [0u8; 1];
                while !buf.ends_with(b"\r\n\r\n") {
                    if stream.read(&mut byte).await.unwrap_or(0) == 0 {
                        return;
                    }
                    buf.push(byte[0]);
                }
                counter.fetch_add(1, Ordering::SeqCst);
                let head = String::from_utf8_lossy(&buf).to_string();
                let path = head.split(' ').nth(1).unwrap_or("/").to_string();
                let (status, kind, body) = answer(port, &path);
                let response = format!(
                    "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\n\
                     Connection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = stream.write_all(response.as_bytes()).await;
            });
        }
    });
    (port, hits)
}

/// A crawler on `config`'s database and archive (a 64 MiB file limit),
/// with the fetch settings of its `[crawl]` section; returns the store, the
/// crawler and the name of the WARC file it writes first.
pub async fn crawler(
    config: &redline_config::Config,
) -> (
    Arc<redline_store::SqliteStore>,
    redline_crawl::Crawler,
    String,
) {
    let store = Arc::new(
        redline_store::SqliteStore::open(config.storage.database.sqlite_path().unwrap()).unwrap(),
    );
    let settings = redline_fetch::FetchSettings::from(&config.crawl);
    let fetcher = redline_fetch::Fetcher::new(settings).unwrap();
    let archive = redline_archive::ArchiveWriter::open(&config.storage.archive, 64 << 20).unwrap();
    let file = archive.current_file().to_string();
    let options = redline_crawl::CrawlerOptions::default();
    let crawler = redline_crawl::Crawler::new(config, store.clone(), fetcher, archive, options)
        .await
        .unwrap();
    (store, crawler, file)
}
