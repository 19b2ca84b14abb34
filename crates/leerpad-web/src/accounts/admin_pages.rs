//! Administration (audit log, accounts and roles) and the programme managers' overview.

use crate::authz::{Authz, perm};
use crate::csrf::CsrfForm;
use crate::error::Problem;
use crate::extract::ClientIp;
use crate::pages::{PageCtx, format_time, render};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use leerpad_app::{AccountView, ProgrammeOverview};
use leerpad_domain::accounts::ports::{AuditQuery, StoredAuditEntry};
use leerpad_domain::role::Role;
use leerpad_domain::shared::UserId;
use serde::Deserialize;

const PAGE_SIZE: u32 = 50;

#[derive(Debug, Deserialize)]
pub struct AuditFilter {
    gebruiker: Option<String>,
    gebeurtenis: Option<String>,
    voor: Option<String>,
}

#[derive(Template)]
#[template(path = "accounts/audit.html")]
struct AuditPage {
    page: PageCtx,
    entries: Vec<StoredAuditEntry>,
    user: String,
    event: String,
    next_href: Option<String>,
}

impl AuditPage {
    fn when(&self, t: &i64) -> String {
        format_time(*t)
    }
}

fn optional_id(raw: Option<&str>, field: &str) -> Result<Option<i64>, Problem> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => s.parse::<i64>().map(Some).map_err(|_| {
            Problem::validation(field, format!("{field}: expected a number, got '{s}'"))
        }),
    }
}

pub async fn audit_log(
    State(state): State<AppState>,
    auth: Authz<perm::ReadAuditLog>,
    page: PageCtx,
    Query(filter): Query<AuditFilter>,
) -> Result<Response, Problem> {
    let user_id = optional_id(filter.gebruiker.as_deref(), "gebruiker")?;
    let event = filter.gebeurtenis.clone().filter(|e| !e.trim().is_empty());
    let query = AuditQuery {
        before_id: optional_id(filter.voor.as_deref(), "voor")?,
        user_id: user_id.map(UserId::new),
        event: event.clone(),
        limit: PAGE_SIZE,
    };
    let entries = state.accounts().audit_log(&auth.principal, &query).await?;
    let next_href = (entries.len() == PAGE_SIZE as usize)
        .then(|| entries.last().map(|e| e.id))
        .flatten()
        .map(|before| {
            let q = serde_urlencoded::to_string([
                (
                    "gebruiker",
                    user_id.map(|u| u.to_string()).unwrap_or_default(),
                ),
                ("gebeurtenis", event.clone().unwrap_or_default()),
                ("voor", before.to_string()),
            ])
            .unwrap_or_default();
            format!("/beheer/audit?{q}")
        });
    Ok(render(
        StatusCode::OK,
        &AuditPage {
            page,
            entries,
            user: user_id.map(|u| u.to_string()).unwrap_or_default(),
            event: event.unwrap_or_default(),
            next_href,
        },
    ))
}

#[derive(Debug, Deserialize)]
pub struct UsersQuery {
    na: Option<String>,
}

#[derive(Template)]
#[template(path = "accounts/users.html")]
struct UsersPage {
    page: PageCtx,
    accounts: Vec<AccountView>,
    roles: Vec<Role>,
    next_href: Option<String>,
}

impl UsersPage {
    fn holds(&self, account: &AccountView, role: &Role) -> bool {
        account.roles.contains(*role)
    }
}

pub async fn users(
    State(state): State<AppState>,
    auth: Authz<perm::ViewAnyAccount>,
    page: PageCtx,
    ClientIp(ip): ClientIp,
    Query(q): Query<UsersQuery>,
) -> Result<Response, Problem> {
    let after = optional_id(q.na.as_deref(), "na")?.unwrap_or(0);
    let accounts = state
        .accounts()
        .list_accounts(&auth.principal, UserId::new(after), PAGE_SIZE, Some(&ip))
        .await?;
    let next_href = (accounts.len() == PAGE_SIZE as usize)
        .then(|| {
            accounts
                .last()
                .map(|a| format!("/beheer/gebruikers?na={}", a.user.id))
        })
        .flatten();
    Ok(render(
        StatusCode::OK,
        &UsersPage {
            page,
            accounts,
            roles: Role::ALL.to_vec(),
            next_href,
        },
    ))
}

#[derive(Debug, Deserialize)]
pub struct RoleForm {
    role: String,
    grant: String,
}

pub async fn change_role(
    State(state): State<AppState>,
    auth: Authz<perm::ChangeRoles>,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<RoleForm>,
) -> Result<Response, Problem> {
    let role: Role = form
        .role
        .parse()
        .map_err(|e: leerpad_domain::role::UnknownRole| {
            Problem::validation("role", e.to_string())
        })?;
    let grant = match form.grant.as_str() {
        "1" | "true" => true,
        "0" | "false" => false,
        other => {
            return Err(Problem::validation(
                "grant",
                format!("grant: expected 1 or 0, got '{other}'"),
            ));
        }
    };
    state
        .accounts()
        .set_role(&auth.principal, UserId::new(id), role, grant, Some(&ip))
        .await?;
    Ok(Redirect::to("/beheer/gebruikers").into_response())
}

/// One bar of a horizontal bar chart, pre-computed so the template only draws.
#[derive(Debug)]
struct Bar {
    label: String,
    value: i64,
    width_pct: i64,
}

#[derive(Template)]
#[template(path = "accounts/programme.html")]
struct ProgrammePage {
    page: PageCtx,
    overview: ProgrammeOverview,
    bars: Vec<Bar>,
}

pub async fn programme(
    State(state): State<AppState>,
    auth: Authz<perm::ManageProgrammes>,
    page: PageCtx,
) -> Result<Response, Problem> {
    let overview = state.accounts().programme_overview(&auth.principal).await?;
    let max = overview
        .accounts_by_role
        .iter()
        .map(|(_, n)| *n)
        .max()
        .unwrap_or(0)
        .max(1);
    let bars = overview
        .accounts_by_role
        .iter()
        .map(|(role, n)| Bar {
            label: page.role_name(role),
            value: *n,
            width_pct: n * 100 / max,
        })
        .collect();
    Ok(render(
        StatusCode::OK,
        &ProgrammePage {
            page,
            overview,
            bars,
        },
    ))
}

/// This feature's pages.
pub(crate) fn routes() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/beheer/audit", get(audit_log))
        .route("/beheer/gebruikers", get(users))
        .route("/beheer/gebruikers/{id}/rollen", post(change_role))
        .route("/programma", get(programme))
}
