//! The webhook channel: a POST of the message's JSON to the alert's `url`,
//! with `X-Redline-Delivery: <id>` and `X-Redline-Signature:
//! sha256=<hex HMAC-SHA256 of the exact body bytes under the secret>`.

use hmac::{Hmac, KeyInit, Mac};
use redline_config::Alert;
use sha2::Sha256;

use super::{Sender, endpoint, exchange, needed};
use crate::SendError;
use crate::message::Message;

/// The `X-Redline-Signature` value of `body` under `secret`.
pub fn signature(secret: &[u8], body: &[u8]) -> String {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret)
        .unwrap_or_else(|_| unreachable!("HMAC takes a key of any length"));
    mac.update(body);
    format!(
        "sha256={}",
        data_encoding::HEXLOWER.encode(&mac.finalize().into_bytes())
    )
}

pub async fn send(sender: &Sender, alert: &Alert, message: &Message) -> Result<(), SendError> {
    let url = needed(alert, &alert.url, "url")?;
    let secret = needed(alert, &alert.secret, "secret")?;
    let body = serde_json::to_vec(&message.json())
        .map_err(|e| SendError::new(format!("cannot write the webhook's JSON: {e}")))?;
    let request = sender
        .http
        .post(url)
        .header("content-type", "application/json")
        .header("x-redline-delivery", &message.id)
        .header(
            "x-redline-signature",
            signature(secret.expose().as_bytes(), &body),
        )
        .body(body);
    exchange(request, &format!("the webhook {}", endpoint(url)))
        .await
        .map(drop)
}
