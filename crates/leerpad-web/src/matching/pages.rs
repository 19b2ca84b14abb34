//! "Mijn vaardigheden" (the skills profile) and "Mijn kansen" (occupations within reach, the
//! skill gap and the training plan). Every step is a plain form post; nothing needs JavaScript.

use crate::authz::{Authz, perm};
use crate::csrf::CsrfForm;
use crate::error::Problem;
use crate::matching::views::{
    self, GapView, MatchesView, PlanView, ProfileView, SkillItem, Suggestion,
};
use crate::pages::{FieldErrors, PageCtx, render};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use leerpad_app::AppError;
use leerpad_app::matching::{ProfileEdit, Situation};
use leerpad_domain::matching::{ProfileOccupation, ProfileSkill, SkillOrigin};
use leerpad_domain::shared::Money;
use serde::Deserialize;
use std::collections::HashMap;

#[derive(Template)]
#[template(path = "matching/skills_profile.html")]
struct ProfilePage {
    page: PageCtx,
    errors: FieldErrors,
    profile: ProfileView,
    query: String,
    found: Vec<SkillItem>,
    suggestions: Vec<Suggestion>,
    cv_text: String,
}

#[derive(Debug, Deserialize, Default)]
pub struct ProfileQuery {
    #[serde(default)]
    zoek: String,
}

/// What the profile page shows besides the profile: a skill search, CV suggestions to review,
/// and the problems of a form just posted.
#[derive(Default)]
struct ProfileExtras {
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
    let extras = ProfileExtras {
        errors,
        ..Default::default()
    };
    profile_page(state, page, auth, extras, StatusCode::UNPROCESSABLE_ENTITY).await
}

async fn profile_page(
    state: &AppState,
    page: PageCtx,
    auth: &Authz<perm::ManageOwnAccount>,
    extras: ProfileExtras,
    status: StatusCode,
) -> Result<Response, Problem> {
    let ProfileExtras {
        query,
        suggestions,
        cv_text,
        errors,
    } = extras;
    let matching = state.matching();
    let mut learner = matching.profile(&auth.principal).await?;
    // What the financing questions already said is not asked again.
    if (learner.municipality.is_none() || learner.education.is_none())
        && let Some(answers) = state.financing().situation(&auth.principal).await?
    {
        learner.complete_from(&answers);
    }
    let found = views::found_skills(matching, &query, page.lang);
    let profile = views::profile_view(state, &learner, page.lang);
    Ok(render(
        status,
        &ProfilePage {
            page,
            errors,
            profile,
            query,
            found,
            suggestions,
            cv_text,
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
        ProfileExtras {
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
            ProfileExtras {
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
    let suggestions = views::suggestions(state.matching(), &found, page.lang);
    if suggestions.is_empty() {
        errors.add("cv_text", page.t("profile-error-cv-nothing"));
    }
    profile_page(
        &state,
        page,
        &auth,
        ProfileExtras {
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
    matches: MatchesView,
    /// "Ik wil iets anders": what was typed to find a goal occupation, and what was found.
    goal_query: String,
    goals: Vec<views::OccupationLink>,
    /// Growing work in the person's region that shares many of their skills.
    growth: super::growth_view::GrowthListView,
}

#[derive(Debug, Deserialize, Default)]
pub struct GoalQuery {
    /// An occupation name or synonym, in Dutch or English.
    #[serde(default)]
    beroep: String,
}

/// GET /kansen: occupations within reach.
pub async fn chances(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageOwnAccount>,
    Query(goal): Query<GoalQuery>,
) -> Result<Response, Problem> {
    let matching = state.matching().clone();
    let profile = matching.profile(&auth.principal).await?;
    let (m, g) = tokio::task::spawn_blocking(move || {
        (matching.matches(&profile, 20), matching.growth(&profile, 5))
    })
    .await
    .map_err(|e| Problem::from(AppError::Internal(e.to_string())))?;
    let matches = views::matches_view(&state, &m, page.lang);
    let growth = super::growth_view::growth_view(state.matching(), &g, page.lang);
    let goal_query: String = goal.beroep.trim().chars().take(100).collect();
    let goals = views::found_occupations(state.matching(), &goal_query, page.lang);
    Ok(render(
        StatusCode::OK,
        &ChancesPage {
            page,
            matches,
            goal_query,
            goals,
            growth,
        },
    ))
}

#[derive(Template)]
#[template(path = "matching/chance.html")]
struct ChancePage {
    page: PageCtx,
    gap: GapView,
    plan: PlanView,
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
    let gap = views::gap_view(&state, &out.gap, page.lang);
    let plan = views::plan_view(&state, &out, page.lang);
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
