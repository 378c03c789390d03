//! Shared by the integration tests that run the `redline` binary against
//! the simulated newsroom: configuration files and process measurements;
//! in [`crash`], what the crash tests share.

#![allow(dead_code)] // each test binary uses its own subset

use std::path::{Path, PathBuf};

use redline_newsroom::Newsroom;

pub mod crash;

/// One `[[source]]` per outlet of the room, named `outlet0`, `outlet1`, ...,
/// taking the outlet's feed and its `/news/` URLs.
pub fn outlet_sources(room: &Newsroom) -> String {
    room.outlets()
        .iter()
        .map(|outlet| {
            format!(
                "[[source]]\nname = \"outlet{}\"\nfeeds = ['{}']\narticle_url = '^{}news/'\n",
                outlet.index,
                outlet.feed_url(),
                regex::escape(&outlet.base_url)
            )
        })
        .collect()
}

/// Crawl settings for loopback: no politeness delay, short timeouts, every
/// check a full fetch.
pub const FAST_CRAWL: &str = "per_host_delay = \"0ms\"\nper_host_concurrency = 16\n\
     concurrency = 32\ntimeout = \"4s\"\nconnect_timeout = \"2s\"\nretries = 0\n\
     conditional_requests = false\n";

/// Writes `dir/redline.toml`: database and archive under `storage`, then
/// `[crawl]` with `crawl`, then `rest` (more sections, sources). Returns its
/// path.
pub fn write_config(dir: &Path, storage: &Path, crawl: &str, rest: &str) -> PathBuf {
    write_config_for(
        dir,
        &storage.join("redline.db").display().to_string(),
        &storage.join("warc"),
        crawl,
        rest,
    )
}

/// Writes `dir/redline.toml` as [`write_config`] does, with `database` (a
/// SQLite path or a `postgres://` URL) and `archive` given.
pub fn write_config_for(
    dir: &Path,
    database: &str,
    archive: &Path,
    crawl: &str,
    rest: &str,
) -> PathBuf {
    let path = dir.join("redline.toml");
    let text = format!(
        "[storage]\ndatabase = '{database}'\narchive = '{}'\n[crawl]\n{crawl}\n{rest}",
        archive.display(),
    );
    std::fs::write(&path, text).unwrap();
    path
}

/// A finished child process with its wall time and its own peak resident
/// set size.
pub struct Measured {
    pub output: std::process::Output,
    pub elapsed: std::time::Duration,
    pub peak_rss_mb: f64,
}

/// Runs `command` to its end, capturing its output, and measures it. The
/// peak RSS is the child's own high-water mark (`VmHWM` of its address
/// space, sampled every 20 ms until it exits). The `ru_maxrss` of `wait4`
/// would not do: Linux carries the parent's high-water mark over into a
/// child across `exec`, and the parent here holds a whole newsroom.
pub fn run_measured(mut command: std::process::Command) -> Measured {
    use std::io::Read;
    use std::process::Stdio;
    let start = std::time::Instant::now();
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the command starts");
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut bytes);
            }
            bytes
        })
    };
    let pid = child.id();
    let sampler = std::thread::spawn(move || {
        let mut peak_kb = 0u64;
        while let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status")) {
            let hwm = status
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok());
            match hwm {
                Some(kb) => peak_kb = peak_kb.max(kb),
                None => break, // a zombie: its memory is gone
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        peak_kb
    });
    let stdout = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let stderr = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let status = child.wait().expect("the command ends");
    Measured {
        output: std::process::Output {
            status,
            stdout: stdout.join().unwrap(),
            stderr: stderr.join().unwrap(),
        },
        elapsed: start.elapsed(),
        peak_rss_mb: sampler.join().unwrap() as f64 / 1024.0,
    }
}
