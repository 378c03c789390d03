//! The JSON API under `/api/v1/`, described by `/api/v1/openapi.json`.
//! Lists are paged with opaque cursors (`next_cursor`, passed back as
//! `?cursor=`); errors are `{"error": "...", "status": N}` with a 4xx/5xx
//! status. `<`, `>` and `&` are written as `\u` escapes, so no answer can
//! be mistaken for markup.

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use redline_classify::{Action, Feature, Label, Level};
use redline_store::{
    Article, ArticleHit, ArticleQuery, ArticleStatus, Change, ChangeKind, ChangeQuery, Listing,
    SiteChange, SourceStats, SourceSummary, VersionMeta,
};
use serde::Serialize;

use crate::error::{ApiResult, AppError};
use crate::params::{self, Params};
use crate::{AppState, BaseUrl, blocking, cache, pages, visible_article};

const OPENAPI: &str = include_str!("openapi.json");
const DEFAULT_LIMIT: usize = 50;
const MAX_LIMIT: usize = 200;

/// Serialises to JSON with `<`, `>` and `&` escaped.
pub fn json_bytes<T: Serialize>(value: &T) -> Vec<u8> {
    let raw = serde_json::to_string(value).unwrap_or_else(|_| "{}".into());
    // These characters only ever occur inside JSON strings, where the
    // \u form means the same.
    raw.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .into_bytes()
}

fn json<T: Serialize>(value: &T) -> Response {
    let mut r = json_bytes(value).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    r
}

#[derive(Serialize)]
struct ArticleLinks {
    html: String,
    api: String,
    versions: String,
    feed_atom: String,
    feed_rss: String,
}

#[derive(Serialize)]
pub struct ArticleJson {
    id: i64,
    source: String,
    url: String,
    /// Where the article is now (after redirects).
    current_url: String,
    title: Option<String>,
    status: ArticleStatus,
    merged_into: Option<i64>,
    first_seen: DateTime<Utc>,
    published: Option<DateTime<Utc>>,
    last_changed: Option<DateTime<Utc>>,
    last_checked: Option<DateTime<Utc>>,
    next_check: Option<DateTime<Utc>>,
    versions: u32,
    changes: u32,
    live_version: Option<u32>,
    checks: u32,
    last_error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    matched_version: Option<redline_store::MatchedVersion>,
    links: ArticleLinks,
}

fn article_json(
    base: &str,
    a: Article,
    matched: Option<redline_store::MatchedVersion>,
) -> ArticleJson {
    let html = format!("{base}/articles/{}", a.id);
    let api = format!("{base}/api/v1/articles/{}", a.id);
    ArticleJson {
        links: ArticleLinks {
            versions: format!("{api}/versions"),
            feed_atom: format!("{html}/feed.atom"),
            feed_rss: format!("{html}/feed.rss"),
            html,
            api,
        },
        changes: a.changes(),
        current_url: a.final_url.clone().unwrap_or_else(|| a.url.clone()),
        id: a.id,
        source: a.source,
        url: a.url,
        title: a.title,
        status: a.status,
        merged_into: a.merged_into,
        first_seen: a.first_seen,
        published: a.published,
        last_changed: a.last_changed.filter(|_| a.version_count > 1),
        last_checked: a.last_checked,
        next_check: a.next_check,
        versions: a.version_count,
        live_version: a.live_version,
        checks: a.checks,
        last_error: a.last_error,
        matched_version: matched,
    }
}

#[derive(Serialize)]
struct Page<T> {
    #[serde(flatten)]
    items: T,
    /// Pass as `?cursor=` for the next page; null on the last one.
    next_cursor: Option<String>,
}

#[derive(Serialize)]
struct ArticleList {
    articles: Vec<ArticleJson>,
}

pub async fn articles(
    State(state): State<AppState>,
    BaseUrl(base): BaseUrl,
    RawQuery(q): RawQuery,
) -> ApiResult<Response> {
    let p = Params::parse(q.as_deref());
    p.only(&[
        "source",
        "status",
        "changed",
        "changed_since",
        "q",
        "limit",
        "cursor",
    ])?;
    let limit = p.limit(DEFAULT_LIMIT, MAX_LIMIT)?;
    let after = params::article_cursor(&p)?;
    let status = p
        .text("status")
        .map(|s| {
            ArticleStatus::parse(s).ok_or_else(|| {
                AppError::BadRequest(format!(
                    "status must be one of active, retired, gone, merged; not {:?}.",
                    params::clip(s)
                ))
            })
        })
        .transpose()?;
    let source = p.text("source").map(str::to_string);
    if let Some(s) = &source
        && !params::is_source_name(s)
    {
        return Err(
            AppError::BadRequest(format!("{:?} is not a source name.", params::clip(s))).into(),
        );
    }
    let changed_since = p.time("changed_since")?;
    let changed_only = p.flag("changed")?;
    let text = p.text("q").map(str::to_string);
    let hits: Vec<ArticleHit> = blocking(&state, move |store| {
        if let Some(name) = &source {
            pages::known_source(store, name)?;
        }
        let mut query = ArticleQuery {
            sources: source.into_iter().collect(),
            status,
            changed_only,
            changed_since,
            after,
            limit: limit + 1,
            ..Default::default()
        };
        if let Some(raw) = text {
            let parsed = pages::parse_search(store, &raw)?;
            query.sources.extend(parsed.sources);
            query.exclude_sources = parsed.exclude_sources;
            query.text = Some(parsed.fts);
        }
        store.find_articles(&query).map_err(pages::search_error)
    })
    .await?;
    let next_cursor =
        (hits.len() > limit).then(|| params::encode_article_cursor(hits[limit - 1].cursor()));
    let articles = hits
        .into_iter()
        .take(limit)
        .map(|h| article_json(&base, h.article, h.matched))
        .collect();
    Ok(json(&Page {
        items: ArticleList { articles },
        next_cursor,
    }))
}

#[derive(Serialize)]
struct EventJson {
    at: DateTime<Utc>,
    kind: redline_store::EventKind,
    version: Option<u32>,
    detail: Option<String>,
}

#[derive(Serialize)]
struct ArticleDetail {
    #[serde(flatten)]
    article: ArticleJson,
    /// Notable events, oldest first: reverts, removals, retirements, merges.
    events: Vec<EventJson>,
}

pub async fn article(
    State(state): State<AppState>,
    BaseUrl(base): BaseUrl,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let (article, events) = blocking(&state, move |store| {
        let article = visible_article(store, &id)?;
        let events = store.events(article.id)?;
        Ok((article, events))
    })
    .await?;
    use redline_store::EventKind as K;
    let events = events
        .into_iter()
        .filter(|e| {
            matches!(
                e.kind,
                K::Reverted
                    | K::Gone
                    | K::Redirected
                    | K::Restored
                    | K::Retired
                    | K::Merged
                    | K::Rebuilt
            )
        })
        .map(|e| EventJson {
            at: e.at,
            kind: e.kind,
            version: e.version,
            detail: e.detail,
        })
        .collect();
    Ok(json(&ArticleDetail {
        article: article_json(&base, article, None),
        events,
    }))
}

#[derive(Serialize)]
struct VersionJson {
    number: u32,
    seen_at: DateTime<Utc>,
    title: String,
    byline: String,
    published: Option<DateTime<Utc>>,
    minor: bool,
    words_added: u32,
    words_removed: u32,
    links: VersionLinks,
}

#[derive(Serialize)]
struct VersionLinks {
    html: String,
    api: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    diff_with_previous: Option<String>,
}

fn version_json(base: &str, m: VersionMeta) -> VersionJson {
    let html = format!("{base}/articles/{}/versions/{}", m.article_id, m.number);
    VersionJson {
        links: VersionLinks {
            api: format!(
                "{base}/api/v1/articles/{}/versions/{}",
                m.article_id, m.number
            ),
            diff_with_previous: m.number.checked_sub(1).map(|p| {
                format!(
                    "{base}/api/v1/articles/{}/diff/{p}/{}",
                    m.article_id, m.number
                )
            }),
            html,
        },
        number: m.number,
        seen_at: m.seen_at,
        title: m.title,
        byline: m.byline,
        published: m.published,
        minor: m.minor,
        words_added: m.words_added,
        words_removed: m.words_removed,
    }
}

#[derive(Serialize)]
struct VersionList {
    article_id: i64,
    versions: Vec<VersionJson>,
}

pub async fn versions(
    State(state): State<AppState>,
    BaseUrl(base): BaseUrl,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let (article, versions) = blocking(&state, move |store| {
        let article = visible_article(store, &id)?;
        let versions = store.versions(article.id)?;
        Ok((article, versions))
    })
    .await?;
    Ok(json(&VersionList {
        article_id: article.id,
        versions: versions
            .into_iter()
            .map(|m| version_json(&base, m))
            .collect(),
    }))
}

#[derive(Serialize)]
struct VersionText {
    article_id: i64,
    #[serde(flatten)]
    version: VersionJson,
    paragraphs: Vec<String>,
}

pub async fn version(
    State(state): State<AppState>,
    BaseUrl(base): BaseUrl,
    Path((id, n)): Path<(String, String)>,
) -> ApiResult<Response> {
    let version = blocking(&state, move |store| {
        let article = visible_article(store, &id)?;
        let n = params::version_number(&n, article.version_count)?;
        store
            .version(article.id, n)?
            .ok_or_else(|| AppError::NotFound(format!("There is no version {n}.")))
    })
    .await?;
    Ok(json(&VersionText {
        article_id: version.meta.article_id,
        paragraphs: version.text.paragraphs,
        version: version_json(&base, version.meta),
    }))
}

/// One side of a diff: the version's number, when it was first seen and
/// its headline.
#[derive(Serialize)]
pub struct DiffSide {
    number: u32,
    seen_at: DateTime<Utc>,
    title: String,
}

impl DiffSide {
    fn of(m: &VersionMeta) -> Self {
        DiffSide {
            number: m.number,
            seen_at: m.seen_at,
            title: m.title.clone(),
        }
    }
}

/// The diff between two versions as `/api/v1/articles/ID/diff/A/B`
/// answers it and `redline diff --json` prints it: one type, one shape.
#[derive(Serialize)]
pub struct DiffJson<'a> {
    article_id: i64,
    from: DiffSide,
    to: DiffSide,
    html: String,
    /// `edit` from an earlier to a later version, `revert` the other way.
    kind: ChangeKind,
    labels: &'a [Label],
    significance: u8,
    level: Level,
    summary: &'a str,
    features: &'a [Feature],
    actions: &'a [Action],
    #[serde(flatten)]
    diff: &'a redline_diff::Diff,
}

impl<'a> DiffJson<'a> {
    /// The diff of versions `from` → `to` of an article, with its
    /// assessment. `base` begins the `html` link: the public address in
    /// the API, `""` for a link relative to the web interface (the
    /// command line knows no base URL).
    pub fn new(
        base: &str,
        article_id: redline_store::ArticleId,
        from: &VersionMeta,
        to: &VersionMeta,
        assessment: &'a redline_classify::Assessment,
        diff: &'a redline_diff::Diff,
    ) -> Self {
        DiffJson {
            article_id,
            html: format!(
                "{base}/articles/{article_id}/diff/{}/{}",
                from.number, to.number
            ),
            from: DiffSide::of(from),
            to: DiffSide::of(to),
            kind: if from.number < to.number {
                ChangeKind::Edit
            } else {
                ChangeKind::Revert
            },
            labels: &assessment.labels,
            significance: assessment.significance,
            level: assessment.level(),
            summary: &assessment.summary,
            features: &assessment.features,
            actions: &assessment.actions,
            diff,
        }
    }
}

pub async fn diff(
    State(state): State<AppState>,
    BaseUrl(base): BaseUrl,
    Path((id, a, b)): Path<(String, String, String)>,
) -> ApiResult<Response> {
    let diffs = state.diffs.clone();
    let (article, from, to, diff) = blocking(&state, move |store| {
        let article = visible_article(store, &id)?;
        let versions = store.versions(article.id)?;
        let count = versions.len() as u32;
        let from = params::version_number(&a, count)?;
        let to = params::version_number(&b, count)?;
        let diff = cache::diff_pair(&diffs, store, article.id, from, to)?;
        Ok((
            article,
            versions[from as usize].clone(),
            versions[to as usize].clone(),
            diff,
        ))
    })
    .await?;
    let assessment = cache::assessment(&diff, &article.url);
    Ok(json(&DiffJson::new(
        &base,
        article.id,
        &from,
        &to,
        &assessment,
        &diff,
    )))
}

#[derive(Serialize)]
struct ChangeJson {
    kind: ChangeKind,
    article_id: i64,
    source: String,
    source_title: String,
    url: String,
    status: ArticleStatus,
    version: u32,
    previous_version: u32,
    seen_at: DateTime<Utc>,
    previous_seen_at: DateTime<Utc>,
    title: String,
    previous_title: String,
    headline_changed: bool,
    minor: bool,
    words_added: u32,
    words_removed: u32,
    labels: Vec<Label>,
    significance: u8,
    level: Level,
    summary: String,
    /// The site change this change is part of (a template change).
    site_change: Option<i64>,
    /// The HTTP status of a removal, the target of a redirect.
    detail: Option<String>,
    links: ChangeLinks,
}

#[derive(Serialize)]
struct ChangeLinks {
    html: String,
    diff: String,
    article: String,
}

fn change_json(base: &str, c: Change) -> ChangeJson {
    let (id, from, n) = (c.article_id, c.from, c.number);
    ChangeJson {
        links: ChangeLinks {
            html: format!("{base}{}", crate::changeview::change_href(&c)),
            diff: format!("{base}/api/v1/articles/{id}/diff/{from}/{n}"),
            article: format!("{base}/api/v1/articles/{id}"),
        },
        level: c.level(),
        labels: c.labels,
        significance: c.significance,
        summary: c.summary,
        site_change: c.site_change,
        detail: c.detail,
        kind: c.kind,
        article_id: id,
        headline_changed: c.title != c.previous_title,
        source: c.source,
        source_title: c.source_title,
        url: c.url,
        status: c.status,
        version: n,
        previous_version: from,
        seen_at: c.seen_at,
        previous_seen_at: c.previous_seen_at,
        title: c.title,
        previous_title: c.previous_title,
        minor: c.minor,
        words_added: c.words_added,
        words_removed: c.words_removed,
    }
}

#[derive(Serialize)]
struct ChangeList {
    changes: Vec<ChangeJson>,
}

pub async fn changes(
    State(state): State<AppState>,
    BaseUrl(base): BaseUrl,
    RawQuery(q): RawQuery,
) -> ApiResult<Response> {
    let p = Params::parse(q.as_deref());
    p.only(&[
        "source",
        "article",
        "minor",
        "since",
        "q",
        "min_significance",
        "min",
        "label",
        "site_changes",
        "limit",
        "cursor",
    ])?;
    let limit = p.limit(DEFAULT_LIMIT, MAX_LIMIT)?;
    let after = params::change_cursor(&p)?;
    let include_minor = p.flag("minor")?;
    let since = p.time("since")?;
    let source = p.text("source").map(str::to_string);
    if let Some(s) = &source
        && !params::is_source_name(s)
    {
        return Err(
            AppError::BadRequest(format!("{:?} is not a source name.", params::clip(s))).into(),
        );
    }
    let article = p
        .text("article")
        .map(|raw| {
            params::article_id(raw).map_err(|_| {
                AppError::BadRequest(format!(
                    "article must be an article id, not {:?}.",
                    params::clip(raw)
                ))
            })
        })
        .transpose()?;
    let text = p.text("q").map(str::to_string);
    let min_significance = match p.text("min_significance") {
        None => None,
        Some(v) => Some(crate::changeview::parse_min(v).map_err(|_| {
            AppError::BadRequest(format!(
                "min_significance must be a number from 0 to 100, not {:?}.",
                params::clip(v)
            ))
        })?),
    };
    let filters = crate::changeview::ChangeFilters::parse(&p)?;
    let include_site_changes = p.flag("site_changes")?;
    let diffs = state.diffs.clone();
    let changes = blocking(&state, move |store| {
        if let Some(name) = &source {
            pages::known_source(store, name)?;
        }
        if let Some(id) = article {
            let a = store
                .article(id)?
                .ok_or_else(|| AppError::NotFound(format!("There is no article {id}.")))?;
            if a.hidden {
                return Err(AppError::Gone);
            }
        }
        let mut query = ChangeQuery {
            sources: source.into_iter().collect(),
            article,
            include_minor,
            since,
            after,
            limit: limit + 1,
            ..Default::default()
        };
        filters.apply(&mut query);
        query.min_significance = min_significance.or(filters.min);
        query.include_site_changes = include_site_changes || article.is_some();
        if let Some(raw) = text {
            let parsed = pages::parse_search(store, &raw)?;
            query.sources.extend(parsed.sources);
            query.exclude_sources = parsed.exclude_sources;
            query.text = Some(parsed.fts);
        }
        pages::list_changes(&diffs, store, &query)
    })
    .await?;
    let next_cursor =
        (changes.len() > limit).then(|| params::encode_change_cursor(changes[limit - 1].cursor()));
    Ok(json(&Page {
        items: ChangeList {
            changes: changes
                .into_iter()
                .take(limit)
                .map(|c| change_json(&base, c))
                .collect(),
        },
        next_cursor,
    }))
}

#[derive(Serialize)]
struct SourceList {
    sources: Vec<SourceSummary>,
}

pub async fn sources(State(state): State<AppState>) -> ApiResult<Response> {
    let sources = blocking(&state, |store| Ok(store.visible_sources()?)).await?;
    Ok(json(&SourceList { sources }))
}

#[derive(Serialize)]
struct ListingJson {
    kind: String,
    url: String,
    last_poll: Option<DateTime<Utc>>,
    next_poll: DateTime<Utc>,
    last_error: Option<String>,
    consecutive_errors: u32,
}

#[derive(Serialize)]
struct SourceDetail {
    #[serde(flatten)]
    summary: SourceSummary,
    /// How the outlet edits, over the last 7 days, 30 days and all time.
    statistics: Vec<SourceStats>,
    site_changes: Vec<SiteChange>,
    article_url: Option<String>,
    exclude_url: Option<String>,
    listings: Vec<ListingJson>,
}

pub async fn source(
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> ApiResult<Response> {
    let detail = blocking(&state, move |store| {
        let missing = || {
            AppError::NotFound(format!(
                "There is no source named {:?}.",
                params::clip(&name)
            ))
        };
        if !params::is_source_name(&name) {
            return Err(missing());
        }
        let summary = store
            .visible_sources()?
            .into_iter()
            .find(|s| s.name == name)
            .ok_or_else(missing)?;
        let spec = store.source_specs()?.into_iter().find(|s| s.name == name);
        let listings = store
            .listings()?
            .into_iter()
            .filter(|l| l.source == name)
            .map(|l: Listing| ListingJson {
                kind: l.kind,
                url: l.url,
                last_poll: l.last_poll,
                next_poll: l.next_poll,
                last_error: l.last_error,
                consecutive_errors: l.consecutive_errors,
            })
            .collect();
        Ok(SourceDetail {
            statistics: store.source_stats(&name, Utc::now())?,
            site_changes: store.site_changes(Some(&name), 50)?,
            summary,
            article_url: spec.as_ref().and_then(|s| s.article_url.clone()),
            exclude_url: spec.and_then(|s| s.exclude_url),
            listings,
        })
    })
    .await?;
    Ok(json(&detail))
}

pub async fn lookup(
    State(state): State<AppState>,
    BaseUrl(base): BaseUrl,
    RawQuery(q): RawQuery,
) -> ApiResult<Response> {
    let p = Params::parse(q.as_deref());
    let Some(url) = p.text("url").map(str::to_string) else {
        return Err(AppError::BadRequest("Pass the article's address as ?url=.".into()).into());
    };
    if url.len() > 2048 || redline_discover::lookup_candidates(&url).is_empty() {
        return Err(
            AppError::BadRequest("That is not a web address redline could track.".into()).into(),
        );
    }
    let found = blocking(&state, move |store| pages::lookup_url(store, &url)).await?;
    match found {
        Some(article) => Ok(json(&article_json(&base, article, None))),
        None => Err(AppError::NotFound(
            "redline does not track an article at that address.".into(),
        )
        .into()),
    }
}

pub async fn openapi() -> Response {
    let mut r = OPENAPI.into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    r
}

pub async fn not_found() -> Response {
    AppError::NotFound("There is no such API endpoint; see /api/v1/openapi.json.".into())
        .into_json()
}
