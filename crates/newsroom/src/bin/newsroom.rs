//! `newsroom`: runs a simulated newsroom as a process, for tests that spawn
//! a crawler process against it (e.g. crash-safety tests).
//!
//! Once every outlet listens it prints one JSON line to stdout,
//! `{"outlets":[{"index":0,"name":"...","base_url":"http://127.0.0.1:8099/"}],"control":"http://127.0.0.1:8099/_control/"}`,
//! then serves until SIGINT/SIGTERM. Drive and inspect it through `/_control/`.

use std::net::SocketAddr;
use std::time::Duration;

use clap::Parser;
use redline_newsroom::{Newsroom, NewsroomConfig, Robots};

/// A simulated newsroom: feeds and article pages on loopback.
#[derive(Parser, Debug)]
#[command(name = "newsroom", version)]
struct Args {
    /// Articles per outlet.
    #[arg(long, default_value_t = 200)]
    articles: usize,
    /// Number of outlets (outlet i listens on the listen address + i).
    #[arg(long, default_value_t = 1)]
    outlets: usize,
    /// Seed for all generated content.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Address of outlet 0 (port 0: any free port).
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: SocketAddr,
    /// Edit one random article every interval (e.g. 2s, 500ms, 1m).
    #[arg(long, value_parser = parse_duration)]
    edit_every: Option<Duration>,
    /// Feeds list only the newest N articles.
    #[arg(long)]
    feed_limit: Option<usize>,
    /// Delay added to every article response (e.g. 20ms).
    #[arg(long, value_parser = parse_duration)]
    latency: Option<Duration>,
    /// robots.txt: default, oversized, missing, unavailable, or @FILE for a file's text.
    #[arg(long, default_value = "default")]
    robots: String,
    /// Keep a log of every request (served at /_control/log.json).
    #[arg(long)]
    log_requests: bool,
    /// Runtime worker threads.
    #[arg(long, default_value_t = 2)]
    threads: usize,
}

fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let (num, unit) = s.split_at(
        s.find(|c: char| !c.is_ascii_digit() && c != '.')
            .unwrap_or(s.len()),
    );
    let n: f64 = num.parse().map_err(|_| format!("bad duration {s:?}"))?;
    let secs = match unit {
        "ms" => n / 1000.0,
        "" | "s" => n,
        "m" => n * 60.0,
        "h" => n * 3600.0,
        _ => return Err(format!("bad duration unit in {s:?} (use ms, s, m or h)")),
    };
    Ok(Duration::from_secs_f64(secs))
}

fn main() {
    let args = Args::parse();
    let robots = match args.robots.as_str() {
        "default" => Robots::Default,
        "oversized" => Robots::Oversized,
        "missing" => Robots::Missing,
        "unavailable" => Robots::Unavailable,
        other => match other.strip_prefix('@') {
            Some(path) => match std::fs::read_to_string(path) {
                Ok(t) => Robots::Text(t),
                Err(e) => {
                    eprintln!("newsroom: cannot read {path}: {e}");
                    std::process::exit(2);
                }
            },
            None => {
                eprintln!(
                    "newsroom: --robots must be default, oversized, missing, unavailable or @FILE"
                );
                std::process::exit(2);
            }
        },
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(args.threads.max(1))
        .enable_all()
        .build()
        .expect("tokio runtime");
    rt.block_on(async move {
        let config = NewsroomConfig {
            articles: args.articles,
            outlets: args.outlets,
            seed: args.seed,
            listen: Some(args.listen),
            edit_every: args.edit_every,
            feed_limit: args.feed_limit,
            latency: args.latency.unwrap_or_default(),
            robots,
            log_requests: args.log_requests,
            ..Default::default()
        };
        let room = match Newsroom::start(config).await {
            Ok(r) => r,
            Err(e) => {
                eprintln!("newsroom: {e}");
                std::process::exit(1);
            }
        };
        let outlets: Vec<_> = room
            .outlets()
            .iter()
            .map(|o| serde_json::json!({"index": o.index, "name": o.name, "base_url": o.base_url}))
            .collect();
        println!(
            "{}",
            serde_json::json!({"outlets": outlets, "control": room.url("_control/")})
        );
        eprintln!(
            "newsroom: serving {} outlet(s), first at {}",
            room.outlets().len(),
            room.base_url()
        );
        wait_for_signal().await;
        room.shutdown().await;
    });
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate()).expect("SIGTERM handler");
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
}
