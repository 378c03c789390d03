//! End-to-end tests of the crawler against the simulated newsroom: a local
//! HTTP server whose article pages carry boilerplate that changes on every
//! request (rotating "most read" lists, ad ids, timestamps, comment counts,
//! cookie banners), and whose articles the tests edit.
//!
//! They run against SQLite, and against PostgreSQL under
//! `.ci/with-postgres` (`REDLINE_TEST_POSTGRES`; see
//! `redline_store::testing`).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use redline_archive::{ArchiveWriter, CaptureLocation, read_capture};
use redline_config::Database;
use redline_config::{Config, Origin};
use redline_crawl::{CheckResult, Crawler, CrawlerOptions};
use redline_diff::{ParagraphDiff, PieceOp};
use redline_fetch::Fetcher;
use redline_newsroom::{ArticleStatus, Edit, Newsroom, NewsroomConfig};
use redline_store::{ArticleId, SqliteStore, prelude::*};

struct Harness {
    room: Newsroom,
    _dir: tempfile::TempDir,
    archive: PathBuf,
    store: Arc<dyn Store>,
    crawler: Crawler,
    /// How the tests take the database away and give it back.
    outage: Outage,
}

/// A way to make the database refuse the crawler's writes, as an operator
/// or a network might: SQLite read-only, or the PostgreSQL server out of
/// reach (its connections cut by a proxy in between).
enum Outage {
    Sqlite(Arc<SqliteStore>),
    Postgres(Proxy),
}

impl Outage {
    fn begin(&self) {
        match self {
            Outage::Sqlite(store) => store.set_read_only(true).unwrap(),
            Outage::Postgres(proxy) => proxy.cut(true),
        }
    }

    fn end(&self) {
        match self {
            Outage::Sqlite(store) => store.set_read_only(false).unwrap(),
            Outage::Postgres(proxy) => proxy.cut(false),
        }
    }
}

/// A TCP proxy on loopback in front of the PostgreSQL server: while cut,
/// it drops every connection it carries and every new one, as a server
/// that went away does.
struct Proxy {
    port: u16,
    cut: Arc<std::sync::atomic::AtomicBool>,
    carried: Arc<std::sync::Mutex<Vec<tokio::task::JoinHandle<()>>>>,
}

impl Proxy {
    async fn start(target: String) -> Proxy {
        use std::sync::atomic::Ordering;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let cut = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let carried = Arc::new(std::sync::Mutex::new(Vec::new()));
        let (flag, list) = (cut.clone(), carried.clone());
        tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                if flag.load(Ordering::SeqCst) {
                    continue;
                }
                let target = target.clone();
                let task = tokio::spawn(async move {
                    if let Ok(mut outbound) = tokio::net::TcpStream::connect(target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
                list.lock().unwrap().push(task);
            }
        });
        Proxy { port, cut, carried }
    }

    fn cut(&self, cut: bool) {
        self.cut.store(cut, std::sync::atomic::Ordering::SeqCst);
        if cut {
            for task in self.carried.lock().unwrap().drain(..) {
                task.abort();
            }
        }
    }
}

/// The test's database (SQLite, or PostgreSQL behind a proxy), its store
/// and how to take it away.
async fn database(dir: &Path) -> (Database, Arc<dyn Store>, Outage) {
    match redline_store::testing::database(dir) {
        Database::Sqlite(path) => {
            let store = Arc::new(SqliteStore::open(&path).unwrap());
            (Database::Sqlite(path), store.clone(), Outage::Sqlite(store))
        }
        Database::Postgres(url) => {
            let mut via = url::Url::parse(&url).unwrap();
            let target = format!("{}:{}", via.host_str().unwrap(), via.port().unwrap_or(5432));
            let proxy = Proxy::start(target).await;
            via.set_port(Some(proxy.port)).unwrap();
            let database = Database::Postgres(via.to_string());
            let store = redline_store::open(&database, 8).unwrap();
            (database, store, Outage::Postgres(proxy))
        }
    }
}

/// The test configuration; `extra_crawl` adds `[crawl]` keys. Conditional
/// requests are off unless it turns them on, so that every check fetches
/// and extracts the whole page.
fn config_text(room: &Newsroom, dir: &Path, extra_crawl: &str, extra_sources: &str) -> String {
    let extra_crawl = if extra_crawl.contains("conditional_requests") {
        extra_crawl.to_string()
    } else {
        format!("conditional_requests = false\n{extra_crawl}")
    };
    let pattern = format!("^{}news/", regex::escape(room.base_url()));
    format!(
        r#"
[storage]
database = '{db}'
archive = '{archive}'
[crawl]
user_agent = "redline-test/1.0"
concurrency = 32
per_host_concurrency = 16
per_host_delay = "0ms"
connect_timeout = "1s"
timeout = "3s"
retries = 1
max_body = "2MB"
{extra_crawl}
[[source]]
name = "room"
title = "The Daily Simulation"
feeds = ['{feed}']
article_url = '{pattern}'
{extra_sources}
"#,
        db = dir.join("redline.db").display(),
        archive = dir.join("archive").display(),
        feed = room.feed_url(),
    )
}

async fn harness_with(articles: usize, extra_crawl: &str, extra_sources: &str) -> Harness {
    let room = Newsroom::start(NewsroomConfig {
        articles,
        outlets: 1,
        seed: 7,
        ..Default::default()
    })
    .await
    .expect("newsroom starts");
    let dir = tempfile::tempdir().unwrap();
    let text = config_text(&room, dir.path(), extra_crawl, extra_sources);
    let mut config = Config::parse(&text, Origin::BuiltIn).expect("test configuration is valid");
    let (database, store, outage) = database(dir.path()).await;
    config.storage.database = database;
    let archive = config.storage.archive.clone();
    let crawler = new_crawler(&config, store.clone()).await;
    Harness {
        room,
        _dir: dir,
        archive,
        store,
        crawler,
        outage,
    }
}

async fn new_crawler(config: &Config, store: Arc<dyn Store>) -> Crawler {
    let settings = redline_fetch::FetchSettings {
        retry_base_delay: std::time::Duration::from_millis(50),
        ..redline_fetch::FetchSettings::from(&config.crawl)
    };
    let fetcher = Fetcher::new(settings).unwrap();
    let archive = ArchiveWriter::open(&config.storage.archive, 64 << 20).unwrap();
    Crawler::new(config, store, fetcher, archive, CrawlerOptions::default())
        .await
        .unwrap()
}

async fn harness(articles: usize) -> Harness {
    harness_with(articles, "", "").await
}

impl Harness {
    fn id_of(&self, room_id: u64) -> ArticleId {
        self.store
            .find_by_url(&self.room.article_url(room_id))
            .unwrap()
            .unwrap_or_else(|| panic!("article {room_id} is tracked"))
            .id
    }

    fn all_urls(&self) -> Vec<String> {
        self.room
            .article_ids()
            .into_iter()
            .map(|id| self.room.article_url(id))
            .collect()
    }

    async fn check_all(&self) -> Vec<(String, CheckResult)> {
        let urls = self.all_urls();
        let reports = self.crawler.check_urls(&urls, None).await;
        urls.into_iter()
            .zip(reports)
            .map(|(url, r)| (url, r.expect("check runs").result))
            .collect()
    }

    fn versions(&self, room_id: u64) -> Vec<redline_store::Version> {
        let id = self.id_of(room_id);
        let count = self.store.article(id).unwrap().unwrap().version_count;
        (0..count)
            .map(|n| self.store.version(id, n).unwrap().unwrap())
            .collect()
    }
}

fn count(results: &[(String, CheckResult)], pred: impl Fn(&CheckResult) -> bool) -> usize {
    results.iter().filter(|(_, r)| pred(r)).count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_articles_ten_edits_exactly_ten_new_versions_named_by_their_diffs() {
    let h = harness(50).await;
    h.crawler.run_once().await.unwrap();

    // Discovery: every article found, fetched once, stored as version 0
    // with exactly the newsroom's text and none of its boilerplate.
    let summary = &h.store.sources().unwrap()[0];
    assert_eq!(
        (summary.articles, summary.versions),
        (50, 50),
        "{summary:?}"
    );
    for id in h.room.article_ids() {
        let truth = h.room.article(id).unwrap();
        let v0 = &h.versions(id)[0];
        assert_eq!(v0.text.title, truth.headline, "article {id}");
        assert_eq!(v0.text.paragraphs, truth.paragraphs, "article {id}");
    }

    // Ten edits of different kinds.
    let ids = h.room.article_ids();
    let word_edits = [
        (ids[0], "officials"),
        (ids[1], "allegedly"),
        (ids[2], "Tuesday"),
    ];
    let mut old_words = Vec::new();
    for (id, with) in word_edits {
        let old = h.room.article(id).unwrap().paragraphs[0]
            .split_whitespace()
            .nth(2)
            .unwrap()
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_string();
        old_words.push(old);
        h.room
            .edit(
                id,
                Edit::ReplaceWord {
                    paragraph: 0,
                    word_index: 2,
                    with: with.into(),
                },
            )
            .unwrap();
    }
    let headlines = [
        (ids[3], "Minister resigns after inquiry"),
        (ids[4], "Storm damage worse than first reported"),
    ];
    for (id, headline) in headlines {
        h.room.edit(id, Edit::SetHeadline(headline.into())).unwrap();
    }
    let added = [
        (
            ids[5],
            "Correction: an earlier version of this article misstated the date of the vote.",
        ),
        (
            ids[6],
            "This article has been updated with comment from the ministry.",
        ),
    ];
    for (id, text) in added {
        let at = h.room.article(id).unwrap().paragraphs.len();
        h.room
            .edit(
                id,
                Edit::AddParagraph {
                    at,
                    text: text.into(),
                },
            )
            .unwrap();
    }
    let mut removed = Vec::new();
    for id in [ids[7], ids[8]] {
        removed.push((id, h.room.article(id).unwrap().paragraphs[1].clone()));
        h.room.edit(id, Edit::RemoveParagraph(1)).unwrap();
    }
    let replaced = (
        ids[9],
        "The company declined to comment on the figures when contacted on Monday.",
    );
    h.room
        .edit(
            replaced.0,
            Edit::ReplaceParagraph {
                paragraph: 0,
                text: replaced.1.into(),
            },
        )
        .unwrap();

    // Re-check every article: exactly the ten edited ones have a new version.
    let results = h.check_all().await;
    let failures: Vec<_> = results
        .iter()
        .filter(|(_, r)| matches!(r, CheckResult::Failed { .. }))
        .collect();
    assert!(failures.is_empty(), "{failures:?}");
    assert_eq!(
        count(&results, |r| matches!(r, CheckResult::NewVersion { .. })),
        10
    );
    assert_eq!(count(&results, |r| *r == CheckResult::Unchanged), 40);
    let edited: Vec<u64> = ids[..10].to_vec();
    for (id, (_, result)) in h.room.article_ids().iter().zip(&results) {
        let is_new = matches!(
            result,
            CheckResult::NewVersion {
                number: 1,
                minor: false,
                ..
            }
        );
        assert_eq!(is_new, edited.contains(id), "article {id}: {result:?}");
    }

    // The diffs name the edits.
    let diff_of = |id: u64| {
        let v = h.versions(id);
        assert_eq!(v.len(), 2, "article {id}");
        redline_diff::diff(&v[0].text, &v[1].text)
    };
    for ((id, with), old) in word_edits.iter().zip(&old_words) {
        let d = diff_of(*id);
        assert_eq!((d.words_added, d.words_removed), (1, 1), "article {id}");
        let ParagraphDiff::Change { pieces, .. } = &d.paragraphs[0] else {
            panic!(
                "article {id}: first paragraph should be changed: {:?}",
                d.paragraphs[0]
            );
        };
        let deleted: Vec<_> = pieces
            .iter()
            .filter(|p| p.op == PieceOp::Delete)
            .map(|p| p.text.as_str())
            .collect();
        let inserted: Vec<_> = pieces
            .iter()
            .filter(|p| p.op == PieceOp::Insert)
            .map(|p| p.text.as_str())
            .collect();
        assert_eq!(deleted, [old.as_str()], "article {id}");
        assert_eq!(inserted, [*with], "article {id}");
        assert!(d.render_text().contains(&format!("[-{old}-]{{+{with}+}}")));
    }
    for (id, headline) in headlines {
        let d = diff_of(id);
        assert!(d.title.changed);
        assert_eq!(d.new_text().title, headline);
        assert!(
            d.paragraphs
                .iter()
                .all(|p| matches!(p, ParagraphDiff::Equal { .. }))
        );
    }
    for (id, text) in added {
        let d = diff_of(id);
        let inserts: Vec<_> = d
            .paragraphs
            .iter()
            .filter_map(|p| match p {
                ParagraphDiff::Insert { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(inserts, [text], "article {id}");
        assert_eq!(d.words_removed, 0);
    }
    for (id, text) in &removed {
        let d = diff_of(*id);
        let deletes: Vec<_> = d
            .paragraphs
            .iter()
            .filter_map(|p| match p {
                ParagraphDiff::Delete { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(deletes, [text.as_str()], "article {id}");
        assert_eq!(d.words_added, 0);
    }
    let d = diff_of(replaced.0);
    assert_eq!(d.new_text().paragraphs[0], replaced.1);

    // Every version points at its raw capture in the WARC archive.
    for id in &edited {
        for version in h.versions(*id) {
            let capture = version.meta.capture.expect("a version has a capture");
            let stored = read_capture(
                &h.archive,
                &CaptureLocation {
                    file: capture.file,
                    offset: capture.offset,
                    length: capture.length,
                },
            )
            .unwrap();
            assert_eq!(stored.status, 200);
            assert_eq!(stored.target_uri, h.room.article_url(*id));
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn boilerplate_that_changes_on_every_request_never_makes_a_version() {
    let h = harness(20).await;
    h.crawler.run_once().await.unwrap();
    for round in 0..3 {
        let results = h.check_all().await;
        assert_eq!(
            count(&results, |r| *r == CheckResult::Unchanged),
            20,
            "round {round}: {results:?}"
        );
    }
    assert_eq!(h.store.sources().unwrap()[0].versions, 20);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn conditional_requests_turn_unchanged_pages_into_304s() {
    let h = harness_with(10, "conditional_requests = true", "").await;
    h.crawler.run_once().await.unwrap();
    let results = h.check_all().await;
    assert_eq!(
        count(&results, |r| *r == CheckResult::NotModified),
        10,
        "{results:?}"
    );
    let id = h.room.article_ids()[0];
    h.room
        .edit(id, Edit::SetHeadline("A sharper headline".into()))
        .unwrap();
    let results = h.check_all().await;
    assert_eq!(
        count(&results, |r| matches!(r, CheckResult::NewVersion { .. })),
        1
    );
    assert_eq!(count(&results, |r| *r == CheckResult::NotModified), 9);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn punctuation_only_edits_are_minor_and_flip_flops_add_nothing() {
    let h = harness(3).await;
    h.crawler.run_once().await.unwrap();
    let [a, b, ..] = h.room.article_ids()[..] else {
        panic!()
    };
    h.room
        .edit(
            a,
            Edit::Punctuation {
                paragraph: 0,
                change: redline_newsroom::PunctuationChange::ExtraSpace,
            },
        )
        .unwrap();
    let original = h.room.article(b).unwrap().headline;
    h.room
        .edit(b, Edit::SetHeadline("Headline B".into()))
        .unwrap();
    let results = h.check_all().await;
    // An extra space collapses in normalisation: unchanged. Whatever the
    // newsroom's change, it must not be a non-minor version.
    assert!(!matches!(
        results[0].1,
        CheckResult::NewVersion { minor: false, .. }
    ));
    assert!(matches!(
        results[1].1,
        CheckResult::NewVersion { number: 1, .. }
    ));
    // Back and forth: reverts, no new versions.
    h.room.edit(b, Edit::SetHeadline(original.clone())).unwrap();
    let r = h.check_all().await;
    assert_eq!(r[1].1, CheckResult::Reverted { to: 0 });
    h.room
        .edit(b, Edit::SetHeadline("Headline B".into()))
        .unwrap();
    let r = h.check_all().await;
    assert_eq!(r[1].1, CheckResult::Reverted { to: 1 });
    assert_eq!(h.versions(b).len(), 2);
    let article = h.store.article(h.id_of(b)).unwrap().unwrap();
    assert_eq!(article.live_version, Some(1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn removals_redirects_and_returns_are_changes() {
    use redline_store::{ChangeKind, ChangeQuery};
    let h = harness(4).await;
    h.crawler.run_once().await.unwrap();
    let ids = h.room.article_ids();
    h.room.set_status(ids[0], ArticleStatus::NotFound).unwrap();
    h.room.set_status(ids[1], ArticleStatus::Gone).unwrap();
    h.room
        .set_status(ids[2], ArticleStatus::Moved(ids[3]))
        .unwrap();
    let results = h.check_all().await;
    let target = h.room.article_url(ids[3]);
    assert_eq!(
        results.iter().map(|(_, r)| r.clone()).collect::<Vec<_>>(),
        [
            CheckResult::Gone { status: 404 },
            CheckResult::Gone { status: 410 },
            CheckResult::Redirected { to: target.clone() },
            CheckResult::Unchanged,
        ]
    );
    for id in &ids[..3] {
        let article = h.store.article(h.id_of(*id)).unwrap().unwrap();
        assert_eq!(article.status, redline_store::ArticleStatus::Gone);
        // Looked at again once a day (max_interval), in case it returns.
        let wait = article.next_check.unwrap() - article.last_checked.unwrap();
        assert_eq!(wait, chrono::Duration::days(1), "article {id}");
        assert_eq!(article.version_count, 1, "what was stored is kept");
    }
    // Still gone: no second removal.
    let again = h.check_all().await;
    assert_eq!(again[0].1, CheckResult::Gone { status: 404 });
    // The first one comes back with its text, the second with a new one.
    h.room.set_status(ids[0], ArticleStatus::Live).unwrap();
    h.room.set_status(ids[1], ArticleStatus::Live).unwrap();
    h.room
        .edit(
            ids[1],
            Edit::SetHeadline("A headline written on its return".into()),
        )
        .unwrap();
    let back = h.check_all().await;
    assert_eq!(back[0].1, CheckResult::Restored { number: 0 });
    assert_eq!(back[1].1, CheckResult::Restored { number: 1 });
    let listed: Vec<_> = h
        .store
        .changes(&ChangeQuery {
            include_minor: true,
            limit: 100,
            ..Default::default()
        })
        .unwrap()
        .into_iter()
        .map(|c| {
            let room = ids
                .iter()
                .position(|&i| h.id_of(i) == c.article_id)
                .unwrap();
            // A return with a new text scores at least as a return does,
            // more if its edit weighs more.
            let significance = if c.kind == ChangeKind::Restored && c.from != c.number {
                c.significance.min(40)
            } else {
                c.significance
            };
            let summary = c.summary.split(" · ").next().unwrap().to_string();
            (room, c.kind, c.from, c.number, significance, summary)
        })
        .collect();
    let host = target.trim_start_matches("http://");
    // Checks of different articles run at once: compare in article order.
    let mut listed = listed;
    listed.sort_by_key(|c| (c.0, c.1 == ChangeKind::Restored));
    let row = |room, kind, number, significance, summary: &str| {
        (room, kind, 0, number, significance, summary.to_string())
    };
    assert_eq!(
        listed,
        [
            row(
                0,
                ChangeKind::Removed,
                0,
                80,
                "Removed from the site (HTTP 404)"
            ),
            row(
                0,
                ChangeKind::Restored,
                0,
                40,
                "Back on the site, unchanged"
            ),
            row(
                1,
                ChangeKind::Removed,
                0,
                80,
                "Removed from the site (HTTP 410)"
            ),
            row(1, ChangeKind::Restored, 1, 40, "Back on the site"),
            row(
                2,
                ChangeKind::Redirected,
                0,
                70,
                &format!("Now redirects to {host}")
            ),
        ]
    );
    for id in &ids[..2] {
        let article = h.store.article(h.id_of(*id)).unwrap().unwrap();
        assert_eq!(article.status, redline_store::ArticleStatus::Active);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_errors_are_retried_then_reported_without_losing_versions() {
    let h = harness(2).await;
    h.crawler.run_once().await.unwrap();
    let ids = h.room.article_ids();
    // One 503, then fine: the retry hides it.
    h.room
        .set_status(ids[0], ArticleStatus::ServerError { failures: 1 })
        .unwrap();
    // Five 503s: more than the one retry allowed.
    h.room
        .set_status(ids[1], ArticleStatus::ServerError { failures: 5 })
        .unwrap();
    let results = h.check_all().await;
    assert_eq!(results[0].1, CheckResult::Unchanged);
    let CheckResult::Failed {
        reason: "server_error",
        error,
    } = &results[1].1
    else {
        panic!("{:?}", results[1]);
    };
    assert!(
        error.contains("HTTP 503") && error.contains("2 attempts"),
        "{error}"
    );
    let article = h.store.article(h.id_of(ids[1])).unwrap().unwrap();
    assert_eq!(article.version_count, 1);
    assert_eq!(article.consecutive_errors, 1);
    assert!(article.next_check.is_some(), "checked again later");
    let events = h.store.events(article.id).unwrap();
    assert!(
        events
            .iter()
            .any(|e| e.detail.as_deref() == Some(error.as_str()))
    );
}

async fn check_fault(h: &Harness, fault: &str) -> CheckResult {
    let url = h.room.fault_url(fault);
    let mut reports = h.crawler.check_urls(&[url], Some("room")).await;
    reports.remove(0).expect("the check runs").result
}

fn failed_with(result: &CheckResult, kind: &str, needles: &[&str]) -> bool {
    match result {
        CheckResult::Failed { reason, error } => {
            *reason == kind && needles.iter().all(|n| error.contains(n))
        }
        _ => false,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_pages_fail_with_clear_messages() {
    let h = harness(1).await;
    // Each with its machine-readable reason and words of its message.
    let cases: &[(&str, &str, &[&str])] = &[
        ("slow?delay_ms=10000", "timeout", &["timed out", "3s"]),
        (
            "oversized?mb=3",
            "body_too_large",
            &["larger than", "[crawl] max_body"],
        ),
        ("redirect-loop/a", "redirect_loop", &["redirect loop"]),
        ("redirect-chain/20", "too_many_redirects", &["redirects"]),
        ("binary?kind=png", "binary", &["binary"]),
        ("status/500", "server_error", &["HTTP 500"]),
    ];
    for (fault, kind, needles) in cases {
        let result = check_fault(&h, fault).await;
        assert!(failed_with(&result, kind, needles), "{fault}: {result:?}");
    }
    // Nothing half-stored: failed pages have no version.
    for article in h.store.articles(&Default::default()).unwrap() {
        assert_eq!(article.version_count, 0, "{}", article.url);
        assert!(article.last_error.is_some());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_in_other_charsets_are_decoded() {
    let h = harness(1).await;
    for (fault, expected) in [
        ("windows-1252", redline_newsroom::faults::WINDOWS_1252_TEXT),
        ("wrong-charset", redline_newsroom::faults::LATIN1_TEXT),
    ] {
        let result = check_fault(&h, fault).await;
        assert_eq!(result, CheckResult::NewArticle, "{fault}");
        let article = h
            .store
            .find_by_url(&h.room.fault_url(fault))
            .unwrap()
            .unwrap();
        let v0 = h.store.version(article.id, 0).unwrap().unwrap();
        assert!(
            v0.text.paragraphs.iter().any(|p| p == expected),
            "{fault}: {:?}",
            v0.text.paragraphs
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invalid_feed_is_reported_and_the_rest_of_the_crawl_goes_on() {
    let h = harness(5).await;
    let broken = format!(
        "[[source]]\nname = \"broken\"\nfeeds = ['{}', '{}', '{}']\n",
        h.room.fault_url("garbage-feed.xml"),
        h.room.fault_url("truncated-feed.xml"),
        h.room.fault_url("entity-bomb.xml"),
    );
    let text = config_text(&h.room, h._dir.path(), "", &broken);
    let config = Config::parse(&text, Origin::BuiltIn).unwrap();
    let crawler = new_crawler(&config, h.store.clone()).await;
    crawler.run_once().await.unwrap();
    let listings = h.store.listings().unwrap();
    let broken: Vec<_> = listings.iter().filter(|l| l.source == "broken").collect();
    assert_eq!(broken.len(), 3);
    for l in &broken {
        let error = l.last_error.as_deref().unwrap_or_default();
        assert!(error.contains("not a valid feed"), "{}: {error:?}", l.url);
    }
    let room = h
        .store
        .sources()
        .unwrap()
        .into_iter()
        .find(|s| s.name == "room")
        .unwrap();
    assert_eq!((room.articles, room.versions), (5, 5));
}

/// SQLite made read-only, or the PostgreSQL server out of reach: the
/// crawler pauses with the check's result kept, and stores it once the
/// database is back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_refusing_writes_pauses_the_crawler_and_loses_nothing() {
    let h = harness_with(4, "", "").await;
    h.crawler.run_once().await.unwrap();
    h.outage.begin();
    let id = h.room.article_ids()[0];
    h.room
        .edit(id, Edit::SetHeadline("Written while read-only".into()))
        .unwrap();
    let crawler = h.crawler.clone();
    let url = h.room.article_url(id);
    let check = tokio::spawn(async move { crawler.check_urls(&[url], None).await });
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !h.crawler.storage_paused() {
        if check.is_finished() {
            panic!(
                "the check ended instead of pausing: {:?}",
                check.await.unwrap()
            );
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the crawler should pause"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(!check.is_finished(), "the check waits for the database");
    h.outage.end();
    let reports = check.await.unwrap();
    assert!(matches!(
        reports[0].as_ref().unwrap().result,
        CheckResult::NewVersion { number: 1, .. }
    ));
    assert!(!h.crawler.storage_paused());
    assert_eq!(h.versions(id).len(), 2);
    assert_eq!(
        h.store
            .events(h.id_of(id))
            .unwrap()
            .iter()
            .filter(|e| e.kind == redline_store::EventKind::NewVersion)
            .count(),
        2,
        "the result is stored once"
    );
    if let Outage::Sqlite(store) = &h.outage {
        assert_eq!(store.integrity_check().unwrap(), "ok");
    }
}

/// The article URL with another slug: the newsroom 301s it to the canonical
/// URL, as news sites do after retitling.
fn with_slug(url: &str, slug: &str) -> String {
    let (dir, name) = url.rsplit_once('/').unwrap();
    let id = name.trim_end_matches(".html").rsplit('-').next().unwrap();
    format!("{dir}/{slug}-{id}.html")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_article_under_two_urls_is_one_row() {
    let h = harness(2).await;
    let [a, b, ..] = h.room.article_ids()[..] else {
        panic!()
    };

    // Found first under an old slug: its canonical URL becomes an alias, so
    // the feed adds nothing new for it.
    let canonical = h.room.article_url(a);
    let old = with_slug(&canonical, "some-old-slug");
    let first = h
        .crawler
        .check_urls(std::slice::from_ref(&old), Some("room"))
        .await;
    assert_eq!(first[0].as_ref().unwrap().result, CheckResult::NewArticle);
    h.crawler.run_once().await.unwrap();
    let summary = &h.store.sources().unwrap()[0];
    assert_eq!(summary.articles, 2, "{summary:?}");
    assert_eq!(h.store.find_by_url(&canonical).unwrap().unwrap().url, old);

    // Tracked first under its canonical URL: a link with another slug is
    // merged into it and keeps no version of its own.
    let canonical = h.room.article_url(b);
    let tracked = h.store.find_by_url(&canonical).unwrap().unwrap();
    let other = with_slug(&canonical, "another-slug");
    let merged = h
        .crawler
        .check_urls(std::slice::from_ref(&other), Some("room"))
        .await;
    assert_eq!(
        merged[0].as_ref().unwrap().result,
        CheckResult::Merged { into: tracked.id }
    );
    let row = h.store.find_by_url(&other).unwrap().unwrap();
    assert_eq!(row.status, redline_store::ArticleStatus::Merged);
    assert_eq!(row.merged_into, Some(tracked.id));
    assert_eq!(row.version_count, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_listing_that_never_answers_holds_up_no_other() {
    let stuck = |room: &Newsroom| {
        format!(
            "[[source]]\nname = \"stuck\"\nfeeds = ['{}']\n",
            room.fault_url("hang")
        )
    };
    let room = Newsroom::start(NewsroomConfig {
        articles: 3,
        outlets: 1,
        seed: 7,
        ..Default::default()
    })
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    // The hanging feed takes two 3 s timeouts to fail; the room's feed is
    // due every second meanwhile.
    let text = config_text(&room, dir.path(), "feed_interval = \"1s\"", &stuck(&room));
    let mut config = Config::parse(&text, Origin::BuiltIn).unwrap();
    let (database, store, _outage) = database(dir.path()).await;
    config.storage.database = database;
    let crawler = new_crawler(&config, store.clone()).await;
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let running = tokio::spawn({
        let crawler = crawler.clone();
        async move { crawler.run(stopped).await }
    });
    let mut room_polls = std::collections::BTreeSet::new();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let listings = store.listings().unwrap();
        let last_poll = |source: &str| {
            listings
                .iter()
                .find(|l| l.source == source)
                .and_then(|l| l.last_poll)
        };
        room_polls.extend(last_poll("room"));
        if room_polls.len() >= 2 {
            assert_eq!(
                last_poll("stuck"),
                None,
                "the hanging feed is still being polled"
            );
            break;
        }
        assert!(
            last_poll("stuck").is_none(),
            "the room's feed was polled only {room_polls:?} while the hanging one was in flight"
        );
        assert!(std::time::Instant::now() < deadline, "no polls at all");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    stop.send(true).unwrap();
    running.await.unwrap().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_template_change_on_many_articles_is_one_site_change_not_edits() {
    use redline_store::ChangeQuery;
    let h = harness(7).await;
    h.crawler.run_once().await.unwrap();
    let ids = h.room.article_ids();
    // The site starts printing the same note under six of its articles; the
    // seventh gets a real edit.
    for &id in &ids[..6] {
        let at = h.room.article(id).unwrap().paragraphs.len();
        h.room
            .edit(
                id,
                Edit::AddParagraph {
                    at,
                    text: "Follow our coverage on the app for the latest updates.".into(),
                },
            )
            .unwrap();
    }
    h.room
        .edit(
            ids[6],
            Edit::SetHeadline("Minister resigns after inquiry".into()),
        )
        .unwrap();
    let results = h.check_all().await;
    assert_eq!(
        count(&results, |r| matches!(r, CheckResult::NewVersion { .. })),
        7
    );
    let groups = h.store.site_changes(None, 10).unwrap();
    assert_eq!(groups.len(), 1, "{groups:?}");
    assert_eq!(groups[0].articles, 6);
    assert_eq!(groups[0].source, "room");
    // The lists and feeds show the real edit only.
    let listed: Vec<_> = h
        .store
        .changes(&ChangeQuery::default())
        .unwrap()
        .into_iter()
        .map(|c| c.article_id)
        .collect();
    assert_eq!(listed, [h.id_of(ids[6])]);
    let on_demand = h
        .store
        .changes(&ChangeQuery {
            site_change: Some(groups[0].id),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(on_demand.len(), 6);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_byline_recased_is_a_minor_style_change() {
    let h = harness(1).await;
    h.crawler.run_once().await.unwrap();
    let id = h.room.article_ids()[0];
    let byline = h.room.article(id).unwrap().byline;
    // A template that prints bylines in capitals: the extractor reads them
    // as the names they are, so nothing changed.
    h.room
        .edit(id, Edit::SetByline(byline.to_uppercase()))
        .unwrap();
    assert_eq!(h.check_all().await[0].1, CheckResult::Unchanged);
    // Lower case: a version, but a minor style change.
    h.room
        .edit(id, Edit::SetByline(byline.to_lowercase()))
        .unwrap();
    let results = h.check_all().await;
    let CheckResult::NewVersion {
        number: 1,
        minor: true,
        summary,
        significance,
        ..
    } = &results[0].1
    else {
        panic!("{:?}", results[0].1);
    };
    assert!(*significance < 20, "{summary}: {significance}");
    let change = &h
        .store
        .changes(&redline_store::ChangeQuery::of_article(h.id_of(id)))
        .unwrap()[0];
    assert_eq!(change.labels, [redline_classify::Label::Style]);
    assert!(change.minor);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reextraction_rebuilds_a_history_from_its_captures() {
    use redline_crawl::reextract::{Reextracted, reextract_article};
    use redline_store::{CheckOutcome, CheckRecord, NewVersion};
    let h = harness(2).await;
    h.crawler.run_once().await.unwrap();
    let ids = h.room.article_ids();
    h.room
        .edit(
            ids[0],
            Edit::SetHeadline("A real edit of the headline".into()),
        )
        .unwrap();
    h.check_all().await;
    // An older extractor took a "most read" box for text on the second
    // article: a false version 1, made from version 0's own capture.
    let second = h.id_of(ids[1]);
    let v0 = h.store.version(second, 0).unwrap().unwrap();
    let mut paragraphs = v0.text.paragraphs.clone();
    paragraphs.push("Most read: ten things to do this weekend".into());
    let noisy = redline_diff::ArticleText::new(&v0.text.title, &v0.text.byline, &paragraphs);
    h.store
        .record_check(&CheckRecord {
            article: second,
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
                capture: v0.meta.capture.clone(),
            }),
            next_check: None,
            check_interval: std::time::Duration::from_secs(900),
            retire: false,
            http: None,
            aliases: vec![],
        })
        .unwrap();
    let extractor = redline_extract::Extractor::new();
    let now = chrono::Utc::now();
    let outcome = |room_id| {
        let article = h.store.article(h.id_of(room_id)).unwrap().unwrap();
        let mut unreadable = Vec::new();
        let outcome = reextract_article(
            h.store.as_ref(),
            &h.archive,
            &extractor,
            2_000_000,
            &article,
            None,
            now,
            &mut unreadable,
        )
        .unwrap();
        assert!(unreadable.is_empty(), "{unreadable:?}");
        outcome
    };
    assert_eq!(outcome(ids[0]), Reextracted::Unchanged { versions: 2 });
    assert_eq!(
        outcome(ids[1]),
        Reextracted::Rebuilt {
            before: 2,
            after: 1,
            texts_changed: 1
        }
    );
    let article = h.store.article(second).unwrap().unwrap();
    assert_eq!(
        (
            article.version_count,
            article.live_version,
            article.changes()
        ),
        (1, Some(0), 0)
    );
    assert_eq!(h.versions(ids[1])[0].text, v0.text);
    let rebuilt = h.store.events(second).unwrap().pop().unwrap();
    assert_eq!(rebuilt.kind, redline_store::EventKind::Rebuilt);
    assert_eq!(
        rebuilt.detail.as_deref(),
        Some(
            "re-derived from the archived captures with the current extractor: 1 of 2 versions \
             read differently, 2 versions became 1"
        )
    );
    // The false edit is gone from the lists and from the search index.
    let listed: Vec<_> = h
        .store
        .changes(&redline_store::ChangeQuery::default())
        .unwrap()
        .into_iter()
        .map(|c| c.article_id)
        .collect();
    assert_eq!(listed, [h.id_of(ids[0])]);
    let found = h
        .store
        .find_articles(&redline_store::ArticleQuery {
            text: Some(redline_store::search::parse("\"most read\"").unwrap().text),
            ..Default::default()
        })
        .unwrap();
    assert!(found.is_empty());
    // A second run finds nothing to do.
    assert_eq!(outcome(ids[1]), Reextracted::Unchanged { versions: 1 });
}
