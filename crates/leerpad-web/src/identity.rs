//! Who is asking: resolves the session cookie or API token of every request once and leaves an
//! [`Identity`] in the request's extensions for extractors and pages.

use crate::error::Problem;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use leerpad_domain::accounts::ports::SessionRecord;
use leerpad_domain::policy::Principal;

pub const SESSION_COOKIE: &str = "lp_session";
/// Holds the CSRF token of visitors without a session (for the login and registration forms).
pub const ANON_CSRF_COOKIE: &str = "lp_csrf";

/// How the request authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Anonymous,
    SessionCookie,
    ApiToken,
}

/// The resolved identity of a request.
#[derive(Debug, Clone)]
pub struct Identity {
    pub principal: Option<Principal>,
    pub session: Option<SessionRecord>,
    pub via: Via,
    /// The token forms in this response must carry.
    pub csrf_token: String,
}

pub(crate) fn session_cookie(
    state: &AppState,
    value: String,
    max_age_secs: i64,
) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, value))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.config().secure_cookies)
        .max_age(time::Duration::seconds(max_age_secs))
        .build()
}

pub(crate) fn removal_cookie(name: &'static str) -> Cookie<'static> {
    Cookie::build((name, ""))
        .path("/")
        .max_age(time::Duration::ZERO)
        .build()
}

fn bearer_token(req: &Request) -> Option<&str> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// Requests that never act for anyone: static assets and the operational endpoints.
fn needs_no_identity(path: &str) -> bool {
    path.starts_with("/static/") || matches!(path, "/healthz" | "/readyz" | "/metrics")
}

pub async fn identify(
    State(state): State<AppState>,
    jar: CookieJar,
    mut req: Request,
    next: Next,
) -> Response {
    if needs_no_identity(req.uri().path()) {
        return next.run(req).await;
    }
    let accounts = state.accounts();
    let mut jar_out = jar.clone();
    let mut stale_session = false;

    let identity = if let Some(token) = bearer_token(&req) {
        match accounts.authenticate_api_token(token).await {
            Ok(Some(principal)) => Identity {
                principal: Some(principal),
                session: None,
                via: Via::ApiToken,
                csrf_token: String::new(),
            },
            Ok(None) => {
                return Problem::new(
                    StatusCode::UNAUTHORIZED,
                    "invalid-token",
                    "the API token is unknown, expired or revoked",
                )
                .into_response();
            }
            Err(e) => return Problem::from(e).into_response(),
        }
    } else {
        let from_cookie = match jar.get(SESSION_COOKIE) {
            Some(c) => match accounts.authenticate_session(c.value()).await {
                Ok(found) => {
                    stale_session = found.is_none();
                    found
                }
                Err(e) => return Problem::from(e).into_response(),
            },
            None => None,
        };
        match from_cookie {
            Some((principal, session)) => Identity {
                csrf_token: session.csrf_token.clone(),
                principal: Some(principal),
                session: Some(session),
                via: Via::SessionCookie,
            },
            None => {
                let pages = !crate::request::is_api_path(req.uri().path());
                let csrf_token = match jar.get(ANON_CSRF_COOKIE) {
                    Some(c) if c.value().len() >= 32 => c.value().to_owned(),
                    // API clients post JSON, not forms: no token cookie for them.
                    _ if !pages => String::new(),
                    _ => {
                        let fresh = leerpad_app::secret::random_token().unwrap_or_default();
                        jar_out = jar_out.add(
                            Cookie::build((ANON_CSRF_COOKIE, fresh.clone()))
                                .path("/")
                                .http_only(true)
                                .same_site(SameSite::Lax)
                                .secure(state.config().secure_cookies)
                                .build(),
                        );
                        fresh
                    }
                };
                Identity {
                    principal: None,
                    session: None,
                    via: Via::Anonymous,
                    csrf_token,
                }
            }
        }
    };
    // Browsers attach cookies to cross-site requests; an API write riding on a session cookie
    // must come from our own origin (forms are checked by their token, see `csrf`).
    if identity.via == Via::SessionCookie
        && !req.method().is_safe()
        && crate::request::is_api_path(req.uri().path())
        && !crate::request::same_origin(req.headers())
    {
        return Problem::new(
            StatusCode::FORBIDDEN,
            "csrf",
            "cross-site request refused: call the API from Leerpad's own pages or use an API token",
        )
        .into_response();
    }
    req.extensions_mut().insert(identity);
    let res = next.run(req).await;
    // A cookie of an ended session is removed, unless this very response signs in again (a
    // removal after the new session cookie would sign the person straight out).
    let signs_in = res.headers().get_all(header::SET_COOKIE).iter().any(|v| {
        v.to_str()
            .is_ok_and(|c| c.starts_with(&format!("{SESSION_COOKIE}=")))
    });
    if stale_session && !signs_in {
        jar_out = jar_out.add(removal_cookie(SESSION_COOKIE));
    }
    (jar_out, res).into_response()
}
