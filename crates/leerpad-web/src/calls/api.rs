//! Calls for cost coverage over the API: the calls (public), a programme manager's new call
//! and its applications, a provider's applications, every step of the review, and the
//! published order of a closed call.

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
use leerpad_domain::calls::ports::{Application, ApplicationEvent};
use leerpad_domain::calls::{ApplicationLine, Call, CallDefinition, Step};
use leerpad_domain::shared::{Money, OfferId, iso_date_option};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A call for cost coverage.
#[derive(Debug, Serialize, ToSchema)]
pub struct CallDto {
    pub slug: String,
    /// The call as its programme manager wrote it (see `docs/calls.md`).
    #[schema(value_type = Object)]
    pub definition: serde_json::Value,
    /// The lottery's seed: empty until the call closes.
    pub seed: String,
}

fn call_dto(c: &Call) -> CallDto {
    CallDto {
        slug: c.slug.clone(),
        definition: serde_json::to_value(&c.definition).unwrap_or_default(),
        seed: c.seed.clone(),
    }
}

#[utoipa::path(get, path = "/api/v1/calls", tag = "calls",
    responses((status = 200, body = Vec<CallDto>)))]
pub async fn list(State(state): State<AppState>) -> Result<Json<Vec<CallDto>>, Problem> {
    let calls = state.calls().calls().await?;
    Ok(Json(calls.iter().map(call_dto).collect()))
}

/// A new call.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCallDto {
    /// Lowercase letters, digits and hyphens; used in addresses.
    pub slug: String,
    /// The call's definition (title, budget_cents, opens_on, closes_on, eligibility,
    /// max_per_application_cents, min_per_course_cents, max_places_per_course_per_year,
    /// level_spread, oversubscription, criteria).
    #[schema(value_type = Object)]
    pub definition: serde_json::Value,
}

#[utoipa::path(post, path = "/api/v1/calls", tag = "calls",
    request_body = NewCallDto, security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = CallDto), MalformedJson, Unauthorized, Forbidden, NotJson, InvalidFieldPaths, Conflict))]
pub async fn create(
    State(state): State<AppState>,
    auth: Authz<perm::ManageProgrammes>,
    ApiJson(req): ApiJson<NewCallDto>,
) -> Result<(StatusCode, Json<CallDto>), Problem> {
    let definition: CallDefinition = serde_json::from_value(req.definition)
        .map_err(|e| Problem::validation("definition", format!("definition: {e}")))?;
    let call = state
        .calls()
        .create_call(&auth.principal, &req.slug, &definition)
        .await?;
    Ok((StatusCode::CREATED, Json(call_dto(&call))))
}

#[utoipa::path(get, path = "/api/v1/calls/{slug}", tag = "calls",
    params(("slug" = String, Path)),
    responses((status = 200, body = CallDto), NotFound))]
pub async fn one(
    State(state): State<AppState>,
    ApiPath(slug): ApiPath<String>,
) -> Result<Json<CallDto>, Problem> {
    Ok(Json(call_dto(&state.calls().call(&slug).await?)))
}

/// One application in a closed call's published order.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrderLineDto {
    pub reference: String,
    pub amount_cents: i64,
    /// SHA-256 of "{seed}:{reference}", lowercase hex.
    pub number: String,
    /// For a call decided by scoring: the weighted score in tenths of a point (the order is
    /// by score, highest first, ties by number).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<u32>,
    /// Whether the budget covers it, in this order.
    pub funded: bool,
}

/// A closed call's order: anyone can redo it from the seed and the references.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrderDto {
    pub seed: String,
    pub budget_cents: i64,
    pub oversubscribed: bool,
    pub applications: Vec<OrderLineDto>,
}

#[utoipa::path(get, path = "/api/v1/calls/{slug}/order", tag = "calls",
    params(("slug" = String, Path)),
    responses((status = 200, body = OrderDto), NotFound, Conflict))]
pub async fn order(
    State(state): State<AppState>,
    ApiPath(slug): ApiPath<String>,
) -> Result<Json<OrderDto>, Problem> {
    let o = state.calls().published_order(&slug).await?;
    Ok(Json(OrderDto {
        seed: o.seed.unwrap_or_default(),
        budget_cents: o.call.definition.budget_cents.cents(),
        oversubscribed: o.oversubscribed,
        applications: o
            .ranked
            .into_iter()
            .map(|r| OrderLineDto {
                reference: r.reference,
                amount_cents: r.amount_cents,
                number: r.number,
                score: r.score,
                funded: r.funded,
            })
            .collect(),
    }))
}

/// One course in an application.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LineDto {
    pub offer_id: i64,
    pub places: u32,
    pub price_per_participant_cents: i64,
    /// YYYY-MM-DD.
    pub starts_on: String,
    /// YYYY-MM-DD.
    pub ends_on: String,
}

/// An application with where it stands.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationDto {
    pub id: i64,
    pub reference: String,
    pub call_id: i64,
    pub provider_id: i64,
    pub lines: Vec<LineDto>,
    pub amount_cents: i64,
    /// draft, submitted, admissibility_check, review, information_requested, approved,
    /// rejected, objection, withdrawn or settled.
    pub status: String,
    /// The last day of the step it waits for (YYYY-MM-DD).
    pub deadline: Option<String>,
    /// The ledger hold of the approved money.
    pub hold: Option<i64>,
}

fn dto(a: &Application) -> ApplicationDto {
    ApplicationDto {
        id: a.id,
        reference: a.reference(),
        call_id: a.call_id,
        provider_id: a.provider.get(),
        lines: a
            .lines
            .iter()
            .map(|l| LineDto {
                offer_id: l.offer.get(),
                places: l.places,
                price_per_participant_cents: l.price_per_participant_cents.cents(),
                starts_on: iso_date_option::format(l.starts_on),
                ends_on: iso_date_option::format(l.ends_on),
            })
            .collect(),
        amount_cents: a.amount.cents(),
        status: a.workflow.status.to_string(),
        deadline: a.workflow.deadline.map(iso_date_option::format),
        hold: a.hold.map(|h| h.get()),
    }
}

/// A new application.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewApplicationDto {
    pub lines: Vec<LineDto>,
}

fn lines_of(req: &NewApplicationDto) -> Result<Vec<ApplicationLine>, Problem> {
    req.lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let date = |raw: &str, field: &str| {
                iso_date_option::parse(raw).ok_or_else(|| {
                    let path = format!("lines[{}].{field}", i + 1);
                    Problem::validation(&path, format!("{path}: a date as YYYY-MM-DD"))
                })
            };
            Ok(ApplicationLine {
                offer: OfferId::new(l.offer_id),
                places: l.places,
                price_per_participant_cents: Money::from_cents(l.price_per_participant_cents),
                starts_on: date(&l.starts_on, "starts_on")?,
                ends_on: date(&l.ends_on, "ends_on")?,
            })
        })
        .collect()
}

#[utoipa::path(post, path = "/api/v1/calls/{slug}/applications", tag = "calls",
    request_body = NewApplicationDto, params(("slug" = String, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = ApplicationDto), MalformedJsonOrPath, Unauthorized, Forbidden, NotFound, NotJson, InvalidFieldPaths, Conflict))]
pub async fn apply(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnOffers>,
    ApiPath(slug): ApiPath<String>,
    ApiJson(req): ApiJson<NewApplicationDto>,
) -> Result<(StatusCode, Json<ApplicationDto>), Problem> {
    let lines = lines_of(&req)?;
    let app = state.calls().apply(&auth.principal, &slug, &lines).await?;
    Ok((StatusCode::CREATED, Json(dto(&app))))
}

#[utoipa::path(get, path = "/api/v1/calls/{slug}/applications", tag = "calls",
    params(("slug" = String, Path)), security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Vec<ApplicationDto>), Unauthorized, Forbidden, NotFound))]
pub async fn of_call(
    State(state): State<AppState>,
    auth: Authz<perm::ManageProgrammes>,
    ApiPath(slug): ApiPath<String>,
) -> Result<Json<Vec<ApplicationDto>>, Problem> {
    let all = state.calls().applications(&auth.principal, &slug).await?;
    Ok(Json(all.iter().map(dto).collect()))
}

#[utoipa::path(get, path = "/api/v1/provider/applications", tag = "calls",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Vec<ApplicationDto>), Unauthorized, Forbidden, Conflict))]
pub async fn mine(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnOffers>,
) -> Result<Json<Vec<ApplicationDto>>, Problem> {
    let all = state.calls().my_applications(&auth.principal).await?;
    Ok(Json(all.iter().map(dto).collect()))
}

/// One step in an application's history.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventDto {
    /// Unix seconds.
    pub at: i64,
    pub step: String,
    pub text: Option<String>,
    pub status: String,
}

/// An application with its history.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationWithHistoryDto {
    pub application: ApplicationDto,
    pub history: Vec<EventDto>,
}

fn event_dto(e: &ApplicationEvent) -> EventDto {
    EventDto {
        at: e.at,
        step: e.step.clone(),
        text: e.text.clone(),
        status: e.status.to_string(),
    }
}

#[utoipa::path(get, path = "/api/v1/applications/{id}", tag = "calls",
    params(("id" = i64, Path)), security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ApplicationWithHistoryDto), MalformedJsonOrPath, Unauthorized, Forbidden, NotFound, Conflict))]
pub async fn application(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnAccount>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ApplicationWithHistoryDto>, Problem> {
    let (app, events) = state.calls().application(&auth.principal, id).await?;
    Ok(Json(ApplicationWithHistoryDto {
        application: dto(&app),
        history: events.iter().map(event_dto).collect(),
    }))
}

/// A step in the review.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplicationStepDto {
    /// Provider: submit, withdraw, answer, object, settle. Programme manager: start_check,
    /// admissible, inadmissible, request_information, approve, reject, uphold, dismiss.
    pub step: String,
    /// The reason (inadmissible, reject, dismiss), question, answer, grounds, or (settle) the
    /// proof of completion.
    #[serde(default)]
    pub text: String,
    /// settle: how many participants completed each course.
    #[serde(default)]
    pub completions: Vec<CompletionDto>,
}

/// How many participants completed one course.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompletionDto {
    pub offer_id: i64,
    pub completed: u32,
}

fn step_of(req: &ApplicationStepDto) -> Result<Step, Problem> {
    if req.step == "settle" {
        return Ok(Step::Settle {
            completions: req
                .completions
                .iter()
                .map(|c| leerpad_domain::calls::Completion {
                    offer: OfferId::new(c.offer_id),
                    completed: c.completed,
                })
                .collect(),
            proof: req.text.clone(),
        });
    }
    Step::named(&req.step, req.text.clone()).ok_or_else(|| {
        Problem::validation(
            "step",
            "step: expected one of submit, withdraw, start_check, admissible, inadmissible, \
             request_information, answer, approve, reject, object, uphold, dismiss, settle",
        )
    })
}

#[utoipa::path(post, path = "/api/v1/applications/{id}/steps", tag = "calls",
    request_body = ApplicationStepDto, params(("id" = i64, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ApplicationDto), MalformedJsonOrPath, Unauthorized, Forbidden, NotFound, NotJson, InvalidFieldPaths, Conflict))]
pub async fn step(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnAccount>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<ApplicationStepDto>,
) -> Result<Json<ApplicationDto>, Problem> {
    let step = step_of(&req)?;
    let app = state.calls().step(&auth.principal, id, &step).await?;
    Ok(Json(dto(&app)))
}

pub(crate) fn routes() -> utoipa_axum::router::OpenApiRouter<AppState> {
    utoipa_axum::router::OpenApiRouter::new()
        .routes(utoipa_axum::routes!(list, create))
        .routes(utoipa_axum::routes!(one))
        .routes(utoipa_axum::routes!(order))
        .routes(utoipa_axum::routes!(apply, of_call))
        .routes(utoipa_axum::routes!(mine))
        .routes(utoipa_axum::routes!(application))
        .routes(utoipa_axum::routes!(step))
}
