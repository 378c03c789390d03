//! Atom and RSS 2.0 feeds of changes: all of them, one source's, one
//! article's, a search's, each filtered by `?min=notable|major|N` and
//! `?label=NAME` (repeatable) like the lists. An entry is one change (an
//! edit, a revert, a removal, a redirect, a return), titled by its summary;
//! its content is the diff itself (removed words in `<del>`, added in
//! `<ins>`, and spelled out for text-only readers), not only a link. Written with quick-xml's writer, so every text is
//! escaped; characters XML cannot carry at all are dropped. Entry ids are
//! the change's permalink (its diff page), stable as long as the base URL
//! is.

use std::borrow::Cow;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};
use redline_diff::Diff;
use redline_store::{Change, ChangeKind, ChangeQuery};

use crate::changeview::{self, ChangeFilters};
use crate::error::{AppError, AppResult};
use crate::params::{self, Params, safe_link};
use crate::time::{iso, later};
use crate::{AppState, BaseUrl, blocking, cache, diffview, pages, visible_article};

/// Entries in a feed.
pub const FEED_ENTRIES: usize = 30;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Atom,
    Rss,
}

impl Format {
    fn content_type(self) -> &'static str {
        match self {
            Format::Atom => "application/atom+xml; charset=utf-8",
            Format::Rss => "application/rss+xml; charset=utf-8",
        }
    }

    fn ext(self) -> &'static str {
        match self {
            Format::Atom => "atom",
            Format::Rss => "rss",
        }
    }
}

/// A feed's own facts.
struct FeedMeta {
    title: String,
    subtitle: String,
    /// Path of the feed itself (with its query, for a search).
    self_path: String,
    /// Path of the HTML page it follows.
    html_path: String,
}

/// Drops the characters XML 1.0 cannot carry even escaped.
fn xml_clean(s: &str) -> Cow<'_, str> {
    let ok = |c: char| {
        matches!(c, '\t' | '\n' | '\r')
            || ('\u{20}'..='\u{D7FF}').contains(&c)
            || ('\u{E000}'..='\u{FFFD}').contains(&c)
            || c >= '\u{10000}'
    };
    if s.chars().all(ok) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.chars().filter(|&c| ok(c)).collect())
    }
}

type W = Writer<Vec<u8>>;

fn text_el(w: &mut W, name: &str, text: &str) -> std::io::Result<()> {
    w.create_element(name)
        .write_text_content(BytesText::new(&xml_clean(text)))?;
    Ok(())
}

fn diff_path(c: &Change) -> String {
    changeview::change_href(c)
}

/// An entry's id: the change's diff page, the permalink, for an edit. Other
/// changes' pages may recur (a text flip-flopping between two versions, an
/// article removed twice), so their ids add the change's own key.
fn entry_id(c: &Change, link: &str) -> (String, bool) {
    match c.kind {
        ChangeKind::Edit => (link.to_string(), true),
        kind => (format!("{link}#{}-{}", kind.as_str(), c.key), false),
    }
}

/// The summary first, then the article: "Headline rewritten · 243 → 234 —
/// Storm kills 12".
fn entry_title(c: &Change) -> String {
    let title = if c.title.trim().is_empty() {
        c.url.as_str()
    } else {
        c.title.as_str()
    };
    if c.summary.is_empty() {
        format!("{title} ({})", changeview::kind_words(c))
    } else {
        format!("{} — {title}", c.summary)
    }
}

fn intro(c: &Change) -> String {
    let minor = if c.minor {
        " Whitespace or punctuation only."
    } else {
        ""
    };
    let labels: Vec<&str> = c.labels.iter().map(|l| l.as_str()).collect();
    let labels = if labels.is_empty() {
        String::new()
    } else {
        format!(" Labels: {}.", labels.join(", "))
    };
    let what = match c.kind {
        ChangeKind::Edit => format!("version {} of this article", c.number),
        ChangeKind::Revert => format!(
            "the article went back to the text of version {} (a revert)",
            c.number
        ),
        ChangeKind::Removed => "the article was removed from the site".to_string(),
        ChangeKind::Redirected => format!(
            "the article's address now leads to a different page ({})",
            c.detail.as_deref().unwrap_or("elsewhere")
        ),
        ChangeKind::Restored => format!(
            "the article is back on the site, showing version {}",
            c.number
        ),
    };
    let words = if c.kind.has_diff() && c.from != c.number {
        format!(
            ": {} words added, {} removed",
            c.words_added, c.words_removed
        )
    } else {
        String::new()
    };
    format!(
        "{} ({} {}). {}: {what}, seen {} ({} version {}){words}.{minor}{labels}",
        c.summary,
        c.level().as_str(),
        c.significance,
        c.source_title,
        crate::time::absolute(c.seen_at),
        later(c.previous_seen_at, c.seen_at).replace(" later", " after"),
        c.from,
    )
}

fn content(c: &Change, diff: Option<&Diff>, base: &str) -> String {
    let link = format!("{base}{}", diff_path(c));
    match diff {
        Some(d) if c.kind.has_diff() && c.from != c.number => {
            diffview::feed_content(d, &intro(c), &link)
        }
        _ => maud::html! { p { (intro(c)) } p { a href=(link) { "See this article" } } }
            .into_string(),
    }
}

fn write_feed(
    format: Format,
    meta: &FeedMeta,
    base: &str,
    entries: &[(Change, Option<Arc<Diff>>)],
) -> std::io::Result<Vec<u8>> {
    let mut w = Writer::new(Vec::with_capacity(16 * 1024));
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
    let updated = entries
        .iter()
        .map(|(c, _)| c.seen_at)
        .max()
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH);
    let self_url = format!("{base}{}", meta.self_path);
    let html_url = format!("{base}{}", meta.html_path);
    match format {
        Format::Atom => {
            w.create_element("feed")
                .with_attribute(("xmlns", "http://www.w3.org/2005/Atom"))
                .write_inner_content(|w| {
                    text_el(w, "id", &self_url)?;
                    text_el(w, "title", &meta.title)?;
                    text_el(w, "subtitle", &meta.subtitle)?;
                    text_el(w, "updated", &iso(updated))?;
                    w.create_element("link")
                        .with_attributes([
                            ("rel", "self"),
                            ("type", "application/atom+xml"),
                            ("href", xml_clean(&self_url).as_ref()),
                        ])
                        .write_empty()?;
                    w.create_element("link")
                        .with_attributes([
                            ("rel", "alternate"),
                            ("type", "text/html"),
                            ("href", xml_clean(&html_url).as_ref()),
                        ])
                        .write_empty()?;
                    text_el(w, "generator", "redline")?;
                    for (c, diff) in entries {
                        let link = format!("{base}{}", diff_path(c));
                        w.create_element("entry").write_inner_content(|w| {
                            text_el(w, "id", &entry_id(c, &link).0)?;
                            text_el(w, "title", &entry_title(c))?;
                            text_el(w, "updated", &iso(c.seen_at))?;
                            text_el(w, "published", &iso(c.seen_at))?;
                            w.create_element("author")
                                .write_inner_content(|w| text_el(w, "name", &c.source_title))?;
                            w.create_element("link")
                                .with_attributes([
                                    ("rel", "alternate"),
                                    ("type", "text/html"),
                                    ("href", xml_clean(&link).as_ref()),
                                ])
                                .write_empty()?;
                            let original = c.final_url.as_deref().unwrap_or(&c.url);
                            if let Some(href) = safe_link(original) {
                                w.create_element("link")
                                    .with_attributes([
                                        ("rel", "related"),
                                        ("href", xml_clean(href).as_ref()),
                                    ])
                                    .write_empty()?;
                            }
                            w.create_element("category")
                                .with_attributes([
                                    ("term", xml_clean(&c.source).as_ref()),
                                    ("label", xml_clean(&c.source_title).as_ref()),
                                ])
                                .write_empty()?;
                            text_el(w, "summary", &intro(c))?;
                            w.create_element("content")
                                .with_attribute(("type", "html"))
                                .write_text_content(BytesText::new(&xml_clean(&content(
                                    c,
                                    diff.as_deref(),
                                    base,
                                ))))?;
                            Ok(())
                        })?;
                    }
                    Ok(())
                })?;
        }
        Format::Rss => {
            w.create_element("rss")
                .with_attributes([
                    ("version", "2.0"),
                    ("xmlns:atom", "http://www.w3.org/2005/Atom"),
                ])
                .write_inner_content(|w| {
                    w.create_element("channel").write_inner_content(|w| {
                        text_el(w, "title", &meta.title)?;
                        text_el(w, "link", &html_url)?;
                        text_el(w, "description", &meta.subtitle)?;
                        w.create_element("atom:link")
                            .with_attributes([
                                ("href", xml_clean(&self_url).as_ref()),
                                ("rel", "self"),
                                ("type", "application/rss+xml"),
                            ])
                            .write_empty()?;
                        text_el(w, "lastBuildDate", &updated.to_rfc2822())?;
                        text_el(w, "generator", "redline")?;
                        for (c, diff) in entries {
                            let link = format!("{base}{}", diff_path(c));
                            w.create_element("item").write_inner_content(|w| {
                                text_el(w, "title", &entry_title(c))?;
                                text_el(w, "link", &link)?;
                                let (id, permalink) = entry_id(c, &link);
                                w.create_element("guid")
                                    .with_attribute((
                                        "isPermaLink",
                                        if permalink { "true" } else { "false" },
                                    ))
                                    .write_text_content(BytesText::new(&xml_clean(&id)))?;
                                text_el(w, "pubDate", &c.seen_at.to_rfc2822())?;
                                text_el(w, "category", &c.source)?;
                                text_el(w, "description", &content(c, diff.as_deref(), base))?;
                                Ok(())
                            })?;
                        }
                        Ok(())
                    })?;
                    Ok(())
                })?;
        }
    }
    Ok(w.into_inner())
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn etag_of(body: &[u8]) -> String {
    format!("\"{:016x}\"", fnv1a(body))
}

/// The feed as a response, with its ETag; a matching If-None-Match gets 304.
fn respond(format: Format, body: Bytes, etag: &str, headers: &HeaderMap) -> Response {
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let mut r = if matches {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        body.into_response()
    };
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=60"),
    );
    if let Ok(v) = HeaderValue::from_str(etag) {
        h.insert(header::ETAG, v);
    }
    r
}

/// Reads the changes a feed lists and their diffs, then writes it. The
/// request is always checked (unknown or hidden article, bad query); the
/// rendered feed is reused while no version was added and no administrator
/// acted, for at most a minute.
async fn build(
    state: &AppState,
    format: Format,
    base: String,
    headers: &HeaderMap,
    prepare: impl FnOnce(&dyn redline_store::Store) -> AppResult<(FeedMeta, ChangeQuery)>
    + Send
    + 'static,
) -> AppResult<Response> {
    let diffs = state.diffs.clone();
    let feeds = state.feeds.clone();
    let admin = state.admin_generation.clone();
    let (body, etag) = blocking(state, move |store| {
        let (meta, mut query) = prepare(store)?;
        let generation = (store.changes_generation()?, admin.get());
        let key = format!("{}|{}|{}", format.ext(), base, meta.self_path);
        if let Some(cached) = feeds.get(&key, generation) {
            return Ok(cached);
        }
        query.limit = FEED_ENTRIES;
        let changes = pages::list_changes(&diffs, store, &query)?;
        // Removals and redirects have no pair of texts to compare.
        let keys: Vec<_> = changes
            .iter()
            .filter(|c| c.kind.has_diff() && c.from != c.number)
            .map(cache::change_key)
            .collect();
        let mut found = cache::diff_changes(&diffs, store, &keys)?.into_iter();
        let entries: Vec<_> = changes
            .into_iter()
            .map(|c| {
                let diff = if c.kind.has_diff() && c.from != c.number {
                    found.next().flatten()
                } else {
                    None
                };
                (c, diff)
            })
            .collect();
        let body = write_feed(format, &meta, &base, &entries)
            .map_err(|e| AppError::Internal(format!("writing a feed: {e}")))?;
        let etag = etag_of(&body);
        let body = Bytes::from(body);
        feeds.put(key, generation, body.clone(), etag.clone());
        Ok((body, etag))
    })
    .await?;
    Ok(respond(format, body, &etag, headers))
}

/// What a feed's query string may say besides a search: `minor=1` and the
/// filters of the lists.
struct FeedOptions {
    include_minor: bool,
    filters: ChangeFilters,
}

impl FeedOptions {
    fn parse(p: &Params) -> AppResult<Self> {
        Ok(FeedOptions {
            include_minor: p.flag("minor")?,
            filters: ChangeFilters::parse(p)?,
        })
    }

    /// The options as a query string, `?` or `&` first (after `lead`), for
    /// the feed's own address.
    fn suffix(&self, lead: char) -> String {
        let mut q = self.filters.query();
        if self.include_minor {
            q = if q.is_empty() {
                "minor=1".into()
            } else {
                format!("minor=1&{q}")
            };
        }
        if q.is_empty() {
            q
        } else {
            format!("{lead}{q}")
        }
    }

    fn query(&self) -> ChangeQuery {
        let mut query = ChangeQuery {
            include_minor: self.include_minor,
            ..Default::default()
        };
        self.filters.apply(&mut query);
        query
    }
}

async fn changes(
    state: AppState,
    format: Format,
    base: String,
    q: Option<String>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let options = FeedOptions::parse(&Params::parse(q.as_deref()))?;
    build(&state, format, base, &headers, move |_| {
        Ok((
            FeedMeta {
                title: "redline: latest changes".into(),
                subtitle: "Changes to news articles after publication, across all sources".into(),
                self_path: format!("/feeds/changes.{}{}", format.ext(), options.suffix('?')),
                html_path: "/".into(),
            },
            options.query(),
        ))
    })
    .await
}

async fn source(
    state: AppState,
    format: Format,
    base: String,
    name: String,
    q: Option<String>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let options = FeedOptions::parse(&Params::parse(q.as_deref()))?;
    build(&state, format, base, &headers, move |store| {
        let missing = || {
            AppError::NotFound(format!(
                "There is no source named {:?}.",
                params::clip(&name)
            ))
        };
        if !params::is_source_name(&name) {
            return Err(missing());
        }
        let spec = store
            .source_specs()?
            .into_iter()
            .find(|s| s.name == name)
            .ok_or_else(missing)?;
        Ok((
            FeedMeta {
                title: format!("redline: changes on {}", spec.title),
                subtitle: format!("Changes to {} articles after publication", spec.title),
                self_path: format!(
                    "/sources/{}/feed.{}{}",
                    spec.name,
                    format.ext(),
                    options.suffix('?')
                ),
                html_path: format!("/sources/{}", spec.name),
            },
            ChangeQuery {
                sources: vec![spec.name],
                ..options.query()
            },
        ))
    })
    .await
}

async fn article(
    state: AppState,
    format: Format,
    base: String,
    id: String,
    headers: HeaderMap,
) -> AppResult<Response> {
    build(&state, format, base, &headers, move |store| {
        let article = visible_article(store, &id)?;
        let title = article.title.clone().unwrap_or_else(|| article.url.clone());
        Ok((
            FeedMeta {
                title: format!("redline: changes to “{title}”"),
                subtitle: format!("Every change to {}", article.url),
                self_path: format!("/articles/{}/feed.{}", article.id, format.ext()),
                html_path: format!("/articles/{}", article.id),
            },
            // One article's feed shows every change, minor ones and site
            // changes too.
            ChangeQuery::of_article(article.id),
        ))
    })
    .await
}

async fn search(
    state: AppState,
    format: Format,
    base: String,
    q: Option<String>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let p = Params::parse(q.as_deref());
    let raw = p.get("q").unwrap_or("").trim().to_string();
    let options = FeedOptions::parse(&p)?;
    build(&state, format, base, &headers, move |store| {
        let parsed = pages::parse_search(store, &raw)?;
        let encoded = crate::views::encode(&raw);
        Ok((
            FeedMeta {
                title: format!("redline: changes to articles matching {raw}"),
                subtitle: format!("Changes to articles with a version matching {raw}"),
                self_path: format!(
                    "/search/feed.{}?q={encoded}{}",
                    format.ext(),
                    options.suffix('&')
                ),
                html_path: format!("/search?q={encoded}"),
            },
            ChangeQuery {
                sources: parsed.sources,
                exclude_sources: parsed.exclude_sources,
                text: Some(parsed.text),
                ..options.query()
            },
        ))
    })
    .await
}

/// A feed format chosen by the route: `changes_feed::<Atom>` serves
/// `/feeds/changes.atom`, `changes_feed::<Rss>` `/feeds/changes.rss`.
pub trait FeedFormat: Send + Sync + 'static {
    const FORMAT: Format;
}

pub struct Atom;
pub struct Rss;

impl FeedFormat for Atom {
    const FORMAT: Format = Format::Atom;
}

impl FeedFormat for Rss {
    const FORMAT: Format = Format::Rss;
}

pub async fn changes_feed<F: FeedFormat>(
    State(s): State<AppState>,
    BaseUrl(b): BaseUrl,
    RawQuery(q): RawQuery,
    h: HeaderMap,
) -> AppResult<Response> {
    changes(s, F::FORMAT, b, q, h).await
}

pub async fn source_feed<F: FeedFormat>(
    State(s): State<AppState>,
    BaseUrl(b): BaseUrl,
    Path(name): Path<String>,
    RawQuery(q): RawQuery,
    h: HeaderMap,
) -> AppResult<Response> {
    source(s, F::FORMAT, b, name, q, h).await
}

pub async fn article_feed<F: FeedFormat>(
    State(s): State<AppState>,
    BaseUrl(b): BaseUrl,
    Path(id): Path<String>,
    h: HeaderMap,
) -> AppResult<Response> {
    article(s, F::FORMAT, b, id, h).await
}

pub async fn search_feed<F: FeedFormat>(
    State(s): State<AppState>,
    BaseUrl(b): BaseUrl,
    RawQuery(q): RawQuery,
    h: HeaderMap,
) -> AppResult<Response> {
    search(s, F::FORMAT, b, q, h).await
}
