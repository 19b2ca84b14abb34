//! The learner's skills profile and matching: occupations within reach, the skill gap and the
//! training plan.

use crate::api::problems::{
    InvalidFields, InvalidLang, MalformedJson, MalformedPath, MalformedPathOrQuery, MalformedQuery,
    NotFound, NotJson, ProfileChanged, Unauthorized,
};
use crate::authz::{Authz, perm};
use crate::error::{Problem, ProblemBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::i18n::Lang;
use crate::matching::views;
use crate::state::AppState;
use crate::taxonomy::api::{ConceptSummary, summary};
use axum::Json;
use axum::extract::State;
use leerpad_app::matching::{Matches, PlanOutcome, ProfileEdit};
use leerpad_domain::financing::EducationLevel;
use leerpad_domain::matching::{
    LearnerProfile, OccupationDemand, ProfileOccupation, ProfileSkill, SkillGap, SkillOrigin,
    TravelRange,
};
use leerpad_domain::shared::{Money, OfferId};
use leerpad_domain::taxonomy::{SkillId, Taxonomy};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

fn lang_of(code: Option<&str>) -> Result<Lang, Problem> {
    match code {
        None | Some("") => Ok(Lang::Nl),
        Some(c) => {
            Lang::parse(c).ok_or_else(|| Problem::validation("lang", "lang: expected nl or en"))
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct LangParams {
    /// nl (default) or en.
    lang: Option<String>,
}

/// A skill in a profile, with its label and where it came from.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProfileSkillDto {
    #[serde(flatten)]
    pub concept: ConceptSummary,
    /// picked, occupation or cv.
    pub origin: String,
    /// For skills an occupation brought: that occupation's URI.
    pub occupation: Option<String>,
    /// For skills an occupation brought: essential there (optional ones count half).
    pub essential: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProfileOccupationDto {
    #[serde(flatten)]
    pub concept: ConceptSummary,
    /// The job title as entered.
    pub title: String,
    pub current: bool,
}

/// The learner's profile.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProfileDto {
    pub skills: Vec<ProfileSkillDto>,
    pub occupations: Vec<ProfileOccupationDto>,
    /// primary, vmbo, mbo1 … mbo4, havo, vwo, hbo, wo.
    pub education: Option<String>,
    /// CBS code of the municipality.
    pub municipality: Option<String>,
    pub municipality_name: Option<String>,
    /// The labour-market region (arbeidsmarktregio) of the municipality.
    pub region: Option<String>,
    pub province: Option<String>,
    /// online_only, municipality, region, province or anywhere.
    pub travel: Option<String>,
    pub hours_per_week: Option<u8>,
    pub budget_cents: Option<i64>,
}

pub(crate) fn profile_dto(state: &AppState, p: &LearnerProfile, lang: Lang) -> ProfileDto {
    let t = &state.matching().taxonomy().taxonomy;
    let code = lang.code();
    let home = views::home(state, p);
    let known = views::known(t, p);
    ProfileDto {
        skills: known
            .skills
            .iter()
            .map(|(s, rec)| ProfileSkillDto {
                concept: summary(&rec.uri, &rec.texts, code),
                origin: s.origin.to_string(),
                occupation: s.occupation.clone(),
                essential: s.essential,
            })
            .collect(),
        occupations: known
            .occupations
            .iter()
            .map(|(o, rec)| ProfileOccupationDto {
                concept: summary(&rec.uri, &rec.texts, code),
                title: o.title.clone(),
                current: o.current,
            })
            .collect(),
        education: p.education.map(|e| e.to_string()),
        municipality: home.map(|m| m.code.clone()),
        municipality_name: home.map(|m| m.name.clone()),
        region: home.map(|m| m.region.clone()),
        province: home.map(|m| m.province.clone()),
        travel: p.travel.map(|t| t.to_string()),
        hours_per_week: p.hours_per_week,
        budget_cents: p.budget_cents.map(Money::cents),
    }
}

/// The learner's skills profile (empty when none is saved yet).
#[utoipa::path(get, path = "/api/v1/me/profile", tag = "matching", params(LangParams),
    security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = ProfileDto), MalformedQuery, Unauthorized, InvalidLang))]
pub async fn get_profile(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnAccount>,
    ApiQuery(q): ApiQuery<LangParams>,
) -> Result<Json<ProfileDto>, Problem> {
    let lang = lang_of(q.lang.as_deref())?;
    let profile = state.matching().profile(&auth.principal).await?;
    Ok(Json(profile_dto(&state, &profile, lang)))
}

/// A skill as sent in a profile.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileSkillInput {
    /// ESCO skill URI or its last segment.
    pub uri: String,
    /// picked (default), occupation or cv.
    #[serde(default)]
    pub origin: Option<String>,
    #[serde(default)]
    pub occupation: Option<String>,
    #[serde(default)]
    pub essential: Option<bool>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileOccupationInput {
    /// ESCO occupation URI or its last segment.
    pub uri: String,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub current: bool,
}

/// A whole profile; it replaces the stored one.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileInput {
    #[serde(default)]
    pub skills: Vec<ProfileSkillInput>,
    #[serde(default)]
    pub occupations: Vec<ProfileOccupationInput>,
    #[serde(default)]
    pub education: Option<String>,
    /// CBS code (GM0363) or name.
    #[serde(default)]
    pub municipality: Option<String>,
    #[serde(default)]
    pub travel: Option<String>,
    #[serde(default)]
    pub hours_per_week: Option<u8>,
    #[serde(default)]
    pub budget_cents: Option<i64>,
}

fn enum_field<T: std::str::FromStr>(
    raw: Option<&str>,
    field: &'static str,
    allowed: String,
) -> Result<Option<T>, Problem> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(v) => v
            .parse::<T>()
            .map(Some)
            .map_err(|_| Problem::validation(field, format!("{field}: expected one of {allowed}"))),
    }
}

impl ProfileInput {
    fn into_profile(self) -> Result<LearnerProfile, Problem> {
        let mut skills = Vec::with_capacity(self.skills.len());
        for (i, s) in self.skills.into_iter().enumerate() {
            let origin = match s.origin.as_deref() {
                None | Some("") => SkillOrigin::Picked,
                Some(o) => o.parse().map_err(|_| {
                    Problem::validation(
                        "skills",
                        format!(
                            "skills[{i}].origin: expected one of {}",
                            SkillOrigin::identifiers()
                        ),
                    )
                })?,
            };
            skills.push(ProfileSkill {
                uri: s.uri,
                origin,
                occupation: s.occupation,
                essential: s.essential.unwrap_or(true),
            });
        }
        Ok(LearnerProfile {
            skills,
            occupations: self
                .occupations
                .into_iter()
                .map(|o| ProfileOccupation {
                    title: o.title.unwrap_or_default(),
                    uri: o.uri,
                    current: o.current,
                })
                .collect(),
            education: enum_field::<EducationLevel>(
                self.education.as_deref(),
                "education",
                EducationLevel::identifiers(),
            )?,
            municipality: self.municipality.filter(|m| !m.trim().is_empty()),
            travel: enum_field::<TravelRange>(
                self.travel.as_deref(),
                "travel",
                TravelRange::identifiers(),
            )?,
            hours_per_week: self.hours_per_week,
            budget_cents: self.budget_cents.map(Money::from_cents),
        })
    }
}

/// Replace the learner's profile. Every skill and occupation must be in ESCO; problems are
/// reported per field (`skills[3].uri`).
#[utoipa::path(put, path = "/api/v1/me/profile", tag = "matching", params(LangParams),
    request_body = ProfileInput, security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = ProfileDto),
              (status = 400, description = "Malformed JSON body or query string", body = ProblemBody, content_type = "application/problem+json"), Unauthorized, ProfileChanged, NotJson, InvalidFields))]
pub async fn put_profile(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnAccount>,
    ApiQuery(q): ApiQuery<LangParams>,
    ApiJson(input): ApiJson<ProfileInput>,
) -> Result<Json<ProfileDto>, Problem> {
    let lang = lang_of(q.lang.as_deref())?;
    let profile = input.into_profile()?;
    let saved = state
        .matching()
        .save_profile(&auth.principal, profile)
        .await?;
    Ok(Json(profile_dto(&state, &saved, lang)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddOccupationInput {
    /// The job title as the person would say it.
    pub title: String,
    /// The ESCO occupation it means; when absent, the best match for the title is taken.
    #[serde(default)]
    pub uri: Option<String>,
    #[serde(default)]
    pub current: bool,
    #[serde(default)]
    pub lang: Option<String>,
}

/// Add a past or current job: the occupation and its ESCO skills (essential, and optional ones
/// counting half) join the profile, each marked with where it came from.
#[utoipa::path(post, path = "/api/v1/me/profile/occupations", tag = "matching",
    request_body = AddOccupationInput, security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = ProfileDto), MalformedJson, Unauthorized, ProfileChanged, NotJson, InvalidFields))]
pub async fn add_occupation(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnAccount>,
    ApiJson(input): ApiJson<AddOccupationInput>,
) -> Result<Json<ProfileDto>, Problem> {
    let lang = lang_of(input.lang.as_deref())?;
    let matching = state.matching();
    let title = input.title.trim();
    if title.is_empty() || title.chars().count() > 200 {
        return Err(Problem::validation(
            "title",
            "title: between 1 and 200 characters",
        ));
    }
    let t = &matching.taxonomy().taxonomy;
    let uri = match input.uri.as_deref().filter(|u| !u.is_empty()) {
        Some(u) => t
            .occupation_id(u)
            .and_then(|id| t.occupation(id))
            .map(|o| o.uri.clone())
            .ok_or_else(|| {
                Problem::validation("uri", format!("uri: {u:?} is not an ESCO occupation"))
            })?,
        None => matching
            .taxonomy()
            .match_title(title, lang.code(), 1)
            .first()
            .and_then(|m| t.occupation(m.occupation))
            .map(|o| o.uri.clone())
            .ok_or_else(|| {
                Problem::validation(
                    "title",
                    "title: no ESCO occupation matches this title; try other words",
                )
            })?,
    };
    let saved = matching
        .edit_profile(
            &auth.principal,
            ProfileEdit::AddOccupation(ProfileOccupation {
                title: title.to_owned(),
                uri,
                current: input.current,
            }),
        )
        .await?;
    Ok(Json(profile_dto(&state, &saved, lang)))
}

/// Remove a job and the skills only it brought.
#[utoipa::path(delete, path = "/api/v1/me/profile/occupations/{occupation}", tag = "matching",
    params(("occupation" = String, Path, description = "ESCO occupation id (last URI segment)")),
    security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = ProfileDto), MalformedPath, Unauthorized, ProfileChanged, NotFound))]
pub async fn remove_occupation(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnAccount>,
    ApiPath(occupation): ApiPath<String>,
) -> Result<Json<ProfileDto>, Problem> {
    let matching = state.matching();
    let t = &matching.taxonomy().taxonomy;
    let id = matching.occupation(&occupation)?;
    let uri = t.occupation(id).map(|o| o.uri.clone()).unwrap_or_default();
    let saved = matching
        .edit_profile(&auth.principal, ProfileEdit::RemoveOccupation { uri })
        .await?;
    Ok(Json(profile_dto(&state, &saved, Lang::Nl)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SuggestInput {
    /// Pasted CV text (at most 20,000 characters).
    #[serde(default)]
    pub cv_text: String,
    /// Job titles as typed (at most 10).
    #[serde(default)]
    pub titles: Vec<String>,
    #[serde(default)]
    pub lang: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SuggestedSkillDto {
    #[serde(flatten)]
    pub concept: ConceptSummary,
    pub score: f32,
    /// The sentence the skill was found in.
    pub evidence: String,
    pub already_in_profile: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SuggestedOccupationsDto {
    pub title: String,
    pub occupations: Vec<crate::taxonomy::api::MatchedOccupationDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SuggestResult {
    pub skills: Vec<SuggestedSkillDto>,
    pub titles: Vec<SuggestedOccupationsDto>,
}

/// Skills found in CV text and occupations for job titles, for the person to review. Nothing
/// is saved: send the chosen ones with PUT /api/v1/me/profile (origin `cv`).
#[utoipa::path(post, path = "/api/v1/me/profile/suggestions", tag = "matching",
    request_body = SuggestInput, security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = SuggestResult), MalformedJson, Unauthorized, NotJson, InvalidFields))]
pub async fn suggest(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnAccount>,
    ApiJson(input): ApiJson<SuggestInput>,
) -> Result<Json<SuggestResult>, Problem> {
    let lang = lang_of(input.lang.as_deref())?;
    if input.cv_text.chars().count() > 20_000 {
        return Err(Problem::validation(
            "cv_text",
            "cv_text: at most 20,000 characters",
        ));
    }
    if input.titles.len() > 10 {
        return Err(Problem::validation("titles", "titles: at most 10"));
    }
    let matching = state.matching().clone();
    let profile = matching.profile(&auth.principal).await?;
    let code = lang.code();
    let m2 = matching.clone();
    let titles = input.titles.clone();
    let found = tokio::task::spawn_blocking(move || m2.suggest(&input.cv_text, &titles, code))
        .await
        .map_err(|e| Problem::from(leerpad_app::AppError::Internal(e.to_string())))?;
    let t = &matching.taxonomy().taxonomy;
    let have: std::collections::HashSet<&str> =
        profile.skills.iter().map(|s| s.uri.as_str()).collect();
    Ok(Json(SuggestResult {
        skills: found
            .skills
            .iter()
            .filter_map(|s| {
                let rec = t.skill(s.skill)?;
                Some(SuggestedSkillDto {
                    concept: summary(&rec.uri, &rec.texts, code),
                    score: s.score,
                    evidence: s.sentence.clone(),
                    already_in_profile: have.contains(rec.uri.as_str()),
                })
            })
            .collect(),
        titles: found
            .occupations
            .iter()
            .map(|(title, matches)| SuggestedOccupationsDto {
                title: title.clone(),
                occupations: matches
                    .iter()
                    .filter_map(|m| {
                        let o = t.occupation(m.occupation)?;
                        Some(crate::taxonomy::api::MatchedOccupationDto {
                            concept: summary(&o.uri, &o.texts, code),
                            score: m.score,
                            matched_label: m.matched_label.clone(),
                        })
                    })
                    .collect(),
            })
            .collect(),
    }))
}

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
    let occupation = t
        .occupation(gap.occupation)
        .map(|o| summary(&o.uri, &o.texts, code))
        .unwrap_or_else(|| summary("", &[], code));
    GapDto {
        occupation,
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
                explanation: views::explanation(t, out, i, lang),
                alternatives: i
                    .alternatives
                    .iter()
                    .filter_map(|a| offer_dto((*a).get(), None))
                    .collect(),
            })
        })
        .collect();
    PlanDto {
        occupation: t
            .occupation(out.gap.occupation)
            .map(|o| summary(&o.uri, &o.texts, code))
            .unwrap_or_else(|| summary("", &[], code)),
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

/// This feature's API routes with their OpenAPI description.
pub(crate) fn routes() -> utoipa_axum::router::OpenApiRouter<AppState> {
    utoipa_axum::router::OpenApiRouter::new()
        .routes(utoipa_axum::routes!(get_profile, put_profile))
        .routes(utoipa_axum::routes!(add_occupation))
        .routes(utoipa_axum::routes!(remove_occupation))
        .routes(utoipa_axum::routes!(suggest))
        .routes(utoipa_axum::routes!(matches))
        .routes(utoipa_axum::routes!(gap))
        .routes(utoipa_axum::routes!(plan))
}
