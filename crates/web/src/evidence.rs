//! Evidence: a version's archived capture read back from the WARC archive
//! for readers who ask "can you prove it said that?". Owns the capture page
//! (`/articles/{id}/versions/{n}/capture`: status, headers and body as
//! fetched, the body shown as escaped text and never rendered, with the
//! record's WARC id, payload digest and fetch time to the second), its JSON
//! twin (`/api/v1/articles/{id}/versions/{n}/capture`) and the "cite this
//! change" block of a diff page (permalink, both times, both digests).
//!
//! The captures are read from the directory the crawler writes
//! (`[storage] archive`), handed to the web interface in
//! [`crate::WebConfig::archive_dir`]; without it the capture routes answer
//! 404 saying so.

use std::path::Path as FsPath;

use axum::extract::{Path, State};
use axum::response::Response;
use chrono::{DateTime, Utc};
use maud::{Markup, html};
use redline_archive::{CaptureLocation, StoredCapture};
use redline_store::{Article, CaptureRef, VersionMeta};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{ApiError, ApiResult, AppError, AppResult, ErrorBody};
use crate::pages::html as html_page;
use crate::time::{exact, iso};
use crate::views::{self, Frame};
use crate::{AppState, BaseUrl, blocking, params, visible_article};

/// The decoded body a capture page shows at most; the rest is cut, saying
/// so (a record is already bounded by the archive's own cap).
const SHOWN_BODY_BYTES: u64 = 4 << 20;

/// One HTTP header as fetched (its value as text, invalid UTF-8 replaced).
#[derive(Debug, Serialize, ToSchema)]
pub struct HeaderJson {
    name: String,
    value: String,
}

/// Where the capture lies in the archive.
#[derive(Debug, Serialize, ToSchema)]
pub struct WarcLocation {
    /// File name inside the archive directory.
    file: String,
    /// Byte offset of the record's gzip member.
    offset: u64,
    /// Compressed length of that member.
    length: u64,
}

/// A version's archived capture, as `/api/v1/articles/{id}/versions/{n}/capture`
/// answers it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaptureJson {
    article_id: i64,
    version: u32,
    /// The URL fetched (WARC-Target-URI).
    url: String,
    /// When the response was fetched (WARC-Date), to the second.
    fetched_at: DateTime<Utc>,
    /// WARC-Record-ID, e.g. `<urn:uuid:…>`.
    record_id: String,
    /// WARC-Payload-Digest: the digest of the body as sent (`sha1:BASE32`).
    payload_digest: Option<String>,
    /// WARC-Block-Digest: the digest of the whole record block.
    block_digest: Option<String>,
    /// WARC-IP-Address: the server's address.
    ip_address: Option<String>,
    warc: WarcLocation,
    http_version: String,
    status: u16,
    reason: String,
    /// The response headers in the order received.
    headers: Vec<HeaderJson>,
    /// The body as text, after undoing its Content-Encoding and reading its
    /// charset as the extractor does.
    body: String,
    /// The body's length in bytes after Content-Encoding was undone.
    body_bytes: usize,
    /// The body was longer than the shown part.
    body_truncated: bool,
    /// Why the body is shown as stored (still content-encoded), if it is.
    body_note: Option<String>,
}

/// Reads the capture `cap` of version `n` from the archive directory, with
/// errors that say what to do.
fn read(dir: Option<&FsPath>, n: u32, cap: &CaptureRef) -> AppResult<StoredCapture> {
    let Some(dir) = dir else {
        return Err(AppError::NotFound(
            "This redline serves no archived captures: its web interface was started \
             without the archive directory (set [storage] archive to the crawler's)."
                .into(),
        ));
    };
    let location = CaptureLocation {
        file: cap.file.clone(),
        offset: cap.offset,
        length: cap.length,
    };
    redline_archive::read_capture(dir, &location).map_err(|e| {
        AppError::Internal(format!(
            "The archived capture of version {n} cannot be read: {e}. Check that \
             [storage] archive names the crawler's archive directory."
        ))
    })
}

fn capture_json(article_id: i64, n: u32, cap: &CaptureRef, c: StoredCapture) -> CaptureJson {
    let (mut decoded, body_note) = match redline_fetch::decode_body(
        c.header_values("content-encoding"),
        &c.payload,
        SHOWN_BODY_BYTES,
    ) {
        Ok(bytes) => (bytes, None),
        Err(e) => (
            c.payload.clone(),
            Some(format!(
                "shown as stored: its Content-Encoding could not be undone ({e})"
            )),
        ),
    };
    let body_bytes = decoded.len();
    let body_truncated = body_bytes as u64 > SHOWN_BODY_BYTES;
    decoded.truncate(SHOWN_BODY_BYTES as usize);
    let content_type = c
        .header("content-type")
        .map(|v| String::from_utf8_lossy(v).into_owned());
    let body = redline_extract::decode_html(&decoded, content_type.as_deref());
    CaptureJson {
        article_id,
        version: n,
        payload_digest: c.warc_header("WARC-Payload-Digest").map(str::to_string),
        block_digest: c.warc_header("WARC-Block-Digest").map(str::to_string),
        url: c.target_uri,
        fetched_at: c.fetched_at,
        record_id: c.record_id,
        ip_address: c.ip_address.map(|a| a.to_string()),
        warc: WarcLocation {
            file: cap.file.clone(),
            offset: cap.offset,
            length: cap.length,
        },
        http_version: c.http_version,
        status: c.status,
        reason: c.reason,
        headers: c
            .headers
            .into_iter()
            .map(|(name, value)| HeaderJson {
                name,
                value: String::from_utf8_lossy(&value).into_owned(),
            })
            .collect(),
        body_bytes,
        body,
        body_truncated,
        body_note,
    }
}

/// The article, the version's metadata and its capture read back.
async fn load(state: &AppState, id: String, n: String) -> AppResult<(Article, CaptureJson)> {
    let dir = state.config.archive_dir.clone();
    blocking(state, move |store| {
        let article = visible_article(store, &id)?;
        let n = params::version_number(&n, article.version_count)?;
        let meta = store
            .versions(article.id)?
            .into_iter()
            .find(|m| m.number == n)
            .ok_or_else(|| AppError::NotFound(format!("There is no version {n}.")))?;
        let Some(cap) = meta.capture else {
            return Err(AppError::NotFound(format!(
                "Version {n} has no archived capture (it was imported or recorded without one)."
            )));
        };
        let stored = read(dir.as_deref(), n, &cap)?;
        let json = capture_json(article.id, n, &cap, stored);
        Ok((article, json))
    })
    .await
}

/// `/articles/{id}/versions/{n}/capture`.
pub async fn page(
    State(state): State<AppState>,
    Path((id, n)): Path<(String, String)>,
) -> AppResult<Response> {
    let (article, c) = load(&state, id, n).await?;
    let title = format!("Archived capture of version {}", c.version);
    let frame = Frame {
        title: &title,
        noindex: true,
        ..Frame::default()
    };
    Ok(html_page(views::page(frame, view(&article, &c))))
}

fn view(article: &Article, c: &CaptureJson) -> Markup {
    let base = format!("/articles/{}", article.id);
    html! {
        nav.crumbs {
            a href={(base) "/versions/" (c.version)} { "← Version " (c.version) }
        }
        div.pagehead {
            h1 { "Archived capture of version " (c.version) }
            p.lede { "The response as redline fetched it, read back from its WARC archive. The body is shown as text, never rendered." }
        }
        table.evidence {
            tr { th { "URL" } td { code { (c.url) } } }
            tr { th { "Fetched" } td { time datetime=(iso(c.fetched_at)) { (exact(c.fetched_at)) } } }
            tr { th { "WARC record" } td { code { (c.record_id) } } }
            tr { th { "Payload digest" } td { code { (c.payload_digest.as_deref().unwrap_or("(none recorded)")) } } }
            tr { th { "Block digest" } td { code { (c.block_digest.as_deref().unwrap_or("(none recorded)")) } } }
            @if let Some(ip) = &c.ip_address { tr { th { "Server address" } td { code { (ip) } } } }
            tr { th { "WARC file" } td { code { (c.warc.file) } " at offset " (c.warc.offset) ", " (c.warc.length) " bytes" } }
        }
        h2 { "Status and headers" }
        pre.capture { (c.http_version) " " (c.status) " " (c.reason) "\n"
            @for h in &c.headers { (h.name) ": " (h.value) "\n" } }
        h2 { "Body" }
        p.muted {
            (c.body_bytes) " bytes"
            @if let Some(note) = &c.body_note { " · " (note) }
            @if c.body_truncated { " · cut at " (SHOWN_BODY_BYTES) " bytes" }
        }
        pre.capture { (c.body) }
        p { a href={"/api/v1/articles/" (article.id) "/versions/" (c.version) "/capture"} { "The same as JSON" } }
    }
}

#[utoipa::path(get, path = "/api/v1/articles/{id}/versions/{n}/capture", tag = "articles",
    summary = "A version's archived capture: the response as fetched, with its WARC record id and digests",
    params(
        crate::openapi::ArticlePath,
        ("n" = u32, Path, description = "Version number (from 0)."),
    ),
    responses(
        (status = 200, description = "The capture.", body = CaptureJson),
        (status = 404, description = "No such article or version, the version has no capture, or this server has no archive.", body = ErrorBody),
        (status = 410, description = "The article was hidden by an administrator (e.g. a legal takedown).", body = ErrorBody),
        (status = 500, description = "The capture cannot be read from the archive.", body = ErrorBody),
    ))]
pub async fn api(
    State(state): State<AppState>,
    Path((id, n)): Path<(String, String)>,
) -> ApiResult<Response> {
    let (_, c) = load(&state, id, n).await.map_err(ApiError::from)?;
    Ok(crate::api::json(&c))
}

/// One side of a citation: a version's time and its capture's identity.
pub struct Cited {
    number: u32,
    seen_at: DateTime<Utc>,
    capture: Option<(String, Option<String>, DateTime<Utc>)>,
}

/// Reads what a citation of `m` needs: its capture's record id, payload
/// digest and fetch time, where the archive is at hand (else none).
pub(crate) fn cited(dir: Option<&FsPath>, m: &VersionMeta) -> Cited {
    let capture = m
        .capture
        .as_ref()
        .and_then(|cap| read(dir, m.number, cap).ok())
        .map(|c| {
            let digest = c.warc_header("WARC-Payload-Digest").map(str::to_string);
            (c.record_id, digest, c.fetched_at)
        });
    Cited {
        number: m.number,
        seen_at: m.seen_at,
        capture,
    }
}

/// The "cite this change" block of a diff page.
pub(crate) fn cite(base: &BaseUrl, article: &Article, from: &Cited, to: &Cited) -> Markup {
    let permalink = format!(
        "{}/articles/{}/diff/{}/{}",
        base.0, article.id, from.number, to.number
    );
    let side = |c: &Cited| {
        html! {
            li {
                "Version " (c.number) ", first seen " time datetime=(iso(c.seen_at)) { (exact(c.seen_at)) }
                @match &c.capture {
                    Some((record, digest, fetched)) => {
                        "; fetched " time datetime=(iso(*fetched)) { (exact(*fetched)) }
                        ", WARC record " code { (record) }
                        @if let Some(d) = digest { ", payload digest " code { (d) } }
                        " (" a href={"/articles/" (article.id) "/versions/" (c.number) "/capture"} { "capture" } ")"
                    }
                    None => { "; no archived capture at hand" }
                }
            }
        }
    };
    html! {
        section.cite {
            h2 { "Cite this change" }
            p { "Permalink: " a href=(permalink) { code { (permalink) } } }
            ul { (side(from)) (side(to)) }
        }
    }
}
