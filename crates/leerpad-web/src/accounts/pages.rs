//! Signing in and out: the login and registration pages and logout, with the same-site check
//! on where people go after logging in.
//!
//! One's own account page (password, API tokens, deletion) is in `account_page`.

use crate::authz::{Authz, perm};
use crate::csrf::CsrfForm;
use crate::error::Problem;
use crate::extract::ClientIp;
use crate::identity::{SESSION_COOKIE, removal_cookie, session_cookie};
use crate::pages::{FieldErrors, PageCtx, render};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use leerpad_app::AppError;
use serde::Deserialize;

/// Only same-site paths are followed after login, so `?volgende=` cannot send people elsewhere:
/// a path that starts with one `/`, without control characters or whitespace (browsers drop
/// them, turning `/\t/evil.example` into `//evil.example`) and without backslashes (which
/// browsers read as `/`). Letters outside ASCII are percent-encoded so that the `Location`
/// header can hold them. Anything else falls back to the account page.
fn safe_return_path(next: Option<&str>) -> String {
    const FALLBACK: &str = "/account";
    let Some(p) = next else {
        return FALLBACK.into();
    };
    let acceptable = p.starts_with('/')
        && !p.starts_with("//")
        && p.len() <= 2048
        && !p
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '\\');
    if !acceptable {
        return FALLBACK.into();
    }
    let mut out = String::with_capacity(p.len());
    for c in p.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

/// Turn a use-case error into a message on a form field, or pass it on as a page error.
fn field_error(
    page: &PageCtx,
    errors: &mut FieldErrors,
    e: AppError,
) -> Result<StatusCode, Problem> {
    let lang = page.lang;
    match e {
        AppError::Invalid(err) => {
            errors.add(
                err.field(),
                lang.t(&format!("err-{}", err.field().replace('_', "-"))),
            );
            Ok(StatusCode::UNPROCESSABLE_ENTITY)
        }
        AppError::EmailTaken => {
            errors.add("email", lang.t("err-email-taken"));
            Ok(StatusCode::CONFLICT)
        }
        AppError::InvalidCredentials => {
            errors.add("password", lang.t("err-credentials"));
            Ok(StatusCode::UNAUTHORIZED)
        }
        AppError::Throttled { retry_after_secs } => {
            let minutes = (retry_after_secs + 59) / 60;
            errors.add(
                "email",
                lang.t_args("err-throttled", &[("minutes", minutes.to_string())]),
            );
            Ok(StatusCode::TOO_MANY_REQUESTS)
        }
        other => Err(other.into()),
    }
}

#[derive(Template)]
#[template(path = "accounts/login.html")]
struct LoginPage {
    page: PageCtx,
    email: String,
    next: String,
    errors: FieldErrors,
}

#[derive(Debug, Deserialize)]
pub struct NextQuery {
    volgende: Option<String>,
}

pub async fn login_form(page: PageCtx, Query(q): Query<NextQuery>) -> Response {
    let next = safe_return_path(q.volgende.as_deref());
    render(
        StatusCode::OK,
        &LoginPage {
            page,
            email: String::new(),
            next,
            errors: FieldErrors::default(),
        },
    )
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    volgende: Option<String>,
}

pub async fn login(
    State(state): State<AppState>,
    page: PageCtx,
    ClientIp(ip): ClientIp,
    jar: CookieJar,
    CsrfForm(form): CsrfForm<LoginForm>,
) -> Result<Response, Problem> {
    let next = safe_return_path(form.volgende.as_deref());
    match state
        .accounts()
        .login(&form.email, &form.password, &ip)
        .await
    {
        Ok(done) => {
            let max_age = state.accounts().config().sessions.absolute_secs;
            let jar = jar.add(session_cookie(&state, done.session_token, max_age));
            Ok((jar, Redirect::to(&next)).into_response())
        }
        Err(e) => {
            let mut errors = FieldErrors::default();
            let status = field_error(&page, &mut errors, e)?;
            Ok(render(
                status,
                &LoginPage {
                    page,
                    email: form.email,
                    next,
                    errors,
                },
            ))
        }
    }
}

#[derive(Template)]
#[template(path = "accounts/register.html")]
struct RegisterPage {
    page: PageCtx,
    email: String,
    display_name: String,
    errors: FieldErrors,
}

pub async fn register_form(page: PageCtx) -> Response {
    render(
        StatusCode::OK,
        &RegisterPage {
            page,
            email: String::new(),
            display_name: String::new(),
            errors: FieldErrors::default(),
        },
    )
}

#[derive(Debug, Deserialize)]
pub struct RegisterForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_confirm: String,
}

pub async fn register(
    State(state): State<AppState>,
    page: PageCtx,
    ClientIp(ip): ClientIp,
    jar: CookieJar,
    CsrfForm(form): CsrfForm<RegisterForm>,
) -> Result<Response, Problem> {
    let mut errors = FieldErrors::default();
    if form.password != form.password_confirm {
        errors.add("password_confirm", page.t("err-password-confirm"));
        let p = RegisterPage {
            page,
            email: form.email,
            display_name: form.display_name,
            errors,
        };
        return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &p));
    }
    let accounts = state.accounts();
    let lang = page.lang.code();
    match accounts
        .register(
            &form.email,
            &form.display_name,
            &form.password,
            lang,
            Some(&ip),
        )
        .await
    {
        Ok(_) => {
            let done = accounts.login(&form.email, &form.password, &ip).await?;
            let max_age = accounts.config().sessions.absolute_secs;
            let jar = jar.add(session_cookie(&state, done.session_token, max_age));
            Ok((jar, Redirect::to("/welkom")).into_response())
        }
        Err(e) => {
            let status = field_error(&page, &mut errors, e)?;
            let p = RegisterPage {
                page,
                email: form.email,
                display_name: form.display_name,
                errors,
            };
            Ok(render(status, &p))
        }
    }
}

/// A form that carries nothing but its CSRF token.
#[derive(Debug, Deserialize)]
pub struct EmptyForm {}

pub async fn logout(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnAccount>,
    ClientIp(ip): ClientIp,
    jar: CookieJar,
    CsrfForm(_): CsrfForm<EmptyForm>,
) -> Result<Response, Problem> {
    if let Some(session) = &auth.session {
        state.accounts().logout(session, Some(&ip)).await?;
    }
    Ok((jar.add(removal_cookie(SESSION_COOKIE)), Redirect::to("/")).into_response())
}

/// This feature's sign-in pages.
#[derive(Template)]
#[template(path = "accounts/welcome.html")]
struct WelcomePage {
    page: PageCtx,
    /// Answers about the person's situation given before registering, not yet in the account.
    earlier_answers: bool,
}

/// GET /welkom: where a new account lands: what to do next, not the account settings; and, when
/// the person answered the financing questions before registering, the offer to keep them.
pub async fn welcome(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnAccount>,
    page: PageCtx,
    jar: CookieJar,
) -> Result<Response, Problem> {
    let earlier_answers = crate::financing::check_pages::visitor_answers(&state, &jar).is_some()
        && state
            .financing()
            .situation(&auth.principal)
            .await?
            .is_none();
    Ok(render(
        StatusCode::OK,
        &WelcomePage {
            page,
            earlier_answers,
        },
    ))
}

pub(crate) fn routes() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/inloggen", get(login_form).post(login))
        .route("/registreren", get(register_form).post(register))
        .route("/welkom", get(welcome))
        .route("/uitloggen", post(logout))
}

#[cfg(test)]
mod tests {
    use super::safe_return_path;

    #[test]
    fn only_same_site_paths_are_followed_after_login() {
        for good in [
            "/zoeken?q=zorg",
            "/account",
            "/opleidingen/12#runs",
            "/a%2F/b",
        ] {
            assert_eq!(safe_return_path(Some(good)), good);
        }
        for bad in [
            "//evil.example",
            "/\t/evil.example",
            "/\n/x",
            "/\r/x",
            "/\u{b}/x",
            "/ /evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "https://evil.example",
            "evil.example",
            "/\u{a0}/evil.example",
            "/\u{2028}/x",
            "",
        ] {
            assert_eq!(safe_return_path(Some(bad)), "/account", "{bad:?}");
        }
        assert_eq!(
            safe_return_path(Some("/zoeken?q=financi\u{eb}n")),
            "/zoeken?q=financi%C3%ABn"
        );
        assert_eq!(safe_return_path(None), "/account");
        assert_eq!(
            safe_return_path(Some(&format!("/{}", "a".repeat(3000)))),
            "/account"
        );
    }
}
