//! Mastodon: the card uploaded as media with its alt text
//! (`POST /api/v2/media`), then a status with the text, the link and the
//! media (`POST /api/v1/statuses`), as Mastodon's REST API documents them.
//! The status carries `Idempotency-Key: <delivery id>`, so a retry after a
//! lost answer does not post twice.

use redline_config::Alert;
use serde_json::json;

use super::{Sender, endpoint, exchange, needed};
use crate::SendError;
use crate::message::Message;
use crate::worker::CardImage;

/// A status's length limit on a default instance; a link counts as 23.
const STATUS_CHARS: usize = 500;
const LINK_CHARS: usize = 23;

pub async fn send(
    sender: &Sender,
    alert: &Alert,
    message: &Message,
    card: Option<&CardImage>,
) -> Result<(), SendError> {
    let instance = needed(alert, &alert.instance, "instance")?.trim_end_matches('/');
    let token = needed(alert, &alert.token, "token")?;
    let what = format!("Mastodon at {}", endpoint(instance));
    let auth = format!("Bearer {}", token.expose());
    let mut media_ids = Vec::new();
    if let Some(card) = card {
        let part = reqwest::multipart::Part::bytes(card.png.clone())
            .file_name("change.png")
            .mime_str("image/png")
            .map_err(|e| SendError::new(format!("cannot attach the card: {e}")))?;
        let form = reqwest::multipart::Form::new()
            .part("file", part)
            .text("description", card.alt.clone());
        let request = sender
            .http
            .post(format!("{instance}/api/v2/media"))
            .header("authorization", &auth)
            .multipart(form);
        let answer = exchange(request, &format!("{what} (media upload)")).await?;
        let id = serde_json::from_slice::<serde_json::Value>(&answer)
            .ok()
            .and_then(|v| v["id"].as_str().map(str::to_string))
            .ok_or_else(|| SendError::new(format!("{what} gave no media id")))?;
        media_ids.push(id);
    }
    let (text, link) = message.post(STATUS_CHARS, LINK_CHARS);
    let body = json!({
        "status": format!("{text}{link}"),
        "media_ids": media_ids,
    });
    let request = sender
        .http
        .post(format!("{instance}/api/v1/statuses"))
        .header("authorization", &auth)
        .header("idempotency-key", &message.id)
        .header("content-type", "application/json")
        .body(body.to_string());
    exchange(request, &format!("{what} (status)"))
        .await
        .map(drop)
}
