//! Enrolment pages: a learner asks for a place on a run (from the offer page), confirms the
//! provider's offer, withdraws or stops (`/inschrijvingen`); a provider answers requests and
//! declares start and completion (`/aanbieder/inschrijvingen`), each with its deadline. All
//! forms, no JavaScript needed. The API in [`api`].

pub(crate) mod api;

use crate::authz::{Authz, perm};
use crate::csrf::CsrfForm;
use crate::error::Problem;
use crate::pages::{PageCtx, long_date, render};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use leerpad_app::error::AppError;
use leerpad_domain::enrolment::{Enrolment, EnrolmentStatus, Step};
use leerpad_domain::shared::{Money, OfferId, iso_date_option};
use serde::Deserialize;

/// An enrolment as a row.
pub struct EnrolmentRow {
    pub id: i64,
    pub offer_id: i64,
    pub offer: String,
    pub run: String,
    pub status: String,
    pub price: String,
    pub dates: String,
    /// "Answer by 15 december 2026", or empty.
    pub deadline: String,
    pub note: String,
    pub can_confirm: bool,
    pub can_withdraw: bool,
    pub can_stop: bool,
    pub can_answer: bool,
    pub can_start: bool,
    pub can_complete: bool,
}

async fn rows(
    state: &AppState,
    page: &PageCtx,
    list: Vec<Enrolment>,
) -> Result<Vec<EnrolmentRow>, Problem> {
    let titles = state
        .enrolments()
        .offer_titles(&list, page.lang.code())
        .await?;
    let mut out = Vec::with_capacity(list.len());
    for e in list {
        let title = titles
            .get(&e.offer)
            .cloned()
            .unwrap_or_else(|| format!("#{}", e.offer));
        let s = e.status;
        let deadline_key = match s {
            EnrolmentStatus::Requested => "enrolment-deadline-answer",
            EnrolmentStatus::Offered => "enrolment-deadline-confirm",
            EnrolmentStatus::Confirmed => "enrolment-deadline-start",
            EnrolmentStatus::Started => "enrolment-deadline-complete",
            _ => "",
        };
        out.push(EnrolmentRow {
            id: e.id,
            offer_id: e.offer.get(),
            offer: title,
            run: e.run.clone(),
            status: page.t(&format!("enrolment-status-{s}")),
            price: e
                .price
                .map(|p| p.format_euros(page.lang.code()))
                .unwrap_or_default(),
            dates: match (e.starts_on, e.ends_on) {
                (Some(a), Some(b)) => format!("{} – {}", long_date(a, page), long_date(b, page)),
                _ => String::new(),
            },
            deadline: match (e.deadline, deadline_key.is_empty()) {
                (Some(d), false) => page.t_args(deadline_key, &[("date", long_date(d, page))]),
                _ => String::new(),
            },
            note: e.note.clone().unwrap_or_default(),
            can_confirm: s == EnrolmentStatus::Offered,
            can_withdraw: matches!(
                s,
                EnrolmentStatus::Requested | EnrolmentStatus::Offered | EnrolmentStatus::Confirmed
            ),
            can_stop: s == EnrolmentStatus::Started,
            can_answer: s == EnrolmentStatus::Requested,
            can_start: s == EnrolmentStatus::Confirmed,
            can_complete: s == EnrolmentStatus::Started,
        });
    }
    Ok(out)
}

#[derive(Template)]
#[template(path = "enrolment/mine.html")]
struct MinePage {
    page: PageCtx,
    rows: Vec<EnrolmentRow>,
    errors: Vec<String>,
}

#[derive(Template)]
#[template(path = "enrolment/provider.html")]
struct ProviderPage {
    page: PageCtx,
    rows: Vec<EnrolmentRow>,
    errors: Vec<String>,
    /// (owed, coming, paid out, next payout day), written out.
    money: (String, String, String, String),
}

/// The problem in the page's words: a refusal of the rules or the ledger, or a field.
fn problem_text(page: &PageCtx, e: &AppError) -> Option<String> {
    match e {
        AppError::Refused {
            code,
            args,
            message,
        } => Some(
            crate::pages::refusal_text(page, code, args, "enrolment").unwrap_or_else(|| {
                page.t_args("enrolment-refused", &[("reason", message.clone())])
            }),
        ),
        AppError::Conflict(m) => Some(page.t_args("enrolment-refused", &[("reason", m.clone())])),
        AppError::Ledger(leerpad_domain::ledger::LedgerError::Insufficient {
            available, ..
        }) => Some(page.t_args(
            "enrolment-insufficient",
            &[("available", available.format_euros(page.lang.code()))],
        )),
        AppError::InvalidFields(list) => {
            Some(crate::pages::field_problems(page.lang, list).join(" "))
        }
        _ => None,
    }
}

async fn mine_page(
    state: &AppState,
    page: PageCtx,
    principal: &leerpad_domain::policy::Principal,
    errors: Vec<String>,
) -> Result<Response, Problem> {
    let list = state.enrolments().mine(principal).await?;
    let rows = rows(state, &page, list).await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::CONFLICT
    };
    Ok(render(status, &MinePage { page, rows, errors }))
}

/// GET /inschrijvingen
pub async fn mine(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageOwnAccount>,
) -> Result<Response, Problem> {
    mine_page(&state, page, &auth.principal, Vec::new()).await
}

#[derive(Debug, Deserialize)]
pub struct RequestForm {
    offer: i64,
    run: String,
}

/// POST /inschrijvingen: ask for a place on a run.
pub async fn request(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageOwnAccount>,
    CsrfForm(form): CsrfForm<RequestForm>,
) -> Result<Response, Problem> {
    match state
        .enrolments()
        .request(&auth.principal, OfferId::new(form.offer), &form.run)
        .await
    {
        Ok(e) => Ok(Redirect::to(&format!("/inschrijvingen#i{}", e.id)).into_response()),
        Err(e) => match problem_text(&page, &e) {
            Some(text) => mine_page(&state, page, &auth.principal, vec![text]).await,
            None => Err(e.into()),
        },
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct StepForm {
    #[serde(default)]
    reason: String,
}

/// POST /inschrijvingen/{id}/{bevestigen|intrekken|stoppen}
pub async fn learner_step(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageOwnAccount>,
    Path((id, what)): Path<(i64, String)>,
    CsrfForm(form): CsrfForm<StepForm>,
) -> Result<Response, Problem> {
    let step = match what.as_str() {
        "bevestigen" => Step::Confirm,
        "intrekken" => Step::Withdraw,
        "stoppen" => Step::Cancel {
            reason: form.reason,
        },
        _ => return Err(AppError::NotFound("step").into()),
    };
    match state
        .enrolments()
        .learner_step(&auth.principal, id, &step)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/inschrijvingen#i{id}")).into_response()),
        Err(e) => match problem_text(&page, &e) {
            Some(text) => mine_page(&state, page, &auth.principal, vec![text]).await,
            None => Err(e.into()),
        },
    }
}

async fn provider_page(
    state: &AppState,
    page: PageCtx,
    principal: &leerpad_domain::policy::Principal,
    errors: Vec<String>,
) -> Result<Response, Problem> {
    let list = state.enrolments().for_my_provider(principal).await?;
    let rows = rows(state, &page, list).await?;
    let m = state.enrolments().my_payouts(principal).await?;
    let lang = page.lang.code();
    let money = (
        m.owed.format_euros(lang),
        m.coming.format_euros(lang),
        m.paid_out.format_euros(lang),
        crate::pages::long_date(m.next_payout, &page),
    );
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render(
        status,
        &ProviderPage {
            page,
            rows,
            errors,
            money,
        },
    ))
}

/// GET /aanbieder/inschrijvingen
pub async fn provider(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageOwnOffers>,
) -> Result<Response, Problem> {
    provider_page(&state, page, &auth.principal, Vec::new()).await
}

#[derive(Debug, Default, Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    price: String,
    #[serde(default)]
    starts_on: String,
    #[serde(default)]
    ends_on: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    proof: String,
}

/// POST /aanbieder/inschrijvingen/{id}/{accepteren|afwijzen|gestart|niet-gekomen|afgerond}
pub async fn provider_step(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageOwnOffers>,
    Path((id, what)): Path<(i64, String)>,
    CsrfForm(form): CsrfForm<AnswerForm>,
) -> Result<Response, Problem> {
    let step = match what.as_str() {
        "accepteren" => {
            let price = Money::parse_euros(&form.price);
            let starts = iso_date_option::parse(&form.starts_on);
            let ends = iso_date_option::parse(&form.ends_on);
            match (price, starts, ends) {
                (Some(price), Some(starts_on), Some(ends_on)) => Step::Accept {
                    price,
                    starts_on,
                    ends_on,
                },
                _ => {
                    let text = page.t("enrolment-accept-fields");
                    return provider_page(&state, page, &auth.principal, vec![text]).await;
                }
            }
        }
        "afwijzen" => Step::Decline {
            reason: form.reason,
        },
        "gestart" => Step::DeclareStart,
        "niet-gekomen" => Step::DeclareNoShow,
        "afgerond" => Step::DeclareCompletion { proof: form.proof },
        _ => return Err(AppError::NotFound("step").into()),
    };
    match state
        .enrolments()
        .provider_step(&auth.principal, id, &step)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/aanbieder/inschrijvingen#i{id}")).into_response()),
        Err(e) => match problem_text(&page, &e) {
            Some(text) => provider_page(&state, page, &auth.principal, vec![text]).await,
            None => Err(e.into()),
        },
    }
}

pub(crate) fn routes() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/inschrijvingen", get(mine).post(request))
        .route("/inschrijvingen/{id}/{step}", post(learner_step))
        .route("/aanbieder/inschrijvingen", get(provider))
        .route("/aanbieder/inschrijvingen/{id}/{step}", post(provider_step))
}
