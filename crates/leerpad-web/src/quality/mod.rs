//! The quality loop on pages: the learner's survey (`/inschrijvingen/{id}/enquete/{einde|uitkomst}`),
//! an offer's published rating (on the offer's page, [`rating_view`]), the offers that need a
//! programme manager's look (`/beheer/kwaliteit`) and a provider's own ratings
//! (`/aanbieder/beoordelingen`).

use crate::authz::{Authz, perm};
use crate::csrf::CsrfForm;
use crate::error::Problem;
use crate::pages::{PageCtx, render};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use leerpad_app::error::AppError;
use leerpad_app::quality::RatedOffer;
use leerpad_domain::quality::{Rating, Standing, SurveyAnswer, SurveyKind};
use leerpad_domain::shared::{OfferId, ProviderId, UserId};
use serde::Deserialize;

/// A published rating as the offer's page shows it: the average, the count, each score as a
/// bar with its number, and what came of it when enough said.
pub struct RatingView {
    pub average: String,
    pub answers: u32,
    /// (score, count, bar width in percent)
    pub bars: Vec<(u32, u32, u32)>,
    pub recommend: String,
    pub outcome: Option<String>,
    pub suspended: bool,
}

fn tenths(t: u32, lang: &str) -> String {
    let sep = if lang == "en" { '.' } else { ',' };
    format!("{}{sep}{}", t / 10, t % 10)
}

/// The view of a rating, or none while too few answered.
pub fn rating_view(page: &PageCtx, r: &Rating) -> Option<RatingView> {
    let standing = r.standing();
    if standing == Standing::Unrated {
        return None;
    }
    let n = r.answers();
    let most = r.distribution.iter().copied().max().unwrap_or(1).max(1);
    let outcome = (r.outcome_answers >= leerpad_domain::quality::PUBLISH_AT).then(|| {
        page.t_args(
            "quality-outcome",
            &[
                (
                    "working",
                    Rating::percent(r.working_yes, r.outcome_answers)
                        .unwrap_or(0)
                        .to_string(),
                ),
                (
                    "using",
                    Rating::percent(r.using_yes, r.outcome_answers)
                        .unwrap_or(0)
                        .to_string(),
                ),
                ("count", r.outcome_answers.to_string()),
            ],
        )
    });
    Some(RatingView {
        average: tenths(r.average_tenths().unwrap_or(0), page.lang.code()),
        answers: n,
        bars: (1..=5u32)
            .rev()
            .map(|score| {
                let count = r.distribution[(score - 1) as usize];
                (score, count, count * 100 / most)
            })
            .collect(),
        recommend: page.t_args(
            "quality-recommend",
            &[(
                "percent",
                Rating::percent(r.recommend_yes, n).unwrap_or(0).to_string(),
            )],
        ),
        outcome,
        suspended: standing == Standing::Suspended,
    })
}

#[derive(Template)]
#[template(path = "quality/survey.html")]
struct SurveyPage {
    page: PageCtx,
    title: String,
    outcome: bool,
    action: String,
    errors: Vec<String>,
}

fn kind_of(path: &str) -> Option<SurveyKind> {
    match path {
        "einde" => Some(SurveyKind::End),
        "uitkomst" => Some(SurveyKind::Outcome),
        _ => None,
    }
}

async fn survey_page(
    state: &AppState,
    page: PageCtx,
    principal: &leerpad_domain::policy::Principal,
    id: i64,
    which: &str,
    errors: Vec<String>,
) -> Result<Response, Problem> {
    let kind = kind_of(which).ok_or(AppError::NotFound("survey"))?;
    let (_, title) = state.quality().survey(principal, id, kind).await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render(
        status,
        &SurveyPage {
            title,
            outcome: kind == SurveyKind::Outcome,
            action: format!("/inschrijvingen/{id}/enquete/{which}"),
            errors,
            page,
        },
    ))
}

/// GET /inschrijvingen/{id}/enquete/{einde|uitkomst}
pub async fn survey(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageOwnAccount>,
    Path((id, which)): Path<(i64, String)>,
) -> Result<Response, Problem> {
    survey_page(&state, page, &auth.principal, id, &which, Vec::new()).await
}

#[derive(Debug, Default, Deserialize)]
pub struct SurveyForm {
    #[serde(default)]
    rating: Option<String>,
    #[serde(default)]
    recommend: Option<String>,
    #[serde(default)]
    working: Option<String>,
    #[serde(default)]
    using_skills: Option<String>,
    #[serde(default)]
    comment: String,
}

fn yes_no(v: &Option<String>) -> Option<bool> {
    match v.as_deref() {
        Some("ja") => Some(true),
        Some("nee") => Some(false),
        _ => None,
    }
}

/// POST /inschrijvingen/{id}/enquete/{einde|uitkomst}
pub async fn answer(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageOwnAccount>,
    Path((id, which)): Path<(i64, String)>,
    CsrfForm(form): CsrfForm<SurveyForm>,
) -> Result<Response, Problem> {
    let kind = kind_of(&which).ok_or(AppError::NotFound("survey"))?;
    let answer = SurveyAnswer {
        enrolment: id,
        kind,
        // Filled in from the enrolment by the use case.
        offer: OfferId::new(0),
        provider: ProviderId::new(0),
        learner: UserId::new(0),
        rating: form.rating.as_deref().and_then(|r| r.parse().ok()),
        recommend: yes_no(&form.recommend),
        working: yes_no(&form.working),
        using_skills: yes_no(&form.using_skills),
        comment: form.comment.trim().to_owned(),
    };
    match state.quality().answer(&auth.principal, answer).await {
        Ok(()) => Ok(Redirect::to("/inschrijvingen?enquete=bedankt").into_response()),
        Err(AppError::InvalidFields(list)) => {
            let errors = crate::pages::field_problems(page.lang, &list);
            survey_page(&state, page, &auth.principal, id, &which, errors).await
        }
        Err(e) => Err(e.into()),
    }
}

/// A rated offer as listed.
pub struct RatedRow {
    pub offer: i64,
    pub title: String,
    pub average: String,
    pub answers: u32,
    pub standing: String,
}

fn rows(page: &PageCtx, list: Vec<RatedOffer>) -> Vec<RatedRow> {
    list.into_iter()
        .map(|r| RatedRow {
            offer: r.offer.get(),
            title: r.title,
            average: tenths(r.rating.average_tenths().unwrap_or(0), page.lang.code()),
            answers: r.rating.answers(),
            standing: page.t(match r.standing {
                Standing::Suspended => "quality-standing-suspended",
                Standing::Flagged => "quality-standing-flagged",
                _ => "quality-standing-published",
            }),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "quality/list.html")]
struct ListPage {
    page: PageCtx,
    title: String,
    intro: String,
    rows: Vec<RatedRow>,
}

/// GET /beheer/kwaliteit: offers flagged or suspended by their ratings.
pub async fn attention(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageProgrammes>,
) -> Result<Response, Problem> {
    let rows = rows(&page, state.quality().attention(&auth.principal).await?);
    Ok(render(
        StatusCode::OK,
        &ListPage {
            title: page.t("quality-attention-title"),
            intro: page.t("quality-attention-intro"),
            rows,
            page,
        },
    ))
}

/// GET /aanbieder/beoordelingen: the provider's rated offers and where each stands.
pub async fn mine(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageOwnOffers>,
) -> Result<Response, Problem> {
    let rows = rows(&page, state.quality().my_ratings(&auth.principal).await?);
    Ok(render(
        StatusCode::OK,
        &ListPage {
            title: page.t("quality-mine-title"),
            intro: page.t("quality-mine-intro"),
            rows,
            page,
        },
    ))
}

pub(crate) fn routes() -> axum::Router<AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route(
            "/inschrijvingen/{id}/enquete/{which}",
            get(survey).post(answer),
        )
        .route("/beheer/kwaliteit", get(attention))
        .route("/aanbieder/beoordelingen", get(mine))
}
