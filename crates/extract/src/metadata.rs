//! Article metadata: title, byline, publication time and canonical URL,
//! from JSON-LD (including `@graph` and arrays), OpenGraph and other meta
//! tags, `<time>` elements and the page itself; plus the JSON-LD
//! `articleBody`, which the body extractor uses as a hint.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};
use serde_json::Value;

use crate::dom::{Document, NodeData, NodeId, ROOT, Tag};

/// What the page says about itself.
#[derive(Debug, Default, Clone)]
pub struct Metadata {
    pub title: Option<String>,
    pub byline: Option<String>,
    pub published: Option<DateTime<FixedOffset>>,
    pub canonical_url: Option<String>,
    /// JSON-LD `articleBody` as paragraphs (split at line breaks,
    /// whitespace collapsed). Often truncated or stale: only a fallback.
    pub article_body: Vec<String>,
    /// The text of the page's first `<h1>`.
    pub h1: Option<String>,
    /// The social headline, `og:title` (else `twitter:title`).
    pub og_title: Option<String>,
    /// The JSON-LD article's `headline`.
    pub ld_headline: Option<String>,
    /// When the page says it was last updated: JSON-LD `dateModified`,
    /// `article:modified_time` and the like.
    pub modified: Option<DateTime<FixedOffset>>,
    /// A live blog: JSON-LD `LiveBlogPosting` or `liveBlogUpdate`.
    pub live: bool,
    /// The page's summary: `og:description`, `description`,
    /// `twitter:description` (often the standfirst, word for word).
    pub descriptions: Vec<String>,
}

/// The article-like JSON-LD object's fields we use.
#[derive(Default)]
struct LinkedData {
    headline: Option<String>,
    authors: Vec<String>,
    published: Option<DateTime<FixedOffset>>,
    article_body: Vec<String>,
    url: Option<String>,
    modified: Option<DateTime<FixedOffset>>,
    live: bool,
    /// Names of `WebSite`/`Organization` objects and of the article's
    /// `publisher`: what a site's name looks like.
    site_names: Vec<String>,
}

/// Collects the metadata of a parsed page.
pub fn extract(doc: &Document<'_>) -> Metadata {
    let mut meta: Vec<(String, String)> = Vec::new();
    let mut canonical = None;
    let mut title_tag = None;
    let mut h1s: Vec<String> = Vec::new();
    // Templates that give the site or section banner the <h1> set the
    // headline in an <h2>; it counts only where the metadata agrees.
    let mut h2s: Vec<String> = Vec::new();
    let mut ld = LinkedData::default();
    let mut time_published = None;
    let mut first_time = None;
    let mut visible_date = None;
    let mut author_link = None;
    // A link to the author's page (".../author/jane-doe/"), the byline of
    // templates that mark it no other way.
    let mut author_page_link = None;
    let mut byline_element: Option<String> = None;
    for id in doc.descendants(ROOT) {
        let Some(tag) = doc.tag(id) else { continue };
        match tag {
            Tag::Meta => {
                let key = doc
                    .attr(id, "property")
                    .or_else(|| doc.attr(id, "name"))
                    .or_else(|| doc.attr(id, "itemprop"))
                    .or_else(|| doc.attr(id, "http-equiv"));
                // `value` in place of `content` is a common slip (and what
                // some page savers write): read it when `content` is absent.
                let attrs = doc.attrs(id);
                let content = attrs
                    .iter()
                    .find(|a| a.name.eq_ignore_ascii_case("content"))
                    .or_else(|| attrs.iter().find(|a| a.name.eq_ignore_ascii_case("value")));
                if let (Some(key), Some(content)) = (key, content) {
                    let value = collapse(&content.value());
                    if !value.is_empty() {
                        meta.push((key.trim().to_ascii_lowercase(), value));
                    }
                }
            }
            Tag::Link => {
                let rel = doc.attr(id, "rel").unwrap_or("");
                if canonical.is_none()
                    && rel
                        .split_ascii_whitespace()
                        .any(|r| r.eq_ignore_ascii_case("canonical"))
                    && let Some(href) = doc
                        .attrs(id)
                        .iter()
                        .find(|a| a.name.eq_ignore_ascii_case("href"))
                {
                    let href = href.value().trim().to_string();
                    if !href.is_empty() {
                        canonical = Some(href);
                    }
                }
            }
            Tag::Title if title_tag.is_none() && !in_svg(doc, id) => {
                // <title> is escapable raw text: its references count.
                title_tag = Some(collapse(&crate::entities::decode_entities(
                    &doc.text_content(id),
                )));
            }
            Tag::H1 if h1s.len() < 5 && !in_page_furniture(doc, id) => {
                let text = doc.text_content(id);
                if !text.is_empty() {
                    h1s.push(text);
                }
            }
            Tag::H2 if h2s.len() < 10 && !in_page_furniture(doc, id) => {
                let text = doc.text_content(id);
                if !text.is_empty() {
                    h2s.push(text);
                }
            }
            Tag::Script => {
                let is_ld = doc
                    .attr(id, "type")
                    .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"));
                if is_ld {
                    let json: String = doc
                        .children(id)
                        .filter_map(|c| match doc.node(c).data {
                            NodeData::Text { text, .. } => Some(text),
                            _ => None,
                        })
                        .collect();
                    read_linked_data(&json, &mut ld);
                }
            }
            Tag::Time => {
                let datetime = doc.attr(id, "datetime").and_then(parse_date);
                let marked = doc.attr(id, "pubdate").is_some()
                    || doc
                        .attr(id, "itemprop")
                        .is_some_and(|p| p.eq_ignore_ascii_case("datePublished"));
                if let Some(dt) = datetime {
                    if marked && time_published.is_none() {
                        time_published = Some(dt);
                    }
                    if first_time.is_none() {
                        first_time = Some(dt);
                    }
                }
            }
            Tag::A
                if author_link.is_none()
                    && doc.attr(id, "rel").is_some_and(|r| {
                        r.split_ascii_whitespace()
                            .any(|r| r.eq_ignore_ascii_case("author"))
                    }) =>
            {
                let text = doc.text_content(id);
                if !text.is_empty() && text.chars().count() < 80 {
                    author_link = Some(text);
                }
            }
            Tag::A
                if author_page_link.is_none()
                    && doc.attr(id, "href").is_some_and(is_author_page)
                    && !in_page_furniture(doc, id)
                    && !in_comments(doc, id) =>
            {
                let text = doc.text_content(id);
                if looks_like_name(&text) {
                    author_page_link = Some(text);
                }
            }
            _ => {}
        }
        // A visible date: an element named like one, e.g.
        // <span class="post-date">November 18, 2019</span>.
        if visible_date.is_none()
            && doc
                .tag(id)
                .is_some_and(|t| !matches!(t, Tag::Meta | Tag::Link | Tag::Script))
        {
            let named_date = [doc.attr(id, "class"), doc.attr(id, "id")]
                .into_iter()
                .flatten()
                .any(|v| {
                    let v = v.to_ascii_lowercase();
                    (v.contains("date") || v.contains("publish") || v.contains("posted"))
                        && !v.contains("update")
                        && !v.contains("modif")
                });
            if named_date {
                let text = doc.text_content(id);
                if text.chars().count() <= 80 {
                    visible_date = parse_text_date(&text);
                }
            }
        }
        // The page's own byline: microdata author, else a "byline" element.
        if byline_element.is_none()
            && doc
                .tag(id)
                .is_some_and(|t| t != Tag::Meta && t != Tag::Link)
        {
            let itemprop_author = doc
                .attr(id, "itemprop")
                .is_some_and(|p| p.eq_ignore_ascii_case("author"));
            let byline_class = doc.attr(id, "class").is_some_and(|c| {
                c.split_ascii_whitespace()
                    .any(|c| c.to_ascii_lowercase().contains("byline"))
            });
            if (itemprop_author || byline_class) && !in_comments(doc, id) {
                let text = clean_byline(&doc.text_content(id));
                if (3..80).contains(&text.chars().count())
                    && !text.contains('@')
                    && !reads_like_sentence(&text)
                {
                    byline_element = Some(text);
                }
            }
        }
    }
    let get = |keys: &[&str]| -> Option<String> {
        keys.iter().find_map(|k| {
            meta.iter()
                .find(|(name, _)| name == k)
                .map(|(_, v)| v.clone())
        })
    };

    let meta_title = ld.headline.clone().or_else(|| {
        get(&[
            "og:title",
            "twitter:title",
            "title",
            "headline",
            "sailthru.title",
            "parsely-title",
            "dc.title",
        ])
    });
    let mut site_names = ld.site_names.clone();
    site_names.extend(get(&[
        "og:site_name",
        "application-name",
        "apple-mobile-web-app-title",
    ]));
    let title = choose_title(meta_title, title_tag, &h1s, &h2s, &site_names).map(|t| {
        // Titles escaped twice ("P&amp;amp;C", "&amp;#8230;") still hold a
        // reference after one decoding.
        if t.contains("&#") || t.contains("&amp;") || t.contains("&quot;") {
            collapse(&crate::entities::decode_entities(&t))
        } else {
            t
        }
    });
    let h1 = h1s.into_iter().next();
    let og_title = get(&["og:title", "twitter:title"]);
    let modified = ld.modified.or_else(|| {
        [
            "article:modified_time",
            "og:updated_time",
            "article:modified",
            "datemodified",
            "last-modified",
            "dc.date.modified",
            "dcterms.modified",
        ]
        .iter()
        .find_map(|k| {
            meta.iter()
                .filter(|(name, _)| name == k)
                .find_map(|(_, v)| parse_date(v))
        })
    });

    let byline = if !ld.authors.is_empty() {
        Some(join_names(&ld.authors))
    } else {
        get(&[
            "author",
            "byl",
            "dc.creator",
            "parsely-author",
            "sailthru.author",
            "article:author",
            "twitter:creator",
        ])
        .filter(|a| !a.starts_with("http") && !a.starts_with('@'))
        .or(author_link)
        .or(byline_element)
        .or(author_page_link)
        .map(|a| strip_by(&a))
    }
    .filter(|b| !b.is_empty())
    .map(|b| uncap_byline(&b));

    let published = ld
        .published
        .or_else(|| {
            [
                "article:published_time",
                "og:published_time",
                "article:published",
                "datepublished",
                "date",
                "pubdate",
                "publishdate",
                "publish-date",
                "publish_date",
                "dc.date.issued",
                "dc.date",
                "dcterms.created",
                "sailthru.date",
                "parsely-pub-date",
                "article.published",
                "originalpublicationdate",
                "displaydate",
            ]
            .iter()
            .find_map(|k| {
                meta.iter()
                    .filter(|(name, _)| name == k)
                    .find_map(|(_, v)| parse_date(v))
            })
        })
        .or(time_published)
        .or(first_time);

    let canonical_url = canonical.or_else(|| get(&["og:url"])).or(ld.url);
    let published = published
        .or(visible_date)
        .or_else(|| canonical_url.as_deref().and_then(date_in_url));
    Metadata {
        title,
        byline,
        published,
        canonical_url,
        article_body: ld.article_body,
        h1,
        og_title,
        ld_headline: ld.headline,
        modified,
        live: ld.live,
        descriptions: ["og:description", "description", "twitter:description"]
            .iter()
            .filter_map(|k| get(&[k]))
            .collect(),
    }
}

/// Whether a heading sits in page furniture rather than the page: a
/// navigation bar, footer, sidebar, form, dialog, something hidden, or an
/// element named like a logo, pop-up or sign-up box ("Subscribe to …",
/// "Return to … website" headings).
fn in_page_furniture(doc: &Document<'_>, mut id: NodeId) -> bool {
    const NAMES: &[&str] = &[
        "modal",
        "popup",
        "pop-up",
        "newsletter",
        "subscribe",
        "cookie",
    ];
    while id != ROOT && id != crate::dom::NONE {
        if let Some(tag) = doc.tag(id) {
            if matches!(
                tag,
                Tag::Nav | Tag::Footer | Tag::Aside | Tag::Form | Tag::Dialog | Tag::Template
            ) || crate::body::is_hidden(doc, id)
            {
                return true;
            }
            let named = [doc.attr(id, "class"), doc.attr(id, "id")]
                .into_iter()
                .flatten()
                .any(|v| {
                    let v = v.to_ascii_lowercase();
                    NAMES.iter().any(|n| v.contains(n))
                });
            if named {
                return true;
            }
        }
        id = doc.node(id).parent;
    }
    false
}

fn in_svg(doc: &Document<'_>, mut id: NodeId) -> bool {
    while id != ROOT && id != crate::dom::NONE {
        if doc.tag(id) == Some(Tag::Svg) {
            return true;
        }
        id = doc.node(id).parent;
    }
    false
}

/// Whether `id` is inside a comments section (whose authors are not the
/// article's).
fn in_comments(doc: &Document<'_>, mut id: NodeId) -> bool {
    while id != ROOT && id != crate::dom::NONE {
        let named_comment = [doc.attr(id, "class"), doc.attr(id, "id")]
            .into_iter()
            .flatten()
            .any(|v| v.to_ascii_lowercase().contains("comment"));
        if named_comment {
            return true;
        }
        id = doc.node(id).parent;
    }
    false
}

/// A byline element's text without the date and labels pages put next to
/// the names ("Jane Doe Published 7:07 PM EST Nov 19, 2019", "Jane
/// DoeMonday, November 18, 2019").
fn clean_byline(text: &str) -> String {
    const STOPS: &[&str] = &[
        "Published",
        "Updated",
        "Posted",
        "Last updated",
        "|",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "January",
        "February",
        "March",
        "April",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "JANUARY",
        "FEBRUARY",
        "MARCH",
        "APRIL",
        "JUNE",
        "JULY",
        "AUGUST",
        "SEPTEMBER",
        "OCTOBER",
        "NOVEMBER",
        "DECEMBER",
    ];
    let cut = STOPS
        .iter()
        .filter_map(|stop| text.find(stop))
        .min()
        .unwrap_or(text.len());
    let name = text[..cut]
        .trim()
        .trim_end_matches([',', '-', '–', '—', '·', ' ']);
    strip_by(name)
}

/// The page's `<h1>` when the metadata agrees it is the headline (it is
/// then free of site-name suffixes; of several, the longest that agrees,
/// as the site name is often an `<h1>` too), else the longest `<h1>` that
/// reads like a headline (the displayed headline wins over a differing
/// social or JSON-LD one), else the metadata title, else the `<title>`
/// without its site suffix. Nothing that is the site's name (`og:site_name`,
/// the JSON-LD `WebSite`, `Organization` or `publisher` name) is a title.
fn choose_title(
    meta_title: Option<String>,
    title_tag: Option<String>,
    h1s: &[String],
    h2s: &[String],
    site_names: &[String],
) -> Option<String> {
    let site_keys: Vec<String> = site_names
        .iter()
        .map(|s| normalize_key(s))
        .filter(|k| !k.is_empty())
        .collect();
    let is_site = |t: &str| {
        let key = normalize_key(t);
        key.is_empty() || site_keys.contains(&key)
    };
    let meta_title = meta_title.filter(|t| !is_site(t));
    let title_tag = title_tag.filter(|t| !is_site(t));
    let metas: Vec<&str> = [&meta_title, &title_tag]
        .iter()
        .filter_map(|t| t.as_deref())
        .collect();
    let meta_keys: Vec<String> = metas.iter().map(|t| normalize_key(t)).collect();
    // "Headline | Site": each side of a separator.
    let segment_keys: Vec<String> = metas
        .iter()
        .flat_map(|t| TITLE_SEPARATORS.iter().flat_map(move |sep| t.split(sep)))
        .map(normalize_key)
        .filter(|k| !k.is_empty())
        .collect();
    let candidates = || h1s.iter().filter(|h| h.chars().count() >= 4 && !is_site(h));
    let agrees = |h: &&String| {
        let key = normalize_key(h);
        // A short section heading ("Reviews") inside a long title does
        // not agree; a whole side of a separator does.
        segment_keys.contains(&key)
            || meta_keys
                .iter()
                .any(|m| m.contains(&key) && key.chars().count() * 10 >= m.chars().count() * 4)
    };
    let agreeing = candidates()
        .filter(agrees)
        .max_by_key(|h| h.chars().count());
    if let Some(h1) = agreeing {
        return Some(h1.clone());
    }
    // No <h1> agrees: an <h2> the metadata agrees with and that reads like
    // a headline is the displayed one (the <h1> is a banner).
    let agreeing_h2 = h2s
        .iter()
        .filter(|h| !is_site(h) && looks_like_headline(h))
        .filter(agrees)
        .max_by_key(|h| h.chars().count());
    if let Some(h2) = agreeing_h2 {
        return Some(h2.clone());
    }
    let displayed = candidates()
        .filter(|h| looks_like_headline(h))
        .max_by_key(|h| h.chars().count());
    if let Some(h1) = displayed {
        return Some(h1.clone());
    }
    if let Some(t) = meta_title {
        return Some(strip_site_suffix(&t, &is_site, false));
    }
    if let Some(t) = title_tag
        .map(|t| strip_site_suffix(&t, &is_site, true))
        .filter(|t| !t.is_empty())
    {
        return Some(t);
    }
    h1s.iter().find(|h| h.chars().count() >= 4).cloned()
}

/// An address of an author's page: a path segment "author" or "authors"
/// followed by more ("/author/jane-doe/", "?author=" is not one).
fn is_author_page(href: &str) -> bool {
    let path = href.split(['?', '#']).next().unwrap_or("");
    let mut segments = path.split('/').filter(|s| !s.is_empty());
    while let Some(segment) = segments.next() {
        if segment.eq_ignore_ascii_case("author") || segment.eq_ignore_ascii_case("authors") {
            return segments.next().is_some();
        }
    }
    false
}

/// A person's name as a link shows it: one to five words, letters first,
/// no sentence punctuation; a period only after an initial ("Laura E.
/// Adkins").
fn looks_like_name(text: &str) -> bool {
    let words = text.split_whitespace().count();
    (1..=5).contains(&words)
        && text.chars().count() < 60
        && text.chars().next().is_some_and(char::is_alphabetic)
        && !text.contains(['!', '?', ':', '@', ','])
        && text
            .split_whitespace()
            .all(|w| !w.ends_with('.') || w.trim_end_matches('.').chars().count() <= 2)
}

/// A byline element holding a sentence about the author ("Jane Doe is the
/// paper's science editor.") rather than the names: a biography box.
fn reads_like_sentence(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    words.len() >= 4
        && words[1..]
            .iter()
            .any(|w| matches!(*w, "is" | "was" | "has" | "writes" | "covers" | "reports"))
}

/// Long enough to be a headline rather than a logo or a section name:
/// four words, or twelve characters of a script written without spaces.
fn looks_like_headline(h: &str) -> bool {
    let words = h.split_whitespace().count();
    let wide = h.chars().filter(|c| (*c as u32) >= 0x2E80).count();
    (words >= 4 && h.chars().count() >= 20) || wide >= 12
}

fn normalize_key(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// What separates a headline from the site name in titles.
const TITLE_SEPARATORS: &[&str] = &[" | ", " - ", " — ", " – ", " :: ", " · "];

/// "Headline | Site" / "Headline - Site" → "Headline": the parts that
/// are not the site's name, else (with `longest`) the longest part.
fn strip_site_suffix(title: &str, is_site: &dyn Fn(&str) -> bool, longest: bool) -> String {
    for sep in TITLE_SEPARATORS {
        if title.contains(sep) {
            let parts: Vec<&str> = title.split(sep).collect();
            let named: Vec<&str> = parts.iter().copied().filter(|p| !is_site(p)).collect();
            if named.len() < parts.len() && !named.is_empty() {
                return named.join(sep).trim().to_string();
            }
            if !longest {
                continue;
            }
            let best = parts
                .iter()
                .copied()
                .max_by_key(|p| p.chars().count())
                .unwrap_or(title);
            if best.chars().count() >= 15 {
                return best.trim().to_string();
            }
        }
    }
    title.trim().to_string()
}

fn strip_by(s: &str) -> String {
    let t = s.trim();
    match t.get(..3) {
        Some(prefix) if prefix.eq_ignore_ascii_case("by ") => t[3..].trim().to_string(),
        _ => t.to_string(),
    }
}

/// A byline set in capitals ("JANE DOE, REUTERS") in the case the name
/// is written in ("Jane Doe, Reuters"), so that a template that sets
/// bylines in capitals and one that does so with CSS give the same
/// byline. A part that is one word of four letters or fewer stays as it
/// is: those are initialisms ("AP", "BBC", "AFP"). A byline with any
/// lower-case letter is left alone.
fn uncap_byline(byline: &str) -> String {
    if byline.chars().any(char::is_lowercase) || !byline.chars().any(char::is_uppercase) {
        return byline.to_string();
    }
    let mut out = String::with_capacity(byline.len());
    const SEPARATORS: [char; 7] = [',', ';', '/', '|', '&', '(', ')'];
    for piece in byline.split_inclusive(SEPARATORS) {
        let (part, separator) = match piece.strip_suffix(SEPARATORS) {
            Some(part) => (part, &piece[part.len()..]),
            None => (piece, ""),
        };
        let words: Vec<&str> = part.split_whitespace().collect();
        if words.len() == 1 && words[0].chars().count() <= 4 {
            out.push_str(part);
            out.push_str(separator);
            continue;
        }
        let mut first = true;
        for c in part.chars() {
            if c.is_alphabetic() {
                if first {
                    out.push(c);
                } else {
                    out.extend(c.to_lowercase());
                }
                first = false;
            } else {
                out.push(c);
                first = c.is_whitespace() || c == '-';
            }
        }
        out.push_str(separator);
    }
    out
}

fn join_names(names: &[String]) -> String {
    let mut unique: Vec<&str> = Vec::new();
    for n in names {
        if !unique.iter().any(|u| u.eq_ignore_ascii_case(n)) {
            unique.push(n);
        }
    }
    unique.join(", ")
}

/// Collapses whitespace runs to single spaces and trims.
pub fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    crate::dom::push_collapsed(&mut out, s, true);
    out.trim_end().to_string()
}

/// Reads one JSON-LD script into `ld`, keeping the first article-like
/// object's fields. Malformed JSON is ignored.
fn read_linked_data(json: &str, ld: &mut LinkedData) {
    let trimmed = json
        .trim()
        .trim_start_matches("<!--")
        .trim_start_matches("//<![CDATA[")
        .trim_end_matches("-->")
        .trim_end_matches("//]]>")
        .trim();
    let value: Value = match serde_json::from_str(trimmed) {
        Ok(v) => v,
        Err(_) => {
            // Raw newlines and tabs inside strings are the usual breakage.
            let repaired: String = trimmed
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect();
            match serde_json::from_str(&repaired) {
                Ok(v) => v,
                Err(_) => return,
            }
        }
    };
    let mut objects = Vec::new();
    collect_objects(&value, &mut objects, 0);
    // Article types first, then anything with a headline.
    objects.sort_by_key(|o| if is_article_type(o) { 0 } else { 1 });
    for object in objects {
        let article = is_article_type(object);
        if has_type(
            object,
            &["WebSite", "Organization", "NewsMediaOrganization"],
        ) && let Some(name) = object.get("name").and_then(Value::as_str)
        {
            ld.site_names
                .push(collapse(&crate::entities::decode_entities(name)));
        }
        if has_type(object, &["LiveBlogPosting"]) || object.get("liveBlogUpdate").is_some() {
            ld.live = true;
        }
        if article
            && let Some(name) = object
                .get("publisher")
                .and_then(|p| p.get("name"))
                .and_then(Value::as_str)
        {
            ld.site_names
                .push(collapse(&crate::entities::decode_entities(name)));
        }
        if !article && object.get("headline").is_none() {
            continue;
        }
        if ld.headline.is_none() {
            ld.headline = object
                .get("headline")
                .or_else(|| if article { object.get("name") } else { None })
                .and_then(Value::as_str)
                .map(|s| collapse(&crate::entities::decode_entities(s)))
                .filter(|s| !s.is_empty());
        }
        if ld.authors.is_empty()
            && let Some(author) = object.get("author").or_else(|| object.get("creator"))
        {
            collect_names(author, &mut ld.authors, 0);
        }
        if ld.modified.is_none() {
            ld.modified = object
                .get("dateModified")
                .and_then(Value::as_str)
                .and_then(parse_date);
        }
        if ld.published.is_none() {
            ld.published = object
                .get("datePublished")
                .or_else(|| object.get("dateCreated"))
                .and_then(Value::as_str)
                .and_then(parse_date);
        }
        if let Some(body) = object.get("articleBody").and_then(Value::as_str)
            && ld.article_body.is_empty()
        {
            ld.article_body = body
                .split(['\n', '\r'])
                .map(|line| collapse(&crate::entities::decode_entities(line)))
                .filter(|line| !line.is_empty())
                .collect();
        }
        if ld.url.is_none() && article {
            ld.url = object
                .get("url")
                .and_then(Value::as_str)
                .map(|s| s.trim().to_string());
        }
    }
}

/// Every object in a JSON-LD value: top-level arrays and `@graph` lists.
fn collect_objects<'v>(value: &'v Value, out: &mut Vec<&'v Value>, depth: usize) {
    if depth > 4 {
        return;
    }
    match value {
        Value::Array(items) => {
            for item in items {
                collect_objects(item, out, depth + 1);
            }
        }
        Value::Object(map) => {
            out.push(value);
            if let Some(graph) = map.get("@graph") {
                collect_objects(graph, out, depth + 1);
            }
            if let Some(main) = map.get("mainEntity") {
                collect_objects(main, out, depth + 1);
            }
        }
        _ => {}
    }
}

fn is_article_type(object: &Value) -> bool {
    const TYPES: &[&str] = &[
        "Article",
        "NewsArticle",
        "ReportageNewsArticle",
        "AnalysisNewsArticle",
        "OpinionNewsArticle",
        "BackgroundNewsArticle",
        "ReviewNewsArticle",
        "BlogPosting",
        "LiveBlogPosting",
        "SocialMediaPosting",
        "TechArticle",
        "ScholarlyArticle",
        "Report",
    ];
    has_type(object, TYPES)
}

/// Whether the object's `@type` is (or lists) one of `types`.
fn has_type(object: &Value, types: &[&str]) -> bool {
    let matches = |t: &Value| {
        t.as_str().is_some_and(|s| {
            types.contains(
                &s.trim_start_matches("http://schema.org/")
                    .trim_start_matches("https://schema.org/"),
            )
        })
    };
    match object.get("@type") {
        Some(Value::Array(list)) => list.iter().any(matches),
        Some(t) => matches(t),
        None => false,
    }
}

/// Author names from a string, a Person/Organization object or an array.
fn collect_names(value: &Value, out: &mut Vec<String>, depth: usize) {
    if depth > 3 {
        return;
    }
    match value {
        Value::String(s) => {
            let name = collapse(&crate::entities::decode_entities(s));
            if !name.is_empty() && !name.starts_with("http") {
                out.push(strip_by(&name));
            }
        }
        Value::Array(items) => {
            for item in items {
                collect_names(item, out, depth + 1);
            }
        }
        Value::Object(map) => {
            if let Some(name) = map.get("name") {
                collect_names(name, out, depth + 1);
            }
        }
        _ => {}
    }
}

/// A date written for readers: "November 18, 2019", "Nov. 18th, 2019",
/// "18 November 2019", "2019-11-18" (English month names), as midnight UTC.
fn parse_text_date(text: &str) -> Option<DateTime<FixedOffset>> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let month = |i: usize| {
        let w = words.get(i)?;
        let m = MONTHS
            .iter()
            .position(|m| w.starts_with(m) && w.len() <= 9)?;
        Some(m as u32 + 1)
    };
    // A day: "18" or "18th".
    let day = |i: usize| {
        let w = words.get(i)?;
        let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        (digits.len() <= 2)
            .then(|| digits.parse::<u32>().ok())
            .flatten()
    };
    let year = |i: usize| {
        let y = words.get(i)?.parse::<i32>().ok()?;
        (1990..=2100).contains(&y).then_some(y)
    };
    let numeric = |i: usize| {
        let w = words.get(i)?;
        (w.len() <= 2).then(|| w.parse::<u32>().ok()).flatten()
    };
    (0..words.len()).find_map(|i| {
        let date = if let (Some(m), Some(d), Some(y)) = (month(i), day(i + 1), year(i + 2)) {
            NaiveDate::from_ymd_opt(y, m, d)
        } else if let (Some(d), Some(m), Some(y)) = (day(i), month(i + 1), year(i + 2)) {
            NaiveDate::from_ymd_opt(y, m, d)
        } else if let (Some(y), Some(m), Some(d)) = (year(i), numeric(i + 1), numeric(i + 2)) {
            NaiveDate::from_ymd_opt(y, m, d)
        } else {
            None
        };
        date.and_then(midnight_utc)
    })
}

/// A date in an article's address: /2019/11/18/, /2019-11-18, or an
/// 8-digit 20191118 between non-digits.
fn date_in_url(url: &str) -> Option<DateTime<FixedOffset>> {
    let parts: Vec<&str> = url.split(|c: char| !c.is_ascii_digit()).collect();
    let date = |y: &str, m: &str, d: &str| {
        let y: i32 = y.parse().ok()?;
        if !(1990..=2100).contains(&y) {
            return None;
        }
        NaiveDate::from_ymd_opt(y, m.parse().ok()?, d.parse().ok()?)
    };
    let separated = parts.windows(3).find_map(|w| match w {
        [y, m, d] if y.len() == 4 && (1..=2).contains(&m.len()) && (1..=2).contains(&d.len()) => {
            date(y, m, d)
        }
        _ => None,
    });
    let compact = || {
        parts
            .iter()
            .filter(|p| p.len() == 8)
            .find_map(|p| date(&p[..4], &p[4..6], &p[6..]))
    };
    separated.or_else(compact).and_then(midnight_utc)
}

fn midnight_utc(date: NaiveDate) -> Option<DateTime<FixedOffset>> {
    let utc = FixedOffset::east_opt(0)?;
    Some(utc.from_utc_datetime(&date.and_hms_opt(0, 0, 0)?))
}

/// Parses the date formats pages use: RFC 3339 (with or without colon in
/// the offset, with or without seconds), RFC 2822, and plain dates. A time
/// without a zone is taken as UTC; a date alone as midnight UTC.
pub fn parse_date(s: &str) -> Option<DateTime<FixedOffset>> {
    let s = s.trim();
    if s.is_empty() || s.len() > 64 {
        return None;
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Some(dt);
    }
    if let Ok(dt) = DateTime::parse_from_rfc2822(s) {
        return Some(dt);
    }
    let zoned = [
        "%Y-%m-%dT%H:%M:%S%z",
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M%z",
        "%Y-%m-%d %H:%M:%S%z",
        "%Y-%m-%d %H:%M:%S %z",
        "%Y-%m-%d %H:%M %z",
        "%Y-%m-%d %H:%M%z",
        "%Y-%m-%dT%H:%M:%S%.f%:z",
    ];
    for f in zoned {
        if let Ok(dt) = DateTime::parse_from_str(s, f) {
            return Some(dt);
        }
    }
    let utc = FixedOffset::east_opt(0)?;
    let s_no_z = s
        .trim_end_matches('Z')
        .trim_end_matches(" UTC")
        .trim_end_matches(" GMT");
    let naive = [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%Y/%m/%d %H:%M:%S",
    ];
    for f in naive {
        if let Ok(dt) = NaiveDateTime::parse_from_str(s_no_z, f) {
            return Some(utc.from_utc_datetime(&dt));
        }
    }
    for f in ["%Y-%m-%d", "%Y/%m/%d", "%Y%m%d"] {
        if let Ok(date) = NaiveDate::parse_from_str(s_no_z, f) {
            let dt = date.and_hms_opt(0, 0, 0)?;
            return Some(utc.from_utc_datetime(&dt));
        }
    }
    // Unix timestamps (seconds or milliseconds) in a plausible range.
    if let Ok(n) = s.parse::<i64>() {
        let secs = if n > 100_000_000_000 { n / 1000 } else { n };
        if (946_684_800..4_102_444_800).contains(&secs) {
            return Utc
                .timestamp_opt(secs, 0)
                .single()
                .map(|d| d.fixed_offset());
        }
    }
    None
}
