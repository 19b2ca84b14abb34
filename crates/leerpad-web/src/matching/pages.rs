//! "Mijn vaardigheden" (the skills profile) and "Mijn kansen" (occupations within reach, the
//! skill gap and the training plan). Every step is a plain form post; nothing needs JavaScript.

use crate::authz::{Authz, perm};
use crate::csrf::CsrfForm;
use crate::error::Problem;
use crate::matching::api::{
    GapDto, MatchesDto, PlanDto, ProfileDto, gap_dto, matches_dto, plan_dto, profile_dto,
};
use crate::pages::{FieldErrors, PageCtx, render};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use leerpad_app::AppError;
use leerpad_app::matching::{ProfileEdit, Situation};
use leerpad_domain::financing::EducationLevel;
use leerpad_domain::matching::{ProfileOccupation, ProfileSkill, SkillOrigin, TravelRange};
use leerpad_domain::shared::Money;
use leerpad_domain::taxonomy::label_in;
use serde::Deserialize;
use std::collections::HashMap;

pub struct Option_ {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// A skill found in pasted text, offered for review.
pub struct Suggestion {
    pub uri: String,
    pub label: String,
    pub evidence: String,
    pub checked: bool,
}

/// A skill the lookup found, to add.
pub struct Found {
    pub uri: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "matching/skills_profile.html")]
struct ProfilePage {
    page: PageCtx,
    errors: FieldErrors,
    profile: ProfileDto,
    by_origin: Vec<(String, Vec<(String, String)>)>,
    query: String,
    found: Vec<Found>,
    suggestions: Vec<Suggestion>,
    cv_text: String,
    educations: Vec<Option_>,
    travels: Vec<Option_>,
    municipality: String,
    hours: String,
    budget: String,
}

#[derive(Debug, Deserialize, Default)]
pub struct ProfileQuery {
    #[serde(default)]
    zoek: String,
}

fn options<T: Copy + std::fmt::Display>(
    page: &PageCtx,
    all: &[T],
    prefix: &str,
    current: Option<String>,
) -> Vec<Option_> {
    all.iter()
        .map(|v| Option_ {
            value: v.to_string(),
            label: page.t(&format!("{prefix}-{v}")),
            selected: current.as_deref() == Some(&v.to_string()),
        })
        .collect()
}

/// What the profile page shows besides the profile: a skill search, CV suggestions to review,
/// and the problems of a form just posted.
#[derive(Default)]
struct ProfileView {
    query: String,
    suggestions: Vec<Suggestion>,
    cv_text: String,
    errors: FieldErrors,
}

/// The profile page again with the form's errors on their fields (422).
async fn refused(
    state: &AppState,
    page: PageCtx,
    auth: &Authz<perm::ManageOwnAccount>,
    errors: FieldErrors,
) -> Result<Response, Problem> {
    let view = ProfileView {
        errors,
        ..Default::default()
    };
    profile_page(state, page, auth, view, StatusCode::UNPROCESSABLE_ENTITY).await
}

async fn profile_page(
    state: &AppState,
    page: PageCtx,
    auth: &Authz<perm::ManageOwnAccount>,
    view: ProfileView,
    status: StatusCode,
) -> Result<Response, Problem> {
    let ProfileView {
        query,
        suggestions,
        cv_text,
        errors,
    } = view;
    let matching = state.matching();
    let profile = matching.profile(&auth.principal).await?;
    let dto = profile_dto(state, &profile, page.lang);
    let mut by_origin: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for origin in SkillOrigin::ALL {
        let list: Vec<(String, String)> = dto
            .skills
            .iter()
            .filter(|s| s.origin == origin.as_str())
            .map(|s| (s.concept.uri.clone(), s.concept.label.text.clone()))
            .collect();
        if !list.is_empty() {
            by_origin.push((page.t(&format!("profile-origin-{origin}")), list));
        }
    }
    let lang = page.lang.code();
    let t = &matching.taxonomy().taxonomy;
    let found = if query.trim().is_empty() {
        Vec::new()
    } else {
        t.lookup_skills(query.trim(), lang, 10)
            .into_iter()
            .filter_map(|(id, _)| {
                let s = t.skill(id)?;
                Some(Found {
                    uri: s.uri.clone(),
                    label: label_in(&s.texts, lang).text.to_owned(),
                })
            })
            .collect()
    };
    let educations = options(
        &page,
        EducationLevel::ALL,
        "education",
        dto.education.clone(),
    );
    let travels = options(&page, TravelRange::ALL, "travel", dto.travel.clone());
    let municipality = dto.municipality_name.clone().unwrap_or_default();
    let hours = dto
        .hours_per_week
        .map(|h| h.to_string())
        .unwrap_or_default();
    let budget = dto
        .budget_cents
        .map(|b| (b / 100).to_string())
        .unwrap_or_default();
    Ok(render(
        status,
        &ProfilePage {
            page,
            errors,
            profile: dto,
            by_origin,
            query,
            found,
            suggestions,
            cv_text,
            educations,
            travels,
            municipality,
            hours,
            budget,
        },
    ))
}

/// GET /vaardigheden: the profile, with a skill search when `zoek` is given.
pub async fn show(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageOwnAccount>,
    Query(q): Query<ProfileQuery>,
) -> Result<Response, Problem> {
    let query: String = q.zoek.chars().take(100).collect();
    profile_page(
        &state,
        page,
        &auth,
        ProfileView {
            query,
            ..Default::default()
        },
        StatusCode::OK,
    )
    .await
}

fn back() -> Response {
    Redirect::to("/vaardigheden").into_response()
}

#[derive(Debug, Deserialize)]
pub struct TitleForm {
    #[serde(default)]
    title: String,
}

/// POST /vaardigheden/beroep: add a job by its title (best ESCO match) with its skills.
pub async fn add_occupation(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageOwnAccount>,
    CsrfForm(form): CsrfForm<TitleForm>,
) -> Result<Response, Problem> {
    let title = form.title.trim();
    let matching = state.matching();
    let t = &matching.taxonomy().taxonomy;
    let best = (!title.is_empty() && title.chars().count() <= 200)
        .then(|| matching.taxonomy().match_title(title, page.lang.code(), 1))
        .and_then(|m| {
            m.first()
                .and_then(|m| t.occupation(m.occupation))
                .map(|o| o.uri.clone())
        });
    let Some(uri) = best else {
        let mut errors = FieldErrors::default();
        errors.add("title", page.t("profile-error-title"));
        return refused(&state, page, &auth, errors).await;
    };
    matching
        .edit_profile(
            &auth.principal,
            ProfileEdit::AddOccupation(ProfileOccupation {
                title: title.to_owned(),
                uri,
                current: true,
            }),
        )
        .await?;
    Ok(back())
}

/// POST /vaardigheden/beroep/{id}/verwijderen
pub async fn remove_occupation(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnAccount>,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<HashMap<String, String>>,
) -> Result<Response, Problem> {
    let matching = state.matching();
    let t = &matching.taxonomy().taxonomy;
    let occupation = matching.occupation(&id)?;
    let uri = t
        .occupation(occupation)
        .map(|o| o.uri.clone())
        .unwrap_or_default();
    match matching
        .edit_profile(&auth.principal, ProfileEdit::RemoveOccupation { uri })
        .await
    {
        // Already gone (a second click, another tab): the page shows the profile as it is.
        Ok(_) | Err(AppError::NotFound(_)) => Ok(back()),
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize)]
pub struct SkillForm {
    uri: String,
}

/// POST /vaardigheden/vaardigheid: add a picked skill.
pub async fn add_skill(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnAccount>,
    CsrfForm(form): CsrfForm<SkillForm>,
) -> Result<Response, Problem> {
    let matching = state.matching();
    let skill = ProfileSkill {
        uri: form.uri,
        origin: SkillOrigin::Picked,
        occupation: None,
        essential: true,
    };
    matching
        .edit_profile(&auth.principal, ProfileEdit::AddSkills(vec![skill]))
        .await?;
    Ok(back())
}

/// POST /vaardigheden/vaardigheid/verwijderen
pub async fn remove_skill(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnAccount>,
    CsrfForm(form): CsrfForm<SkillForm>,
) -> Result<Response, Problem> {
    let matching = state.matching();
    matching
        .edit_profile(&auth.principal, ProfileEdit::RemoveSkill { uri: form.uri })
        .await?;
    Ok(back())
}

#[derive(Debug, Deserialize)]
pub struct CvForm {
    #[serde(default)]
    cv_text: String,
}

/// POST /vaardigheden/cv: find skills in pasted text and show them for review; nothing is
/// saved until the person confirms.
pub async fn review_cv(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageOwnAccount>,
    CsrfForm(form): CsrfForm<CvForm>,
) -> Result<Response, Problem> {
    let mut errors = FieldErrors::default();
    if form.cv_text.trim().is_empty() || form.cv_text.chars().count() > 20_000 {
        errors.add("cv_text", page.t("profile-error-cv"));
        return profile_page(
            &state,
            page,
            &auth,
            ProfileView {
                cv_text: form.cv_text,
                errors,
                ..Default::default()
            },
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let matching = state.matching().clone();
    let lang = page.lang.code();
    let text = form.cv_text.clone();
    let found = tokio::task::spawn_blocking(move || matching.suggest(&text, &[], lang))
        .await
        .map_err(|e| Problem::from(AppError::Internal(e.to_string())))?;
    let t = &state.matching().taxonomy().taxonomy;
    let suggestions: Vec<Suggestion> = found
        .skills
        .iter()
        .filter_map(|s| {
            let rec = t.skill(s.skill)?;
            Some(Suggestion {
                uri: rec.uri.clone(),
                label: label_in(&rec.texts, lang).text.to_owned(),
                evidence: s.sentence.clone(),
                checked: s.score >= 0.5,
            })
        })
        .collect();
    if suggestions.is_empty() {
        errors.add("cv_text", page.t("profile-error-cv-nothing"));
    }
    profile_page(
        &state,
        page,
        &auth,
        ProfileView {
            suggestions,
            cv_text: form.cv_text,
            errors,
            ..Default::default()
        },
        StatusCode::OK,
    )
    .await
}

/// POST /vaardigheden/cv/opslaan: keep the ticked skills (fields `skill_N` = URI).
pub async fn save_cv(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnAccount>,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> Result<Response, Problem> {
    let matching = state.matching();
    let mut uris: Vec<&String> = form
        .iter()
        .filter(|(k, _)| k.starts_with("skill_"))
        .map(|(_, v)| v)
        .collect();
    uris.sort();
    let skills = uris
        .into_iter()
        .take(100)
        .map(|uri| ProfileSkill {
            uri: uri.clone(),
            origin: SkillOrigin::Cv,
            occupation: None,
            essential: true,
        })
        .collect();
    matching
        .edit_profile(&auth.principal, ProfileEdit::AddSkills(skills))
        .await?;
    Ok(back())
}

#[derive(Debug, Deserialize)]
pub struct SituationForm {
    #[serde(default)]
    education: String,
    #[serde(default)]
    municipality: String,
    #[serde(default)]
    travel: String,
    #[serde(default)]
    hours: String,
    #[serde(default)]
    budget: String,
}

/// POST /vaardigheden/situatie: education, home, travel, time and budget.
pub async fn save_situation(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageOwnAccount>,
    CsrfForm(form): CsrfForm<SituationForm>,
) -> Result<Response, Problem> {
    let matching = state.matching();
    let mut errors = FieldErrors::default();
    let mut situation = Situation {
        education: form.education.parse().ok(),
        travel: form.travel.parse().ok(),
        ..Situation::default()
    };
    let m = form.municipality.trim();
    situation.municipality = if m.is_empty() {
        None
    } else if let Some(found) = matching.regions().municipality(m) {
        Some(found.code.clone())
    } else {
        errors.add("municipality", page.t("profile-error-municipality"));
        None
    };
    let hours = form.hours.trim();
    situation.hours_per_week = match hours.parse::<u8>() {
        _ if hours.is_empty() => None,
        Ok(h) if (1..=80).contains(&h) => Some(h),
        _ => {
            errors.add("hours", page.t("profile-error-hours"));
            None
        }
    };
    let budget = form.budget.trim().trim_start_matches('€').trim();
    situation.budget_cents = match budget.parse::<i64>() {
        _ if budget.is_empty() => None,
        Ok(b) if (0..=1_000_000).contains(&b) => Some(Money::from_cents(b * 100)),
        _ => {
            errors.add("budget", page.t("profile-error-budget"));
            None
        }
    };
    if !errors.is_empty() {
        return refused(&state, page, &auth, errors).await;
    }
    matching
        .edit_profile(&auth.principal, ProfileEdit::Situation(situation))
        .await?;
    Ok(back())
}

#[derive(Template)]
#[template(path = "matching/chances.html")]
struct ChancesPage {
    page: PageCtx,
    matches: MatchesDto,
}

impl ChancesPage {
    /// Width of a score bar in percent of the best score.
    fn bar(&self, score: &f64) -> u32 {
        let best = self
            .matches
            .items
            .first()
            .map_or(1.0, |m| m.score)
            .max(1e-9);
        ((score / best) * 100.0).round().clamp(1.0, 100.0) as u32
    }
}

/// GET /kansen: occupations within reach.
pub async fn chances(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageOwnAccount>,
) -> Result<Response, Problem> {
    let matching = state.matching().clone();
    let profile = matching.profile(&auth.principal).await?;
    let m = tokio::task::spawn_blocking(move || matching.matches(&profile, 20))
        .await
        .map_err(|e| Problem::from(AppError::Internal(e.to_string())))?;
    let matches = matches_dto(&state, &m, page.lang);
    Ok(render(StatusCode::OK, &ChancesPage { page, matches }))
}

#[derive(Template)]
#[template(path = "matching/chance.html")]
struct ChancePage {
    page: PageCtx,
    gap: GapDto,
    plan: PlanDto,
}

impl ChancePage {
    fn euros(&self, cents: &i64) -> String {
        crate::catalogue::pages::euros(*cents, self.page.lang.code())
    }

    fn percent(&self, share: &f64) -> u32 {
        (share * 100.0).round().clamp(0.0, 100.0) as u32
    }
}

/// GET /kansen/{id}: the gap for one occupation and the plan that closes it.
pub async fn chance(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageOwnAccount>,
    Path(id): Path<String>,
) -> Result<Response, Problem> {
    let matching = state.matching();
    let occupation = matching.occupation(&id)?;
    let profile = matching.profile(&auth.principal).await?;
    let out = matching.plan(&auth.principal, &profile, occupation).await?;
    let gap = gap_dto(&state, &out.gap, page.lang);
    let plan = plan_dto(&state, &out, page.lang);
    Ok(render(StatusCode::OK, &ChancePage { page, gap, plan }))
}

/// This feature's pages.
pub(crate) fn routes() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/vaardigheden", get(show))
        .route("/vaardigheden/beroep", post(add_occupation))
        .route(
            "/vaardigheden/beroep/{id}/verwijderen",
            post(remove_occupation),
        )
        .route("/vaardigheden/vaardigheid", post(add_skill))
        .route("/vaardigheden/vaardigheid/verwijderen", post(remove_skill))
        .route("/vaardigheden/cv", post(review_cv))
        .route("/vaardigheden/cv/opslaan", post(save_cv))
        .route("/vaardigheden/situatie", post(save_situation))
        .route("/kansen", get(chances))
        .route("/kansen/{id}", get(chance))
}
