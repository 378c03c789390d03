//! The stylesheet and the icon, served from memory. The stylesheet's URL
//! carries a hash of its content, so it is cached for a year and a new
//! build is fetched at once.

use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use crate::error::AppError;

pub const CSS: &str = include_str!("../assets/style.css");

const FAVICON: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#c8102e"/><path d="M7 11h18M7 16h11M7 21h14" stroke="#fff" stroke-width="3" stroke-linecap="round"/><path d="M20 16h5" stroke="#ffb3b0" stroke-width="3" stroke-linecap="round"/></svg>"##;

/// FNV-1a, enough to tell two builds of one file apart.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

static CSS_NAME: LazyLock<String> = LazyLock::new(|| {
    format!(
        "style.{:012x}.css",
        fnv1a(CSS.as_bytes()) & 0xffff_ffff_ffff
    )
});
static CSS_PATH: LazyLock<String> = LazyLock::new(|| format!("/static/{}", *CSS_NAME));

/// The stylesheet's current URL path.
pub fn css_path() -> &'static str {
    &CSS_PATH
}

pub async fn static_file(Path(file): Path<String>) -> Response {
    if file == *CSS_NAME {
        let mut r = CSS.into_response();
        let h = r.headers_mut();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/css; charset=utf-8"),
        );
        h.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        );
        return r;
    }
    if file.starts_with("style.") && file.ends_with(".css") {
        // An older build's name: serve the current one, briefly cached.
        let mut r = CSS.into_response();
        let h = r.headers_mut();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/css; charset=utf-8"),
        );
        h.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("max-age=300"),
        );
        return r;
    }
    AppError::NotFound("There is no such file.".into()).into_response()
}

pub async fn favicon() -> Response {
    let mut r = FAVICON.into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("image/svg+xml"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=604800"),
    );
    r
}

pub async fn robots() -> Response {
    let mut r = "User-agent: *\nDisallow: /api/\nDisallow: /search\n".into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    r
}
