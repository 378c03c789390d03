//! The standfirst (dek): the sentence or two under the headline that sums
//! the article up. Templates put it inside the article container or in the
//! header beside the headline, where body detection does not look; found
//! the same way in every template, it is the first paragraph of the text
//! either way, so a redesign that moves it is not a change.
//!
//! Signals, all generic: a class or id naming it (`standfirst`, `dek`,
//! `subtitle`, `strapline`, `summary`, `excerpt`, `lede`, `intro`…),
//! `itemprop=description|alternativeHeadline|abstract`, or text equal to
//! the page's own `description` meta tag; always after the headline
//! (`<h1>`) and before the body, outside navigation and hidden elements,
//! 20–600 characters with few links.

use crate::body::{Stats, is_hidden, is_never_content_tag};
use crate::cleanup::key;
use crate::dom::{Document, NONE, NodeId, ROOT, Tag};

/// Longest standfirst (characters).
const MAX_CHARS: usize = 600;
/// Shortest standfirst (characters).
const MIN_CHARS: usize = 20;

/// Name parts (class/id split at `-`, `_` and spaces) that name a
/// standfirst on their own.
const PARTS: &[&str] = &[
    "dek",
    "deck",
    "lede",
    "intro",
    "summary",
    "subhead",
    "abstract",
    "standfirst",
    "strapline",
    "subtitle",
    "subheadline",
    "excerpt",
    "description",
];

/// Elements looked at after the headline.
const MAX_SCANNED: usize = 300;

/// Substrings of a class or id (camelCase names) that name a standfirst.
const SUBSTRINGS: &[&str] = &[
    "standfirst",
    "strapline",
    "subtitle",
    "subheadline",
    "sub-headline",
    "sub_headline",
    "sub-title",
    "articlesummary",
    "articleintro",
];

/// The standfirst of the article whose body starts at element
/// `body_start`: looked for after the last `<h1>` before the body (or the
/// first one in it), up to the article's first long paragraph.
pub fn find(
    doc: &Document<'_>,
    stats: &Stats,
    body_start: NodeId,
    descriptions: &[String],
    titles: &[&str],
) -> Option<String> {
    let n = doc.nodes.len() as NodeId;
    if body_start == NONE || body_start >= n {
        return None;
    }
    // The headline: the last <h1> before the body, else the first in it.
    let h1 = (1..body_start)
        .rev()
        .find(|&id| doc.tag(id) == Some(Tag::H1))
        .or_else(|| {
            doc.descendants(body_start)
                .take(MAX_SCANNED)
                .find(|&id| doc.tag(id) == Some(Tag::H1))
        })?;
    let description_keys: Vec<String> = descriptions
        .iter()
        .map(|d| key(d))
        .filter(|k| k.chars().count() >= MIN_CHARS)
        .collect();
    let title_keys: Vec<String> = titles.iter().map(|t| key(t)).collect();
    let mut id = doc.next_skipping_children(h1, ROOT);
    let mut scanned = 0;
    while id != NONE && scanned < MAX_SCANNED {
        scanned += 1;
        let Some(tag) = doc.tag(id) else {
            id = doc.next_in(id, ROOT);
            continue;
        };
        if is_never_content_tag(tag) || is_hidden(doc, id) {
            id = doc.next_skipping_children(id, ROOT);
            continue;
        }
        let candidate_tag = matches!(
            tag,
            Tag::P
                | Tag::Div
                | Tag::H2
                | Tag::H3
                | Tag::H4
                | Tag::Span
                | Tag::Section
                | Tag::Header
        );
        // An element holding the body is not before it.
        // (Elements with much more text than a standfirst are not read.)
        let small = stats.text_chars[id as usize] as usize <= MAX_CHARS * 2;
        if candidate_tag && small && (id == body_start || !contains(doc, id, body_start)) {
            let named = names_standfirst(doc, id);
            let text = doc.text_content(id);
            let chars = text.chars().count();
            if (MIN_CHARS..=MAX_CHARS).contains(&chars) && !in_excluded(doc, id) {
                let k = key(&text);
                let described = description_keys.contains(&k);
                if (named || described)
                    && !title_keys.contains(&k)
                    && reads_like_prose(doc, id, &text)
                    && link_share(doc, id) < 0.3
                {
                    // Its first paragraph, as the body's text would give
                    // it (a date line or label in the same element is not
                    // part of it).
                    let blocks = crate::text::blocks(doc, id, |n| {
                        !doc.tag(n).is_some_and(is_never_content_tag) && !is_hidden(doc, n)
                    });
                    let context = crate::cleanup::Context {
                        titles: titles.to_vec(),
                    };
                    return crate::cleanup::clean(blocks, &context)
                        .into_iter()
                        .next()
                        .filter(|p| p.chars().count() >= MIN_CHARS);
                }
            }
        }
        // The article's text has begun: a standfirst comes before it.
        if tag == Tag::P && stats.text_chars[id as usize] > 150 && !in_excluded(doc, id) {
            return None;
        }
        id = doc.next_in(id, ROOT);
    }
    None
}

/// A sentence, not a byline or date line: six words or more (or a
/// script written without spaces), no `<time>` inside, not opening with
/// "By", no date in it.
fn reads_like_prose(doc: &Document<'_>, id: NodeId, text: &str) -> bool {
    let words = text.split_whitespace().count();
    let wide = text.chars().filter(|c| (*c as u32) >= 0x2E80).count();
    let lower = text.to_lowercase();
    (words >= 6 || wide >= 15)
        && !lower.starts_with("by ")
        && !crate::cleanup::is_dateline(text)
        && !crate::cleanup::has_date(&lower)
        && !doc.descendants(id).any(|d| doc.tag(d) == Some(Tag::Time))
}

fn contains(doc: &Document<'_>, ancestor: NodeId, mut id: NodeId) -> bool {
    while id != NONE {
        if id == ancestor {
            return true;
        }
        id = doc.node(id).parent;
    }
    false
}

/// Inside navigation, a figure, a dialog or a hidden element.
fn in_excluded(doc: &Document<'_>, mut id: NodeId) -> bool {
    while id != NONE && id != ROOT {
        if doc.tag(id).is_some_and(is_never_content_tag) || is_hidden(doc, id) {
            return true;
        }
        id = doc.node(id).parent;
    }
    false
}

fn names_standfirst(doc: &Document<'_>, id: NodeId) -> bool {
    if doc.attr(id, "itemprop").is_some_and(|p| {
        p.split_ascii_whitespace().any(|p| {
            ["description", "alternativeheadline", "abstract"]
                .iter()
                .any(|w| p.eq_ignore_ascii_case(w))
        })
    }) {
        return true;
    }
    [doc.attr(id, "class"), doc.attr(id, "id")]
        .into_iter()
        .flatten()
        .any(|names| {
            let lower = names.to_ascii_lowercase();
            SUBSTRINGS.iter().any(|s| lower.contains(s))
                || lower
                    .split(|c: char| c == '-' || c == '_' || c.is_ascii_whitespace())
                    .any(|part| PARTS.contains(&part))
        })
}

/// Share of the element's text inside links.
fn link_share(doc: &Document<'_>, id: NodeId) -> f32 {
    let all = doc.text_content(id).chars().count().max(1);
    let linked: usize = doc
        .descendants(id)
        .filter(|&a| doc.tag(a) == Some(Tag::A))
        .map(|a| doc.text_content(a).chars().count())
        .sum();
    linked as f32 / all as f32
}
