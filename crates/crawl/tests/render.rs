//! A source with `render = "chromium"` in a crawl: a feed on 127.0.0.1
//! lists an article whose text is written by a script. The version stored
//! is the script's text, and the WARC holds the raw response (as served,
//! script and all) with the rendered DOM as a `conversion` record right
//! after it, referring to it; the version points at its capture.
//!
//! Without Chromium the test says so loudly and passes, unless
//! `REDLINE_REQUIRE_BROWSER=1` (CI sets it), when it fails.

mod support;

use std::path::PathBuf;
use std::sync::Arc;

use redline_archive::{ArchiveWriter, CaptureLocation, WarcRecord, read_capture, read_conversion};
use redline_config::{Config, Origin};
use redline_crawl::{Crawler, CrawlerOptions};
use redline_fetch::{FetchSettings, Fetcher};
use redline_store::{SqliteStore, prelude::*};

const ARTICLE: &str = "<!DOCTYPE html><html><head><title>Tram line opens</title></head><body>\
<article><h1>Tram line opens</h1><div id=\"story\"><p>Loading…</p></div></article><script>\
document.getElementById('story').innerHTML = '<p>The new tram line opened on Monday with \
free rides for the first week.</p><p>The city expects twelve thousand passengers a day.</p>';\
</script></body></html>";

const RENDERED: &str = "<!DOCTYPE html>\n<html><head><title>Tram line opens</title></head><body>\
<article><h1>Tram line opens</h1><div id=\"story\"><p>The new tram line opened on Monday with \
free rides for the first week.</p><p>The city expects twelve thousand passengers a day.</p>\
</div></article><script>document.getElementById('story').innerHTML = '<p>The new tram line \
opened on Monday with free rides for the first week.</p><p>The city expects twelve thousand \
passengers a day.</p>';</script></body></html>";

fn chromium() -> Option<PathBuf> {
    let path = PathBuf::from("/usr/bin/chromium");
    if path.is_file() {
        return Some(path);
    }
    if std::env::var("REDLINE_REQUIRE_BROWSER").as_deref() == Ok("1") {
        panic!(
            "REDLINE_REQUIRE_BROWSER=1 but /usr/bin/chromium is missing (apt-get install chromium)"
        );
    }
    eprintln!();
    eprintln!("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!");
    eprintln!("!! SKIPPED the crawl render test: /usr/bin/chromium is missing");
    eprintln!("!! (apt-get install chromium; REDLINE_REQUIRE_BROWSER=1 to fail)");
    eprintln!("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!");
    None
}

/// A server on 127.0.0.1 answering `/feed.xml` and `/a1`.
async fn server() -> u16 {
    support::serve(|port, path| match path {
        "/feed.xml" => ("200 OK", "application/rss+xml", feed(port)),
        "/a1" => ("200 OK", "text/html; charset=utf-8", ARTICLE.to_string()),
        _ => ("404 Not Found", "text/plain", "not here".to_string()),
    })
    .await
    .0
}

fn feed(port: u16) -> String {
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Local</title>\
         <link>http://127.0.0.1:{port}/</link><description>d</description><item><title>Tram\
         </title><link>http://127.0.0.1:{port}/a1</link></item></channel></rss>"
    )
}

/// A record's WARC headers without those that differ from run to run.
fn stable_headers(record: &WarcRecord) -> Vec<(String, String)> {
    record
        .headers
        .iter()
        .filter(|(name, _)| !matches!(name.as_str(), "WARC-Record-ID" | "WARC-Date"))
        .cloned()
        .collect()
}

#[tokio::test]
async fn a_rendered_source_stores_the_script_text_and_archives_both_forms() {
    let Some(chromium) = chromium() else { return };
    let port = server().await;
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        r#"
[storage]
database = '{db}'
archive = '{archive}'
[crawl]
user_agent = "redline-test/1.0"
per_host_delay = "0ms"
timeout = "3s"
retries = 0
respect_robots = false
[render]
chromium = '{chromium}'
timeout = "20s"
[[source]]
name = "spa"
feeds = ['http://127.0.0.1:{port}/feed.xml']
render = "chromium"
"#,
        db = dir.path().join("redline.db").display(),
        archive = dir.path().join("archive").display(),
        chromium = chromium.display(),
    );
    let config = Config::parse(&text, Origin::BuiltIn).unwrap();
    let store =
        Arc::new(SqliteStore::open(config.storage.database.sqlite_path().unwrap()).unwrap());
    let fetcher = Fetcher::new(FetchSettings::from(&config.crawl)).unwrap();
    let archive = ArchiveWriter::open(&config.storage.archive, 64 << 20).unwrap();
    let file = archive.current_file().to_string();
    let crawler = Crawler::new(
        &config,
        store.clone(),
        fetcher,
        archive,
        CrawlerOptions::default(),
    )
    .await
    .unwrap();
    crawler.run_once().await.unwrap();

    let url = format!("http://127.0.0.1:{port}/a1");
    let article = store
        .find_by_url(&url)
        .unwrap()
        .expect("the article is tracked");
    assert_eq!(article.version_count, 1, "{:?}", article.last_error);
    let version = store.version(article.id, 0).unwrap().unwrap();
    assert_eq!(version.text.title, "Tram line opens");
    assert_eq!(
        version.text.paragraphs,
        [
            "The new tram line opened on Monday with free rides for the first week.",
            "The city expects twelve thousand passengers a day.",
        ]
    );

    // The WARC: the feed's capture, then the article's two fetches (the
    // second confirms the first text), each response followed by its
    // request and its rendered DOM.
    let archive_dir = &config.storage.archive;
    let records: Vec<WarcRecord> = redline_archive::records(&archive_dir.join(&file))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let kinds: Vec<(&str, &str)> = records
        .iter()
        .map(|r| {
            (
                r.warc_type().unwrap(),
                r.header("WARC-Target-URI").unwrap_or_default(),
            )
        })
        .collect();
    let feed_url = format!("http://127.0.0.1:{port}/feed.xml");
    assert_eq!(
        kinds,
        [
            ("warcinfo", ""),
            ("response", feed_url.as_str()),
            ("request", feed_url.as_str()),
            ("response", url.as_str()),
            ("request", url.as_str()),
            ("conversion", url.as_str()),
            ("response", url.as_str()),
            ("request", url.as_str()),
            ("conversion", url.as_str()),
        ]
    );
    let info_id = records[0].header("WARC-Record-ID").unwrap().to_string();
    let digest = redline_archive::sha1_digest(RENDERED.as_bytes());
    for (response, conversion) in [(&records[3], &records[5]), (&records[6], &records[8])] {
        let response_id = response.header("WARC-Record-ID").unwrap().to_string();
        let expected: Vec<(String, String)> = [
            ("WARC-Type", "conversion"),
            ("WARC-Target-URI", url.as_str()),
            ("WARC-Refers-To", response_id.as_str()),
            ("WARC-Warcinfo-ID", info_id.as_str()),
            ("WARC-Block-Digest", digest.as_str()),
            ("WARC-Payload-Digest", digest.as_str()),
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", &RENDERED.len().to_string()),
        ]
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
        assert_eq!(stable_headers(conversion), expected);
        assert_eq!(String::from_utf8_lossy(&conversion.block), RENDERED);
        // The raw response is as served: the script, not its text.
        let block = String::from_utf8_lossy(&response.block);
        assert!(block.ends_with(&format!("\r\n\r\n{ARTICLE}")), "{block}");
    }

    // The version points at its capture's response, and the rendered DOM
    // is found from there.
    let capture = version.meta.capture.expect("the version has its capture");
    let location = CaptureLocation {
        file: capture.file,
        offset: capture.offset,
        length: capture.length,
    };
    assert_eq!(location.file, file);
    assert!(
        [records[3].offset, records[6].offset].contains(&location.offset),
        "{location:?}"
    );
    let stored = read_capture(archive_dir, &location).unwrap();
    assert_eq!(stored.payload, ARTICLE.as_bytes());
    let conversion = read_conversion(archive_dir, &location).unwrap().unwrap();
    assert_eq!(String::from_utf8_lossy(&conversion.block), RENDERED);

    // Re-extraction reads the rendered DOM, not the raw response (which
    // has no article text): the history stands as it is.
    let mut unreadable = Vec::new();
    let again = redline_crawl::reextract::reextract_article(
        store.as_ref(),
        archive_dir,
        &redline_extract::Extractor::new(),
        config.crawl.max_body.0,
        &article,
        None,
        chrono::Utc::now(),
        &mut unreadable,
    )
    .unwrap();
    assert_eq!(
        again,
        redline_crawl::reextract::Reextracted::Unchanged { versions: 1 }
    );
    assert!(unreadable.is_empty(), "{unreadable:?}");
}
