//! The command line, as clap definitions.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

pub use crate::output::ColorChoice;

/// Watch news sites and keep every version of every article.
#[derive(Debug, Parser)]
#[command(name = "redline", version, about, long_about = None)]
pub struct Cli {
    /// Configuration file (TOML). Default: ./redline.toml if present, else
    /// the built-in configuration.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// More log output (-v: debug, -vv: trace). REDLINE_LOG overrides.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    /// Only errors in the log.
    #[arg(short, long, global = true)]
    pub quiet: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Crawl continuously and serve the web interface.
    Run,
    /// Serve the web interface without crawling.
    Serve,
    /// Crawl without serving.
    Crawl {
        /// Poll every listing once, check every article that is due, exit.
        #[arg(long)]
        once: bool,
    },
    /// Fetch these article URLs now, whatever the schedule, and report.
    Check {
        #[arg(required = true, value_name = "URL")]
        urls: Vec<String>,
        /// Add unknown URLs to this source (default: the source whose
        /// article_url pattern matches).
        #[arg(long, value_name = "NAME")]
        source: Option<String>,
        #[command(flatten)]
        output: JsonFlag,
    },
    /// The configured sources with their counts.
    Sources {
        #[command(flatten)]
        output: JsonFlag,
    },
    /// Tracked articles, most recently changed first.
    Articles {
        #[arg(long, value_name = "NAME")]
        source: Option<String>,
        /// active, retired, gone or merged.
        #[arg(long)]
        status: Option<String>,
        /// Only articles that changed at least once.
        #[arg(long)]
        changed: bool,
        #[arg(long, default_value_t = 100)]
        limit: usize,
        #[command(flatten)]
        output: JsonFlag,
    },
    /// The versions and events of one article.
    History {
        /// The article's URL or number.
        article: String,
        #[command(flatten)]
        output: JsonFlag,
    },
    /// What changed between two versions (default: the last two).
    Diff {
        /// The article's URL or number.
        article: String,
        #[arg(long, value_name = "N")]
        from: Option<u32>,
        #[arg(long, value_name = "M")]
        to: Option<u32>,
        #[command(flatten)]
        output: JsonFlag,
        /// Same as --json (json) or the default (text).
        #[arg(long, value_enum, value_name = "FORMAT", conflicts_with = "json")]
        format: Option<DiffFormat>,
        /// Colour removed and added words: auto (on a terminal, unless
        /// NO_COLOR is set), always or never.
        #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
        color: ColorChoice,
    },
    /// Re-derive stored versions from their archived captures with the
    /// current extractor (after an extraction fix): versions whose texts
    /// became identical are merged, edits assessed again, each article's
    /// history marked as rebuilt; no feed entry is raised.
    Reextract {
        /// Only this source's articles.
        #[arg(long, value_name = "NAME")]
        source: Option<String>,
        /// Only versions seen on or after this date (2026-03-04) or time
        /// (RFC 3339).
        #[arg(long, value_name = "DATE")]
        since: Option<String>,
        #[command(flatten)]
        output: JsonFlag,
    },
    /// The alerts: how each is doing (sent, queued, failing, last error),
    /// or `redline alerts test NAME` to send a sample.
    Alerts {
        #[command(subcommand)]
        command: Option<AlertsCommand>,
        #[command(flatten)]
        output: JsonFlag,
    },
    /// The database itself: `redline store copy FROM TO`.
    Store {
        #[command(subcommand)]
        command: StoreCommand,
    },
    /// Extract saved pages (.html or .html.gz): one JSON object per line.
    Extract {
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Accepted like every other command's; the output is always JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum AlertsCommand {
    /// Send a sample message through one alert: the latest change stored,
    /// marked as a test. Nothing is recorded.
    Test {
        /// The alert's name, as in [[alert]] name.
        #[arg(value_name = "NAME")]
        name: String,
        #[command(flatten)]
        output: JsonFlag,
    },
}

#[derive(Debug, Subcommand)]
pub enum StoreCommand {
    /// Copy everything one database holds into another (a SQLite file into
    /// PostgreSQL, or back) and verify the copy by counts and content
    /// hashes of every table. Stop the crawlers first. An interrupted copy
    /// resumes where it stopped when run again.
    Copy {
        /// The database copied: a SQLite file's path or a postgres:// URL
        /// (as [storage] database is written).
        #[arg(value_name = "FROM")]
        from: String,
        /// The database copied into, empty or holding an interrupted copy
        /// of FROM; created (SQLite) or migrated first.
        #[arg(value_name = "TO")]
        to: String,
        #[command(flatten)]
        output: JsonFlag,
    },
}

#[derive(Debug, Args)]
pub struct JsonFlag {
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Text,
    Json,
}
