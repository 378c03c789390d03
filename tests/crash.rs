//! Crash safety: the crawler process is killed with SIGKILL at random
//! moments while it crawls a newsroom whose articles are being edited, and
//! restarted each time. At the end every edit must be stored exactly once,
//! as one version — none missing, none doubled — with its raw capture in
//! the archive, SQLite's integrity check must pass, and the schedule must
//! have resumed.
//!
//! CI runs a short version (200 articles, 20 kills). The long version:
//! `REDLINE_CRASH_ARTICLES=2000 REDLINE_CRASH_KILLS=50 cargo test --release --test crash -- --nocapture`
//! (`REDLINE_CRASH_SEED` replays a run).

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use common::crash::{Rng, edit_some, env_or, settled};
use redline_newsroom::{Newsroom, NewsroomConfig};
use redline_store::{ArticleStatus, SqliteStore, prelude::*};

mod common;

fn start_crawler(config: &std::path::Path, log: &std::path::Path) -> std::process::Child {
    common::crash::start_crawler(config, log, "warn")
}

#[test]
fn sigkill_at_random_moments_loses_and_doubles_nothing() {
    let articles: usize = env_or("REDLINE_CRASH_ARTICLES", 200);
    let kills: usize = env_or("REDLINE_CRASH_KILLS", 20);
    let seed = common::crash::seed();
    eprintln!("crash test: {articles} articles, {kills} kills, REDLINE_CRASH_SEED={seed}");
    let mut rng = Rng(seed);

    let room = Newsroom::start_detached(NewsroomConfig {
        articles: articles / 2,
        outlets: 2,
        seed,
        ..Default::default()
    })
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let db: PathBuf = dir.path().join("redline.db");
    let archive = dir.path().join("warc");
    let log = dir.path().join("crawler.log");
    let config = common::write_config(
        dir.path(),
        dir.path(),
        "concurrency = 32\nper_host_concurrency = 16\nper_host_delay = \"0ms\"\n\
         timeout = \"5s\"\nretries = 1\nfeed_interval = \"1s\"",
        &format!(
            "[schedule]\nafter_change = \"1s\"\nbackoff = 1.0\nmax_interval = \"1s\"\n{}",
            common::outlet_sources(&room)
        ),
    );

    let mut edits = 0u64;
    let mut killed_while_running = 0;
    for round in 0..kills {
        let mut child = start_crawler(&config, &log);
        let run_for = Duration::from_millis(200 + rng.below(1300));
        let started = Instant::now();
        // Edit while it runs, once the database exists.
        std::thread::sleep(run_for / 2);
        if db.exists() {
            let store = SqliteStore::open(&db).unwrap();
            edit_some(&room, &store, &mut rng, &mut edits, 1 + articles / 40);
        }
        std::thread::sleep(run_for.saturating_sub(started.elapsed()));
        if child.try_wait().unwrap().is_none() {
            killed_while_running += 1;
        } else {
            panic!(
                "round {round}: the crawler exited on its own:\n{}",
                std::fs::read_to_string(&log).unwrap_or_default()
            );
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
    }
    assert_eq!(killed_while_running, kills);

    // Let it finish: every article's current text stored.
    let mut child = start_crawler(&config, &log);
    let deadline = Instant::now() + Duration::from_secs(60 + articles as u64 / 5);
    loop {
        let store = SqliteStore::open(&db).unwrap();
        let done = settled(&room, &store).len();
        if done == room.article_ids().len() {
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!(
                "after the kills only {done} of {} articles caught up (seed {seed}); log:\n{}",
                room.article_ids().len(),
                std::fs::read_to_string(&log).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    child.kill().unwrap();
    child.wait().unwrap();

    let store = SqliteStore::open(&db).unwrap();
    assert_eq!(store.integrity_check().unwrap(), "ok");
    let mut stored_versions = 0;
    let mut files: HashMap<String, u64> = HashMap::new();
    for id in room.article_ids() {
        let url = room.article_url(id);
        let article = store.find_by_url(&url).unwrap().expect("tracked");
        let revisions = room.revisions(id);
        let count = article.version_count as usize;
        assert_eq!(
            count,
            revisions.len(),
            "article {id} had {} revisions, {count} versions stored (seed {seed})",
            revisions.len()
        );
        for (n, revision) in revisions.iter().enumerate() {
            let version = store.version(article.id, n as u32).unwrap().unwrap();
            assert_eq!(version.text.title, revision.headline, "article {id} v{n}");
            assert_eq!(
                version.text.paragraphs, revision.paragraphs,
                "article {id} v{n}"
            );
            let capture = version.meta.capture.expect("every version has its capture");
            *files.entry(capture.file.clone()).or_default() += 1;
            let stored = redline_archive::read_capture(
                &archive,
                &redline_archive::CaptureLocation {
                    file: capture.file,
                    offset: capture.offset,
                    length: capture.length,
                },
            )
            .unwrap_or_else(|e| panic!("article {id} v{n}: its capture: {e}"));
            assert_eq!(stored.status, 200);
            assert_eq!(stored.target_uri, url);
            stored_versions += 1;
        }
        // The schedule resumed: still active and due again soon.
        assert_eq!(article.status, ArticleStatus::Active);
        assert!(article.next_check.is_some());
    }
    eprintln!(
        "crash test: {kills} kills, {edits} edits, {stored_versions} versions in {} WARC files, all accounted for",
        files.len()
    );
}
