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
use utoipa::ToSchema;

use crate::error::{ApiResult, AppError, ErrorBody};
use crate::params::{self, Params};
use crate::{AppState, BaseUrl, blocking, cache, pages, visible_article};

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

pub(crate) fn json<T: Serialize>(value: &T) -> Response {
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

/// Where to read the article and its versions.
#[derive(Serialize, ToSchema)]
struct ArticleLinks {
    html: String,
    api: String,
    versions: String,
    feed_atom: String,
    feed_rss: String,
}

#[derive(Serialize, ToSchema)]
#[schema(as = Article)]
/// An article redline tracks.
pub struct ArticleJson {
    id: i64,
    source: String,
    url: String,
    /// Where the article is now, after redirects.
    current_url: String,
    title: Option<String>,
    status: ArticleStatus,
    merged_into: Option<i64>,
    first_seen: DateTime<Utc>,
    published: Option<DateTime<Utc>>,
    last_changed: Option<DateTime<Utc>>,
    last_checked: Option<DateTime<Utc>>,
    /// Null once the article is no longer checked.
    next_check: Option<DateTime<Utc>>,
    /// Versions kept, numbered from 0.
    versions: u32,
    /// Changes since redline first saw the article: edits (minor ones
    /// too), reverts, removals, redirects and returns; what "changed N
    /// times" counts everywhere.
    changes: u32,
    /// The version the site shows now (an earlier one after a revert).
    live_version: Option<u32>,
    checks: u32,
    last_error: Option<String>,
    /// In a search: the latest version the words matched (an older one
    /// when they were removed since).
    #[serde(skip_serializing_if = "Option::is_none")]
    matched_version: Option<redline_store::MatchedVersion>,
    links: ArticleLinks,
}

/// An article as the API shows it (and the alerts' webhooks send it).
pub fn article_json(
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

/// A page of articles.
#[derive(Serialize, ToSchema)]
struct ArticlePage {
    articles: Vec<ArticleJson>,
    /// Pass as `?cursor=` for the next page; null on the last one.
    #[schema(required = true)]
    next_cursor: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/articles", tag = "articles",
    summary = "Articles, most recently changed first",
    params(
        ("source" = Option<String>, Query, description = "Only this source."),
        ("status" = Option<ArticleStatus>, Query, description = "Only this status."),
        ("changed" = Option<bool>, Query, description = "Only articles with at least one change."),
        ("changed_since" = Option<String>, Query, description = "Only articles changed at or after this time (RFC 3339 or YYYY-MM-DD)."),
        ("q" = Option<String>, Query, description = "Full-text search: words, \"quoted phrases\", -excluded, word OR word, prefix*, title:word, source:NAME."),
        crate::openapi::PageParams,
    ),
    responses(
        (status = 200, description = "A page of articles.", body = ArticlePage),
        (status = 400, description = "Bad input: the message says what to change. Also an unknown parameter, named in the error.", body = ErrorBody),
        (status = 404, description = "An unknown source (named in the error, with the known ones).", body = ErrorBody),
    ))]
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
            query.text = Some(parsed.text);
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
    Ok(json(&ArticlePage {
        articles,
        next_cursor,
    }))
}

#[derive(Serialize, ToSchema)]
#[schema(as = Event)]
/// A notable event in an article's life.
struct EventJson {
    at: DateTime<Utc>,
    kind: redline_store::EventKind,
    version: Option<u32>,
    detail: Option<String>,
}

#[derive(Serialize, ToSchema)]
/// One article and its notable events.
struct ArticleDetail {
    #[serde(flatten)]
    article: ArticleJson,
    /// Notable events, oldest first: reverts, removals, retirements, merges.
    events: Vec<EventJson>,
}

#[utoipa::path(get, path = "/api/v1/articles/{id}", tag = "articles",
    summary = "One article",
    params(crate::openapi::ArticlePath),
    responses(
        (status = 200, description = "The article and its notable events.", body = ArticleDetail),
        (status = 404, description = "No such article, version or source.", body = ErrorBody),
        (status = 410, description = "The article was hidden by an administrator (e.g. a legal takedown).", body = ErrorBody),
    ))]
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

#[derive(Serialize, ToSchema)]
#[schema(as = Version)]
/// One version's metadata.
struct VersionJson {
    number: u32,
    seen_at: DateTime<Utc>,
    title: String,
    byline: String,
    published: Option<DateTime<Utc>>,
    /// Only whitespace or punctuation changed from the previous version.
    minor: bool,
    /// Words added since the previous version.
    words_added: u32,
    /// Words removed since the previous version.
    words_removed: u32,
    links: VersionLinks,
}

/// Where to read the version, and its diff with the one before.
#[derive(Serialize, ToSchema)]
struct VersionLinks {
    html: String,
    api: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    diff_with_previous: Option<String>,
    /// The archived capture (the response as fetched), where one was kept.
    #[serde(skip_serializing_if = "Option::is_none")]
    capture: Option<String>,
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
            capture: m.capture.as_ref().map(|_| {
                format!(
                    "{base}/api/v1/articles/{}/versions/{}/capture",
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

/// An article's versions, oldest first.
#[derive(Serialize, ToSchema)]
struct VersionList {
    article_id: i64,
    versions: Vec<VersionJson>,
}

#[utoipa::path(get, path = "/api/v1/articles/{id}/versions", tag = "articles",
    summary = "An article's versions, oldest first",
    params(crate::openapi::ArticlePath),
    responses(
        (status = 200, description = "Version metadata.", body = VersionList),
        (status = 404, description = "No such article, version or source.", body = ErrorBody),
        (status = 410, description = "The article was hidden by an administrator (e.g. a legal takedown).", body = ErrorBody),
    ))]
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

/// One version with its text.
#[derive(Serialize, ToSchema)]
struct VersionText {
    article_id: i64,
    #[serde(flatten)]
    version: VersionJson,
    paragraphs: Vec<String>,
}

#[utoipa::path(get, path = "/api/v1/articles/{id}/versions/{n}", tag = "articles",
    summary = "One version with its text",
    params(
        crate::openapi::ArticlePath,
        ("n" = u32, Path, description = "Version number (from 0)."),
    ),
    responses(
        (status = 200, description = "The version and its paragraphs.", body = VersionText),
        (status = 404, description = "No such article, version or source.", body = ErrorBody),
        (status = 410, description = "The article was hidden by an administrator (e.g. a legal takedown).", body = ErrorBody),
    ))]
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
#[derive(Serialize, ToSchema)]
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
#[derive(Serialize, ToSchema)]
#[schema(as = Diff)]
pub struct DiffJson<'a> {
    article_id: i64,
    from: DiffSide,
    to: DiffSide,
    html: String,
    /// `edit` from an earlier to a later version, `revert` the other way.
    kind: ChangeKind,
    labels: &'a [Label],
    /// 0 to 100: how much the change matters.
    #[schema(maximum = 100)]
    significance: u8,
    level: Level,
    /// One line: what changed.
    summary: &'a str,
    /// What gave the significance, largest first.
    features: &'a [Feature],
    /// The sentence-level edit actions.
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

#[utoipa::path(get, path = "/api/v1/articles/{id}/diff/{a}/{b}", tag = "articles",
    summary = "What changed between two versions",
    params(
        crate::openapi::ArticlePath,
        ("a" = u32, Path, description = "First version number (from 0)."),
        ("b" = u32, Path, description = "Second version number."),
    ),
    responses(
        (status = 200, description = "Paragraph- and word-level diff, with its assessment.", body = DiffJson),
        (status = 404, description = "No such article, version or source.", body = ErrorBody),
        (status = 410, description = "The article was hidden by an administrator (e.g. a legal takedown).", body = ErrorBody),
    ))]
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

#[derive(Serialize, ToSchema)]
#[schema(as = Change)]
/// One change of one article: an edit, a revert, a removal, a redirect or
/// a return.
pub struct ChangeJson {
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
    /// Only whitespace or punctuation changed.
    minor: bool,
    words_added: u32,
    words_removed: u32,
    labels: Vec<Label>,
    /// 0 to 100: how much the change matters.
    #[schema(maximum = 100)]
    significance: u8,
    level: Level,
    /// One line: what changed.
    summary: String,
    /// The site change this change is part of (a template change).
    site_change: Option<i64>,
    /// The HTTP status of a removal, the target of a redirect.
    detail: Option<String>,
    links: ChangeLinks,
}

/// Where to read the change.
#[derive(Serialize, ToSchema)]
pub struct ChangeLinks {
    html: String,
    diff: String,
    article: String,
}

/// A change as the API shows it (and the alerts' webhooks send it), its
/// links under `base`.
pub fn change_json(base: &str, c: Change) -> ChangeJson {
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

/// A page of changes.
#[derive(Serialize, ToSchema)]
struct ChangePage {
    changes: Vec<ChangeJson>,
    /// Pass as `?cursor=` for the next page; null on the last one.
    #[schema(required = true)]
    next_cursor: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/changes", tag = "changes",
    summary = "Changes, newest first",
    params(
        ("source" = Option<String>, Query, description = "Only this source."),
        ("article" = Option<i64>, Query, description = "Only this article."),
        ("minor" = Option<bool>, Query, description = "Include whitespace/punctuation-only changes."),
        ("since" = Option<String>, Query, description = "Only changes seen at or after this time (RFC 3339 or YYYY-MM-DD)."),
        ("q" = Option<String>, Query, description = "Full-text search: words, \"quoted phrases\", -excluded, word OR word, prefix*, title:word, source:NAME."),
        ("min_significance" = Option<String>, Query, description = "Only changes at least this significant: a number from 0 to 100, or minor, notable (20), major (60)."),
        ("min" = Option<String>, Query, description = "The same as min_significance (the lists' name for it)."),
        ("label" = Option<Label>, Query, description = "Only changes with this label; repeat for any of several."),
        ("site_changes" = Option<bool>, Query, description = "Include the changes grouped into site changes (template changes seen on many articles of a source); always included with article."),
        crate::openapi::PageParams,
    ),
    responses(
        (status = 200, description = "A page of changes.", body = ChangePage),
        (status = 400, description = "Bad input: the message says what to change. Also an unknown parameter, named in the error.", body = ErrorBody),
        (status = 404, description = "No such article, version or source.", body = ErrorBody),
        (status = 410, description = "The article was hidden by an administrator (e.g. a legal takedown).", body = ErrorBody),
    ))]
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
            query.text = Some(parsed.text);
        }
        pages::list_changes(&diffs, store, &query)
    })
    .await?;
    let next_cursor =
        (changes.len() > limit).then(|| params::encode_change_cursor(changes[limit - 1].cursor()));
    Ok(json(&ChangePage {
        changes: changes
            .into_iter()
            .take(limit)
            .map(|c| change_json(&base, c))
            .collect(),
        next_cursor,
    }))
}

/// Every source.
#[derive(Serialize, ToSchema)]
struct SourceList {
    sources: Vec<SourceSummary>,
}

#[utoipa::path(get, path = "/api/v1/sources", tag = "sources",
    summary = "Sources with their counts",
    responses(
        (status = 200, description = "Every source.", body = SourceList),
    ))]
pub async fn sources(State(state): State<AppState>) -> ApiResult<Response> {
    let sources = blocking(&state, |store| Ok(store.visible_sources()?)).await?;
    Ok(json(&SourceList { sources }))
}

#[derive(Serialize, ToSchema)]
#[schema(as = Listing)]
/// A feed, page or sitemap where a source's new articles are found.
struct ListingJson {
    kind: redline_config::ListingKind,
    url: String,
    last_poll: Option<DateTime<Utc>>,
    next_poll: DateTime<Utc>,
    last_error: Option<String>,
    consecutive_errors: u32,
}

/// One source with its statistics, site changes and listings.
#[derive(Serialize, ToSchema)]
struct SourceDetail {
    #[serde(flatten)]
    summary: SourceSummary,
    /// How the outlet edits: the last 7 days, the last 30 days and all
    /// time, in that order.
    statistics: Vec<SourceStats>,
    site_changes: Vec<SiteChange>,
    article_url: Option<String>,
    exclude_url: Option<String>,
    listings: Vec<ListingJson>,
}

#[utoipa::path(get, path = "/api/v1/sources/{name}", tag = "sources",
    summary = "One source with its statistics and listings",
    params(
        ("name" = String, Path, description = "Source name."),
    ),
    responses(
        (status = 200, description = "The source.", body = SourceDetail),
        (status = 404, description = "No such article, version or source.", body = ErrorBody),
    ))]
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

#[utoipa::path(get, path = "/api/v1/lookup", tag = "articles",
    summary = "Find an article by its URL",
    params(
        ("url" = String, Query, description = "The article's address, with or without scheme, query or trailing slash."),
    ),
    responses(
        (status = 200, description = "The article.", body = ArticleJson),
        (status = 400, description = "Bad input: the message says what to change.", body = ErrorBody),
        (status = 404, description = "No such article, version or source.", body = ErrorBody),
        (status = 410, description = "The article was hidden by an administrator (e.g. a legal takedown).", body = ErrorBody),
    ))]
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
    let mut r = crate::openapi::document().into_response();
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
