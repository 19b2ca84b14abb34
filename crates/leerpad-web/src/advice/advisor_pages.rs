//! `/adviseur`: an advisor's profile, working hours and appointments.

use crate::authz::{Authz, perm};
use crate::csrf::CsrfForm;
use crate::error::Problem;
use crate::pages::{PageCtx, local_time, render};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use leerpad_app::error::AppError;
use leerpad_domain::advice::advisors::{AdvisorProfile, Availability, Hours, Mode};
use leerpad_domain::advice::ports::{Advisor, AppointmentStatus};
use leerpad_domain::shared::{FieldError, iso_date_option};
use serde::Deserialize;
use std::collections::HashMap;

/// One weekday's row of the hours form.
pub struct DayRow {
    pub weekday: u8,
    pub name: String,
    pub from: String,
    pub until: String,
}

/// An appointment in the advisor's list.
pub struct AdvisorAppointment {
    pub id: i64,
    pub when: String,
    pub learner: String,
    pub mode: String,
    pub status: String,
    /// Planned and started: the outcome can be recorded.
    pub can_record: bool,
}

#[derive(Template)]
#[template(path = "advice/advisor.html")]
struct AdvisorPage {
    page: PageCtx,
    form: HashMap<String, String>,
    modes: Vec<(String, String, bool)>,
    /// Published programmes: slug, name, and whether the advisor works for it.
    programmes: Vec<(String, String, bool)>,
    days: Vec<DayRow>,
    /// Field, message, and whether the message is only in English.
    errors: Vec<(String, String, bool)>,
    appointments: Vec<AdvisorAppointment>,
    saved: bool,
}

impl AdvisorPage {
    /// A field's value as typed (or as stored).
    fn value(&self, key: &str) -> String {
        self.form.get(key).cloned().unwrap_or_default()
    }
}

fn hhmm(minute: u16) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

fn minute_of(raw: &str) -> Option<u16> {
    let (h, m) = raw.trim().split_once(':')?;
    let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
    (h <= 24 && m < 60).then_some(h * 60 + m)
}

fn form_of(a: Option<&Advisor>) -> HashMap<String, String> {
    let mut f = HashMap::new();
    let Some(a) = a else {
        f.insert("appointment_minutes".into(), "60".into());
        f.insert("buffer_minutes".into(), "15".into());
        f.insert("max_per_day".into(), "5".into());
        f.insert("languages".into(), "nl".into());
        return f;
    };
    let p = &a.profile;
    f.insert("name".into(), p.name.clone());
    f.insert("organisation".into(), p.organisation.clone());
    f.insert("certification".into(), p.certification.clone());
    f.insert("specialisms".into(), p.specialisms.join(", "));
    f.insert("languages".into(), p.languages.join(", "));
    f.insert("place".into(), p.place.clone().unwrap_or_default());
    f.insert(
        "appointment_minutes".into(),
        p.appointment_minutes.to_string(),
    );
    f.insert("buffer_minutes".into(), p.buffer_minutes.to_string());
    f.insert("max_per_day".into(), p.max_per_day.to_string());
    for m in &p.modes {
        f.insert(format!("mode_{m}"), "on".into());
    }
    for slug in &p.programmes {
        f.insert(format!("programme_{slug}"), "on".into());
    }
    for h in &a.availability.weekly {
        f.insert(format!("from_{}", h.weekday), hhmm(h.from_minute));
        f.insert(format!("until_{}", h.weekday), hhmm(h.until_minute));
    }
    let days: Vec<String> = a
        .availability
        .days_off
        .iter()
        .map(|d| iso_date_option::format(*d))
        .collect();
    f.insert("days_off".into(), days.join(", "));
    f
}

async fn show(
    state: &AppState,
    page: PageCtx,
    principal: &leerpad_domain::policy::Principal,
    form: HashMap<String, String>,
    errors: Vec<FieldError>,
    saved: bool,
) -> Result<Response, Problem> {
    let now = state.clock().now();
    let appointments = state
        .advice()
        .advisor_appointments(principal)
        .await?
        .into_iter()
        .map(|(a, learner)| AdvisorAppointment {
            id: a.id,
            when: local_time(a.slot.starts_at, &page),
            learner,
            mode: page.t(&format!("advice-mode-{}", a.mode)),
            status: page.t(&format!("appointment-status-{}", a.status)),
            can_record: a.status == AppointmentStatus::Booked && a.slot.starts_at <= now,
        })
        .collect();
    let modes = Mode::ALL
        .iter()
        .map(|m| {
            (
                m.to_string(),
                page.t(&format!("advice-mode-{m}")),
                form.contains_key(&format!("mode_{m}")),
            )
        })
        .collect();
    let programmes = state
        .advice()
        .programmes(Some(principal))
        .await?
        .into_iter()
        .map(|p| {
            let on = form.contains_key(&format!("programme_{}", p.slug));
            (
                p.slug,
                p.definition.name.get(page.lang.code()).to_owned(),
                on,
            )
        })
        .collect();
    let days = (1..=7u8)
        .map(|d| DayRow {
            weekday: d,
            name: page.t(&format!("weekday-{d}")),
            from: form.get(&format!("from_{d}")).cloned().unwrap_or_default(),
            until: form.get(&format!("until_{d}")).cloned().unwrap_or_default(),
        })
        .collect();
    let errors: Vec<(String, String, bool)> = errors
        .into_iter()
        .map(|e| match e.code {
            Some(code) => (
                e.field,
                page.t_args(&format!("advisor-error-{code}"), &e.args),
                false,
            ),
            None => (e.field, e.message, true),
        })
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render(
        status,
        &AdvisorPage {
            form,
            modes,
            programmes,
            days,
            errors,
            appointments,
            saved,
            page,
        },
    ))
}

/// GET /adviseur
pub async fn overview(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::AdviseLearners>,
) -> Result<Response, Problem> {
    let mine = state.advice().my_advisor_profile(&auth.principal).await?;
    show(
        &state,
        page,
        &auth.principal,
        form_of(mine.as_ref()),
        Vec::new(),
        false,
    )
    .await
}

fn list(raw: Option<&String>) -> Vec<String> {
    raw.map(|s| {
        s.split(',')
            .map(|x| x.trim().to_owned())
            .filter(|x| !x.is_empty())
            .collect()
    })
    .unwrap_or_default()
}

/// The profile and hours from the form, or the fields that are wrong.
fn read(form: &HashMap<String, String>) -> Result<(AdvisorProfile, Availability), Vec<FieldError>> {
    let mut errors = Vec::new();
    let text = |k: &str| form.get(k).map(|s| s.trim().to_owned()).unwrap_or_default();
    let number = |k: &str, errors: &mut Vec<FieldError>| -> u16 {
        text(k).parse().unwrap_or_else(|_| {
            errors.push(FieldError::new(k, "a whole number").coded("number", vec![]));
            0
        })
    };
    let appointment_minutes = number("appointment_minutes", &mut errors);
    let buffer_minutes = number("buffer_minutes", &mut errors);
    let max_per_day = u8::try_from(number("max_per_day", &mut errors)).unwrap_or(u8::MAX);
    let mut weekly = Vec::new();
    for d in 1..=7u8 {
        let (from, until) = (text(&format!("from_{d}")), text(&format!("until_{d}")));
        if from.is_empty() && until.is_empty() {
            continue;
        }
        match (minute_of(&from), minute_of(&until)) {
            (Some(from_minute), Some(until_minute)) => weekly.push(Hours {
                weekday: d,
                from_minute,
                until_minute,
            }),
            _ => errors.push(
                FieldError::new(format!("from_{d}"), "a time like 09:00").coded("time", vec![]),
            ),
        }
    }
    let mut days_off = Vec::new();
    for raw in list(form.get("days_off")) {
        match iso_date_option::parse(&raw) {
            Some(d) => days_off.push(d),
            None => errors.push(
                FieldError::new("days_off", format!("'{raw}' is not a date (YYYY-MM-DD)"))
                    .coded("date", vec![("value", raw.clone())]),
            ),
        }
    }
    let profile = AdvisorProfile {
        name: text("name"),
        organisation: text("organisation"),
        certification: text("certification"),
        specialisms: list(form.get("specialisms")),
        languages: list(form.get("languages"))
            .into_iter()
            .map(|l| l.to_ascii_lowercase())
            .collect(),
        modes: Mode::ALL
            .iter()
            .copied()
            .filter(|m| form.contains_key(&format!("mode_{m}")))
            .collect(),
        place: Some(text("place")).filter(|p| !p.is_empty()),
        appointment_minutes,
        buffer_minutes,
        max_per_day,
        programmes: form
            .iter()
            .filter(|(_, v)| v.as_str() == "on")
            .filter_map(|(k, _)| k.strip_prefix("programme_"))
            .map(str::to_owned)
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect(),
        example: false,
    };
    let availability = Availability { weekly, days_off };
    if errors.is_empty() {
        Ok((profile, availability))
    } else {
        Err(errors)
    }
}

/// POST /adviseur
pub async fn save(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::AdviseLearners>,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> Result<Response, Problem> {
    let (profile, availability) = match read(&form) {
        Ok(x) => x,
        Err(errors) => return show(&state, page, &auth.principal, form, errors, false).await,
    };
    match state
        .advice()
        .save_advisor(&auth.principal, &profile, &availability)
        .await
    {
        Ok(saved) => {
            show(
                &state,
                page,
                &auth.principal,
                form_of(Some(&saved)),
                Vec::new(),
                true,
            )
            .await
        }
        Err(AppError::InvalidFields(errors)) => {
            show(&state, page, &auth.principal, form, errors, false).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize)]
pub struct OutcomeForm {
    outcome: String,
}

/// POST /adviseur/afspraken/{id}
pub async fn outcome(
    State(state): State<AppState>,
    auth: Authz<perm::AdviseLearners>,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<OutcomeForm>,
) -> Result<Response, Problem> {
    let status: AppointmentStatus = form
        .outcome
        .parse()
        .map_err(|_| Problem::validation("outcome", "outcome: done or no_show"))?;
    state
        .advice()
        .record_outcome(&auth.principal, id, status)
        .await?;
    Ok(Redirect::to("/adviseur#afspraken").into_response())
}

pub(crate) fn routes() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/adviseur", get(overview).post(save))
        .route("/adviseur/afspraken/{id}", post(outcome))
}
