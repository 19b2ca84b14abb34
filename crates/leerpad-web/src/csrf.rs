//! CSRF protection for HTML forms: SameSite=Lax cookies, a same-origin check on the
//! `Sec-Fetch-Site` / `Origin` headers, and a synchronizer token in every form (`_csrf`): the
//! session's own token when signed in, otherwise the one in the `lp_csrf` cookie.

use crate::error::Problem;
use crate::identity::Identity;
use crate::request::same_origin;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use serde::de::DeserializeOwned;

/// The name of the hidden form field carrying the token.
pub const FIELD: &str = "_csrf";

/// A URL-encoded form whose CSRF token has been checked.
#[derive(Debug)]
pub struct CsrfForm<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for CsrfForm<T> {
    type Rejection = Problem;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let forbidden = || {
            Problem::new(
                StatusCode::FORBIDDEN,
                "csrf",
                "this form has expired or did not come from Leerpad; reload the page and try again",
            )
        };
        if !same_origin(req.headers()) {
            return Err(forbidden());
        }
        let expected = req
            .extensions()
            .get::<Identity>()
            .map(|i| i.csrf_token.clone())
            .unwrap_or_default();
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|e| Problem::new(e.status(), "bad-request", e.body_text()))?;
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes)
            .map_err(|e| Problem::bad_request(format!("form: {e}")))?;
        let sent = pairs
            .iter()
            .find(|(k, _)| k == FIELD)
            .map(|(_, v)| v.as_str())
            .unwrap_or("");
        if expected.is_empty() || !leerpad_app::secret::constant_time_eq(sent, &expected) {
            return Err(forbidden());
        }
        let value = serde_urlencoded::from_bytes(&bytes)
            .map_err(|e| Problem::bad_request(format!("form: {e}")))?;
        Ok(CsrfForm(value))
    }
}

/// One part of a multipart form: a field's text or an uploaded file.
#[derive(Debug)]
pub struct Part {
    pub name: String,
    /// The file's name, for a file field.
    pub file_name: Option<String>,
    pub bytes: Bytes,
}

/// A multipart form (file uploads) whose CSRF token has been checked; the parts in order.
#[derive(Debug)]
pub struct CsrfMultipart(pub Vec<Part>);

impl CsrfMultipart {
    /// The text of field `name` (empty when absent).
    pub fn text(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|p| p.name == name)
            .map(|p| String::from_utf8_lossy(&p.bytes).into_owned())
            .unwrap_or_default()
    }

    /// The file sent in field `name`, if one was chosen.
    pub fn file(&self, name: &str) -> Option<&Part> {
        self.0
            .iter()
            .find(|p| p.name == name && p.file_name.as_deref().is_some_and(|f| !f.is_empty()))
    }
}

impl<S: Send + Sync> FromRequest<S> for CsrfMultipart {
    type Rejection = Problem;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let forbidden = || {
            Problem::new(
                StatusCode::FORBIDDEN,
                "csrf",
                "this form has expired or did not come from Leerpad; reload the page and try again",
            )
        };
        if !same_origin(req.headers()) {
            return Err(forbidden());
        }
        let expected = req
            .extensions()
            .get::<Identity>()
            .map(|i| i.csrf_token.clone())
            .unwrap_or_default();
        let mut multipart = axum::extract::Multipart::from_request(req, state)
            .await
            .map_err(|e| Problem::new(e.status(), "bad-request", e.body_text()))?;
        let mut parts = Vec::new();
        while let Some(field) = multipart
            .next_field()
            .await
            .map_err(|e| Problem::new(e.status(), "bad-request", e.body_text()))?
        {
            let name = field.name().unwrap_or_default().to_owned();
            let file_name = field.file_name().map(str::to_owned);
            let bytes = field
                .bytes()
                .await
                .map_err(|e| Problem::new(e.status(), "bad-request", e.body_text()))?;
            parts.push(Part {
                name,
                file_name,
                bytes,
            });
        }
        let form = CsrfMultipart(parts);
        if expected.is_empty()
            || !leerpad_app::secret::constant_time_eq(&form.text(FIELD), &expected)
        {
            return Err(forbidden());
        }
        Ok(form)
    }
}
