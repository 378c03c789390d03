use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use redline_diff::ArticleText;

use super::SqliteStore;
use crate::*;

fn t(minutes: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap() + chrono::Duration::minutes(minutes)
}

struct Fixture {
    _dir: tempfile::TempDir,
    store: SqliteStore,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("test.db")).unwrap();
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
    Fixture { _dir: dir, store }
}

fn add(store: &SqliteStore, url: &str) -> ArticleId {
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

#[test]
fn articles_are_added_once_under_any_of_their_urls() {
    let f = fixture();
    let id = add(&f.store, "https://n.example/a");
    let again = f
        .store
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
    f.store.record_check(&r).unwrap();
    assert_eq!(
        f.store
            .find_by_url("https://n.example/canonical-a")
            .unwrap()
            .unwrap()
            .id,
        id
    );
    let via_alias = f
        .store
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

#[test]
fn a_new_article_is_due_at_once_and_leased_to_one_claimant() {
    let f = fixture();
    let id = add(&f.store, "https://n.example/a");
    let due = f.store.claim_due("one", t(0), 10, t(10)).unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].id, id);
    assert_eq!(due[0].version_count, 0);
    assert!(due[0].live.is_none());
    assert!(
        f.store
            .claim_due("two", t(1), 10, t(10))
            .unwrap()
            .is_empty(),
        "leased to another crawler"
    );
    assert_eq!(f.store.lease_owners(t(1)).unwrap(), ["one"]);
    assert!(
        f.store
            .claim_due("one", t(1), 10, t(10))
            .unwrap()
            .is_empty(),
        "an article being checked is not handed out twice, even to its holder"
    );
    assert_eq!(
        f.store.claim_due("two", t(11), 10, t(20)).unwrap().len(),
        1,
        "lease expired: taken over"
    );
    assert_eq!(f.store.lease_owners(t(11)).unwrap(), ["two"]);
    assert!(f.store.lease_owners(t(20)).unwrap().is_empty(), "expired");
    // Releasing another crawler's leases leaves these; releasing its own
    // frees the article at once.
    f.store.release_leases(&["one".into()]).unwrap();
    assert!(
        f.store
            .claim_due("three", t(12), 10, t(20))
            .unwrap()
            .is_empty()
    );
    f.store.release_leases(&["two".into()]).unwrap();
    assert_eq!(
        f.store.claim_due("three", t(12), 10, t(20)).unwrap().len(),
        1
    );
}

#[test]
fn claiming_one_article_respects_another_crawlers_lease() {
    let f = fixture();
    let id = add(&f.store, "https://n.example/a");
    f.store.claim_due("one", t(0), 10, t(10)).unwrap();
    let e = f.store.claim("two", id, t(1), t(11)).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "article {id} is being checked by crawler \"one\" (its lease runs until {}); try \
             again once that check is done",
            t(10)
        )
    );
    assert_eq!(
        f.store.claim("one", id, t(1), t(11)).unwrap().unwrap().id,
        id
    );
    assert_eq!(
        f.store.claim("two", id, t(11), t(21)).unwrap().unwrap().id,
        id
    );
    assert!(f.store.claim("two", 999, t(11), t(21)).unwrap().is_none());
}

#[test]
fn versions_are_stored_compressed_and_read_back_exactly() {
    let f = fixture();
    let id = add(&f.store, "https://n.example/a");
    let long = (0..200)
        .map(|i| format!("Paragraph {i} says something about the news of the day."))
        .collect::<Vec<_>>()
        .join(" / ");
    assert_eq!(
        f.store
            .record_check(&record(id, 1, 0, new_version(&long)))
            .unwrap(),
        Some(0)
    );
    assert_eq!(
        f.store
            .record_check(&record(id, 20, 1, new_version("short / text")))
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
            f.store
                .record_check(&record(id, at, expected, outcome))
                .unwrap()
                .is_some()
        );
    }
    let v0 = f.store.version(id, 0).unwrap().unwrap();
    assert_eq!(v0.text, text(&long));
    assert_eq!(v0.text.social_title, None);
    assert_eq!(v0.meta.capture.as_ref().unwrap().offset, 10);
    let v1 = f.store.version(id, 1).unwrap().unwrap();
    assert_eq!(v1.text.paragraphs, ["short", "text"]);
    let [v2, v3] = [2, 3].map(|n| f.store.version(id, n).unwrap().unwrap());
    assert_eq!(
        v2.text.social_title.as_deref(),
        Some("You won't believe this")
    );
    assert_eq!(v3.text.social_title.as_deref(), Some(""));
    assert_eq!(
        f.store.version_texts(&[(id, 2), (id, 3)]).unwrap(),
        [v2.clone(), v3.clone()]
    );
    assert!(f.store.version(id, 4).unwrap().is_none());

    let article = f.store.article(id).unwrap().unwrap();
    assert_eq!(article.version_count, 4);
    assert_eq!(article.changes(), 3);
    assert_eq!(article.live_version, Some(3));
    assert_eq!(article.title.as_deref(), Some("Headline"));
    assert_eq!(article.last_changed, Some(t(40)));
    assert_eq!(article.next_check, Some(t(55)));
    assert_eq!(article.etag.as_deref(), Some("\"e40\""));

    let stored: i64 = f
        .store
        .read(|c| {
            Ok(c.query_row(
                "SELECT length(body_zstd) FROM versions WHERE number = 0",
                [],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert!(
        (stored as usize) < long.len() / 3,
        "{stored} bytes for {}",
        long.len()
    );

    let kinds: Vec<_> = f.store.events(id).unwrap().iter().map(|e| e.kind).collect();
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

#[test]
fn a_stale_classification_is_refused_and_writes_nothing() {
    let f = fixture();
    let id = add(&f.store, "https://n.example/a");
    f.store
        .record_check(&record(id, 1, 0, new_version("one")))
        .unwrap();
    let err = f
        .store
        .record_check(&record(id, 2, 0, new_version("two")))
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err}");
    assert_eq!(f.store.versions(id).unwrap().len(), 1);
    assert_eq!(f.store.article(id).unwrap().unwrap().checks, 1);
}

#[test]
fn a_failed_write_leaves_no_trace() {
    let f = fixture();
    let id = add(&f.store, "https://n.example/a");
    f.store
        .record_check(&record(id, 1, 0, new_version("one")))
        .unwrap();
    let before = f.store.events(id).unwrap().len();
    // Reverting to a version that does not exist fails mid-transaction.
    let err = f
        .store
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
    assert_eq!(f.store.events(id).unwrap().len(), before);
    assert_eq!(f.store.article(id).unwrap().unwrap().checks, 1);
}

#[test]
fn a_revert_points_the_live_version_back_without_a_new_version() {
    let f = fixture();
    let id = a_then_b_then_back_to(&f.store, &[0]);
    let article = f.store.article(id).unwrap().unwrap();
    assert_eq!(article.version_count, 2);
    assert_eq!(article.live_version, Some(0));
    let due = f.store.claim("test", id, t(99), t(100)).unwrap().unwrap();
    assert_eq!(due.live.unwrap().hash, text("a").hash());
    let known = f.store.known_versions(id).unwrap();
    assert_eq!(known.len(), 2);
}

#[test]
fn gone_articles_wait_for_their_slow_recheck_and_retired_ones_are_not_due() {
    let f = fixture();
    let gone = add(&f.store, "https://n.example/gone");
    let old = add(&f.store, "https://n.example/old");
    f.store
        .record_check(&record(
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
    f.store.record_check(&retire).unwrap();
    // The crawler schedules a gone article's next look (here at minute 16).
    assert!(
        f.store
            .claim_due("test", t(15), 10, t(16))
            .unwrap()
            .is_empty()
    );
    let due: Vec<_> = f
        .store
        .claim_due("test", t(10_000), 10, t(10_001))
        .unwrap()
        .into_iter()
        .map(|d| (d.id, d.status))
        .collect();
    assert_eq!(due, [(gone, ArticleStatus::Gone)]);
    let gone = f.store.article(gone).unwrap().unwrap();
    assert_eq!(gone.status, ArticleStatus::Gone);
    assert_eq!(gone.next_check, Some(t(16)));
    let events = f.store.events(gone.id).unwrap();
    assert_eq!(
        events.last().unwrap().detail.as_deref(),
        Some("the site answered HTTP 410")
    );
    assert_eq!(
        f.store.article(old).unwrap().unwrap().status,
        ArticleStatus::Retired
    );
}

#[test]
fn failures_are_counted_and_keep_the_validators() {
    let f = fixture();
    let id = add(&f.store, "https://n.example/a");
    f.store
        .record_check(&record(id, 1, 0, new_version("a")))
        .unwrap();
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
    f.store.record_check(&failed).unwrap();
    f.store.record_check(&failed).unwrap();
    let article = f.store.article(id).unwrap().unwrap();
    assert_eq!(article.consecutive_errors, 2);
    assert_eq!(article.last_error.as_deref(), Some("timed out"));
    assert_eq!(article.etag.as_deref(), Some("\"e1\""));
    f.store
        .record_check(&record(id, 3, 1, CheckOutcome::Unchanged))
        .unwrap();
    let article = f.store.article(id).unwrap().unwrap();
    assert_eq!(article.consecutive_errors, 0);
    assert_eq!(article.last_error, None);
    let summary = &f.store.sources().unwrap()[0];
    assert_eq!((summary.checks, summary.errors), (4, 2));
}

#[test]
fn source_summaries_count_articles_and_versions() {
    let f = fixture();
    let a = add(&f.store, "https://n.example/a");
    add(&f.store, "https://n.example/b");
    f.store
        .record_check(&record(a, 1, 0, new_version("a")))
        .unwrap();
    f.store
        .record_check(&record(a, 2, 1, new_version("b")))
        .unwrap();
    let s = &f.store.sources().unwrap()[0];
    assert_eq!(
        (s.articles, s.active, s.versions, s.changed_articles),
        (2, 2, 2, 1)
    );
    assert_eq!(s.last_change, Some(t(2)));
    let changed = f
        .store
        .articles(&ArticleFilter {
            changed_only: true,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(changed.len(), 1);
}

#[test]
fn listings_follow_the_configuration_and_their_schedule() {
    let f = fixture();
    assert_eq!(f.store.due_listings(t(0)).unwrap().len(), 1);
    f.store
        .record_listing_poll(&ListingPoll {
            url: "https://n.example/feed.xml".into(),
            at: t(0),
            next_poll: t(5),
            result: Err("not a valid feed".into()),
            etag: None,
            last_modified: None,
        })
        .unwrap();
    assert!(f.store.due_listings(t(1)).unwrap().is_empty());
    let listing = &f.store.due_listings(t(5)).unwrap()[0];
    assert_eq!(listing.last_error.as_deref(), Some("not a valid feed"));
    assert_eq!(listing.consecutive_errors, 1);
    f.store
        .sync_sources(
            &[SourceSpec {
                name: "news".into(),
                title: "News".into(),
                listings: vec![(ListingKind::Page, "https://n.example/".into())],
                ..Default::default()
            }],
            t(6),
        )
        .unwrap();
    let all = f.store.listings().unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].kind, ListingKind::Page);
}

#[test]
fn reopening_keeps_everything_and_migrates_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.sqlite");
    {
        let store = SqliteStore::open(&path).unwrap();
        store
            .sync_sources(
                &[SourceSpec {
                    name: "news".into(),
                    title: "News".into(),
                    listings: vec![],
                    ..Default::default()
                }],
                t(0),
            )
            .unwrap();
        store
            .add_articles(
                "news",
                &[NewArticle {
                    url: "https://n.example/a".into(),
                    title: None,
                    published: None,
                }],
                t(0),
            )
            .unwrap();
    }
    let store = SqliteStore::open(&path).unwrap();
    assert!(store.find_by_url("https://n.example/a").unwrap().is_some());
    assert_eq!(store.integrity_check().unwrap(), "ok");
}

#[test]
fn sources_added_at_run_time_keep_their_listings_and_patterns() {
    let f = fixture();
    let added = SourceSpec {
        name: "extra".into(),
        title: "Extra".into(),
        listings: vec![(ListingKind::Feed, "https://x.example/rss".into())],
        article_url: Some("^https://x\\.example/".into()),
        exclude_url: None,
        extract_body: Some("main .story".into()),
        extract_remove: vec![".ad".into(), "aside".into()],
    };
    f.store.add_source(&added, t(0)).unwrap();
    let err = f.store.add_source(&added, t(0)).unwrap_err();
    assert!(matches!(err, StoreError::SourceExists(_)), "{err}");
    // Re-syncing the configuration (which does not name it) keeps it.
    f.store
        .sync_sources(
            &[SourceSpec {
                name: "news".into(),
                title: "News".into(),
                listings: vec![],
                ..Default::default()
            }],
            t(1),
        )
        .unwrap();
    let specs = f.store.source_specs().unwrap();
    let extra = specs.iter().find(|s| s.name == "extra").unwrap();
    assert_eq!(extra, &added);
    assert_eq!(f.store.due_listings(t(2)).unwrap().len(), 1);
}

#[test]
fn administrators_can_retire_and_hide_articles() {
    let f = fixture();
    let id = add(&f.store, "https://n.example/a");
    assert!(f.store.retire(id, t(1)).unwrap());
    let article = f.store.article(id).unwrap().unwrap();
    assert_eq!(
        (article.status, article.next_check),
        (ArticleStatus::Retired, None)
    );
    assert!(!f.store.retire(id, t(2)).unwrap(), "already retired");
    assert!(f.store.set_hidden(id, true).unwrap());
    assert!(f.store.article(id).unwrap().unwrap().hidden);
    assert!(!f.store.set_hidden(12345, true).unwrap());
}

#[test]
fn every_version_is_in_the_full_text_index() {
    let f = fixture();
    let id = add(&f.store, "https://n.example/a");
    f.store
        .record_check(&record(id, 1, 0, new_version("the zeppelin landed")))
        .unwrap();
    f.store
        .record_check(&record(id, 2, 1, new_version("the airship landed")))
        .unwrap();
    let hits = |term: &str| -> i64 {
        f.store
            .read(|c| {
                Ok(c.query_row(
                    "SELECT count(*) FROM versions_fts WHERE versions_fts MATCH ?1",
                    [term],
                    |r| r.get(0),
                )?)
            })
            .unwrap()
    };
    assert_eq!(hits("zeppelin"), 1);
    assert_eq!(hits("landed"), 2);
    assert_eq!(hits("title:headline"), 2);
}

/// An article whose text was "a" (version 0), then "b" (version 1), then
/// went back to the texts of `reverts` in turn, one check a minute.
fn a_then_b_then_back_to(store: &SqliteStore, reverts: &[u32]) -> ArticleId {
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
fn flip_flop(store: &SqliteStore) -> ArticleId {
    a_then_b_then_back_to(store, &[0, 1])
}

#[test]
fn reverts_are_changes_from_the_version_they_left() {
    let f = fixture();
    let id = flip_flop(&f.store);
    let all = f.store.changes(&ChangeQuery::default()).unwrap();
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
    while let Some(c) = f
        .store
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
    let second = f
        .store
        .changes(&ChangeQuery {
            limit: 1,
            offset: 1,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(second, all[1..2]);
    let recent = f
        .store
        .changes(&ChangeQuery {
            since: Some(t(3)),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(recent, all[..2]);
    // Reverts are changes the feed caches must see.
    let before = f.store.changes_generation().unwrap();
    f.store
        .record_check(&record(
            id,
            5,
            2,
            CheckOutcome::Reverted {
                to: 0,
                change: ChangeInfo::default(),
            },
        ))
        .unwrap();
    assert!(f.store.changes_generation().unwrap() > before);
}

#[test]
fn a_revert_between_texts_differing_in_punctuation_only_is_minor() {
    let f = fixture();
    let id = add(&f.store, "https://n.example/comma");
    f.store
        .record_check(&record(id, 1, 0, new_version("one two")))
        .unwrap();
    f.store
        .record_check(&record(id, 2, 1, new_version("one, two")))
        .unwrap();
    f.store
        .record_check(&record(
            id,
            3,
            2,
            CheckOutcome::Reverted {
                to: 0,
                change: ChangeInfo::default(),
            },
        ))
        .unwrap();
    let all = f
        .store
        .changes(&ChangeQuery {
            include_minor: true,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(all[0].kind, ChangeKind::Revert);
    assert!(all[0].minor);
    let shown = f.store.changes(&ChangeQuery::default()).unwrap();
    assert!(
        shown.iter().all(|c| c.kind == ChangeKind::Edit),
        "minor reverts are hidden by default"
    );
}

#[test]
fn upgrading_names_the_version_earlier_reverts_left() {
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

#[test]
fn removal_redirect_and_return_are_changes_in_the_lists() {
    use redline_classify::Label;
    let f = fixture();
    let id = add(&f.store, "https://n.example/a");
    f.store
        .record_check(&record(id, 1, 0, new_version("a")))
        .unwrap();
    let edit = info(&[Label::Number, Label::Stealth], 45, "12 → 15");
    f.store
        .record_check(&record(id, 2, 1, assessed_version("b", edit)))
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
    f.store
        .record_check(&record(id, 3, 2, gone.clone()))
        .unwrap();
    // Still gone at the next look: no second removal.
    f.store.record_check(&record(id, 4, 2, gone)).unwrap();
    let back = CheckOutcome::Restored {
        to: 1,
        change: ChangeInfo {
            summary: "Back on the site, unchanged".into(),
            significance: 40,
            ..Default::default()
        },
    };
    f.store.record_check(&record(id, 5, 2, back)).unwrap();
    let moved = CheckOutcome::Redirected {
        to: "https://n.example/".into(),
        change: ChangeInfo {
            summary: "Now redirects to n.example/".into(),
            significance: 70,
            ..Default::default()
        },
    };
    f.store.record_check(&record(id, 6, 2, moved)).unwrap();
    let seen: Vec<_> = f
        .store
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
    let a = f.store.article(id).unwrap().unwrap();
    assert_eq!(a.status, ArticleStatus::Gone, "redirected away");
    let kinds: Vec<_> = f
        .store
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

#[test]
fn changes_filter_by_significance_and_label_and_rank_by_significance() {
    use redline_classify::Label;
    let f = fixture();
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
        let id = add(&f.store, &format!("https://n.example/{url}"));
        let at = 10 * i as i64;
        f.store
            .record_check(&record(id, at + 1, 0, new_version("x")))
            .unwrap();
        f.store
            .record_check(&record(
                id,
                at + 2,
                1,
                assessed_version("y", change.clone()),
            ))
            .unwrap();
    }
    let list = |q: ChangeQuery| -> Vec<String> {
        f.store
            .changes(&q)
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

#[test]
fn one_change_on_many_articles_of_a_source_is_a_site_change() {
    use redline_classify::Label;
    let f = fixture();
    let template = ChangeInfo {
        labels: vec![Label::Byline, Label::Style],
        significance: 3,
        summary: "Byline re-cased".into(),
        signature: Some(424242),
    };
    let mut ids = Vec::new();
    for i in 0..crate::SITE_CHANGE_MIN_ARTICLES + 2 {
        let id = add(&f.store, &format!("https://n.example/s{i}"));
        f.store
            .record_check(&record(id, 1, 0, new_version("x")))
            .unwrap();
        ids.push(id);
    }
    // A real edit meanwhile, with its own signature.
    let real = info(&[Label::Number], 40, "9 → 10");
    f.store
        .record_check(&record(ids[0], 100, 1, assessed_version("real", real)))
        .unwrap();
    // The template change reaches the articles over two hours.
    for (i, &id) in ids.iter().enumerate().skip(1) {
        let at = 100 + 20 * i as i64;
        f.store
            .record_check(&record(id, at, 1, assessed_version("y", template.clone())))
            .unwrap();
        let listed = f.store.changes(&ChangeQuery::default()).unwrap().len();
        // Four articles are edits as far as anyone can tell; the fifth
        // makes it a site change, and later ones join it.
        let expected = if (i as u64) < crate::SITE_CHANGE_MIN_ARTICLES {
            i + 1
        } else {
            1
        };
        assert_eq!(listed, expected, "after article {i}");
    }
    let groups = f.store.site_changes(None, 10).unwrap();
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
            crate::SITE_CHANGE_MIN_ARTICLES + 1,
            "Byline re-cased",
            t(120),
            t(220)
        )
    );
    let grouped = f
        .store
        .changes(&ChangeQuery {
            site_change: Some(g.id),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(grouped.len() as u64, crate::SITE_CHANGE_MIN_ARTICLES + 1);
    assert!(grouped.iter().all(|c| c.site_change == Some(g.id)));
    let all = f
        .store
        .changes(&ChangeQuery {
            include_site_changes: true,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(all.len() as u64, crate::SITE_CHANGE_MIN_ARTICLES + 2);
}

#[test]
fn outlet_statistics_count_what_press_critics_quote() {
    use redline_classify::Label;
    let f = fixture();
    // Four articles: one never changed, one with a major stealth edit and a
    // minor one, one with a notable edit that has a correction, one removed.
    let ids: Vec<_> = (0..4)
        .map(|i| add(&f.store, &format!("https://n.example/st{i}")))
        .collect();
    for &id in &ids {
        f.store
            .record_check(&record(id, 0, 0, new_version("x")))
            .unwrap();
    }
    let major = info(&[Label::Headline, Label::Stealth], 70, "Headline rewritten");
    let notable = info(
        &[Label::Correction, Label::Number],
        50,
        "correction appended",
    );
    let small = info(&[Label::Addition, Label::Stealth], 22, "1 sentence added");
    f.store
        .record_check(&record(ids[1], 60, 1, assessed_version("y", major)))
        .unwrap();
    f.store
        .record_check(&record(ids[1], 120, 2, assessed_version("z", small)))
        .unwrap();
    f.store
        .record_check(&record(ids[2], 180, 1, assessed_version("y", notable)))
        .unwrap();
    let removal = CheckOutcome::Gone {
        status: 404,
        change: ChangeInfo::default(),
    };
    f.store
        .record_check(&record(ids[3], 30, 1, removal))
        .unwrap();
    let stats = f.store.source_stats("news", t(200)).unwrap();
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
