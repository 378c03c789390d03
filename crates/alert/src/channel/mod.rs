//! Sending a [`Message`] through the channel of its alert. Each channel
//! has its module: the request it makes is the one its service documents.
//! What every HTTP channel shares is here: one client (rustls, bounded
//! time), and one reading of an answer (2xx acknowledges; 429 and 503
//! carry `Retry-After`; anything else is an error naming the status).

mod bluesky;
mod chat;
mod email;
mod mastodon;
mod webhook;

use std::time::Duration;

use redline_config::{Alert, Channel, url_for_logs};

use crate::SendError;
use crate::message::Message;
use crate::worker::CardImage;

pub use webhook::signature;

/// Longest wait for one request of a send.
pub const TIMEOUT: Duration = Duration::from_secs(30);
/// Most bytes of an answer read (its error text, a session's JSON).
const MAX_ANSWER: usize = 64 * 1024;

/// Sends messages; one per process, shared by every alert.
#[derive(Debug, Clone)]
pub struct Sender {
    http: reqwest::Client,
}

impl Sender {
    pub fn new(user_agent: &str) -> Result<Sender, SendError> {
        let http = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .connect_timeout(Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(user_agent)
            .build()
            .map_err(|e| SendError::new(format!("cannot start the HTTP client: {e}")))?;
        Ok(Sender { http })
    }

    /// Sends `message` as `alert` says; `card` is the image of its change,
    /// when one could be drawn.
    pub async fn send(
        &self,
        alert: &Alert,
        message: &Message,
        card: Option<&CardImage>,
    ) -> Result<(), SendError> {
        match alert.channel {
            Channel::Webhook => webhook::send(self, alert, message).await,
            Channel::Slack => chat::slack(self, alert, message).await,
            Channel::Discord => chat::discord(self, alert, message).await,
            Channel::Email => email::send(self, alert, message).await,
            Channel::Mastodon => mastodon::send(self, alert, message, card).await,
            Channel::Bluesky => bluesky::send(self, alert, message, card).await,
        }
    }
}

/// The setting an alert's channel needs, or an error naming it.
fn needed<'a, T>(alert: &'a Alert, value: &'a Option<T>, key: &str) -> Result<&'a T, SendError> {
    value.as_ref().ok_or_else(|| {
        SendError::new(format!(
            "alert {:?} has no {key}: set it in [[alert]] or in {}",
            alert.name,
            alert.variable(key)
        ))
    })
}

/// How long `Retry-After` asks to wait: seconds, or an HTTP date.
fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let value = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs.min(24 * 3600)));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(
        at.duration_since(std::time::SystemTime::now())
            .unwrap_or_default()
            .min(Duration::from_secs(24 * 3600)),
    )
}

/// Sends `request` and reads the answer: its body when 2xx, else the
/// error (with `Retry-After` on 429 and 503). `what` names the endpoint
/// in messages (scheme and host only).
async fn exchange(request: reqwest::RequestBuilder, what: &str) -> Result<Vec<u8>, SendError> {
    let response = request.send().await.map_err(|e| {
        let reason = if e.is_timeout() {
            "no answer in time".to_string()
        } else if e.is_connect() {
            "cannot connect".to_string()
        } else {
            "the request failed".to_string()
        };
        SendError::new(format!("{what}: {reason}"))
    })?;
    let status = response.status();
    let wait = retry_after(response.headers());
    let body = read_capped(response).await;
    if status.is_success() {
        return Ok(body);
    }
    let text: String = String::from_utf8_lossy(&body)
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect();
    let mut error = SendError::new(format!(
        "{what} answered HTTP {}{}",
        status.as_u16(),
        if text.trim().is_empty() {
            String::new()
        } else {
            format!(": {}", text.trim())
        }
    ));
    if matches!(status.as_u16(), 429 | 503) {
        error.retry_after = wait;
    }
    Err(error)
}

async fn read_capped(mut response: reqwest::Response) -> Vec<u8> {
    let mut body = Vec::new();
    while let Ok(Some(chunk)) = response.chunk().await {
        let room = MAX_ANSWER.saturating_sub(body.len());
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if body.len() >= MAX_ANSWER {
            break;
        }
    }
    body
}

/// An endpoint as messages name it.
fn endpoint(url: &str) -> String {
    url_for_logs(url)
}
