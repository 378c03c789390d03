//! Benchmark: article checks per second with several `redline crawl`
//! processes sharing one database, on PostgreSQL and on SQLite, against
//! the simulated newsroom on loopback (conditional requests off: every
//! check downloads, extracts, compares and stores the whole page).
//!
//! ```sh
//! cargo bench --bench crawlers [-- ARTICLES]
//! ```
//!
//! (default 2000 articles on 4 outlets). `REDLINE_BENCH_CRAWLERS` (default
//! `1,2,4`) says how many processes to run, `REDLINE_BENCH_BACKENDS`
//! (default `sqlite,postgres`) on which databases. PostgreSQL is a
//! throwaway cluster started here (crates/store/tests/support/cluster.rs:
//! its server binaries must be installed), with `fsync` off, as the
//! conformance suite runs it: the figures are of the crawler and the
//! database's locking, not of a disk.
//!
//! For each database and number of crawlers, on a fresh database and
//! archive, two phases, each timed from the start of the processes until
//! the database holds the result (polled every 50 ms):
//! 1. discovery: every article found in the feeds and checked (first text,
//!    confirmed by a second fetch, stored as version 0);
//! 2. re-check: the crawlers stopped, every article made due, the crawlers
//!    started again, until every article has been checked once more
//!    (unchanged).
//!
//! Each crawler has the same settings (64 checks at once, 16 per host), so
//! more crawlers also means more requests in flight. The machine's load
//! (`/proc/loadavg`) is printed before and after each run.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Child;
use std::time::{Duration, Instant};

use chrono::Utc;
use redline_newsroom::{Newsroom, NewsroomConfig};
use redline_store::{ArticleFilter, ArticleId, PgStore, SqliteStore, Store};

#[path = "../crates/store/tests/support/cluster.rs"]
mod cluster;
#[path = "../tests/common/mod.rs"]
mod common;

const CRAWL: &str = "concurrency = 64\nper_host_concurrency = 16\nper_host_delay = \"0ms\"\n\
     timeout = \"10s\"\nretries = 1\nconditional_requests = false\nfeed_interval = \"1h\"";

fn main() {
    let articles: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(2000);
    let counts: Vec<usize> = std::env::var("REDLINE_BENCH_CRAWLERS")
        .unwrap_or_else(|_| "1,2,4".into())
        .split(',')
        .filter_map(|n| n.trim().parse().ok())
        .filter(|n| *n > 0)
        .collect();
    let backends: Vec<String> = std::env::var("REDLINE_BENCH_BACKENDS")
        .unwrap_or_else(|_| "sqlite,postgres".into())
        .split(',')
        .map(|b| b.trim().to_lowercase())
        .collect();
    let outlets = 4;
    let room = Newsroom::start_detached(NewsroomConfig {
        articles: articles / outlets,
        outlets,
        seed: 1,
        worker_threads: 2,
        ..Default::default()
    })
    .expect("newsroom");
    let cluster = backends
        .iter()
        .any(|b| b == "postgres")
        .then(|| cluster::Cluster::start().unwrap_or_else(|e| panic!("{e}")));
    println!(
        "redline crawlers sharing a database: {} articles on {outlets} loopback outlets; {} cores; load {}",
        room.article_ids().len(),
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        load()
    );
    let mut results: Vec<(String, usize, Phase, Phase)> = Vec::new();
    for backend in &backends {
        for &n in &counts {
            let dir = tempfile::tempdir().expect("tempdir");
            let (database, store): (String, Box<dyn Store>) = match backend.as_str() {
                "sqlite" => {
                    let path = dir.path().join("bench.db");
                    let store = SqliteStore::open(&path).expect("sqlite");
                    (path.display().to_string(), Box::new(store))
                }
                "postgres" => {
                    let cluster = cluster.as_ref().expect("the cluster");
                    let url = cluster.create_database(&format!("bench_{n}_{}", results.len()));
                    let store = PgStore::open(&url).expect("postgres");
                    (url, Box::new(store))
                }
                other => panic!("REDLINE_BENCH_BACKENDS: {other:?} is neither sqlite nor postgres"),
            };
            let before = load();
            let (discovery, recheck) = run(&room, dir.path(), &database, store.as_ref(), n);
            println!(
                "  {backend:<8} {n} crawler(s): discovery {:>6} checks in {:>6.2} s = {:>6.0}/s, \
                 re-check {:>6} checks in {:>6.2} s = {:>6.0}/s (failed checks {}, {}); \
                 load {before} -> {}",
                discovery.checks,
                discovery.elapsed.as_secs_f64(),
                discovery.rate(),
                recheck.checks,
                recheck.elapsed.as_secs_f64(),
                recheck.rate(),
                discovery.failed,
                recheck.failed,
                load()
            );
            results.push((backend.clone(), n, discovery, recheck));
        }
    }
    println!();
    println!(
        "{:<10} {:>8} {:>14} {:>10} {:>14} {:>10}",
        "database", "crawlers", "discovery/s", "vs 1", "re-check/s", "vs 1"
    );
    for (backend, n, discovery, recheck) in &results {
        let one = results
            .iter()
            .find(|(b, k, _, _)| b == backend && *k == 1)
            .map(|(_, _, d, r)| (d.rate(), r.rate()));
        let ratio = |mine: f64, base: Option<f64>| {
            base.map_or("-".to_string(), |b| format!("{:.2}x", mine / b))
        };
        println!(
            "{backend:<10} {n:>8} {:>14.0} {:>10} {:>14.0} {:>10}",
            discovery.rate(),
            ratio(discovery.rate(), one.map(|o| o.0)),
            recheck.rate(),
            ratio(recheck.rate(), one.map(|o| o.1)),
        );
    }
    println!("load at the end: {}", load());
}

/// The running crawlers with their logs; killed when dropped (also when
/// the benchmark panics).
#[derive(Default)]
struct Fleet(Vec<(Child, PathBuf)>);

impl Drop for Fleet {
    fn drop(&mut self) {
        stop(self);
    }
}

/// Per article: its checks, versions and consecutive errors.
type Counts = HashMap<ArticleId, (u32, u32, u32)>;

struct Phase {
    checks: u64,
    elapsed: Duration,
    /// Articles whose last check failed.
    failed: usize,
}

impl Phase {
    fn rate(&self) -> f64 {
        self.checks as f64 / self.elapsed.as_secs_f64()
    }
}

/// The 1, 5 and 15 minute load averages.
fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into())
}

fn run(room: &Newsroom, dir: &Path, database: &str, store: &dyn Store, n: usize) -> (Phase, Phase) {
    let config = common::write_config_for(
        dir,
        database,
        &dir.join("warc"),
        CRAWL,
        &common::outlet_sources(room),
    );
    let total = room.article_ids().len();
    let checks_of = || -> Counts {
        store
            .articles(&ArticleFilter::default())
            .expect("articles")
            .into_iter()
            .map(|a| (a.id, (a.checks, a.version_count, a.consecutive_errors)))
            .collect()
    };
    let phase =
        |fleet: &mut Fleet, generation: usize, before: &Counts, done: &dyn Fn(&Counts) -> bool| {
            let start = Instant::now();
            for k in 0..n {
                let log = dir.join(format!("crawler-{generation}-{k}.log"));
                fleet
                    .0
                    .push((common::crash::start_crawler(&config, &log, "warn"), log));
            }
            let deadline = start + Duration::from_secs(300);
            loop {
                let now = checks_of();
                if done(&now) {
                    let elapsed = start.elapsed();
                    let checks = now
                        .iter()
                        .map(|(id, c)| u64::from(c.0 - before.get(id).map_or(0, |b| b.0)))
                        .sum();
                    let failed = now.values().filter(|c| c.2 > 0).count();
                    stop(fleet);
                    return Phase {
                        checks,
                        elapsed,
                        failed,
                    };
                }
                for (child, log) in fleet.0.iter_mut() {
                    if let Ok(Some(status)) = child.try_wait() {
                        panic!(
                            "a crawler exited ({status}): {}",
                            std::fs::read_to_string(log).unwrap_or_default()
                        );
                    }
                }
                assert!(
                    Instant::now() < deadline,
                    "the crawlers did not finish in 5 minutes"
                );
                std::thread::sleep(Duration::from_millis(50));
            }
        };
    let mut fleet = Fleet::default();
    let discovery = phase(&mut fleet, 0, &HashMap::new(), &|now| {
        now.len() == total && now.values().all(|c| c.1 >= 1)
    });
    // Every article due now, with no crawler running.
    let now = Utc::now();
    let before = checks_of();
    for id in before.keys() {
        store.schedule_check(*id, now).expect("schedule");
    }
    let recheck = phase(&mut fleet, 1, &before, &|now| {
        now.iter()
            .all(|(id, c)| c.0 > before.get(id).map_or(0, |b| b.0))
    });
    (discovery, recheck)
}

/// SIGKILLs the crawlers (their leases are dropped by the next ones, which
/// run on this host).
fn stop(fleet: &mut Fleet) {
    for (mut child, _) in fleet.0.drain(..) {
        let _ = child.kill();
        let _ = child.wait();
    }
}
