//! The records the store keeps and the inputs it takes, independent of any
//! database.

use std::time::Duration;

use chrono::{DateTime, Utc};
use redline_classify::Label;
pub use redline_config::ListingKind;
use redline_diff::{ArticleText, TextHash};
use serde::Serialize;

/// An article's number in the store.
pub type ArticleId = i64;

/// Where an article stands in its life.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ArticleStatus {
    /// Checked on its schedule.
    Active,
    /// Unchanged for longer than `schedule.retire_after`: no longer checked.
    Retired,
    /// Removed from the site (404 or 410): no longer checked.
    Gone,
    /// The same article as another one (by its canonical URL).
    Merged,
}

impl ArticleStatus {
    pub const ALL: [ArticleStatus; 4] = [
        ArticleStatus::Active,
        ArticleStatus::Retired,
        ArticleStatus::Gone,
        ArticleStatus::Merged,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ArticleStatus::Active => "active",
            ArticleStatus::Retired => "retired",
            ArticleStatus::Gone => "gone",
            ArticleStatus::Merged => "merged",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.as_str() == s)
    }
}

/// A tracked article as the store holds it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Article {
    pub id: ArticleId,
    pub source: String,
    /// The URL the article was discovered under (canonicalised).
    pub url: String,
    /// Where the last fetch ended after redirects, if elsewhere.
    pub final_url: Option<String>,
    pub status: ArticleStatus,
    pub merged_into: Option<ArticleId>,
    /// Hidden by an administrator (e.g. a legal takedown).
    pub hidden: bool,
    pub first_seen: DateTime<Utc>,
    pub published: Option<DateTime<Utc>>,
    /// Headline of the latest version, else the one the listing gave.
    pub title: Option<String>,
    /// Versions kept; numbered 0 to `version_count - 1`.
    pub version_count: u32,
    /// The version whose text the site currently shows: the latest, or an
    /// earlier one the site reverted to.
    pub live_version: Option<u32>,
    pub last_changed: Option<DateTime<Utc>>,
    pub last_checked: Option<DateTime<Utc>>,
    /// None once the article is no longer checked.
    pub next_check: Option<DateTime<Utc>>,
    /// Current wait between checks.
    #[serde(with = "seconds")]
    pub check_interval: Duration,
    pub checks: u32,
    pub consecutive_errors: u32,
    pub last_error: Option<String>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// Changes since first seen: every edit (minor ones too), revert,
    /// removal, redirect and return; what "changed N times" counts
    /// everywhere.
    #[serde(rename = "changes")]
    pub change_count: u32,
}

impl Article {
    /// Changes since first seen (see [`Article::change_count`]).
    pub fn changes(&self) -> u32 {
        self.change_count
    }
}

mod seconds {
    pub fn serialize<S: serde::Serializer>(
        d: &std::time::Duration,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.serialize_u64(d.as_secs())
    }
}

/// Where a version's raw capture lies in the WARC archive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaptureRef {
    /// File name inside the archive directory.
    pub file: String,
    /// Byte offset of the response record's gzip member.
    pub offset: u64,
    /// Compressed length of that member.
    pub length: u64,
}

/// One version's metadata, without its text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VersionMeta {
    pub article_id: ArticleId,
    pub number: u32,
    pub seen_at: DateTime<Utc>,
    pub title: String,
    pub byline: String,
    pub published: Option<DateTime<Utc>>,
    /// Differs from the previous version in whitespace or punctuation only.
    pub minor: bool,
    pub words_added: u32,
    pub words_removed: u32,
    #[serde(skip)]
    pub hash: TextHash,
    #[serde(skip)]
    pub fingerprint: TextHash,
    pub capture: Option<CaptureRef>,
}

/// A version with its text.
#[derive(Debug, Clone, PartialEq)]
pub struct Version {
    pub meta: VersionMeta,
    pub text: ArticleText,
}

/// Something that happened to an article, for its history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    pub at: DateTime<Utc>,
    pub kind: EventKind,
    /// The version concerned (new version, revert target), if any.
    pub version: Option<u32>,
    /// Human-readable detail: the error, the HTTP status, the other article.
    pub detail: Option<String>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Discovered,
    NewVersion,
    Reverted,
    Gone,
    Retired,
    Merged,
    Error,
    /// The URL led to a different page.
    Redirected,
    /// A gone article came back.
    Restored,
    /// The history was re-derived from the archived captures.
    Rebuilt,
}

impl EventKind {
    const ALL: [EventKind; 10] = [
        EventKind::Discovered,
        EventKind::NewVersion,
        EventKind::Reverted,
        EventKind::Gone,
        EventKind::Retired,
        EventKind::Merged,
        EventKind::Error,
        EventKind::Redirected,
        EventKind::Restored,
        EventKind::Rebuilt,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Discovered => "discovered",
            EventKind::NewVersion => "new_version",
            EventKind::Reverted => "reverted",
            EventKind::Gone => "gone",
            EventKind::Retired => "retired",
            EventKind::Merged => "merged",
            EventKind::Error => "error",
            EventKind::Redirected => "redirected",
            EventKind::Restored => "restored",
            EventKind::Rebuilt => "rebuilt",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A URL found in a listing, to be added if new.
#[derive(Debug, Clone, PartialEq)]
pub struct NewArticle {
    pub url: String,
    pub title: Option<String>,
    pub published: Option<DateTime<Utc>>,
}

/// An article handed to a crawler to check, with what the check needs.
#[derive(Debug, Clone, PartialEq)]
pub struct DueArticle {
    pub id: ArticleId,
    pub source: String,
    pub url: String,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub first_seen: DateTime<Utc>,
    pub last_changed: Option<DateTime<Utc>>,
    pub check_interval: Duration,
    pub version_count: u32,
    /// Hash and fingerprint of the live version, if any.
    pub live: Option<redline_diff::KnownVersion>,
    /// Active, or gone (removed or redirected, re-checked slowly in case
    /// it comes back).
    pub status: ArticleStatus,
}

/// The result of one check, written in one transaction.
#[derive(Debug, Clone)]
pub struct CheckRecord {
    pub article: ArticleId,
    pub at: DateTime<Utc>,
    /// The version count the check was classified against; if another
    /// writer added a version meanwhile, the record is refused with
    /// [`crate::StoreError::Conflict`] and the check must be classified again.
    pub expected_versions: u32,
    pub outcome: CheckOutcome,
    /// When to check next; None stops checking.
    pub next_check: Option<DateTime<Utc>>,
    pub check_interval: Duration,
    /// Set when the schedule retires the article with this check.
    pub retire: bool,
    /// HTTP facts of the fetch, when one was made.
    pub http: Option<HttpFacts>,
    /// Further URLs of this article (its canonical URL, where it redirected).
    pub aliases: Vec<String>,
}

/// HTTP facts kept for the next conditional request and for display.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HttpFacts {
    pub final_url: Option<String>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// What redline says about a change: its labels, significance and
/// summary (from `redline-classify`), and the signature that groups the
/// same change made to many articles of one source (a site change).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ChangeInfo {
    pub labels: Vec<Label>,
    pub significance: u8,
    pub summary: String,
    /// What changed, independent of the article; None for changes that are
    /// never grouped (removals, returns).
    pub signature: Option<i64>,
}

impl ChangeInfo {
    /// Takes what the list of changes keeps from an assessment.
    pub fn from_assessment(a: &redline_classify::Assessment) -> Self {
        ChangeInfo {
            labels: a.labels.clone(),
            significance: a.significance,
            summary: a.summary.clone(),
            signature: Some(a.signature() as i64),
        }
    }

    /// Like [`ChangeInfo::from_assessment`], for a change that is never
    /// grouped into a site change (a removal, a redirect).
    pub fn from_event(a: &redline_classify::Assessment) -> Self {
        ChangeInfo {
            signature: None,
            ..Self::from_assessment(a)
        }
    }
}

/// What a check found.
#[derive(Debug, Clone)]
pub enum CheckOutcome {
    /// A text never seen before for this article (for a gone article: its
    /// return, with a new text).
    NewVersion(NewVersion),
    /// The same text as the live version.
    Unchanged,
    /// The server answered 304 Not Modified.
    NotModified,
    /// The text of an earlier version came back.
    Reverted { to: u32, change: ChangeInfo },
    /// The article was removed (HTTP 404 or 410).
    Gone { status: u16, change: ChangeInfo },
    /// The article's URL now leads to a different page.
    Redirected { to: String, change: ChangeInfo },
    /// A gone article is back with the text of version `to` (the live
    /// one, or an earlier one).
    Restored { to: u32, change: ChangeInfo },
    /// The article is the same as another one.
    Merged { into: ArticleId },
    /// The check failed: `error` says why and what to do; `reason` names
    /// the kind for machines (see `redline_crawl::CheckResult::Failed`).
    Failed { reason: &'static str, error: String },
}

/// A version to add.
#[derive(Debug, Clone)]
pub struct NewVersion {
    pub text: ArticleText,
    /// The change it makes (None for an article's first version).
    pub change: Option<ChangeInfo>,
    /// The article was gone and came back with this text.
    pub restored: bool,
    pub published: Option<DateTime<Utc>>,
    pub minor: bool,
    pub words_added: u32,
    pub words_removed: u32,
    pub capture: Option<CaptureRef>,
}

/// One version of an article's history as re-derived from its capture
/// (see [`crate::Recorder::rebuild_versions`]).
#[derive(Debug, Clone)]
pub struct RebuiltVersion {
    /// The numbers of the versions it replaces (several when their texts
    /// became identical); the first one's time and capture are kept.
    pub replaces: Vec<u32>,
    pub seen_at: DateTime<Utc>,
    pub text: ArticleText,
    pub published: Option<DateTime<Utc>>,
    pub capture: Option<CaptureRef>,
    /// Against the version before it (none for the first).
    pub minor: bool,
    pub words_added: u32,
    pub words_removed: u32,
    pub change: Option<ChangeInfo>,
}

/// A feed, page or sitemap polled for article links.
#[derive(Debug, Clone, PartialEq)]
pub struct Listing {
    pub url: String,
    pub source: String,
    pub kind: ListingKind,
    pub next_poll: DateTime<Utc>,
    pub last_poll: Option<DateTime<Utc>>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub last_error: Option<String>,
    pub consecutive_errors: u32,
}

/// The result of polling a listing.
#[derive(Debug, Clone)]
pub struct ListingPoll {
    pub url: String,
    pub at: DateTime<Utc>,
    pub next_poll: DateTime<Utc>,
    /// Ok(articles newly added) or the error.
    pub result: Result<u32, String>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// A source as configured (or added by an administrator): its listings are
/// kept in step with it.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct SourceSpec {
    pub name: String,
    pub title: String,
    /// (kind, url) of every feed, page and sitemap.
    pub listings: Vec<(ListingKind, String)>,
    /// Regular expression an article URL must match.
    pub article_url: Option<String>,
    /// Regular expression that drops a URL.
    pub exclude_url: Option<String>,
    /// CSS selector of the element(s) holding the body (`[source.extract] body`).
    pub extract_body: Option<String>,
    /// CSS selectors of the elements dropped before extraction
    /// (`[source.extract] remove`).
    pub extract_remove: Vec<String>,
}

/// One source with its counts.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceSummary {
    pub name: String,
    pub title: String,
    pub articles: u64,
    pub active: u64,
    pub retired: u64,
    pub gone: u64,
    pub versions: u64,
    /// Articles with at least one change (of any kind).
    pub changed_articles: u64,
    pub checks: u64,
    pub errors: u64,
    /// Articles whose last check the address policy refused (their URL
    /// leads to a loopback, private or other special address).
    #[serde(skip)]
    pub refused: u64,
    pub last_change: Option<DateTime<Utc>>,
    pub first_seen: Option<DateTime<Utc>>,
    /// The most recent check of any of its articles.
    pub last_check: Option<DateTime<Utc>>,
    /// The next check due among its active articles.
    pub next_check: Option<DateTime<Utc>>,
}

/// Which articles to list.
#[derive(Debug, Clone, Default)]
pub struct ArticleFilter {
    pub source: Option<String>,
    pub status: Option<ArticleStatus>,
    /// Only articles with at least one change.
    pub changed_only: bool,
    pub limit: usize,
    pub offset: usize,
}
