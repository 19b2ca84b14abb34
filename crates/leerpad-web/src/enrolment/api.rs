//! Enrolment over the API: a learner's requests and steps, a provider's list and answers.

use crate::api::problems::{
    Conflict, Forbidden, InvalidFieldPaths, MalformedJson, MalformedJsonOrPath, NotFound, NotJson,
    Unauthorized,
};
use crate::authz::{Authz, perm};
use crate::error::Problem;
use crate::extract::{ApiJson, ApiPath};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use leerpad_domain::enrolment::{Enrolment, Step};
use leerpad_domain::shared::{Money, OfferId, iso_date_option};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An enrolment.
#[derive(Debug, Serialize, ToSchema)]
pub struct EnrolmentDto {
    pub id: i64,
    pub offer_id: i64,
    pub run: String,
    /// requested, offered, declined, confirmed, started, completed, withdrawn, cancelled,
    /// no-show or expired.
    pub status: String,
    pub price_cents: Option<i64>,
    /// YYYY-MM-DD.
    pub starts_on: Option<String>,
    pub ends_on: Option<String>,
    /// The last day of the step it waits for (YYYY-MM-DD).
    pub deadline: Option<String>,
    /// The ledger hold of the price, once confirmed.
    pub hold: Option<i64>,
    pub note: Option<String>,
}

fn dto(e: &Enrolment) -> EnrolmentDto {
    EnrolmentDto {
        id: e.id,
        offer_id: e.offer.get(),
        run: e.run.clone(),
        status: e.status.to_string(),
        price_cents: e.price.map(Money::cents),
        starts_on: e.starts_on.map(iso_date_option::format),
        ends_on: e.ends_on.map(iso_date_option::format),
        deadline: e.deadline.map(iso_date_option::format),
        hold: e.hold.map(|h| h.get()),
        note: e.note.clone(),
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EnrolmentRequestDto {
    pub offer_id: i64,
    /// The provider's id of the run.
    pub run: String,
}

#[utoipa::path(post, path = "/api/v1/enrolments", tag = "enrolment",
    request_body = EnrolmentRequestDto, security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = EnrolmentDto), MalformedJson, Unauthorized, NotFound, NotJson, InvalidFieldPaths, Conflict))]
pub async fn request(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnAccount>,
    ApiJson(req): ApiJson<EnrolmentRequestDto>,
) -> Result<(StatusCode, Json<EnrolmentDto>), Problem> {
    let e = state
        .enrolments()
        .request(&auth.principal, OfferId::new(req.offer_id), &req.run)
        .await?;
    Ok((StatusCode::CREATED, Json(dto(&e))))
}

#[utoipa::path(get, path = "/api/v1/enrolments", tag = "enrolment",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Vec<EnrolmentDto>), Unauthorized))]
pub async fn mine(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnAccount>,
) -> Result<Json<Vec<EnrolmentDto>>, Problem> {
    let all = state.enrolments().mine(&auth.principal).await?;
    Ok(Json(all.iter().map(dto).collect()))
}

/// A step on an enrolment. Learners: confirm, withdraw, cancel (with `reason`). Providers:
/// accept (with `price_cents`, `starts_on`, `ends_on`), decline (with `reason`), start,
/// no_show, complete (with `proof`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StepDto {
    pub step: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub proof: String,
    #[serde(default)]
    pub price_cents: Option<i64>,
    /// YYYY-MM-DD.
    #[serde(default)]
    pub starts_on: Option<String>,
    #[serde(default)]
    pub ends_on: Option<String>,
}

fn date_of(raw: Option<&str>, field: &str) -> Result<leerpad_domain::shared::Date, Problem> {
    raw.and_then(iso_date_option::parse).ok_or_else(|| {
        Problem::validation(field, format!("{field}: a date as YYYY-MM-DD is required"))
    })
}

#[utoipa::path(post, path = "/api/v1/enrolments/{id}/steps", tag = "enrolment",
    request_body = StepDto, params(("id" = i64, Path)), security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = EnrolmentDto), MalformedJsonOrPath, Unauthorized, NotFound, NotJson, InvalidFieldPaths, Conflict))]
pub async fn learner_step(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnAccount>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<StepDto>,
) -> Result<Json<EnrolmentDto>, Problem> {
    let step = match req.step.as_str() {
        "confirm" => Step::Confirm,
        "withdraw" => Step::Withdraw,
        "cancel" => Step::Cancel { reason: req.reason },
        _ => {
            return Err(Problem::validation(
                "step",
                "step: expected one of confirm, withdraw, cancel",
            ));
        }
    };
    let e = state
        .enrolments()
        .learner_step(&auth.principal, id, &step)
        .await?;
    Ok(Json(dto(&e)))
}

#[utoipa::path(get, path = "/api/v1/provider/enrolments", tag = "enrolment",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Vec<EnrolmentDto>), Unauthorized, Forbidden, Conflict))]
pub async fn for_provider(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnOffers>,
) -> Result<Json<Vec<EnrolmentDto>>, Problem> {
    let all = state.enrolments().for_my_provider(&auth.principal).await?;
    Ok(Json(all.iter().map(dto).collect()))
}

#[utoipa::path(post, path = "/api/v1/provider/enrolments/{id}/steps", tag = "enrolment",
    request_body = StepDto, params(("id" = i64, Path)), security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = EnrolmentDto), MalformedJsonOrPath, Unauthorized, Forbidden, NotFound, NotJson, InvalidFieldPaths, Conflict))]
pub async fn provider_step(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnOffers>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<StepDto>,
) -> Result<Json<EnrolmentDto>, Problem> {
    let step = match req.step.as_str() {
        "accept" => Step::Accept {
            price: Money::from_cents(req.price_cents.ok_or_else(|| {
                Problem::validation("price_cents", "price_cents: required to accept")
            })?),
            starts_on: date_of(req.starts_on.as_deref(), "starts_on")?,
            ends_on: date_of(req.ends_on.as_deref(), "ends_on")?,
        },
        "decline" => Step::Decline { reason: req.reason },
        "start" => Step::DeclareStart,
        "no_show" => Step::DeclareNoShow,
        "complete" => Step::DeclareCompletion { proof: req.proof },
        _ => {
            return Err(Problem::validation(
                "step",
                "step: expected one of accept, decline, start, no_show, complete",
            ));
        }
    };
    let e = state
        .enrolments()
        .provider_step(&auth.principal, id, &step)
        .await?;
    Ok(Json(dto(&e)))
}

pub(crate) fn routes() -> utoipa_axum::router::OpenApiRouter<AppState> {
    utoipa_axum::router::OpenApiRouter::new()
        .routes(utoipa_axum::routes!(request, mine))
        .routes(utoipa_axum::routes!(learner_step))
        .routes(utoipa_axum::routes!(for_provider))
        .routes(utoipa_axum::routes!(provider_step))
}
