//! The crawler: polls each source's listings for new articles and checks
//! every article on its schedule, running each check through the pipeline
//! fetch → archive → extract → classify/diff → store.
//!
//! - [`schedule`]: when an article is checked again, and when it retires;
//! - [`Crawler`]: the long-running loops (`run`), a single pass (`run_once`)
//!   and checks on demand (`check_urls`);
//! - `check` and `poll`: one article check, one listing poll;
//! - [`report`]: what each check found, and running totals for progress;
//! - `text`: what of an extracted article is a version's text;
//! - [`reextract`]: re-deriving an article's versions from its archived
//!   captures with the current extractor.
//!
//! The crawler holds no state of its own beyond what is in flight: the
//! schedule and everything found live in the [`redline_store::Store`], so a
//! restart resumes where the last run stopped.

#![forbid(unsafe_code)]

mod check;
mod crawler;
pub mod lease;
mod poll;
pub mod reextract;
pub mod report;
pub mod schedule;
mod text;

pub use crawler::{CrawlError, Crawler, CrawlerOptions, extractor_for, extractor_of, source_specs};
pub use report::{CheckReport, CheckResult, Stats, StatsSnapshot};
pub use schedule::SchedulePolicy;
