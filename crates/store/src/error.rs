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
    /// The database server cannot be reached (not running, wrong host or
    /// port, connection lost): transient, redline retries.
    #[error(
        "cannot reach the database server {server} ([storage] database): {reason}. Check that \
         the server is running and that the setting names the right host and port; redline \
         keeps what it has and resumes once the server answers"
    )]
    Unreachable { server: String, reason: String },
    /// The server refused the user name or password.
    #[error(
        "the database server {server} refused the credentials of [storage] database: {reason}. \
         Check the user name and password in the setting \
         (postgres://USER:PASSWORD@HOST:PORT/DATABASE)"
    )]
    Credentials { server: String, reason: String },
    /// The database was migrated by a newer redline.
    #[error(
        "the database {database} ([storage] database) has schema {found}, written by a newer \
         redline (this one knows schemas up to {known}). Upgrade redline, or point [storage] \
         database at another database"
    )]
    NewerSchema {
        database: String,
        found: i64,
        known: usize,
    },
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
    /// What was asked cannot be done as asked; the message says why and
    /// what to ask instead.
    #[error("{0}")]
    Refused(String),
    #[error("database error: {0}")]
    Other(String),
}

impl StoreError {
    /// True for errors that go away by themselves or once an operator
    /// frees space or fixes permissions: the crawler pauses and retries.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            StoreError::DiskFull(_)
                | StoreError::ReadOnly(_)
                | StoreError::Busy(_)
                | StoreError::Unreachable { .. }
        )
    }
}
