//! Crash safety of crawlers sharing a PostgreSQL database: three `redline
//! crawl` processes crawl one newsroom into one database and one archive
//! directory while its articles are being edited; one of them, chosen at
//! random, is killed with SIGKILL at a random moment and restarted (under a
//! new id, `host:pid`: the restarted crawler drops the dead one's leases),
//! again and again. At the end:
//! - every edit is stored exactly once, as one version: none missing, none
//!   doubled;
//! - no article was checked by two crawlers at the same moment: every
//!   crawler logs the start and the end of each check (debug events of
//!   `redline_crawl::check`, with its id and the article's), and the
//!   intervals of one article never overlap (a killed check's interval
//!   ends when its process was killed);
//! - every stored version's raw capture reads back from the archive, from
//!   a WARC file named after one of the crawlers.
//!
//! The database is a throwaway cluster started here (the conformance
//! suite's, crates/store/tests/support/cluster.rs): PostgreSQL's server
//! binaries must be installed; without them the test fails, saying how to
//! install them.
//!
//! CI runs 2,000 articles and 24 kills (about 50 s in a debug build on 2
//! cores). The long version:
//! `REDLINE_CRASH_ARTICLES=5000 REDLINE_CRASH_KILLS=100 cargo test --release --test crash_postgres -- --nocapture`
//! (`REDLINE_CRASH_SEED` replays a run's choices; `REDLINE_CRASH_CRAWLERS`
//! sets how many crawlers share the database, default 3).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::process::Child;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use common::crash::{Rng, edit_some, env_or, settled};
use redline_newsroom::{Newsroom, NewsroomConfig};
use redline_store::{ArticleFilter, ArticleStatus, PgStore, prelude::*};

#[path = "../crates/store/tests/support/cluster.rs"]
mod cluster;
mod common;

/// Log filter of the crawlers: warnings, and the start and end of every
/// check.
const LOG_FILTER: &str = "warn,redline_crawl::check=debug";

/// One `redline crawl` process, running or killed.
struct Process {
    child: Option<Child>,
    pid: u32,
    log: PathBuf,
    /// When it was seen dead: after SIGKILL and `wait`.
    killed_at: Option<DateTime<Utc>>,
}

/// The crawler processes; those still running are killed when dropped
/// (also when the test fails), before the cluster stops.
struct Fleet {
    config: PathBuf,
    logs: PathBuf,
    processes: Vec<Process>,
    /// Per slot, the index of its current process.
    slots: Vec<usize>,
}

impl Fleet {
    fn start(&mut self, slot: usize) {
        let log = self
            .logs
            .join(format!("crawler-{slot}-{}.log", self.processes.len()));
        let child = common::crash::start_crawler(&self.config, &log, LOG_FILTER);
        self.processes.push(Process {
            pid: child.id(),
            child: Some(child),
            log,
            killed_at: None,
        });
        let index = self.processes.len() - 1;
        if slot < self.slots.len() {
            self.slots[slot] = index;
        } else {
            self.slots.push(index);
        }
    }

    /// SIGKILLs the slot's process; panics if it had exited on its own.
    fn kill(&mut self, slot: usize, seed: u64) {
        let process = &mut self.processes[self.slots[slot]];
        let Some(mut child) = process.child.take() else {
            return;
        };
        if let Some(status) = child.try_wait().unwrap() {
            panic!(
                "crawler {} exited on its own ({status}; seed {seed}); its log:\n{}",
                process.pid,
                std::fs::read_to_string(&process.log).unwrap_or_default()
            );
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        process.killed_at = Some(Utc::now());
    }
}

impl Drop for Fleet {
    fn drop(&mut self) {
        for process in &mut self.processes {
            if let Some(mut child) = process.child.take() {
                let _ = child.kill();
                let _ = child.wait();
            }
        }
    }
}

/// One article check as the crawler's log tells it.
#[derive(Debug, Clone)]
struct Interval {
    article: i64,
    crawler: String,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    /// Ended by the kill of its process, not by the check's end.
    killed: bool,
    /// When it began writing its result (the last time, after a conflict):
    /// the write ends the lease, so from then on another crawler may
    /// start, a moment before this one logs its end.
    recording: Option<DateTime<Utc>>,
}

/// The checks in one process's log: `check starts` / `check records` /
/// `check ends` events with the crawler's id and the article's. Checks still open when the
/// log ends end when the process was killed. Also returns the ids the
/// process logged under.
fn intervals_of(process: &Process) -> (Vec<Interval>, HashSet<String>) {
    let line_re = regex::Regex::new(
        r#"^(\S+)\s+DEBUG\s+redline_crawl::check:\s+check (starts|records|ends)\s+crawler="([^"]*)"\s+article=(-?\d+)"#,
    )
    .unwrap();
    let text = std::fs::read_to_string(&process.log).unwrap();
    let killed_at = process
        .killed_at
        .expect("every process is killed before its log is read");
    // Per open check (crawler, article), its start and when it began
    // writing its result.
    type Open = (DateTime<Utc>, Option<DateTime<Utc>>);
    let mut open: HashMap<(String, i64), Open> = HashMap::new();
    let mut out = Vec::new();
    let mut ids = HashSet::new();
    for line in text.lines() {
        let Some(c) = line_re.captures(line) else {
            continue;
        };
        let at: DateTime<Utc> = DateTime::parse_from_rfc3339(&c[1])
            .unwrap_or_else(|e| {
                panic!(
                    "{}: a bad timestamp in {line:?}: {e}",
                    process.log.display()
                )
            })
            .with_timezone(&Utc);
        let crawler = c[3].to_string();
        let article: i64 = c[4].parse().unwrap();
        ids.insert(crawler.clone());
        let key = (crawler.clone(), article);
        match &c[2] {
            "starts" => {
                if let Some((earlier, recording)) = open.insert(key, (at, None)) {
                    // The same crawler started it again before it ended: an
                    // overlap of its own, left for the overlap check to see.
                    out.push(Interval {
                        article,
                        crawler,
                        start: earlier,
                        end: killed_at,
                        killed: false,
                        recording,
                    });
                }
            }
            "records" => {
                let (_, recording) = open.get_mut(&key).unwrap_or_else(|| {
                    panic!("{}: a write without a start: {line}", process.log.display())
                });
                *recording = Some(at);
            }
            _ => {
                let (start, recording) = open.remove(&key).unwrap_or_else(|| {
                    panic!("{}: an end without a start: {line}", process.log.display())
                });
                assert!(
                    at >= start,
                    "{}: a check ends before it starts",
                    process.log.display()
                );
                out.push(Interval {
                    article,
                    crawler,
                    start,
                    end: at,
                    killed: false,
                    recording,
                });
            }
        }
    }
    for ((crawler, article), (start, recording)) in open {
        assert!(
            start <= killed_at,
            "{}: a check starts after its process was killed",
            process.log.display()
        );
        out.push(Interval {
            article,
            crawler,
            start,
            end: killed_at,
            killed: true,
            recording,
        });
    }
    (out, ids)
}

/// What the checks of each article show when laid side by side.
#[derive(Debug, Default)]
struct Overlaps {
    /// Pairs of checks of one article that ran at the same time: the later
    /// one started before the earlier one began writing its result (or,
    /// if it wrote none, before it ended). Must be none.
    overlapping: Vec<(Interval, Interval)>,
    /// Handovers: the later check started after the earlier one began
    /// writing its result (whose commit ends the lease), before it logged
    /// its end. Not an overlap.
    handovers: usize,
    /// The longest of those gaps between a write and its end's log line.
    longest_handover: chrono::Duration,
}

fn overlaps(intervals: &[Interval]) -> Overlaps {
    let mut by_article: BTreeMap<i64, Vec<&Interval>> = BTreeMap::new();
    for interval in intervals {
        by_article
            .entry(interval.article)
            .or_default()
            .push(interval);
    }
    let mut found = Overlaps::default();
    for (_, mut checks) in by_article {
        checks.sort_by_key(|i| (i.start, i.end));
        for (i, earlier) in checks.iter().enumerate() {
            for later in &checks[i + 1..] {
                if later.start >= earlier.end {
                    continue;
                }
                match earlier.recording {
                    Some(recording) if later.start >= recording => {
                        found.handovers += 1;
                        found.longest_handover =
                            found.longest_handover.max(earlier.end - later.start);
                    }
                    _ => found
                        .overlapping
                        .push(((*earlier).clone(), (*later).clone())),
                }
            }
        }
    }
    found
}

/// The archive's file-name form of a crawler id (as
/// `ArchiveWriter::open_for_crawler` names files).
fn file_name_part(id: &str) -> String {
    let mut out = String::new();
    for c in id.chars() {
        if c.is_ascii_alphanumeric() || c == '.' || c == '_' {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches(|c| c == '-' || c == '.').to_string()
}

#[test]
fn crawlers_sharing_postgres_killed_at_random_lose_double_and_overlap_nothing() {
    let articles: usize = env_or("REDLINE_CRASH_ARTICLES", 2000);
    let kills: usize = env_or("REDLINE_CRASH_KILLS", 24);
    let crawlers: usize = env_or("REDLINE_CRASH_CRAWLERS", 3);
    let seed = common::crash::seed();
    eprintln!(
        "crash test (PostgreSQL): {articles} articles, {crawlers} crawlers, {kills} kills, \
         REDLINE_CRASH_SEED={seed}"
    );
    let started = Instant::now();
    let mut rng = Rng(seed);

    // Declared first, dropped last: stopped after the crawlers are killed,
    // also when an assertion fails.
    let cluster = cluster::Cluster::start().unwrap_or_else(|e| panic!("{e}"));
    let url = cluster.create_database("crash");

    let room = Newsroom::start_detached(NewsroomConfig {
        articles: articles / 2,
        outlets: 2,
        seed,
        worker_threads: 2,
        ..Default::default()
    })
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("warc");
    let logs = dir.path().join("logs");
    std::fs::create_dir_all(&logs).unwrap();
    let config = common::write_config_for(
        dir.path(),
        &url,
        &archive,
        "concurrency = 32\nper_host_concurrency = 16\nper_host_delay = \"0ms\"\n\
         timeout = \"5s\"\nretries = 1\nfeed_interval = \"1s\"",
        &format!(
            "[schedule]\nafter_change = \"1s\"\nbackoff = 1.0\nmax_interval = \"1s\"\n{}",
            common::outlet_sources(&room)
        ),
    );

    let mut fleet = Fleet {
        config,
        logs,
        processes: Vec::new(),
        slots: Vec::new(),
    };
    // All at once, on an empty database: they migrate it together.
    for slot in 0..crawlers {
        fleet.start(slot);
    }
    let store = {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            match PgStore::open(&url) {
                Ok(store) => break store,
                Err(e) if Instant::now() > deadline => panic!("the database: {e}"),
                Err(_) => std::thread::sleep(Duration::from_millis(100)),
            }
        }
    };

    let per_round = env_or("REDLINE_CRASH_EDITS", 1 + articles / 40);
    let mut edits = 0u64;
    for _ in 0..kills {
        let run_for = Duration::from_millis(200 + rng.below(1300));
        let round = Instant::now();
        std::thread::sleep(run_for / 2);
        edit_some(&room, &store, &mut rng, &mut edits, per_round);
        std::thread::sleep(run_for.saturating_sub(round.elapsed()));
        let slot = rng.below(crawlers as u64) as usize;
        fleet.kill(slot, seed);
        fleet.start(slot);
    }
    let crawl_phase = started.elapsed();

    // Let them finish: every article's current text stored.
    let deadline = Instant::now() + Duration::from_secs(90 + articles as u64 / 10);
    loop {
        let done = settled(&room, &store).len();
        if done == room.article_ids().len() {
            break;
        }
        if Instant::now() > deadline {
            let process = &fleet.processes[fleet.slots[0]];
            panic!(
                "after the kills only {done} of {} articles caught up (seed {seed}); the log of \
                 crawler {}:\n{}",
                room.article_ids().len(),
                process.pid,
                std::fs::read_to_string(&process.log).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    for slot in 0..crawlers {
        fleet.kill(slot, seed);
    }

    // No article checked by two crawlers (or twice by one) at once.
    let mut intervals = Vec::new();
    let mut ids = HashSet::new();
    for process in &fleet.processes {
        let (found, logged_as) = intervals_of(process);
        assert!(
            logged_as.len() <= 1
                && logged_as
                    .iter()
                    .all(|id| id.ends_with(&format!(":{}", process.pid))),
            "process {} logged checks as {logged_as:?}, not as host:{}",
            process.pid,
            process.pid
        );
        intervals.extend(found);
        ids.extend(logged_as);
    }
    let found = overlaps(&intervals);
    let overlapping = &found.overlapping;
    let cross = overlapping
        .iter()
        .filter(|(a, b)| a.crawler != b.crawler)
        .count();
    assert!(
        overlapping.is_empty(),
        "{} overlapping checks ({cross} by two crawlers; seed {seed}), the first: {:#?}",
        overlapping.len(),
        &overlapping[..overlapping.len().min(5)]
    );
    let killed_checks = intervals.iter().filter(|i| i.killed).count();
    assert!(
        killed_checks > 0,
        "no kill interrupted a check: the test did not test what it claims (seed {seed})"
    );

    // Every edit stored exactly once, each version's capture in the
    // archive, in a file of one of the crawlers.
    let file_parts: Vec<String> = ids
        .iter()
        .map(|id| format!("-{}-", file_name_part(id)))
        .collect();
    let by_url: HashMap<String, redline_store::Article> = store
        .articles(&ArticleFilter::default())
        .unwrap()
        .into_iter()
        .map(|a| (a.url.clone(), a))
        .collect();
    let mut stored_versions = 0;
    let mut files: HashMap<String, u64> = HashMap::new();
    for id in room.article_ids() {
        let url = room.article_url(id);
        let article = match by_url.get(&url) {
            Some(a) => a.clone(),
            None => store.find_by_url(&url).unwrap().expect("tracked"),
        };
        let revisions = room.revisions(id);
        let count = article.version_count as usize;
        assert_eq!(
            count,
            revisions.len(),
            "article {id} had {} revisions, {count} versions stored (seed {seed})",
            revisions.len()
        );
        let keys: Vec<_> = (0..count as u32).map(|n| (article.id, n)).collect();
        let versions = store.version_texts(&keys).unwrap();
        assert_eq!(
            versions.len(),
            count,
            "article {id}: its versions read back"
        );
        for (n, (revision, version)) in revisions.iter().zip(&versions).enumerate() {
            assert_eq!(version.meta.number, n as u32);
            assert_eq!(version.text.title, revision.headline, "article {id} v{n}");
            assert_eq!(
                version.text.paragraphs, revision.paragraphs,
                "article {id} v{n}"
            );
            let capture = version
                .meta
                .capture
                .clone()
                .expect("every version has its capture");
            assert!(
                file_parts
                    .iter()
                    .any(|part| capture.file.contains(part.as_str())),
                "article {id} v{n}: its capture is in {}, not a file named after a crawler ({ids:?})",
                capture.file
            );
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
    let writers: HashSet<&str> = ids.iter().map(String::as_str).collect();
    eprintln!(
        "crash test (PostgreSQL): {} articles, {crawlers} crawlers, {kills} kills ({} processes, \
         {} crawler ids), {edits} edits, {} checks logged ({killed_checks} cut short by a kill), \
         0 overlapping ({} handovers: a check started after the previous one's write, \
         before its end was logged, by at most {:.1} ms), {stored_versions} versions in {} WARC \
         files, all accounted for; {:.0} s crawling with kills, {:.0} s in all",
        room.article_ids().len(),
        fleet.processes.len(),
        writers.len(),
        intervals.len(),
        found.handovers,
        found.longest_handover.num_microseconds().unwrap_or(0) as f64 / 1000.0,
        files.len(),
        crawl_phase.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    drop(fleet);
    drop(cluster);
}

#[test]
fn overlapping_checks_are_found() {
    let at = |ms: i64| DateTime::<Utc>::from_timestamp_millis(1_700_000_000_000 + ms).unwrap();
    let check = |article, crawler: &str, start, recording: Option<i64>, end| Interval {
        article,
        crawler: crawler.into(),
        start: at(start),
        end: at(end),
        killed: false,
        recording: recording.map(at),
    };
    let apart = [
        check(1, "a:1", 0, Some(8), 10),
        check(1, "b:2", 10, Some(15), 20),
        // Started once the one before began its write: a handover.
        check(1, "a:1", 18, None, 40),
        check(2, "b:2", 5, None, 35),
    ];
    let found = overlaps(&apart);
    assert!(found.overlapping.is_empty(), "{found:#?}");
    assert_eq!(found.handovers, 1);
    assert_eq!(found.longest_handover, chrono::Duration::milliseconds(2));
    let mut together = apart.to_vec();
    // Inside a long check, after a short one that ended before it; one
    // that started before the other's write.
    together.push(check(2, "c:3", 0, Some(90), 100));
    together.push(check(2, "a:1", 110, None, 120));
    together.push(check(1, "c:3", 12, None, 13));
    let found = overlaps(&together);
    // c:3 (2) holds b:2's [5, 35]; b:2 (1) [10, 20] holds c:3's [12, 13]
    // before its write at 15; a:1's [18, 40] is only a handover.
    assert_eq!(found.overlapping.len(), 2, "{found:#?}");
    assert_eq!(found.handovers, 1);
}
