//! Inputs and outputs of the read methods the web interface uses: the
//! latest changes, article lists with full-text search, totals and metrics.

use chrono::{DateTime, Utc};
use serde::Serialize;

use redline_classify::{Label, Level};

use crate::{Article, ArticleId, ArticleStatus};

/// A position in the latest-changes order (newest first): the time a
/// change was seen and its key, which breaks ties.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChangeCursor {
    pub seen_at_ms: i64,
    pub key: i64,
}

/// Which changes to list, newest first (or most significant first). A
/// change is a version after the first one, a revert (the site going back
/// to the text of an earlier version), a removal, a redirect to another
/// page, or a removed article's return. Hidden articles are never listed;
/// changes grouped into a site change only on demand.
#[derive(Debug, Clone, Default)]
pub struct ChangeQuery {
    /// Only these sources (any of them); empty for all.
    pub sources: Vec<String>,
    /// Never these sources.
    pub exclude_sources: Vec<String>,
    /// Only this article.
    pub article: Option<ArticleId>,
    /// Only the changes of these keys ([`Change::key`]); empty for all.
    pub keys: Vec<i64>,
    /// Only articles with at least one version matching this query
    /// ([`crate::search::parse`] reads what a reader typed).
    pub text: Option<crate::search::TextQuery>,
    /// Include minor (whitespace/punctuation-only) changes.
    pub include_minor: bool,
    /// Include the changes grouped into a site change (a template change
    /// seen on many articles of one source).
    pub include_site_changes: bool,
    /// Only the changes of this site change.
    pub site_change: Option<i64>,
    /// Only changes at least this significant.
    pub min_significance: Option<u8>,
    /// Only changes with at least one of these labels.
    pub labels: Vec<Label>,
    /// Most significant first (then newest) instead of newest first.
    /// Cursors apply to the newest-first order only.
    pub by_significance: bool,
    /// Only changes seen at or after this time.
    pub since: Option<DateTime<Utc>>,
    /// Only changes strictly after this position in the order.
    pub after: Option<ChangeCursor>,
    pub limit: usize,
    pub offset: usize,
}

impl ChangeQuery {
    /// Every change of one article, newest first: minor ones and those
    /// grouped into a site change too (an article's own history hides
    /// nothing).
    pub fn of_article(article: ArticleId) -> Self {
        ChangeQuery {
            article: Some(article),
            include_minor: true,
            include_site_changes: true,
            limit: 1000,
            ..Default::default()
        }
    }
}

/// What kind of change a [`Change`] is.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// A new text: version `number`, following version `number - 1`.
    Edit,
    /// The site went back from version `from` to the text of the earlier
    /// version `number`; no version was added.
    Revert,
    /// The page answered 404 or 410: `number` and `from` are the last
    /// version seen.
    Removed,
    /// The URL now leads to a different page (`detail`).
    Redirected,
    /// A removed page came back, with the text of version `number`; `from`
    /// is the last version seen before it went.
    Restored,
}

impl ChangeKind {
    pub const ALL: [ChangeKind; 5] = [
        ChangeKind::Edit,
        ChangeKind::Revert,
        ChangeKind::Removed,
        ChangeKind::Redirected,
        ChangeKind::Restored,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Edit => "edit",
            ChangeKind::Revert => "revert",
            ChangeKind::Removed => "removed",
            ChangeKind::Redirected => "redirected",
            ChangeKind::Restored => "restored",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// True when the change has two texts to compare (not a removal or a
    /// redirect).
    pub fn has_diff(self) -> bool {
        !matches!(self, ChangeKind::Removed | ChangeKind::Redirected)
    }
}

/// One change and what the lists show about it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// Stable and unique across all changes (the change's number in the
    /// store); orders changes seen in the same millisecond.
    pub key: i64,
    pub kind: ChangeKind,
    pub article_id: ArticleId,
    pub source: String,
    pub source_title: String,
    pub url: String,
    pub final_url: Option<String>,
    pub status: ArticleStatus,
    /// The version the article showed after the change.
    pub number: u32,
    /// The version it showed before: `number - 1` for an edit.
    pub from: u32,
    pub seen_at: DateTime<Utc>,
    /// The headline of version `number`.
    pub title: String,
    /// The headline of version `from`.
    pub previous_title: String,
    /// When version `from` was first seen.
    pub previous_seen_at: DateTime<Utc>,
    /// Whitespace or punctuation only (for a revert: between the texts of
    /// `from` and `number`).
    pub minor: bool,
    /// Words added and removed. The store keeps them for edits only: a
    /// revert lists 0 and 0 until the reader fills them in from the texts.
    pub words_added: u32,
    pub words_removed: u32,
    /// Labels from the vocabulary of `redline-classify`.
    pub labels: Vec<Label>,
    /// 0 to 100.
    pub significance: u8,
    /// One line in plain words.
    pub summary: String,
    /// The site change this change is part of, if any.
    pub site_change: Option<i64>,
    /// The HTTP status of a removal, the target of a redirect.
    pub detail: Option<String>,
}

impl Change {
    pub fn level(&self) -> Level {
        Level::of(self.significance)
    }

    pub fn cursor(&self) -> ChangeCursor {
        ChangeCursor {
            seen_at_ms: self.seen_at.timestamp_millis(),
            key: self.key,
        }
    }
}

/// A position in the article order (most recently changed first): the
/// time of the last change (or first sighting) and the article id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArticleCursor {
    pub sort_ms: i64,
    pub id: ArticleId,
}

/// Which articles to list, most recently changed (or first seen) first.
/// Hidden articles are never listed.
#[derive(Debug, Clone, Default)]
pub struct ArticleQuery {
    /// Only these sources (any of them); empty for all.
    pub sources: Vec<String>,
    /// Never these sources.
    pub exclude_sources: Vec<String>,
    pub status: Option<ArticleStatus>,
    /// Only articles with at least one change.
    pub changed_only: bool,
    /// Only articles that changed at or after this time.
    pub changed_since: Option<DateTime<Utc>>,
    /// Only articles with a version matching this query; each hit names
    /// the latest matching version.
    pub text: Option<crate::search::TextQuery>,
    /// Only articles strictly after this position in the order.
    pub after: Option<ArticleCursor>,
    /// Most recently first seen first, instead of most recently changed
    /// first. Cursors apply to the default order only.
    pub by_first_seen: bool,
    pub limit: usize,
    pub offset: usize,
}

/// An article in a list, with the version a text search matched.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleHit {
    pub article: Article,
    pub matched: Option<MatchedVersion>,
}

impl ArticleHit {
    pub fn cursor(&self) -> ArticleCursor {
        let a = &self.article;
        ArticleCursor {
            sort_ms: a.last_changed.unwrap_or(a.first_seen).timestamp_millis(),
            id: a.id,
        }
    }
}

/// The latest version of an article that matched a text search.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatchedVersion {
    pub number: u32,
    pub seen_at: DateTime<Utc>,
    pub title: String,
}

/// What the footer of the web pages counts (hidden articles left out).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Totals {
    pub articles: u64,
    pub versions: u64,
    pub sources: u64,
}

/// Figures for the `/metrics` endpoint.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StoreMetrics {
    /// Articles by status (hidden ones included).
    pub articles_by_status: Vec<(ArticleStatus, u64)>,
    pub hidden_articles: u64,
    pub versions: u64,
    /// Per source: (name, checks, fetch errors, failing listings).
    pub sources: Vec<SourceMetrics>,
    /// Active articles whose check is due.
    pub due_articles: u64,
    /// How long the most overdue active article has been waiting.
    pub max_lateness_seconds: f64,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct SourceMetrics {
    pub name: String,
    pub articles: u64,
    pub checks: u64,
    pub errors: u64,
    pub failing_listings: u64,
    /// Articles whose last check the address policy refused.
    pub refused: u64,
}

/// The same change made to many articles of one source within a short
/// time: a template change, not an edit. Its changes are kept out of the
/// default lists and feeds.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SiteChange {
    pub id: i64,
    pub source: String,
    pub source_title: String,
    pub first_at: DateTime<Utc>,
    pub last_at: DateTime<Utc>,
    /// Articles changed this way.
    pub articles: u64,
    /// The summary of the change they share.
    pub summary: String,
}

/// What press critics quote about an outlet, over one period.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct SourceStats {
    /// "7d", "30d" or "all".
    pub period: String,
    /// Articles first seen in the period.
    pub articles: u64,
    /// Of those, articles edited at least once.
    pub changed_articles: u64,
    /// `changed_articles / articles` (0 when there are none).
    pub changed_share: f64,
    /// Edits (site changes left out) of the changed articles, per article.
    pub changes_per_changed_article: f64,
    /// Median time from first seen to the first edit, of the changed
    /// articles.
    pub median_seconds_to_first_change: Option<i64>,
    /// Edits in the period.
    pub changes: u64,
    /// Share of those edits that are major (significance 60 or more).
    pub major_share: f64,
    /// Share of the major edits made with no correction or update note.
    pub stealth_share: f64,
    /// Articles removed from the site (404/410) or redirected away in the
    /// period.
    pub removals: u64,
}

/// A period's edits as a backend counts them for [`SourceStats::of`].
#[derive(Debug, Clone, Copy, Default)]
pub struct EditCounts {
    /// Edits (not minor, site changes left out).
    pub changes: u64,
    /// Of those, major ones (significance 60 or more).
    pub major: u64,
    /// Of the major ones, those labelled `stealth`.
    pub stealth: u64,
    /// Removals and redirects away.
    pub removals: u64,
}

impl SourceStats {
    /// The figures of a period from what a backend counted: the articles
    /// first seen in it, per changed article its edits and the
    /// milliseconds from first seen to its first edit, and the edits. One
    /// rule for every backend: shares are 0 when there is nothing to
    /// divide by, the median of an even count is the mean of the middle
    /// two.
    pub fn of(
        period: &str,
        articles: u64,
        mut per_article: Vec<(u64, i64)>,
        counts: EditCounts,
    ) -> SourceStats {
        let ratio = |a: u64, b: u64| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let changed_articles = per_article.len() as u64;
        let edits: u64 = per_article.iter().map(|(n, _)| n).sum();
        per_article.sort_by_key(|(_, delay)| *delay);
        let median = match per_article.len() {
            0 => None,
            n if n % 2 == 1 => Some(per_article[n / 2].1 / 1000),
            n => Some((per_article[n / 2 - 1].1 + per_article[n / 2].1) / 2000),
        };
        SourceStats {
            period: period.to_string(),
            articles,
            changed_articles,
            changed_share: ratio(changed_articles, articles),
            changes_per_changed_article: ratio(edits, changed_articles),
            median_seconds_to_first_change: median,
            changes: counts.changes,
            major_share: ratio(counts.major, counts.changes),
            stealth_share: ratio(counts.stealth, counts.major),
            removals: counts.removals,
        }
    }
}
