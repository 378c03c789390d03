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

const MAYBE_CANDIDATE: &[&str] = &[
    "and", "article", "body", "column", "content", "main", "shadow",
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
];

const HIDDEN: &[&str] = &[
    "sr-only",
    "visually-hidden",
    "visuallyhidden",
    "screen-reader",
    "screenreader",
    "hidden",
];

/// Computes the hints for element `id` from its class and id attributes.
pub fn class_hints(doc: &Document<'_>, id: NodeId) -> ClassHints {
    let class = doc.attr(id, "class").unwrap_or("");
    let ident = doc.attr(id, "id").unwrap_or("");
    if class.is_empty() && ident.is_empty() {
        return ClassHints::default();
    }
    let mut names = String::with_capacity(class.len() + ident.len() + 1);
    names.push_str(class);
    names.push(' ');
    names.push_str(ident);
    names.make_ascii_lowercase();
    let has = |list: &[&str]| list.iter().any(|w| names.contains(w));

    let mut weight = 0.0;
    let negative = has(NEGATIVE);
    let positive = has(POSITIVE);
    if negative {
        weight -= 25.0;
    }
    if positive {
        weight += 25.0;
    }
    let tag = doc.tag(id).unwrap_or(Tag::Other);
    let structural = matches!(
        tag,
        Tag::Body | Tag::Html | Tag::Article | Tag::Main | Tag::A
    );
    let unlikely = !structural && has(UNLIKELY) && !has(MAYBE_CANDIDATE);
    let hidden = names.split_ascii_whitespace().any(|n| HIDDEN.contains(&n));
    ClassHints {
        weight,
        unlikely,
        hidden,
        boilerplate: !matches!(tag, Tag::Body | Tag::Html | Tag::Article | Tag::Main)
            && has(BOILERPLATE)
            && !has(&[
                "article-body",
                "articlebody",
                "story-body",
                "entry-content",
                "post-content",
            ]),
    }
}
