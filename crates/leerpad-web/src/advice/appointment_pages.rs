//! The learner's appointments: choose an advisor and a time, put it in a calendar, cancel it,
//! or give up the place.

use crate::authz::{Authz, perm};
use crate::csrf::CsrfForm;
use crate::error::Problem;
use crate::pages::{PageCtx, local_time, render};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use leerpad_app::advice::{BookingRequest, SlotFilter, appointment_ics};
use leerpad_domain::advice::advisors::Mode;
use leerpad_domain::advice::ports::Appointment;
use leerpad_domain::shared::UserId;
use serde::Deserialize;

/// A free time to choose.
pub struct TimeChoice {
    pub value: i64,
    pub label: String,
}

/// An advisor with their free times, as the page shows them.
pub struct AdvisorCard {
    pub id: i64,
    pub name: String,
    pub organisation: String,
    pub certification: String,
    pub specialisms: String,
    pub languages: String,
    pub modes: Vec<(String, String)>,
    pub place: String,
    pub times: Vec<TimeChoice>,
    pub example: bool,
}

#[derive(Debug, Default, Deserialize)]
pub struct FilterParams {
    #[serde(default)]
    vorm: String,
    #[serde(default)]
    taal: String,
    #[serde(default)]
    plaats: String,
    /// Moving this appointment (from the link beside it).
    #[serde(default)]
    verzetten: Option<i64>,
}

#[derive(Template)]
#[template(path = "advice/book.html")]
struct BookPage {
    page: PageCtx,
    slug: String,
    title: String,
    modes: Vec<crate::financing::pages::Choice>,
    language: String,
    place: String,
    advisors: Vec<AdvisorCard>,
    key: String,
    /// The appointment being moved.
    moving: Option<i64>,
}

pub(crate) fn language_name(page: &PageCtx, code: &str) -> String {
    page.lang
        .try_t_args(&format!("speaks-{code}"), &[])
        .unwrap_or_else(|| code.to_owned())
}

/// GET /advies/{slug}/afspraak
pub async fn choose(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageOwnAccount>,
    Path(slug): Path<String>,
    Query(p): Query<FilterParams>,
) -> Result<Response, Problem> {
    let advice = state.advice();
    let programme = advice.programme(Some(&auth.principal), &slug).await?;
    let filter = SlotFilter {
        mode: p.vorm.parse().ok(),
        place: Some(p.plaats.trim().to_owned()).filter(|x| !x.is_empty()),
        language: Some(p.taal.trim().to_ascii_lowercase()).filter(|x| !x.is_empty()),
    };
    let choices = advice.advisors_for(&auth.principal, &slug, &filter).await?;
    let advisors = choices
        .into_iter()
        .map(|c| {
            let profile = &c.advisor.profile;
            AdvisorCard {
                id: c.advisor.user_id.get(),
                name: profile.name.clone(),
                organisation: profile.organisation.clone(),
                certification: profile.certification.clone(),
                specialisms: profile.specialisms.join(", "),
                languages: profile
                    .languages
                    .iter()
                    .map(|l| language_name(&page, l))
                    .collect::<Vec<_>>()
                    .join(", "),
                modes: profile
                    .modes
                    .iter()
                    .filter(|m| filter.mode.is_none_or(|f| f == **m))
                    .map(|m| (m.to_string(), page.t(&format!("advice-mode-{m}"))))
                    .collect(),
                place: profile.place.clone().unwrap_or_default(),
                times: c
                    .slots
                    .iter()
                    .take(12)
                    .map(|s| TimeChoice {
                        value: s.starts_at,
                        label: local_time(s.starts_at, &page),
                    })
                    .collect(),
                example: profile.example,
            }
        })
        .collect();
    let modes = crate::financing::pages::choices(&page, Mode::ALL, "advice-mode", &p.vorm);
    let key = leerpad_app::secret::random_token().map_err(Problem::from)?;
    Ok(render(
        StatusCode::OK,
        &BookPage {
            title: programme.definition.name.get(page.lang.code()).to_owned(),
            slug,
            modes,
            language: p.taal,
            place: p.plaats,
            advisors,
            key,
            moving: p.verzetten,
            page,
        },
    ))
}

#[derive(Debug, Deserialize)]
pub struct BookForm {
    advisor: i64,
    starts_at: i64,
    mode: String,
    key: String,
    /// The appointment being moved, if any.
    #[serde(default)]
    verzetten: Option<i64>,
}

/// POST /advies/{slug}/afspraak
pub async fn book(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnAccount>,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<BookForm>,
) -> Result<Response, Problem> {
    let mode: Mode = form
        .mode
        .parse()
        .map_err(|_| Problem::validation("mode", "mode: not a way to meet"))?;
    state
        .advice()
        .book(
            &auth.principal,
            &slug,
            &BookingRequest {
                advisor_id: UserId::new(form.advisor),
                starts_at: form.starts_at,
                mode,
                idempotency_key: form.key,
                replaces: form.verzetten,
            },
        )
        .await?;
    Ok(Redirect::to(&format!("/advies/{slug}#mijn-afspraak")).into_response())
}

/// The page's summary of one appointment.
pub struct AppointmentLine {
    pub id: i64,
    pub when: String,
    pub with: String,
    pub mode: String,
    pub status: String,
    pub planned: bool,
}

pub(crate) async fn lines(
    state: &AppState,
    page: &PageCtx,
    appointments: &[Appointment],
) -> Result<Vec<AppointmentLine>, Problem> {
    let mut out = Vec::new();
    for a in appointments {
        let advisor = state.advice().advisor_profile(a.advisor_id).await?;
        out.push(AppointmentLine {
            id: a.id,
            when: local_time(a.slot.starts_at, page),
            with: advisor
                .map(|x| format!("{} ({})", x.profile.name, x.profile.organisation))
                .unwrap_or_default(),
            mode: page.t(&format!("advice-mode-{}", a.mode)),
            status: page.t(&format!("appointment-status-{}", a.status)),
            planned: a.status == leerpad_domain::advice::ports::AppointmentStatus::Booked,
        });
    }
    Ok(out)
}

/// GET /afspraken/{id}.ics: the appointment for the learner's or advisor's calendar.
pub async fn ics(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageOwnAccount>,
    Path(file): Path<String>,
) -> Result<Response, Problem> {
    let id: i64 = file
        .strip_suffix(".ics")
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| Problem::new(StatusCode::NOT_FOUND, "not-found", "no such appointment"))?;
    let (a, advisor) = state.advice().appointment(&auth.principal, id).await?;
    let body = appointment_ics(&a, &advisor, &page.t("appointment-summary"), "");
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"afspraak-{id}.ics\""),
            ),
        ],
        body,
    )
        .into_response())
}

#[derive(Debug, Deserialize)]
pub struct ReturnForm {
    #[serde(default)]
    terug: String,
}

fn back_to(raw: &str) -> String {
    // Only our own pages.
    if raw.starts_with('/') && !raw.starts_with("//") {
        raw.to_owned()
    } else {
        "/advies".to_owned()
    }
}

/// POST /afspraken/{id}/afzeggen
pub async fn cancel(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnAccount>,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<ReturnForm>,
) -> Result<Response, Problem> {
    state
        .advice()
        .cancel_appointment(&auth.principal, id)
        .await?;
    Ok(Redirect::to(&back_to(&form.terug)).into_response())
}

/// POST /advies/{slug}/plaats-opgeven
pub async fn give_up(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnAccount>,
    Path(slug): Path<String>,
    CsrfForm(_form): CsrfForm<ReturnForm>,
) -> Result<Response, Problem> {
    state.advice().give_up_place(&auth.principal, &slug).await?;
    Ok(Redirect::to(&format!("/advies/{slug}")).into_response())
}

pub(crate) fn routes() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/advies/{slug}/afspraak", get(choose).post(book))
        .route("/advies/{slug}/plaats-opgeven", post(give_up))
        .route("/afspraken/{file}", get(ics))
        .route("/afspraken/{id}/afzeggen", post(cancel))
}
