//! What an element's class and id names suggest: article content
//! ("article", "content", "story"), boilerplate ("comment", "share",
//! "related", "sidebar"), or elements that are never content at all
//! ("cookie", "newsletter", "breadcrumbs"). Generic vocabulary only.

use crate::dom::{Document, NodeId, Tag};

/// The verdict on one element's class and id.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ClassHints {
    /// Score adjustment: positive names +25, negative names -25.
    pub weight: f32,
    /// Names that mark non-content so reliably the element is dropped
    /// before scoring (unless it also has a content-like name).
    pub unlikely: bool,
    /// Names that mark content hidden from readers (visually-hidden etc.).
    pub hidden: bool,
    /// Names that mark boilerplate inside an article (share bars, related
    /// links, author boxes), dropped from the text of the body.
    pub boilerplate: bool,
    /// Names of reader comment sections ("comments", "disqus", "replies"):
    /// stripped however much text they hold.
    pub comments: bool,
}

const UNLIKELY: &[&str] = &[
    "-ad-",
    "ai2html",
    "banner",
    "breadcrumb",
    "combx",
    "comment",
    "community",
    "cover-wrap",
    "disqus",
    "extra",
    "footer",
    "gdpr",
    "header",
    "legends",
    "menu",
    "related",
    "remark",
    "replies",
    "rss",
    "shoutbox",
    "sidebar",
    "skyscraper",
    "social",
    "sponsor",
    "supplemental",
    "ad-break",
    "agegate",
    "pagination",
    "pager",
    "popup",
    "yom-remote",
    "cookie",
    "newsletter",
    "subscribe",
    "paywall",
    "modal",
    "masthead",
    "share",
    "sharing",
    "promo",
    "outbrain",
    "taboola",
    "recirc",
    "most-popular",
    "mostpopular",
    "trending",
    "toolbar",
    "byline",
];

/// Names that keep an element with an unlikely name: content containers.
/// An accordion's panes are the article's text the reader opens (see
/// `body::is_hidden`), and its modifier classes name their parts
/// ("kt-pane-header-alignment-left": the panes' headers align left).
const MAYBE_CANDIDATE: &[&str] = &[
    "and",
    "article",
    "body",
    "column",
    "content",
    "main",
    "shadow",
    "accordion",
];

const POSITIVE: &[&str] = &[
    "article",
    "body",
    "content",
    "entry",
    "hentry",
    "h-entry",
    "main",
    "page",
    "pagination",
    "post",
    "text",
    "blog",
    "story",
];

const NEGATIVE: &[&str] = &[
    "-ad-",
    "hidden",
    "banner",
    "combx",
    "comment",
    "com-",
    "contact",
    "footer",
    "gdpr",
    "masthead",
    "media",
    "meta",
    "outbrain",
    "promo",
    "related",
    "scroll",
    "share",
    "shoutbox",
    "sidebar",
    "skyscraper",
    "sponsor",
    "shopping",
    "tags",
    "widget",
    "caption",
    "credit",
];

/// Boilerplate inside an article: dropped from the body's text.
const BOILERPLATE: &[&str] = &[
    "author-box",
    "authorbox",
    "about-author",
    "post-author",
    "author-info",
    "author-profile",
    "author-card",
    "caption",
    "credit",
    "gallery",
    "slideshow",
    "share",
    "sharing",
    "social",
    "related",
    "comment",
    "newsletter",
    "promo",
    "sponsor",
    "subscribe",
    // Appeals for money between the article and its end.
    "donate",
    "donation",
    // Legal small print after the text (investment, affiliate and
    // opinion disclaimers, copyright lines), bylines repeated inside the
    // article (the byline is metadata), and the author box WordPress's
    // most used author-box plugin writes (`saboxplugin-wrap`); a
    // contributor's box (`blog__contributorwrapper`, `contributor-bio`)
    // is one too, and so are the customer testimonials a business's blog
    // sets around its articles (`testimonials-wrapper`,
    // `wpmtst-testimonial`, the Strong Testimonials plugin).
    "disclaimer",
    "disclosure",
    "copyright",
    "byline",
    "saboxplugin",
    "testimonial",
    "contributor",
    "recommend",
    "popular",
    "trending",
    "outbrain",
    "taboola",
    "advert",
    "-ad-",
    "ad-container",
    "ad-slot",
    "adslot",
    "ad-wrapper",
    "author-bio",
    "authorbio",
    "breadcrumb",
    "signup",
    "sign-up",
    "read-more",
    "readmore",
    "more-stories",
    "morestories",
    "recirc",
    "inline-ad",
    "tags",
    "print-only",
    "toolbar",
    // Embedded social posts: the embed codes' own names.
    "twitter-tweet",
    "twitter-timeline",
    "twitter-embed",
    "tweet-embed",
    "embed-tweet",
    "embedded-tweet",
    "instagram-media",
    "tiktok-embed",
    "bluesky-embed",
    "threads-embed",
    "mastodon-embed",
    "reddit-embed",
    "fb-post",
    "fb-video",
    "social-embed",
    "embed-social",
    "social-media-embed",
    "live-tweets",
    "print-edition",
];

/// Boxes set apart from the text — live and news tickers, pull quotes —
/// dropped from the body's text like [`BOILERPLATE`], but only as boxes
/// (see [`is_box`]) and only as the start of a word: a
/// `<td class="ticker">` in a table of share prices, an inline
/// `<span class="pullquote">` marking the sentence to lift out are part of
/// the text, and "sticker" is not a ticker. ("breaking-news" is not here:
/// sites name the whole template of a breaking-news story so.)
const BOXES: &[&str] = &["ticker", "pullquote", "pull-quote", "pull_quote"];

const HIDDEN: &[&str] = &[
    "sr-only",
    "visually-hidden",
    "visuallyhidden",
    "screen-reader",
    "screenreader",
    "hidden",
];

const UNLIKELY_BIT: u8 = 1;
const MAYBE_CANDIDATE_BIT: u8 = 2;
const POSITIVE_BIT: u8 = 4;
const NEGATIVE_BIT: u8 = 8;
const BOILERPLATE_BIT: u8 = 16;
const BODY_NAME_BIT: u8 = 32;
const COMMENTS_BIT: u8 = 64;
const BOX_BIT: u8 = 128;

/// Names of reader comment sections.
const COMMENTS: &[&str] = &["comment", "disqus", "replies", "respond", "reactions"];

/// Names that mark the article body itself, whatever else they contain.
const BODY_NAMES: &[&str] = &[
    "article-body",
    "articlebody",
    "story-body",
    "entry-content",
    "post-content",
];

/// One automaton for all the vocabularies: each pattern carries the set
/// of lists it belongs to. Matching every element's names against ~150
/// substrings one by one was a quarter of the extraction time.
struct Vocabulary {
    automaton: aho_corasick::AhoCorasick,
    categories: Vec<u8>,
}

fn vocabulary() -> &'static Vocabulary {
    static VOCABULARY: std::sync::OnceLock<Vocabulary> = std::sync::OnceLock::new();
    VOCABULARY.get_or_init(|| {
        let mut patterns: Vec<&str> = Vec::new();
        let mut categories: Vec<u8> = Vec::new();
        for (list, bit) in [
            (UNLIKELY, UNLIKELY_BIT),
            (MAYBE_CANDIDATE, MAYBE_CANDIDATE_BIT),
            (POSITIVE, POSITIVE_BIT),
            (NEGATIVE, NEGATIVE_BIT),
            (BOILERPLATE, BOILERPLATE_BIT),
            (BODY_NAMES, BODY_NAME_BIT),
            (COMMENTS, COMMENTS_BIT),
            (BOXES, BOX_BIT),
        ] {
            for &word in list {
                match patterns.iter().position(|&p| p == word) {
                    Some(i) => categories[i] |= bit,
                    None => {
                        patterns.push(word);
                        categories.push(bit);
                    }
                }
            }
        }
        let automaton = aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(&patterns)
            .expect("the vocabulary is a valid pattern set");
        Vocabulary {
            automaton,
            categories,
        }
    })
}

/// Computes the hints for element `id` from its class and id attributes.
pub fn class_hints(doc: &Document<'_>, id: NodeId) -> ClassHints {
    let tag = doc.tag(id).unwrap_or(Tag::Other);
    let class = doc.attr(id, "class").unwrap_or("");
    // A heading's id is the anchor a table of contents links to, made
    // from its own words ("what-is-social-media-marketing",
    // "h-sponsorship-deals"): it names the subject, not the element.
    let ident = if tag.is_heading() {
        ""
    } else {
        doc.attr(id, "id").unwrap_or("")
    };
    if class.is_empty() && ident.is_empty() {
        return ClassHints::default();
    }
    let vocabulary = vocabulary();
    let mut found = 0u8;
    for name in [class, ident] {
        for m in vocabulary.automaton.find_overlapping_iter(name) {
            let mut categories = vocabulary.categories[m.pattern().as_usize()];
            if categories & BOX_BIT != 0 && !starts_word(name, m.start()) {
                categories &= !BOX_BIT;
            }
            if is_utility_hidden(name, m.start(), m.end()) {
                categories &= !NEGATIVE_BIT;
            }
            found |= categories;
        }
    }
    let has = |bit: u8| found & bit != 0;
    let mut weight = 0.0;
    if has(NEGATIVE_BIT) {
        weight -= 25.0;
    }
    if has(POSITIVE_BIT) {
        weight += 25.0;
    }
    let structural = matches!(tag, Tag::Body | Tag::Html | Tag::Article | Tag::Main);
    let unlikely =
        !structural && names_a_region(tag) && has(UNLIKELY_BIT) && !has(MAYBE_CANDIDATE_BIT);
    let hidden = class
        .split_ascii_whitespace()
        .chain(ident.split_ascii_whitespace())
        .any(|n| HIDDEN.iter().any(|h| n.eq_ignore_ascii_case(h)));
    ClassHints {
        weight,
        unlikely,
        hidden,
        boilerplate: !structural
            && (has(BOILERPLATE_BIT) || (has(BOX_BIT) && is_box(tag)))
            && !has(BODY_NAME_BIT),
        comments: !structural
            && has(COMMENTS_BIT)
            && !has(BODY_NAME_BIT)
            && !has(MAYBE_CANDIDATE_BIT),
    }
}

/// "hidden" in a utility or modifier class that hides something else or
/// hides only at some screen widths: `overflow-hidden` (clips overflow),
/// `md:hidden`, `print:hidden` (a breakpoint or medium), Drupal's
/// `field--label-hidden` (the field's label).
fn is_utility_hidden(name: &str, start: usize, end: usize) -> bool {
    if !name[start..end].eq_ignore_ascii_case("hidden") {
        return false;
    }
    let before = &name.as_bytes()[..start];
    let ends_with = |suffix: &str| {
        before.len() >= suffix.len()
            && before[before.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
    };
    ends_with(":")
        || ["overflow-", "overflow-x-", "overflow-y-", "label-"]
            .iter()
            .any(|p| ends_with(p))
}

/// Whether a name match at byte `start` of `name` begins a word: at the
/// start, after a separator, or as a capital in camelCase ("newsTicker").
fn starts_word(name: &str, start: usize) -> bool {
    let bytes = name.as_bytes();
    start == 0 || !bytes[start - 1].is_ascii_alphanumeric() || bytes[start].is_ascii_uppercase()
}

/// Elements that an "unlikely" name can mark as a region of the page
/// (a header, menu, sidebar): not headings or table parts, whose names
/// say what they are inside the text (`h2.header-anchor-post`,
/// `tr.table__headerRow`).
fn names_a_region(tag: Tag) -> bool {
    !(tag.is_heading()
        || tag == Tag::A
        || matches!(
            tag,
            Tag::Tr | Tag::Td | Tag::Th | Tag::Thead | Tag::Tbody | Tag::Tfoot | Tag::Caption
        ))
}

/// Elements that make a box beside the text: not table cells, list items,
/// paragraphs or inline elements.
fn is_box(tag: Tag) -> bool {
    matches!(
        tag,
        Tag::Div | Tag::Section | Tag::Aside | Tag::Ul | Tag::Ol | Tag::Blockquote | Tag::Figure
    )
}

#[cfg(test)]
mod tests {
    use super::is_utility_hidden;

    #[test]
    fn utility_classes_do_not_say_hidden_content() {
        let at = |name: &str| {
            let start = name.to_ascii_lowercase().find("hidden").expect("hidden");
            is_utility_hidden(name, start, start + 6)
        };
        assert!(at("overflow-hidden"));
        assert!(at("tw-overflow-x-hidden"));
        assert!(at("md:hidden"));
        assert!(at("field--label-hidden"));
        assert!(!at("is-hidden"));
        assert!(!at("gfield_visibility_hidden"));
        assert!(!at("hidden-content"));
    }
}
