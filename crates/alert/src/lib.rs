//! redline's alerts: telling people of the changes that matter, where they
//! already read, with evidence.
//!
//! - [`rules`]: the `[[alert]]` rules, compiled, and which of them a change
//!   matches;
//! - [`message`]: what a delivery says (one change, a site change, or a
//!   digest), as plain text, HTML and JSON;
//! - [`channel`]: sending a message through a webhook, e-mail, Mastodon,
//!   Bluesky, Slack or Discord;
//! - [`worker`]: the delivery worker, which turns the store's outbox into
//!   deliveries and sends them at least once, throttled per alert.
//!
//! The store keeps the outbox (`redline_store::Outbox`): a change is queued
//! in the transaction that writes it, so none is lost between being stored
//! and being sent.

#![forbid(unsafe_code)]

pub mod channel;
mod error;
pub mod message;
pub mod rules;
pub mod worker;

pub use error::{AlertError, SendError};
pub use rules::Rules;
pub use worker::{CardImage, CardMaker, Worker, WorkerSettings};
