//! Slack and Discord incoming webhooks, in their documented message
//! formats. Article text is untrusted: for Slack, `&`, `<` and `>` are
//! escaped as its mrkdwn asks (so no `<!channel>` or link can be made of
//! it); for Discord, mentions are switched off (`allowed_mentions`).

use redline_config::Alert;
use serde_json::json;

use super::{Sender, endpoint, exchange, needed};
use crate::SendError;
use crate::message::Message;

/// Slack's longest text of a section block.
const SLACK_SECTION: usize = 3000;
/// Discord's longest `content`, and an embed's title and description.
const DISCORD_CONTENT: usize = 2000;
const DISCORD_TITLE: usize = 256;
const DISCORD_DESCRIPTION: usize = 4096;

fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    s.chars().take(max.saturating_sub(1)).collect::<String>() + "…"
}

/// Text as Slack's mrkdwn takes it literally.
pub fn slack_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The JSON Slack receives.
pub fn slack_payload(message: &Message) -> serde_json::Value {
    let subject = message.subject();
    let text = message.text();
    let link = message.item().map(|i| i.diff_url.clone());
    let mut blocks = vec![
        json!({"type": "header", "text": {"type": "plain_text", "text": clip(&subject, 150)}}),
        json!({"type": "section", "text": {"type": "mrkdwn", "text": clip(&slack_escape(&text), SLACK_SECTION)}}),
    ];
    if let Some(link) = link {
        blocks.push(json!({"type": "actions", "elements": [
            {"type": "button", "text": {"type": "plain_text", "text": "See the diff"}, "url": link}
        ]}));
    }
    json!({
        "text": clip(&slack_escape(&subject), SLACK_SECTION),
        "blocks": blocks,
        "unfurl_links": false,
        "unfurl_media": false,
    })
}

/// The JSON Discord receives.
pub fn discord_payload(message: &Message) -> serde_json::Value {
    let mut embed = json!({
        "title": clip(&message.subject(), DISCORD_TITLE),
        "description": clip(&message.text(), DISCORD_DESCRIPTION),
        "footer": {"text": format!("redline at {}", message.site_name)},
    });
    if let Some(item) = message.item() {
        embed["url"] = json!(item.diff_url);
        embed["timestamp"] = json!(item.change.seen_at.to_rfc3339());
        embed["image"] = json!({"url": item.card_url});
    }
    json!({
        "content": clip(&message.subject(), DISCORD_CONTENT),
        "embeds": [embed],
        "allowed_mentions": {"parse": []},
    })
}

async fn post(
    sender: &Sender,
    url: &str,
    what: &str,
    body: serde_json::Value,
) -> Result<(), SendError> {
    let request = sender
        .http
        .post(url)
        .header("content-type", "application/json")
        .body(body.to_string());
    exchange(request, &format!("{what} {}", endpoint(url)))
        .await
        .map(drop)
}

pub async fn slack(sender: &Sender, alert: &Alert, message: &Message) -> Result<(), SendError> {
    let url = needed(alert, &alert.url, "url")?;
    post(sender, url, "Slack's webhook", slack_payload(message)).await
}

pub async fn discord(sender: &Sender, alert: &Alert, message: &Message) -> Result<(), SendError> {
    let url = needed(alert, &alert.url, "url")?;
    post(sender, url, "Discord's webhook", discord_payload(message)).await
}
