//! The OpenAPI 3.1 document of the JSON API, `/api/v1/openapi.json`,
//! generated with utoipa from the types the handlers serialise and the
//! `#[utoipa::path]` attributes on the handlers themselves, so the
//! document cannot drift from the answers. The tests validate real
//! answers against it (`tests/http.rs`).

use std::sync::LazyLock;

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::{admin, api};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "redline API",
        version = "1.0.0",
        description = "Read the articles, versions and changes redline has recorded. Lists are paged with opaque cursors: pass next_cursor back as ?cursor=. Unknown parameters are refused (400, naming them). Hidden articles answer 410. Errors are JSON {\"error\", \"status\"}.",
        license(name = "MIT OR Apache-2.0", identifier = "MIT OR Apache-2.0"),
    ),
    servers((url = "/")),
    tags(
        (name = "articles", description = "Articles, their versions and diffs."),
        (name = "changes", description = "Changes of every article, newest first."),
        (name = "sources", description = "The outlets redline watches."),
        (name = "admin", description = "Needs the admin token (Authorization: Bearer TOKEN); off without one configured."),
    ),
    paths(
        api::articles,
        api::article,
        api::versions,
        api::version,
        crate::evidence::api,
        api::diff,
        api::changes,
        api::sources,
        api::source,
        api::lookup,
        admin::add_source,
        admin::check,
        admin::retire,
        admin::hide,
        admin::unhide,
    ),
    modifiers(&AdminToken),
)]
struct ApiDoc;

/// The article a path is about (`/articles/{id}/…`), for every path that
/// names one.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)] // read by utoipa only; the handlers take the raw segment
pub(crate) struct ArticlePath {
    /// Article id.
    #[param(minimum = 1)]
    id: i64,
}

/// The paging parameters of every list.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // read by utoipa only; the handlers read the raw query
pub(crate) struct PageParams {
    /// Items per page, 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    limit: Option<u32>,
    /// The next_cursor of the previous page, unchanged.
    cursor: Option<String>,
}

/// Declares the bearer token the admin paths name.
struct AdminToken;

impl Modify for AdminToken {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        if let Some(components) = doc.components.as_mut() {
            components.add_security_scheme(
                "adminToken",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
        }
    }
}

/// The document as served, built once.
pub fn document() -> &'static str {
    static DOCUMENT: LazyLock<String> = LazyLock::new(|| {
        ApiDoc::openapi()
            .to_pretty_json()
            .unwrap_or_else(|e| format!("{{\"error\": \"the OpenAPI document failed: {e}\"}}"))
    });
    &DOCUMENT
}
