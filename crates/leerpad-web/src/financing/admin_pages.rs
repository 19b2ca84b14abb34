//! The programme managers' scheme administration: every scheme with its budget use, the
//! advanced editor that creates and updates a scheme from its TOML definition, and publishing.
//! The everyday editor is the form in `scheme_editor`.

use crate::authz::{Authz, perm};
use crate::csrf::CsrfForm;
use crate::error::Problem;
use crate::financing::pages::{SchemeCard, budget_total, scheme_card};
use crate::i18n::Lang;
use crate::pages::{PageCtx, render};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use leerpad_app::AppError;
use leerpad_app::financing::{definition_to_toml, parse_definition};
use leerpad_domain::financing::{Scheme, SchemeStatus};
use leerpad_domain::shared::Money;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "financing/scheme_toml.html")]
struct EditPage {
    page: PageCtx,
    /// None when creating.
    slug: Option<String>,
    slug_value: String,
    version: i64,
    definition: String,
    errors: Vec<EditError>,
}

/// A problem with the definition as the editor shows it: in the page's language where the
/// problem has a code, else the English message marked with `lang`.
pub(crate) struct EditError {
    pub field: String,
    pub message: String,
    pub lang: Option<&'static str>,
}

const NEW_SCHEME_TEMPLATE: &str = r#"payment = "provider_direct"
name = { nl = "Nieuwe regeling", en = "New scheme" }
description = { nl = "", en = "" }
funder = { kind = "regional", name = "" }
period = { from = "2026-01-01", until = "2027-12-31" }

[coverage]
percent = 100
max_per_award_cents = 100000

[budget]
total_cents = 10000000

[eligibility]
all = [
  { age = { min = 18, max = 66 } },
  { employment = ["employed", "self_employed"] },
]
"#;

/// GET /beheer/regelingen/nieuw/toml
pub async fn new_form(_auth: Authz<perm::ManageProgrammes>, page: PageCtx) -> Response {
    render(
        StatusCode::OK,
        &EditPage {
            page,
            slug: None,
            slug_value: String::new(),
            version: 0,
            definition: NEW_SCHEME_TEMPLATE.to_owned(),
            errors: Vec::new(),
        },
    )
}

#[derive(Debug, Deserialize)]
pub struct EditForm {
    #[serde(default)]
    slug: String,
    #[serde(default)]
    version: i64,
    definition: String,
}

fn edit_errors(lang: Lang, e: AppError) -> Result<Vec<EditError>, Problem> {
    edit_errors_in(lang, e, &["scheme-error"])
}

/// The problems of a definition for an editor page: each coded problem in the page's language
/// from the first of `prefixes` with a text for its code (`{prefix}-{code}`), else in English.
pub(crate) fn edit_errors_in(
    lang: Lang,
    e: AppError,
    prefixes: &[&str],
) -> Result<Vec<EditError>, Problem> {
    let english = (lang != Lang::En).then_some("en");
    match e {
        AppError::InvalidFields(list) => Ok(list
            .into_iter()
            .map(|f| {
                let translated = f.code.and_then(|code| {
                    prefixes
                        .iter()
                        .find_map(|prefix| lang.try_t_args(&format!("{prefix}-{code}"), &f.args))
                });
                match translated {
                    Some(message) => EditError {
                        message,
                        field: f.field,
                        lang: None,
                    },
                    None => EditError {
                        field: f.field,
                        message: f.message,
                        lang: english,
                    },
                }
            })
            .collect()),
        AppError::Conflict(m) => Ok(vec![EditError {
            field: String::new(),
            message: m,
            lang: english,
        }]),
        other => Err(other.into()),
    }
}

/// After a save: on to the scheme's page, or the editor `again` with what was wrong (422).
fn saved_or_again(result: Result<Scheme, AppError>, again: EditPage) -> Result<Response, Problem> {
    match result {
        Ok(s) => Ok(Redirect::to(&format!("/regelingen/{}", s.slug)).into_response()),
        Err(e) => Ok(render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &EditPage {
                errors: edit_errors(again.page.lang, e)?,
                ..again
            },
        )),
    }
}

/// POST /beheer/regelingen/nieuw/toml
pub async fn create(
    State(state): State<AppState>,
    auth: Authz<perm::ManageProgrammes>,
    page: PageCtx,
    CsrfForm(form): CsrfForm<EditForm>,
) -> Result<Response, Problem> {
    let slug = form.slug.trim().to_owned();
    let result = match parse_definition(&form.definition) {
        Ok(def) => state.financing().create(&auth.principal, &slug, &def).await,
        Err(e) => Err(e),
    };
    saved_or_again(
        result,
        EditPage {
            page,
            slug: None,
            slug_value: slug,
            version: 0,
            definition: form.definition,
            errors: Vec::new(),
        },
    )
}

/// GET /beheer/regelingen/{slug}/toml
pub async fn edit_form(
    State(state): State<AppState>,
    auth: Authz<perm::ManageProgrammes>,
    page: PageCtx,
    Path(slug): Path<String>,
) -> Result<Response, Problem> {
    let d = state
        .financing()
        .scheme(&slug, Some(&auth.principal))
        .await?;
    Ok(render(
        StatusCode::OK,
        &EditPage {
            page,
            slug: Some(d.scheme.slug.clone()),
            slug_value: d.scheme.slug.clone(),
            version: d.scheme.version,
            definition: definition_to_toml(&d.scheme.definition),
            errors: Vec::new(),
        },
    ))
}

/// POST /beheer/regelingen/{slug}/toml
pub async fn save(
    State(state): State<AppState>,
    auth: Authz<perm::ManageProgrammes>,
    page: PageCtx,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<EditForm>,
) -> Result<Response, Problem> {
    let result = match parse_definition(&form.definition) {
        Ok(def) => {
            state
                .financing()
                .update(&auth.principal, &slug, form.version, &def)
                .await
        }
        Err(e) => Err(e),
    };
    saved_or_again(
        result,
        EditPage {
            page,
            slug: Some(slug.clone()),
            slug_value: slug,
            version: form.version,
            definition: form.definition,
            errors: Vec::new(),
        },
    )
}

#[derive(Debug, Deserialize)]
pub struct StatusForm {
    version: i64,
    status: String,
}

/// POST /beheer/regelingen/{slug}/status
pub async fn change_status(
    State(state): State<AppState>,
    auth: Authz<perm::ManageProgrammes>,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<StatusForm>,
) -> Result<Response, Problem> {
    let status: SchemeStatus = form
        .status
        .parse()
        .map_err(|_| Problem::validation("status", "status: not a scheme status"))?;
    state
        .financing()
        .set_status(&auth.principal, &slug, form.version, status)
        .await?;
    Ok(Redirect::to(&format!("/regelingen/{slug}")).into_response())
}

/// A scheme, its budget figures (label, amount) and the percentage of the budget used.
type AdminRow = (SchemeCard, Vec<(String, String)>, u32);

#[derive(Template)]
#[template(path = "financing/schemes_admin.html")]
struct AdminPage {
    page: PageCtx,
    rows: Vec<AdminRow>,
}

/// GET /beheer/regelingen: every scheme with its budget use.
pub async fn admin_list(
    State(state): State<AppState>,
    auth: Authz<perm::ManageProgrammes>,
    page: PageCtx,
) -> Result<Response, Problem> {
    let all = state.financing().all(&auth.principal).await?;
    let lang = page.lang.code();
    let rows = all
        .iter()
        .map(|(s, u)| {
            let total = s.definition.budget.total_cents;
            let used = u.reserved_cents + u.spent_cents;
            let percent = total
                .filter(|t| *t > Money::ZERO)
                .map(|t| ((used.cents() * 100) / t.cents()).clamp(0, 100) as u32)
                .unwrap_or(0);
            let figures = vec![
                budget_total(&page, total),
                (page.t("budget-used"), used.format_euros(lang)),
            ];
            (scheme_card(&page, s), figures, percent)
        })
        .collect();
    Ok(render(StatusCode::OK, &AdminPage { page, rows }))
}

/// This feature's administration pages.
pub(crate) fn routes() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/beheer/regelingen", get(admin_list))
        .route("/beheer/regelingen/nieuw/toml", get(new_form).post(create))
        .route("/beheer/regelingen/{slug}/toml", get(edit_form).post(save))
        .merge(super::scheme_editor::routes())
        .route("/beheer/regelingen/{slug}/status", post(change_status))
}
