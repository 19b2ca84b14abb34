//! Regions over the API: the regions with their initiatives, finding initiatives, and adding
//! one (programme managers).

use crate::api::problems::{
    Forbidden, InvalidFieldPaths, MalformedJson, NotFound, NotJson, Unauthorized,
};
use crate::authz::{Authz, perm};
use crate::error::Problem;
use crate::extract::{ApiJson, ApiPath};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use leerpad_domain::regions::ports::{InitiativeQuery, StoredInitiative};
use leerpad_domain::regions::{AreaKind, InitiativeInput};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A region with a page.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegionDto {
    pub slug: String,
    pub name: String,
    /// province or labour_market.
    pub kind: String,
    /// Its initiatives (for a province, with those of its labour-market regions).
    pub initiatives: u32,
}

/// Every province and labour-market region with how many initiatives it has.
#[utoipa::path(get, path = "/api/v1/regions", tag = "regions",
    responses((status = 200, body = Vec<RegionDto>)))]
pub async fn regions(State(state): State<AppState>) -> Result<Json<Vec<RegionDto>>, Problem> {
    Ok(Json(
        state
            .regional()
            .overview()
            .await?
            .into_iter()
            .map(|(a, n)| RegionDto {
                slug: a.slug,
                name: a.name,
                kind: match a.kind {
                    AreaKind::Province => "province",
                    AreaKind::LabourMarket => "labour_market",
                }
                .into(),
                initiatives: n,
            })
            .collect(),
    ))
}

/// An initiative, as recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct InitiativeDto {
    pub id: i64,
    #[schema(value_type = Object)]
    pub initiative: serde_json::Value,
}

fn dto(s: &StoredInitiative) -> InitiativeDto {
    InitiativeDto {
        id: s.id,
        initiative: serde_json::to_value(&s.initiative).unwrap_or_default(),
    }
}

/// How to find initiatives.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct InitiativeParams {
    /// Words in the title, summary, sector or partners.
    pub q: Option<String>,
    /// A region's address (`zuid-limburg`); a province includes its labour-market regions.
    pub region: Option<String>,
    pub sector: Option<String>,
    /// Only good practices ("parels").
    pub parel: Option<bool>,
}

/// Find initiatives, good practices first.
#[utoipa::path(get, path = "/api/v1/initiatives", tag = "regions", params(InitiativeParams),
    responses((status = 200, body = Vec<InitiativeDto>)))]
pub async fn find(
    State(state): State<AppState>,
    Query(p): Query<InitiativeParams>,
) -> Result<Json<Vec<InitiativeDto>>, Problem> {
    let query = InitiativeQuery {
        regions: p.region.into_iter().collect(),
        sector: p.sector.filter(|s| !s.trim().is_empty()),
        parel_only: p.parel.unwrap_or(false),
        text: p.q.filter(|q| !q.trim().is_empty()),
        limit: leerpad_app::regions::LIST_LIMIT,
    };
    let found = state.regional().search(query).await?;
    Ok(Json(found.iter().map(dto).collect()))
}

/// One initiative.
#[utoipa::path(get, path = "/api/v1/initiatives/{id}", tag = "regions",
    params(("id" = i64, Path)), responses((status = 200, body = InitiativeDto), NotFound))]
pub async fn one(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<InitiativeDto>, Problem> {
    Ok(Json(dto(&state.regional().initiative(id).await?)))
}

/// An initiative as written: lists inside a field separated by `|` (as in the CSV import).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InitiativeRequest {
    pub title: String,
    #[serde(default)]
    pub summary: String,
    /// A region's address or name.
    pub region: String,
    #[serde(default)]
    pub municipalities: String,
    #[serde(default)]
    pub sector: String,
    /// `Name (role) | Name (role)`.
    #[serde(default)]
    pub partners: String,
    #[serde(default)]
    pub target_groups: String,
    #[serde(default)]
    pub participants_target: String,
    #[serde(default)]
    pub participants_realised: String,
    /// `Funder: 148.550 | Funder: 10.000` (euros).
    #[serde(default)]
    pub funding: String,
    #[serde(default)]
    pub starts_on: String,
    #[serde(default)]
    pub ends_on: String,
    /// `bbl: 5 | deelcertificaat: 7`.
    #[serde(default)]
    pub developed: String,
    #[serde(default)]
    pub contact: String,
    #[serde(default)]
    pub results: String,
    /// `ja` or `nee`.
    #[serde(default)]
    pub parel: String,
}

/// Record an initiative (programme managers).
#[utoipa::path(post, path = "/api/v1/initiatives", tag = "regions", request_body = InitiativeRequest,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = InitiativeDto), MalformedJson, Unauthorized, Forbidden, NotJson, InvalidFieldPaths))]
pub async fn add(
    State(state): State<AppState>,
    auth: Authz<perm::ManageProgrammes>,
    ApiJson(r): ApiJson<InitiativeRequest>,
) -> Result<(StatusCode, Json<InitiativeDto>), Problem> {
    let input = InitiativeInput {
        title: r.title,
        summary: r.summary,
        region: r.region,
        municipalities: r.municipalities,
        sector: r.sector,
        partners: r.partners,
        target_groups: r.target_groups,
        participants_target: r.participants_target,
        participants_realised: r.participants_realised,
        funding: r.funding,
        starts_on: r.starts_on,
        ends_on: r.ends_on,
        developed: r.developed,
        contact: r.contact,
        results: r.results,
        parel: r.parel,
    };
    let id = state
        .regional()
        .add_initiative(&auth.principal, &input)
        .await?;
    let stored = state.regional().initiative(id).await?;
    Ok((StatusCode::CREATED, Json(dto(&stored))))
}

/// The regions API routes with their OpenAPI description.
pub(crate) fn routes() -> utoipa_axum::router::OpenApiRouter<AppState> {
    utoipa_axum::router::OpenApiRouter::new()
        .routes(utoipa_axum::routes!(regions))
        .routes(utoipa_axum::routes!(find, add))
        .routes(utoipa_axum::routes!(one))
}
