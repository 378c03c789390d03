//! A new article's confirmation fetch answered with the very bytes of the
//! first fetch is archived as a WARC `revisit` record of the first fetch's
//! response (its own HTTP headers, no payload), and what reads captures
//! reads through it: `read_capture` gives the first fetch's payload, and
//! re-extracting a version whose capture is the revisit re-derives its
//! text from that payload. A page whose bytes differ between the fetches
//! is archived in full every time.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use redline_archive::{CaptureLocation, REVISIT_PROFILE, WarcRecord, read_capture, sha1_digest};
use redline_config::{Config, Origin};
use redline_store::{CaptureRef, CheckOutcome, CheckRecord, NewVersion, prelude::*};

const PARAGRAPHS: [&str; 3] = [
    "The new tram line opened on Monday with free rides for the first week, and the first \
     trams left the depot at five in the morning to crowds of early commuters and families.",
    "The city expects twelve thousand passengers a day once the free week is over, most of \
     them on the stretch between the station and the university hospital in the north.",
    "Work on the second line, which will cross the river on a new bridge, starts in spring; \
     the council says it will be finished within three years and at no extra cost.",
];

/// The article page: the same bytes on every request, above
/// [`redline_archive::MIN_REVISIT_PAYLOAD`] (a navigation list pads it, as
/// real pages are padded).
fn article() -> String {
    let paragraphs: String = PARAGRAPHS.iter().map(|p| format!("<p>{p}</p>")).collect();
    let nav: String = (1..=40)
        .map(|i| format!("<li><a href=\"/section/{i}\">Section {i}</a></li>"))
        .collect();
    format!(
        "<!DOCTYPE html><html><head><title>Tram line opens</title></head><body>\
         <nav><ul>{nav}</ul></nav><article>\
         <h1>Tram line opens</h1>{paragraphs}</article></body></html>"
    )
}

/// The second article: a counter in its page changes on every request.
fn counted(n: usize) -> String {
    article().replace(
        "</article>",
        &format!("<p>Visitor number {n}.</p></article>"),
    )
}

fn feed(port: u16) -> String {
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Local</title>\
         <link>http://127.0.0.1:{port}/</link><description>d</description>\
         <item><title>Tram</title><link>http://127.0.0.1:{port}/a1</link></item>\
         <item><title>Counter</title><link>http://127.0.0.1:{port}/a2</link></item>\
         </channel></rss>"
    )
}

fn location(capture: &CaptureRef) -> CaptureLocation {
    CaptureLocation {
        file: capture.file.clone(),
        offset: capture.offset,
        length: capture.length,
    }
}

fn header<'a>(record: &'a WarcRecord, name: &str) -> &'a str {
    record.header(name).unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_confirmation_answered_alike_is_a_revisit_and_reads_back_through_it() {
    let visits = Arc::new(AtomicUsize::new(0));
    let counter = visits.clone();
    let (port, hits) = support::serve(move |port, path| match path {
        "/feed.xml" => ("200 OK", "application/rss+xml", feed(port)),
        "/a1" => ("200 OK", "text/html; charset=utf-8", article()),
        "/a2" => (
            "200 OK",
            "text/html; charset=utf-8",
            counted(counter.fetch_add(1, Ordering::SeqCst)),
        ),
        _ => ("404 Not Found", "text/plain", "not here".to_string()),
    })
    .await;
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
[[source]]
name = "local"
feeds = ['http://127.0.0.1:{port}/feed.xml']
"#,
        db = dir.path().join("redline.db").display(),
        archive = dir.path().join("archive").display(),
    );
    let config = Config::parse(&text, Origin::BuiltIn).unwrap();
    let (store, crawler, file) = support::crawler(&config).await;
    crawler.run_once().await.unwrap();

    // Both articles were fetched and confirmed by fetching again: a1 twice,
    // a2 three times (its second fetch differed, so a third decided).
    assert_eq!(hits.load(Ordering::SeqCst), 1 + 2 + 3);
    let url = format!("http://127.0.0.1:{port}/a1");
    let article_row = store.find_by_url(&url).unwrap().expect("tracked");
    assert_eq!(article_row.version_count, 1, "{:?}", article_row.last_error);
    let v0 = store.version(article_row.id, 0).unwrap().unwrap();
    assert_eq!(v0.text.paragraphs, PARAGRAPHS);

    let archive_dir = &config.storage.archive;
    let records: Vec<WarcRecord> = redline_archive::records(&archive_dir.join(&file))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let of = |uri: &str| -> Vec<&WarcRecord> {
        records
            .iter()
            .filter(|r| header(r, "WARC-Target-URI") == uri)
            .collect()
    };
    let kinds = |uri: &str| -> Vec<String> {
        of(uri)
            .iter()
            .map(|r| r.warc_type().unwrap_or_default().to_string())
            .collect()
    };
    assert_eq!(
        kinds(&url),
        ["response", "request", "revisit", "request"],
        "the confirmation of a1 is a revisit"
    );
    let url2 = format!("http://127.0.0.1:{port}/a2");
    assert_eq!(
        kinds(&url2),
        [
            "response", "request", "response", "request", "response", "request"
        ],
        "a page whose bytes differ is archived in full each time"
    );

    // The revisit record, whole: the second fetch's own HTTP head, the
    // first fetch's response named and found by offset, its payload digest.
    let [response, _, revisit, revisit_request] = of(&url)[..] else {
        panic!("four records for a1")
    };
    let block = "HTTP/1.1 200 OK\r\ncontent-type: text/html; charset=utf-8\r\n\
                 content-length: 2452\r\nconnection: close\r\n\r\n";
    assert_eq!(article().len(), 2452);
    assert_eq!(String::from_utf8_lossy(&revisit.block), block);
    let revisit_id = header(revisit, "WARC-Record-ID");
    assert!(
        revisit_id.starts_with("<urn:uuid:") && revisit_id != header(response, "WARC-Record-ID")
    );
    assert!(header(revisit, "WARC-Date") > header(response, "WARC-Date"));
    let offset = response.offset.to_string();
    let block_digest = sha1_digest(block.as_bytes());
    let length = block.len().to_string();
    let payload_digest = sha1_digest(article().as_bytes());
    let expected: Vec<(&str, &str)> = vec![
        ("WARC-Type", "revisit"),
        ("WARC-Record-ID", revisit_id),
        ("WARC-Date", header(revisit, "WARC-Date")),
        ("WARC-Target-URI", &url),
        ("WARC-IP-Address", "127.0.0.1"),
        ("WARC-Warcinfo-ID", header(&records[0], "WARC-Record-ID")),
        ("WARC-Profile", REVISIT_PROFILE),
        ("WARC-Refers-To", header(response, "WARC-Record-ID")),
        ("WARC-Refers-To-Target-URI", &url),
        ("WARC-Refers-To-Date", header(response, "WARC-Date")),
        ("Redline-Refers-To-Offset", &offset),
        ("WARC-Block-Digest", &block_digest),
        ("WARC-Payload-Digest", &payload_digest),
        ("Content-Type", "application/http;msgtype=response"),
        ("Content-Length", &length),
    ];
    let found: Vec<(&str, &str)> = revisit
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    assert_eq!(found, expected);
    assert_eq!(header(revisit_request, "WARC-Concurrent-To"), revisit_id);

    // The version keeps the first fetch's capture; the revisit reads back
    // as the second fetch with the first one's payload.
    let first = location(v0.meta.capture.as_ref().expect("a capture"));
    assert_eq!(first.offset, response.offset);
    let second = CaptureLocation {
        file: file.clone(),
        offset: revisit.offset,
        length: revisit.length,
    };
    let (stored_first, stored_second) = (
        read_capture(archive_dir, &first).unwrap(),
        read_capture(archive_dir, &second).unwrap(),
    );
    assert_eq!(stored_second.payload, article().as_bytes());
    assert_eq!(stored_second.record_id, revisit_id);
    assert_eq!(
        (stored_second.status, &stored_second.headers),
        (stored_first.status, &stored_first.headers)
    );

    // Re-extraction reads through the revisit: a false version 1 (an
    // older extractor's "most read" box) made from the confirmation's
    // capture is re-derived from the payload it refers to, and merges back
    // into version 0.
    let mut paragraphs = v0.text.paragraphs.clone();
    paragraphs.push("Most read: ten things to do this weekend".into());
    let noisy = redline_diff::ArticleText::new(&v0.text.title, &v0.text.byline, &paragraphs);
    store
        .record_check(&CheckRecord {
            article: article_row.id,
            at: v0.meta.seen_at + chrono::Duration::hours(1),
            expected_versions: 1,
            outcome: CheckOutcome::NewVersion(NewVersion {
                change: None,
                restored: false,
                text: noisy,
                published: None,
                minor: false,
                words_added: 7,
                words_removed: 0,
                capture: Some(CaptureRef {
                    file,
                    offset: second.offset,
                    length: second.length,
                }),
            }),
            next_check: None,
            check_interval: std::time::Duration::from_secs(900),
            retire: false,
            http: None,
            aliases: vec![],
        })
        .unwrap();
    let article_row = store.article(article_row.id).unwrap().unwrap();
    let mut unreadable = Vec::new();
    let outcome = redline_crawl::reextract::reextract_article(
        store.as_ref(),
        archive_dir,
        &redline_extract::Extractor::new(),
        config.crawl.max_body.0,
        &article_row,
        None,
        chrono::Utc::now(),
        &mut unreadable,
    )
    .unwrap();
    assert_eq!(unreadable, Vec::<String>::new());
    assert_eq!(
        outcome,
        redline_crawl::reextract::Reextracted::Rebuilt {
            before: 2,
            after: 1,
            texts_changed: 1
        }
    );
    let rebuilt = store.version(article_row.id, 0).unwrap().unwrap();
    assert_eq!(rebuilt.text, v0.text);
    assert_eq!(
        store
            .article(article_row.id)
            .unwrap()
            .unwrap()
            .version_count,
        1
    );
}
