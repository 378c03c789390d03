//! Extraction: turns a fetched HTML page into an [`Article`] — title, byline,
//! publication time, canonical URL and body paragraphs — with no per-site code.
//!
//! This crate owns everything between "bytes of a page" and "article text":
//! charset detection ([`decode_html`]), HTML parsing, metadata (JSON-LD,
//! OpenGraph, the page itself), the body extractor, optional per-site CSS
//! rules ([`SiteRules`]) and the clean-up of boilerplate that must never make
//! a false change (repeated blocks, comment-policy trailers, share widgets).
//!
//! Modules, one job each: `charset` (bytes to text), `entities`
//! (character references), `parse` (tolerant tokenizer and tree builder
//! into the `dom` arena), `metadata`, `hints` (class/id vocabulary),
//! `body` (which element holds the article), `standfirst` (the dek beside
//! the headline), `text` (subtree to paragraphs), `cleanup`
//! (paragraph-level boilerplate), `blocked` (walls that stand in for the
//! article) and `select` (the CSS subset of per-site rules).

#![forbid(unsafe_code)]

mod blocked;
mod body;
mod charset;
mod cleanup;
mod dom;
mod entities;
mod entities_table;
mod hints;
mod metadata;
mod parse;
mod select;
mod standfirst;
mod text;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

pub use blocked::Blocked;
use dom::NodeId;
use select::Selector;

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
    /// Body paragraphs in reading order, each non-empty. The standfirst,
    /// when the page has one, is among them (see `standfirst`), wherever
    /// the template put it.
    pub paragraphs: Vec<String>,
    /// The standfirst (dek) found beside the headline, also in
    /// `paragraphs` (usually first).
    pub standfirst: Option<String>,
    /// The social headline (`og:title`, else `twitter:title`) as written,
    /// which may differ from the displayed one in `title`.
    pub og_title: Option<String>,
    /// The JSON-LD article's `headline`, which may differ from `title`.
    pub ld_headline: Option<String>,
    /// When the page says it was last updated (JSON-LD `dateModified`,
    /// `article:modified_time`…): metadata, never part of the text.
    pub modified: Option<DateTime<FixedOffset>>,
    /// The page is a live blog (JSON-LD `LiveBlogPosting` or
    /// `liveBlogUpdate`): expect it to change all day.
    pub live: bool,
    /// The page stands in for the article (a consent wall, a bot
    /// challenge, a paywall teaser, a login wall): its text is not a
    /// version of the article.
    pub blocked: Option<Blocked>,
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
    rules: Option<CompiledRules>,
}

/// Less body text than this (bytes) and detection reruns without
/// stripping elements with unlikely names.
const RETRY_BELOW_BYTES: usize = 500;

/// The least JSON-LD `articleBody` (bytes) worth falling back to.
const JSON_LD_FALLBACK_MIN: usize = 500;

/// [`SiteRules`] with their selectors parsed.
#[derive(Debug, Clone)]
struct CompiledRules {
    body: Option<Selector>,
    remove: Vec<Selector>,
}

impl Extractor {
    /// The generic extractor.
    pub fn new() -> Self {
        Self::default()
    }

    /// An extractor that applies `rules` first. Fails if a selector is invalid.
    pub fn with_rules(rules: &SiteRules) -> Result<Self, RuleError> {
        let compile = |selector: &str| {
            Selector::parse(selector).map_err(|e| RuleError::InvalidSelector {
                selector: selector.to_string(),
                reason: e.0,
            })
        };
        let body = rules.body.as_deref().map(compile).transpose()?;
        let remove = rules
            .remove
            .iter()
            .map(|s| compile(s))
            .collect::<Result<_, _>>()?;
        Ok(Self {
            rules: Some(CompiledRules { body, remove }),
        })
    }

    /// Extracts the article from a decoded HTML page. Never panics, whatever
    /// the input.
    pub fn extract(&self, html: &str) -> Article {
        let mut doc = parse::parse(html);
        let meta = metadata::extract(&doc);
        if let Some(rules) = &self.rules {
            remove_matching(&mut doc, &rules.remove);
        }
        let stats = body::Stats::compute(&doc, true);
        let ruled_body: Vec<NodeId> = match self.rules.as_ref().and_then(|r| r.body.as_ref()) {
            Some(selector) => outermost_matches(&doc, selector),
            None => Vec::new(),
        };
        let ruled_body_empty = ruled_body.is_empty();
        let (blocks, body_start) = if ruled_body_empty {
            let (blocks, start) = body_blocks(&doc, &stats);
            if text_len(&blocks) >= RETRY_BELOW_BYTES {
                (blocks, start)
            } else {
                // Too little: perhaps the article sits in an element with an
                // unlikely name; try again without stripping those.
                let relaxed = body::Stats::compute(&doc, false);
                let (retry, retry_start) = body_blocks(&doc, &relaxed);
                if text_len(&retry) > text_len(&blocks) {
                    (retry, retry_start)
                } else {
                    (blocks, start)
                }
            }
        } else {
            let mut blocks = Vec::new();
            let start = ruled_body[0];
            for node in ruled_body {
                blocks.extend(text::blocks(&doc, node, |id| !stats.excluded[id as usize]));
            }
            (blocks, start)
        };
        let titles: Vec<&str> = meta
            .title
            .iter()
            .chain(meta.h1.iter())
            .chain(meta.og_title.iter())
            .chain(meta.ld_headline.iter())
            .map(String::as_str)
            .collect();
        let standfirst = standfirst::find(&doc, &stats, body_start, &meta.descriptions, &titles);
        let mut paragraphs = cleanup::clean(
            blocks,
            &cleanup::Context {
                titles: titles.clone(),
            },
        );
        // The standfirst opens the text, whether the template put it in
        // the article container (then it is already there) or beside the
        // headline. One the article repeats further down as a paragraph
        // of its own stays there: a copy first would print it twice.
        if let Some(dek) = &standfirst {
            let k = cleanup::key(dek);
            match paragraphs.iter().position(|p| cleanup::key(p) == k) {
                Some(i) if i < 3 => {
                    let p = paragraphs.remove(i);
                    paragraphs.insert(0, p);
                }
                Some(_) => {}
                None => paragraphs.insert(0, dek.clone()),
            }
        }
        // Pages that render their text with scripts often carry it only in
        // JSON-LD: fall back to it when the page itself has a fraction.
        if paragraphs.is_empty() && ruled_body_empty {
            // Nothing at all: the page may hold its article where no
            // reader would look (a hidden element a script reveals, an
            // <aside>). Better that text than none.
            let lenient = body::Stats::compute_lenient(&doc);
            let (blocks, _) = body_blocks(&doc, &lenient);
            paragraphs = cleanup::clean(
                blocks,
                &cleanup::Context {
                    titles: titles.clone(),
                },
            );
        }
        let found: usize = paragraphs.iter().map(String::len).sum();
        let declared: usize = meta.article_body.iter().map(String::len).sum();
        if declared >= JSON_LD_FALLBACK_MIN && found * 4 < declared {
            paragraphs = meta.article_body;
        }
        let text_bytes = paragraphs.iter().map(String::len).sum();
        let blocked = blocked::detect(html, &doc, text_bytes);
        Article {
            title: meta.title,
            byline: meta.byline,
            published: meta.published,
            canonical_url: meta.canonical_url,
            paragraphs,
            standfirst,
            og_title: meta.og_title,
            ld_headline: meta.ld_headline,
            modified: meta.modified,
            live: meta.live,
            blocked,
        }
    }
}

/// The text blocks of the generically detected body, without the
/// boilerplate elements inside it.
fn body_blocks(doc: &dom::Document<'_>, stats: &body::Stats) -> (Vec<text::Block>, NodeId) {
    let mut blocks = Vec::new();
    let nodes = body::find_body(doc, stats);
    let start = nodes.first().copied().unwrap_or(dom::NONE);
    for node in nodes {
        let container_chars = stats.text_chars[node as usize];
        let keep = |id: NodeId| {
            let i = id as usize;
            // A boilerplate name on most of the body is a misleading name.
            let boilerplate =
                stats.hints[i].boilerplate && stats.text_chars[i] * 2 < container_chars;
            !stats.excluded[i] && !boilerplate
        };
        blocks.extend(text::blocks(doc, node, keep));
    }
    (blocks, start)
}

fn text_len(blocks: &[text::Block]) -> usize {
    blocks.iter().map(|b| b.text.len()).sum()
}

/// A report of how the generic body detection judged `html` (candidates,
/// scores, the chosen element): a development aid, not a stable format.
#[doc(hidden)]
pub fn explain(html: &str, strip_unlikely: bool) -> String {
    let doc = parse::parse(html);
    let stats = body::Stats::compute(&doc, strip_unlikely);
    let mut report = String::new();
    for id in 1..doc.nodes.len() as NodeId {
        let parent = doc.node(id).parent;
        if stats.excluded[id as usize]
            && parent != dom::NONE
            && !stats.excluded[parent as usize]
            && doc.tag(id).is_some()
        {
            let chars = doc.text_content(id).len();
            if chars > 500
                && !matches!(
                    doc.tag(id),
                    Some(dom::Tag::Script | dom::Tag::Style | dom::Tag::Head)
                )
            {
                report.push_str(&format!(
                    "excluded {chars} bytes: {}\n",
                    body::describe(&doc, id)
                ));
            }
        }
    }
    let chosen = body::find_body_explained(&doc, &stats, Some(&mut report));
    for id in chosen {
        report.push_str(&format!("selected {}\n", body::describe(&doc, id)));
    }
    report
}

/// Detaches every element matching one of `selectors`.
fn remove_matching(doc: &mut dom::Document<'_>, selectors: &[Selector]) {
    if selectors.is_empty() {
        return;
    }
    let doomed: Vec<NodeId> = doc
        .descendants(dom::ROOT)
        .filter(|&id| selectors.iter().any(|s| s.matches(doc, id)))
        .collect();
    for id in doomed {
        doc.detach(id);
    }
}

/// Elements matching `selector` that are not inside another match.
fn outermost_matches(doc: &dom::Document<'_>, selector: &Selector) -> Vec<NodeId> {
    let mut out = Vec::new();
    let mut id = doc.node(dom::ROOT).first_child;
    while id != dom::NONE {
        if selector.matches(doc, id) {
            out.push(id);
            id = doc.next_skipping_children(id, dom::ROOT);
        } else {
            id = doc.next_in(id, dom::ROOT);
        }
    }
    out
}

/// The `href` of every `<a>` element, in document order, as written
/// (character references decoded, surrounding whitespace trimmed).
pub fn links(html: &str) -> Vec<String> {
    let doc = parse::parse(html);
    doc.descendants(dom::ROOT)
        .filter(|&id| doc.tag(id) == Some(dom::Tag::A))
        .filter_map(|id| {
            doc.attrs(id)
                .iter()
                .find(|a| a.name.eq_ignore_ascii_case("href"))
                .map(|a| a.value().trim().to_string())
        })
        .collect()
}

/// Decodes a page's bytes to text: the charset comes from a byte-order mark,
/// else the Content-Type header, else a `<meta>` in the first 1024 bytes,
/// else detection. Invalid sequences become U+FFFD; never fails.
pub fn decode_html(bytes: &[u8], content_type: Option<&str>) -> String {
    charset::decode_html(bytes, content_type)
}
