//! Regions over the API: the regions with their initiatives, finding initiatives, and adding
//! one (programme managers); the dashboard's figures (programme managers); the learning-culture
//! survey and answering it.

use crate::api::problems::{
    Conflict, Forbidden, InvalidFieldPaths, MalformedJson, MalformedQuery, NotFound, NotJson,
    Unauthorized,
};
use crate::authz::{Authz, perm};
use crate::error::Problem;
use crate::extract::{ApiJson, ApiPath, ApiQuery};
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

/// Which figures.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DashboardParams {
    /// A region's address (`zuid-limburg`); none for the whole country.
    pub region: Option<String>,
}

/// A dashboard's figures: reach, uptake, budget use per scheme and region, and the
/// learning-culture trend, counted from the rows the lists show.
#[derive(Debug, Serialize, ToSchema)]
pub struct DashboardDto {
    /// The region's address, or none for the whole country.
    pub region: Option<String>,
    #[schema(value_type = Object)]
    pub figures: serde_json::Value,
}

/// The programme manager's dashboard figures (the same as `/beheer/dashboard.csv`).
#[utoipa::path(get, path = "/api/v1/dashboard", tag = "regions", params(DashboardParams),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = DashboardDto), MalformedQuery, Unauthorized, Forbidden, NotFound))]
pub async fn dashboard(
    State(state): State<AppState>,
    auth: Authz<perm::ManageProgrammes>,
    ApiQuery(p): ApiQuery<DashboardParams>,
) -> Result<Json<DashboardDto>, Problem> {
    let region = p.region.filter(|r| !r.trim().is_empty());
    let (area, figures, _) = state
        .regional()
        .dashboard(&auth.principal, region.as_deref())
        .await?;
    Ok(Json(DashboardDto {
        region: area.map(|a| a.slug),
        figures: serde_json::to_value(&figures).unwrap_or_default(),
    }))
}

/// One version of the learning-culture survey.
#[derive(Debug, Serialize, ToSchema)]
pub struct SurveyDto {
    pub version: u32,
    /// The first day it is asked (YYYY-MM-DD).
    pub since: String,
    /// The quarter answers given now count in ("2026-K4").
    pub period: String,
    /// Question keys for employees, answered 1 (not at all) to 5 (fully).
    pub employee: Vec<String>,
    /// Question keys for employers.
    pub employer: Vec<String>,
}

/// The learning-culture survey asked now (question texts are on `/leercultuur`).
#[utoipa::path(get, path = "/api/v1/culture/survey", tag = "regions",
    responses((status = 200, body = SurveyDto)))]
pub async fn survey(State(state): State<AppState>) -> Json<SurveyDto> {
    use leerpad_domain::regions::culture::{quarter, survey_on};
    let today = leerpad_app::catalogue::today(state.clock().as_ref());
    let s = survey_on(today);
    let keys = |list: &[&str]| list.iter().map(|k| (*k).to_owned()).collect();
    Json(SurveyDto {
        version: s.version,
        since: s.since.to_string(),
        period: quarter(today),
        employee: keys(s.employee),
        employer: keys(s.employer),
    })
}

/// A person's answer to the learning-culture survey.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CultureRequest {
    /// `employee` or `employer` (employers only).
    pub audience: String,
    /// The survey version the answers are for (the current one).
    pub version: u32,
    /// The labour-market region's address (`zuid-limburg`).
    pub region: String,
    /// Question key → 1 to 5.
    pub scores: std::collections::BTreeMap<String, u8>,
}

/// Answer this quarter's learning-culture survey (answering again replaces the answer).
#[utoipa::path(post, path = "/api/v1/me/culture", tag = "regions", request_body = CultureRequest,
    security(("bearer" = []), ("session" = [])),
    responses((status = 204, description = "Kept"), MalformedJson, Unauthorized, Forbidden, NotJson,
        Conflict, InvalidFieldPaths))]
pub async fn answer_culture(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnAccount>,
    ApiJson(r): ApiJson<CultureRequest>,
) -> Result<StatusCode, Problem> {
    use leerpad_domain::regions::culture::Audience;
    let audience = Audience::parse(&r.audience).ok_or_else(|| {
        Problem::validation("audience", "audience: expected employee or employer")
    })?;
    let given = r
        .scores
        .into_iter()
        .map(|(k, v)| (k, v.to_string()))
        .collect();
    match state
        .regional()
        .answer_culture(&auth.principal, audience, r.version, &r.region, &given)
        .await
    {
        Ok(()) => Ok(StatusCode::NO_CONTENT),
        // The domain names a question by its key; the API by its path in the body.
        Err(leerpad_app::error::AppError::InvalidFields(mut list)) => {
            for e in &mut list {
                if e.field != "region" {
                    e.field = format!("scores.{}", e.field);
                }
            }
            Err(leerpad_app::error::AppError::InvalidFields(list).into())
        }
        Err(e) => Err(e.into()),
    }
}

/// The regions API routes with their OpenAPI description.
pub(crate) fn routes() -> utoipa_axum::router::OpenApiRouter<AppState> {
    utoipa_axum::router::OpenApiRouter::new()
        .routes(utoipa_axum::routes!(dashboard))
        .routes(utoipa_axum::routes!(survey))
        .routes(utoipa_axum::routes!(answer_culture))
        .routes(utoipa_axum::routes!(regions))
        .routes(utoipa_axum::routes!(find, add))
        .routes(utoipa_axum::routes!(one))
}
