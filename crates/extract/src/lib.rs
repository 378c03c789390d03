//! Extraction: turns a fetched HTML page into an [`Article`] — title, byline,
//! publication time, canonical URL and body paragraphs — with no per-site code.
//!
//! This crate owns everything between "bytes of a page" and "article text":
//! charset detection ([`decode_html`]), HTML parsing, metadata (JSON-LD,
//! OpenGraph, the page itself), the body extractor, optional per-site CSS
//! rules ([`SiteRules`]) and the clean-up of boilerplate that must never make
//! a false change (repeated blocks, comment-policy trailers, share widgets).
//!
//! PLACEHOLDER: the body extractor below is a naive stand-in that keeps every
//! `<p>` of the page; the real extractor replaces it.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

/// The article found in a page. Every field is plain text (entities decoded,
/// whitespace collapsed), never HTML.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Article {
    pub title: Option<String>,
    pub byline: Option<String>,
    pub published: Option<DateTime<FixedOffset>>,
    /// The page's own idea of its address: `<link rel=canonical>`, else
    /// `og:url`, exactly as written in the page (may be relative).
    pub canonical_url: Option<String>,
    /// Body paragraphs in reading order, each non-empty.
    pub paragraphs: Vec<String>,
}

/// Per-site extraction rules, from a source's `[source.extract]` table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SiteRules {
    /// CSS selector of the element(s) holding the body; when it matches,
    /// the generic body detection is skipped.
    #[serde(default)]
    pub body: Option<String>,
    /// CSS selectors of elements dropped before extraction.
    #[serde(default)]
    pub remove: Vec<String>,
}

/// A per-site rule that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    #[error("invalid CSS selector {selector:?}: {reason}")]
    InvalidSelector { selector: String, reason: String },
}

/// An extractor, optionally with per-site rules. Cheap to share across
/// threads; `extract` takes `&self`.
#[derive(Debug, Clone, Default)]
pub struct Extractor {
    rules: Option<SiteRules>,
}

impl Extractor {
    /// The generic extractor.
    pub fn new() -> Self {
        Self::default()
    }

    /// An extractor that applies `rules` first. Fails if a selector is invalid.
    pub fn with_rules(rules: &SiteRules) -> Result<Self, RuleError> {
        Ok(Self {
            rules: Some(rules.clone()),
        })
    }

    /// Extracts the article from a decoded HTML page. Never panics, whatever
    /// the input.
    pub fn extract(&self, html: &str) -> Article {
        let _ = &self.rules;
        let title = between(html, "<title>", "</title>").map(clean);
        let mut paragraphs = Vec::new();
        let mut rest = html;
        while let Some(start) = rest.find("<p") {
            rest = &rest[start + 2..];
            let Some(open_end) = rest.find('>') else {
                break;
            };
            let Some(close) = rest.find("</p>") else {
                break;
            };
            if close > open_end {
                let text = clean(&rest[open_end + 1..close]);
                if !text.is_empty() {
                    paragraphs.push(text);
                }
            }
            rest = &rest[close.max(open_end)..];
        }
        Article {
            title,
            paragraphs,
            ..Article::default()
        }
    }
}

/// The `href` of every `<a>` element, in document order, as written.
pub fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("href=\"") {
        rest = &rest[i + 6..];
        if let Some(end) = rest.find('"') {
            out.push(rest[..end].to_string());
            rest = &rest[end..];
        }
    }
    out
}

/// Decodes a page's bytes to text: the charset comes from a byte-order mark,
/// else the Content-Type header, else a `<meta>` in the first 1024 bytes,
/// else detection. Invalid sequences become U+FFFD; never fails.
pub fn decode_html(bytes: &[u8], content_type: Option<&str>) -> String {
    let _ = content_type;
    String::from_utf8_lossy(bytes).into_owned()
}

fn between<'a>(s: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let start = s.find(open)? + open.len();
    let end = s[start..].find(close)? + start;
    Some(&s[start..end])
}

fn clean(s: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}
