//! Errors at the HTTP edge.
//!
//! The API answers every error with an RFC 9457 `application/problem+json` body ([`Problem`]).
//! HTML routes answer with an error page in the visitor's language: a handler returns a
//! [`Problem`] too, and the page layer (see `middleware::render_error_pages`) turns it into HTML,
//! because only there the language and the signed-in user are known. So there is one error type
//! for handlers, and one place for each rendering.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use leerpad_app::AppError;
use serde::Serialize;
use utoipa::ToSchema;

/// The media type of problem details.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// One input field that was refused.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct FieldError {
    /// The field's name as sent (e.g. `email`).
    pub field: String,
    /// What is wrong with it.
    pub message: String,
}

/// RFC 9457 problem details, as sent on the wire.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProblemBody {
    /// A URI reference naming the kind of problem (`/problems/validation`, …).
    #[serde(rename = "type")]
    pub kind: String,
    /// A short, stable summary of the kind of problem.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong in this occurrence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Refused input fields, for validation problems.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub errors: Vec<FieldError>,
}

/// An error answer. Build it from an [`AppError`] or with the constructors below.
#[derive(Debug, Clone)]
pub struct Problem {
    pub status: StatusCode,
    pub slug: &'static str,
    pub detail: Option<String>,
    pub errors: Vec<FieldError>,
    pub retry_after_secs: Option<i64>,
}

impl Problem {
    pub fn new(status: StatusCode, slug: &'static str, detail: impl Into<String>) -> Self {
        Problem {
            status,
            slug,
            detail: Some(detail.into()),
            errors: Vec::new(),
            retry_after_secs: None,
        }
    }

    /// A problem for a status code alone, e.g. for a 404 from the router.
    pub fn from_status(status: StatusCode) -> Self {
        Problem {
            status,
            slug: slug_for(status),
            detail: None,
            errors: Vec::new(),
            retry_after_secs: None,
        }
    }

    pub fn bad_request(detail: impl Into<String>) -> Self {
        Problem::new(StatusCode::BAD_REQUEST, "bad-request", detail)
    }

    pub fn validation(field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        Problem {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            slug: "validation",
            detail: Some(message.clone()),
            errors: vec![FieldError {
                field: field.to_owned(),
                message,
            }],
            retry_after_secs: None,
        }
    }

    pub fn body(&self) -> ProblemBody {
        ProblemBody {
            kind: format!("/problems/{}", self.slug),
            title: self.status.canonical_reason().unwrap_or("Error").to_owned(),
            status: self.status.as_u16(),
            detail: self.detail.clone(),
            errors: self.errors.clone(),
        }
    }
}

fn slug_for(status: StatusCode) -> &'static str {
    match status {
        StatusCode::BAD_REQUEST => "bad-request",
        StatusCode::UNAUTHORIZED => "unauthenticated",
        StatusCode::FORBIDDEN => "forbidden",
        StatusCode::NOT_FOUND => "not-found",
        StatusCode::METHOD_NOT_ALLOWED => "method-not-allowed",
        StatusCode::REQUEST_TIMEOUT => "timeout",
        StatusCode::CONFLICT => "conflict",
        StatusCode::PAYLOAD_TOO_LARGE => "payload-too-large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported-media-type",
        StatusCode::UNPROCESSABLE_ENTITY => "validation",
        StatusCode::TOO_MANY_REQUESTS => "too-many-requests",
        s if s.is_server_error() => "internal",
        _ => "error",
    }
}

impl From<AppError> for Problem {
    fn from(e: AppError) -> Self {
        match e {
            AppError::Invalid(err) => Problem::validation(err.field(), err.to_string()),
            AppError::InvalidFields(errors) => Problem {
                errors: errors
                    .iter()
                    .map(|f| FieldError {
                        field: f.field.clone(),
                        message: f.message.clone(),
                    })
                    .collect(),
                ..Problem::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "validation",
                    "some fields are not valid; see errors",
                )
            },
            AppError::EmailTaken => Problem {
                slug: "email-taken",
                ..Problem::validation("email", e.to_string())
            }
            .with_status(StatusCode::CONFLICT),
            AppError::InvalidCredentials => Problem::new(
                StatusCode::UNAUTHORIZED,
                "invalid-credentials",
                e.to_string(),
            ),
            AppError::Throttled { retry_after_secs } => Problem {
                retry_after_secs: Some(retry_after_secs),
                ..Problem::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    "too-many-requests",
                    e.to_string(),
                )
            },
            AppError::Forbidden(_) => Problem::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                "your account may not do this",
            ),
            AppError::NotFound(what) => Problem::new(
                StatusCode::NOT_FOUND,
                "not-found",
                format!("{what} not found"),
            ),
            AppError::Conflict(_) | AppError::Refused { .. } => {
                Problem::new(StatusCode::CONFLICT, "conflict", e.to_string())
            }
            AppError::Ledger(ref refused) => {
                use leerpad_domain::ledger::LedgerError as L;
                let (status, slug) = match refused {
                    L::UnknownAccount(_) | L::UnknownHold(_) => {
                        (StatusCode::NOT_FOUND, "not-found")
                    }
                    L::SameAccount | L::NotPositive | L::Overflow | L::MoreThanHeld { .. } => {
                        (StatusCode::UNPROCESSABLE_ENTITY, "invalid-transfer")
                    }
                    L::Insufficient { .. } => (StatusCode::CONFLICT, "insufficient-funds"),
                    L::NotPending { .. } | L::Expired(_) | L::NotExpired(_) => {
                        (StatusCode::CONFLICT, "hold-settled")
                    }
                    L::KeyReused(_) => (StatusCode::CONFLICT, "idempotency-key-reused"),
                };
                Problem::new(status, slug, e.to_string())
            }
            AppError::NoProvider => {
                Problem::new(StatusCode::CONFLICT, "no-provider", e.to_string())
            }
            AppError::Store(_) | AppError::Internal(_) => {
                tracing::error!(error = %e, "request failed");
                Problem::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "something went wrong on our side; it has been logged",
                )
            }
        }
    }
}

impl Problem {
    fn with_status(mut self, status: StatusCode) -> Self {
        self.status = status;
        self
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let body = serde_json::to_vec(&self.body()).unwrap_or_default();
        let mut res = (self.status, body).into_response();
        res.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        if let Some(secs) = self.retry_after_secs
            && let Ok(v) = HeaderValue::from_str(&secs.to_string())
        {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
        // Let the page layer re-render it as HTML for browser routes.
        res.extensions_mut().insert(self);
        res
    }
}

/// Router fallback: nothing here.
pub async fn not_found() -> Problem {
    Problem::from_status(StatusCode::NOT_FOUND)
}
