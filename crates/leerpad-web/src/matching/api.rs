//! The learner's skills profile in the JSON API: reading and replacing it, adding and removing
//! jobs, and skills suggested from CV text; also the `lang` parameter the matching endpoints share.
//!
//! Occupations within reach, the skill gap and the training plan are in `api_chances`.

use crate::api::problems::{
    InvalidFields, InvalidLang, MalformedJson, MalformedPath, MalformedQuery, NotFound, NotJson,
    ProfileChanged, Unauthorized,
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
use leerpad_app::matching::ProfileEdit;
use leerpad_domain::financing::EducationLevel;
use leerpad_domain::matching::{
    LearnerProfile, ProfileOccupation, ProfileSkill, SkillOrigin, TravelRange,
};
use leerpad_domain::shared::Money;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// The `lang` parameter: nl (the default) or en; anything else is a 422 problem.
pub(crate) fn lang_of(code: Option<&str>) -> Result<Lang, Problem> {
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
    pub(crate) lang: Option<String>,
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

/// The profile API routes with their OpenAPI description.
pub(crate) fn routes() -> utoipa_axum::router::OpenApiRouter<AppState> {
    utoipa_axum::router::OpenApiRouter::new()
        .routes(utoipa_axum::routes!(get_profile, put_profile))
        .routes(utoipa_axum::routes!(add_occupation))
        .routes(utoipa_axum::routes!(remove_occupation))
        .routes(utoipa_axum::routes!(suggest))
}
