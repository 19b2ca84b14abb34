//! The authorization layer: a handler states the [`Action`] it performs in its signature, as
//! `Authz<perm::SomeAction>`, and cannot run unless the policy in `leerpad_domain::policy`
//! allows it. Anonymous visitors get 401 (API) or are sent to the login page (HTML); signed-in
//! accounts without the right get 403.

use crate::error::Problem;
use crate::identity::{Identity, Via};
use crate::request::is_api_path;
use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use leerpad_domain::accounts::ports::SessionRecord;
use leerpad_domain::policy::{Action, Principal};
use std::marker::PhantomData;

/// A protected action, named as a type so it can appear in a handler's signature.
pub trait Permission: Send + Sync + 'static {
    const ACTION: Action;
}

/// Marker types, one per [`Action`].
pub mod perm {
    use super::{Action, Permission};

    macro_rules! permissions {
        ($($name:ident),* $(,)?) => {$(
            #[derive(Debug)]
            pub struct $name;
            impl Permission for $name {
                const ACTION: Action = Action::$name;
            }
        )*};
    }

    permissions!(
        ManageOwnAccount,
        ViewAnyAccount,
        ChangeRoles,
        ReadAuditLog,
        ManageProgrammes,
        ManageOwnOffers,
        AdviseLearners,
        ManageOwnCompany,
    );
}

/// An authenticated principal that the policy allows to perform `P::ACTION`.
#[derive(Debug)]
pub struct Authz<P: Permission> {
    pub principal: Principal,
    /// The session, when the request came with a session cookie rather than an API token.
    pub session: Option<SessionRecord>,
    _permission: PhantomData<P>,
}

/// Why a request was not authorized.
#[derive(Debug)]
pub struct AuthzRejection {
    status: StatusCode,
    api: bool,
    return_to: String,
}

impl IntoResponse for AuthzRejection {
    fn into_response(self) -> Response {
        if self.status == StatusCode::UNAUTHORIZED && !self.api {
            let target = format!("/inloggen?volgende={}", urlencode(&self.return_to));
            return Redirect::to(&target).into_response();
        }
        let detail = if self.status == StatusCode::UNAUTHORIZED {
            "sign in, or send a personal API token as 'Authorization: Bearer …'"
        } else {
            "your account may not do this"
        };
        let mut res = Problem::new(
            self.status,
            if self.status == StatusCode::UNAUTHORIZED {
                "unauthenticated"
            } else {
                "forbidden"
            },
            detail,
        )
        .into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            res.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer realm=\"leerpad\""),
            );
        }
        res
    }
}

pub(crate) fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)])
        .map(|q| q.trim_start_matches('=').to_owned())
        .unwrap_or_default()
}

impl<S: Send + Sync, P: Permission> FromRequestParts<S> for Authz<P> {
    type Rejection = AuthzRejection;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        // A WebSocket handshake is answered like the API: a 401, not a redirect to a page.
        let api = is_api_path(parts.uri.path())
            || parts.headers.contains_key(axum::http::header::UPGRADE);
        let return_to = parts
            .uri
            .path_and_query()
            .map(|pq| pq.as_str().to_owned())
            .unwrap_or_else(|| "/".to_owned());
        let reject = |status| AuthzRejection {
            status,
            api,
            return_to: return_to.clone(),
        };
        let identity = parts
            .extensions
            .get::<Identity>()
            .ok_or_else(|| reject(StatusCode::UNAUTHORIZED))?;
        let principal = identity
            .principal
            .clone()
            .ok_or_else(|| reject(StatusCode::UNAUTHORIZED))?;
        principal
            .authorize(P::ACTION)
            .map_err(|_| reject(StatusCode::FORBIDDEN))?;
        Ok(Authz {
            principal,
            session: if identity.via == Via::SessionCookie {
                identity.session.clone()
            } else {
                None
            },
            _permission: PhantomData,
        })
    }
}

/// The signed-in principal if there is one, for public resources that show more to their
/// owners (a provider sees its own drafts). Never rejects.
#[derive(Debug, Clone)]
pub struct MaybePrincipal(pub Option<leerpad_domain::policy::Principal>);

impl<S: Send + Sync> FromRequestParts<S> for MaybePrincipal {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(MaybePrincipal(
            parts
                .extensions
                .get::<Identity>()
                .and_then(|i| i.principal.clone()),
        ))
    }
}
