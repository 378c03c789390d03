//! What checks found: one [`CheckReport`] per check, and running totals
//! ([`Stats`]) for progress displays and metrics.
//!
//! A check has one outcome, `redline_store::CheckOutcome`, the record the
//! store writes; its report ([`CheckResult`]) is derived from it in one
//! place ([`CheckResult::of`]) rather than built beside it. What comes
//! before is input, not outcome: what the fetch saw (private to the check)
//! and `redline_diff::Classification`, a text's relation to the known
//! versions.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};

use redline_store::{ArticleId, CheckOutcome};
use serde::Serialize;

/// The result of checking one article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckReport {
    pub article: ArticleId,
    pub url: String,
    #[serde(flatten)]
    pub result: CheckResult,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum CheckResult {
    /// The article's first text: version 0.
    NewArticle,
    NewVersion {
        number: u32,
        minor: bool,
        words_added: u32,
        words_removed: u32,
        /// The change in one line ("Headline rewritten · 243 → 234").
        summary: String,
        /// 0 to 100.
        significance: u8,
    },
    Unchanged,
    /// The server said 304 Not Modified.
    NotModified,
    /// The text of an earlier version came back.
    Reverted {
        to: u32,
    },
    /// Removed from the site; checked daily in case it comes back.
    Gone {
        status: u16,
    },
    /// The URL now leads to a different page; checked daily in case the
    /// article comes back.
    Redirected {
        to: String,
    },
    /// A removed article is back, showing version `number`.
    Restored {
        number: u32,
    },
    /// Another article has this one's canonical URL; checks stop.
    Merged {
        into: ArticleId,
    },
    /// The check failed: `error` says why and what to do, `reason` names
    /// the kind for machines: a fetch error's kind (`dns`, `timeout`,
    /// `connect_timeout`, `connect`, `tls`, `address_refused`,
    /// `robots_disallowed`, `body_too_large`, `too_many_redirects`, …, as
    /// `redline_fetch::FetchError::kind` names them), `access_denied`
    /// (401/403), `rate_limited` (429), `server_error` (5xx),
    /// `http_status` (another status), `not_html`, `binary`, `no_text`,
    /// `blocked` (a consent wall, bot challenge, paywall or login wall),
    /// `extractor`, `archive`, `store` or `invalid_url`.
    Failed {
        reason: &'static str,
        error: String,
    },
}

impl CheckResult {
    /// What a check's recorded outcome says, for an article that had
    /// `version_count` versions before the check: the one place a stored
    /// outcome becomes a report.
    pub fn of(outcome: &CheckOutcome, version_count: u32) -> Self {
        match outcome {
            CheckOutcome::NewVersion(_) if version_count == 0 => CheckResult::NewArticle,
            CheckOutcome::NewVersion(v) if v.restored => CheckResult::Restored {
                number: version_count,
            },
            CheckOutcome::NewVersion(v) => {
                let (summary, significance) = v
                    .change
                    .as_ref()
                    .map(|c| (c.summary.clone(), c.significance))
                    .unwrap_or_default();
                CheckResult::NewVersion {
                    number: version_count,
                    minor: v.minor,
                    words_added: v.words_added,
                    words_removed: v.words_removed,
                    summary,
                    significance,
                }
            }
            CheckOutcome::Unchanged => CheckResult::Unchanged,
            CheckOutcome::NotModified => CheckResult::NotModified,
            CheckOutcome::Reverted { to, .. } => CheckResult::Reverted { to: *to },
            CheckOutcome::Gone { status, .. } => CheckResult::Gone { status: *status },
            CheckOutcome::Redirected { to, .. } => CheckResult::Redirected { to: to.clone() },
            CheckOutcome::Restored { to, .. } => CheckResult::Restored { number: *to },
            CheckOutcome::Merged { into } => CheckResult::Merged { into: *into },
            CheckOutcome::Failed { reason, error } => CheckResult::Failed {
                reason,
                error: error.clone(),
            },
        }
    }
}

impl fmt::Display for CheckResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CheckResult::NewArticle => write!(f, "new article (version 0)"),
            CheckResult::NewVersion {
                number,
                minor,
                words_added,
                words_removed,
                summary,
                significance,
            } => {
                write!(
                    f,
                    "new version {number} (+{words_added} -{words_removed} words"
                )?;
                if *minor {
                    write!(f, ", minor: whitespace or punctuation only")?;
                }
                let level = redline_classify::Level::of(*significance);
                write!(f, "; {} {significance}): {summary}", level.as_str())
            }
            CheckResult::Unchanged => write!(f, "unchanged"),
            CheckResult::NotModified => write!(f, "unchanged (304 Not Modified)"),
            CheckResult::Reverted { to } => write!(f, "reverted to the text of version {to}"),
            CheckResult::Gone { status } => {
                write!(
                    f,
                    "gone (HTTP {status}): removed from the site; checked daily in case it \
                     comes back"
                )
            }
            CheckResult::Redirected { to } => {
                write!(
                    f,
                    "redirected to a different page ({to}); checked daily in case the article \
                     comes back"
                )
            }
            CheckResult::Restored { number } => {
                write!(
                    f,
                    "back on the site after a removal, showing version {number}"
                )
            }
            CheckResult::Merged { into } => {
                write!(
                    f,
                    "same article as #{into} (by its canonical URL), no longer checked"
                )
            }
            CheckResult::Failed { error, .. } => write!(f, "error: {error}"),
        }
    }
}

/// Running totals since the crawler started.
#[derive(Debug, Default)]
pub struct Stats {
    checks: AtomicU64,
    new_articles: AtomicU64,
    new_versions: AtomicU64,
    unchanged: AtomicU64,
    gone: AtomicU64,
    errors: AtomicU64,
    listings_polled: AtomicU64,
    listing_errors: AtomicU64,
    discovered: AtomicU64,
}

/// A copy of [`Stats`] at one moment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct StatsSnapshot {
    pub checks: u64,
    pub new_articles: u64,
    pub new_versions: u64,
    pub unchanged: u64,
    pub gone: u64,
    pub errors: u64,
    pub listings_polled: u64,
    pub listing_errors: u64,
    pub discovered: u64,
}

impl Stats {
    pub(crate) fn count_check(&self, result: &CheckResult) {
        self.checks.fetch_add(1, Ordering::Relaxed);
        let counter = match result {
            CheckResult::NewArticle => &self.new_articles,
            CheckResult::NewVersion { .. }
            | CheckResult::Reverted { .. }
            | CheckResult::Restored { .. } => &self.new_versions,
            CheckResult::Unchanged | CheckResult::NotModified => &self.unchanged,
            CheckResult::Gone { .. }
            | CheckResult::Redirected { .. }
            | CheckResult::Merged { .. } => &self.gone,
            CheckResult::Failed { .. } => &self.errors,
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn count_poll(&self, result: &Result<u32, String>) {
        self.listings_polled.fetch_add(1, Ordering::Relaxed);
        match result {
            Ok(added) => {
                self.discovered
                    .fetch_add(u64::from(*added), Ordering::Relaxed);
            }
            Err(_) => {
                self.listing_errors.fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    pub fn snapshot(&self) -> StatsSnapshot {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        StatsSnapshot {
            checks: get(&self.checks),
            new_articles: get(&self.new_articles),
            new_versions: get(&self.new_versions),
            unchanged: get(&self.unchanged),
            gone: get(&self.gone),
            errors: get(&self.errors),
            listings_polled: get(&self.listings_polled),
            listing_errors: get(&self.listing_errors),
            discovered: get(&self.discovered),
        }
    }
}
