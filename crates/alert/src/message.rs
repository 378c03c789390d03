//! What a delivery says: one change, a site change (one message for a
//! template change seen on many articles), or a digest (the changes past an
//! alert's `max_per_hour`); rendered as plain text, short text for social
//! posts, HTML for e-mail and JSON for webhooks. Everything quoted from an
//! article is untrusted: the HTML escapes it, the JSON encodes it, and the
//! channels escape their own markup.

use chrono::{DateTime, Utc};
use redline_diff::{ParagraphDiff, Piece, PieceOp};
use redline_store::{Article, Change};
use serde_json::{Value, json};

/// Most changed paragraphs quoted in a message.
pub const EXCERPT_PARAGRAPHS: usize = 2;
/// Most characters of one quoted paragraph.
pub const EXCERPT_CHARS: usize = 400;
/// Most changes listed in a digest (the rest are counted).
pub const DIGEST_LISTED: usize = 20;

/// One change, with what a message shows of it.
#[derive(Debug, Clone)]
pub struct Item {
    pub change: Change,
    pub article: Option<Article>,
    /// The changed paragraphs, word by word (at most
    /// [`EXCERPT_PARAGRAPHS`], each cut to [`EXCERPT_CHARS`]).
    pub excerpt: Vec<Vec<Piece>>,
    /// The page showing the change (its diff, or the article).
    pub diff_url: String,
    /// Its card: a PNG for previews and posts.
    pub card_url: String,
}

/// What one message carries.
#[derive(Debug, Clone)]
pub enum Body {
    Change(Item),
    /// `articles` articles of one source changed the same way; `item` is
    /// one of them.
    SiteChange {
        id: i64,
        articles: u64,
        item: Item,
    },
    /// The changes that came past `max_per_hour`: the first
    /// [`DIGEST_LISTED`] listed, `total` in all.
    Digest {
        items: Vec<Item>,
        total: usize,
    },
}

/// A message to send.
#[derive(Debug, Clone)]
pub struct Message {
    pub alert: String,
    /// The receiver's key for it: the same on every retry.
    pub id: String,
    /// This redline's public address (`[server] base_url`), no trailing '/'.
    pub base_url: String,
    /// Its name on cards and in messages: the host of `base_url`.
    pub site_name: String,
    pub body: Body,
    /// A test message (`redline alerts test`), said so in its text.
    pub test: bool,
}

/// The excerpt of a diff: its first changed paragraphs.
pub fn excerpt(diff: &redline_diff::Diff) -> Vec<Vec<Piece>> {
    let mut out = Vec::new();
    for p in &diff.paragraphs {
        let pieces = match p {
            ParagraphDiff::Change { pieces, .. } => pieces.clone(),
            ParagraphDiff::Move { pieces, .. } if pieces.iter().any(|x| x.op != PieceOp::Equal) => {
                pieces.clone()
            }
            ParagraphDiff::Insert { text, .. } => vec![piece(PieceOp::Insert, text)],
            ParagraphDiff::Delete { text, .. } => vec![piece(PieceOp::Delete, text)],
            _ => continue,
        };
        out.push(cut(pieces, EXCERPT_CHARS));
        if out.len() == EXCERPT_PARAGRAPHS {
            break;
        }
    }
    out
}

fn piece(op: PieceOp, text: &str) -> Piece {
    Piece {
        op,
        text: text.to_string(),
    }
}

/// Keeps the pieces around the first change, to about `max` characters.
fn cut(pieces: Vec<Piece>, max: usize) -> Vec<Piece> {
    let total: usize = pieces.iter().map(|p| p.text.chars().count()).sum();
    if total <= max {
        return pieces;
    }
    let mut out = Vec::new();
    let mut budget = max;
    let first = pieces
        .iter()
        .position(|p| p.op != PieceOp::Equal)
        .unwrap_or(0);
    for (i, p) in pieces.into_iter().enumerate() {
        let n = p.text.chars().count();
        if i + 1 == first && n > 80 {
            // The context before the change: its end only.
            let tail: String = p.text.chars().skip(n - 80).collect();
            out.push(piece(p.op, &format!("…{tail}")));
            budget = budget.saturating_sub(81);
        } else if n <= budget {
            budget -= n;
            out.push(p);
        } else if i >= first {
            let head: String = p.text.chars().take(budget).collect();
            out.push(piece(p.op, &format!("{head}…")));
            break;
        }
        if budget == 0 {
            break;
        }
    }
    out
}

/// The excerpt as text: removed words `[-so-]`, added ones `{+so+}`.
fn excerpt_text(excerpt: &[Vec<Piece>]) -> String {
    excerpt
        .iter()
        .map(|pieces| {
            pieces
                .iter()
                .map(|p| match p.op {
                    PieceOp::Equal => p.text.clone(),
                    PieceOp::Delete => format!("[-{}-]", p.text),
                    PieceOp::Insert => format!("{{+{}+}}", p.text),
                })
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Escapes text for HTML.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// "about 9 hours later", as the web interface says it.
fn later(from: DateTime<Utc>, to: DateTime<Utc>) -> String {
    redline_web::time::later(from, to)
}

impl Item {
    /// One line: "BBC News: headline changed (major, 72)".
    pub fn headline(&self) -> String {
        let c = &self.change;
        format!(
            "{}: {} ({}, {})",
            c.source_title,
            c.summary,
            c.level().as_str(),
            c.significance
        )
    }

    /// The change in plain text, several lines.
    pub fn text(&self) -> String {
        let c = &self.change;
        let mut out = String::new();
        if c.title != c.previous_title {
            out.push_str(&format!(
                "Headline before: {}\nHeadline after: {}\n",
                c.previous_title, c.title
            ));
        } else {
            out.push_str(&format!("Headline: {}\n", c.title));
        }
        out.push_str(&format!(
            "Changed {} ({} → {}).\n",
            later(c.previous_seen_at, c.seen_at),
            redline_web::time::exact(c.previous_seen_at),
            redline_web::time::exact(c.seen_at),
        ));
        if !c.labels.is_empty() {
            let labels: Vec<&str> = c.labels.iter().map(|l| l.as_str()).collect();
            out.push_str(&format!("Labels: {}\n", labels.join(", ")));
        }
        if let Some(detail) = &c.detail {
            out.push_str(&format!("Detail: {detail}\n"));
        }
        let excerpt = excerpt_text(&self.excerpt);
        if !excerpt.is_empty() {
            out.push('\n');
            out.push_str(&excerpt);
            out.push('\n');
        }
        out.push_str(&format!("\nDiff: {}\nArticle: {}\n", self.diff_url, c.url));
        out
    }

    fn json(&self, base: &str) -> Value {
        json!({
            "change": redline_web::api::change_json(base, self.change.clone()),
            "article": self.article.clone().map(|a| redline_web::api::article_json(base, a, None)),
            "diff_url": self.diff_url,
            "card_url": self.card_url,
        })
    }

    fn html(&self) -> String {
        let c = &self.change;
        let mut out = String::new();
        out.push_str(&format!(
            "<h2 style=\"font-size:18px\">{}</h2>",
            escape_html(&self.headline())
        ));
        if c.title != c.previous_title {
            out.push_str(&format!(
                "<p><b>Headline before:</b> <del style=\"color:#b00020\">{}</del><br>\
                 <b>Headline after:</b> <ins style=\"color:#006400\">{}</ins></p>",
                escape_html(&c.previous_title),
                escape_html(&c.title)
            ));
        } else {
            out.push_str(&format!("<p><b>{}</b></p>", escape_html(&c.title)));
        }
        out.push_str(&format!(
            "<p>Changed {}.</p>",
            escape_html(&later(c.previous_seen_at, c.seen_at))
        ));
        for pieces in &self.excerpt {
            out.push_str("<p style=\"border-left:3px solid #ccc;padding-left:8px\">");
            for p in pieces {
                let text = escape_html(&p.text);
                match p.op {
                    PieceOp::Equal => out.push_str(&text),
                    PieceOp::Delete => out.push_str(&format!(
                        "<del style=\"color:#b00020;background:#fde7e9\">{text}</del>"
                    )),
                    PieceOp::Insert => out.push_str(&format!(
                        "<ins style=\"color:#006400;background:#e6f4ea\">{text}</ins>"
                    )),
                }
            }
            out.push_str("</p>");
        }
        out.push_str(&format!(
            "<p><a href=\"{}\">See the whole diff</a> · <a href=\"{}\">the article</a></p>",
            escape_html(&self.diff_url),
            escape_html(&c.url)
        ));
        out
    }
}

impl Message {
    fn test_prefix(&self) -> &'static str {
        if self.test { "[test] " } else { "" }
    }

    /// The subject of an e-mail; the first line of a post.
    pub fn subject(&self) -> String {
        let prefix = self.test_prefix();
        match &self.body {
            Body::Change(item) => format!("{prefix}{}", item.headline()),
            Body::SiteChange { articles, item, .. } => format!(
                "{prefix}{}: {articles} articles changed the same way: {}",
                item.change.source_title, item.change.summary
            ),
            Body::Digest { total, .. } => format!(
                "{prefix}{total} more changes for alert {} (digest)",
                self.alert
            ),
        }
    }

    /// The message in plain text, reading well alone.
    pub fn text(&self) -> String {
        let mut out = format!("{}\n\n", self.subject());
        match &self.body {
            Body::Change(item) => out.push_str(&item.text()),
            Body::SiteChange { articles, item, .. } => {
                out.push_str(&format!(
                    "A template change: {articles} articles of {} changed the same way within \
                     hours. One of them:\n\n",
                    item.change.source_title
                ));
                out.push_str(&item.text());
            }
            Body::Digest { items, total } => {
                out.push_str(
                    "This alert reached its limit of messages per hour (max_per_hour); \
                     these changes came after:\n\n",
                );
                for item in items {
                    out.push_str(&format!("- {}\n  {}\n", item.headline(), item.diff_url));
                }
                if *total > items.len() {
                    out.push_str(&format!("… and {} more.\n", total - items.len()));
                }
            }
        }
        out.push_str(&format!(
            "\n— redline at {} (alert {}, delivery {})\n",
            self.site_name, self.alert, self.id
        ));
        out
    }

    /// The message in HTML (for e-mail), with the changed words marked.
    pub fn html(&self) -> String {
        let mut out = String::from(
            "<!DOCTYPE html><html><body style=\"font-family:sans-serif;max-width:40em\">",
        );
        match &self.body {
            Body::Change(item) => out.push_str(&item.html()),
            Body::SiteChange { articles, item, .. } => {
                out.push_str(&format!(
                    "<p>A template change: {articles} articles of {} changed the same way. \
                     One of them:</p>",
                    escape_html(&item.change.source_title)
                ));
                out.push_str(&item.html());
            }
            Body::Digest { items, total } => {
                out.push_str(&format!("<h2>{}</h2><ul>", escape_html(&self.subject())));
                for item in items {
                    out.push_str(&format!(
                        "<li><a href=\"{}\">{}</a></li>",
                        escape_html(&item.diff_url),
                        escape_html(&item.headline())
                    ));
                }
                out.push_str("</ul>");
                if *total > items.len() {
                    out.push_str(&format!("<p>… and {} more.</p>", total - items.len()));
                }
            }
        }
        out.push_str(&format!(
            "<p style=\"color:#666;font-size:12px\">redline at {} · alert {} · delivery {}</p>\
             </body></html>",
            escape_html(&self.site_name),
            escape_html(&self.alert),
            escape_html(&self.id)
        ));
        out
    }

    /// A short text for a social post: at most `max` characters, ending
    /// with the link (which counts as `link_cost` characters, as the
    /// service counts it).
    pub fn post(&self, max: usize, link_cost: usize) -> (String, String) {
        let link = match &self.body {
            Body::Change(item) | Body::SiteChange { item, .. } => item.diff_url.clone(),
            Body::Digest { .. } => format!("{}/changes", self.base_url),
        };
        let mut text = match &self.body {
            Body::Change(item) => {
                let c = &item.change;
                if c.title != c.previous_title {
                    format!(
                        "{}{} changed a headline {}.\nBefore: {}\nAfter: {}",
                        self.test_prefix(),
                        c.source_title,
                        later(c.previous_seen_at, c.seen_at),
                        c.previous_title,
                        c.title
                    )
                } else {
                    format!(
                        "{}{}: {} ({}).\n{}",
                        self.test_prefix(),
                        c.source_title,
                        c.summary,
                        later(c.previous_seen_at, c.seen_at),
                        c.title
                    )
                }
            }
            _ => self.subject(),
        };
        let room = max.saturating_sub(link_cost + 1);
        if text.chars().count() > room {
            text = text
                .chars()
                .take(room.saturating_sub(1))
                .collect::<String>()
                + "…";
        }
        (format!("{text}\n"), link)
    }

    /// The webhook's JSON.
    pub fn json(&self) -> Value {
        let base = &self.base_url;
        let mut v = match &self.body {
            Body::Change(item) => {
                let mut v = item.json(base);
                v["kind"] = json!("change");
                v
            }
            Body::SiteChange { id, articles, item } => {
                let mut v = item.json(base);
                v["kind"] = json!("site_change");
                v["site_change"] = json!({
                    "id": id,
                    "articles": articles,
                    "source": item.change.source,
                    "summary": item.change.summary,
                });
                v
            }
            Body::Digest { items, total } => json!({
                "kind": "digest",
                "changes": items.iter().map(|i| i.json(base)).collect::<Vec<_>>(),
                "total": total,
            }),
        };
        v["alert"] = json!(self.alert);
        v["delivery_id"] = json!(self.id);
        v["test"] = json!(self.test);
        v
    }

    /// The item a card shows: the change, or the site change's example.
    pub fn item(&self) -> Option<&Item> {
        match &self.body {
            Body::Change(item) | Body::SiteChange { item, .. } => Some(item),
            Body::Digest { .. } => None,
        }
    }
}
