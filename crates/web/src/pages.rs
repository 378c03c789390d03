//! The HTML pages' handlers: each gathers what its page shows in one trip
//! to the blocking pool, then renders it.

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::Utc;
use maud::Markup;
use redline_store::{Article, ArticleQuery, ChangeQuery, prelude::*};

use crate::changeview::ChangeFilters;
use crate::error::{AppError, AppResult};
use crate::params::{self, Params};
use crate::views::{self, DiffMode, Frame, Nav};
use crate::{AppState, BaseUrl, blocking, cache, cardview, evidence, visible_article};
use redline_store::search;

/// Entries on one page of a list.
pub const PAGE_SIZE: usize = 50;
/// Matching articles a search counts at most ("1,000 or more").
const SEARCH_COUNT_CAP: usize = 1000;

/// A rendered page, not cached by browsers beyond revalidation (the lists
/// change as the crawler works).
pub(crate) fn html(markup: Markup) -> Response {
    let mut r = Html(markup.into_string()).into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    r
}

fn offset(page: u32) -> usize {
    (page as usize - 1) * PAGE_SIZE
}

/// A page past the end of a non-empty list is a 404.
fn check_page(page: u32, empty: bool) -> AppResult<()> {
    if page > 1 && empty {
        return Err(AppError::NotFound(format!(
            "There is no page {page}: the list ends before it."
        )));
    }
    Ok(())
}

pub async fn home(State(state): State<AppState>, RawQuery(q): RawQuery) -> AppResult<Response> {
    let p = Params::parse(q.as_deref());
    let page = p.page()?;
    let include_minor = p.flag("minor")?;
    let filters = ChangeFilters::parse(&p)?;
    let site_change = match p.text("site_change") {
        None => None,
        Some(v) => Some(v.parse::<i64>().map_err(|_| {
            AppError::BadRequest(format!(
                "site_change must be the number of a site change, not {:?}.",
                params::clip(v)
            ))
        })?),
    };
    let totals_cache = state.totals.clone();
    let diffs = state.diffs.clone();
    let query_filters = filters.clone();
    let (mut changes, totals) = blocking(&state, move |store| {
        let mut query = ChangeQuery {
            include_minor,
            site_change,
            limit: PAGE_SIZE + 1,
            offset: offset(page),
            ..Default::default()
        };
        query_filters.apply(&mut query);
        let changes = list_changes(&diffs, store, &query)?;
        let totals = totals_cache.get_or(|| store.totals())?;
        Ok((changes, totals))
    })
    .await?;
    check_page(page, changes.is_empty())?;
    let has_next = changes.len() > PAGE_SIZE;
    changes.truncate(PAGE_SIZE);
    let frame = Frame {
        title: "Latest changes",
        nav: Nav::Changes,
        feeds: vec![
            (
                "application/atom+xml",
                "All changes (Atom)".into(),
                "/feeds/changes.atom".into(),
            ),
            (
                "application/rss+xml",
                "All changes (RSS)".into(),
                "/feeds/changes.rss".into(),
            ),
        ],
        totals: Some(totals),
        ..Frame::default()
    };
    Ok(html(views::page(
        frame,
        views::home(views::HomeView {
            changes: &changes,
            page,
            has_next,
            include_minor,
            filters: &filters,
            now: Utc::now(),
        }),
    )))
}

/// `/articles`: every tracked article, filtered by source, status and
/// whether it changed, most recently changed (or first seen) first.
pub async fn articles(State(state): State<AppState>, RawQuery(q): RawQuery) -> AppResult<Response> {
    let p = Params::parse(q.as_deref());
    p.only(&["source", "status", "changed", "sort", "page"])?;
    let page = p.page()?;
    let source = p.text("source").map(str::to_string);
    let status = p
        .text("status")
        .map(|s| {
            redline_store::ArticleStatus::parse(s).ok_or_else(|| {
                AppError::BadRequest(format!(
                    "status must be one of active, retired, gone, merged; not {:?}.",
                    params::clip(s)
                ))
            })
        })
        .transpose()?;
    let changed = p.flag("changed")?;
    let by_first_seen = match p.text("sort") {
        None | Some("changed") => false,
        Some("first_seen") => true,
        Some(other) => {
            return Err(AppError::BadRequest(format!(
                "sort must be changed or first_seen, not {:?}.",
                params::clip(other)
            )));
        }
    };
    let totals_cache = state.totals.clone();
    let wanted = source.clone();
    let (mut hits, sources, totals) = blocking(&state, move |store| {
        if let Some(name) = &wanted {
            known_source(store, name)?;
        }
        let hits = store.find_articles(&ArticleQuery {
            sources: wanted.into_iter().collect(),
            status,
            changed_only: changed,
            by_first_seen,
            limit: PAGE_SIZE + 1,
            offset: offset(page),
            ..Default::default()
        })?;
        let sources = store.visible_sources()?;
        Ok((hits, sources, totals_cache.get_or(|| store.totals())?))
    })
    .await?;
    check_page(page, hits.is_empty())?;
    let has_next = hits.len() > PAGE_SIZE;
    hits.truncate(PAGE_SIZE);
    let frame = Frame {
        title: "Articles",
        nav: Nav::Articles,
        totals: Some(totals),
        ..Frame::default()
    };
    let filters = views::ArticleFilters {
        source,
        status,
        changed,
        by_first_seen,
    };
    Ok(html(views::page(
        frame,
        views::articles(&hits, &sources, &filters, page, has_next, Utc::now()),
    )))
}

/// `/top?period=day|week`: the most significant changes of the last day
/// or week.
pub async fn top(State(state): State<AppState>, RawQuery(q): RawQuery) -> AppResult<Response> {
    let p = Params::parse(q.as_deref());
    let period = match p.text("period") {
        None | Some("day") => views::TopPeriod::Day,
        Some("week") => views::TopPeriod::Week,
        Some(other) => {
            return Err(AppError::BadRequest(format!(
                "period must be day or week, not {:?}.",
                params::clip(other)
            )));
        }
    };
    let now = Utc::now();
    let since = now
        - match period {
            views::TopPeriod::Day => chrono::Duration::days(1),
            views::TopPeriod::Week => chrono::Duration::days(7),
        };
    let diffs = state.diffs.clone();
    let totals_cache = state.totals.clone();
    let (changes, totals) = blocking(&state, move |store| {
        let changes = list_changes(
            &diffs,
            store,
            &ChangeQuery {
                since: Some(since),
                by_significance: true,
                limit: PAGE_SIZE,
                ..Default::default()
            },
        )?;
        Ok((changes, totals_cache.get_or(|| store.totals())?))
    })
    .await?;
    let frame = Frame {
        title: "Most significant changes",
        nav: Nav::Changes,
        totals: Some(totals),
        ..Frame::default()
    };
    Ok(html(views::page(frame, views::top(&changes, period, now))))
}

/// `/site-changes`: template changes seen on many articles of a source.
pub async fn site_changes(State(state): State<AppState>) -> AppResult<Response> {
    let list = blocking(&state, move |store| Ok(store.site_changes(None, 200)?)).await?;
    let frame = Frame {
        title: "Site changes",
        nav: Nav::Changes,
        ..Frame::default()
    };
    Ok(html(views::page(
        frame,
        views::site_changes(&list, Utc::now()),
    )))
}

pub async fn sources(State(state): State<AppState>) -> AppResult<Response> {
    let totals_cache = state.totals.clone();
    let (list, totals) = blocking(&state, move |store| {
        Ok((
            store.visible_sources()?,
            totals_cache.get_or(|| store.totals())?,
        ))
    })
    .await?;
    let frame = Frame {
        title: "Sources",
        nav: Nav::Sources,
        totals: Some(totals),
        ..Frame::default()
    };
    Ok(html(views::page(frame, views::sources(&list, Utc::now()))))
}

/// The summary of the source named `name`, or a 404.
fn find_source(store: &dyn Store, name: &str) -> AppResult<redline_store::SourceSummary> {
    let missing = || {
        AppError::NotFound(format!(
            "There is no source named {:?}.",
            params::clip(name)
        ))
    };
    if !params::is_source_name(name) {
        return Err(missing());
    }
    store
        .visible_sources()?
        .into_iter()
        .find(|s| s.name == name)
        .ok_or_else(missing)
}

pub async fn source(
    State(state): State<AppState>,
    Path(name): Path<String>,
    RawQuery(q): RawQuery,
) -> AppResult<Response> {
    let p = Params::parse(q.as_deref());
    let page = p.page()?;
    let include_minor = p.flag("minor")?;
    let filters = ChangeFilters::parse(&p)?;
    let diffs = state.diffs.clone();
    let query_filters = filters.clone();
    let (summary, listings, mut changes, stats, site_changes) = blocking(&state, move |store| {
        let summary = find_source(store, &name)?;
        let listings: Vec<_> = store
            .listings()?
            .into_iter()
            .filter(|l| l.source == name)
            .collect();
        let stats = store.source_stats(&name, Utc::now())?;
        let site_changes = store.site_changes(Some(&name), 20)?;
        let mut query = ChangeQuery {
            sources: vec![name],
            include_minor,
            limit: PAGE_SIZE + 1,
            offset: offset(page),
            ..Default::default()
        };
        query_filters.apply(&mut query);
        let changes = list_changes(&diffs, store, &query)?;
        Ok((summary, listings, changes, stats, site_changes))
    })
    .await?;
    check_page(page, changes.is_empty())?;
    let has_next = changes.len() > PAGE_SIZE;
    changes.truncate(PAGE_SIZE);
    let base = format!("/sources/{}/feed", summary.name);
    let frame = Frame {
        title: &summary.title,
        nav: Nav::Sources,
        feeds: vec![
            (
                "application/atom+xml",
                format!("{} changes (Atom)", summary.title),
                format!("{base}.atom"),
            ),
            (
                "application/rss+xml",
                format!("{} changes (RSS)", summary.title),
                format!("{base}.rss"),
            ),
        ],
        ..Frame::default()
    };
    Ok(html(views::page(
        frame,
        views::source(views::SourceView {
            summary: &summary,
            listings: &listings,
            changes: &changes,
            stats: &stats,
            site_changes: &site_changes,
            page,
            has_next,
            include_minor,
            filters: &filters,
            now: Utc::now(),
        }),
    )))
}

pub async fn article(State(state): State<AppState>, Path(id): Path<String>) -> AppResult<Response> {
    let (article, versions, events, changes, source_title) = blocking(&state, move |store| {
        let article = visible_article(store, &id)?;
        let versions = store.versions(article.id)?;
        let events = store.events(article.id)?;
        let changes = store.changes(&ChangeQuery::of_article(article.id))?;
        let source_title = source_title(store, &article)?;
        Ok((article, versions, events, changes, source_title))
    })
    .await?;
    let title = article.title.clone().unwrap_or_else(|| article.url.clone());
    let feed = format!("/articles/{}/feed", article.id);
    let description = match changes.first() {
        Some(latest) => format!(
            "{source_title}: {} versions; latest change: {}",
            article.version_count, latest.summary
        ),
        None => format!("{source_title}: no change since redline first saw it"),
    };
    let frame = Frame {
        title: &title,
        description,
        feeds: vec![
            (
                "application/atom+xml",
                "Changes to this article (Atom)".into(),
                format!("{feed}.atom"),
            ),
            (
                "application/rss+xml",
                "Changes to this article (RSS)".into(),
                format!("{feed}.rss"),
            ),
        ],
        ..Frame::default()
    };
    Ok(html(views::page(
        frame,
        views::article(views::ArticleView {
            article: &article,
            source_title: &source_title,
            versions: &versions,
            events: &events,
            changes: &changes,
            now: Utc::now(),
        }),
    )))
}

pub async fn version(
    State(state): State<AppState>,
    Path((id, n)): Path<(String, String)>,
) -> AppResult<Response> {
    let (article, versions, version) = blocking(&state, move |store| {
        let article = visible_article(store, &id)?;
        let versions = store.versions(article.id)?;
        let n = params::version_number(&n, versions.len() as u32)?;
        let version = store
            .version(article.id, n)?
            .ok_or_else(|| AppError::NotFound(format!("There is no version {n}.")))?;
        Ok((article, versions, version))
    })
    .await?;
    let title = format!("Version {} of {}", version.meta.number, version.text.title);
    let frame = Frame {
        title: &title,
        ..Frame::default()
    };
    Ok(html(views::page(
        frame,
        views::version(&article, &version, &versions),
    )))
}

/// `/articles/{id}/diff?from=a&to=b` (the compare form) redirects to the
/// diff's own address.
pub async fn diff_form(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> AppResult<Response> {
    let p = Params::parse(q.as_deref());
    let article = blocking(&state, move |store| visible_article(store, &id)).await?;
    let count = article.version_count;
    let from = params::version_number(p.text("from").unwrap_or(""), count)?;
    let to = params::version_number(p.text("to").unwrap_or(""), count)?;
    Ok(Redirect::to(&format!("/articles/{}/diff/{from}/{to}", article.id)).into_response())
}

/// `/articles/{id}/diff/{a}/{b}`: the diff page, or its card where `{b}`
/// ends in `.png` (one route: axum matches a whole segment per parameter).
pub async fn diff(
    State(state): State<AppState>,
    Path((id, a, b)): Path<(String, String, String)>,
    RawQuery(q): RawQuery,
    base: BaseUrl,
) -> AppResult<Response> {
    if let Some(b) = b.strip_suffix(".png") {
        return cardview::png(state, id, a, b.to_string(), base).await;
    }
    let p = Params::parse(q.as_deref());
    let mode = match p.text("view") {
        None | Some("side") => DiffMode::Side,
        Some("inline") => DiffMode::Inline,
        Some(other) => {
            return Err(AppError::BadRequest(format!(
                "view must be side or inline, not {:?}.",
                params::clip(other)
            )));
        }
    };
    let diffs = state.diffs.clone();
    let archive = state.config.archive_dir.clone();
    let (article, versions, diff, from, to, source_title, cited) = blocking(&state, move |store| {
        let article = visible_article(store, &id)?;
        let versions = store.versions(article.id)?;
        let count = versions.len() as u32;
        let from = params::version_number(&a, count)?;
        let to = params::version_number(&b, count)?;
        let diff = cache::diff_pair(&diffs, store, article.id, from, to)?;
        let source_title = source_title(store, &article)?;
        let cited = [from, to].map(|n| evidence::cited(archive.as_deref(), &versions[n as usize]));
        Ok((article, versions, diff, from, to, source_title, cited))
    })
    .await?;
    let (f, t) = (&versions[from as usize], &versions[to as usize]);
    let assessment = cache::assessment(&diff, &article.url);
    let title = format!("Version {from} → {to}: {}", t.title);
    let frame = Frame {
        title: &title,
        description: assessment.summary.clone(),
        preview: Some(cardview::preview(&base.0, &source_title, f, t, &assessment)),
        ..Frame::default()
    };
    Ok(html(views::page(
        frame,
        views::diff(views::DiffView {
            article: &article,
            versions: &versions,
            from: f,
            to: t,
            diff: &diff,
            assessment: &assessment,
            mode,
            cite: evidence::cite(&base, &article, &cited[0], &cited[1]),
        }),
    )))
}

/// The title of `article`'s source (its name where the source is gone
/// from the configuration).
pub(crate) fn source_title(store: &dyn Store, article: &Article) -> AppResult<String> {
    Ok(store
        .source_specs()?
        .into_iter()
        .find(|s| s.name == article.source)
        .map(|s| s.title)
        .unwrap_or_else(|| article.source.clone()))
}

/// Refuses a source name the store does not know (a 404 naming the
/// sources it does).
pub(crate) fn known_source(store: &dyn Store, name: &str) -> AppResult<()> {
    let known: Vec<String> = store.source_specs()?.into_iter().map(|s| s.name).collect();
    if known.iter().any(|k| k == name) {
        return Ok(());
    }
    Err(AppError::NotFound(format!(
        "There is no source named {:?}. Sources: {}.",
        params::clip(name),
        known.join(", ")
    )))
}

/// A search's parsed form, with its sources checked against the store.
pub(crate) fn parse_search(store: &dyn Store, raw: &str) -> AppResult<search::ParsedQuery> {
    let parsed = search::parse(raw).map_err(AppError::BadRequest)?;
    if !parsed.sources.is_empty() || !parsed.exclude_sources.is_empty() {
        let known: Vec<String> = store.source_specs()?.into_iter().map(|s| s.name).collect();
        if let Some(unknown) = parsed
            .sources
            .iter()
            .chain(&parsed.exclude_sources)
            .find(|s| !known.contains(s))
        {
            return Err(AppError::BadRequest(format!(
                "There is no source named \"{unknown}\". Sources: {}.",
                known.join(", ")
            )));
        }
    }
    Ok(parsed)
}

/// Store errors of a text search: a refused expression is the reader's
/// query at fault, not the server.
/// The changes `query` lists, the reverts among them with their word
/// counts (the store keeps counts for edits only).
pub(crate) fn list_changes(
    diffs: &cache::DiffCache,
    store: &dyn Store,
    query: &ChangeQuery,
) -> AppResult<Vec<redline_store::Change>> {
    let mut changes = store.changes(query).map_err(search_error)?;
    cache::count_revert_words(diffs, store, &mut changes)?;
    Ok(changes)
}

pub(crate) fn search_error(e: redline_store::StoreError) -> AppError {
    match e {
        redline_store::StoreError::Invalid(_) => AppError::BadRequest(
            "That query could not be understood. Use words, \"quoted phrases\", -excluded words, \
             source:NAME and title:word."
                .into(),
        ),
        other => other.into(),
    }
}

pub async fn search(State(state): State<AppState>, RawQuery(q): RawQuery) -> AppResult<Response> {
    let p = Params::parse(q.as_deref());
    let raw = p.get("q").unwrap_or("").trim().to_string();
    let problem = |raw: &str, e: AppError| -> Response {
        let status = e.status();
        let frame = Frame {
            title: "Search",
            nav: Nav::Search,
            query: raw,
            noindex: true,
            ..Frame::default()
        };
        let mut r = html(views::page(frame, views::search_problem(raw, &e.message())));
        *r.status_mut() = status;
        r
    };
    // A pasted URL is a lookup.
    if raw.starts_with("http://") || raw.starts_with("https://") {
        return Ok(Redirect::to(&format!("/lookup?url={}", views::encode(&raw))).into_response());
    }
    let page = match p.page() {
        Ok(page) => page,
        Err(e) => return Ok(problem(&raw, e)),
    };
    if raw.is_empty() {
        let frame = Frame {
            title: "Search",
            nav: Nav::Search,
            noindex: true,
            ..Frame::default()
        };
        let body = maud::html! {
            div.pagehead { h1 { "Search" } (views::search_form("")) }
            p.lede { "Search every version of every article: words that were removed are found too." }
            (views::search_help())
        };
        return Ok(html(views::page(frame, body)));
    }
    let query = raw.clone();
    let result = blocking(&state, move |store| {
        let parsed = parse_search(store, &query)?;
        let mut hits = store
            .find_articles(&ArticleQuery {
                sources: parsed.sources.clone(),
                exclude_sources: parsed.exclude_sources.clone(),
                text: Some(parsed.text.clone()),
                limit: PAGE_SIZE + 1,
                offset: offset(page),
                ..Default::default()
            })
            .map_err(search_error)?;
        let has_next = hits.len() > PAGE_SIZE;
        hits.truncate(PAGE_SIZE);
        // How many articles matched: this page tells when it is the only
        // one; otherwise count (up to the store's largest page).
        let total = if page == 1 && !has_next {
            hits.len()
        } else {
            store
                .find_articles(&ArticleQuery {
                    sources: parsed.sources.clone(),
                    exclude_sources: parsed.exclude_sources.clone(),
                    text: Some(parsed.text.clone()),
                    limit: SEARCH_COUNT_CAP,
                    ..Default::default()
                })
                .map_err(search_error)?
                .len()
        };
        let titles: std::collections::HashMap<String, String> = store
            .source_specs()?
            .into_iter()
            .map(|s| (s.name, s.title))
            .collect();
        let keys: Vec<_> = hits
            .iter()
            .filter_map(|h| h.matched.as_ref().map(|m| (h.article.id, m.number)))
            .collect();
        let texts = store.version_texts(&keys)?;
        let hits: Vec<_> = hits
            .into_iter()
            .map(|h| {
                let paragraphs = h.matched.as_ref().and_then(|m| {
                    texts
                        .iter()
                        .find(|v| v.meta.article_id == h.article.id && v.meta.number == m.number)
                        .map(|v| v.text.paragraphs.clone())
                });
                let snippet =
                    views::snippet(paragraphs.as_deref().unwrap_or(&[]), &parsed.highlight);
                let title = titles
                    .get(&h.article.source)
                    .cloned()
                    .unwrap_or_else(|| h.article.source.clone());
                (h, snippet, title)
            })
            .collect();
        Ok((hits, has_next, total))
    })
    .await;
    let (hits, has_next, total) = match result {
        Ok(found) => found,
        Err(e @ (AppError::BadRequest(_) | AppError::NotFound(_))) => return Ok(problem(&raw, e)),
        Err(e) => return Err(e),
    };
    if page > 1 && hits.is_empty() {
        return Ok(problem(
            &raw,
            AppError::NotFound(format!(
                "There is no page {page} of results for this search."
            )),
        ));
    }
    let extra = format!("q={}", views::encode(&raw));
    let frame = Frame {
        title: &raw,
        nav: Nav::Search,
        query: &raw,
        noindex: true,
        feeds: vec![
            (
                "application/atom+xml",
                format!("Changes matching {raw} (Atom)"),
                format!("/search/feed.atom?{extra}"),
            ),
            (
                "application/rss+xml",
                format!("Changes matching {raw} (RSS)"),
                format!("/search/feed.rss?{extra}"),
            ),
        ],
        ..Frame::default()
    };
    Ok(html(views::page(
        frame,
        views::search(views::SearchView {
            query: &raw,
            hits: &hits,
            total,
            capped: total >= SEARCH_COUNT_CAP,
            page,
            has_next,
            now: Utc::now(),
            feed_base: "/search/feed".into(),
        }),
    )))
}

/// Finds the article a URL names (in any form a reader might paste).
pub(crate) fn lookup_url(
    store: &dyn Store,
    url: &str,
) -> AppResult<Option<redline_store::Article>> {
    for candidate in redline_discover::lookup_candidates(url) {
        if let Some(article) = store.find_by_url(&candidate)? {
            if article.hidden {
                return Err(AppError::Gone);
            }
            return Ok(Some(article));
        }
    }
    Ok(None)
}

pub async fn lookup(State(state): State<AppState>, RawQuery(q): RawQuery) -> AppResult<Response> {
    let p = Params::parse(q.as_deref());
    let frame = || Frame {
        title: "Find an article by URL",
        noindex: true,
        ..Frame::default()
    };
    let Some(url) = p.get("url").map(str::trim).map(str::to_string) else {
        return Ok(html(views::page(frame(), views::lookup("", None))));
    };
    let with_status = |status: StatusCode, message: &str| {
        let mut r = html(views::page(frame(), views::lookup(&url, Some(message))));
        *r.status_mut() = status;
        r
    };
    if url.is_empty() {
        return Ok(with_status(
            StatusCode::BAD_REQUEST,
            "Paste the address of an article to find it.",
        ));
    }
    if url.len() > 2048 {
        return Ok(with_status(
            StatusCode::BAD_REQUEST,
            "That address is too long.",
        ));
    }
    if redline_discover::lookup_candidates(&url).is_empty() {
        return Ok(with_status(
            StatusCode::BAD_REQUEST,
            "That is not a web address redline could track.",
        ));
    }
    let query = url.clone();
    match blocking(&state, move |store| lookup_url(store, &query)).await? {
        Some(article) => Ok(Redirect::to(&format!("/articles/{}", article.id)).into_response()),
        None => Ok(with_status(
            StatusCode::NOT_FOUND,
            "redline does not track an article at that address.",
        )),
    }
}
