//! Strict request extractors for the API: every rejection is a problem+json with a clear detail.

use crate::error::{FieldError, Problem};
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use serde::de::DeserializeOwned;
use std::net::{IpAddr, SocketAddr};

/// A JSON body. Request types use `#[serde(deny_unknown_fields)]`, so a misspelt field is an
/// error rather than silently ignored.
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = Problem;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|m| {
                let m = m.trim();
                m.eq_ignore_ascii_case("application/json")
                    || (m.starts_with("application/") && m.ends_with("+json"))
            });
        if !is_json {
            return Err(Problem::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
                "send the body as JSON with 'Content-Type: application/json'",
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            let status = e.status();
            if status == StatusCode::PAYLOAD_TOO_LARGE {
                Problem::new(status, "payload-too-large", "the request body is too large")
            } else {
                Problem::new(status, "bad-request", e.body_text())
            }
        })?;
        if std::str::from_utf8(&bytes).is_err() {
            return Err(Problem::bad_request("the body is not valid UTF-8"));
        }
        let mut de = serde_json::Deserializer::from_slice(&bytes);
        let value = deserialize_json(&mut de)?;
        de.end()
            .map_err(|e| Problem::bad_request(format!("invalid JSON: {e}")))?;
        Ok(ApiJson(value))
    }
}

/// Deserialize, keeping the path to the value that did not fit: a well-formed body of the wrong
/// shape is a 422 naming that field (`definition.eligibility.all[2]`), broken JSON a 400.
fn deserialize_json<'de, T: DeserializeOwned>(
    de: &mut serde_json::Deserializer<serde_json::de::SliceRead<'de>>,
) -> Result<T, Problem> {
    serde_path_to_error::deserialize(de).map_err(|e| {
        use serde_json::error::Category;
        let path = e.path().to_string();
        let e = e.into_inner();
        match e.classify() {
            Category::Data => {
                let problem = Problem::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "validation",
                    format!("the JSON does not match the expected shape: {e}"),
                );
                // The root (".") names no field: the whole body is of the wrong shape.
                if path == "." || path.is_empty() {
                    problem
                } else {
                    Problem {
                        errors: vec![FieldError {
                            field: path,
                            message: e.to_string(),
                        }],
                        ..problem
                    }
                }
            }
            _ => Problem::bad_request(format!("invalid JSON: {e}")),
        }
    })
}

/// The client's address, for throttling and the audit log.
#[derive(Debug, Clone)]
pub struct ClientIp(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp
where
    crate::state::AppState: axum::extract::FromRef<S>,
{
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let app = <crate::state::AppState as axum::extract::FromRef<S>>::from_ref(state);
        if app.config().trust_forwarded_for {
            let forwarded = parts
                .headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                // The last hop is the one our own proxy appended; earlier ones are whatever the
                // client sent, and taking them would let anyone choose their address.
                .and_then(|v| v.rsplit(',').next())
                .and_then(|v| v.trim().parse::<IpAddr>().ok());
            if let Some(ip) = forwarded {
                return Ok(ClientIp(ip.to_string()));
            }
        }
        let ip = parts
            .extensions
            .get::<axum::extract::ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip().to_string())
            .unwrap_or_else(|| "unknown".to_owned());
        Ok(ClientIp(ip))
    }
}

/// Query parameters; a malformed query is a 400 problem naming what is wrong.
#[derive(Debug)]
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| ApiQuery(q.0))
            .map_err(|e| Problem::bad_request(e.body_text()))
    }
}

/// Path parameters; a malformed segment is a 400 problem naming what is wrong.
#[derive(Debug)]
pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiPath<T> {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|p| ApiPath(p.0))
            .map_err(|e| Problem::bad_request(e.body_text()))
    }
}
