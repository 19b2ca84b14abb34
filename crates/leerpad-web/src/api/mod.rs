//! The JSON API under `/api/v1`, described by an OpenAPI 3.1 document generated from these
//! handlers (`/api/v1/openapi.json`). Conventions every endpoint follows:
//! - request bodies are strict JSON (unknown fields are refused);
//! - errors are `application/problem+json` (RFC 9457) with field errors for validation;
//! - lists are paged with an opaque `next_cursor` (pass it back as `cursor`);
//! - authentication is the session cookie (browser) or `Authorization: Bearer lp_…`;
//! - times are RFC 3339 strings in UTC.

mod accounts;
mod admin;
pub(crate) mod financing;
pub(crate) mod matching;
pub(crate) mod offers;
pub(crate) mod taxonomy;

use crate::error::ProblemBody;
use crate::state::AppState;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use accounts::AccountDto;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Leerpad API",
        description = "The open platform for lifelong learning (Leven Lang Ontwikkelen). Errors are RFC 9457 problem details.",
        license(name = "EUPL-1.2")
    ),
    components(schemas(ProblemBody)),
    modifiers(&SecuritySchemes),
    tags(
        (name = "accounts", description = "Registration, sessions, one's own account and API tokens"),
        (name = "admin", description = "Accounts, roles and the audit log (administrators)"),
        (name = "programme", description = "Figures for programme managers"),
        (name = "taxonomy", description = "ESCO skills and occupations: lookup, details, extraction, title matching"),
        (name = "catalogue", description = "Training offers: search with facets, details, provider uploads, change feed"),
        (name = "matching", description = "The learner's skills profile, occupations within reach with regional demand, the skill gap and the training plan"),
        (name = "financing", description = "Financing schemes (regelingen) and the financing check: net prices and why a scheme does not apply"),
    )
)]
struct ApiDoc;

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("Leerpad personal API token (lp_…)")
                    .build(),
            ),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(
                crate::identity::SESSION_COOKIE,
            ))),
        );
    }
}

/// All API routes with their OpenAPI description.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(accounts::register))
        .routes(routes!(accounts::login, accounts::logout))
        .routes(routes!(accounts::me, accounts::delete_me))
        .routes(routes!(accounts::export))
        .routes(routes!(accounts::change_password))
        .routes(routes!(accounts::list_tokens, accounts::create_token))
        .routes(routes!(accounts::revoke_token))
        .routes(routes!(admin::list_users))
        .routes(routes!(admin::get_user))
        .routes(routes!(admin::grant_role, admin::revoke_role))
        .routes(routes!(admin::audit_log))
        .routes(routes!(admin::programme_overview))
        .routes(routes!(taxonomy::lookup_skills))
        .routes(routes!(taxonomy::skill))
        .routes(routes!(taxonomy::extract))
        .routes(routes!(taxonomy::lookup_occupations))
        .routes(routes!(taxonomy::occupation))
        .routes(routes!(taxonomy::match_title))
        .routes(routes!(offers::search))
        .routes(routes!(offers::changes))
        .routes(routes!(offers::offer))
        .routes(routes!(offers::batch))
        .routes(routes!(offers::own_provider, offers::register_provider))
        .routes(routes!(financing::list, financing::create))
        .routes(routes!(financing::get_one, financing::edit))
        .routes(routes!(financing::set_status))
        .routes(routes!(financing::revisions))
        .routes(routes!(financing::check))
        .routes(routes!(financing::get_situation, financing::put_situation))
        .routes(routes!(matching::get_profile, matching::put_profile))
        .routes(routes!(matching::add_occupation))
        .routes(routes!(matching::remove_occupation))
        .routes(routes!(matching::suggest))
        .routes(routes!(matching::matches))
        .routes(routes!(matching::gap))
        .routes(routes!(matching::plan))
}

/// RFC 3339 in UTC, the API's time format.
pub(crate) fn rfc3339(unix: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

/// Page sizes accepted by list endpoints.
pub(crate) fn page_limit(requested: Option<u32>) -> u32 {
    requested.unwrap_or(50).clamp(1, 100)
}

/// Cursors are opaque to clients; today they wrap an id.
pub(crate) fn parse_cursor(cursor: Option<&str>) -> Result<Option<i64>, crate::error::Problem> {
    match cursor {
        None | Some("") => Ok(None),
        Some(c) => c
            .strip_prefix("id:")
            .and_then(|n| n.parse::<i64>().ok())
            .map(Some)
            .ok_or_else(|| {
                crate::error::Problem::validation("cursor", "cursor: not a cursor this API issued")
            }),
    }
}

pub(crate) fn make_cursor(id: i64) -> String {
    format!("id:{id}")
}

/// One page of a list. Pass `next_cursor` back as `cursor` for the next page.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Absent on the last page.
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// A page of `items` fetched with `limit`: a full page may have a successor, found after
    /// the last item's id.
    pub(crate) fn of<S>(
        rows: Vec<S>,
        limit: u32,
        id_of: impl Fn(&S) -> i64,
        into: impl Fn(S) -> T,
    ) -> Self {
        let next_cursor = (rows.len() == limit as usize)
            .then(|| rows.last().map(|r| make_cursor(id_of(r))))
            .flatten();
        Page {
            items: rows.into_iter().map(into).collect(),
            next_cursor,
        }
    }
}
