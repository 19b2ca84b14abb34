//! Advice programmes, registering for one, and the published draws.

use crate::api::problems::{
    Conflict, Forbidden, InvalidFieldPaths, MalformedJson, MalformedJsonOrPath, MalformedPath,
    MalformedPathOrQuery, NotFound, NotJson, Unauthorized,
};
use crate::authz::{Authz, MaybePrincipal, perm};
use crate::error::Problem;
use crate::explain;
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::i18n::Lang;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use leerpad_app::advice::{BookingRequest, SlotFilter};
use leerpad_domain::advice::PublishedDraw;
use leerpad_domain::advice::advisors::Mode;
use leerpad_domain::advice::ports::{Appointment, Programme, ProgrammeStatus, Registration};
use leerpad_domain::advice::programme::ProgrammeDefinition;
use leerpad_domain::shared::UserId;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A programme as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgrammeDto {
    pub slug: String,
    /// draft, published or closed.
    pub status: String,
    /// Raised by every change; send it back when editing.
    pub version: i64,
    /// The whole definition as stored: capacity, budget per advice in cents, eligibility rule
    /// (the language of the financing schemes), reserves, windows (Unix seconds).
    #[schema(value_type = Object)]
    pub definition: ProgrammeDefinition,
    /// Who may use it, in Dutch words.
    pub rule_text: String,
    /// Places kept for each reserve, in order.
    pub reserved_places: Vec<u32>,
}

fn dto(p: &Programme) -> ProgrammeDto {
    ProgrammeDto {
        slug: p.slug.clone(),
        status: p.status.to_string(),
        version: p.version,
        rule_text: explain::condition_text(Lang::Nl, &p.definition.eligibility),
        reserved_places: p.definition.reserved_places(),
        definition: p.definition.clone(),
    }
}

/// A person's registration.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegistrationDto {
    /// The public reference the published draw shows.
    pub reference: String,
    /// registered (waiting for the draw), allocated, waitlisted or cancelled.
    pub status: String,
    /// The reserve the place came from, by index; absent for an open place or no place.
    pub reserve: Option<usize>,
    pub waitlist_position: Option<u32>,
    /// The window registered in (Unix seconds of its opening); absent when a place was given
    /// at once.
    pub window_opens: Option<i64>,
}

fn registration_dto(r: &Registration) -> RegistrationDto {
    RegistrationDto {
        reference: r.reference.clone(),
        status: r.status.to_string(),
        reserve: r.reserve,
        waitlist_position: r.waitlist_position,
        window_opens: r.window_opens,
    }
}

#[utoipa::path(get, path = "/api/v1/advice/programmes", tag = "advice",
    responses((status = 200, body = Vec<ProgrammeDto>)))]
pub async fn list(
    State(state): State<AppState>,
    MaybePrincipal(viewer): MaybePrincipal,
) -> Result<Json<Vec<ProgrammeDto>>, Problem> {
    let all = state.advice().programmes(viewer.as_ref()).await?;
    Ok(Json(all.iter().map(dto).collect()))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewProgrammeRequest {
    pub slug: String,
    /// draft (default) or published.
    #[serde(default)]
    pub status: Option<String>,
    #[schema(value_type = Object)]
    pub definition: ProgrammeDefinition,
}

fn status_of(raw: Option<&str>) -> Result<ProgrammeStatus, Problem> {
    match raw {
        None => Ok(ProgrammeStatus::Draft),
        Some(s) => s.parse().map_err(|_| {
            Problem::validation(
                "status",
                format!("status: expected one of {}", ProgrammeStatus::identifiers()),
            )
        }),
    }
}

#[utoipa::path(post, path = "/api/v1/advice/programmes", tag = "advice",
    request_body = NewProgrammeRequest, security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = ProgrammeDto), MalformedJson, Unauthorized, Forbidden, Conflict, NotJson, InvalidFieldPaths))]
pub async fn create(
    State(state): State<AppState>,
    auth: Authz<perm::ManageProgrammes>,
    ApiJson(req): ApiJson<NewProgrammeRequest>,
) -> Result<(StatusCode, Json<ProgrammeDto>), Problem> {
    let status = status_of(req.status.as_deref())?;
    let p = state
        .advice()
        .create_programme(&auth.principal, &req.slug, status, &req.definition)
        .await?;
    Ok((StatusCode::CREATED, Json(dto(&p))))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EditProgrammeRequest {
    /// The version the edit started from.
    pub version: i64,
    pub status: String,
    #[schema(value_type = Object)]
    pub definition: ProgrammeDefinition,
}

#[utoipa::path(get, path = "/api/v1/advice/programmes/{slug}", tag = "advice",
    params(("slug" = String, Path)),
    responses((status = 200, body = ProgrammeDto), MalformedPath, NotFound))]
pub async fn get_one(
    State(state): State<AppState>,
    MaybePrincipal(viewer): MaybePrincipal,
    ApiPath(slug): ApiPath<String>,
) -> Result<Json<ProgrammeDto>, Problem> {
    let p = state.advice().programme(viewer.as_ref(), &slug).await?;
    Ok(Json(dto(&p)))
}

#[utoipa::path(put, path = "/api/v1/advice/programmes/{slug}", tag = "advice",
    request_body = EditProgrammeRequest, params(("slug" = String, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ProgrammeDto), MalformedJsonOrPath, Unauthorized, Forbidden, NotFound, Conflict, NotJson, InvalidFieldPaths))]
pub async fn edit(
    State(state): State<AppState>,
    auth: Authz<perm::ManageProgrammes>,
    ApiPath(slug): ApiPath<String>,
    ApiJson(req): ApiJson<EditProgrammeRequest>,
) -> Result<Json<ProgrammeDto>, Problem> {
    let status = status_of(Some(&req.status))?;
    let p = state
        .advice()
        .update_programme(&auth.principal, &slug, status, &req.definition, req.version)
        .await?;
    Ok(Json(dto(&p)))
}

#[utoipa::path(get, path = "/api/v1/advice/programmes/{slug}/registration", tag = "advice",
    params(("slug" = String, Path)), security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = RegistrationDto), MalformedPath, Unauthorized, NotFound))]
pub async fn mine(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnAccount>,
    ApiPath(slug): ApiPath<String>,
) -> Result<Json<RegistrationDto>, Problem> {
    let r = state
        .advice()
        .my_registration(&auth.principal, &slug)
        .await?
        .ok_or_else(|| Problem::new(StatusCode::NOT_FOUND, "not-found", "no registration"))?;
    Ok(Json(registration_dto(&r)))
}

#[utoipa::path(post, path = "/api/v1/advice/programmes/{slug}/registration", tag = "advice",
    params(("slug" = String, Path)), security(("bearer" = []), ("session" = [])),
    responses((status = 200, description = "Registered (or already registered: the same registration)", body = RegistrationDto),
              MalformedPath, Unauthorized, NotFound, Conflict))]
pub async fn register(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnAccount>,
    ApiPath(slug): ApiPath<String>,
) -> Result<Json<RegistrationDto>, Problem> {
    let r = state.advice().register(&auth.principal, &slug).await?;
    Ok(Json(registration_dto(&r)))
}

#[utoipa::path(get, path = "/api/v1/advice/programmes/{slug}/draws/{window_opens}", tag = "advice",
    params(("slug" = String, Path), ("window_opens" = i64, Path, description = "The window's opening, Unix seconds")),
    responses((status = 200, description = "The draw as published: seed, places, registrations by reference and result; redo it with data/advice/redo_draw.py", body = Object),
              MalformedPath, NotFound))]
pub async fn draw(
    State(state): State<AppState>,
    ApiPath((slug, window_opens)): ApiPath<(String, i64)>,
) -> Result<Json<PublishedDraw>, Problem> {
    let d = state
        .advice()
        .published_draw(&slug, window_opens)
        .await?
        .ok_or_else(|| Problem::new(StatusCode::NOT_FOUND, "not-found", "no such draw (yet)"))?;
    Ok(Json(d))
}

/// An advisor with free times.
#[derive(Debug, Serialize, ToSchema)]
pub struct AdvisorDto {
    pub id: i64,
    pub name: String,
    pub organisation: String,
    pub certification: String,
    pub languages: Vec<String>,
    /// video, phone, office or library.
    pub modes: Vec<String>,
    pub place: Option<String>,
    /// Free starting times (Unix seconds) in the coming three weeks.
    pub free_times: Vec<i64>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AdvisorParams {
    /// video, phone, office or library.
    pub mode: Option<String>,
    /// ISO 639-1 language code.
    pub language: Option<String>,
    /// Municipality, for office and library.
    pub place: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/advice/programmes/{slug}/advisors", tag = "advice",
    params(("slug" = String, Path), AdvisorParams), security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Vec<AdvisorDto>), MalformedPathOrQuery, Unauthorized, NotFound, Conflict))]
pub async fn advisors(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnAccount>,
    ApiPath(slug): ApiPath<String>,
    ApiQuery(p): ApiQuery<AdvisorParams>,
) -> Result<Json<Vec<AdvisorDto>>, Problem> {
    let mode = match p.mode.as_deref().filter(|m| !m.is_empty()) {
        None => None,
        Some(m) => Some(m.parse::<Mode>().map_err(|_| {
            Problem::validation(
                "mode",
                format!("mode: expected one of {}", Mode::identifiers()),
            )
        })?),
    };
    let filter = SlotFilter {
        mode,
        language: p.language.filter(|l| !l.is_empty()),
        place: p.place.filter(|l| !l.is_empty()),
    };
    let found = state
        .advice()
        .advisors_for(&auth.principal, &slug, &filter)
        .await?;
    Ok(Json(
        found
            .into_iter()
            .map(|c| AdvisorDto {
                id: c.advisor.user_id.get(),
                name: c.advisor.profile.name.clone(),
                organisation: c.advisor.profile.organisation.clone(),
                certification: c.advisor.profile.certification.clone(),
                languages: c.advisor.profile.languages.clone(),
                modes: c
                    .advisor
                    .profile
                    .modes
                    .iter()
                    .map(ToString::to_string)
                    .collect(),
                place: c.advisor.profile.place.clone(),
                free_times: c.slots.iter().map(|s| s.starts_at).collect(),
            })
            .collect(),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BookingDto {
    pub advisor_id: i64,
    /// One of the advisor's free times (Unix seconds).
    pub starts_at: i64,
    /// video, phone, office or library.
    pub mode: String,
    /// Any text unique to this booking: sending the same key again returns the same
    /// appointment instead of a second one.
    pub idempotency_key: String,
    /// Move this planned appointment to the new time, in one step (the old time stays when
    /// the new one cannot be had).
    #[serde(default)]
    pub replaces: Option<i64>,
}

/// An appointment.
#[derive(Debug, Serialize, ToSchema)]
pub struct AppointmentDto {
    pub id: i64,
    pub advisor_id: i64,
    pub starts_at: i64,
    pub ends_at: i64,
    pub mode: String,
    /// booked, cancelled, done or no_show.
    pub status: String,
    /// The iCalendar file for this appointment.
    pub calendar_url: String,
}

fn appointment_dto(a: &Appointment) -> AppointmentDto {
    AppointmentDto {
        id: a.id,
        advisor_id: a.advisor_id.get(),
        starts_at: a.slot.starts_at,
        ends_at: a.slot.ends_at,
        mode: a.mode.to_string(),
        status: a.status.to_string(),
        calendar_url: format!("/afspraken/{}.ics", a.id),
    }
}

#[utoipa::path(post, path = "/api/v1/advice/programmes/{slug}/appointments", tag = "advice",
    request_body = BookingDto, params(("slug" = String, Path)), security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = AppointmentDto), MalformedJsonOrPath, Unauthorized, NotFound, NotJson, InvalidFieldPaths,
              (status = 409, description = "The time is taken, the advisor's day is full, you have no place or already an appointment", body = crate::error::ProblemBody, content_type = "application/problem+json")))]
pub async fn book(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnAccount>,
    ApiPath(slug): ApiPath<String>,
    ApiJson(req): ApiJson<BookingDto>,
) -> Result<(StatusCode, Json<AppointmentDto>), Problem> {
    let mode: Mode = req.mode.parse().map_err(|_| {
        Problem::validation(
            "mode",
            format!("mode: expected one of {}", Mode::identifiers()),
        )
    })?;
    if req.idempotency_key.is_empty() || req.idempotency_key.len() > 200 {
        return Err(Problem::validation(
            "idempotency_key",
            "idempotency_key: 1 to 200 characters",
        ));
    }
    let a = state
        .advice()
        .book(
            &auth.principal,
            &slug,
            &BookingRequest {
                advisor_id: UserId::new(req.advisor_id),
                starts_at: req.starts_at,
                mode,
                idempotency_key: req.idempotency_key,
                replaces: req.replaces,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(appointment_dto(&a))))
}

#[utoipa::path(get, path = "/api/v1/advice/programmes/{slug}/appointments", tag = "advice",
    params(("slug" = String, Path)), security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Vec<AppointmentDto>), MalformedPath, Unauthorized, NotFound))]
pub async fn my_appointments(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnAccount>,
    ApiPath(slug): ApiPath<String>,
) -> Result<Json<Vec<AppointmentDto>>, Problem> {
    let all = state
        .advice()
        .my_appointments(&auth.principal, &slug)
        .await?;
    Ok(Json(all.iter().map(appointment_dto).collect()))
}

pub(crate) fn routes() -> utoipa_axum::router::OpenApiRouter<AppState> {
    utoipa_axum::router::OpenApiRouter::new()
        .routes(utoipa_axum::routes!(list, create))
        .routes(utoipa_axum::routes!(get_one, edit))
        .routes(utoipa_axum::routes!(mine, register))
        .routes(utoipa_axum::routes!(draw))
        .routes(utoipa_axum::routes!(advisors))
        .routes(utoipa_axum::routes!(book, my_appointments))
}
