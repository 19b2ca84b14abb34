//! The provider side of the catalogue API: a provider account's batch upload of its own offers
//! (the format of `leerpad import offers`), and the organisation it publishes for.

use crate::api::problems::{Conflict, Forbidden, Invalid, NotFound, Unauthorized};
use crate::authz::{Authz, perm};
use crate::catalogue::api::{ProviderDto, provider_dto};
use crate::error::{FieldError, Problem, ProblemBody};
use crate::extract::ApiJson;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use leerpad_app::catalogue::BatchItem;
use leerpad_domain::catalogue::{OfferInput, ProviderInput};
use leerpad_domain::shared::OfferId;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Most offers in one batch upload.
pub const MAX_BATCH: usize = 1_000;

/// Offers to create or update, in the format of `leerpad import offers` (JSON Lines objects,
/// see docs/formats/offers.md) without the `provider` field.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfferBatchRequest {
    #[schema(value_type = Vec<Object>)]
    pub offers: Vec<OfferInput>,
    /// Write the valid offers and report the others, instead of all or nothing.
    #[serde(default)]
    pub skip_invalid: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BatchItemDto {
    pub index: usize,
    pub provider_offer_id: String,
    pub offer_id: Option<i64>,
    /// created, updated or unchanged; absent when refused.
    pub outcome: Option<String>,
    pub errors: Vec<FieldError>,
}

fn item_dto(i: &BatchItem) -> BatchItemDto {
    BatchItemDto {
        index: i.index,
        provider_offer_id: i.provider_offer_id.clone(),
        offer_id: i.offer_id.map(OfferId::get),
        outcome: i.outcome.map(|o| {
            match o {
                leerpad_domain::catalogue::ports::WriteOutcome::Created => "created",
                leerpad_domain::catalogue::ports::WriteOutcome::Updated => "updated",
                leerpad_domain::catalogue::ports::WriteOutcome::Unchanged => "unchanged",
            }
            .to_owned()
        }),
        errors: i
            .errors
            .iter()
            .map(|e| FieldError {
                field: e.field.clone(),
                message: e.message.clone(),
            })
            .collect(),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OfferBatchResult {
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    /// Offers refused (with `skip_invalid`).
    pub refused: u64,
    pub items: Vec<BatchItemDto>,
}

/// Create or update the caller's own offers (provider accounts). All or nothing by default: any
/// invalid offer refuses the batch with a 422 listing every problem as `offers[i].field`.
#[utoipa::path(post, path = "/api/v1/offers:batch", tag = "catalogue", request_body = OfferBatchRequest,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = OfferBatchResult), Unauthorized, Forbidden, Conflict, Invalid))]
pub async fn batch(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnOffers>,
    ApiJson(req): ApiJson<OfferBatchRequest>,
) -> Result<Json<OfferBatchResult>, Problem> {
    if req.offers.is_empty() {
        return Err(Problem::validation(
            "offers",
            "offers: send at least one offer",
        ));
    }
    if req.offers.len() > MAX_BATCH {
        return Err(Problem::validation(
            "offers",
            format!("offers: at most {MAX_BATCH} per batch"),
        ));
    }
    let (items, summary) = state
        .catalogue()
        .provider_batch(&auth.principal, req.offers, req.skip_invalid)
        .await?;
    let Some(summary) = summary else {
        let errors: Vec<FieldError> = items
            .iter()
            .flat_map(|i| {
                i.errors.iter().map(move |e| FieldError {
                    field: if e.field.is_empty() {
                        format!("offers[{}]", i.index)
                    } else {
                        format!("offers[{}].{}", i.index, e.field)
                    },
                    message: e.message.clone(),
                })
            })
            .collect();
        return Err(Problem {
            errors,
            ..Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation",
                "nothing was written: some offers are not valid (see errors), or send skip_invalid",
            )
        });
    };
    Ok(Json(OfferBatchResult {
        created: summary.created,
        updated: summary.updated,
        unchanged: summary.unchanged,
        refused: items.iter().filter(|i| !i.errors.is_empty()).count() as u64,
        items: items.iter().map(item_dto).collect(),
    }))
}

/// The organisation a provider account publishes for.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProviderRequest {
    /// KvK number (8 digits).
    pub kvk: String,
    pub name: String,
    /// NRTO, CRKBO, NVAO, OCW, ISO9001.
    #[serde(default)]
    pub accreditations: Vec<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub website: Option<String>,
    /// Other names the organisation trades under (handelsnamen).
    #[serde(default)]
    pub trading_names: Vec<String>,
}

/// The provider organisation this account acts for.
#[utoipa::path(get, path = "/api/v1/me/provider", tag = "catalogue",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ProviderDto), Unauthorized, Forbidden, Conflict))]
pub async fn own_provider(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnOffers>,
) -> Result<Json<ProviderDto>, Problem> {
    let p = state.catalogue().own_provider(&auth.principal).await?;
    Ok(Json(provider_dto(&p)))
}

/// Register or update the organisation this provider account publishes for.
#[utoipa::path(put, path = "/api/v1/me/provider", tag = "catalogue", request_body = ProviderRequest,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ProviderDto), Unauthorized, Forbidden, Conflict, Invalid))]
pub async fn register_provider(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnOffers>,
    ApiJson(req): ApiJson<ProviderRequest>,
) -> Result<Json<ProviderDto>, Problem> {
    let input = ProviderInput {
        kvk: req.kvk,
        name: req.name,
        accreditations: req.accreditations,
        email: req.email,
        phone: req.phone,
        website: req.website,
        trading_names: req.trading_names,
    };
    let p = state
        .catalogue()
        .register_provider(&auth.principal, &input)
        .await?;
    Ok(Json(provider_dto(&p)))
}

/// The colleague whose request to join this organisation is accepted.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ColleagueRequest {
    /// The e-mail address of the colleague's provider account.
    pub email: String,
}

/// Accept a colleague's request to act for the organisation this account acts for. A provider
/// account asks by registering a KvK number others already act for (answered 409, the request
/// is kept); a member accepts it here, so both sides consent to the joining.
#[utoipa::path(post, path = "/api/v1/me/provider/colleagues", tag = "catalogue",
    request_body = ColleagueRequest,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ProviderDto),
              (status = 400, body = ProblemBody, content_type = "application/problem+json"), Unauthorized, Forbidden, NotFound, Conflict,
              (status = 415, body = ProblemBody, content_type = "application/problem+json"), Invalid))]
pub async fn add_colleague(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnOffers>,
    ApiJson(req): ApiJson<ColleagueRequest>,
) -> Result<Json<ProviderDto>, Problem> {
    let p = state
        .catalogue()
        .add_colleague(&auth.principal, &req.email)
        .await?;
    Ok(Json(provider_dto(&p)))
}

/// Organisations registered by an account and waiting for verification (programme managers).
#[utoipa::path(get, path = "/api/v1/providers/unverified", tag = "catalogue",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Vec<ProviderDto>), Unauthorized, Forbidden))]
pub async fn unverified(
    State(state): State<AppState>,
    auth: Authz<perm::ManageProgrammes>,
) -> Result<Json<Vec<ProviderDto>>, Problem> {
    let list = state
        .catalogue()
        .unverified_providers(&auth.principal)
        .await?;
    Ok(Json(list.iter().map(provider_dto).collect()))
}

/// Verify an organisation (programme managers): its published offers are found from now on.
/// Verifying it again changes nothing.
#[utoipa::path(post, path = "/api/v1/providers/{id}/verification", tag = "catalogue",
    params(("id" = i64, Path, description = "The provider's id")),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ProviderDto), Unauthorized, Forbidden, NotFound))]
pub async fn verify(
    State(state): State<AppState>,
    auth: Authz<perm::ManageProgrammes>,
    axum::extract::Path(id): axum::extract::Path<i64>,
) -> Result<Json<ProviderDto>, Problem> {
    let p = state
        .catalogue()
        .verify_provider(&auth.principal, leerpad_domain::shared::ProviderId::new(id))
        .await?;
    Ok(Json(provider_dto(&p)))
}

/// The provider's catalogue API routes with their OpenAPI description.
pub(crate) fn routes() -> utoipa_axum::router::OpenApiRouter<AppState> {
    utoipa_axum::router::OpenApiRouter::new()
        .routes(utoipa_axum::routes!(batch))
        .routes(utoipa_axum::routes!(own_provider, register_provider))
        .routes(utoipa_axum::routes!(add_colleague))
        .routes(utoipa_axum::routes!(unverified))
        .routes(utoipa_axum::routes!(verify))
}
