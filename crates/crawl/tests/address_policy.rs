//! The address policy in a crawl: a feed on 127.0.0.1 lists an article on
//! its own network (fetched) and entries pointing elsewhere inside the
//! network — the cloud metadata address, a private address, IPv6 loopback
//! — which are refused before any connection, counted per source and
//! kept with their reason. Nothing leaves loopback.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::Utc;
use redline_archive::ArchiveWriter;
use redline_config::{Config, Origin};
use redline_crawl::{Crawler, CrawlerOptions};
use redline_fetch::{FetchSettings, Fetcher};
use redline_store::{SqliteStore, prelude::*};

const ARTICLE: &str = "<html><head><title>Council approves the budget</title></head><body>\
    <article><h1>Council approves the budget</h1><p>The council approved next year's budget \
    on Tuesday after a long debate about the library, the pool and the roads.</p><p>The vote \
    was seven to two, with the two members against saying the roads deserved more.</p>\
    </article></body></html>";

/// A feed server on 127.0.0.1 answering `/feed.xml` and `/a1`, counting
/// requests.
async fn server() -> (u16, Arc<AtomicUsize>) {
    support::serve(|port, path| match path {
        "/feed.xml" => ("200 OK", "application/rss+xml", feed(port)),
        "/a1" => ("200 OK", "text/html; charset=utf-8", ARTICLE.to_string()),
        _ => ("404 Not Found", "text/plain", "not here".to_string()),
    })
    .await
}

fn feed(port: u16) -> String {
    let item = |url: &str| {
        format!("<item><title>{url}</title><link>{url}</link><guid>{url}</guid></item>")
    };
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Local</title>\
         <link>http://127.0.0.1:{port}/</link><description>d</description>{}{}{}{}\
         </channel></rss>",
        item(&format!("http://127.0.0.1:{port}/a1")),
        item("http://169.254.169.254/latest/meta-data/"),
        item("http://10.0.0.1/internal"),
        item(&format!("http://[::1]:{port}/a2")),
    )
}

#[tokio::test]
async fn entries_off_the_listings_network_are_refused_counted_and_explained() {
    let (port, hits) = server().await;
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        r#"
[storage]
database = '{db}'
archive = '{archive}'
[crawl]
user_agent = "redline-test/1.0"
per_host_delay = "0ms"
connect_timeout = "1s"
timeout = "3s"
retries = 0
[[source]]
name = "local"
feeds = ['http://127.0.0.1:{port}/feed.xml']
"#,
        db = dir.path().join("redline.db").display(),
        archive = dir.path().join("archive").display(),
    );
    let config = Config::parse(&text, Origin::BuiltIn).unwrap();
    let store =
        Arc::new(SqliteStore::open(config.storage.database.sqlite_path().unwrap()).unwrap());
    let fetcher = Fetcher::new(FetchSettings {
        user_agent: "redline-test/1.0".into(),
        per_host_delay: std::time::Duration::ZERO,
        retries: 0,
        ..FetchSettings::default()
    })
    .unwrap();
    let archive = ArchiveWriter::open(&config.storage.archive, 64 << 20).unwrap();
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

    // The article on the listing's own network was fetched and stored.
    let a1 = store
        .find_by_url(&format!("http://127.0.0.1:{port}/a1"))
        .unwrap()
        .expect("the article on the feed's network is tracked");
    assert_eq!(a1.version_count, 1, "{:?}", a1.last_error);
    // The others were refused, each with its reason, and never contacted.
    let reason = |url: &str| {
        store
            .find_by_url(url)
            .unwrap()
            .unwrap_or_else(|| panic!("{url} is tracked"))
            .last_error
            .unwrap_or_default()
    };
    assert_eq!(
        reason("http://169.254.169.254/latest/meta-data/"),
        "refused: 169.254.169.254 is a link-local address; \
         http://169.254.169.254/latest/meta-data/ was not fetched — redline fetches only public \
         addresses, unless [crawl] allow_networks opens the network or a listing on that network \
         led here"
    );
    assert!(
        reason("http://10.0.0.1/internal").starts_with("refused: 10.0.0.1 is a private address;"),
        "{}",
        reason("http://10.0.0.1/internal")
    );
    let v6 = format!("http://[::1]:{port}/a2");
    assert!(
        reason(&v6).starts_with("refused: ::1 is a loopback address;"),
        "{}",
        reason(&v6)
    );
    // robots.txt, the feed, and the article (fetched twice to confirm its
    // first text): nothing else reached the server.
    assert_eq!(hits.load(Ordering::SeqCst), 4);

    let summary = store
        .sources()
        .unwrap()
        .into_iter()
        .find(|s| s.name == "local")
        .unwrap();
    assert_eq!(summary.refused, 3);
    let metrics = store.metrics(Utc::now()).unwrap();
    let local = metrics.sources.iter().find(|s| s.name == "local").unwrap();
    assert_eq!(local.refused, 3);
}
