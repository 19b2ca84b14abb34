//! The JSON API under `/api/v1`, described by an OpenAPI 3.1 document generated from these
//! handlers (`/api/v1/openapi.json`). Conventions every endpoint follows:
//! - request bodies are strict JSON (unknown fields are refused);
//! - errors are `application/problem+json` (RFC 9457) with field errors for validation;
//! - lists are paged with an opaque `next_cursor` (pass it back as `cursor`);
//! - authentication is the session cookie (browser) or `Authorization: Bearer lp_…`;
//! - times are RFC 3339 strings in UTC.

pub(crate) mod problems;

use crate::error::ProblemBody;
use crate::state::AppState;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;

pub use crate::accounts::api::AccountDto;

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
        (name = "advice", description = "Ontwikkeladvies: advice programmes, registering for one and the published draws of their places"),
        (name = "ledger", description = "The learning account (leerrekening): one's statement; for programme managers the budgets and moving money, every command with an idempotency key"),
        (name = "regions", description = "Provinces and labour-market regions, and the regional initiatives recorded by programme managers"),
        (name = "quality", description = "Ratings of courses and providers from learners' surveys, and complaints with the providers' answers"),
        (name = "calls", description = "Calls for cost coverage: programme managers open calls, providers apply with their courses, applications are reviewed step by step; the published order of an oversubscribed call"),
        (name = "enrolment", description = "Enrolling in a course run paid from the learning account: requests, the provider's answer, confirmation, start and completion"),
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

/// All API routes with their OpenAPI description: each feature's `routes()`, merged.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(crate::accounts::api::routes())
        .merge(crate::advice::api::routes())
        .merge(crate::ledger::api::routes())
        .merge(crate::enrolment::api::routes())
        .merge(crate::calls::api::routes())
        .merge(crate::quality::api::routes())
        .merge(crate::regions::api::routes())
        .merge(crate::accounts::admin_api::routes())
        .merge(crate::taxonomy::api::routes())
        .merge(crate::catalogue::api::routes())
        .merge(crate::catalogue::api_provider::routes())
        .merge(crate::financing::api::routes())
        .merge(crate::matching::api::routes())
        .merge(crate::matching::api_chances::routes())
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

/// Page sizes accepted by list endpoints: 1–100, default 50.
pub(crate) fn page_limit(raw: Option<&str>) -> Result<u32, crate::error::Problem> {
    limit_param(raw, 50, 100)
}

/// A `limit` query parameter, sent as text so that every bad value gets the same answer:
/// absent or empty gives `default`; anything but a whole number from 1 to `max` is a 422
/// problem naming `limit` (never silently clamped).
pub(crate) fn limit_param(
    raw: Option<&str>,
    default: u32,
    max: u32,
) -> Result<u32, crate::error::Problem> {
    match raw.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(default),
        Some(v) => match v.parse::<u32>() {
            Ok(n) if (1..=max).contains(&n) => Ok(n),
            _ => Err(crate::error::Problem::validation(
                "limit",
                format!("limit: expected a whole number from 1 to {max}"),
            )),
        },
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn document() -> serde_json::Value {
        serde_json::to_value(router().into_openapi()).expect("the OpenAPI document as JSON")
    }

    /// Each operation of the document: method, path and the operation object.
    fn operations(doc: &serde_json::Value) -> Vec<(String, String, serde_json::Value)> {
        let mut out = Vec::new();
        for (path, item) in doc["paths"].as_object().into_iter().flatten() {
            for method in ["get", "put", "post", "delete", "patch"] {
                if let Some(op) = item.get(method) {
                    out.push((method.to_owned(), path.clone(), op.clone()));
                }
            }
        }
        out
    }

    #[test]
    fn path_parameters_are_in_the_template_and_the_rest_in_the_query() {
        let doc = document();
        let mut wrong = Vec::new();
        for (method, path, op) in operations(&doc) {
            for p in op["parameters"].as_array().into_iter().flatten() {
                let name = p["name"].as_str().unwrap_or_default();
                let in_template = path.contains(&format!("{{{name}}}"));
                let where_ = p["in"].as_str().unwrap_or_default();
                let ok = if in_template {
                    where_ == "path"
                } else {
                    where_ == "query"
                };
                if !ok {
                    wrong.push(format!("{method} {path}: '{name}' is declared in {where_}"));
                }
            }
        }
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    /// What the extractors can answer is documented: a JSON body can be malformed (400), of the
    /// wrong media type (415) or of the wrong shape (422); a query or path can be malformed (400).
    #[test]
    fn problem_answers_of_the_extractors_are_documented() {
        let doc = document();
        // Accounts and catalogue are documented in their own modules.
        let checked = [
            "matching",
            "financing",
            "admin",
            "taxonomy",
            "programme",
            "advice",
        ];
        let mut missing = Vec::new();
        for (method, path, op) in operations(&doc) {
            let tag = op["tags"][0].as_str().unwrap_or_default();
            if !checked.contains(&tag) {
                continue;
            }
            let mut needed = Vec::new();
            if op.get("requestBody").is_some() {
                needed.extend(["400", "415", "422"]);
            }
            if op["parameters"].as_array().is_some_and(|p| !p.is_empty()) {
                needed.push("400");
            }
            for status in needed {
                if op["responses"].get(status).is_none() {
                    missing.push(format!("{method} {path}: {status}"));
                }
            }
        }
        missing.dedup();
        assert!(missing.is_empty(), "{missing:#?}");
    }

    #[test]
    fn limits_outside_their_range_are_refused_not_clamped() {
        assert_eq!(page_limit(None).ok(), Some(50));
        assert_eq!(page_limit(Some("")).ok(), Some(50));
        assert_eq!(page_limit(Some("1")).ok(), Some(1));
        assert_eq!(page_limit(Some("100")).ok(), Some(100));
        for bad in ["0", "101", "2147483648", "99999999999", "-1", "abc", "1.5"] {
            let p = page_limit(Some(bad)).expect_err(bad);
            assert_eq!(
                p.status,
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                "{bad}"
            );
            assert_eq!(p.errors[0].field, "limit", "{bad}");
        }
        assert_eq!(limit_param(Some("50"), 10, 50).ok(), Some(50));
        assert!(limit_param(Some("51"), 10, 50).is_err());
    }
}
