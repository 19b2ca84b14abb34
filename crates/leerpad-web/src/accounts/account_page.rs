//! One's own account page: the account's details, changing the password, issuing and revoking
//! personal API tokens, and deleting the account.

use crate::accounts::pages::EmptyForm;
use crate::authz::{Authz, perm};
use crate::csrf::CsrfForm;
use crate::error::Problem;
use crate::extract::ClientIp;
use crate::identity::{SESSION_COOKIE, removal_cookie};
use crate::pages::{FieldErrors, PageCtx, format_time, render};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use leerpad_app::{AccountView, AppError, IssuedApiToken};
use leerpad_domain::accounts::ports::ApiTokenRecord;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "accounts/account.html")]
struct AccountPage {
    page: PageCtx,
    account: AccountView,
    tokens: Vec<ApiTokenRecord>,
    new_token: Option<IssuedApiToken>,
    notice: Option<String>,
    errors: FieldErrors,
}

impl AccountPage {
    fn when(&self, t: &i64) -> String {
        format_time(*t)
    }

    fn when_opt(&self, t: &Option<i64>) -> String {
        t.map(format_time).unwrap_or_else(|| self.page.t("never"))
    }
}

async fn account_page(
    state: &AppState,
    auth: &Authz<perm::ManageOwnAccount>,
    page: PageCtx,
    status: StatusCode,
    new_token: Option<IssuedApiToken>,
    notice: Option<String>,
    errors: FieldErrors,
) -> Result<Response, Problem> {
    let accounts = state.accounts();
    let account = accounts.own_account(&auth.principal).await?;
    let tokens = accounts.api_tokens(&auth.principal).await?;
    Ok(render(
        status,
        &AccountPage {
            page,
            account,
            tokens,
            new_token,
            notice,
            errors,
        },
    ))
}

/// The account page again with one field's message (422).
async fn account_page_with_error(
    state: &AppState,
    auth: &Authz<perm::ManageOwnAccount>,
    page: PageCtx,
    field: &str,
    message_key: &str,
) -> Result<Response, Problem> {
    let mut errors = FieldErrors::default();
    errors.add(field, page.t(message_key));
    account_page(
        state,
        auth,
        page,
        StatusCode::UNPROCESSABLE_ENTITY,
        None,
        None,
        errors,
    )
    .await
}

pub async fn show(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnAccount>,
    page: PageCtx,
) -> Result<Response, Problem> {
    account_page(
        &state,
        &auth,
        page,
        StatusCode::OK,
        None,
        None,
        FieldErrors::default(),
    )
    .await
}

#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnAccount>,
    page: PageCtx,
    ClientIp(ip): ClientIp,
    CsrfForm(form): CsrfForm<PasswordForm>,
) -> Result<Response, Problem> {
    let result = state
        .accounts()
        .change_password(
            &auth.principal,
            &form.current_password,
            &form.new_password,
            auth.session.as_ref(),
            Some(&ip),
        )
        .await;
    match result {
        Ok(()) => {
            let notice = Some(page.t("account-password-changed"));
            account_page(
                &state,
                &auth,
                page,
                StatusCode::OK,
                None,
                notice,
                FieldErrors::default(),
            )
            .await
        }
        Err(AppError::InvalidCredentials) => {
            account_page_with_error(
                &state,
                &auth,
                page,
                "current_password",
                "err-current-password",
            )
            .await
        }
        Err(AppError::Invalid(_)) => {
            account_page_with_error(&state, &auth, page, "new_password", "err-password").await
        }
        Err(AppError::Throttled { .. }) => {
            account_page_with_error(
                &state,
                &auth,
                page,
                "current_password",
                "err-too-many-tries",
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    valid_days: String,
}

pub async fn create_token(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnAccount>,
    page: PageCtx,
    ClientIp(ip): ClientIp,
    CsrfForm(form): CsrfForm<TokenForm>,
) -> Result<Response, Problem> {
    let valid_days = match form.valid_days.trim() {
        "" => None,
        s => match s.parse::<u32>() {
            Ok(d) => Some(d),
            _ => {
                return account_page_with_error(
                    &state,
                    &auth,
                    page,
                    "valid_days",
                    "err-valid-days",
                )
                .await;
            }
        },
    };
    match state
        .accounts()
        .issue_api_token(&auth.principal, &form.name, valid_days, Some(&ip))
        .await
    {
        Ok(issued) => {
            account_page(
                &state,
                &auth,
                page,
                StatusCode::CREATED,
                Some(issued),
                None,
                FieldErrors::default(),
            )
            .await
        }
        Err(AppError::Invalid(e)) => {
            let (field, key) = match e.field() {
                "valid_days" => ("valid_days", "err-valid-days"),
                _ => ("name", "err-token-name"),
            };
            account_page_with_error(&state, &auth, page, field, key).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn revoke_token(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnAccount>,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<EmptyForm>,
) -> Result<Response, Problem> {
    state
        .accounts()
        .revoke_api_token(&auth.principal, id, Some(&ip))
        .await?;
    Ok(Redirect::to("/account").into_response())
}

#[derive(Debug, Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    delete_password: String,
    #[serde(default)]
    delete_confirm: Option<String>,
}

#[derive(Template)]
#[template(path = "accounts/account_deleted.html")]
struct AccountDeletedPage {
    page: PageCtx,
}

/// Delete one's own account: the password again and a ticked box, then the session ends.
pub async fn delete_account(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnAccount>,
    page: PageCtx,
    ClientIp(ip): ClientIp,
    jar: CookieJar,
    CsrfForm(form): CsrfForm<DeleteForm>,
) -> Result<Response, Problem> {
    if form.delete_confirm.is_none() {
        return account_page_with_error(
            &state,
            &auth,
            page,
            "delete_confirm",
            "err-delete-confirm",
        )
        .await;
    }
    match state
        .accounts()
        .delete_own_account(&auth.principal, &form.delete_password, Some(&ip))
        .await
    {
        Ok(()) => {
            let page = PageCtx { user: None, ..page };
            Ok((
                jar.add(removal_cookie(SESSION_COOKIE)),
                render(StatusCode::OK, &AccountDeletedPage { page }),
            )
                .into_response())
        }
        Err(AppError::InvalidCredentials) => {
            account_page_with_error(
                &state,
                &auth,
                page,
                "delete_password",
                "err-current-password",
            )
            .await
        }
        Err(AppError::Throttled { .. }) => {
            account_page_with_error(&state, &auth, page, "delete_password", "err-too-many-tries")
                .await
        }
        Err(AppError::Conflict(_)) => {
            account_page_with_error(&state, &auth, page, "delete_confirm", "err-last-admin").await
        }
        Err(e) => Err(e.into()),
    }
}

/// This feature's account page and the forms posted on it.
pub(crate) fn routes() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/account", get(show))
        .route("/account/wachtwoord", post(change_password))
        .route("/account/verwijderen", post(delete_account))
        .route("/account/sleutels", post(create_token))
        .route("/account/sleutels/{id}/intrekken", post(revoke_token))
}
