//! A real fetched exchange, converted to a `redline_archive::Capture` by
//! `Exchange::to_capture` (the crawler's one conversion), written as WARC
//! and read back unchanged.

mod support;

use std::io::Write;

use redline_archive::{ArchiveWriter, read_capture, records};
use redline_fetch::{FetchRequest, FetchSettings, Fetcher};
use support::TestServer;
use tokio::io::AsyncWriteExt;

#[tokio::test]
async fn fetched_exchange_round_trips_through_the_archive() {
    let html = "<html><p>Minister resigns.</p></html>".repeat(50);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(html.as_bytes()).unwrap();
    let gz = gz.finish().unwrap();
    let server = TestServer::start(move |_, mut stream| {
        let gz = gz.clone();
        async move {
            let head = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\
                        Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
            let _ = stream.write_all(head.as_bytes()).await;
            for chunk in gz.chunks(100) {
                let _ = stream
                    .write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
                    .await;
                let _ = stream.write_all(chunk).await;
                let _ = stream.write_all(b"\r\n").await;
            }
            let _ = stream.write_all(b"0\r\n\r\n").await;
        }
    })
    .await;
    let fetcher = Fetcher::new(FetchSettings {
        respect_robots: false,
        per_host_delay: std::time::Duration::ZERO,
        allow_networks: vec!["127.0.0.1/32".parse().unwrap()],
        ..FetchSettings::default()
    })
    .unwrap();
    let fetched = fetcher
        .fetch(FetchRequest::new(server.url("/politics/1")))
        .await
        .unwrap();
    assert_eq!(fetched.body, html.as_bytes());

    let dir = std::env::temp_dir().join(format!("redline-fetch-warc-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut writer = ArchiveWriter::open(&dir, redline_archive::DEFAULT_MAX_FILE_BYTES).unwrap();
    let location = writer.append(&fetched.exchange.to_capture()).unwrap();

    let stored = read_capture(&dir, &location).unwrap();
    assert_eq!(stored.target_uri, fetched.final_url.as_str());
    assert_eq!(stored.status, 200);
    assert_eq!(stored.payload, fetched.exchange.raw_body.as_ref());
    assert_eq!(
        redline_fetch::decode_body(
            stored.header_values("content-encoding"),
            &stored.payload,
            10 << 20
        )
        .unwrap(),
        fetched.body.as_ref()
    );
    assert!(
        stored.header("transfer-encoding").is_none(),
        "stored de-chunked"
    );
    assert_eq!(stored.header("content-encoding"), Some(&b"gzip"[..]));
    assert_eq!(stored.ip_address, Some("127.0.0.1".parse().unwrap()));

    let path = dir.join(&location.file);
    let all: Vec<_> = records(&path).unwrap().collect::<Result<_, _>>().unwrap();
    let request = all
        .iter()
        .find(|r| r.warc_type() == Some("request"))
        .unwrap();
    let request_text = String::from_utf8_lossy(&request.block);
    assert!(request_text.starts_with("GET /politics/1 HTTP/1.1\r\nHost: 127.0.0.1:"));
    assert!(request_text.contains("\r\nAccept-Encoding: gzip, deflate, br\r\n"));

    // warcio (the reference WARC reader) reads the file back: the binary
    // of REDLINE_WARCIO (the virtual environment .ci/run makes), else
    // `warcio` on the PATH. Required when REDLINE_REQUIRE_WARCIO is set (in
    // CI); otherwise a missing warcio is a loud skip.
    let warcio = std::env::var("REDLINE_WARCIO").unwrap_or_else(|_| "warcio".into());
    if std::process::Command::new(&warcio)
        .arg("--help")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        let check = std::process::Command::new(&warcio)
            .arg("check")
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            check.status.success(),
            "{}",
            String::from_utf8_lossy(&check.stdout)
        );
    } else {
        assert!(
            std::env::var_os("REDLINE_REQUIRE_WARCIO").is_none(),
            "{warcio} cannot be run, and REDLINE_REQUIRE_WARCIO is set"
        );
        eprintln!("SKIPPED: {warcio} is not installed: the WARC file was not checked by warcio");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
