//! Errors as JSON with a stable code.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// An API error: an HTTP status and a body `{"error": {"code": …, "message": …}}`.
///
/// The codes are stable; clients may match on them:
///
/// | code | status | when |
/// |---|---|---|
/// | `not_found` | 404 | no such document, actor, story, event or path |
/// | `invalid_parameter` | 400 | a query parameter is malformed (a date not `YYYY-MM-DD`, a number that is not one) |
/// | `method_not_allowed` | 405 | the path exists, the method does not |
/// | `payload_too_large` | 413 | the request body is over the limit |
/// | `uri_too_long` | 414 | the path and query are over the limit |
/// | `rate_limited` | 429 | too many requests from this client; see `Retry-After` |
/// | `internal_error` | 500 | the store failed (details go to the server's log) |
/// | `unavailable` | 503 | the server is shutting down |
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The stable code.
    pub code: &'static str,
    /// For people.
    pub message: String,
}

impl ApiError {
    /// An error of this status, code and message.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
        }
    }

    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_parameter", message)
    }
}

impl From<annals_store::Error> for ApiError {
    fn from(e: annals_store::Error) -> Self {
        use annals_store::Error as E;
        match e {
            E::NotFound { .. } => Self::new(StatusCode::NOT_FOUND, "not_found", e.to_string()),
            E::Invalid { .. } | E::Query(_) => Self::invalid(e.to_string()),
            other => {
                eprintln!("annals: store error: {other}");
                Self::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal_error",
                    "the store failed; see the server's log",
                )
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({"error": {"code": self.code, "message": self.message}});
        let mut r = (self.status, axum::Json(body)).into_response();
        r.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        r
    }
}

pub(crate) async fn not_found(uri: axum::http::Uri) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        format!("no such path: {}", uri.path()),
    )
}

pub(crate) async fn method_not_allowed(method: axum::http::Method) -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        format!("{method} is not allowed here; the API is read-only (GET)"),
    )
}
