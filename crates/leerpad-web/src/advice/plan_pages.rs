//! The ontwikkelplan on the web: the learner's `/advies/{slug}/plan` (every version, comments,
//! export, deletion, consent for the advisor) and the advisor's
//! `/adviseur/afspraken/{id}/plan` (write a new version; the learner's profile with consent).
//! `/inzage` shows a person who read their data.

use crate::authz::{Authz, perm};
use crate::csrf::CsrfForm;
use crate::error::Problem;
use crate::extract::ClientIp;
use crate::pages::{PageCtx, local_time, render};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use leerpad_app::advice::PlanView;
use leerpad_app::error::AppError;
use leerpad_domain::advice::plan::PlanContent;
use leerpad_domain::shared::{UserId, iso_date_option};
use serde::Deserialize;

/// One version as the page shows it.
pub struct VersionView {
    pub version: u32,
    pub at: String,
    pub content: PlanContent,
    pub follow_up: String,
    pub comments: Vec<(String, String)>,
}

fn versions(page: &PageCtx, plan: &PlanView) -> Vec<VersionView> {
    plan.versions
        .iter()
        .map(|v| VersionView {
            version: v.version,
            at: local_time(v.created_at, page),
            follow_up: v
                .content
                .follow_up
                .map(|d| crate::pages::long_date(d, page))
                .unwrap_or_default(),
            content: v.content.clone(),
            comments: plan
                .comments
                .iter()
                .filter(|c| c.version == v.version)
                .map(|c| (local_time(c.created_at, page), c.text.clone()))
                .collect(),
        })
        .collect()
}

/// An advisor and the consent they have, on the learner's page.
pub struct ConsentRow {
    pub advisor_id: i64,
    pub advisor: String,
    pub until: Option<String>,
}

#[derive(Template)]
#[template(path = "advice/plan.html")]
struct PlanPage {
    page: PageCtx,
    slug: String,
    versions: Vec<VersionView>,
    consents: Vec<ConsentRow>,
}

/// GET /advies/{slug}/plan
pub async fn mine(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageOwnAccount>,
    Path(slug): Path<String>,
) -> Result<Response, Problem> {
    let plan = state.advice().my_plan(&auth.principal, &slug).await?;
    let consents = state
        .advice()
        .consents(&auth.principal, &slug)
        .await?
        .into_iter()
        .map(|c| ConsentRow {
            advisor_id: c.advisor_id.get(),
            advisor: c.advisor,
            until: c.until.map(|t| local_time(t, &page)),
        })
        .collect();
    Ok(render(
        StatusCode::OK,
        &PlanPage {
            versions: versions(&page, &plan),
            consents,
            slug,
            page,
        },
    ))
}

/// GET /advies/{slug}/plan.json: the plan to take along (every version and comment).
pub async fn export(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnAccount>,
    Path(slug): Path<String>,
) -> Result<Response, Problem> {
    let plan = state.advice().my_plan(&auth.principal, &slug).await?;
    let body = serde_json::json!({
        "programme": slug,
        "versions": plan.versions,
        "comments": plan.comments,
    });
    Ok((
        [(
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"ontwikkelplan-{slug}.json\""),
        )],
        axum::Json(body),
    )
        .into_response())
}

#[derive(Debug, Deserialize)]
pub struct CommentForm {
    version: u32,
    text: String,
}

/// POST /advies/{slug}/plan/reactie
pub async fn comment(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnAccount>,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<CommentForm>,
) -> Result<Response, Problem> {
    state
        .advice()
        .comment_on_plan(&auth.principal, &slug, form.version, &form.text)
        .await?;
    Ok(Redirect::to(&format!("/advies/{slug}/plan")).into_response())
}

#[derive(Debug, Deserialize)]
pub struct Empty {}

/// POST /advies/{slug}/plan/verwijderen
pub async fn delete(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnAccount>,
    Path(slug): Path<String>,
    CsrfForm(_form): CsrfForm<Empty>,
) -> Result<Response, Problem> {
    state
        .advice()
        .delete_my_plan(&auth.principal, &slug)
        .await?;
    Ok(Redirect::to(&format!("/advies/{slug}/plan")).into_response())
}

#[derive(Debug, Deserialize)]
pub struct ConsentForm {
    advisor: i64,
    give: String,
}

/// POST /advies/{slug}/plan/toestemming
pub async fn consent(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnAccount>,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<ConsentForm>,
) -> Result<Response, Problem> {
    state
        .advice()
        .set_consent(
            &auth.principal,
            &slug,
            UserId::new(form.advisor),
            form.give == "ja",
        )
        .await?;
    Ok(Redirect::to(&format!("/advies/{slug}/plan")).into_response())
}

/// What the advisor sees of the learner's profile.
pub struct ProfileView {
    /// Job titles as the learner typed them.
    pub jobs: Vec<String>,
    /// Skill labels, with the label's language when it is not the page's.
    pub skills: Vec<(String, Option<String>)>,
    /// The learner's labour-market region (address, name), from their profile.
    pub region: Option<(String, String)>,
    /// Per job of the learner (its label): growing work nearby that asks many of the same
    /// skills, each with the page of its gap and training.
    pub transitions: Vec<(String, Vec<crate::regions::pages::MoveView>)>,
}

#[derive(Template)]
#[template(path = "advice/plan_edit.html")]
struct PlanEditPage {
    page: PageCtx,
    appointment: i64,
    when: String,
    form: PlanForm,
    errors: Vec<(String, String)>,
    versions: Vec<VersionView>,
    /// The learner's jobs and skills (with consent: label and, when not in the page's
    /// language, the label's language), or why not.
    profile: Result<ProfileView, String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct PlanForm {
    #[serde(default)]
    situation: String,
    #[serde(default)]
    goals: String,
    #[serde(default)]
    occupations: String,
    #[serde(default)]
    agreements: String,
    #[serde(default)]
    follow_up: String,
}

fn form_of(c: &PlanContent) -> PlanForm {
    PlanForm {
        situation: c.situation.clone(),
        goals: c.goals.clone(),
        occupations: c.occupations.join(", "),
        agreements: c.agreements.clone(),
        follow_up: c.follow_up.map(iso_date_option::format).unwrap_or_default(),
    }
}

async fn edit_page(
    state: &AppState,
    page: PageCtx,
    principal: &leerpad_domain::policy::Principal,
    id: i64,
    ip: Option<&str>,
    form: Option<PlanForm>,
    errors: Vec<(String, String)>,
) -> Result<Response, Problem> {
    let advice = state.advice();
    let (a, _) = advice.appointment(principal, id).await?;
    let plan = advice.plan_for_advisor(principal, id).await?;
    let form = form.unwrap_or_else(|| {
        plan.versions
            .first()
            .map(|v| form_of(&v.content))
            .unwrap_or_default()
    });
    let profile = match advice.learner_profile(principal, id, ip).await {
        Ok(p) => {
            let tax = &state.taxonomy().taxonomy;
            let lang = page.lang.code();
            let skills = p
                .skills
                .iter()
                .filter_map(|s| tax.skill_id(&s.uri))
                .filter_map(|sid| tax.skill(sid))
                .filter_map(|s| {
                    let own = s.texts.iter().find(|t| t.lang == lang);
                    match own {
                        Some(t) => Some((t.preferred.clone(), None)),
                        None => s
                            .texts
                            .first()
                            .map(|t| (t.preferred.clone(), Some(t.lang.clone()))),
                    }
                })
                .collect();
            let jobs = p.occupations.iter().map(|o| o.title.clone()).collect();
            let area = p
                .municipality
                .as_deref()
                .and_then(|m| state.regional().regions().labour_market_of(m));
            let transitions = match &area {
                Some(area) => p
                    .occupations
                    .iter()
                    .map(|o| {
                        (
                            o.title.clone(),
                            crate::regions::pages::moves_from(state, &page, area, &o.uri, 3),
                        )
                    })
                    .filter(|(_, moves)| !moves.is_empty())
                    .collect(),
                None => Vec::new(),
            };
            Ok(ProfileView {
                jobs,
                skills,
                region: area.map(|a| (a.slug, a.name)),
                transitions,
            })
        }
        Err(AppError::Conflict(_)) => Err(page.t("plan-no-consent")),
        Err(e) => return Err(e.into()),
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render(
        status,
        &PlanEditPage {
            appointment: id,
            when: local_time(a.slot.starts_at, &page),
            versions: versions(&page, &plan),
            form,
            errors,
            profile,
            page,
        },
    ))
}

/// GET /adviseur/afspraken/{id}/plan
pub async fn edit(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::AdviseLearners>,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
) -> Result<Response, Problem> {
    edit_page(
        &state,
        page,
        &auth.principal,
        id,
        Some(ip.as_str()),
        None,
        Vec::new(),
    )
    .await
}

/// POST /adviseur/afspraken/{id}/plan
pub async fn save(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::AdviseLearners>,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<PlanForm>,
) -> Result<Response, Problem> {
    let follow_up = if form.follow_up.trim().is_empty() {
        None
    } else {
        match iso_date_option::parse(form.follow_up.trim()) {
            Some(d) => Some(d),
            None => {
                let errors = vec![("follow_up".to_owned(), page.t("plan-error-date"))];
                return edit_page(
                    &state,
                    page,
                    &auth.principal,
                    id,
                    Some(ip.as_str()),
                    Some(form),
                    errors,
                )
                .await;
            }
        }
    };
    let content = PlanContent {
        situation: form.situation.trim().to_owned(),
        goals: form.goals.trim().to_owned(),
        occupations: form
            .occupations
            .split(',')
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect(),
        training: Vec::new(),
        agreements: form.agreements.trim().to_owned(),
        follow_up,
    };
    match state
        .advice()
        .write_plan(&auth.principal, id, &content)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/adviseur/afspraken/{id}/plan")).into_response()),
        Err(AppError::InvalidFields(errors)) => {
            let errors = errors
                .into_iter()
                .map(|e| {
                    let text = match e.code {
                        Some(code) => page.t_args(&format!("plan-error-{code}"), &e.args),
                        None => e.message,
                    };
                    (e.field, text)
                })
                .collect();
            edit_page(
                &state,
                page,
                &auth.principal,
                id,
                Some(ip.as_str()),
                Some(form),
                errors,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// One read of the person's data by someone else.
pub struct AccessRow {
    pub at: String,
    pub by: String,
    pub what: String,
}

#[derive(Template)]
#[template(path = "advice/access_log.html")]
struct AccessPage {
    page: PageCtx,
    rows: Vec<AccessRow>,
}

/// GET /inzage: who read my data, and when.
pub async fn access_log(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageOwnAccount>,
) -> Result<Response, Problem> {
    let rows = state
        .accounts()
        .access_log(&auth.principal)
        .await?
        .into_iter()
        .map(|a| AccessRow {
            at: local_time(a.at, &page),
            by: a
                .by
                .map(|(name, email)| format!("{name} ({email})"))
                .unwrap_or_else(|| page.t("access-gone")),
            what: page
                .lang
                .try_t_args(&format!("access-what-{}", a.what.replace('_', "-")), &[])
                .unwrap_or(a.what),
        })
        .collect();
    Ok(render(StatusCode::OK, &AccessPage { rows, page }))
}

pub(crate) fn routes() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/advies/{slug}/plan", get(mine))
        .route("/advies/{slug}/plan.json", get(export))
        .route("/advies/{slug}/plan/reactie", post(comment))
        .route("/advies/{slug}/plan/verwijderen", post(delete))
        .route("/advies/{slug}/plan/toestemming", post(consent))
        .route("/adviseur/afspraken/{id}/plan", get(edit).post(save))
        .route("/inzage", get(access_log))
}
