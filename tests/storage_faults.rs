//! The disk filling up, or turning read-only, under a running crawler: it
//! stops writing with a clear message, loses nothing it had stored, and
//! resumes by itself when the disk accepts writes again.
//!
//! These tests put the database and the archive on a small tmpfs, which
//! needs root (CI runs as root). Without it they print a loud skip notice,
//! unless REDLINE_REQUIRE_MOUNT=1 makes that a failure.
//!
//! A filesystem cannot be remounted read-only under files open for writing,
//! so the read-only case is tested one level down, with SQLite refusing
//! writes (`crates/crawl/tests/newsroom.rs`).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use redline_newsroom::{Edit, Newsroom, NewsroomConfig};
use redline_store::{SqliteStore, prelude::*};

mod common;

struct Tmpfs {
    path: PathBuf,
}

impl Tmpfs {
    fn mount(path: &Path, size: &str) -> Option<Tmpfs> {
        std::fs::create_dir_all(path).ok()?;
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(path)
            .stderr(Stdio::null())
            .status()
            .ok()?;
        if status.success() {
            Some(Tmpfs {
                path: path.to_owned(),
            })
        } else {
            let required = std::env::var("REDLINE_REQUIRE_MOUNT").is_ok_and(|v| v == "1");
            assert!(!required, "cannot mount a tmpfs (REDLINE_REQUIRE_MOUNT=1)");
            eprintln!("SKIPPED: mounting a tmpfs needs root; this disk-full test did not run");
            None
        }
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.path).status();
    }
}

struct Crawler {
    child: Child,
    stderr_path: PathBuf,
}

impl Crawler {
    fn start(config: &Path, log: &Path) -> Crawler {
        let stderr = std::fs::File::create(log).unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_redline"))
            .args(["--config", config.to_str().unwrap(), "crawl"])
            .env("REDLINE_LOG", "info")
            .stdout(Stdio::null())
            .stderr(stderr)
            .spawn()
            .unwrap();
        Crawler {
            child,
            stderr_path: log.to_owned(),
        }
    }

    fn alive(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    /// Stops it as an operator would (SIGTERM) and returns its log.
    fn stop(mut self) -> String {
        unsafe {
            libc::kill(self.child.id() as i32, libc::SIGTERM);
        }
        let deadline = Instant::now() + Duration::from_secs(30);
        while self.alive() {
            assert!(
                Instant::now() < deadline,
                "the crawler did not stop on SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        std::fs::read_to_string(&self.stderr_path).unwrap()
    }
}

fn wait_for(what: &str, timeout: Duration, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + timeout;
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn versions(db: &Path) -> u64 {
    let store = SqliteStore::open(db).unwrap();
    store.sources().unwrap().iter().map(|s| s.versions).sum()
}

/// Fills the filesystem at `dir` with a ballast file until it is full.
fn fill(dir: &Path) -> PathBuf {
    use std::io::Write;
    let path = dir.join("ballast");
    let mut file = std::fs::File::create(&path).unwrap();
    let chunk = vec![0u8; 16 * 1024];
    while file.write_all(&chunk).is_ok() {}
    let _ = file.sync_all();
    path
}

fn setup(dir: &Path, mnt: &Path, room: &Newsroom) -> PathBuf {
    common::write_config(
        dir,
        mnt,
        &format!("{}feed_interval = \"1s\"", common::FAST_CRAWL),
        &format!(
            "[schedule]\nafter_change = \"1s\"\nmax_interval = \"1s\"\n{}",
            common::outlet_sources(room)
        ),
    )
}

fn assert_intact(db: &Path, archive: &Path, expected_versions: u64) {
    let store = SqliteStore::open(db).unwrap();
    assert_eq!(store.integrity_check().unwrap(), "ok");
    let mut total = 0;
    for article in store.articles(&Default::default()).unwrap() {
        for meta in store.versions(article.id).unwrap() {
            total += 1;
            let capture = meta.capture.expect("every version has a capture");
            let stored = redline_archive::read_capture(
                archive,
                &redline_archive::CaptureLocation {
                    file: capture.file,
                    offset: capture.offset,
                    length: capture.length,
                },
            )
            .expect("its capture reads back");
            assert_eq!(stored.target_uri, article.url);
        }
    }
    assert_eq!(total, expected_versions);
}

/// Runs the scenario: crawl, break the disk with `break_disk`, edit, check
/// that the crawler waits, repair with `repair`, check it resumes.
fn scenario(
    name: &str,
    break_disk: impl FnOnce(&Tmpfs) -> Box<dyn FnOnce()>,
    expected_log: &[&str],
) {
    let dir = tempfile::tempdir().unwrap();
    let Some(mnt) = Tmpfs::mount(&dir.path().join("mnt"), "6m") else {
        return;
    };
    let room = Newsroom::start_detached(NewsroomConfig {
        articles: 12,
        seed: 5,
        ..Default::default()
    })
    .unwrap();
    let config = setup(dir.path(), &mnt.path, &room);
    let db = mnt.path.join("redline.db");
    let mut crawler = Crawler::start(&config, &dir.path().join(format!("{name}.log")));
    wait_for("the first versions", Duration::from_secs(60), || {
        db.exists() && versions(&db) == 12
    });

    let repair = break_disk(&mnt);
    let ids = room.article_ids();
    for id in &ids[..4] {
        room.edit(
            *id,
            Edit::SetHeadline(format!("Edited while the disk was broken {id}")),
        )
        .unwrap();
    }
    // Several check cycles pass: nothing new can be stored, and the
    // crawler waits instead of dying or dropping the edits.
    std::thread::sleep(Duration::from_secs(4));
    assert!(crawler.alive(), "the crawler must wait, not exit");
    assert_eq!(versions(&db), 12);

    repair();
    wait_for("the edits to be stored", Duration::from_secs(90), || {
        versions(&db) == 16
    });
    let log = crawler.stop();
    for needle in expected_log {
        assert!(
            log.contains(needle),
            "{name}: the log should say {needle:?}:\n{log}"
        );
    }
    assert!(log.contains("crawling resumed"), "{log}");
    assert_intact(&db, &mnt.path.join("warc"), 16);
}

#[test]
fn a_full_disk_pauses_the_crawler_until_space_returns() {
    scenario(
        "full",
        |mnt| {
            let ballast = fill(&mnt.path);
            Box::new(move || std::fs::remove_file(ballast).unwrap())
        },
        &["crawling paused", "space"],
    );
}
