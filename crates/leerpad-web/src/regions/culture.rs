//! The learning-culture survey (`/leercultuur`): a few questions on a scale of 1 to 5, for
//! employees and (with `?als=werkgever`) employers; answering again in the same quarter
//! replaces the answer. The trends are on the dashboard and the region pages.

use crate::authz::{Authz, perm};
use crate::csrf::CsrfForm;
use crate::error::Problem;
use crate::pages::{FieldErrors, PageCtx, render};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use leerpad_app::error::AppError;
use leerpad_domain::policy::Principal;
use leerpad_domain::regions::AreaKind;
use leerpad_domain::regions::culture::Audience;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Default, Deserialize)]
pub struct CultureQuery {
    /// "werkgever" for the employers' questions.
    #[serde(default)]
    als: String,
    /// Set after a saved answer.
    #[serde(default)]
    opgeslagen: Option<String>,
}

/// One question with its five choices: (value, label, checked).
pub struct QuestionView {
    pub key: String,
    pub text: String,
    pub choices: Vec<(u8, String, bool)>,
}

#[derive(Template)]
#[template(path = "regions/culture.html")]
struct CulturePage {
    page: PageCtx,
    employer: bool,
    version: u32,
    period: String,
    region: String,
    regions: Vec<(String, String)>,
    questions: Vec<QuestionView>,
    answered: bool,
    saved: bool,
    errors: FieldErrors,
}

fn audience_of(als: &str) -> Audience {
    if als == "werkgever" {
        Audience::Employer
    } else {
        Audience::Employee
    }
}

/// The labour-market region a person most likely answers for: their saved situation's.
async fn home_region(state: &AppState, principal: &Principal) -> Option<String> {
    let facts = state
        .financing()
        .situation(principal)
        .await
        .ok()
        .flatten()?;
    state
        .regional()
        .regions()
        .labour_market_of(facts.municipality.as_deref()?)
        .map(|a| a.slug)
}

async fn culture_page(
    state: &AppState,
    page: PageCtx,
    principal: &Principal,
    audience: Audience,
    given: Option<&HashMap<String, String>>,
    errors: FieldErrors,
    saved: bool,
) -> Result<Response, Problem> {
    let form = state.regional().culture_form(principal, audience).await?;
    let chosen = |key: &str| -> Option<u8> {
        match given {
            Some(g) => g.get(key).and_then(|v| v.parse().ok()),
            None => form
                .previous
                .as_ref()
                .and_then(|p| p.scores.iter().find(|(k, _)| k == key).map(|(_, s)| *s)),
        }
    };
    let questions = form
        .survey
        .questions(audience)
        .iter()
        .map(|key| QuestionView {
            key: (*key).to_owned(),
            text: page.t(&format!("culture-q-{key}")),
            choices: (1..=5u8)
                .map(|n| {
                    (
                        n,
                        page.t(&format!("culture-scale-{n}")),
                        chosen(key) == Some(n),
                    )
                })
                .collect(),
        })
        .collect();
    let region = match given {
        Some(g) => g.get("region").cloned().unwrap_or_default(),
        None => match &form.previous {
            Some(p) => p.region.clone(),
            None => home_region(state, principal).await.unwrap_or_default(),
        },
    };
    let regions = state
        .regional()
        .regions()
        .areas()
        .iter()
        .filter(|a| a.kind == AreaKind::LabourMarket)
        .map(|a| (a.slug.clone(), a.name.clone()))
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render(
        status,
        &CulturePage {
            employer: audience == Audience::Employer,
            version: form.survey.version,
            period: super::dashboard::quarter_label(&page, &form.period),
            answered: form.previous.is_some(),
            region,
            regions,
            questions,
            saved,
            errors,
            page,
        },
    ))
}

/// GET /leercultuur
pub async fn form(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageOwnAccount>,
    Query(q): Query<CultureQuery>,
) -> Result<Response, Problem> {
    let audience = audience_of(&q.als);
    culture_page(
        &state,
        page,
        &auth.principal,
        audience,
        None,
        FieldErrors::default(),
        q.opgeslagen.is_some(),
    )
    .await
}

/// POST /leercultuur
pub async fn answer(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageOwnAccount>,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> Result<Response, Problem> {
    let audience = audience_of(form.get("als").map(String::as_str).unwrap_or(""));
    let version = form
        .get("version")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let region = form.get("region").cloned().unwrap_or_default();
    let scores: BTreeMap<String, String> = form
        .iter()
        .filter(|(k, _)| !matches!(k.as_str(), "als" | "version" | "region" | "_csrf"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    match state
        .regional()
        .answer_culture(&auth.principal, audience, version, &region, &scores)
        .await
    {
        Ok(()) => {
            let als = if audience == Audience::Employer {
                "als=werkgever&"
            } else {
                ""
            };
            Ok(Redirect::to(&format!("/leercultuur?{als}opgeslagen=1")).into_response())
        }
        Err(AppError::InvalidFields(list)) => {
            let errors = FieldErrors::of(page.lang, &list, str::to_owned);
            culture_page(
                &state,
                page,
                &auth.principal,
                audience,
                Some(&form),
                errors,
                false,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
