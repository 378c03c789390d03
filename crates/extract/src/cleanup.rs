//! Clean-up of the body's paragraphs: drops what a reader would not call
//! article text and what would make false changes between fetches — link
//! lists, repeated copies of the body, the headline repeated as a first
//! paragraph, datelines, comment-policy and contact trailers, share and
//! advertisement labels.

use std::collections::HashSet;

use crate::text::Block;

/// What the clean-up knows about the page.
pub struct Context<'a> {
    /// Candidate headlines (metadata title, `<h1>`).
    pub titles: Vec<&'a str>,
}

/// Filters `blocks` down to the article's paragraphs.
pub fn clean(blocks: Vec<Block>, context: &Context<'_>) -> Vec<String> {
    let title_keys: Vec<String> = context
        .titles
        .iter()
        .map(|t| key(t))
        .filter(|k| k.len() >= 8)
        .collect();
    let mut seen: HashSet<String> = HashSet::new();
    let mut out: Vec<String> = Vec::new();
    for block in blocks {
        let text = block.text;
        let chars = text.chars().count();
        let link_density = if chars == 0 {
            0.0
        } else {
            block.link_chars as f32 / chars as f32
        };
        if link_density > 0.5 {
            continue;
        }
        let k = key(&text);
        if k.is_empty() {
            continue;
        }
        if out.is_empty() && title_keys.contains(&k) {
            continue;
        }
        if is_boilerplate_line(&text) {
            continue;
        }
        // A paragraph seen before is a repeated copy (mobile + desktop
        // body, pull quotes); short separators ("***") repeat harmlessly.
        if !seen.insert(k) {
            continue;
        }
        out.push(text);
    }
    out
}

/// Lower-case letters and digits only: the identity of a paragraph.
pub fn key(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Lines that are page furniture wherever they appear.
fn is_boilerplate_line(text: &str) -> bool {
    let lower = text.trim().to_lowercase();
    const EXACT: &[&str] = &[
        "advertisement",
        "advertisement:",
        "ad",
        "sponsored",
        "share",
        "share this",
        "share this article",
        "share on facebook",
        "share on twitter",
        "tweet",
        "email",
        "print",
        "comments",
        "read more",
        "continue reading",
        "story continues below",
        "story continues below advertisement",
        "article continues below",
        "skip advertisement",
        "supported by",
    ];
    if EXACT.contains(&lower.trim_end_matches(['.', ':', '»', '›']).trim()) {
        return true;
    }
    lower.starts_with("please read our comment policy")
}
