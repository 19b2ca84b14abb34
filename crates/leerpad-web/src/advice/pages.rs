//! `/advies`: free career advice programmes, whether you may use one, and your registration.

use crate::authz::{Authz, MaybePrincipal, perm};
use crate::csrf::CsrfForm;
use crate::error::Problem;
use crate::explain;
use crate::pages::{PageCtx, local_time, render};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use leerpad_domain::advice::ports::{Programme, Registration, RegistrationStatus};
use leerpad_domain::financing::Verdict;
use serde::Deserialize;

/// A programme in the list.
pub struct ProgrammeCard {
    pub slug: String,
    pub title: String,
    pub funder: String,
    pub summary: String,
    pub rule: String,
    pub places: String,
    pub example: bool,
}

fn card(page: &PageCtx, p: &Programme) -> ProgrammeCard {
    let lang = page.lang.code();
    ProgrammeCard {
        slug: p.slug.clone(),
        title: p.definition.name.get(lang).to_owned(),
        funder: p.definition.funder.clone(),
        summary: p.definition.description.get(lang).to_owned(),
        rule: explain::condition_text(page.lang, &p.definition.eligibility),
        places: page.t_args(
            "advice-places",
            &[("count", p.definition.capacity.to_string())],
        ),
        example: p.definition.example,
    }
}

#[derive(Template)]
#[template(path = "advice/programmes.html")]
struct ProgrammesPage {
    page: PageCtx,
    programmes: Vec<ProgrammeCard>,
}

/// GET /advies
pub async fn overview(
    State(state): State<AppState>,
    page: PageCtx,
    MaybePrincipal(viewer): MaybePrincipal,
) -> Result<Response, Problem> {
    let programmes = state.advice().programmes(viewer.as_ref()).await?;
    Ok(render(
        StatusCode::OK,
        &ProgrammesPage {
            programmes: programmes.iter().map(|p| card(&page, p)).collect(),
            page,
        },
    ))
}

/// What the page says about the viewer and this programme.
pub enum Standing {
    /// Not signed in.
    Visitor,
    /// May register; `window` says when the draw is, if there is one now.
    MayRegister {
        draw_after: Option<String>,
    },
    /// May not (yet): the reasons, or the questions still to answer.
    MayNot {
        reasons: Vec<String>,
    },
    Unknown {
        missing: String,
    },
    Registered {
        status: String,
        detail: String,
        /// Has a place: may book, cancel and give it up.
        placed: bool,
        appointments: Vec<super::appointment_pages::AppointmentLine>,
    },
}

#[derive(Template)]
#[template(path = "advice/programme.html")]
struct ProgrammePage {
    page: PageCtx,
    card: ProgrammeCard,
    reserves: Vec<String>,
    windows: Vec<(String, String)>,
    standing: Standing,
    draws: Vec<(String, String)>,
}

impl ProgrammePage {
    /// The viewer has a planned appointment (then no second one can be made).
    fn has_planned(&self) -> bool {
        matches!(&self.standing, Standing::Registered { appointments, .. } if appointments.iter().any(|a| a.planned))
    }
}

fn registration_text(page: &PageCtx, p: &Programme, r: &Registration) -> (String, String) {
    let status = page.t(&format!("advice-status-{}", r.status));
    let detail = match r.status {
        RegistrationStatus::Registered => {
            let closes = p
                .definition
                .windows
                .iter()
                .find(|w| Some(w.opens) == r.window_opens)
                .map(|w| local_time(w.closes, page))
                .unwrap_or_default();
            page.t_args("advice-registered-detail", &[("closes", closes)])
        }
        RegistrationStatus::Allocated => page.t("advice-allocated-detail"),
        RegistrationStatus::Waitlisted => page.t_args(
            "advice-waitlisted-detail",
            &[(
                "position",
                r.waitlist_position.unwrap_or_default().to_string(),
            )],
        ),
        RegistrationStatus::Cancelled => page.t("advice-cancelled-detail"),
    };
    (
        page.t_args("advice-reference", &[("reference", r.reference.clone())]) + " " + &status,
        detail,
    )
}

/// GET /advies/{slug}
pub async fn detail(
    State(state): State<AppState>,
    page: PageCtx,
    MaybePrincipal(viewer): MaybePrincipal,
    Path(slug): Path<String>,
) -> Result<Response, Problem> {
    let advice = state.advice();
    let (p, eligibility) = advice.check(viewer.as_ref(), &slug, None).await?;
    let now = state.clock().now();
    let standing = match &viewer {
        None => Standing::Visitor,
        Some(v) => match advice.my_registration(v, &slug).await? {
            Some(r) => {
                let (status, detail) = registration_text(&page, &p, &r);
                let appointments = advice.my_appointments(v, &slug).await?;
                Standing::Registered {
                    status,
                    detail,
                    placed: r.status == RegistrationStatus::Allocated,
                    appointments: super::appointment_pages::lines(&state, &page, &appointments)
                        .await?,
                }
            }
            None => match &eligibility.verdict {
                Verdict::Met => Standing::MayRegister {
                    draw_after: p
                        .definition
                        .open_window(now)
                        .map(|w| local_time(w.closes, &page)),
                },
                Verdict::Unmet(reasons) => Standing::MayNot {
                    reasons: reasons
                        .iter()
                        .map(|u| explain::unmet(page.lang, u))
                        .collect(),
                },
                Verdict::Unknown(missing) => Standing::Unknown {
                    missing: explain::missing(page.lang, missing),
                },
            },
        },
    };
    let reserves = p
        .definition
        .reserves
        .iter()
        .zip(p.definition.reserved_places())
        .map(|(r, places)| {
            page.t_args(
                "advice-reserve",
                &[
                    ("percent", r.percent.to_string()),
                    ("places", places.to_string()),
                    ("who", explain::condition_text(page.lang, &r.who)),
                ],
            )
        })
        .collect();
    let windows = p
        .definition
        .windows
        .iter()
        .map(|w| (local_time(w.opens, &page), local_time(w.closes, &page)))
        .collect();
    let draws = p
        .definition
        .windows
        .iter()
        .filter(|w| w.closes <= now)
        .map(|w| {
            (
                format!("/advies/{}/lotingen/{}.json", p.slug, w.opens),
                local_time(w.closes, &page),
            )
        })
        .collect();
    Ok(render(
        StatusCode::OK,
        &ProgrammePage {
            card: card(&page, &p),
            reserves,
            windows,
            standing,
            draws,
            page,
        },
    ))
}

#[derive(Debug, Deserialize)]
pub struct RegisterForm {}

/// POST /advies/{slug}/aanmelden
pub async fn register(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnAccount>,
    Path(slug): Path<String>,
    CsrfForm(_form): CsrfForm<RegisterForm>,
) -> Result<Response, Problem> {
    state.advice().register(&auth.principal, &slug).await?;
    Ok(Redirect::to(&format!("/advies/{slug}")).into_response())
}

/// GET /advies/{slug}/lotingen/{opens}.json: the published draw, for anyone to redo.
pub async fn published_draw(
    State(state): State<AppState>,
    Path((slug, file)): Path<(String, String)>,
) -> Result<Response, Problem> {
    let opens: i64 = file
        .strip_suffix(".json")
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| Problem::new(StatusCode::NOT_FOUND, "not-found", "no such draw"))?;
    let draw = state
        .advice()
        .published_draw(&slug, opens)
        .await?
        .ok_or_else(|| Problem::new(StatusCode::NOT_FOUND, "not-found", "no such draw (yet)"))?;
    Ok(axum::Json(draw).into_response())
}

pub(crate) fn routes() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/advies", get(overview))
        .route("/advies/{slug}", get(detail))
        .route("/advies/{slug}/aanmelden", post(register))
        .route("/advies/{slug}/lotingen/{file}", get(published_draw))
}
