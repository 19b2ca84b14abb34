//! Registration, sessions, one's own account and personal API tokens.

use crate::api::problems::{Invalid, NotFound, Unauthorized};
use crate::api::rfc3339;
use crate::authz::{Authz, perm};
use crate::error::{Problem, ProblemBody};
use crate::extract::{ApiJson, ApiPath, ClientIp};
use crate::identity::{SESSION_COOKIE, removal_cookie, session_cookie};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::CookieJar;
use leerpad_app::{AccountView, IssuedApiToken};
use leerpad_domain::accounts::ports::ApiTokenRecord;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An account as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccountDto {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    /// Interface language: `nl` or `en`.
    pub locale: String,
    /// `learner`, `advisor`, `provider`, `programme_manager`, `admin`.
    pub roles: Vec<String>,
    pub created_at: String,
}

impl From<AccountView> for AccountDto {
    fn from(v: AccountView) -> Self {
        AccountDto {
            id: v.user.id.get(),
            email: v.user.email,
            display_name: v.user.display_name,
            locale: v.user.locale,
            roles: v.roles.iter().map(|r| r.as_str().to_owned()).collect(),
            created_at: rfc3339(v.user.created_at),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    /// Up to 254 characters.
    pub email: String,
    /// 1 to 100 characters.
    pub display_name: String,
    /// 10 to 128 characters.
    pub password: String,
    /// `nl` (default) or `en`.
    #[serde(default)]
    pub locale: Option<String>,
}

/// Register a learner account.
#[utoipa::path(post, path = "/api/v1/accounts", tag = "accounts",
    request_body = RegisterRequest,
    responses(
        (status = 201, description = "Account created", body = AccountDto),
        (status = 409, description = "E-mail address taken", body = ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "Invalid input", body = ProblemBody, content_type = "application/problem+json"),
    ))]
pub async fn register(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(req): ApiJson<RegisterRequest>,
) -> Result<(StatusCode, Json<AccountDto>), Problem> {
    let locale = match req.locale.as_deref() {
        None => "nl",
        Some(l) => crate::i18n::Lang::parse(l)
            .map(crate::i18n::Lang::code)
            .ok_or_else(|| Problem::validation("locale", "locale: use 'nl' or 'en'"))?,
    };
    let account = state
        .accounts()
        .register(
            &req.email,
            &req.display_name,
            &req.password,
            locale,
            Some(&ip),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(account.into())))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionDto {
    pub account: AccountDto,
    /// When the session ends if unused (it is extended on use).
    pub expires_at: String,
}

/// Log in; sets the session cookie (for browser clients; integrations use API tokens).
#[utoipa::path(post, path = "/api/v1/session", tag = "accounts",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Logged in; session cookie set", body = SessionDto),
        (status = 401, description = "Wrong e-mail address or password", body = ProblemBody, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed attempts", body = ProblemBody, content_type = "application/problem+json"),
    ))]
pub async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    jar: CookieJar,
    ApiJson(req): ApiJson<LoginRequest>,
) -> Result<Response, Problem> {
    let accounts = state.accounts();
    let done = accounts.login(&req.email, &req.password, &ip).await?;
    let view = accounts.own_account(&done.principal).await?;
    let body = SessionDto {
        account: view.into(),
        expires_at: rfc3339(done.session.expires_at),
    };
    let max_age = accounts.config().sessions.absolute_secs;
    Ok((
        jar.add(session_cookie(&state, done.session_token, max_age)),
        Json(body),
    )
        .into_response())
}

/// Log out: ends the session of the cookie.
#[utoipa::path(delete, path = "/api/v1/session", tag = "accounts",
    responses((status = 204, description = "Logged out")),
    security(("session" = [])))]
pub async fn logout(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnAccount>,
    ClientIp(ip): ClientIp,
    jar: CookieJar,
) -> Result<Response, Problem> {
    if let Some(session) = &auth.session {
        state.accounts().logout(session, Some(&ip)).await?;
    }
    Ok((
        jar.add(removal_cookie(SESSION_COOKIE)),
        StatusCode::NO_CONTENT,
    )
        .into_response())
}

/// The signed-in account.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts",
    responses(
        (status = 200, body = AccountDto), Unauthorized,
    ),
    security(("bearer" = []), ("session" = [])))]
pub async fn me(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnAccount>,
) -> Result<Json<AccountDto>, Problem> {
    Ok(Json(
        state.accounts().own_account(&auth.principal).await?.into(),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChangeRequest {
    pub current_password: String,
    /// 10 to 128 characters.
    pub new_password: String,
}

/// Change one's password; all other sessions end.
#[utoipa::path(post, path = "/api/v1/me/password", tag = "accounts",
    request_body = PasswordChangeRequest,
    responses(
        (status = 204, description = "Changed"),
        (status = 401, description = "Current password wrong", body = ProblemBody, content_type = "application/problem+json"), Invalid,
        (status = 429, description = "Too many wrong passwords (shared with login); see Retry-After", body = ProblemBody, content_type = "application/problem+json"),
    ),
    security(("bearer" = []), ("session" = [])))]
pub async fn change_password(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnAccount>,
    ClientIp(ip): ClientIp,
    ApiJson(req): ApiJson<PasswordChangeRequest>,
) -> Result<StatusCode, Problem> {
    state
        .accounts()
        .change_password(
            &auth.principal,
            &req.current_password,
            &req.new_password,
            auth.session.as_ref(),
            Some(&ip),
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountDeletion {
    /// The account's password, asked again so an open session alone cannot delete it.
    pub password: String,
    /// Must be `true`: the person understands that deletion cannot be undone.
    pub confirm: bool,
}

/// Delete one's own account and the data that is only the person's (profile, financing
/// answers, sessions, tokens). Scheme awards stay for budget accounting without the link to
/// the person, and the audit log keeps an entry with only the account id. Download the data
/// first from `/api/v1/me/export`.
#[utoipa::path(delete, path = "/api/v1/me", tag = "accounts",
    request_body = AccountDeletion,
    responses(
        (status = 204, description = "Deleted; the session cookie is removed"),
        (status = 401, description = "Password wrong or not signed in", body = ProblemBody, content_type = "application/problem+json"),
        (status = 409, description = "The last administrator cannot leave", body = ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "Not confirmed", body = ProblemBody, content_type = "application/problem+json"),
        (status = 429, description = "Too many wrong passwords (shared with login); see Retry-After", body = ProblemBody, content_type = "application/problem+json"),
    ),
    security(("bearer" = []), ("session" = [])))]
pub async fn delete_me(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnAccount>,
    ClientIp(ip): ClientIp,
    jar: CookieJar,
    ApiJson(req): ApiJson<AccountDeletion>,
) -> Result<Response, Problem> {
    if !req.confirm {
        return Err(Problem::validation(
            "confirm",
            "set confirm to true: deleting an account cannot be undone",
        ));
    }
    state
        .accounts()
        .delete_own_account(&auth.principal, &req.password, Some(&ip))
        .await?;
    Ok((
        jar.add(removal_cookie(SESSION_COOKIE)),
        StatusCode::NO_CONTENT,
    )
        .into_response())
}

/// A personal API token (without its secret).
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiTokenDto {
    pub id: i64,
    pub name: String,
    /// The first characters of the token.
    pub prefix: String,
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub expires_at: Option<String>,
    pub revoked_at: Option<String>,
}

impl From<ApiTokenRecord> for ApiTokenDto {
    fn from(t: ApiTokenRecord) -> Self {
        ApiTokenDto {
            id: t.id,
            name: t.name,
            prefix: t.prefix,
            created_at: rfc3339(t.created_at),
            last_used_at: t.last_used_at.map(rfc3339),
            expires_at: t.expires_at.map(rfc3339),
            revoked_at: t.revoked_at.map(rfc3339),
        }
    }
}

/// A token just created: the only time its secret is shown.
#[derive(Debug, Serialize, ToSchema)]
pub struct IssuedTokenDto {
    /// Send as `Authorization: Bearer <secret>`. Shown once; only its hash is stored.
    pub secret: String,
    pub token: ApiTokenDto,
}

impl From<IssuedApiToken> for IssuedTokenDto {
    fn from(i: IssuedApiToken) -> Self {
        IssuedTokenDto {
            secret: i.secret,
            token: i.token.into(),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateTokenRequest {
    /// 1 to 100 characters.
    pub name: String,
    /// Days until the token expires (1–3650); absent for no expiry.
    #[serde(default)]
    pub valid_days: Option<u32>,
}

/// One's personal API tokens.
#[utoipa::path(get, path = "/api/v1/me/tokens", tag = "accounts",
    responses((status = 200, body = Vec<ApiTokenDto>), Unauthorized),
    security(("bearer" = []), ("session" = [])))]
pub async fn list_tokens(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnAccount>,
) -> Result<Json<Vec<ApiTokenDto>>, Problem> {
    let tokens = state.accounts().api_tokens(&auth.principal).await?;
    Ok(Json(tokens.into_iter().map(Into::into).collect()))
}

/// Create a personal API token.
#[utoipa::path(post, path = "/api/v1/me/tokens", tag = "accounts",
    request_body = CreateTokenRequest,
    responses(
        (status = 201, body = IssuedTokenDto), Unauthorized, Invalid,
    ),
    security(("bearer" = []), ("session" = [])))]
pub async fn create_token(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnAccount>,
    ClientIp(ip): ClientIp,
    ApiJson(req): ApiJson<CreateTokenRequest>,
) -> Result<(StatusCode, Json<IssuedTokenDto>), Problem> {
    let issued = state
        .accounts()
        .issue_api_token(&auth.principal, &req.name, req.valid_days, Some(&ip))
        .await?;
    Ok((StatusCode::CREATED, Json(issued.into())))
}

/// Revoke one of one's API tokens.
#[utoipa::path(delete, path = "/api/v1/me/tokens/{id}", tag = "accounts",
    params(("id" = i64, Path, description = "Token id")),
    responses(
        (status = 204, description = "Revoked"), NotFound,
    ),
    security(("bearer" = []), ("session" = [])))]
pub async fn revoke_token(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnAccount>,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, Problem> {
    state
        .accounts()
        .revoke_api_token(&auth.principal, id, Some(&ip))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Everything Leerpad keeps about the signed-in person, as one JSON document.
#[derive(Debug, Serialize, ToSchema)]
pub struct DataExport {
    pub exported_at: String,
    pub account: AccountDto,
    /// Names and dates of personal API tokens (never the secrets).
    pub api_tokens: Vec<ApiTokenDto>,
    /// Answers for the financing check.
    #[schema(value_type = Option<Object>)]
    pub financing_situation: Option<leerpad_domain::financing::PersonFacts>,
    /// Financing received through Leerpad.
    #[schema(value_type = Vec<Object>)]
    pub financing_awards: Vec<leerpad_domain::financing::PriorAward>,
    /// The skills profile as stored: skills with their origin, jobs, circumstances.
    #[schema(value_type = Object)]
    pub skills_profile: leerpad_domain::matching::LearnerProfile,
}

/// Download all of one's own data as JSON.
#[utoipa::path(get, path = "/api/v1/me/export", tag = "accounts",
    responses(
        (status = 200, body = DataExport), Unauthorized,
    ),
    security(("bearer" = []), ("session" = [])))]
pub async fn export(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnAccount>,
) -> Result<axum::response::Response, Problem> {
    use axum::response::IntoResponse;
    let p = &auth.principal;
    let account: AccountDto = state.accounts().own_account(p).await?.into();
    let api_tokens = state
        .accounts()
        .api_tokens(p)
        .await?
        .into_iter()
        .map(Into::into)
        .collect();
    let export = DataExport {
        exported_at: crate::api::rfc3339(time::OffsetDateTime::now_utc().unix_timestamp()),
        account,
        api_tokens,
        financing_situation: state.financing().situation(p).await?,
        financing_awards: state.financing().awards(p).await?,
        skills_profile: state.matching().profile(p).await?,
    };
    Ok((
        [(
            axum::http::header::CONTENT_DISPOSITION,
            "attachment; filename=\"leerpad-mijn-gegevens.json\"",
        )],
        Json(export),
    )
        .into_response())
}

/// This feature's API routes with their OpenAPI description.
pub(crate) fn routes() -> utoipa_axum::router::OpenApiRouter<AppState> {
    utoipa_axum::router::OpenApiRouter::new()
        .routes(utoipa_axum::routes!(register))
        .routes(utoipa_axum::routes!(login, logout))
        .routes(utoipa_axum::routes!(me, delete_me))
        .routes(utoipa_axum::routes!(export))
        .routes(utoipa_axum::routes!(change_password))
        .routes(utoipa_axum::routes!(list_tokens, create_token))
        .routes(utoipa_axum::routes!(revoke_token))
}
