//! The conformance suite of the store: every test takes a backend's
//! `&dyn Store` (with a few hooks of its own: the bytes a version's text
//! takes, a reopening) and runs once against SQLite and once against
//! PostgreSQL, each on a fresh database. Tests of one backend's own
//! matters (SQLite's upgrades, PostgreSQL's connection errors) follow.
//!
//! PostgreSQL: the suite starts a throwaway cluster itself (see
//! `support/cluster.rs`), one for the whole run with a database per test,
//! and stops it at the end, also when a test fails. Without PostgreSQL's
//! binaries the suite fails with a message saying how to install them;
//! `-- sqlite/` runs the SQLite half alone. Arguments select tests by
//! substring of `BACKEND/NAME`, as libtest does.

mod support;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use redline_diff::ArticleText;
use redline_store::prelude::*;
use redline_store::*;

/// A backend under test: its store, and what the tests need to look
/// behind it.
trait Backend: Sync {
    fn store(&self) -> &dyn Store;
    /// The bytes the database keeps for the text of version `number`.
    fn stored_text_bytes(&self, article: ArticleId, number: u32) -> usize;
    /// The same database opened again, as by a restarted process.
    fn reopen(&self) -> Box<dyn Store>;
}

struct Sqlite {
    dir: tempfile::TempDir,
    store: SqliteStore,
}

impl Sqlite {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("test.db")).unwrap();
        Sqlite { dir, store }
    }
}

impl Backend for Sqlite {
    fn store(&self) -> &dyn Store {
        &self.store
    }

    fn stored_text_bytes(&self, article: ArticleId, number: u32) -> usize {
        let c = rusqlite::Connection::open(self.dir.path().join("test.db")).unwrap();
        c.query_row(
            "SELECT length(body_zstd) FROM versions WHERE article_id = ?1 AND number = ?2",
            rusqlite::params![article, number],
            |r| r.get::<_, i64>(0),
        )
        .unwrap() as usize
    }

    fn reopen(&self) -> Box<dyn Store> {
        Box::new(SqliteStore::open(&self.dir.path().join("test.db")).unwrap())
    }
}

#[cfg(feature = "postgres")]
struct Postgres {
    url: String,
    store: PgStore,
}

#[cfg(feature = "postgres")]
impl Backend for Postgres {
    fn store(&self) -> &dyn Store {
        &self.store
    }

    fn stored_text_bytes(&self, article: ArticleId, number: u32) -> usize {
        let mut c = ::postgres::Client::connect(&self.url, ::postgres::NoTls).unwrap();
        let bytes: i32 = c
            .query_one(
                "SELECT length(body_zstd) FROM versions WHERE article_id = $1 AND number = $2",
                &[&article, &i64::from(number)],
            )
            .unwrap()
            .get(0);
        bytes as usize
    }

    fn reopen(&self) -> Box<dyn Store> {
        Box::new(PgStore::open(&self.url).unwrap())
    }
}

fn t(minutes: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap() + chrono::Duration::minutes(minutes)
}

/// The source "news" with one feed.
fn fixture(store: &dyn Store) {
    store
        .sync_sources(
            &[SourceSpec {
                name: "news".into(),
                title: "News".into(),
                listings: vec![(ListingKind::Feed, "https://n.example/feed.xml".into())],
                ..Default::default()
            }],
            t(0),
        )
        .unwrap();
}

fn add(store: &dyn Store, url: &str) -> ArticleId {
    let ids = store
        .add_articles(
            "news",
            &[NewArticle {
                url: url.into(),
                title: Some("From the feed".into()),
                published: None,
            }],
            t(0),
        )
        .unwrap();
    ids[0]
}

fn text(words: &str) -> ArticleText {
    ArticleText::new("Headline", "By A. Writer", words.split(" / "))
}

fn record(article: ArticleId, at: i64, expected: u32, outcome: CheckOutcome) -> CheckRecord {
    CheckRecord {
        article,
        at: t(at),
        expected_versions: expected,
        outcome,
        next_check: Some(t(at + 15)),
        check_interval: Duration::from_secs(900),
        retire: false,
        http: Some(HttpFacts {
            final_url: None,
            etag: Some(format!("\"e{at}\"")),
            last_modified: None,
        }),
        aliases: vec![],
    }
}

fn new_version(words: &str) -> CheckOutcome {
    CheckOutcome::NewVersion(NewVersion {
        change: None,
        restored: false,
        text: text(words),
        published: None,
        minor: false,
        words_added: 1,
        words_removed: 0,
        capture: Some(CaptureRef {
            file: "a.warc.gz".into(),
            offset: 10,
            length: 20,
        }),
    })
}

fn articles_are_added_once_under_any_of_their_urls(b: &dyn Backend) {
    let s = b.store();
    fixture(s);
    let id = add(s, "https://n.example/a");
    let again = s
        .add_articles(
            "news",
            &[NewArticle {
                url: "https://n.example/a".into(),
                title: None,
                published: None,
            }],
            t(1),
        )
        .unwrap();
    assert!(again.is_empty());
    let mut r = record(id, 1, 0, new_version("one"));
    r.aliases = vec!["https://n.example/canonical-a".into()];
    s.record_check(&r).unwrap();
    assert_eq!(
        s.find_by_url("https://n.example/canonical-a")
            .unwrap()
            .unwrap()
            .id,
        id
    );
    let via_alias = s
        .add_articles(
            "news",
            &[NewArticle {
                url: "https://n.example/canonical-a".into(),
                title: None,
                published: None,
            }],
            t(2),
        )
        .unwrap();
    assert!(via_alias.is_empty(), "an alias is the same article");
}

fn a_new_article_is_due_at_once_and_leased_to_one_claimant(b: &dyn Backend) {
    let s = b.store();
    fixture(s);
    let id = add(s, "https://n.example/a");
    let due = s.claim_due("one", t(0), 10, t(10)).unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].id, id);
    assert_eq!(due[0].version_count, 0);
    assert!(due[0].live.is_none());
    assert!(
        s.claim_due("two", t(1), 10, t(10)).unwrap().is_empty(),
        "leased to another crawler"
    );
    assert_eq!(s.lease_owners(t(1)).unwrap(), ["one"]);
    assert!(
        s.claim_due("one", t(1), 10, t(10)).unwrap().is_empty(),
        "an article being checked is not handed out twice, even to its holder"
    );
    assert_eq!(
        s.claim_due("two", t(11), 10, t(20)).unwrap().len(),
        1,
        "lease expired: taken over"
    );
    assert_eq!(s.lease_owners(t(11)).unwrap(), ["two"]);
    assert!(s.lease_owners(t(20)).unwrap().is_empty(), "expired");
    // Releasing another crawler's leases leaves these; releasing its own
    // frees the article at once.
    s.release_leases(&["one".into()]).unwrap();
    assert!(s.claim_due("three", t(12), 10, t(20)).unwrap().is_empty());
    s.release_leases(&["two".into()]).unwrap();
    assert_eq!(s.claim_due("three", t(12), 10, t(20)).unwrap().len(), 1);
}

fn claiming_one_article_respects_another_crawlers_lease(b: &dyn Backend) {
    let s = b.store();
    fixture(s);
    let id = add(s, "https://n.example/a");
    s.claim_due("one", t(0), 10, t(10)).unwrap();
    let e = s.claim("two", id, t(1), t(11)).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "article {id} is being checked by crawler \"one\" (its lease runs until {}); try \
             again once that check is done",
            t(10)
        )
    );
    assert_eq!(s.claim("one", id, t(1), t(11)).unwrap().unwrap().id, id);
    assert_eq!(s.claim("two", id, t(11), t(21)).unwrap().unwrap().id, id);
    assert!(s.claim("two", 999, t(11), t(21)).unwrap().is_none());
}

fn versions_are_stored_compressed_and_read_back_exactly(b: &dyn Backend) {
    let s = b.store();
    fixture(s);
    let id = add(s, "https://n.example/a");
    let long = (0..200)
        .map(|i| format!("Paragraph {i} says something about the news of the day."))
        .collect::<Vec<_>>()
        .join(" / ");
    assert_eq!(
        s.record_check(&record(id, 1, 0, new_version(&long)))
            .unwrap(),
        Some(0)
    );
    assert_eq!(
        s.record_check(&record(id, 20, 1, new_version("short / text")))
            .unwrap(),
        Some(1)
    );
    // A social headline of its own, none, and (above) not recorded.
    let with_social = |social: &str, words: &str| {
        let CheckOutcome::NewVersion(mut v) = new_version(words) else {
            unreachable!()
        };
        v.text = v.text.with_social_title(Some(social));
        CheckOutcome::NewVersion(v)
    };
    for (at, social) in [(30, "You won't believe this"), (40, "Headline | News")] {
        let expected = (at / 10 - 1) as u32;
        let outcome = with_social(social, &format!("text at {at}"));
        assert!(
            s.record_check(&record(id, at, expected, outcome))
                .unwrap()
                .is_some()
        );
    }
    let v0 = s.version(id, 0).unwrap().unwrap();
    assert_eq!(v0.text, text(&long));
    assert_eq!(v0.text.social_title, None);
    assert_eq!(v0.meta.capture.as_ref().unwrap().offset, 10);
    let v1 = s.version(id, 1).unwrap().unwrap();
    assert_eq!(v1.text.paragraphs, ["short", "text"]);
    let [v2, v3] = [2, 3].map(|n| s.version(id, n).unwrap().unwrap());
    assert_eq!(
        v2.text.social_title.as_deref(),
        Some("You won't believe this")
    );
    assert_eq!(v3.text.social_title.as_deref(), Some(""));
    assert_eq!(
        s.version_texts(&[(id, 2), (id, 3)]).unwrap(),
        [v2.clone(), v3.clone()]
    );
    assert!(s.version(id, 4).unwrap().is_none());

    let article = s.article(id).unwrap().unwrap();
    assert_eq!(article.version_count, 4);
    assert_eq!(article.changes(), 3);
    assert_eq!(article.live_version, Some(3));
    assert_eq!(article.title.as_deref(), Some("Headline"));
    assert_eq!(article.last_changed, Some(t(40)));
    assert_eq!(article.next_check, Some(t(55)));
    assert_eq!(article.etag.as_deref(), Some("\"e40\""));

    let stored = b.stored_text_bytes(id, 0);
    assert!(
        (stored as usize) < long.len() / 3,
        "{stored} bytes for {}",
        long.len()
    );

    let kinds: Vec<_> = s.events(id).unwrap().iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        [
            EventKind::Discovered,
            EventKind::NewVersion,
            EventKind::NewVersion,
            EventKind::NewVersion,
            EventKind::NewVersion
        ]
    );
}

fn a_stale_classification_is_refused_and_writes_nothing(b: &dyn Backend) {
    let s = b.store();
    fixture(s);
    let id = add(s, "https://n.example/a");
    s.record_check(&record(id, 1, 0, new_version("one")))
        .unwrap();
    let err = s
        .record_check(&record(id, 2, 0, new_version("two")))
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err}");
    assert_eq!(s.versions(id).unwrap().len(), 1);
    assert_eq!(s.article(id).unwrap().unwrap().checks, 1);
}

fn a_failed_write_leaves_no_trace(b: &dyn Backend) {
    let s = b.store();
    fixture(s);
    let id = add(s, "https://n.example/a");
    s.record_check(&record(id, 1, 0, new_version("one")))
        .unwrap();
    let before = s.events(id).unwrap().len();
    // Reverting to a version that does not exist fails mid-transaction.
    let err = s
        .record_check(&record(
            id,
            2,
            1,
            CheckOutcome::Reverted {
                to: 7,
                change: ChangeInfo::default(),
            },
        ))
        .unwrap_err();
    assert!(err.to_string().contains("no version 7"), "{err}");
    assert_eq!(s.events(id).unwrap().len(), before);
    assert_eq!(s.article(id).unwrap().unwrap().checks, 1);
}

fn a_revert_points_the_live_version_back_without_a_new_version(b: &dyn Backend) {
    let s = b.store();
    fixture(s);
    let id = a_then_b_then_back_to(s, &[0]);
    let article = s.article(id).unwrap().unwrap();
    assert_eq!(article.version_count, 2);
    assert_eq!(article.live_version, Some(0));
    let due = s.claim("test", id, t(99), t(100)).unwrap().unwrap();
    assert_eq!(due.live.unwrap().hash, text("a").hash());
    let known = s.known_versions(id).unwrap();
    assert_eq!(known.len(), 2);
}

fn gone_articles_wait_for_their_slow_recheck_and_retired_ones_are_not_due(b: &dyn Backend) {
    let s = b.store();
    fixture(s);
    let gone = add(s, "https://n.example/gone");
    let old = add(s, "https://n.example/old");
    s.record_check(&record(
        gone,
        1,
        0,
        CheckOutcome::Gone {
            status: 410,
            change: ChangeInfo::default(),
        },
    ))
    .unwrap();
    let mut retire = record(old, 1, 0, CheckOutcome::Unchanged);
    retire.retire = true;
    s.record_check(&retire).unwrap();
    // The crawler schedules a gone article's next look (here at minute 16).
    assert!(s.claim_due("test", t(15), 10, t(16)).unwrap().is_empty());
    let due: Vec<_> = s
        .claim_due("test", t(10_000), 10, t(10_001))
        .unwrap()
        .into_iter()
        .map(|d| (d.id, d.status))
        .collect();
    assert_eq!(due, [(gone, ArticleStatus::Gone)]);
    let gone = s.article(gone).unwrap().unwrap();
    assert_eq!(gone.status, ArticleStatus::Gone);
    assert_eq!(gone.next_check, Some(t(16)));
    let events = s.events(gone.id).unwrap();
    assert_eq!(
        events.last().unwrap().detail.as_deref(),
        Some("the site answered HTTP 410")
    );
    assert_eq!(
        s.article(old).unwrap().unwrap().status,
        ArticleStatus::Retired
    );
}

fn failures_are_counted_and_keep_the_validators(b: &dyn Backend) {
    let s = b.store();
    fixture(s);
    let id = add(s, "https://n.example/a");
    s.record_check(&record(id, 1, 0, new_version("a"))).unwrap();
    let mut failed = record(
        id,
        2,
        1,
        CheckOutcome::Failed {
            reason: "timeout",
            error: "timed out".into(),
        },
    );
    failed.http = None;
    s.record_check(&failed).unwrap();
    s.record_check(&failed).unwrap();
    let article = s.article(id).unwrap().unwrap();
    assert_eq!(article.consecutive_errors, 2);
    assert_eq!(article.last_error.as_deref(), Some("timed out"));
    assert_eq!(article.etag.as_deref(), Some("\"e1\""));
    s.record_check(&record(id, 3, 1, CheckOutcome::Unchanged))
        .unwrap();
    let article = s.article(id).unwrap().unwrap();
    assert_eq!(article.consecutive_errors, 0);
    assert_eq!(article.last_error, None);
    let summary = &s.sources().unwrap()[0];
    assert_eq!((summary.checks, summary.errors), (4, 2));
}

fn source_summaries_count_articles_and_versions(b: &dyn Backend) {
    let s = b.store();
    fixture(s);
    let a = add(s, "https://n.example/a");
    add(s, "https://n.example/b");
    s.record_check(&record(a, 1, 0, new_version("a"))).unwrap();
    s.record_check(&record(a, 2, 1, new_version("b"))).unwrap();
    let summary = &s.sources().unwrap()[0];
    assert_eq!(
        (
            summary.articles,
            summary.active,
            summary.versions,
            summary.changed_articles
        ),
        (2, 2, 2, 1)
    );
    assert_eq!(summary.last_change, Some(t(2)));
    let changed = s
        .articles(&ArticleFilter {
            changed_only: true,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(changed.len(), 1);
}

/// The listings due at `at`, leased to the crawler "c" for a minute.
fn due_listings(s: &dyn Store, at: DateTime<Utc>) -> Vec<Listing> {
    s.claim_listings("c", at, at + chrono::Duration::minutes(1))
        .unwrap()
}

fn listings_follow_the_configuration_and_their_schedule(b: &dyn Backend) {
    let s = b.store();
    fixture(s);
    assert_eq!(due_listings(s, t(0)).len(), 1);
    s.record_listing_poll(&ListingPoll {
        url: "https://n.example/feed.xml".into(),
        at: t(0),
        next_poll: t(5),
        result: Err("not a valid feed".into()),
        etag: None,
        last_modified: None,
    })
    .unwrap();
    assert!(due_listings(s, t(1)).is_empty());
    let listing = &due_listings(s, t(5))[0];
    assert_eq!(listing.last_error.as_deref(), Some("not a valid feed"));
    assert_eq!(listing.consecutive_errors, 1);
    s.sync_sources(
        &[SourceSpec {
            name: "news".into(),
            title: "News".into(),
            listings: vec![(ListingKind::Page, "https://n.example/".into())],
            ..Default::default()
        }],
        t(6),
    )
    .unwrap();
    let all = s.listings().unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].kind, ListingKind::Page);
}

fn reopening_keeps_everything_and_migrates_once(b: &dyn Backend) {
    let s = b.store();
    fixture(s);
    let id = add(s, "https://n.example/a");
    s.record_check(&record(id, 1, 0, new_version("one")))
        .unwrap();
    let again = b.reopen();
    assert_eq!(
        again
            .find_by_url("https://n.example/a")
            .unwrap()
            .unwrap()
            .id,
        id
    );
    assert_eq!(again.version(id, 0).unwrap().unwrap().text, text("one"));
    let third = b.reopen();
    assert_eq!(
        third.versions(id).unwrap().len(),
        1,
        "migrated once, nothing lost"
    );
}

fn sources_added_at_run_time_keep_their_listings_and_patterns(b: &dyn Backend) {
    let s = b.store();
    fixture(s);
    let added = SourceSpec {
        name: "extra".into(),
        title: "Extra".into(),
        listings: vec![(ListingKind::Feed, "https://x.example/rss".into())],
        article_url: Some("^https://x\\.example/".into()),
        exclude_url: None,
        extract_body: Some("main .story".into()),
        extract_remove: vec![".ad".into(), "aside".into()],
    };
    s.add_source(&added, t(0)).unwrap();
    let err = s.add_source(&added, t(0)).unwrap_err();
    assert!(matches!(err, StoreError::SourceExists(_)), "{err}");
    // Re-syncing the configuration (which does not name it) keeps it.
    s.sync_sources(
        &[SourceSpec {
            name: "news".into(),
            title: "News".into(),
            listings: vec![],
            ..Default::default()
        }],
        t(1),
    )
    .unwrap();
    let specs = s.source_specs().unwrap();
    let extra = specs.iter().find(|s| s.name == "extra").unwrap();
    assert_eq!(extra, &added);
    assert_eq!(due_listings(s, t(2)).len(), 1);
}

fn a_due_listing_is_polled_by_one_crawler_at_a_time(b: &dyn Backend) {
    let s = b.store();
    fixture(s);
    let feed = "https://n.example/feed.xml";
    let urls =
        |listings: Vec<Listing>| -> Vec<String> { listings.into_iter().map(|l| l.url).collect() };
    assert_eq!(urls(s.claim_listings("one", t(0), t(10)).unwrap()), [feed]);
    assert!(
        s.claim_listings("two", t(1), t(11)).unwrap().is_empty(),
        "leased to another crawler"
    );
    assert!(
        s.claim_listings("one", t(1), t(11)).unwrap().is_empty(),
        "a listing being polled is not handed out again, even to its holder"
    );
    assert_eq!(s.lease_owners(t(1)).unwrap(), ["one"]);
    assert_eq!(
        urls(s.claim_listings("two", t(10), t(20)).unwrap()),
        [feed],
        "lease expired: taken over"
    );
    // Recording the poll ends the lease: the listing is due again only
    // at its next poll, for any crawler.
    s.record_listing_poll(&ListingPoll {
        url: feed.into(),
        at: t(12),
        next_poll: t(15),
        result: Ok(0),
        etag: None,
        last_modified: None,
    })
    .unwrap();
    assert!(s.lease_owners(t(12)).unwrap().is_empty());
    assert!(s.claim_listings("one", t(14), t(24)).unwrap().is_empty());
    assert_eq!(urls(s.claim_listings("one", t(15), t(25)).unwrap()), [feed]);
    // A crawler's release drops its listing leases too.
    s.release_leases(&["two".into()]).unwrap();
    assert_eq!(s.lease_owners(t(16)).unwrap(), ["one"]);
    s.release_leases(&["one".into()]).unwrap();
    assert!(s.lease_owners(t(16)).unwrap().is_empty());
    assert_eq!(urls(s.claim_listings("two", t(16), t(26)).unwrap()), [feed]);
}

fn administrators_can_retire_and_hide_articles(b: &dyn Backend) {
    let s = b.store();
    fixture(s);
    let id = add(s, "https://n.example/a");
    assert!(s.retire(id, t(1)).unwrap());
    let article = s.article(id).unwrap().unwrap();
    assert_eq!(
        (article.status, article.next_check),
        (ArticleStatus::Retired, None)
    );
    assert!(!s.retire(id, t(2)).unwrap(), "already retired");
    assert!(s.set_hidden(id, true).unwrap());
    assert!(s.article(id).unwrap().unwrap().hidden);
    assert!(!s.set_hidden(12345, true).unwrap());
}

fn every_version_is_in_the_full_text_index(b: &dyn Backend) {
    let s = b.store();
    fixture(s);
    let id = add(s, "https://n.example/a");
    s.record_check(&record(id, 1, 0, new_version("the zeppelin landed")))
        .unwrap();
    s.record_check(&record(id, 2, 1, new_version("the airship landed")))
        .unwrap();
    let hits = |q: &str| -> Vec<(ArticleId, u32)> {
        s.find_articles(&ArticleQuery {
            text: Some(search::parse(q).unwrap().text),
            ..Default::default()
        })
        .unwrap()
        .into_iter()
        .map(|h| (h.article.id, h.matched.unwrap().number))
        .collect()
    };
    assert_eq!(
        hits("zeppelin"),
        [(id, 0)],
        "the earlier version is indexed"
    );
    assert_eq!(hits("airship"), [(id, 1)]);
    assert_eq!(hits("landed"), [(id, 1)], "the latest matching version");
    assert_eq!(hits("title:headline"), [(id, 1)]);
    assert!(hits("title:zeppelin").is_empty());
}

/// An article whose text was "a" (version 0), then "b" (version 1), then
/// went back to the texts of `reverts` in turn, one check a minute.
fn a_then_b_then_back_to(store: &dyn Store, reverts: &[u32]) -> ArticleId {
    let id = add(store, "https://n.example/flip");
    store
        .record_check(&record(id, 1, 0, new_version("a")))
        .unwrap();
    store
        .record_check(&record(id, 2, 1, new_version("b")))
        .unwrap();
    for (i, &to) in reverts.iter().enumerate() {
        store
            .record_check(&record(
                id,
                3 + i as i64,
                2,
                CheckOutcome::Reverted {
                    to,
                    change: ChangeInfo::default(),
                },
            ))
            .unwrap();
    }
    id
}

/// A text that flip-flops: a, b, back to a, back to b.
fn flip_flop(store: &dyn Store) -> ArticleId {
    a_then_b_then_back_to(store, &[0, 1])
}

fn reverts_are_changes_from_the_version_they_left(b: &dyn Backend) {
    let s = b.store();
    fixture(s);
    let id = flip_flop(s);
    let all = s.changes(&ChangeQuery::default()).unwrap();
    let seen: Vec<_> = all.iter().map(|c| (c.kind, c.from, c.number)).collect();
    assert_eq!(
        seen,
        [
            (ChangeKind::Revert, 0, 1),
            (ChangeKind::Revert, 1, 0),
            (ChangeKind::Edit, 0, 1),
        ],
        "newest first; each revert leaves the version then live"
    );
    assert!(all.iter().all(|c| c.article_id == id));
    let keys: std::collections::HashSet<_> = all.iter().map(|c| c.key).collect();
    assert_eq!(keys.len(), 3, "keys are unique");
    assert_eq!(all[1].seen_at, t(3));
    assert_eq!(all[1].previous_seen_at, t(2), "when version 1 was seen");
    // Walking by cursor one at a time gives the same list.
    let mut walked = Vec::new();
    let mut after = None;
    while let Some(c) = s
        .changes(&ChangeQuery {
            after,
            limit: 1,
            ..Default::default()
        })
        .unwrap()
        .pop()
    {
        after = Some(c.cursor());
        walked.push(c);
    }
    assert_eq!(walked, all);
    // Pages by offset, and `since`.
    let second = s
        .changes(&ChangeQuery {
            limit: 1,
            offset: 1,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(second, all[1..2]);
    let recent = s
        .changes(&ChangeQuery {
            since: Some(t(3)),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(recent, all[..2]);
    // Reverts are changes the feed caches must see.
    let before = s.changes_generation().unwrap();
    s.record_check(&record(
        id,
        5,
        2,
        CheckOutcome::Reverted {
            to: 0,
            change: ChangeInfo::default(),
        },
    ))
    .unwrap();
    assert!(s.changes_generation().unwrap() > before);
}

fn a_revert_between_texts_differing_in_punctuation_only_is_minor(b: &dyn Backend) {
    let s = b.store();
    fixture(s);
    let id = add(s, "https://n.example/comma");
    s.record_check(&record(id, 1, 0, new_version("one two")))
        .unwrap();
    s.record_check(&record(id, 2, 1, new_version("one, two")))
        .unwrap();
    s.record_check(&record(
        id,
        3,
        2,
        CheckOutcome::Reverted {
            to: 0,
            change: ChangeInfo::default(),
        },
    ))
    .unwrap();
    let all = s
        .changes(&ChangeQuery {
            include_minor: true,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(all[0].kind, ChangeKind::Revert);
    assert!(all[0].minor);
    let shown = s.changes(&ChangeQuery::default()).unwrap();
    assert!(
        shown.iter().all(|c| c.kind == ChangeKind::Edit),
        "minor reverts are hidden by default"
    );
}

fn sqlite_upgrading_names_the_version_earlier_reverts_left() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.sqlite");
    {
        let store = SqliteStore::open(&path).unwrap();
        store
            .sync_sources(
                &[SourceSpec {
                    name: "news".into(),
                    title: "News".into(),
                    ..Default::default()
                }],
                t(0),
            )
            .unwrap();
        flip_flop(&store);
    }
    // Back to the schema before reverts were listed.
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch(
            "DROP INDEX events_reverts;
             ALTER TABLE events DROP COLUMN from_version;
             DROP TABLE changes;
             DROP TABLE site_changes;
             ALTER TABLE articles DROP COLUMN change_count;
             DROP INDEX articles_due;
             CREATE INDEX articles_due ON articles (next_check) WHERE status = 'active';
             ALTER TABLE sources DROP COLUMN extract_body;
             ALTER TABLE sources DROP COLUMN extract_remove;
             ALTER TABLE articles DROP COLUMN lease_owner;
             ALTER TABLE versions DROP COLUMN social_title;
             DROP TABLE store_meta;
             ALTER TABLE listings DROP COLUMN lease_owner;
             ALTER TABLE listings DROP COLUMN lease_until;
             DROP TABLE change_outbox;
             DROP TABLE deliveries;
             PRAGMA user_version = 3;",
        )
        .unwrap();
    }
    let store = SqliteStore::open(&path).unwrap();
    // The changes copied into the table of changes are assessed on the way.
    let seen: Vec<_> = store
        .changes(&ChangeQuery::default())
        .unwrap()
        .iter()
        .map(|c| (c.kind, c.from, c.number, c.summary.is_empty()))
        .collect();
    assert_eq!(
        seen,
        [
            (ChangeKind::Revert, 0, 1, false),
            (ChangeKind::Revert, 1, 0, false),
            (ChangeKind::Edit, 0, 1, false),
        ]
    );
}

/// A version assessed as the crawler would: labels, significance, summary
/// and the signature that groups one change made to many articles.
fn assessed_version(words: &str, info: ChangeInfo) -> CheckOutcome {
    let CheckOutcome::NewVersion(mut v) = new_version(words) else {
        unreachable!()
    };
    v.change = Some(info);
    CheckOutcome::NewVersion(v)
}

fn info(labels: &[redline_classify::Label], significance: u8, summary: &str) -> ChangeInfo {
    ChangeInfo {
        labels: labels.to_vec(),
        significance,
        summary: summary.into(),
        signature: Some(significance as i64 * 1000 + labels.len() as i64),
    }
}

fn removal_redirect_and_return_are_changes_in_the_lists(b: &dyn Backend) {
    use redline_classify::Label;
    let s = b.store();
    fixture(s);
    let id = add(s, "https://n.example/a");
    s.record_check(&record(id, 1, 0, new_version("a"))).unwrap();
    let edit = info(&[Label::Number, Label::Stealth], 45, "12 → 15");
    s.record_check(&record(id, 2, 1, assessed_version("b", edit)))
        .unwrap();
    let removed = ChangeInfo {
        labels: vec![],
        significance: 80,
        summary: "Removed from the site (HTTP 404)".into(),
        signature: None,
    };
    let gone = CheckOutcome::Gone {
        status: 404,
        change: removed.clone(),
    };
    s.record_check(&record(id, 3, 2, gone.clone())).unwrap();
    // Still gone at the next look: no second removal.
    s.record_check(&record(id, 4, 2, gone)).unwrap();
    let back = CheckOutcome::Restored {
        to: 1,
        change: ChangeInfo {
            summary: "Back on the site, unchanged".into(),
            significance: 40,
            ..Default::default()
        },
    };
    s.record_check(&record(id, 5, 2, back)).unwrap();
    let moved = CheckOutcome::Redirected {
        to: "https://n.example/".into(),
        change: ChangeInfo {
            summary: "Now redirects to n.example/".into(),
            significance: 70,
            ..Default::default()
        },
    };
    s.record_check(&record(id, 6, 2, moved)).unwrap();
    let seen: Vec<_> = s
        .changes(&ChangeQuery::default())
        .unwrap()
        .into_iter()
        .map(|c| {
            (
                c.kind,
                c.from,
                c.number,
                c.significance,
                c.summary,
                c.labels,
                c.detail,
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            (
                ChangeKind::Redirected,
                1,
                1,
                70,
                "Now redirects to n.example/".to_string(),
                vec![],
                Some("https://n.example/".to_string())
            ),
            (
                ChangeKind::Restored,
                1,
                1,
                40,
                "Back on the site, unchanged".to_string(),
                vec![],
                None
            ),
            (
                ChangeKind::Removed,
                1,
                1,
                80,
                "Removed from the site (HTTP 404)".to_string(),
                vec![],
                Some("the site answered HTTP 404".to_string())
            ),
            (
                ChangeKind::Edit,
                0,
                1,
                45,
                "12 → 15".to_string(),
                vec![Label::Number, Label::Stealth],
                None
            ),
        ]
    );
    let a = s.article(id).unwrap().unwrap();
    assert_eq!(a.status, ArticleStatus::Gone, "redirected away");
    let kinds: Vec<_> = s
        .events(id)
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .filter(|k| !matches!(k, EventKind::Discovered))
        .collect();
    assert_eq!(
        kinds,
        [
            EventKind::NewVersion,
            EventKind::NewVersion,
            EventKind::Gone,
            EventKind::Restored,
            EventKind::Redirected
        ]
    );
}

fn changes_filter_by_significance_and_label_and_rank_by_significance(b: &dyn Backend) {
    use redline_classify::Label;
    let s = b.store();
    fixture(s);
    let plan = [
        ("a", info(&[Label::Style], 2, "Punctuation only")),
        (
            "b",
            info(&[Label::Quote, Label::Stealth], 55, "Quote altered"),
        ),
        (
            "c",
            info(
                &[Label::Headline, Label::Number],
                75,
                "Headline rewritten · 3 → 4",
            ),
        ),
    ];
    for (i, (url, change)) in plan.iter().enumerate() {
        let id = add(s, &format!("https://n.example/{url}"));
        let at = 10 * i as i64;
        s.record_check(&record(id, at + 1, 0, new_version("x")))
            .unwrap();
        s.record_check(&record(
            id,
            at + 2,
            1,
            assessed_version("y", change.clone()),
        ))
        .unwrap();
    }
    let list = |q: ChangeQuery| -> Vec<String> {
        s.changes(&q)
            .unwrap()
            .into_iter()
            .map(|c| c.summary)
            .collect()
    };
    assert_eq!(
        list(ChangeQuery::default()),
        [
            "Headline rewritten · 3 → 4",
            "Quote altered",
            "Punctuation only"
        ]
    );
    assert_eq!(
        list(ChangeQuery {
            min_significance: Some(20),
            ..Default::default()
        }),
        ["Headline rewritten · 3 → 4", "Quote altered"]
    );
    assert_eq!(
        list(ChangeQuery {
            labels: vec![Label::Quote, Label::Style],
            ..Default::default()
        }),
        ["Quote altered", "Punctuation only"]
    );
    assert_eq!(
        list(ChangeQuery {
            labels: vec![Label::Name],
            ..Default::default()
        }),
        Vec::<String>::new()
    );
    assert_eq!(
        list(ChangeQuery {
            by_significance: true,
            since: Some(t(5)),
            ..Default::default()
        }),
        ["Headline rewritten · 3 → 4", "Quote altered"]
    );
}

fn one_change_on_many_articles_of_a_source_is_a_site_change(b: &dyn Backend) {
    use redline_classify::Label;
    let s = b.store();
    fixture(s);
    let template = ChangeInfo {
        labels: vec![Label::Byline, Label::Style],
        significance: 3,
        summary: "Byline re-cased".into(),
        signature: Some(424242),
    };
    let mut ids = Vec::new();
    for i in 0..SITE_CHANGE_MIN_ARTICLES + 2 {
        let id = add(s, &format!("https://n.example/s{i}"));
        s.record_check(&record(id, 1, 0, new_version("x"))).unwrap();
        ids.push(id);
    }
    // A real edit meanwhile, with its own signature.
    let real = info(&[Label::Number], 40, "9 → 10");
    s.record_check(&record(ids[0], 100, 1, assessed_version("real", real)))
        .unwrap();
    // The template change reaches the articles over two hours.
    for (i, &id) in ids.iter().enumerate().skip(1) {
        let at = 100 + 20 * i as i64;
        s.record_check(&record(id, at, 1, assessed_version("y", template.clone())))
            .unwrap();
        let listed = s.changes(&ChangeQuery::default()).unwrap().len();
        // Four articles are edits as far as anyone can tell; the fifth
        // makes it a site change, and later ones join it.
        let expected = if (i as u64) < SITE_CHANGE_MIN_ARTICLES {
            i + 1
        } else {
            1
        };
        assert_eq!(listed, expected, "after article {i}");
    }
    let groups = s.site_changes(None, 10).unwrap();
    assert_eq!(groups.len(), 1);
    let g = &groups[0];
    assert_eq!(
        (
            g.source.as_str(),
            g.articles,
            g.summary.as_str(),
            g.first_at,
            g.last_at
        ),
        (
            "news",
            SITE_CHANGE_MIN_ARTICLES + 1,
            "Byline re-cased",
            t(120),
            t(220)
        )
    );
    let grouped = s
        .changes(&ChangeQuery {
            site_change: Some(g.id),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(grouped.len() as u64, SITE_CHANGE_MIN_ARTICLES + 1);
    assert!(grouped.iter().all(|c| c.site_change == Some(g.id)));
    let all = s
        .changes(&ChangeQuery {
            include_site_changes: true,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(all.len() as u64, SITE_CHANGE_MIN_ARTICLES + 2);
}

fn outlet_statistics_count_what_press_critics_quote(b: &dyn Backend) {
    use redline_classify::Label;
    let s = b.store();
    fixture(s);
    // Four articles: one never changed, one with a major stealth edit and a
    // minor one, one with a notable edit that has a correction, one removed.
    let ids: Vec<_> = (0..4)
        .map(|i| add(s, &format!("https://n.example/st{i}")))
        .collect();
    for &id in &ids {
        s.record_check(&record(id, 0, 0, new_version("x"))).unwrap();
    }
    let major = info(&[Label::Headline, Label::Stealth], 70, "Headline rewritten");
    let notable = info(
        &[Label::Correction, Label::Number],
        50,
        "correction appended",
    );
    let small = info(&[Label::Addition, Label::Stealth], 22, "1 sentence added");
    s.record_check(&record(ids[1], 60, 1, assessed_version("y", major)))
        .unwrap();
    s.record_check(&record(ids[1], 120, 2, assessed_version("z", small)))
        .unwrap();
    s.record_check(&record(ids[2], 180, 1, assessed_version("y", notable)))
        .unwrap();
    let removal = CheckOutcome::Gone {
        status: 404,
        change: ChangeInfo::default(),
    };
    s.record_check(&record(ids[3], 30, 1, removal)).unwrap();
    let stats = s.source_stats("news", t(200)).unwrap();
    let periods: Vec<_> = stats.iter().map(|s| s.period.as_str()).collect();
    assert_eq!(periods, ["7d", "30d", "all"]);
    assert_eq!(
        stats[2],
        SourceStats {
            period: "all".into(),
            articles: 4,
            changed_articles: 2,
            changed_share: 0.5,
            changes_per_changed_article: 1.5,
            // Articles are added at minute 0: first edits at 60 and 180.
            median_seconds_to_first_change: Some(120 * 60),
            changes: 3,
            major_share: 1.0 / 3.0,
            stealth_share: 1.0,
            removals: 1,
        }
    );
}

/// An article of source "news" with one version of this title and body.
fn article_with(store: &dyn Store, url: &str, title: &str, body: &[&str]) -> ArticleId {
    let id = add(store, url);
    let CheckOutcome::NewVersion(mut v) = new_version("x") else {
        unreachable!()
    };
    v.text = ArticleText::new(title, "", body.iter().copied());
    store
        .record_check(&record(id, 1, 0, CheckOutcome::NewVersion(v)))
        .unwrap();
    id
}

fn search_gives_what_fts5_gives(b: &dyn Backend) {
    let s = b.store();
    fixture(s);
    let a = article_with(
        s,
        "https://n.example/1",
        "Café owners protest",
        &[
            "The prime minister met São Paulo's mayor.",
            "Sanctions on Iran-linked firms.",
        ],
    );
    let c = article_with(
        s,
        "https://n.example/2",
        "Minister resigns",
        &[
            "The PRIME Minister's office said e-mail a.b@example.com",
            "3.14 per cent; naïve",
        ],
    );
    let d = article_with(
        s,
        "https://n.example/3",
        "Prime time",
        &["minister of culture", "日本語 テキスト"],
    );
    let found = |q: &str| -> Vec<ArticleId> {
        let mut ids: Vec<ArticleId> = s
            .find_articles(&ArticleQuery {
                text: Some(search::parse(q).unwrap().text),
                ..Default::default()
            })
            .unwrap()
            .into_iter()
            .map(|h| h.article.id)
            .collect();
        ids.sort();
        let mut changes: Vec<ArticleId> = s
            .changes(&ChangeQuery {
                text: Some(search::parse(q).unwrap().text),
                ..Default::default()
            })
            .unwrap()
            .into_iter()
            .map(|c| c.article_id)
            .collect();
        changes.sort();
        assert!(changes.is_empty(), "first versions are no changes");
        ids
    };
    // Words in any case and accent, prefixes, phrases.
    assert_eq!(found("cafe"), [a]);
    assert_eq!(found("CAFÉ"), [a]);
    assert_eq!(found("sao paulo"), [a]);
    assert_eq!(found("naive"), [c]);
    assert_eq!(found("minister"), [a, c, d]);
    assert_eq!(found("\"prime minister\""), [a, c]);
    assert_eq!(found("\"minister prime\""), Vec::<ArticleId>::new());
    assert_eq!(found("sanction*"), [a]);
    assert_eq!(found("sanction"), Vec::<ArticleId>::new());
    assert_eq!(found("min*"), [a, c, d]);
    // Punctuation splits words as FTS5 splits them.
    assert_eq!(found("iran"), [a]);
    assert_eq!(found("\"iran linked\""), [a]);
    assert_eq!(found("email"), Vec::<ArticleId>::new());
    assert_eq!(found("\"e mail\""), [c]);
    assert_eq!(found("example.com"), [c]);
    assert_eq!(found("14"), [c]);
    assert_eq!(found("\"3 14\""), [c]);
    assert_eq!(found("minister's"), [c]);
    assert_eq!(found("日本語"), [d]);
    // Headlines only, alternatives, exclusions.
    assert_eq!(found("title:minister"), [c]);
    assert_eq!(found("title:\"prime time\""), [d]);
    assert_eq!(found("title:prim*"), [d]);
    assert_eq!(found("resigns OR protest"), [a, c]);
    assert_eq!(found("minister -prime"), Vec::<ArticleId>::new());
    assert_eq!(found("minister -\"prime minister\""), [d]);
    assert_eq!(found("minister -title:prime"), [a, c]);
    assert_eq!(found("minister NOT culture"), [a, c]);
    // A phrase does not run from the headline into the body.
    assert_eq!(found("\"time minister\""), Vec::<ArticleId>::new());
    assert_eq!(found("\"protest the\""), Vec::<ArticleId>::new());
    // Across paragraphs it does, as in FTS5's one body column.
    assert_eq!(found("\"mayor sanctions\""), [a]);
    // What would break a query language is a word like any other.
    assert_eq!(found("NEAR( \"a"), Vec::<ArticleId>::new());
    assert_eq!(found("prime) & !( minister"), [a, c, d]);
    assert_eq!(found("'prime':* | minister"), [a, c, d]);
    // A hidden article is never found.
    s.set_hidden(a, true).unwrap();
    assert_eq!(found("minister"), [c, d]);
}

fn search_walks_pages_without_overlap(b: &dyn Backend) {
    let s = b.store();
    s.sync_sources(
        &["a", "b"].map(|name| SourceSpec {
            name: name.into(),
            title: name.to_uppercase(),
            ..Default::default()
        }),
        t(0),
    )
    .unwrap();
    let articles = 120;
    for k in 0..articles {
        let source = if k % 3 == 0 { "b" } else { "a" };
        let id = s
            .add_articles(
                source,
                &[NewArticle {
                    url: format!("https://x.example/{k}"),
                    title: None,
                    published: None,
                }],
                t(k as i64),
            )
            .unwrap()[0];
        for n in 0..3u32 {
            let text = ArticleText::new(
                &format!("Headline {k} v{n}"),
                "",
                [format!("common words rare{k} edition{n}"), "more".into()],
            );
            let CheckOutcome::NewVersion(mut v) = new_version("x") else {
                unreachable!()
            };
            v.text = text;
            v.minor = n == 2;
            s.record_check(&CheckRecord {
                at: t(k as i64 + 7 * i64::from(n) * articles as i64 / 5),
                ..record(id, 0, n, CheckOutcome::NewVersion(v))
            })
            .unwrap();
        }
    }
    s.set_hidden(5, true).unwrap();
    let all = |text: Option<&str>| -> Vec<ArticleHit> {
        let mut out = Vec::new();
        let mut after = None;
        loop {
            let page = s
                .find_articles(&ArticleQuery {
                    text: text.map(|q| search::parse(q).unwrap().text),
                    after,
                    limit: 17,
                    ..Default::default()
                })
                .unwrap();
            let Some(last) = page.last() else { break };
            after = Some(last.cursor());
            out.extend(page);
        }
        out
    };
    let ids = |h: &[ArticleHit]| h.iter().map(|h| h.article.id).collect::<Vec<_>>();
    let broad = all(Some("common"));
    assert_eq!(broad.len(), articles - 1, "every visible article, once");
    assert_eq!(ids(&broad), ids(&all(None)), "in the plain list's order");
    assert!(
        broad
            .iter()
            .all(|h| h.matched.as_ref().unwrap().number == 2)
    );
    let narrow = all(Some("rare17 edition1"));
    assert_eq!(ids(&narrow), [18]);
    assert_eq!(narrow[0].matched.as_ref().unwrap().number, 1);
    assert!(all(Some("rare4")).is_empty(), "hidden");
    let changes = |text: Option<&str>, sources: Vec<String>| -> Vec<i64> {
        let mut out = Vec::new();
        let mut after = None;
        loop {
            let page = s
                .changes(&ChangeQuery {
                    text: text.map(|q| search::parse(q).unwrap().text),
                    sources: sources.clone(),
                    after,
                    limit: 19,
                    ..Default::default()
                })
                .unwrap();
            let Some(last) = page.last() else { break };
            after = Some(last.cursor());
            out.extend(page.iter().map(|c| c.key));
        }
        out
    };
    let plain = changes(None, vec![]);
    assert_eq!(
        plain.len(),
        articles - 1,
        "one non-minor change per visible article"
    );
    assert_eq!(changes(Some("common"), vec![]), plain);
    assert_eq!(changes(Some("rare17"), vec![]).len(), 1);
    let only_b = changes(Some("common"), vec!["b".into()]);
    assert_eq!(only_b.len(), articles / 3, "the hidden article is of a");
    let totals = s.totals().unwrap();
    assert_eq!(
        (totals.articles, totals.versions, totals.sources),
        (articles as u64 - 1, 3 * articles as u64 - 3, 2)
    );
    let m = s.metrics(t(0)).unwrap();
    assert_eq!((m.hidden_articles, m.versions), (1, 3 * articles as u64));
}

fn version_texts_come_in_the_order_asked(b: &dyn Backend) {
    let s = b.store();
    fixture(s);
    let x = add(s, "https://n.example/x");
    let y = add(s, "https://n.example/y");
    s.record_check(&record(x, 1, 0, new_version("x zero")))
        .unwrap();
    s.record_check(&record(x, 2, 1, new_version("x one")))
        .unwrap();
    s.record_check(&record(y, 3, 0, new_version("y zero")))
        .unwrap();
    let got: Vec<_> = s
        .version_texts(&[(y, 0), (x, 1), (x, 7), (x, 0), (999, 0)])
        .unwrap()
        .into_iter()
        .map(|v| {
            (
                v.meta.article_id,
                v.meta.number,
                v.text.paragraphs.join(" "),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (y, 0, "y zero".to_string()),
            (x, 1, "x one".to_string()),
            (x, 0, "x zero".to_string())
        ]
    );
    assert!(s.version_texts(&[]).unwrap().is_empty());
}

fn rebuilding_replaces_versions_and_keeps_other_changes(b: &dyn Backend) {
    let s = b.store();
    fixture(s);
    // a, b, c, then back to a.
    let id = add(s, "https://n.example/r");
    for (n, words) in ["a", "b", "c"].iter().enumerate() {
        s.record_check(&record(id, n as i64 + 1, n as u32, new_version(words)))
            .unwrap();
    }
    s.record_check(&record(
        id,
        5,
        3,
        CheckOutcome::Reverted {
            to: 0,
            change: ChangeInfo::default(),
        },
    ))
    .unwrap();
    let generation = s.changes_generation().unwrap();
    let rebuilt = |replaces: Vec<u32>, at: i64, words: &str| RebuiltVersion {
        replaces,
        seen_at: t(at),
        text: text(words),
        published: None,
        capture: None,
        minor: false,
        words_added: 1,
        words_removed: 1,
        change: None,
    };
    let plan = [rebuilt(vec![0], 1, "a"), rebuilt(vec![1, 2], 2, "bc")];
    let stale = s.rebuild_versions(id, 2, &plan, "re-extracted", t(9));
    assert!(
        matches!(stale, Err(StoreError::Conflict { .. })),
        "{stale:?}"
    );
    s.rebuild_versions(id, 3, &plan, "re-extracted", t(9))
        .unwrap();
    let versions: Vec<_> = s
        .versions(id)
        .unwrap()
        .into_iter()
        .map(|v| (v.number, v.seen_at))
        .collect();
    assert_eq!(versions, [(0, t(1)), (1, t(2))]);
    assert_eq!(s.version(id, 1).unwrap().unwrap().text.paragraphs, ["bc"]);
    let changes: Vec<_> = s
        .changes(&ChangeQuery::of_article(id))
        .unwrap()
        .into_iter()
        .map(|c| (c.kind, c.from, c.number, c.seen_at))
        .collect();
    assert_eq!(
        changes,
        [
            (ChangeKind::Revert, 1, 0, t(5)),
            (ChangeKind::Edit, 0, 1, t(2)),
        ]
    );
    let a = s.article(id).unwrap().unwrap();
    assert_eq!(
        (a.version_count, a.live_version, a.change_count),
        (2, Some(0), 2)
    );
    let events = s.events(id).unwrap();
    let last = events.last().unwrap();
    assert_eq!(
        (last.kind, last.detail.as_deref()),
        (EventKind::Rebuilt, Some("re-extracted"))
    );
    // Caches of rendered lists see the rebuild: the generation grows
    // (SQLite reuses the row ids a rebuild frees; it must still grow).
    assert!(s.changes_generation().unwrap() > generation);
    // The search index follows the new texts.
    let hits = s
        .find_articles(&ArticleQuery {
            text: Some(search::parse("bc").unwrap().text),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(hits.len(), 1);
    assert!(
        s.find_articles(&ArticleQuery {
            text: Some(search::parse("c").unwrap().text),
            ..Default::default()
        })
        .unwrap()
        .is_empty(),
        "the old version's text is out of the index"
    );
}

/// The alerts' outbox: a change a check finds is queued with it; turning
/// it into deliveries is done once however often it is repeated; a
/// delivery is leased to one worker, marked sent, retried, postponed or
/// given up; the hourly counts tell digests apart.
fn changes_reach_the_outbox_and_deliveries_are_leased_once(b: &dyn Backend) {
    let s = b.store();
    fixture(s);
    let id = add(s, "https://n.example/outbox");
    s.record_check(&record(id, 1, 0, new_version("a"))).unwrap();
    // The first version is no change: nothing queued.
    assert!(s.pending_changes(10).unwrap().is_empty());
    s.record_check(&record(id, 2, 1, new_version("a / b")))
        .unwrap();
    s.record_check(&record(id, 3, 2, new_version("a / b / c")))
        .unwrap();
    let pending = s.pending_changes(10).unwrap();
    let keys: Vec<i64> = s
        .changes(&ChangeQuery::of_article(id))
        .unwrap()
        .iter()
        .map(|c| c.key)
        .rev()
        .collect();
    assert_eq!(pending, keys, "both edits queued, oldest first");
    let (first, second) = (keys[0], keys[1]);
    let wanted = |alert: &str, change| NewDelivery {
        alert: alert.into(),
        change,
    };
    let deliveries = [wanted("a", first), wanted("a", second), wanted("b", second)];
    s.enqueue_deliveries(&pending, &deliveries, t(4)).unwrap();
    // Again (a second worker, a crash before the queue was emptied).
    s.enqueue_deliveries(&pending, &deliveries, t(4)).unwrap();
    assert!(s.pending_changes(10).unwrap().is_empty());
    let alerts = ["a".to_string(), "b".to_string()];
    let claimed = s.claim_deliveries(&alerts, "one", t(5), t(15), 10).unwrap();
    let seen: Vec<(String, i64, u32)> = claimed
        .iter()
        .map(|d| (d.alert.clone(), d.change, d.attempts))
        .collect();
    assert_eq!(
        seen,
        [
            ("a".to_string(), first, 0),
            ("a".to_string(), second, 0),
            ("b".to_string(), second, 0)
        ]
    );
    assert_eq!(claimed[0].id(), format!("a-{first}"));
    // Another worker gets none while the lease holds; the holder gets its
    // own again (a restart under the same crawler id).
    assert!(
        s.claim_deliveries(&alerts, "two", t(6), t(16), 10)
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        s.claim_deliveries(&alerts, "one", t(6), t(16), 10)
            .unwrap()
            .len(),
        3
    );
    let rows = |i: usize| vec![claimed[i].row];
    s.finish_deliveries(&DeliveryResult::Sent {
        rows: rows(0),
        message: claimed[0].id(),
        at: t(7),
    })
    .unwrap();
    s.finish_deliveries(&DeliveryResult::Failed {
        rows: rows(1),
        error: "the webhook answered HTTP 500".into(),
        retry_at: Some(t(30)),
    })
    .unwrap();
    s.finish_deliveries(&DeliveryResult::Postponed {
        rows: rows(2),
        until: t(60),
    })
    .unwrap();
    // Sent is never claimed again; the failed one waits for its retry,
    // the postponed one for its time.
    assert!(
        s.claim_deliveries(&alerts, "two", t(20), t(25), 10)
            .unwrap()
            .is_empty()
    );
    let retried = s
        .claim_deliveries(&alerts, "two", t(30), t(40), 10)
        .unwrap();
    assert_eq!(
        retried
            .iter()
            .map(|d| (d.change, d.attempts))
            .collect::<Vec<_>>(),
        [(second, 1)]
    );
    s.finish_deliveries(&DeliveryResult::Failed {
        rows: vec![retried[0].row],
        error: "given up".into(),
        retry_at: None,
    })
    .unwrap();
    let late = s
        .claim_deliveries(&alerts, "two", t(60), t(70), 10)
        .unwrap();
    assert_eq!(late.len(), 1);
    s.finish_deliveries(&DeliveryResult::Sent {
        rows: vec![late[0].row],
        message: digest_id("b", late[0].row, late[0].row),
        at: t(61),
    })
    .unwrap();
    assert!(s.message_sent("a", &format!("a-{first}")).unwrap());
    assert!(!s.message_sent("a", &format!("a-{second}")).unwrap());
    assert_eq!(
        s.messages_since("a", t(0)).unwrap(),
        MessageCounts {
            messages: 1,
            digests: 0,
            oldest: Some(t(7)),
            last_digest: None
        }
    );
    assert_eq!(
        s.messages_since("b", t(0)).unwrap(),
        MessageCounts {
            messages: 0,
            digests: 1,
            oldest: None,
            last_digest: Some(t(61))
        }
    );
    assert_eq!(
        s.alert_status().unwrap(),
        [
            AlertStatus {
                alert: "a".into(),
                sent: 1,
                messages: 1,
                queued: 0,
                failing: 0,
                failed: 1,
                last_sent: Some(t(7)),
                last_error: Some("given up".into()),
            },
            AlertStatus {
                alert: "b".into(),
                sent: 1,
                messages: 1,
                queued: 0,
                failing: 0,
                failed: 0,
                last_sent: Some(t(61)),
                last_error: None,
            },
        ]
    );
}

fn crawlers_claiming_at_once_get_different_articles(b: &dyn Backend) {
    let s = b.store();
    fixture(s);
    let urls: Vec<NewArticle> = (0..60)
        .map(|i| NewArticle {
            url: format!("https://n.example/c{i}"),
            title: None,
            published: None,
        })
        .collect();
    s.add_articles("news", &urls, t(0)).unwrap();
    let claimed: Vec<Vec<ArticleId>> = std::thread::scope(|scope| {
        let crawlers: Vec<_> = (0..4)
            .map(|c| {
                scope.spawn(move || {
                    let mut mine = Vec::new();
                    loop {
                        let due = s.claim_due(&format!("crawler{c}"), t(1), 4, t(30)).unwrap();
                        if due.is_empty() {
                            break mine;
                        }
                        mine.extend(due.iter().map(|d| d.id));
                    }
                })
            })
            .collect();
        crawlers.into_iter().map(|c| c.join().unwrap()).collect()
    });
    let mut all: Vec<ArticleId> = claimed.concat();
    all.sort();
    let before = all.len();
    all.dedup();
    assert_eq!(before, all.len(), "no article handed to two crawlers");
    assert_eq!(all.len(), 60, "every due article handed out");
    let mut owners = s.lease_owners(t(2)).unwrap();
    owners.sort();
    assert!(!owners.is_empty() && owners.len() <= 4);
    assert_eq!(s.next_due(t(2)).unwrap(), None, "all leased");
    assert_eq!(s.next_due(t(31)).unwrap(), Some(t(0)), "leases expired");
}

fn concurrent_version_writes_conflict(b: &dyn Backend) {
    let s = b.store();
    fixture(s);
    for round in 0..10 {
        let id = add(s, &format!("https://n.example/race{round}"));
        let results: Vec<Result<Option<u32>>> = std::thread::scope(|scope| {
            let writers: Vec<_> = (0..2)
                .map(|w| {
                    scope.spawn(move || {
                        s.record_check(&record(id, 1, 0, new_version(&format!("writer {w}"))))
                    })
                })
                .collect();
            writers.into_iter().map(|w| w.join().unwrap()).collect()
        });
        let ok = results.iter().filter(|r| matches!(r, Ok(Some(0)))).count();
        let conflicts = results
            .iter()
            .filter(|r| matches!(r, Err(StoreError::Conflict { article }) if *article == id))
            .count();
        assert_eq!((ok, conflicts), (1, 1), "{results:?}");
        assert_eq!(s.versions(id).unwrap().len(), 1);
        assert_eq!(s.article(id).unwrap().unwrap().checks, 1);
    }
}

// SQLite's own.

fn sqlite_reopened_database_is_sound() {
    let backend = Sqlite::new();
    fixture(&backend.store);
    add(&backend.store, "https://n.example/a");
    drop(backend.reopen());
    assert_eq!(backend.store.integrity_check().unwrap(), "ok");
}

fn sqlite_newer_schema_is_refused_naming_the_setting() {
    let backend = Sqlite::new();
    let path = backend.dir.path().join("test.db");
    rusqlite::Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    let e = SqliteStore::open(&path).unwrap_err();
    let known = match e {
        StoreError::NewerSchema {
            found: 99, known, ..
        } => known,
        ref other => panic!("{other:?}"),
    };
    assert_eq!(
        e.to_string(),
        format!(
            "the database {} ([storage] database) has schema 99, written by a newer redline \
             (this one knows schemas up to {known}). Upgrade redline, or point [storage] \
             database at another database",
            path.display()
        )
    );
}

// PostgreSQL's own.

#[cfg(feature = "postgres")]
fn postgres_wrong_credentials_name_the_setting(cluster: &support::Cluster) {
    let url = cluster
        .create_database("creds")
        .replace(support::PASSWORD, "wrong");
    let e = PgStore::open(&url).unwrap_err();
    assert!(matches!(e, StoreError::Credentials { .. }), "{e:?}");
    let message = e.to_string();
    assert!(message.contains("[storage] database"), "{message}");
    assert!(message.contains("password"), "{message}");
    assert!(
        !message.contains("wrong"),
        "the password is never shown: {message}"
    );
    assert!(!e.is_transient());
}

#[cfg(feature = "postgres")]
fn postgres_unreachable_server_is_transient_and_says_so(_cluster: &support::Cluster) {
    // A port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let e = PgStore::open(&format!("postgres://u:p@127.0.0.1:{port}/db")).unwrap_err();
    assert!(matches!(e, StoreError::Unreachable { .. }), "{e:?}");
    let message = e.to_string();
    assert!(
        message.contains("[storage] database") && message.contains(&format!("127.0.0.1:{port}")),
        "{message}"
    );
    assert!(e.is_transient());
    let e = PgStore::open("postgres://u@[::1:bad").unwrap_err();
    assert!(e.to_string().contains("[storage] database"), "{e}");
}

#[cfg(feature = "postgres")]
fn postgres_missing_database_says_to_create_it(cluster: &support::Cluster) {
    let e = PgStore::open(&cluster.url("nosuchdb")).unwrap_err();
    let message = e.to_string();
    assert!(matches!(e, StoreError::Open { .. }), "{e:?}");
    assert!(
        message.contains("nosuchdb") && message.contains("createdb"),
        "{message}"
    );
}

/// A history with a row in every table: versions, a revert, a removal
/// and return, a site change, a hidden article, an article merged into a
/// later one, a failed listing poll.
#[cfg(feature = "postgres")]
fn rich_history(s: &dyn Store) {
    use redline_classify::Label;
    fixture(s);
    let first = add(s, "https://n.example/first");
    s.record_check(&record(first, 1, 0, new_version("the first text")))
        .unwrap();
    a_then_b_then_back_to(s, &[0]);
    let template = ChangeInfo {
        labels: vec![Label::Byline, Label::Style],
        significance: 3,
        summary: "Byline re-cased".into(),
        signature: Some(77),
    };
    for i in 0..SITE_CHANGE_MIN_ARTICLES {
        let id = add(s, &format!("https://n.example/s{i}"));
        s.record_check(&record(id, 10, 0, new_version("Zürich / x")))
            .unwrap();
        s.record_check(&record(
            id,
            20 + i as i64,
            1,
            assessed_version("Zürich / y", template.clone()),
        ))
        .unwrap();
    }
    let gone = add(s, "https://n.example/gone");
    s.record_check(&record(gone, 1, 0, new_version("here")))
        .unwrap();
    let removed = ChangeInfo {
        summary: "Removed from the site (HTTP 404)".into(),
        significance: 80,
        ..Default::default()
    };
    s.record_check(&record(
        gone,
        2,
        1,
        CheckOutcome::Gone {
            status: 404,
            change: removed,
        },
    ))
    .unwrap();
    let hidden = add(s, "https://n.example/hidden");
    s.record_check(&record(hidden, 1, 0, new_version("secret")))
        .unwrap();
    s.set_hidden(hidden, true).unwrap();
    let later = add(s, "https://n.example/later");
    s.record_check(&record(first, 30, 1, CheckOutcome::Merged { into: later }))
        .unwrap();
    s.record_listing_poll(&ListingPoll {
        url: "https://n.example/feed.xml".into(),
        at: t(3),
        next_poll: t(8),
        result: Err("HTTP 503".into()),
        etag: Some("\"f1\"".into()),
        last_modified: None,
    })
    .unwrap();
}

/// What a reader of `s` sees: every article (hidden ones too), version,
/// event and change, the sources, listings, site changes and a search.
#[cfg(feature = "postgres")]
fn everything_seen(s: &dyn Store) -> String {
    let mut out = String::new();
    let articles = s
        .articles(&ArticleFilter {
            limit: 1000,
            ..Default::default()
        })
        .unwrap();
    for a in &articles {
        out += &format!("{a:?}\n");
        for v in s.versions(a.id).unwrap() {
            let text = s.version(a.id, v.number).unwrap().unwrap();
            out += &format!("  {text:?}\n");
        }
        out += &format!("  {:?}\n", s.events(a.id).unwrap());
    }
    for site in [false, true] {
        let changes = s
            .changes(&ChangeQuery {
                include_site_changes: site,
                include_minor: site,
                limit: 100,
                ..Default::default()
            })
            .unwrap();
        out += &format!("{changes:?}\n");
    }
    out += &format!("{:?}\n{:?}\n", s.sources().unwrap(), s.listings().unwrap());
    out += &format!(
        "{:?}\n{:?}\n",
        s.site_changes(None, 10).unwrap(),
        s.totals().unwrap()
    );
    for q in ["zurich", "\"first text\"", "title:headline"] {
        let hits = s
            .find_articles(&ArticleQuery {
                text: Some(search::parse(q).unwrap().text),
                limit: 100,
                ..Default::default()
            })
            .unwrap();
        out += &format!("{q}: {hits:?}\n");
    }
    out
}

#[cfg(feature = "postgres")]
fn postgres_store_copy_moves_everything_there_and_back_resumably(cluster: &support::Cluster) {
    use redline_config::Database;
    let original = Sqlite::new();
    rich_history(&original.store);
    let seen = everything_seen(&original.store);
    let from = Database::Sqlite(original.dir.path().join("test.db"));
    let url = cluster.create_database("copy_there");
    let to = Database::Postgres(url.clone());
    let mut batches = Vec::new();
    let report = copy_database(&from, &to, &mut |p| batches.push(p)).unwrap();
    let expected = "\
sources       1 rows
listings      1 rows
articles      10 rows
article_urls  10 rows
versions      15 rows
events        28 rows
site_changes  1 rows
changes       8 rows
verified: every table has the same rows and content hash on both sides";
    assert_eq!(report.to_string(), expected);
    assert!(batches.contains(&copy::Progress::Copying {
        table: "versions",
        rows: 15
    }));
    let copied = PgStore::open(&url).unwrap();
    assert_eq!(
        everything_seen(&copied),
        seen,
        "PostgreSQL answers as SQLite did"
    );
    let next = add(&copied, "https://n.example/after-the-copy");
    assert_eq!(next, 11, "new rows get new ids");

    // An interrupted copy: the last tables not (all) written yet.
    let url = cluster.create_database("copy_resumed");
    copy_database(&from, &Database::Postgres(url.clone()), &mut |_| {}).unwrap();
    let mut c = ::postgres::Client::connect(&url, ::postgres::NoTls).unwrap();
    c.batch_execute(
        "DELETE FROM changes; DELETE FROM site_changes;
         DELETE FROM events WHERE id > (SELECT max(id) - 5 FROM events);",
    )
    .unwrap();
    let resumed = copy_database(&from, &Database::Postgres(url.clone()), &mut |_| {}).unwrap();
    let copied_now: Vec<(&str, u64, u64)> = resumed
        .tables
        .iter()
        .map(|t| (t.table, t.rows, t.copied))
        .collect();
    assert_eq!(
        copied_now,
        [
            ("sources", 1, 0),
            ("listings", 1, 0),
            ("articles", 10, 0),
            ("article_urls", 10, 0),
            ("versions", 15, 0),
            ("events", 28, 5),
            ("site_changes", 1, 1),
            ("changes", 8, 8)
        ]
    );
    assert!(
        resumed
            .to_string()
            .contains("events        28 rows (5 copied now, 23 by an earlier run)\n"),
        "{resumed}"
    );
    assert_eq!(everything_seen(&PgStore::open(&url).unwrap()), seen);

    // A target that differs from the source is refused, naming the table.
    c.batch_execute("UPDATE articles SET title = 'tampered' WHERE id = 2")
        .unwrap();
    let e = copy_database(&from, &Database::Postgres(url.clone()), &mut |_| {}).unwrap_err();
    assert_eq!(
        e.to_string(),
        "the copy of table articles does not match: 10 rows in the \
         source, 10 in the target, with different contents. Was a crawler writing to either \
         database? Stop them, and copy into an empty database"
    );

    // And back into a new SQLite file: the full-text index is rebuilt.
    let back = tempfile::tempdir().unwrap();
    let back_path = back.path().join("back.db");
    let report = copy_database(
        &Database::Postgres(cluster.create_database("copy_source")),
        &Database::Sqlite(back_path.clone()),
        &mut |_| {},
    )
    .unwrap();
    assert!(report.tables.iter().all(|t| t.rows == 0), "an empty one");
    let there = cluster.create_database("copy_back");
    copy_database(&from, &Database::Postgres(there.clone()), &mut |_| {}).unwrap();
    let back_path = back.path().join("back2.db");
    copy_database(
        &Database::Postgres(there),
        &Database::Sqlite(back_path.clone()),
        &mut |_| {},
    )
    .unwrap();
    let back_store = SqliteStore::open(&back_path).unwrap();
    assert_eq!(everything_seen(&back_store), seen, "and back into SQLite");
    assert_eq!(back_store.integrity_check().unwrap(), "ok");
    let same = copy_database(&from, &from, &mut |_| {}).unwrap_err();
    assert!(
        same.to_string()
            .contains("is both the source and the target"),
        "{same}"
    );
}

#[cfg(feature = "postgres")]
fn postgres_newer_schema_is_refused(cluster: &support::Cluster) {
    let url = cluster.create_database("newer");
    drop(PgStore::open(&url).unwrap());
    ::postgres::Client::connect(&url, ::postgres::NoTls)
        .unwrap()
        .batch_execute("UPDATE redline_schema SET version = 99")
        .unwrap();
    let e = PgStore::open(&url).unwrap_err();
    assert!(
        matches!(e, StoreError::NewerSchema { found: 99, .. }),
        "{e:?}"
    );
    let message = e.to_string();
    assert!(
        message.contains("[storage] database") && message.contains("Upgrade redline"),
        "{message}"
    );
}

#[cfg(feature = "postgres")]
fn postgres_processes_starting_together_migrate_once(cluster: &support::Cluster) {
    let url = cluster.create_database("together");
    let opened: Vec<Result<PgStore>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4)
            .map(|_| scope.spawn(|| PgStore::open(&url)))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for store in opened {
        let store = store.unwrap();
        fixture(&store);
        assert_eq!(store.source_specs().unwrap().len(), 1);
    }
}

#[cfg(feature = "postgres")]
fn postgres_lost_connections_are_replaced(cluster: &support::Cluster) {
    let url = cluster.create_database("lost");
    let store = PgStore::open_with(&url, 2).unwrap();
    fixture(&store);
    // Every connection of the store is ended by the server.
    let mut admin =
        ::postgres::Client::connect(&cluster.url("postgres"), ::postgres::NoTls).unwrap();
    admin
        .execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
             WHERE datname = 'lost' AND pid != pg_backend_pid()",
            &[],
        )
        .unwrap();
    // The first use may meet a dead connection: a transient error the
    // crawler waits out; the store answers again right after.
    if let Err(e) = store.ping() {
        assert!(
            matches!(e, StoreError::Unreachable { .. }) && e.is_transient(),
            "{e:?}"
        );
    }
    store.ping().unwrap();
    assert_eq!(store.source_specs().unwrap().len(), 1);
}

/// Every test that runs against each backend.
macro_rules! tests {
    ($($name:ident),* $(,)?) => {
        &[$((stringify!($name), $name as fn(&dyn Backend))),*]
    };
}

/// A test of every backend, by name.
type CommonTest = (&'static str, fn(&dyn Backend));

const COMMON: &[CommonTest] = tests![
    articles_are_added_once_under_any_of_their_urls,
    a_new_article_is_due_at_once_and_leased_to_one_claimant,
    claiming_one_article_respects_another_crawlers_lease,
    versions_are_stored_compressed_and_read_back_exactly,
    a_stale_classification_is_refused_and_writes_nothing,
    a_failed_write_leaves_no_trace,
    a_revert_points_the_live_version_back_without_a_new_version,
    gone_articles_wait_for_their_slow_recheck_and_retired_ones_are_not_due,
    failures_are_counted_and_keep_the_validators,
    source_summaries_count_articles_and_versions,
    listings_follow_the_configuration_and_their_schedule,
    a_due_listing_is_polled_by_one_crawler_at_a_time,
    reopening_keeps_everything_and_migrates_once,
    sources_added_at_run_time_keep_their_listings_and_patterns,
    administrators_can_retire_and_hide_articles,
    every_version_is_in_the_full_text_index,
    reverts_are_changes_from_the_version_they_left,
    a_revert_between_texts_differing_in_punctuation_only_is_minor,
    removal_redirect_and_return_are_changes_in_the_lists,
    changes_filter_by_significance_and_label_and_rank_by_significance,
    one_change_on_many_articles_of_a_source_is_a_site_change,
    outlet_statistics_count_what_press_critics_quote,
    search_gives_what_fts5_gives,
    search_walks_pages_without_overlap,
    version_texts_come_in_the_order_asked,
    rebuilding_replaces_versions_and_keeps_other_changes,
    crawlers_claiming_at_once_get_different_articles,
    changes_reach_the_outbox_and_deliveries_are_leased_once,
    concurrent_version_writes_conflict,
];

const SQLITE_ONLY: &[(&str, fn())] = &[
    (
        "upgrading_names_the_version_earlier_reverts_left",
        sqlite_upgrading_names_the_version_earlier_reverts_left,
    ),
    (
        "reopened_database_is_sound",
        sqlite_reopened_database_is_sound,
    ),
    (
        "newer_schema_is_refused_naming_the_setting",
        sqlite_newer_schema_is_refused_naming_the_setting,
    ),
];

#[cfg(feature = "postgres")]
/// A test of PostgreSQL's own, by name.
#[cfg(feature = "postgres")]
type PostgresTest = (&'static str, fn(&support::Cluster));

#[cfg(feature = "postgres")]
const POSTGRES_ONLY: &[PostgresTest] = &[
    (
        "wrong_credentials_name_the_setting",
        postgres_wrong_credentials_name_the_setting,
    ),
    (
        "unreachable_server_is_transient_and_says_so",
        postgres_unreachable_server_is_transient_and_says_so,
    ),
    (
        "missing_database_says_to_create_it",
        postgres_missing_database_says_to_create_it,
    ),
    ("newer_schema_is_refused", postgres_newer_schema_is_refused),
    (
        "store_copy_moves_everything_there_and_back_resumably",
        postgres_store_copy_moves_everything_there_and_back_resumably,
    ),
    (
        "processes_starting_together_migrate_once",
        postgres_processes_starting_together_migrate_once,
    ),
    (
        "lost_connections_are_replaced",
        postgres_lost_connections_are_replaced,
    ),
];

/// One test to run: its full name and how.
struct Case<'a> {
    name: String,
    run: Box<dyn Fn() + 'a>,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let filters: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    let exact = args.iter().any(|a| a == "--exact");
    let selected = |name: &str| {
        filters.is_empty()
            || filters.iter().any(|f| {
                if exact {
                    name == f.as_str()
                } else {
                    name.contains(f.as_str())
                }
            })
    };
    let mut names: Vec<String> = Vec::new();
    for (name, _) in COMMON {
        names.push(format!("sqlite/{name}"));
    }
    for (name, _) in SQLITE_ONLY {
        names.push(format!("sqlite/{name}"));
    }
    #[cfg(feature = "postgres")]
    {
        for (name, _) in COMMON {
            names.push(format!("postgres/{name}"));
        }
        for (name, _) in POSTGRES_ONLY {
            names.push(format!("postgres/{name}"));
        }
    }
    if args.iter().any(|a| a == "--list") {
        for name in names.iter().filter(|n| selected(n)) {
            println!("{name}: test");
        }
        return;
    }
    let filtered_out = names.iter().filter(|n| !selected(n)).count();

    // The cluster lives until the end of main: dropped (stopped) after the
    // last test, also when one panics.
    #[cfg(feature = "postgres")]
    let cluster = if names
        .iter()
        .any(|n| n.starts_with("postgres/") && selected(n))
    {
        match support::Cluster::start() {
            Ok(c) => Some(c),
            Err(e) => {
                eprintln!("error: cannot run the PostgreSQL conformance tests: {e}");
                println!(
                    "test result: FAILED. 0 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out"
                );
                std::process::exit(1);
            }
        }
    } else {
        None
    };

    let mut cases: Vec<Case<'_>> = Vec::new();
    for &(name, test) in COMMON {
        cases.push(Case {
            name: format!("sqlite/{name}"),
            run: Box::new(move || test(&Sqlite::new())),
        });
    }
    for &(name, test) in SQLITE_ONLY {
        cases.push(Case {
            name: format!("sqlite/{name}"),
            run: Box::new(test),
        });
    }
    #[cfg(feature = "postgres")]
    if let Some(cluster) = &cluster {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static DATABASES: AtomicUsize = AtomicUsize::new(0);
        for &(name, test) in COMMON {
            cases.push(Case {
                name: format!("postgres/{name}"),
                run: Box::new(move || {
                    let n = DATABASES.fetch_add(1, Ordering::Relaxed);
                    let url = cluster.create_database(&format!("test{n}"));
                    let store = PgStore::open(&url).unwrap();
                    test(&Postgres { url, store })
                }),
            });
        }
        for &(name, test) in POSTGRES_ONLY {
            cases.push(Case {
                name: format!("postgres/{name}"),
                run: Box::new(move || test(cluster)),
            });
        }
    }
    cases.retain(|c| selected(&c.name));
    println!("\nrunning {} tests", cases.len());
    let started = Instant::now();
    let mut failed = Vec::new();
    for case in &cases {
        let t0 = Instant::now();
        let outcome = catch_unwind(AssertUnwindSafe(|| (case.run)()));
        let took = t0.elapsed();
        match outcome {
            Ok(()) => println!("test {} ... ok ({:.2}s)", case.name, took.as_secs_f64()),
            Err(_) => {
                println!("test {} ... FAILED", case.name);
                failed.push(case.name.clone());
            }
        }
    }
    let passed = cases.len() - failed.len();
    if !failed.is_empty() {
        println!("\nfailures:");
        for name in &failed {
            println!("    {name}");
        }
    }
    println!(
        "\ntest result: {}. {passed} passed; {} failed; 0 ignored; 0 measured; {filtered_out} \
         filtered out; finished in {:.2}s\n",
        if failed.is_empty() { "ok" } else { "FAILED" },
        failed.len(),
        started.elapsed().as_secs_f64()
    );
    drop(cases);
    #[cfg(feature = "postgres")]
    drop(cluster);
    if !failed.is_empty() {
        std::process::exit(1);
    }
}
