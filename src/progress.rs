//! Logging to stderr, with a live status line on a terminal that log lines
//! print above instead of through.

use std::io::{IsTerminal, Write};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use redline_crawl::Stats;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;

/// Installs the log subscriber. `default_level` applies unless REDLINE_LOG
/// (or RUST_LOG) says otherwise. Returns the status line, if stderr is a
/// terminal.
pub fn init_logging(default_level: &str) -> Option<ProgressBar> {
    let requested = ["REDLINE_LOG", "RUST_LOG"]
        .into_iter()
        .find_map(|name| std::env::var(name).ok().map(|value| (name, value)));
    // Said once the subscriber is installed.
    let mut refused = None;
    let filter = requested
        .and_then(|(name, value)| match EnvFilter::try_new(&value) {
            Ok(filter) => Some(filter),
            Err(e) => {
                refused = Some(format!(
                    "{name}={value:?} is not a valid log filter ({e}); using the default. \
                     Write it like \"info\" or \"warn,redline_crawl=debug\""
                ));
                None
            }
        })
        .unwrap_or_else(|| {
            EnvFilter::new(format!(
                "warn,redline={default_level},redline_crawl={default_level},\
                 redline_store={default_level},redline_fetch={default_level},\
                 redline_web={default_level}"
            ))
        });
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar
    });
    let writer = BarWriter { bar: bar.clone() };
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    if let Some(message) = refused {
        tracing::warn!("{message}");
    }
    bar
}

/// Keeps the status line showing the crawler's totals until dropped.
pub fn show_stats(
    bar: Option<ProgressBar>,
    stats: impl Fn() -> String + Send + 'static,
) -> Option<tokio::task::JoinHandle<()>> {
    let bar = bar?;
    Some(tokio::spawn(async move {
        loop {
            bar.set_message(stats());
            bar.tick();
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    }))
}

/// The status line text for a crawler's totals.
pub fn describe(stats: &Stats, paused: bool) -> String {
    let s = stats.snapshot();
    let mut line = format!(
        "checked {} · new articles {} · new versions {} · unchanged {} · gone {} · errors {} · listings {} ({} failed) · discovered {}",
        s.checks,
        s.new_articles,
        s.new_versions,
        s.unchanged,
        s.gone,
        s.errors,
        s.listings_polled,
        s.listing_errors,
        s.discovered
    );
    if paused {
        line.push_str(" · PAUSED: database refuses writes");
    }
    line
}

#[derive(Clone)]
struct BarWriter {
    bar: Option<ProgressBar>,
}

/// One log line, written when dropped with the status line suspended.
struct LineWriter {
    bar: Option<ProgressBar>,
    buffer: Vec<u8>,
}

impl Write for LineWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for LineWriter {
    fn drop(&mut self) {
        let buffer = std::mem::take(&mut self.buffer);
        let write = || {
            let _ = std::io::stderr().lock().write_all(&buffer);
        };
        match &self.bar {
            Some(bar) => bar.suspend(write),
            None => write(),
        }
    }
}

impl<'a> MakeWriter<'a> for BarWriter {
    type Writer = LineWriter;

    fn make_writer(&'a self) -> Self::Writer {
        LineWriter {
            bar: self.bar.clone(),
            buffer: Vec::new(),
        }
    }
}
