//! Admin endpoints: add a source, re-check, retire, hide or show an
//! article. Each needs `Authorization: Bearer TOKEN` with the configured
//! admin token; without a token configured they do not exist (404).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use redline_config::ListingKind;
use redline_store::SourceSpec;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{ApiError, ApiResult, AppError, ErrorBody};
use crate::params;
use crate::{AppState, blocking};

/// Compares without leaking where the first difference is.
fn same(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn authorize(state: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(token) = state.config.admin_token.as_deref() else {
        return Err(AppError::NotFound(
            "There is no such API endpoint (admin endpoints are off: no admin token is configured)."
                .into(),
        )
        .into());
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim);
    match given {
        Some(given) if same(given.as_bytes(), token.as_bytes()) => Ok(()),
        _ => Err(AppError::Unauthorized.into()),
    }
}

fn done<T: Serialize>(status: StatusCode, body: T) -> Response {
    let mut r = (status, crate::api::json_bytes(&body)).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/json"),
    );
    r
}

/// A source to add: `POST /api/v1/admin/sources`. At least one feed, page
/// or sitemap.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSource {
    /// Letters, digits, `-` and `_`, at most 64.
    #[schema(pattern = "^[A-Za-z0-9_-]{1,64}$")]
    name: String,
    /// The outlet's display name (the name when left out).
    title: Option<String>,
    /// RSS or Atom feeds.
    #[serde(default)]
    #[schema(format = "uri")]
    feeds: Vec<String>,
    /// Pages whose links are scanned for articles (front pages, sections).
    #[serde(default)]
    #[schema(format = "uri")]
    pages: Vec<String>,
    /// News sitemaps.
    #[serde(default)]
    #[schema(format = "uri")]
    sitemaps: Vec<String>,
    /// Regular expression an article URL must match.
    article_url: Option<String>,
    /// Regular expression that drops a URL.
    exclude_url: Option<String>,
    /// CSS rules for the source's pages, as `[source.extract]` in the
    /// configuration.
    #[serde(default)]
    extract: redline_config::ExtractRules,
}

/// The answer to an added source.
#[derive(Debug, Serialize, ToSchema)]
pub struct AddedSource {
    /// The source's name.
    added: String,
    /// Where the API shows it.
    source: String,
}

/// The answer to an action on an article.
#[derive(Debug, Serialize, ToSchema)]
pub struct ArticleActionDone {
    article: i64,
    /// What was done: "scheduled for a check", "retired", "hidden" or
    /// "shown again".
    done: String,
}

fn check_url(u: &str) -> Result<(), AppError> {
    if params::safe_link(u).is_none() || u.len() > 2048 {
        return Err(AppError::BadRequest(format!(
            "{:?} is not an http(s) URL.",
            params::clip(u)
        )));
    }
    Ok(())
}

/// Compiled as the configuration's patterns are (and as the crawler will
/// compile it).
fn check_regex(field: &str, pattern: &Option<String>) -> Result<(), AppError> {
    if let Some(p) = pattern {
        redline_config::Pattern::new(p)
            .map_err(|e| AppError::BadRequest(format!("{field}: {e}.")))?;
    }
    Ok(())
}

/// The CSS rules, checked as the configuration's are and compiled as the
/// crawler will compile them.
fn check_rules(rules: &redline_config::ExtractRules) -> Result<(), AppError> {
    rules
        .check()
        .and_then(|()| {
            redline_extract::Extractor::with_rules(&redline_extract::SiteRules {
                body: rules.body.clone(),
                remove: rules.remove.clone(),
            })
            .map(drop)
            .map_err(|e| e.to_string())
        })
        .map_err(|e| AppError::BadRequest(format!("extract: {e}.")))
}

#[utoipa::path(post, path = "/api/v1/admin/sources", tag = "admin",
    summary = "Add a source (crawled from then on)",
    security(("adminToken" = [])),
    request_body = NewSource,
    responses(
        (status = 201, description = "Added.", body = AddedSource),
        (status = 400, description = "Bad input: the message says what to change.", body = ErrorBody),
        (status = 401, description = "Missing or wrong admin token.", body = ErrorBody),
        (status = 404, description = "Admin endpoints are off (no admin token configured), or no such article.", body = ErrorBody),
        (status = 409, description = "A source of that name exists.", body = ErrorBody),
    ))]
pub async fn add_source(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    authorize(&state, &headers)?;
    let new: NewSource = serde_json::from_slice(&body).map_err(|e| {
        AppError::BadRequest(format!(
            "The body must be a JSON object with name, title, feeds, pages, sitemaps, \
             article_url, exclude_url, extract: {e}"
        ))
    })?;
    if !params::is_source_name(&new.name) {
        return Err(AppError::BadRequest(format!(
            "name must be {}.",
            redline_config::SOURCE_NAME_RULE
        ))
        .into());
    }
    let mut listings = Vec::new();
    for (kind, urls) in [
        (ListingKind::Feed, &new.feeds),
        (ListingKind::Page, &new.pages),
        (ListingKind::Sitemap, &new.sitemaps),
    ] {
        for u in urls {
            check_url(u)?;
            listings.push((kind, u.clone()));
        }
    }
    if listings.is_empty() {
        return Err(AppError::BadRequest(
            "Give at least one feed, page or sitemap where new articles are found.".into(),
        )
        .into());
    }
    check_regex("article_url", &new.article_url)?;
    check_regex("exclude_url", &new.exclude_url)?;
    check_rules(&new.extract)?;
    let spec = SourceSpec {
        title: new
            .title
            .filter(|t| !t.trim().is_empty())
            .unwrap_or_else(|| new.name.clone()),
        name: new.name,
        listings,
        article_url: new.article_url,
        exclude_url: new.exclude_url,
        extract_body: new.extract.body,
        extract_remove: new.extract.remove,
    };
    let name = spec.name.clone();
    blocking(
        &state,
        move |store| Ok(store.add_source(&spec, Utc::now())?),
    )
    .await?;
    Ok(done(
        StatusCode::CREATED,
        AddedSource {
            source: format!("/api/v1/sources/{name}"),
            added: name,
        },
    ))
}

/// What an action on an article answers.
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)] // read by utoipa only
enum ActionAnswers {
    #[response(status = 200, description = "Done.")]
    Done(#[to_schema] ArticleActionDone),
    #[response(status = 401, description = "Missing or wrong admin token.")]
    Unauthorized(#[to_schema] ErrorBody),
    #[response(
        status = 404,
        description = "Admin endpoints are off (no admin token configured), or no such article."
    )]
    NotFound(#[to_schema] ErrorBody),
    #[response(
        status = 409,
        description = "Not applicable in the article's current state."
    )]
    Conflict(#[to_schema] ErrorBody),
}

/// Runs an admin action on an article; a false from the store means the
/// action did not apply.
async fn article_action(
    state: AppState,
    headers: HeaderMap,
    id: String,
    action: &'static str,
    run: fn(&dyn redline_store::Store, i64) -> redline_store::Result<bool>,
) -> ApiResult<Response> {
    authorize(&state, &headers)?;
    let id = params::article_id(&id)?;
    let applied = blocking(&state, move |store| {
        if store.article(id)?.is_none() {
            return Err(AppError::NotFound(format!("There is no article {id}.")));
        }
        Ok(run(store, id)?)
    })
    .await?;
    state.admin_generation.bump();
    if !applied {
        return Err(AppError::Conflict(format!(
            "Article {id} cannot be {action} in its current state."
        ))
        .into());
    }
    Ok(done(
        StatusCode::OK,
        ArticleActionDone {
            article: id,
            done: action.into(),
        },
    ))
}

#[utoipa::path(post, path = "/api/v1/admin/articles/{id}/check", tag = "admin",
    summary = "Check an article again now",
    security(("adminToken" = [])),
    params(crate::openapi::ArticlePath),
    responses(ActionAnswers))]
pub async fn check(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    article_action(state, headers, id, "scheduled for a check", |s, id| {
        s.schedule_check(id, Utc::now())
    })
    .await
}

#[utoipa::path(post, path = "/api/v1/admin/articles/{id}/retire", tag = "admin",
    summary = "Stop checking an article",
    security(("adminToken" = [])),
    params(crate::openapi::ArticlePath),
    responses(ActionAnswers))]
pub async fn retire(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    article_action(state, headers, id, "retired", |s, id| {
        s.retire(id, Utc::now())
    })
    .await
}

#[utoipa::path(post, path = "/api/v1/admin/articles/{id}/hide", tag = "admin",
    summary = "Hide an article everywhere (legal takedown)",
    security(("adminToken" = [])),
    params(crate::openapi::ArticlePath),
    responses(ActionAnswers))]
pub async fn hide(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    article_action(state, headers, id, "hidden", |s, id| s.set_hidden(id, true)).await
}

#[utoipa::path(post, path = "/api/v1/admin/articles/{id}/unhide", tag = "admin",
    summary = "Show a hidden article again",
    security(("adminToken" = [])),
    params(crate::openapi::ArticlePath),
    responses(ActionAnswers))]
pub async fn unhide(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    article_action(state, headers, id, "shown again", |s, id| {
        s.set_hidden(id, false)
    })
    .await
}
