//! "Where are my chances" in the JSON API: occupations within reach with regional demand, the
//! skill gap for one occupation and the training plan that closes it, each with its DTOs.

use crate::api::problems::{
    InvalidLang, MalformedPathOrQuery, MalformedQuery, NotFound, Unauthorized,
};
use crate::authz::{Authz, perm};
use crate::error::{Problem, ProblemBody};
use crate::extract::{ApiPath, ApiQuery};
use crate::i18n::Lang;
use crate::matching::api::{LangParams, lang_of};
use crate::matching::views;
use crate::state::AppState;
use crate::taxonomy::api::{ConceptSummary, summary};
use axum::Json;
use axum::extract::State;
use leerpad_app::matching::{Matches, PlanOutcome};
use leerpad_domain::matching::{OccupationDemand, SkillGap};
use leerpad_domain::shared::OfferId;
use leerpad_domain::taxonomy::{OccupationId, SkillId, Taxonomy};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Demand for an occupation where the person lives.
#[derive(Debug, Serialize, ToSchema)]
pub struct DemandDto {
    /// national, province or region.
    pub area_type: String,
    pub area: String,
    pub period: String,
    pub vacancies: Option<u32>,
    pub job_seekers: Option<u32>,
    /// Vacancies per job seeker.
    pub tension: Option<f64>,
    /// Change in vacancies against a year before, in percent.
    pub trend_percent: Option<f64>,
    /// growing, stable or shrinking.
    pub direction: Option<String>,
    /// The figure is for the occupation's ISCO group.
    pub via_isco_group: bool,
}

pub(crate) fn demand_dto(d: &OccupationDemand) -> DemandDto {
    DemandDto {
        area_type: d.area.kind().to_owned(),
        area: d.area.name().to_owned(),
        period: d.period.clone(),
        vacancies: d.vacancies,
        job_seekers: d.job_seekers,
        tension: d.tension.map(|t| (t * 100.0).round() / 100.0),
        trend_percent: d.trend_percent,
        direction: views::trend_direction(d),
        via_isco_group: d.via_isco_group,
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MatchDto {
    pub occupation: ConceptSummary,
    /// Skill overlap weighed by demand.
    pub score: f64,
    /// Weighted skill overlap (cosine), 0–1.
    pub skill_score: f64,
    pub essential_had: usize,
    pub essential_total: usize,
    pub optional_had: usize,
    pub optional_total: usize,
    /// The missing essential skills, most telling first (at most 10).
    pub missing_essential: Vec<ConceptSummary>,
    pub missing_essential_count: usize,
    pub demand: Option<DemandDto>,
    /// The sector (ISCO major group) and where it is going nationally.
    pub sector: Option<SectorDto>,
    /// A move from a shrinking sector (the person's own) to a growing one.
    pub growth_move: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SectorDto {
    pub isco_code: String,
    pub label: String,
    pub trend_percent: f64,
    pub direction: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MatchesDto {
    pub items: Vec<MatchDto>,
    /// The labour-market region demand is taken from (from the profile's municipality).
    pub region: Option<String>,
    /// Set when there is nothing to match: what to do about it.
    pub notice: Option<String>,
}

pub(crate) fn skill_summaries(t: &Taxonomy, skills: &[SkillId], code: &str) -> Vec<ConceptSummary> {
    skills
        .iter()
        .filter_map(|s| t.skill(*s).map(|r| summary(&r.uri, &r.texts, code)))
        .collect()
}

/// An occupation as the gap and the plan name it (empty when ESCO does not know it).
fn occupation_summary(t: &Taxonomy, id: OccupationId, code: &str) -> ConceptSummary {
    t.occupation(id)
        .map(|o| summary(&o.uri, &o.texts, code))
        .unwrap_or_else(|| summary("", &[], code))
}

pub(crate) fn matches_dto(state: &AppState, m: &Matches, lang: Lang) -> MatchesDto {
    let matching = state.matching();
    let t = &matching.taxonomy().taxonomy;
    let demand = matching.demand();
    let code = lang.code();
    MatchesDto {
        items: m
            .items
            .iter()
            .filter_map(|x| {
                let o = t.occupation(x.occupation)?;
                Some(MatchDto {
                    occupation: summary(&o.uri, &o.texts, code),
                    score: views::rounded_score(x.score),
                    skill_score: views::rounded_score(x.skill_score),
                    essential_had: x.essential_had,
                    essential_total: x.essential_total,
                    optional_had: x.optional_had,
                    optional_total: x.optional_total,
                    missing_essential: skill_summaries(t, views::shown_missing(x), code),
                    missing_essential_count: x.missing_essential.len(),
                    demand: x.demand.as_ref().map(demand_dto),
                    sector: demand.sector(&o.isco_code).map(|s| SectorDto {
                        isco_code: s.isco_major.clone(),
                        label: t
                            .isco_group(&s.isco_major)
                            .map(|g| {
                                leerpad_domain::taxonomy::label_in(&g.texts, code)
                                    .text
                                    .to_owned()
                            })
                            .unwrap_or_default(),
                        trend_percent: (s.trend_percent * 10.0).round() / 10.0,
                        direction: views::direction_name(s.direction),
                    }),
                    growth_move: x.growth_move,
                })
            })
            .collect(),
        region: m.region.clone(),
        notice: views::matches_notice(m, lang),
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct MatchParams {
    /// nl (default) or en.
    lang: Option<String>,
    /// 1–100, default 20; anything else is refused with 422.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100)]
    limit: Option<String>,
}

/// "Where are my chances": occupations ranked by weighted skill overlap and demand in the
/// person's region, each with what they have and lack.
#[utoipa::path(get, path = "/api/v1/me/matches", tag = "matching", params(MatchParams),
    security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = MatchesDto), MalformedQuery, Unauthorized,
              (status = 422, description = "Invalid lang or limit", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn matches(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnAccount>,
    ApiQuery(q): ApiQuery<MatchParams>,
) -> Result<Json<MatchesDto>, Problem> {
    let lang = lang_of(q.lang.as_deref())?;
    let limit = crate::api::limit_param(q.limit.as_deref(), 20, 100)? as usize;
    let matching = state.matching().clone();
    let profile = matching.profile(&auth.principal).await?;
    let m = tokio::task::spawn_blocking(move || matching.matches(&profile, limit))
        .await
        .map_err(|e| Problem::from(leerpad_app::AppError::Internal(e.to_string())))?;
    Ok(Json(matches_dto(&state, &m, lang)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GapGroupDto {
    /// The ESCO skill group; absent for skills outside the hierarchy.
    pub group: Option<ConceptSummary>,
    pub missing_essential: Vec<ConceptSummary>,
    pub missing_optional: Vec<ConceptSummary>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GapDto {
    pub occupation: ConceptSummary,
    pub have_essential: Vec<ConceptSummary>,
    pub have_optional: Vec<ConceptSummary>,
    pub missing_essential_count: usize,
    pub missing_optional_count: usize,
    /// Missing skills by ESCO skill group, most missing essential skills first.
    pub groups: Vec<GapGroupDto>,
}

pub(crate) fn gap_dto(state: &AppState, gap: &SkillGap, lang: Lang) -> GapDto {
    let t = &state.matching().taxonomy().taxonomy;
    let code = lang.code();
    GapDto {
        occupation: occupation_summary(t, gap.occupation, code),
        have_essential: skill_summaries(t, &gap.have_essential, code),
        have_optional: skill_summaries(t, &gap.have_optional, code),
        missing_essential_count: gap.missing_essential.len(),
        missing_optional_count: gap.missing_optional.len(),
        groups: gap
            .groups
            .iter()
            .map(|g| GapGroupDto {
                group: g
                    .group
                    .and_then(|i| t.skill_group(i))
                    .map(|r| summary(&r.uri, &r.texts, code)),
                missing_essential: skill_summaries(t, &g.missing_essential, code),
                missing_optional: skill_summaries(t, &g.missing_optional, code),
            })
            .collect(),
    }
}

/// The skill gap for an occupation: missing essential and optional skills, grouped by the ESCO
/// skills hierarchy.
#[utoipa::path(get, path = "/api/v1/me/gap/{occupation}", tag = "matching",
    params(("occupation" = String, Path, description = "ESCO occupation id (last URI segment)"), LangParams),
    security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = GapDto), MalformedPathOrQuery, Unauthorized, NotFound, InvalidLang))]
pub async fn gap(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnAccount>,
    ApiPath(occupation): ApiPath<String>,
    ApiQuery(q): ApiQuery<LangParams>,
) -> Result<Json<GapDto>, Problem> {
    let lang = lang_of(q.lang.as_deref())?;
    let matching = state.matching();
    let id = matching.occupation(&occupation)?;
    let profile = matching.profile(&auth.principal).await?;
    let gap = matching.gap(&profile, id);
    Ok(Json(gap_dto(&state, &gap, lang)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PlanOfferDto {
    pub id: i64,
    pub title: String,
    /// online, on_site or blended.
    pub modality: String,
    pub level: Option<String>,
    pub study_load_hours: Option<u32>,
    pub gross_cents: i64,
    pub net_cents: i64,
    pub url: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PlanFinancingDto {
    pub scheme: String,
    pub title: String,
    pub amount_cents: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PlanFitDto {
    /// fits, demanding, below or unknown.
    pub level: String,
    /// Weeks at the person's hours a week.
    pub weeks: Option<u32>,
    /// Days until the next start; absent when it starts any time.
    pub starts_in_days: Option<i64>,
    pub over_budget: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PlanItemDto {
    pub offer: PlanOfferDto,
    /// Missing essential skills it teaches that earlier items do not.
    pub covers_essential: Vec<ConceptSummary>,
    pub covers_optional: Vec<ConceptSummary>,
    pub financing: Vec<PlanFinancingDto>,
    pub fit: PlanFitDto,
    /// Why this offer, in words.
    pub explanation: String,
    pub alternatives: Vec<PlanOfferDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PlanDto {
    pub occupation: ConceptSummary,
    pub items: Vec<PlanItemDto>,
    pub essential_covered: usize,
    pub essential_total: usize,
    pub optional_covered: usize,
    pub optional_total: usize,
    /// Share of the gap (essential skills weigh more) the plan covers, 0–1.
    pub coverage: f64,
    pub net_total_cents: i64,
    pub gross_total_cents: i64,
    /// Essential skills no fitting offer teaches.
    pub uncovered_essential: Vec<ConceptSummary>,
    /// How many offers the plan was chosen from.
    pub candidates: usize,
    /// Set when there is no plan: why.
    pub notice: Option<String>,
}

pub(crate) fn plan_dto(state: &AppState, out: &PlanOutcome, lang: Lang) -> PlanDto {
    let matching = state.matching();
    let t = &matching.taxonomy().taxonomy;
    let code = lang.code();
    let offer_dto = |id: i64, net: Option<i64>| -> Option<PlanOfferDto> {
        let o = out.offers.get(&OfferId::new(id))?;
        let gross = o.content.gross_price_cents();
        let link = views::offer_link(o, code);
        Some(PlanOfferDto {
            id,
            title: link.title,
            modality: o.content.modality.to_string(),
            level: o.content.level.map(|l| l.to_string()),
            study_load_hours: o.content.study_load_hours,
            gross_cents: gross.cents(),
            net_cents: net.unwrap_or(gross.cents()),
            url: link.url,
        })
    };
    let items = out
        .plan
        .items
        .iter()
        .filter_map(|i| {
            let offer = offer_dto(i.offer_id.get(), Some(i.net_cents.cents()))?;
            let financing = views::applied(out, i.offer_id)
                .iter()
                .map(|a| PlanFinancingDto {
                    scheme: a.scheme.clone(),
                    title: views::scheme_title(out, &a.scheme, code),
                    amount_cents: a.amount_cents.cents(),
                })
                .collect();
            Some(PlanItemDto {
                offer,
                covers_essential: skill_summaries(t, &i.covers_essential, code),
                covers_optional: skill_summaries(t, &i.covers_optional, code),
                financing,
                fit: PlanFitDto {
                    level: serde_json::to_value(i.fit.level)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default(),
                    weeks: i.fit.weeks,
                    starts_in_days: i.fit.starts_in_days,
                    over_budget: i.fit.over_budget,
                },
                explanation: views::explanation(state.matching(), out, i, lang),
                alternatives: i
                    .alternatives
                    .iter()
                    .filter_map(|a| offer_dto((*a).get(), None))
                    .collect(),
            })
        })
        .collect();
    PlanDto {
        occupation: occupation_summary(t, out.gap.occupation, code),
        items,
        essential_covered: out.plan.essential_covered,
        essential_total: out.plan.essential_total,
        optional_covered: out.plan.optional_covered,
        optional_total: out.plan.optional_total,
        coverage: views::rounded_coverage(out.plan.coverage),
        net_total_cents: out.plan.net_total_cents.cents(),
        gross_total_cents: out.plan.gross_total_cents.cents(),
        uncovered_essential: skill_summaries(t, &out.plan.uncovered_essential, code),
        candidates: out.candidates,
        notice: views::plan_notice(out, lang),
    }
}

/// A training plan for an occupation: 1–5 offers that together teach most of the gap, weighing
/// level, modality and distance, study load, start date and the net price after financing;
/// every item explained, with alternatives.
#[utoipa::path(get, path = "/api/v1/me/plan/{occupation}", tag = "matching",
    params(("occupation" = String, Path, description = "ESCO occupation id (last URI segment)"), LangParams),
    security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = PlanDto), MalformedPathOrQuery, Unauthorized, NotFound, InvalidLang))]
pub async fn plan(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnAccount>,
    ApiPath(occupation): ApiPath<String>,
    ApiQuery(q): ApiQuery<LangParams>,
) -> Result<Json<PlanDto>, Problem> {
    let lang = lang_of(q.lang.as_deref())?;
    let matching = state.matching();
    let id = matching.occupation(&occupation)?;
    let profile = matching.profile(&auth.principal).await?;
    let out = matching.plan(&auth.principal, &profile, id).await?;
    Ok(Json(plan_dto(&state, &out, lang)))
}

/// The matching API routes with their OpenAPI description.
pub(crate) fn routes() -> utoipa_axum::router::OpenApiRouter<AppState> {
    utoipa_axum::router::OpenApiRouter::new()
        .routes(utoipa_axum::routes!(matches))
        .routes(utoipa_axum::routes!(gap))
        .routes(utoipa_axum::routes!(plan))
}
