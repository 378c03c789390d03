//! The alerts' outbox: what the store keeps so that no change an alert
//! matches is lost between being stored and being delivered.
//!
//! 1. A change a check finds is queued in the outbox in the transaction
//!    that writes it (`change_outbox`), whatever the rules.
//! 2. The delivery worker reads the queue ([`Outbox::pending_changes`]),
//!    matches each change against the rules, and in one transaction turns
//!    it into one delivery per matching alert and takes it off the queue
//!    ([`Outbox::enqueue_deliveries`]). A delivery exists once per alert
//!    and change: doing it twice (two workers, a crash) adds nothing.
//! 3. Deliveries are leased like articles ([`Outbox::claim_deliveries`]),
//!    sent, and marked sent (or failed, to be retried) by
//!    [`Outbox::finish_deliveries`]. Once marked sent, a delivery is never
//!    claimed again; one sent but not yet marked when its process died is
//!    sent again (at least once), with the same delivery id.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::Result;

/// A delivery to create: `change` (a [`crate::Change::key`]) matched the
/// rule `alert`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDelivery {
    pub alert: String,
    pub change: i64,
}

/// A delivery waiting to be sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// The row's own number: what [`Outbox::finish_deliveries`] takes.
    pub row: i64,
    pub alert: String,
    pub change: i64,
    /// Sends tried and failed so far.
    pub attempts: u32,
    pub created_at: DateTime<Utc>,
}

impl Delivery {
    /// The id the receiver sees (`X-Redline-Delivery`): one per alert and
    /// change, the same on every retry.
    pub fn id(&self) -> String {
        delivery_id(&self.alert, self.change)
    }
}

/// The delivery id of `change` for `alert`.
pub fn delivery_id(alert: &str, change: i64) -> String {
    format!("{alert}-{change}")
}

/// The id of `alert`'s digest of the deliveries `first` to `last` (rows).
/// Digests are told apart by this form (alert names hold no ':').
pub fn digest_id(alert: &str, first: i64, last: i64) -> String {
    format!("digest:{alert}:{first}-{last}")
}

/// The id of `alert`'s one message for the site change `group`.
pub fn site_change_id(alert: &str, group: i64) -> String {
    format!("site:{alert}:{group}")
}

/// What an alert sent over a period, for its hourly limit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MessageCounts {
    /// Messages other than digests.
    pub messages: u32,
    pub digests: u32,
    /// When the oldest of those messages was sent.
    pub oldest: Option<DateTime<Utc>>,
    /// When the latest digest was sent.
    pub last_digest: Option<DateTime<Utc>>,
}

/// What became of a send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeliveryResult {
    /// The receiver acknowledged `message`, which carried the deliveries
    /// `rows`: one (a change), or several (a digest, or a site change).
    Sent {
        rows: Vec<i64>,
        message: String,
        at: DateTime<Utc>,
    },
    /// The send failed; `retry_at` None gives the deliveries up.
    Failed {
        rows: Vec<i64>,
        error: String,
        retry_at: Option<DateTime<Utc>>,
    },
    /// Not tried: the deliveries wait until `until` (the alert's hourly
    /// limit, or a failure of the same channel just before).
    Postponed {
        rows: Vec<i64>,
        until: DateTime<Utc>,
    },
}

/// How one alert is doing, for `redline alerts` and `/metrics`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct AlertStatus {
    pub alert: String,
    /// Changes delivered (alone, in a digest or in a site change's message).
    pub sent: u64,
    /// Messages sent.
    pub messages: u64,
    /// Changes waiting to be sent.
    pub queued: u64,
    /// Of those, the ones whose last attempt failed.
    pub failing: u64,
    /// Changes given up after failing for too long.
    pub failed: u64,
    pub last_sent: Option<DateTime<Utc>>,
    /// The last failure's message, while a delivery is failing.
    pub last_error: Option<String>,
}

/// The alerts' outbox (see the module's documentation).
pub trait Outbox: Send + Sync {
    /// Changes queued for the alerts, oldest first, at most `limit`.
    fn pending_changes(&self, limit: usize) -> Result<Vec<i64>>;

    /// Takes `changes` off the queue and creates `deliveries` (existing
    /// ones are kept as they are), in one transaction.
    fn enqueue_deliveries(
        &self,
        changes: &[i64],
        deliveries: &[NewDelivery],
        now: DateTime<Utc>,
    ) -> Result<()>;

    /// Leases up to `limit` deliveries of `alerts` due at `now` (not sent,
    /// next attempt reached, no live lease of another owner) to `owner`
    /// until `until`; oldest first.
    fn claim_deliveries(
        &self,
        alerts: &[String],
        owner: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<Delivery>>;

    /// Records what became of a send, and ends the deliveries' leases.
    fn finish_deliveries(&self, result: &DeliveryResult) -> Result<()>;

    /// What `alert` sent at or after `since`.
    fn messages_since(&self, alert: &str, since: DateTime<Utc>) -> Result<MessageCounts>;

    /// Whether `alert` has sent the message `message` (a site change's is
    /// sent once, the later changes of it join it).
    fn message_sent(&self, alert: &str, message: &str) -> Result<bool>;

    /// Every alert with deliveries, by name.
    fn alert_status(&self) -> Result<Vec<AlertStatus>>;
}
