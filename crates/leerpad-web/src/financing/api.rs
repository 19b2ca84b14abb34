//! Financing schemes (regelingen) and the financing check.

use crate::api::problems::{
    Conflict, Forbidden, InvalidFieldPaths, InvalidFields, MalformedJson, MalformedJsonOrPath,
    MalformedPath, MalformedPathOrQuery, MalformedQuery, NotFound, NotJson, Unauthorized,
};
use crate::authz::{Authz, MaybePrincipal, perm};
use crate::error::{Problem, ProblemBody};
use crate::explain;
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::i18n::Lang;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use leerpad_app::financing::SchemeFilter;
use leerpad_domain::financing::ports::SchemeRevision;
use leerpad_domain::financing::{
    BudgetUse, EligibilityVerdict, EmploymentStatus, FunderKind, OfferFinancing, PersonFacts,
    Scheme, SchemeDefinition, SchemeStatus,
};
use leerpad_domain::shared::Money;
use leerpad_domain::shared::OfferId;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::{IntoParams, ToSchema};

fn lang_of(code: Option<&str>) -> Lang {
    code.and_then(Lang::parse).unwrap_or(Lang::Nl)
}

/// A scheme as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct SchemeDto {
    pub slug: String,
    /// draft, published or closed.
    pub status: String,
    /// Raised by every change; send it back when editing.
    pub version: i64,
    /// The name in the language asked for.
    pub title: String,
    /// The whole definition as stored (see docs/formats/schemes.md).
    #[schema(value_type = Object)]
    pub definition: SchemeDefinition,
    /// The eligibility rule in words.
    pub rule_text: String,
    /// Provinces it is limited to; absent when open everywhere.
    pub provinces: Option<Vec<String>>,
    /// Example data, not a real scheme.
    pub example: bool,
    /// Budget use; only for programme managers.
    pub budget_use: Option<BudgetUseDto>,
    pub updated_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BudgetUseDto {
    pub total_cents: Option<i64>,
    pub reserved_cents: i64,
    pub spent_cents: i64,
    pub remaining_cents: Option<i64>,
}

fn budget_dto(s: &Scheme, u: &BudgetUse) -> BudgetUseDto {
    BudgetUseDto {
        total_cents: s.definition.budget.total_cents.map(Money::cents),
        reserved_cents: u.reserved_cents.cents(),
        spent_cents: u.spent_cents.cents(),
        remaining_cents: u
            .remaining(s.definition.budget.total_cents)
            .map(Money::cents),
    }
}

pub(crate) fn scheme_dto(
    state: &AppState,
    s: &Scheme,
    lang: Lang,
    budget: Option<&BudgetUse>,
) -> SchemeDto {
    SchemeDto {
        slug: s.slug.clone(),
        status: s.status.to_string(),
        version: s.version,
        title: s.definition.name.get(lang.code()).to_owned(),
        definition: s.definition.clone(),
        rule_text: explain::condition_text(lang, &s.definition.eligibility),
        provinces: state.financing().provinces_of(s),
        example: s.definition.example,
        budget_use: budget.map(|u| budget_dto(s, u)),
        updated_at: crate::api::rfc3339(s.updated_at),
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SchemeListParams {
    /// national, eu, regional, sector_fund, employer, municipality.
    funder: Option<String>,
    /// Province name: schemes open to its inhabitants (national ones included).
    province: Option<String>,
    /// employed, self_employed, job_seeker, on_benefits.
    employment: Option<String>,
    /// nl (default) or en.
    lang: Option<String>,
}

/// Published financing schemes, filtered by funder, province and who they are for.
#[utoipa::path(get, path = "/api/v1/schemes", tag = "financing", params(SchemeListParams),
    responses((status = 200, body = Vec<SchemeDto>), MalformedQuery,
              (status = 422, description = "Unknown funder, province or employment", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<SchemeListParams>,
) -> Result<Json<Vec<SchemeDto>>, Problem> {
    let lang = lang_of(p.lang.as_deref());
    let filter = SchemeFilter {
        funder: match p.funder.as_deref().filter(|s| !s.is_empty()) {
            None => None,
            Some(f) => Some(f.parse::<FunderKind>().map_err(|_| {
                Problem::validation(
                    "funder",
                    format!("funder: expected one of {}", FunderKind::identifiers()),
                )
            })?),
        },
        province: p.province.filter(|s| !s.is_empty()),
        employment: match p.employment.as_deref().filter(|s| !s.is_empty()) {
            None => None,
            Some(e) => Some(e.parse::<EmploymentStatus>().map_err(|_| {
                Problem::validation(
                    "employment",
                    format!(
                        "employment: expected one of {}",
                        EmploymentStatus::identifiers()
                    ),
                )
            })?),
        },
    };
    if let Some(p) = &filter.province
        && !state
            .financing()
            .regions()
            .provinces()
            .iter()
            .any(|x| x.eq_ignore_ascii_case(p))
    {
        return Err(Problem::validation(
            "province",
            "province: not a Dutch province",
        ));
    }
    let schemes = state.financing().published(&filter).await?;
    Ok(Json(
        schemes
            .iter()
            .map(|s| scheme_dto(&state, s, lang, None))
            .collect(),
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct LangParam {
    /// nl (default) or en.
    lang: Option<String>,
}

/// One scheme; drafts and budget use only for programme managers.
#[utoipa::path(get, path = "/api/v1/schemes/{slug}", tag = "financing",
    params(("slug" = String, Path), LangParam),
    responses((status = 200, body = SchemeDto), MalformedPathOrQuery, NotFound))]
pub async fn get_one(
    State(state): State<AppState>,
    MaybePrincipal(viewer): MaybePrincipal,
    ApiPath(slug): ApiPath<String>,
    ApiQuery(p): ApiQuery<LangParam>,
) -> Result<Json<SchemeDto>, Problem> {
    let lang = lang_of(p.lang.as_deref());
    let d = state.financing().scheme(&slug, viewer.as_ref()).await?;
    let manager = viewer.is_some_and(|v| {
        v.authorize(leerpad_domain::policy::Action::ManageProgrammes)
            .is_ok()
    });
    Ok(Json(scheme_dto(
        &state,
        &d.scheme,
        lang,
        manager.then_some(&d.budget_use),
    )))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSchemeRequest {
    /// Short name for URLs: 3–60 lowercase letters, digits and dashes.
    pub slug: String,
    #[schema(value_type = Object)]
    pub definition: SchemeDefinition,
}

/// Create a scheme (as a draft). Programme managers.
#[utoipa::path(post, path = "/api/v1/schemes", tag = "financing", request_body = NewSchemeRequest,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = SchemeDto), MalformedJson, Unauthorized, Forbidden, Conflict, NotJson, InvalidFieldPaths))]
pub async fn create(
    State(state): State<AppState>,
    auth: Authz<perm::ManageProgrammes>,
    ApiJson(req): ApiJson<NewSchemeRequest>,
) -> Result<(StatusCode, Json<SchemeDto>), Problem> {
    let s = state
        .financing()
        .create(&auth.principal, &req.slug, &req.definition)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(scheme_dto(
            &state,
            &s,
            Lang::Nl,
            Some(&BudgetUse::default()),
        )),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EditSchemeRequest {
    /// The version the edit started from; a newer one on the server gives 409.
    pub version: i64,
    #[schema(value_type = Object)]
    pub definition: SchemeDefinition,
}

/// Replace a scheme's definition. Programme managers.
#[utoipa::path(put, path = "/api/v1/schemes/{slug}", tag = "financing", request_body = EditSchemeRequest,
    params(("slug" = String, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = SchemeDto), MalformedJsonOrPath, Unauthorized, Forbidden, NotFound, Conflict, NotJson, InvalidFieldPaths))]
pub async fn edit(
    State(state): State<AppState>,
    auth: Authz<perm::ManageProgrammes>,
    ApiPath(slug): ApiPath<String>,
    ApiJson(req): ApiJson<EditSchemeRequest>,
) -> Result<Json<SchemeDto>, Problem> {
    let s = state
        .financing()
        .update(&auth.principal, &slug, req.version, &req.definition)
        .await?;
    Ok(Json(scheme_dto(&state, &s, Lang::Nl, None)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusRequest {
    pub version: i64,
    /// published, closed or draft.
    pub status: String,
}

/// Publish, close or unpublish a scheme. Programme managers.
#[utoipa::path(post, path = "/api/v1/schemes/{slug}/status", tag = "financing", request_body = StatusRequest,
    params(("slug" = String, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = SchemeDto), MalformedJsonOrPath, Unauthorized, Forbidden, NotFound, Conflict, NotJson, InvalidFieldPaths))]
pub async fn set_status(
    State(state): State<AppState>,
    auth: Authz<perm::ManageProgrammes>,
    ApiPath(slug): ApiPath<String>,
    ApiJson(req): ApiJson<StatusRequest>,
) -> Result<Json<SchemeDto>, Problem> {
    let status: SchemeStatus = req.status.parse().map_err(|_| {
        Problem::validation(
            "status",
            format!("status: expected one of {}", SchemeStatus::identifiers()),
        )
    })?;
    let s = state
        .financing()
        .set_status(&auth.principal, &slug, req.version, status)
        .await?;
    Ok(Json(scheme_dto(&state, &s, Lang::Nl, None)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RevisionDto {
    pub version: i64,
    /// created, edited, published, closed, unpublished or seeded.
    pub action: String,
    pub status: String,
    pub actor: Option<String>,
    pub at: String,
    #[schema(value_type = Object)]
    pub definition: SchemeDefinition,
}

fn revision_dto(r: SchemeRevision) -> RevisionDto {
    RevisionDto {
        version: r.version,
        action: r.action,
        status: r.status.to_string(),
        actor: r.actor_email,
        at: crate::api::rfc3339(r.at),
        definition: r.definition,
    }
}

/// Every saved change of a scheme, newest first: the audit trail. Programme managers.
#[utoipa::path(get, path = "/api/v1/schemes/{slug}/revisions", tag = "financing",
    params(("slug" = String, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Vec<RevisionDto>), MalformedPath, Unauthorized, Forbidden, NotFound))]
pub async fn revisions(
    State(state): State<AppState>,
    auth: Authz<perm::ManageProgrammes>,
    ApiPath(slug): ApiPath<String>,
) -> Result<Json<Vec<RevisionDto>>, Problem> {
    let d = state
        .financing()
        .scheme(&slug, Some(&auth.principal))
        .await?;
    Ok(Json(d.revisions.into_iter().map(revision_dto).collect()))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckRequest {
    /// The person's answers (birth_date or age, employment, education, municipality, sector,
    /// insured_work). Signed in and absent: the answers saved with the account.
    #[schema(value_type = Option<Object>)]
    pub person: Option<PersonFacts>,
    /// The offer to price; absent: which schemes the person may use at all.
    pub offer_id: Option<i64>,
    /// nl (default) or en, for the explanations.
    pub lang: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AppliedDto {
    pub scheme: String,
    pub title: String,
    pub amount_cents: i64,
    /// provider_direct or reimbursement.
    pub payment: String,
    /// What decided the amount, in words.
    pub limited_by: String,
    pub own_contribution_cents: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SchemeReason {
    pub scheme: String,
    pub title: String,
    /// eligible, unknown or not_eligible (person check); possible or not_applied (offer check).
    pub verdict: String,
    /// Machine-readable reason.
    #[schema(value_type = Object)]
    pub reason: serde_json::Value,
    /// The reason in words.
    pub message: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OfferCheckDto {
    pub offer_id: i64,
    pub gross_cents: i64,
    pub net_cents: i64,
    /// In stacking order.
    pub applied: Vec<AppliedDto>,
    /// Would apply after more answers; not counted in the net price.
    pub possible: Vec<SchemeReason>,
    pub not_applied: Vec<SchemeReason>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CheckResult {
    /// With an offer: its price after financing.
    pub offer: Option<OfferCheckDto>,
    /// Every published scheme's verdict for the person.
    pub schemes: Vec<SchemeReason>,
}

pub(crate) fn offer_check_dto(
    lang: Lang,
    offer_id: i64,
    f: &OfferFinancing,
    titles: &HashMap<String, String>,
) -> OfferCheckDto {
    let title = |slug: &str| titles.get(slug).cloned().unwrap_or_else(|| slug.to_owned());
    OfferCheckDto {
        offer_id,
        gross_cents: f.gross_cents.cents(),
        net_cents: f.net_cents.cents(),
        applied: f
            .applied
            .iter()
            .map(|a| AppliedDto {
                scheme: a.scheme.clone(),
                title: title(&a.scheme),
                amount_cents: a.amount_cents.cents(),
                payment: a.payment.to_string(),
                limited_by: explain::limit(lang, a.limited_by),
                own_contribution_cents: a.own_contribution_cents.cents(),
            })
            .collect(),
        possible: f
            .possible
            .iter()
            .map(|p| SchemeReason {
                scheme: p.scheme.clone(),
                title: title(&p.scheme),
                verdict: "possible".into(),
                reason: serde_json::json!({ "missing": p.missing }),
                message: explain::missing(lang, &p.missing),
            })
            .collect(),
        not_applied: f
            .not_applied
            .iter()
            .map(|r| SchemeReason {
                scheme: r.scheme.clone(),
                title: title(&r.scheme),
                verdict: "not_applied".into(),
                reason: serde_json::to_value(&r.why).unwrap_or_default(),
                message: explain::not_applied(lang, &r.why, titles),
            })
            .collect(),
    }
}

pub(crate) fn person_reasons(
    lang: Lang,
    verdicts: &[leerpad_domain::financing::PersonScheme],
    titles: &HashMap<String, String>,
) -> Vec<SchemeReason> {
    verdicts
        .iter()
        .map(|v| {
            let (verdict, reason, message) = match &v.verdict {
                EligibilityVerdict::Eligible => {
                    ("eligible", serde_json::Value::Null, String::new())
                }
                EligibilityVerdict::Unknown { missing } => (
                    "unknown",
                    serde_json::json!({ "missing": missing }),
                    explain::missing(lang, missing),
                ),
                EligibilityVerdict::NotEligible { why } => (
                    "not_eligible",
                    serde_json::to_value(why).unwrap_or_default(),
                    explain::not_applied(lang, why, titles),
                ),
            };
            SchemeReason {
                scheme: v.scheme.clone(),
                title: titles
                    .get(&v.scheme)
                    .cloned()
                    .unwrap_or_else(|| v.scheme.clone()),
                verdict: verdict.into(),
                reason,
                message,
            }
        })
        .collect()
}

/// Which schemes apply to a person, and with an offer: how much each pays after stacking,
/// the net price, and why every other scheme does not apply.
#[utoipa::path(post, path = "/api/v1/financing/check", tag = "financing", request_body = CheckRequest,
    responses((status = 200, body = CheckResult), MalformedJson, NotFound, NotJson, InvalidFields))]
pub async fn check(
    State(state): State<AppState>,
    MaybePrincipal(viewer): MaybePrincipal,
    ApiJson(req): ApiJson<CheckRequest>,
) -> Result<Json<CheckResult>, Problem> {
    let lang = lang_of(req.lang.as_deref());
    let financing = state.financing();
    let facts = financing.facts_for(viewer.as_ref(), req.person).await?;
    let (book, verdicts) = financing.check_person(&facts).await?;
    let titles: HashMap<String, String> = book
        .entries()
        .iter()
        .map(|e| {
            (
                e.scheme.slug.clone(),
                e.scheme.definition.name.get(lang.code()).to_owned(),
            )
        })
        .collect();
    let offer = match req.offer_id {
        None => None,
        Some(id) => {
            let c = financing.check_offer(&facts, OfferId::new(id)).await?;
            Some(offer_check_dto(lang, id, &c.financing, &titles))
        }
    };
    Ok(Json(CheckResult {
        offer,
        schemes: person_reasons(lang, &verdicts, &titles),
    }))
}

/// A person's answers for the financing check (birth_date or age, employment, education,
/// municipality, sector, insured_work), as the check reads them.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(transparent)]
#[schema(value_type = Object)]
pub struct SituationDto(pub PersonFacts);

/// The answers for the financing check kept with one's account (what `/financiering` saves);
/// an empty object when there are none.
#[utoipa::path(get, path = "/api/v1/me/situation", tag = "financing",
    responses((status = 200, body = SituationDto), Unauthorized),
    security(("bearer" = []), ("session" = [])))]
pub async fn get_situation(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnAccount>,
) -> Result<Json<SituationDto>, Problem> {
    let facts = state.financing().situation(&auth.principal).await?;
    Ok(Json(SituationDto(facts.unwrap_or_default())))
}

/// Replace the answers kept with one's account; checks and prices then use them.
#[utoipa::path(put, path = "/api/v1/me/situation", tag = "financing", request_body = SituationDto,
    responses((status = 200, body = SituationDto), MalformedJson, Unauthorized, NotJson, InvalidFields),
    security(("bearer" = []), ("session" = [])))]
pub async fn put_situation(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnAccount>,
    ApiJson(SituationDto(facts)): ApiJson<SituationDto>,
) -> Result<Json<SituationDto>, Problem> {
    let saved = state
        .financing()
        .save_situation(&auth.principal, &facts)
        .await?;
    Ok(Json(SituationDto(saved)))
}

/// This feature's API routes with their OpenAPI description.
pub(crate) fn routes() -> utoipa_axum::router::OpenApiRouter<AppState> {
    utoipa_axum::router::OpenApiRouter::new()
        .routes(utoipa_axum::routes!(list, create))
        .routes(utoipa_axum::routes!(get_one, edit))
        .routes(utoipa_axum::routes!(set_status))
        .routes(utoipa_axum::routes!(revisions))
        .routes(utoipa_axum::routes!(check))
        .routes(utoipa_axum::routes!(get_situation, put_situation))
}
