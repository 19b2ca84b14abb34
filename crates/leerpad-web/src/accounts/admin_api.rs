//! Accounts, roles and the audit log for administrators; figures for programme managers.

use crate::accounts::api::AccountDto;
use crate::api::problems::{
    Forbidden, Invalid, InvalidPage, MalformedPath, MalformedQuery, NotFound,
};
use crate::api::{Page, page_limit, parse_cursor, rfc3339};
use crate::authz::{Authz, perm};
use crate::error::{Problem, ProblemBody};
use crate::extract::{ApiPath, ApiQuery, ClientIp};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use leerpad_domain::accounts::ports::AuditQuery;
use leerpad_domain::policy::Principal;
use leerpad_domain::role::Role;
use leerpad_domain::shared::UserId;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
    /// 1–100, default 50; anything else is refused with 422.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100)]
    limit: Option<String>,
}

/// List accounts (administrators; the read is audited).
#[utoipa::path(get, path = "/api/v1/admin/users", tag = "admin",
    params(PageParams),
    responses(
        (status = 200, body = Page<AccountDto>), MalformedQuery, Forbidden, InvalidPage,
    ),
    security(("bearer" = []), ("session" = [])))]
pub async fn list_users(
    State(state): State<AppState>,
    auth: Authz<perm::ViewAnyAccount>,
    ClientIp(ip): ClientIp,
    ApiQuery(p): ApiQuery<PageParams>,
) -> Result<Json<Page<AccountDto>>, Problem> {
    let limit = page_limit(p.limit.as_deref())?;
    let after = parse_cursor(p.cursor.as_deref())?.unwrap_or(0);
    let views = state
        .accounts()
        .list_accounts(&auth.principal, UserId::new(after), limit, Some(&ip))
        .await?;
    Ok(Json(Page::of(
        views,
        limit,
        |v| v.user.id.get(),
        Into::into,
    )))
}

/// One account (the owner, or an administrator: then the read is audited).
#[utoipa::path(get, path = "/api/v1/admin/users/{id}", tag = "admin",
    params(("id" = i64, Path)),
    responses(
        (status = 200, body = AccountDto),
        (status = 400, description = "The id is not a number", body = ProblemBody, content_type = "application/problem+json"), Forbidden, NotFound,
    ),
    security(("bearer" = []), ("session" = [])))]
pub async fn get_user(
    State(state): State<AppState>,
    auth: Authz<perm::ViewAnyAccount>,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<AccountDto>, Problem> {
    Ok(Json(
        state
            .accounts()
            .account(&auth.principal, UserId::new(id), Some(&ip))
            .await?
            .into(),
    ))
}

fn parse_role(raw: &str) -> Result<Role, Problem> {
    raw.parse()
        .map_err(|e: leerpad_domain::role::UnknownRole| Problem::validation("role", e.to_string()))
}

/// Grant a role.
#[utoipa::path(put, path = "/api/v1/admin/users/{id}/roles/{role}", tag = "admin",
    params(("id" = i64, Path), ("role" = String, Path, description = "learner, advisor, provider, programme_manager or admin")),
    responses(
        (status = 204, description = "The account holds the role"), MalformedPath, Forbidden, NotFound, Invalid,
    ),
    security(("bearer" = []), ("session" = [])))]
pub async fn grant_role(
    State(state): State<AppState>,
    auth: Authz<perm::ChangeRoles>,
    ClientIp(ip): ClientIp,
    ApiPath((id, role)): ApiPath<(i64, String)>,
) -> Result<StatusCode, Problem> {
    set_role(&state, &auth.principal, &ip, id, &role, true).await
}

/// Revoke a role.
#[utoipa::path(delete, path = "/api/v1/admin/users/{id}/roles/{role}", tag = "admin",
    params(("id" = i64, Path), ("role" = String, Path)),
    responses(
        (status = 204, description = "The account no longer holds the role"), MalformedPath, Forbidden, NotFound,
        (status = 409, description = "The learner role, or the last administrator's role, cannot be removed", body = ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "Not a role", body = ProblemBody, content_type = "application/problem+json"),
    ),
    security(("bearer" = []), ("session" = [])))]
pub async fn revoke_role(
    State(state): State<AppState>,
    auth: Authz<perm::ChangeRoles>,
    ClientIp(ip): ClientIp,
    ApiPath((id, role)): ApiPath<(i64, String)>,
) -> Result<StatusCode, Problem> {
    set_role(&state, &auth.principal, &ip, id, &role, false).await
}

/// Grant (`held`) or revoke a role, as the administrator `by`.
async fn set_role(
    state: &AppState,
    by: &Principal,
    ip: &str,
    id: i64,
    role: &str,
    held: bool,
) -> Result<StatusCode, Problem> {
    state
        .accounts()
        .set_role(by, UserId::new(id), parse_role(role)?, held, Some(ip))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
    /// 1–100, default 50; anything else is refused with 422.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100)]
    limit: Option<String>,
    /// Only entries whose actor or subject is this account.
    user_id: Option<i64>,
    /// Only this event, e.g. `login_failed`.
    event: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntryDto {
    pub id: i64,
    pub at: String,
    pub event: String,
    pub actor_user_id: Option<i64>,
    pub subject_user_id: Option<i64>,
    pub ip: Option<String>,
    pub detail: serde_json::Value,
}

/// The security audit log, newest first (administrators).
#[utoipa::path(get, path = "/api/v1/admin/audit", tag = "admin",
    params(AuditParams),
    responses(
        (status = 200, body = Page<AuditEntryDto>), MalformedQuery, Forbidden, InvalidPage,
    ),
    security(("bearer" = []), ("session" = [])))]
pub async fn audit_log(
    State(state): State<AppState>,
    auth: Authz<perm::ReadAuditLog>,
    ApiQuery(p): ApiQuery<AuditParams>,
) -> Result<Json<Page<AuditEntryDto>>, Problem> {
    let limit = page_limit(p.limit.as_deref())?;
    let query = AuditQuery {
        before_id: parse_cursor(p.cursor.as_deref())?,
        user_id: p.user_id.map(UserId::new),
        event: p.event.filter(|e| !e.is_empty()),
        limit,
    };
    let entries = state.accounts().audit_log(&auth.principal, &query).await?;
    Ok(Json(Page::of(
        entries,
        limit,
        |e| e.id,
        |e| AuditEntryDto {
            id: e.id,
            at: rfc3339(e.at),
            event: e.event,
            actor_user_id: e.actor_user_id.map(UserId::get),
            subject_user_id: e.subject_user_id.map(UserId::get),
            ip: e.ip,
            detail: e.detail,
        },
    )))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RoleCount {
    pub role: String,
    pub accounts: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProgrammeOverviewDto {
    pub accounts_by_role: Vec<RoleCount>,
    pub registered_last_30_days: i64,
}

/// Reach of the platform (programme managers; aggregate figures only).
#[utoipa::path(get, path = "/api/v1/programme/overview", tag = "programme",
    responses(
        (status = 200, body = ProgrammeOverviewDto), Forbidden,
    ),
    security(("bearer" = []), ("session" = [])))]
pub async fn programme_overview(
    State(state): State<AppState>,
    auth: Authz<perm::ManageProgrammes>,
) -> Result<Json<ProgrammeOverviewDto>, Problem> {
    let o = state.accounts().programme_overview(&auth.principal).await?;
    Ok(Json(ProgrammeOverviewDto {
        accounts_by_role: o
            .accounts_by_role
            .into_iter()
            .map(|(r, n)| RoleCount {
                role: r.as_str().to_owned(),
                accounts: n,
            })
            .collect(),
        registered_last_30_days: o.registered_last_30_days,
    }))
}

/// This feature's API routes with their OpenAPI description.
pub(crate) fn routes() -> utoipa_axum::router::OpenApiRouter<AppState> {
    utoipa_axum::router::OpenApiRouter::new()
        .routes(utoipa_axum::routes!(list_users))
        .routes(utoipa_axum::routes!(get_user))
        .routes(utoipa_axum::routes!(grant_role, revoke_role))
        .routes(utoipa_axum::routes!(audit_log))
        .routes(utoipa_axum::routes!(programme_overview))
}
