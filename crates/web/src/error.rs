//! What goes wrong in a request, answered as an HTML page (pages, feeds)
//! or as JSON `{"error": "..."}` (the API). Bad input is always a 4xx with
//! a message saying what to do; only a failing database is a 5xx.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use redline_store::StoreError;

use crate::views;

#[derive(Debug, Clone)]
pub enum AppError {
    /// 400: the request cannot be understood; the message says why.
    BadRequest(String),
    /// 401: a wrong or missing admin token.
    Unauthorized,
    /// 404: no such thing.
    NotFound(String),
    /// 409: e.g. a source of that name exists.
    Conflict(String),
    /// 410: hidden by an administrator (a legal takedown).
    Gone,
    /// 503: the database does not answer.
    Unavailable(String),
    /// 500: a fault of ours.
    Internal(String),
    /// 429 or 503 from the limits on what one visitor may cost (see
    /// `limits`): what happened, what to do, and when to come back.
    Limited {
        status: StatusCode,
        title: &'static str,
        message: String,
        retry_after: u64,
    },
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Gone => StatusCode::GONE,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            AppError::Limited { status, .. } => *status,
        }
    }

    /// A heading for the error page.
    pub fn title(&self) -> &'static str {
        match self {
            AppError::BadRequest(_) => "That request did not make sense",
            AppError::Unauthorized => "Admin token required",
            AppError::NotFound(_) => "Not found",
            AppError::Conflict(_) => "Already there",
            AppError::Gone => "This article has been removed",
            AppError::Unavailable(_) => "The database is unavailable",
            AppError::Internal(_) => "Something went wrong on our side",
            AppError::Limited { title, .. } => title,
        }
    }

    pub fn message(&self) -> String {
        match self {
            AppError::BadRequest(m)
            | AppError::NotFound(m)
            | AppError::Conflict(m)
            | AppError::Unavailable(m)
            | AppError::Limited { message: m, .. } => m.clone(),
            AppError::Unauthorized => {
                "Send the admin token as `Authorization: Bearer TOKEN`.".into()
            }
            AppError::Gone => "This article was withdrawn from redline at an administrator's \
                               request (for example a legal takedown). Its pages, versions and \
                               feeds are no longer available."
                .into(),
            AppError::Internal(_) => "The error was logged. Please try again later.".into(),
        }
    }

    /// The answer for an API route.
    pub fn into_json(self) -> Response {
        let status = self.status();
        let body = ErrorBody {
            error: self.message(),
            status: status.as_u16(),
        };
        let mut response = (status, crate::api::json_bytes(&body)).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        self.finish(&mut response);
        response
    }

    fn finish(&self, response: &mut Response) {
        match self {
            AppError::Internal(detail) => tracing::error!(%detail, "request failed"),
            AppError::Unavailable(detail) => tracing::warn!(%detail, "database unavailable"),
            AppError::Unauthorized => {
                response.headers_mut().insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer realm=\"redline admin\""),
                );
            }
            AppError::Limited { retry_after, .. } => {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(*retry_after));
            }
            _ => {}
        }
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let page = views::error_page(&self);
        let mut response =
            (self.status(), axum::response::Html(page.into_string())).into_response();
        self.finish(&mut response);
        response
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Busy(_) => {
                AppError::Unavailable("The database is busy; please try again in a moment.".into())
            }
            StoreError::Open { .. }
            | StoreError::DiskFull(_)
            | StoreError::ReadOnly(_)
            | StoreError::Corrupt { .. } => AppError::Unavailable(e.to_string()),
            StoreError::NoSuchArticle(id) => {
                AppError::NotFound(format!("There is no article {id}."))
            }
            StoreError::SourceExists(name) => {
                AppError::Conflict(format!("A source named \"{name}\" already exists."))
            }
            other => AppError::Internal(other.to_string()),
        }
    }
}

/// An API handler's error: the same errors, answered as JSON.
pub struct ApiError(pub AppError);

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.0.into_json()
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

/// What every API error answers: the message, saying what to change, and
/// the HTTP status again.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
#[schema(as = Error)]
pub struct ErrorBody {
    pub error: String,
    pub status: u16,
}
