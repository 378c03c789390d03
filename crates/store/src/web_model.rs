//! Inputs and outputs of the read methods the web interface uses: the
//! latest changes, article lists with full-text search, totals and metrics.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::{Article, ArticleId, ArticleStatus};

/// A position in the latest-changes order (newest first): the time a
/// change was seen and its key, which breaks ties.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChangeCursor {
    pub seen_at_ms: i64,
    pub key: i64,
}

/// Which changes to list, newest first. A change is a version after the
/// first one, or a revert: the site going back to the text of an earlier
/// version. Hidden articles are never listed.
#[derive(Debug, Clone, Default)]
pub struct ChangeQuery {
    /// Only these sources (any of them); empty for all.
    pub sources: Vec<String>,
    /// Never these sources.
    pub exclude_sources: Vec<String>,
    /// Only this article.
    pub article: Option<ArticleId>,
    /// Only articles with at least one version matching this FTS5 MATCH
    /// expression. The caller builds it; user input must never be passed
    /// through as is.
    pub text: Option<String>,
    /// Include minor (whitespace/punctuation-only) changes.
    pub include_minor: bool,
    /// Only changes seen at or after this time.
    pub since: Option<DateTime<Utc>>,
    /// Only changes strictly after this position in the order.
    pub after: Option<ChangeCursor>,
    pub limit: usize,
    pub offset: usize,
}

/// What kind of change a [`Change`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// A new text: version `number`, following version `number - 1`.
    Edit,
    /// The site went back from version `from` to the text of the earlier
    /// version `number`; no version was added.
    Revert,
}

/// One change and what the lists show about it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// Stable and unique across all changes: twice the version's row id
    /// for an edit, twice the revert event's row id plus one for a revert.
    /// Orders changes seen in the same millisecond.
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
}

impl Change {
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
    /// Only articles with a version matching this FTS5 MATCH expression
    /// (built by the caller, never raw user input); each hit names the
    /// latest matching version.
    pub text: Option<String>,
    /// Only articles strictly after this position in the order.
    pub after: Option<ArticleCursor>,
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
}
