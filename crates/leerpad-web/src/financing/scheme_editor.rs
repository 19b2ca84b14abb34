//! The form programme managers create and edit schemes in: euros instead of cents, dates,
//! ticked lists and a hint on every field; errors on their fields in the page's language.
//! Saving goes through the same use cases as the TOML editor and the API (`Financing::create`,
//! `Financing::update` with the version the form started from).

use super::scheme_form::{Problems, SchemeForm, options};
use crate::authz::{Authz, perm};
use crate::csrf::CsrfForm;
use crate::error::Problem;
use crate::explain;
use crate::pages::{FieldErrors, PageCtx, render};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use leerpad_app::AppError;
use leerpad_domain::financing::{Condition, Scheme};
use leerpad_domain::policy::Principal;

/// One value of a select or a ticked list.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub checked: bool,
}

/// The choices of every select and ticked list on the form.
pub struct Choices {
    pub funder_kinds: Vec<Choice>,
    pub benefits: Vec<Choice>,
    pub payments: Vec<Choice>,
    pub cost_kinds: Vec<Choice>,
    pub offer_kinds: Vec<Choice>,
    pub levels: Vec<Choice>,
    pub employment: Vec<Choice>,
    pub education_at_most: Vec<Choice>,
    pub education_at_least: Vec<Choice>,
    pub sectors: Vec<Choice>,
    pub modality: Vec<Choice>,
    pub accreditation: Vec<Choice>,
    pub crebo: Vec<Choice>,
    pub excludes: Vec<Choice>,
}

/// A message about the whole form (someone else saved first), or an English one without a
/// translation, marked with `lang`.
pub struct Notice {
    pub message: String,
    pub lang: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "financing/scheme_edit.html")]
struct FormPage {
    page: PageCtx,
    /// None when creating.
    slug: Option<String>,
    /// Where the form posts to; its TOML editor is at `{base}/toml`.
    base: String,
    form: SchemeForm,
    c: Choices,
    errors: FieldErrors,
    notices: Vec<Notice>,
    /// The conditions the form has no field for, in words.
    other_rule: String,
}

fn choices_of(page: &PageCtx, field: &str, selected: &[String]) -> Vec<Choice> {
    options(field)
        .into_iter()
        .map(|(value, key)| Choice {
            checked: selected.contains(&value),
            // Quality marks are names: the key is the value itself.
            label: if key == value {
                value.clone()
            } else {
                page.t(&key)
            },
            value,
        })
        .collect()
}

/// The page showing `form`, with the other schemes to exclude.
async fn form_page(
    state: &AppState,
    principal: &Principal,
    page: PageCtx,
    slug: Option<String>,
    form: SchemeForm,
    errors: FieldErrors,
    notices: Vec<Notice>,
) -> Result<FormPage, Problem> {
    let lang = page.lang.code();
    let one = |v: &str| vec![v.to_owned()];
    let mut excludes: Vec<Choice> = state
        .financing()
        .all(principal)
        .await?
        .into_iter()
        .map(|(s, _)| s)
        .filter(|s| Some(&s.slug) != slug.as_ref())
        .map(|s: Scheme| Choice {
            checked: form.excludes.contains(&s.slug),
            label: s.definition.name.get(lang).to_owned(),
            value: s.slug,
        })
        .collect();
    // A ticked scheme that is gone stays visible, so its error can be seen and unticked.
    for gone in &form.excludes {
        if !excludes.iter().any(|c| &c.value == gone) {
            excludes.push(Choice {
                value: gone.clone(),
                label: gone.clone(),
                checked: true,
            });
        }
    }
    let c = Choices {
        funder_kinds: choices_of(&page, "funder_kind", &one(&form.funder_kind)),
        benefits: choices_of(&page, "benefit", &one(&form.benefit)),
        payments: choices_of(&page, "payment", &one(&form.payment)),
        cost_kinds: choices_of(&page, "cost_kinds", &form.cost_kinds),
        offer_kinds: choices_of(&page, "offer_kinds", &form.offer_kinds),
        levels: choices_of(&page, "levels", &form.levels),
        employment: choices_of(&page, "employment", &form.employment),
        education_at_most: choices_of(&page, "education", &one(&form.education_at_most)),
        education_at_least: choices_of(&page, "education", &one(&form.education_at_least)),
        sectors: choices_of(&page, "sectors", &form.sectors),
        modality: choices_of(&page, "modality", &form.modality),
        accreditation: choices_of(&page, "accreditation", &form.accreditation),
        crebo: ["yes", "no"]
            .into_iter()
            .map(|v| Choice {
                value: v.to_owned(),
                label: page.t(&format!("scheme-form-crebo-{v}")),
                checked: form.crebo == v,
            })
            .collect(),
        excludes,
    };
    let kept = form.kept_conditions();
    let other_rule = if kept.is_empty() {
        String::new()
    } else {
        explain::condition_text(page.lang, &Condition::All(kept))
    };
    let base = match &slug {
        Some(s) => format!("/beheer/regelingen/{s}"),
        None => "/beheer/regelingen/nieuw".to_owned(),
    };
    Ok(FormPage {
        page,
        slug,
        base,
        form,
        c,
        errors,
        notices,
        other_rule,
    })
}

/// GET /beheer/regelingen/nieuw
pub async fn new_form(
    State(state): State<AppState>,
    auth: Authz<perm::ManageProgrammes>,
    page: PageCtx,
) -> Result<Response, Problem> {
    let p = form_page(
        &state,
        &auth.principal,
        page,
        None,
        SchemeForm::blank(),
        FieldErrors::default(),
        Vec::new(),
    )
    .await?;
    Ok(render(StatusCode::OK, &p))
}

/// GET /beheer/regelingen/{slug}
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
    let s = d.scheme;
    let form = SchemeForm::from_definition(&s.slug, s.version, &s.definition, page.lang.code());
    let p = form_page(
        &state,
        &auth.principal,
        page,
        Some(s.slug.clone()),
        form,
        FieldErrors::default(),
        Vec::new(),
    )
    .await?;
    Ok(render(StatusCode::OK, &p))
}

/// POST /beheer/regelingen/nieuw
pub async fn create(
    State(state): State<AppState>,
    auth: Authz<perm::ManageProgrammes>,
    page: PageCtx,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, Problem> {
    submit(state, auth.principal, page, None, pairs).await
}

/// POST /beheer/regelingen/{slug}
pub async fn save(
    State(state): State<AppState>,
    auth: Authz<perm::ManageProgrammes>,
    page: PageCtx,
    Path(slug): Path<String>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, Problem> {
    submit(state, auth.principal, page, Some(slug), pairs).await
}

/// Read the form, save it through the use case, and go to the scheme's page; or show the form
/// again with what was wrong, having saved nothing.
async fn submit(
    state: AppState,
    principal: Principal,
    page: PageCtx,
    slug: Option<String>,
    pairs: Vec<(String, String)>,
) -> Result<Response, Problem> {
    let form = SchemeForm::from_pairs(&pairs);
    let mut problems = Problems::new();
    let mut errors = FieldErrors::default();
    let mut notices = Vec::new();
    let mut status = StatusCode::UNPROCESSABLE_ENTITY;
    if let Some(def) = form.to_definition(&mut problems) {
        let financing = state.financing();
        let result = match &slug {
            None => financing.create(&principal, &form.slug, &def).await,
            Some(s) => financing.update(&principal, s, form.version, &def).await,
        };
        match result {
            Ok(saved) => {
                return Ok(Redirect::to(&format!("/regelingen/{}", saved.slug)).into_response());
            }
            Err(AppError::InvalidFields(list)) => {
                for f in list {
                    let field = form.field_of(&f.field);
                    match f.code {
                        Some(code) if !field.is_empty() => {
                            errors.add(field, page.t_args(&format!("scheme-error-{code}"), &f.args))
                        }
                        Some(code) => notices.push(Notice {
                            message: page.t_args(&format!("scheme-error-{code}"), &f.args),
                            lang: None,
                        }),
                        None => notices.push(Notice {
                            message: format!("{}: {}", f.field, f.message),
                            lang: Some("en"),
                        }),
                    }
                }
            }
            Err(AppError::Conflict(_)) if slug.is_none() => {
                errors.add("slug", page.t("scheme-form-slug-taken"));
                status = StatusCode::CONFLICT;
            }
            Err(AppError::Conflict(_)) => {
                notices.push(Notice {
                    message: page.t("scheme-form-conflict"),
                    lang: None,
                });
                status = StatusCode::CONFLICT;
            }
            Err(other) => return Err(other.into()),
        }
    }
    for (field, key, args) in &problems {
        errors.add(field, page.t_args(key, args));
    }
    let p = form_page(&state, &principal, page, slug, form, errors, notices).await?;
    Ok(render(status, &p))
}

/// The form's routes; `admin_pages` merges them.
pub(crate) fn routes() -> axum::Router<AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/beheer/regelingen/nieuw", get(new_form).post(create))
        .route("/beheer/regelingen/{slug}", get(edit_form).post(save))
}
