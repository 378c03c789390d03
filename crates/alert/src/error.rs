//! The alerts' errors: a rule that cannot be used (named by its key), and a
//! send that failed (with what the receiver asked of the next attempt).

use std::time::Duration;

/// A failure of the alerts that stops them: a bad rule, or the store.
#[derive(Debug, thiserror::Error)]
pub enum AlertError {
    #[error("invalid configuration: alert {alert:?}.{key}: {message}")]
    Rule {
        alert: String,
        key: &'static str,
        message: String,
    },
    #[error("no alert is called {0:?}: `redline alerts` lists the configured ones")]
    Unknown(String),
    #[error("alert {alert:?}: the message was not delivered: {error}")]
    Send { alert: String, error: SendError },
    #[error("alerts cannot start: {0}")]
    Start(SendError),
    #[error(
        "no change is stored yet to send as a sample: let redline crawl until it finds one, then try again"
    )]
    NothingToSend,
    #[error(transparent)]
    Store(#[from] redline_store::StoreError),
}

/// A send that failed. Its message names the channel's endpoint by scheme
/// and host only (webhook URLs can hold credentials) and never a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SendError {
    pub message: String,
    /// The receiver asked to wait this long (HTTP 429 or 503 with
    /// `Retry-After`).
    pub retry_after: Option<Duration>,
}

impl SendError {
    pub fn new(message: impl Into<String>) -> Self {
        SendError {
            message: message.into(),
            retry_after: None,
        }
    }
}
