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
