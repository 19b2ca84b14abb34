//! Programme managers define advice programmes at `/beheer/advies/nieuw` and edit them at
//! `/beheer/advies/{slug}/bewerken`: the definition as TOML (the same fields as the API, a
//! window's times in Dutch local time), the status, and what is wrong said per field.

use crate::authz::{Authz, perm};
use crate::csrf::CsrfForm;
use crate::error::Problem;
use crate::financing::admin_pages::{EditError, edit_errors_in};
use crate::pages::{PageCtx, render};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use leerpad_app::AppError;
use leerpad_app::advice::{parse_programme, programme_to_toml};
use leerpad_domain::advice::ports::{Programme, ProgrammeStatus};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "advice/programme_edit.html")]
struct EditPage {
    page: PageCtx,
    /// None when creating.
    slug: Option<String>,
    slug_value: String,
    version: i64,
    /// (value, label, selected)
    statuses: Vec<(String, String, bool)>,
    definition: String,
    errors: Vec<EditError>,
}

const NEW_PROGRAMME: &str = r#"name = { nl = "Ontwikkeladvies", en = "Development advice" }
description = { nl = "Een gratis gesprek met een erkende loopbaanadviseur over je werk en je toekomst.", en = "A free talk with a certified career advisor about your work and your future." }
funder = ""
# Number of advices, and the budget per advice in cents.
capacity = 1000
budget_per_advice = 60000
eligibility = { all = [ { age = { min = 18 } } ] }

# Places kept first for a target group, in this order.
[[reserves]]
name = { nl = "hoogstens mbo 2", en = "at most mbo 2" }
percent = 60
who = { education_at_most = "mbo2" }

# Registration windows in Dutch local time; the places are drawn when a window closes.
# Without windows, places are given at once while there are places.
[[windows]]
opens = "2027-03-01 09:00"
closes = "2027-03-15 17:00"
"#;

fn statuses(page: &PageCtx, current: ProgrammeStatus) -> Vec<(String, String, bool)> {
    [
        ProgrammeStatus::Draft,
        ProgrammeStatus::Published,
        ProgrammeStatus::Closed,
    ]
    .into_iter()
    .map(|s| {
        (
            s.to_string(),
            page.t(&format!("scheme-status-{s}")),
            s == current,
        )
    })
    .collect()
}

#[derive(Debug, Deserialize)]
pub struct EditForm {
    #[serde(default)]
    slug: String,
    #[serde(default)]
    version: i64,
    status: String,
    definition: String,
}

/// GET /beheer/advies/nieuw
pub async fn new_form(_auth: Authz<perm::ManageProgrammes>, page: PageCtx) -> Response {
    render(
        StatusCode::OK,
        &EditPage {
            statuses: statuses(&page, ProgrammeStatus::Draft),
            slug: None,
            slug_value: String::new(),
            version: 0,
            definition: NEW_PROGRAMME.to_owned(),
            errors: Vec::new(),
            page,
        },
    )
}

/// After a save: on to the programme's figures, or the editor `again` with what was wrong.
fn saved_or_again(
    result: Result<Programme, AppError>,
    again: EditPage,
) -> Result<Response, Problem> {
    match result {
        Ok(p) => Ok(Redirect::to(&format!("/beheer/advies/{}", p.slug)).into_response()),
        Err(e) => {
            let status = match e {
                AppError::Conflict(_) => StatusCode::CONFLICT,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            Ok(render(
                status,
                &EditPage {
                    errors: edit_errors_in(
                        again.page.lang,
                        e,
                        &["programme-error", "scheme-error"],
                    )?,
                    ..again
                },
            ))
        }
    }
}

fn status_of(form: &EditForm) -> Result<ProgrammeStatus, Problem> {
    form.status
        .parse()
        .map_err(|_| Problem::validation("status", "status: draft, published or closed"))
}

/// POST /beheer/advies/nieuw
pub async fn create(
    State(state): State<AppState>,
    auth: Authz<perm::ManageProgrammes>,
    page: PageCtx,
    CsrfForm(form): CsrfForm<EditForm>,
) -> Result<Response, Problem> {
    let status = status_of(&form)?;
    let slug = form.slug.trim().to_owned();
    let result = match parse_programme(&form.definition) {
        Ok(def) => {
            state
                .advice()
                .create_programme(&auth.principal, &slug, status, &def)
                .await
        }
        Err(e) => Err(e),
    };
    saved_or_again(
        result,
        EditPage {
            statuses: statuses(&page, status),
            slug: None,
            slug_value: slug,
            version: 0,
            definition: form.definition,
            errors: Vec::new(),
            page,
        },
    )
}

/// GET /beheer/advies/{slug}/bewerken
pub async fn edit_form(
    State(state): State<AppState>,
    auth: Authz<perm::ManageProgrammes>,
    page: PageCtx,
    Path(slug): Path<String>,
) -> Result<Response, Problem> {
    let p = state
        .advice()
        .programme(Some(&auth.principal), &slug)
        .await?;
    Ok(render(
        StatusCode::OK,
        &EditPage {
            statuses: statuses(&page, p.status),
            slug: Some(p.slug.clone()),
            slug_value: p.slug.clone(),
            version: p.version,
            definition: programme_to_toml(&p.definition),
            errors: Vec::new(),
            page,
        },
    ))
}

/// POST /beheer/advies/{slug}/bewerken
pub async fn save(
    State(state): State<AppState>,
    auth: Authz<perm::ManageProgrammes>,
    page: PageCtx,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<EditForm>,
) -> Result<Response, Problem> {
    let status = status_of(&form)?;
    let result = match parse_programme(&form.definition) {
        Ok(def) => {
            state
                .advice()
                .update_programme(&auth.principal, &slug, status, &def, form.version)
                .await
        }
        Err(e) => Err(e),
    };
    saved_or_again(
        result,
        EditPage {
            statuses: statuses(&page, status),
            slug: Some(slug.clone()),
            slug_value: slug,
            version: form.version,
            definition: form.definition,
            errors: Vec::new(),
            page,
        },
    )
}

pub(crate) fn routes() -> axum::Router<AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/beheer/advies/nieuw", get(new_form).post(create))
        .route("/beheer/advies/{slug}/bewerken", get(edit_form).post(save))
}
