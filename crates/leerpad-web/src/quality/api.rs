//! The quality loop over the API: ratings of a course and a provider, and complaints (a
//! learner's own, a provider's answers, every complaint for programme managers).

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
use leerpad_app::quality::ComplaintView;
use leerpad_domain::quality::{PUBLISH_AT, Rating, Standing};
use leerpad_domain::shared::{OfferId, ProviderId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A published rating: end-of-course scores (1 to 5) and, six months on, the outcome.
#[derive(Debug, Serialize, ToSchema)]
pub struct RatingDto {
    /// End-of-course answers.
    pub answers: u32,
    /// The average score in tenths (42 = 4.2); absent until published.
    pub average_tenths: Option<u32>,
    /// Answers per score, 1 to 5.
    pub distribution: [u32; 5],
    pub recommend_yes: u32,
    pub outcome_answers: u32,
    pub working_yes: u32,
    pub using_yes: u32,
    /// unrated (fewer than 5 answers), published, flagged or suspended.
    pub standing: String,
}

fn rating_dto(r: &Rating) -> RatingDto {
    let published = r.answers() >= PUBLISH_AT;
    RatingDto {
        answers: r.answers(),
        average_tenths: if published { r.average_tenths() } else { None },
        distribution: if published { r.distribution } else { [0; 5] },
        recommend_yes: if published { r.recommend_yes } else { 0 },
        outcome_answers: r.outcome_answers,
        working_yes: if r.outcome_answers >= PUBLISH_AT {
            r.working_yes
        } else {
            0
        },
        using_yes: if r.outcome_answers >= PUBLISH_AT {
            r.using_yes
        } else {
            0
        },
        standing: match r.standing() {
            Standing::Unrated => "unrated",
            Standing::Published => "published",
            Standing::Flagged => "flagged",
            Standing::Suspended => "suspended",
        }
        .to_owned(),
    }
}

/// A course's rating (public; the numbers once 5 answered).
#[utoipa::path(get, path = "/api/v1/offers/{id}/rating", tag = "quality",
    params(("id" = i64, Path)),
    responses((status = 200, body = RatingDto), MalformedJsonOrPath))]
pub async fn offer_rating(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<RatingDto>, Problem> {
    let r = state.quality().rating_of(OfferId::new(id)).await?;
    Ok(Json(rating_dto(&r)))
}

/// A provider's rating over all its courses (public; the numbers once 5 answered).
#[utoipa::path(get, path = "/api/v1/providers/{id}/rating", tag = "quality",
    params(("id" = i64, Path)),
    responses((status = 200, body = RatingDto), MalformedJsonOrPath))]
pub async fn provider_rating(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<RatingDto>, Problem> {
    let r = state
        .quality()
        .rating_of_provider(ProviderId::new(id))
        .await?;
    Ok(Json(rating_dto(&r)))
}

/// A complaint and the provider's answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct ComplaintDto {
    pub id: i64,
    pub enrolment_id: i64,
    pub offer_id: i64,
    pub course: String,
    pub subject: String,
    pub text: String,
    /// Unix seconds.
    pub at: i64,
    pub answer: Option<String>,
    pub answered_at: Option<i64>,
}

fn complaint_dto(v: &ComplaintView) -> ComplaintDto {
    let c = &v.complaint;
    ComplaintDto {
        id: c.id,
        enrolment_id: c.enrolment,
        offer_id: c.offer.get(),
        course: v.title.clone(),
        subject: c.subject.clone(),
        text: c.text.clone(),
        at: c.at,
        answer: c.answer.clone(),
        answered_at: c.answered_at,
    }
}

/// A complaint about a course the learner enrolled in.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ComplaintRequest {
    /// What it is about (1 to 200 characters).
    pub subject: String,
    /// What happened (10 to 4,000 characters).
    pub text: String,
}

/// Complain about one of your own enrolments.
#[utoipa::path(post, path = "/api/v1/enrolments/{id}/complaints", tag = "quality",
    request_body = ComplaintRequest, params(("id" = i64, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = i64), MalformedJson, Unauthorized, NotFound, NotJson, InvalidFieldPaths))]
pub async fn complain(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnAccount>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<ComplaintRequest>,
) -> Result<(StatusCode, Json<i64>), Problem> {
    let id = state
        .quality()
        .complain(&auth.principal, id, &req.subject, &req.text)
        .await?;
    Ok((StatusCode::CREATED, Json(id)))
}

/// Your own complaints, newest first, with the answers.
#[utoipa::path(get, path = "/api/v1/me/complaints", tag = "quality",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Vec<ComplaintDto>), Unauthorized))]
pub async fn mine(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnAccount>,
) -> Result<Json<Vec<ComplaintDto>>, Problem> {
    let list = state.quality().my_own_complaints(&auth.principal).await?;
    Ok(Json(list.iter().map(complaint_dto).collect()))
}

/// Complaints about your organisation's courses (providers), newest first.
#[utoipa::path(get, path = "/api/v1/provider/complaints", tag = "quality",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Vec<ComplaintDto>), Unauthorized, Forbidden))]
pub async fn of_provider(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnOffers>,
) -> Result<Json<Vec<ComplaintDto>>, Problem> {
    let list = state.quality().my_complaints(&auth.principal).await?;
    Ok(Json(list.iter().map(complaint_dto).collect()))
}

/// An answer to a complaint.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerRequest {
    /// 10 to 4,000 characters.
    pub text: String,
}

/// Answer a complaint about one of your organisation's courses (providers); the learner is
/// told.
#[utoipa::path(post, path = "/api/v1/provider/complaints/{id}/answer", tag = "quality",
    request_body = AnswerRequest, params(("id" = i64, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 204), MalformedJsonOrPath, Unauthorized, Forbidden, NotFound, NotJson, InvalidFieldPaths, Conflict))]
pub async fn answer(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnOffers>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<AnswerRequest>,
) -> Result<StatusCode, Problem> {
    state
        .quality()
        .answer_complaint(&auth.principal, id, &req.text)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Every complaint, newest first (programme managers).
#[utoipa::path(get, path = "/api/v1/complaints", tag = "quality",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Vec<ComplaintDto>), Unauthorized, Forbidden))]
pub async fn all(
    State(state): State<AppState>,
    auth: Authz<perm::ManageProgrammes>,
) -> Result<Json<Vec<ComplaintDto>>, Problem> {
    let (list, _) = state.quality().all_complaints(&auth.principal).await?;
    Ok(Json(list.iter().map(complaint_dto).collect()))
}

/// The quality API routes with their OpenAPI description.
pub(crate) fn routes() -> utoipa_axum::router::OpenApiRouter<AppState> {
    utoipa_axum::router::OpenApiRouter::new()
        .routes(utoipa_axum::routes!(offer_rating))
        .routes(utoipa_axum::routes!(provider_rating))
        .routes(utoipa_axum::routes!(complain))
        .routes(utoipa_axum::routes!(mine))
        .routes(utoipa_axum::routes!(of_provider))
        .routes(utoipa_axum::routes!(answer))
        .routes(utoipa_axum::routes!(all))
}
