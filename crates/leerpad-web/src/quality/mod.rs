//! The quality loop on pages: the learner's survey (`/inschrijvingen/{id}/enquete/{einde|uitkomst}`),
//! an offer's published rating (on the offer's page, [`rating_view`]), the offers that need a
//! programme manager's look (`/beheer/kwaliteit`) and a provider's own ratings
//! (`/aanbieder/beoordelingen`).

pub(crate) mod api;

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
use leerpad_app::quality::{ComplaintView, RatedOffer};
use leerpad_domain::policy::Principal;
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

/// Tenths as people write them: "4,2" in Dutch, "4.2" in English.
pub(crate) fn tenths(t: u32, lang: &str) -> String {
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

/// A complaint as listed.
pub struct ComplaintRow {
    pub id: i64,
    pub course: String,
    pub subject: String,
    pub text: String,
    pub at: String,
    pub answer: String,
}

fn complaint_rows(page: &PageCtx, list: Vec<ComplaintView>) -> Vec<ComplaintRow> {
    list.into_iter()
        .map(|v| ComplaintRow {
            id: v.complaint.id,
            course: v.title,
            subject: v.complaint.subject,
            text: v.complaint.text,
            at: crate::pages::local_time(v.complaint.at, page),
            answer: v.complaint.answer.unwrap_or_default(),
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
    complaints: Vec<ComplaintRow>,
    /// The provider answers complaints here.
    answerable: bool,
    /// Courses with many complaints, in sentences (programme managers).
    signals: Vec<String>,
    errors: Vec<String>,
}

/// GET /beheer/kwaliteit: offers flagged or suspended by their ratings.
pub async fn attention(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageProgrammes>,
) -> Result<Response, Problem> {
    let rows = rows(&page, state.quality().attention(&auth.principal).await?);
    let (complaints, many) = state.quality().all_complaints(&auth.principal).await?;
    let signals = many
        .into_iter()
        .map(|(course, n)| {
            page.t_args(
                "complaint-signal",
                &[("course", course), ("count", n.to_string())],
            )
        })
        .collect();
    Ok(render(
        StatusCode::OK,
        &ListPage {
            title: page.t("quality-attention-title"),
            intro: page.t("quality-attention-intro"),
            rows,
            complaints: complaint_rows(&page, complaints),
            answerable: false,
            signals,
            errors: Vec::new(),
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
    provider_page(&state, page, &auth.principal, Vec::new()).await
}

async fn provider_page(
    state: &AppState,
    page: PageCtx,
    principal: &Principal,
    errors: Vec<String>,
) -> Result<Response, Problem> {
    let rows = rows(&page, state.quality().my_ratings(principal).await?);
    let complaints = complaint_rows(&page, state.quality().my_complaints(principal).await?);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render(
        status,
        &ListPage {
            title: page.t("quality-mine-title"),
            intro: page.t("quality-mine-intro"),
            rows,
            complaints,
            answerable: true,
            signals: Vec::new(),
            errors,
            page,
        },
    ))
}

#[derive(Debug, Default, Deserialize)]
pub struct ComplaintForm {
    #[serde(default)]
    subject: String,
    #[serde(default)]
    text: String,
}

#[derive(Template)]
#[template(path = "quality/complaint.html")]
struct ComplaintPage {
    page: PageCtx,
    enrolment: i64,
    course: String,
    subject: String,
    text: String,
    errors: Vec<String>,
}

/// GET /inschrijvingen/{id}/klacht: the complaint form for one of the learner's enrolments.
pub async fn complaint_form(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageOwnAccount>,
    Path(id): Path<i64>,
) -> Result<Response, Problem> {
    let course = state
        .quality()
        .complaint_subject(&auth.principal, id)
        .await?;
    Ok(render(
        StatusCode::OK,
        &ComplaintPage {
            page,
            enrolment: id,
            course,
            subject: String::new(),
            text: String::new(),
            errors: Vec::new(),
        },
    ))
}

/// POST /inschrijvingen/{id}/klacht
pub async fn complain(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageOwnAccount>,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<ComplaintForm>,
) -> Result<Response, Problem> {
    match state
        .quality()
        .complain(&auth.principal, id, &form.subject, &form.text)
        .await
    {
        Ok(_) => Ok(Redirect::to("/inschrijvingen/klachten?verstuurd=1").into_response()),
        Err(AppError::InvalidFields(list)) => {
            let course = state
                .quality()
                .complaint_subject(&auth.principal, id)
                .await?;
            let errors = crate::pages::field_problems(page.lang, &list);
            Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &ComplaintPage {
                    page,
                    enrolment: id,
                    course,
                    subject: form.subject,
                    text: form.text,
                    errors,
                },
            ))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "quality/my_complaints.html")]
struct MyComplaintsPage {
    page: PageCtx,
    sent: bool,
    complaints: Vec<ComplaintRow>,
}

#[derive(Debug, Default, Deserialize)]
pub struct SentQuery {
    #[serde(default)]
    verstuurd: Option<String>,
}

/// GET /inschrijvingen/klachten: the learner's complaints and the answers.
pub async fn my_complaints(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageOwnAccount>,
    axum::extract::Query(q): axum::extract::Query<SentQuery>,
) -> Result<Response, Problem> {
    let complaints = complaint_rows(
        &page,
        state.quality().my_own_complaints(&auth.principal).await?,
    );
    Ok(render(
        StatusCode::OK,
        &MyComplaintsPage {
            page,
            sent: q.verstuurd.is_some(),
            complaints,
        },
    ))
}

#[derive(Debug, Default, Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    text: String,
}

/// POST /aanbieder/klachten/{id}/antwoord: the provider answers a complaint.
pub async fn answer_complaint(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageOwnOffers>,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<AnswerForm>,
) -> Result<Response, Problem> {
    match state
        .quality()
        .answer_complaint(&auth.principal, id, &form.text)
        .await
    {
        Ok(()) => Ok(Redirect::to("/aanbieder/beoordelingen").into_response()),
        Err(AppError::InvalidFields(list)) => {
            let errors = crate::pages::field_problems(page.lang, &list);
            provider_page(&state, page, &auth.principal, errors).await
        }
        Err(e) => Err(e.into()),
    }
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
        .route(
            "/inschrijvingen/{id}/klacht",
            get(complaint_form).post(complain),
        )
        .route("/inschrijvingen/klachten", get(my_complaints))
        .route(
            "/aanbieder/klachten/{id}/antwoord",
            axum::routing::post(answer_complaint),
        )
}
