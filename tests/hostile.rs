//! Hostile servers and big crawls, against the `redline` binary: every
//! hostile page or feed gets a clear error for that URL, in bounded time
//! and memory, and the rest of the crawl is unaffected; and a crawl of many
//! articles stays within a memory budget.
//!
//! Time and memory are measured on the child process (wall clock, and the
//! peak resident set size the kernel reports for waited-for children).
//! The long memory run: `REDLINE_MEMORY_ARTICLES=100000 cargo test --release
//! --test hostile -- --nocapture memory`.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use redline_newsroom::{Newsroom, NewsroomConfig, Robots};

mod common;
use common::{FAST_CRAWL, Measured, outlet_sources, run_measured};

fn redline(config: &Path, args: &[&str]) -> Measured {
    let mut command = Command::new(env!("CARGO_BIN_EXE_redline"));
    command
        .arg("--config")
        .arg(config)
        .args(args)
        .env("REDLINE_LOG", "warn");
    run_measured(command)
}

fn write_config(dir: &Path, sources: &str) -> std::path::PathBuf {
    common::write_config(dir, dir, FAST_CRAWL, sources)
}

#[test]
fn hostile_servers_get_clear_errors_in_bounded_time_and_memory() {
    let room = Newsroom::start_detached(NewsroomConfig {
        articles: 10,
        outlets: 2,
        seed: 3,
        ..Default::default()
    })
    .unwrap();
    // The second outlet serves a 10 MB robots.txt.
    room.set_robots(1, Robots::Oversized).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let fault = |f: &str| room.fault_url(f);
    let mut sources = outlet_sources(&room);
    sources.push_str(&format!(
        "[[source]]\nname = \"hostile\"\nfeeds = ['{}', '{}', '{}', '{}']\n",
        fault("huge-feed.xml?entries=1000000"),
        fault("entity-bomb.xml"),
        fault("truncated-feed.xml"),
        fault("garbage-feed.xml"),
    ));
    let config = write_config(dir.path(), &sources);

    let cases: &[(&str, &[&str])] = &[
        ("trickle?len=3600&interval_ms=1000", &["timed out"]),
        ("hang", &["timed out"]),
        ("endless", &["larger than"]),
        ("oversized?mb=11&declared=false", &["larger than"]),
        ("gzip-bomb?mb=1024", &["compression bomb"]),
        ("redirect-loop/a", &["redirect loop"]),
        ("redirect-chain/50", &["redirects"]),
        ("binary?kind=random", &["binary"]),
        ("binary?kind=png", &["binary"]),
        ("reset?len=100000", &["broke"]),
        ("status/503", &["HTTP 503"]),
    ];
    let urls: Vec<String> = cases.iter().map(|(f, _)| fault(f)).collect();
    let mut args = vec!["check", "--source", "hostile"];
    args.extend(urls.iter().map(String::as_str));
    let Measured {
        output,
        elapsed,
        peak_rss_mb,
    } = redline(&config, &args);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !output.status.success(),
        "failures are reported in the exit status"
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines.len(),
        cases.len(),
        "one line per URL:\n{stdout}\n{stderr}"
    );
    for ((fault, needles), line) in cases.iter().zip(&lines) {
        assert!(line.contains(" error: "), "{fault}: {line}");
        for needle in *needles {
            assert!(
                line.contains(needle),
                "{fault}: expected {needle:?} in {line}"
            );
        }
        let path = fault.split('?').next().unwrap();
        assert!(
            stderr.contains(&format!("/faults/{path}")),
            "{fault} is in the log too"
        );
    }
    assert!(elapsed < Duration::from_secs(60), "took {elapsed:?}");
    eprintln!(
        "hostile pages: {:.1} s, peak RSS {peak_rss_mb:.0} MB",
        elapsed.as_secs_f64()
    );
    assert!(peak_rss_mb < 300.0, "peak RSS {peak_rss_mb:.0} MB");

    // Pages that are odd but legitimate are stored, not refused.
    let odd = [
        "deep-nesting?depth=200000",
        "invalid-utf8",
        "wrong-charset",
        "windows-1252",
    ];
    let urls: Vec<String> = odd.iter().map(|f| fault(f)).collect();
    let mut args = vec!["check", "--source", "hostile"];
    args.extend(urls.iter().map(String::as_str));
    let output = redline(&config, &args).output;
    let stdout = String::from_utf8_lossy(&output.stdout);
    for (fault, line) in odd.iter().zip(stdout.lines()) {
        assert!(line.ends_with("new article (version 0)"), "{fault}: {line}");
    }

    // A whole crawl with the hostile feeds among the good ones: the good
    // ones are all discovered and stored, the hostile feeds fail clearly.
    let crawl = redline(&config, &["crawl", "--once"]);
    assert!(
        crawl.output.status.success(),
        "{}",
        String::from_utf8_lossy(&crawl.output.stderr)
    );
    assert!(
        crawl.elapsed < Duration::from_secs(90),
        "took {:?}",
        crawl.elapsed
    );
    assert!(
        crawl.peak_rss_mb < 300.0,
        "peak RSS {:.0} MB",
        crawl.peak_rss_mb
    );
    let output = redline(&config, &["sources", "--json"]).output;
    let sources: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    for outlet in ["outlet0", "outlet1"] {
        let s = sources
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"] == outlet)
            .unwrap();
        assert_eq!(s["versions"], 10, "{outlet}: {s}");
    }
    let store = redline_store::SqliteStore::open(&dir.path().join("redline.db")).unwrap();
    use redline_store::prelude::*;
    let listings = store.listings().unwrap();
    for (fault, needle) in [
        ("huge-feed", "larger than"),
        ("entity-bomb", "entities"),
        ("truncated-feed", "not a valid feed"),
        ("garbage-feed", "not a valid feed"),
    ] {
        let listing = listings.iter().find(|l| l.url.contains(fault)).unwrap();
        let error = listing.last_error.as_deref().unwrap_or_default();
        assert!(error.contains(needle), "{fault}: {error:?}");
    }
}

#[test]
fn memory_stays_bounded_over_many_articles() {
    let articles: usize = std::env::var("REDLINE_MEMORY_ARTICLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5_000);
    // Outlets of at most 2,000 articles keep each feed under the 10 MB cap.
    let outlets = articles.div_ceil(2_000).max(1);
    let room = Newsroom::start_detached(NewsroomConfig {
        articles: articles / outlets,
        outlets,
        seed: 9,
        prerender: false,
        ..Default::default()
    })
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    // The default politeness limits (16 fetches in flight, 2 per host),
    // without the per-host delay that would make this take hours.
    let config = common::write_config(
        dir.path(),
        dir.path(),
        "per_host_delay = \"0ms\"\ntimeout = \"10s\"\nconditional_requests = false",
        &outlet_sources(&room),
    );
    let crawl = redline(&config, &["crawl", "--once"]);
    assert!(
        crawl.output.status.success(),
        "{}",
        String::from_utf8_lossy(&crawl.output.stderr)
    );
    let (elapsed, peak) = (crawl.elapsed, crawl.peak_rss_mb);
    let output = redline(&config, &["sources", "--json"]).output;
    let sources: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let total: u64 = sources
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["articles"].as_u64().unwrap())
        .sum();
    assert_eq!(total as usize, (articles / outlets) * outlets);
    eprintln!(
        "memory: {total} articles crawled in {:.0} s, crawler peak RSS {peak:.0} MB",
        elapsed.as_secs_f64()
    );
    assert!(peak < 500.0, "peak RSS {peak:.0} MB for {total} articles");
}
