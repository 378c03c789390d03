//! Bluesky, through the AT Protocol's documented calls: a session
//! (`com.atproto.server.createSession` with the handle and an app
//! password), the card as a blob (`com.atproto.repo.uploadBlob`), then a
//! post (`com.atproto.repo.createRecord`, collection `app.bsky.feed.post`)
//! with an image embed and its alt text, and a link facet over the link
//! (byte offsets in UTF-8, as the protocol counts them).

use redline_config::{Alert, BLUESKY_SERVICE};
use serde_json::{Value, json};

use super::{Sender, endpoint, exchange, needed};
use crate::SendError;
use crate::message::Message;
use crate::worker::CardImage;

/// A post's length limit (graphemes; counted here as characters, a
/// stricter bound for text of several code points per grapheme).
const POST_CHARS: usize = 300;

fn json_of(answer: &[u8], what: &str) -> Result<Value, SendError> {
    serde_json::from_slice(answer)
        .map_err(|_| SendError::new(format!("{what} did not answer JSON")))
}

pub async fn send(
    sender: &Sender,
    alert: &Alert,
    message: &Message,
    card: Option<&CardImage>,
) -> Result<(), SendError> {
    let service = alert
        .service
        .as_deref()
        .unwrap_or(BLUESKY_SERVICE)
        .trim_end_matches('/');
    let handle = needed(alert, &alert.handle, "handle")?;
    let password = needed(alert, &alert.app_password, "app_password")?;
    let what = format!("Bluesky at {}", endpoint(service));
    let xrpc = |method: &str| format!("{service}/xrpc/{method}");

    let session = sender
        .http
        .post(xrpc("com.atproto.server.createSession"))
        .header("content-type", "application/json")
        .body(json!({"identifier": handle, "password": password.expose()}).to_string());
    let session = json_of(
        &exchange(session, &format!("{what} (session)")).await?,
        &what,
    )?;
    let (Some(jwt), Some(did)) = (session["accessJwt"].as_str(), session["did"].as_str()) else {
        return Err(SendError::new(format!("{what} gave no session")));
    };
    let auth = format!("Bearer {jwt}");

    let (text, link) = message.post(POST_CHARS, 0);
    let full = format!("{text}{link}");
    let start = text.len();
    let mut record = json!({
        "$type": "app.bsky.feed.post",
        "text": full,
        "createdAt": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        "facets": [{
            "index": {"byteStart": start, "byteEnd": start + link.len()},
            "features": [{"$type": "app.bsky.richtext.facet#link", "uri": link}],
        }],
    });
    if let Some(card) = card {
        let upload = sender
            .http
            .post(xrpc("com.atproto.repo.uploadBlob"))
            .header("authorization", &auth)
            .header("content-type", "image/png")
            .body(card.png.clone());
        let blob = json_of(&exchange(upload, &format!("{what} (upload)")).await?, &what)?;
        if blob["blob"].is_null() {
            return Err(SendError::new(format!("{what} gave no blob")));
        }
        record["embed"] = json!({
            "$type": "app.bsky.embed.images",
            "images": [{
                "alt": card.alt,
                "image": blob["blob"],
                "aspectRatio": {"width": card.width, "height": card.height},
            }],
        });
    }
    let create = sender
        .http
        .post(xrpc("com.atproto.repo.createRecord"))
        .header("authorization", &auth)
        .header("content-type", "application/json")
        .body(
            json!({"repo": did, "collection": "app.bsky.feed.post", "record": record}).to_string(),
        );
    exchange(create, &format!("{what} (post)")).await.map(drop)
}
