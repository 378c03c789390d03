//! Storage errors, classified so the crawler can react: pause on a full
//! disk or a read-only database, retry on contention, re-classify on a
//! conflict.

use crate::ArticleId;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "cannot write to the database: the disk is full ({0}). Free some space; redline keeps \
         what it has stored and resumes writing once space returns"
    )]
    DiskFull(String),
    #[error(
        "cannot write to the database: it is read-only ({0}). Check the file's permissions and \
         the filesystem; redline resumes writing once it can"
    )]
    ReadOnly(String),
    #[error("the database is busy (locked by another process for too long): {0}")]
    Busy(String),
    /// The database is damaged; `remedy` is the backend's way to rescue
    /// it (for SQLite, `sqlite3 FILE .recover`).
    #[error(
        "the database is damaged ({detail}). Stop redline, keep a copy of the database, and \
         {remedy}"
    )]
    Corrupt {
        detail: String,
        remedy: &'static str,
    },
    #[error("cannot open the database {path}: {reason}")]
    Open { path: String, reason: String },
    #[error(
        "article {article} gained a version while it was being checked; the check must be \
         classified again"
    )]
    Conflict { article: ArticleId },
    #[error(
        "article {article} is being checked by crawler {owner:?} (its lease runs until \
         {until}); try again once that check is done"
    )]
    Leased {
        article: ArticleId,
        owner: String,
        until: chrono::DateTime<chrono::Utc>,
    },
    #[error("article {0} does not exist")]
    NoSuchArticle(ArticleId),
    #[error("a source named {0:?} already exists")]
    SourceExists(String),
    #[error("stored data is invalid: {0}")]
    Invalid(String),
    #[error("database error: {0}")]
    Other(String),
}

impl StoreError {
    /// True for errors that go away by themselves or once an operator
    /// frees space or fixes permissions: the crawler pauses and retries.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            StoreError::DiskFull(_) | StoreError::ReadOnly(_) | StoreError::Busy(_)
        )
    }
}
