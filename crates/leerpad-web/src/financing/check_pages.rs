//! The financing check pages: the short questionnaire at `/financiering` that shows which
//! schemes a person may use, and the net-price box that offer pages and search results show.
//!
//! A visitor's answers live in a cookie (nothing is stored about them); a signed-in person's
//! answers are saved with their account.

use crate::authz::{Authz, MaybePrincipal, perm};
use crate::csrf::CsrfForm;
use crate::error::Problem;
use crate::explain;
use crate::financing::pages::{Choice, choices};
use crate::identity::removal_cookie;
use crate::pages::{FieldErrors, PageCtx, render};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use leerpad_app::AppError;
use leerpad_domain::financing::{
    EducationLevel, EligibilityVerdict, EmploymentStatus, InsuredWork, PersonFacts, Sector,
};
use leerpad_domain::policy::Principal;
use leerpad_domain::shared::{Money, OfferId};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The cookie that keeps a visitor's answers.
pub const SITUATION_COOKIE: &str = "leerpad_situatie";

/// The questionnaire, as posted and as kept in the cookie.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct SituationForm {
    #[serde(default)]
    pub age: String,
    #[serde(default)]
    pub employment: String,
    #[serde(default)]
    pub education: String,
    #[serde(default)]
    pub municipality: String,
    #[serde(default)]
    pub sector: String,
    /// Months worked in the last 36.
    #[serde(default)]
    pub insured_months: String,
}

impl SituationForm {
    fn from_facts(f: &PersonFacts) -> Self {
        SituationForm {
            age: f.age.map(|a| a.to_string()).unwrap_or_default(),
            employment: f.employment.map(|e| e.to_string()).unwrap_or_default(),
            education: f.education.map(|e| e.to_string()).unwrap_or_default(),
            municipality: f.municipality.clone().unwrap_or_default(),
            sector: f.sector.map(|s| s.to_string()).unwrap_or_default(),
            insured_months: f
                .insured_work
                .map(|w| w.months.to_string())
                .unwrap_or_default(),
        }
    }

    /// The answers as facts; each unreadable answer becomes a field error.
    fn to_facts(&self, page: &PageCtx, errors: &mut FieldErrors) -> PersonFacts {
        let mut facts = PersonFacts::default();
        let age = self.age.trim();
        if !age.is_empty() {
            match age.parse::<u8>() {
                Ok(a) => facts.age = Some(a),
                Err(_) => errors.add("age", page.t("situation-error-age")),
            }
        }
        facts.employment = self.employment.parse().ok();
        facts.education = self.education.parse().ok();
        facts.sector = self.sector.parse().ok();
        let m = self.municipality.trim();
        if !m.is_empty() {
            facts.municipality = Some(m.to_owned());
        }
        let months = self.insured_months.trim();
        if !months.is_empty() {
            match months.parse::<u16>() {
                Ok(n) if n <= 36 => {
                    facts.insured_work = Some(InsuredWork {
                        months: n,
                        window_months: 36,
                    })
                }
                _ => errors.add("insured_months", page.t("situation-error-months")),
            }
        }
        facts
    }
}

/// The person's answers: from the account when signed in, else from the cookie.
pub async fn situation_of(
    state: &AppState,
    viewer: Option<&Principal>,
    jar: &CookieJar,
) -> Option<PersonFacts> {
    if let Some(p) = viewer {
        return state.financing().situation(p).await.ok().flatten();
    }
    visitor_answers(state, jar)
}

/// The answers a visitor gave before signing in, kept in their cookie (when still valid).
pub fn visitor_answers(state: &AppState, jar: &CookieJar) -> Option<PersonFacts> {
    let raw = jar.get(SITUATION_COOKIE)?.value().to_owned();
    let form: SituationForm = serde_urlencoded::from_str(&raw).ok()?;
    let page_errors = &mut FieldErrors::default();
    let facts = form.to_facts(&PageCtx::anonymous(), page_errors);
    (page_errors.is_empty() && state.financing().validate_facts(&facts).is_ok()).then_some(facts)
}

pub struct VerdictRow {
    pub slug: String,
    pub title: String,
    pub message: String,
}

#[derive(Template)]
#[template(path = "financing/financing.html")]
struct FinancingPage {
    page: PageCtx,
    form: SituationForm,
    errors: FieldErrors,
    employments: Vec<Choice>,
    educations: Vec<Choice>,
    sectors: Vec<Choice>,
    answered: bool,
    signed_in: bool,
    eligible: Vec<VerdictRow>,
    unknown: Vec<VerdictRow>,
    not_eligible: Vec<VerdictRow>,
}

async fn financing_page(
    state: &AppState,
    page: PageCtx,
    form: SituationForm,
    errors: FieldErrors,
    facts: Option<PersonFacts>,
    signed_in: bool,
    status: StatusCode,
) -> Result<Response, Problem> {
    let (mut eligible, mut unknown, mut not_eligible) = (Vec::new(), Vec::new(), Vec::new());
    let answered = facts.is_some();
    if let Some(facts) = facts {
        let (book, verdicts) = state.financing().check_person(&facts).await?;
        let titles: HashMap<String, String> = book
            .entries()
            .iter()
            .map(|e| {
                (
                    e.scheme.slug.clone(),
                    e.scheme.definition.name.get(page.lang.code()).to_owned(),
                )
            })
            .collect();
        for v in &verdicts {
            let mut row = VerdictRow {
                slug: v.scheme.clone(),
                title: titles
                    .get(&v.scheme)
                    .cloned()
                    .unwrap_or_else(|| v.scheme.clone()),
                message: String::new(),
            };
            match &v.verdict {
                EligibilityVerdict::Eligible => eligible.push(row),
                EligibilityVerdict::Unknown { missing } => {
                    row.message = explain::missing(page.lang, missing);
                    unknown.push(row);
                }
                EligibilityVerdict::NotEligible { why } => {
                    row.message = explain::not_applied(page.lang, why, &titles);
                    not_eligible.push(row);
                }
            }
        }
    }
    Ok(render(
        status,
        &FinancingPage {
            employments: choices(&page, EmploymentStatus::ALL, "employment", &form.employment),
            educations: choices(&page, EducationLevel::ALL, "education", &form.education),
            sectors: choices(&page, Sector::ALL, "sector", &form.sector),
            form,
            errors,
            answered,
            signed_in,
            eligible,
            unknown,
            not_eligible,
            page,
        },
    ))
}

/// GET /financiering: the questionnaire, with the outcome when answers are known.
pub async fn questionnaire(
    State(state): State<AppState>,
    page: PageCtx,
    MaybePrincipal(viewer): MaybePrincipal,
    jar: CookieJar,
) -> Result<Response, Problem> {
    let facts = situation_of(&state, viewer.as_ref(), &jar).await;
    // What the skills profile already says is not asked again (shown, saved only on submit).
    let mut shown = facts.clone().unwrap_or_default();
    if let Some(p) = &viewer
        && let Ok(profile) = state.matching().profile(p).await
    {
        profile.complete_facts(&mut shown);
    }
    let mut form = SituationForm::from_facts(&shown);
    // A municipality kept as its CBS code is shown by its name.
    if let Some(m) = state.matching().regions().municipality(&form.municipality) {
        form.municipality = m.name.clone();
    }
    let facts = match facts {
        Some(f) => Some(
            state
                .financing()
                .facts_for(viewer.as_ref(), Some(f))
                .await?,
        ),
        None => None,
    };
    financing_page(
        &state,
        page,
        form,
        FieldErrors::default(),
        facts,
        viewer.is_some(),
        StatusCode::OK,
    )
    .await
}

#[derive(Debug, Deserialize)]
pub struct SituationPost {
    #[serde(flatten)]
    form: SituationForm,
}

/// POST /financiering: keep the answers (account or cookie) and show the outcome.
pub async fn answer(
    State(state): State<AppState>,
    page: PageCtx,
    MaybePrincipal(viewer): MaybePrincipal,
    jar: CookieJar,
    CsrfForm(post): CsrfForm<SituationPost>,
) -> Result<Response, Problem> {
    let form = post.form;
    let mut errors = FieldErrors::default();
    let facts = form.to_facts(&page, &mut errors);
    if errors.is_empty()
        && let Err(AppError::InvalidFields(list)) = state.financing().validate_facts(&facts)
    {
        for e in list {
            errors.add(
                &e.field,
                page.t(&format!("situation-error-{}", e.field.replace('_', "-"))),
            );
        }
    }
    if !errors.is_empty() {
        let signed_in = viewer.is_some();
        return financing_page(
            &state,
            page,
            form,
            errors,
            None,
            signed_in,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    match &viewer {
        Some(p) => {
            state.financing().save_situation(p, &facts).await?;
            Ok(Redirect::to("/financiering").into_response())
        }
        None => {
            let value = serde_urlencoded::to_string(&form).unwrap_or_default();
            let cookie = Cookie::build((SITUATION_COOKIE, value))
                .path("/")
                .http_only(true)
                .same_site(SameSite::Lax)
                .secure(state.config().secure_cookies)
                .max_age(time::Duration::days(30))
                .build();
            Ok((jar.add(cookie), Redirect::to("/financiering")).into_response())
        }
    }
}

/// The financing box of an offer page.
pub struct OfferFinancingView {
    pub net: String,
    pub gross: String,
    pub applied: Vec<(String, String, String)>,
    pub possible: Vec<VerdictRow>,
    pub not_applied: Vec<VerdictRow>,
}

/// The financing of one offer for the page, when the person has answered the questionnaire.
pub async fn offer_financing(
    state: &AppState,
    page: &PageCtx,
    viewer: Option<&Principal>,
    jar: &CookieJar,
    offer_id: i64,
) -> Option<OfferFinancingView> {
    let facts = situation_of(state, viewer, jar).await?;
    let facts = state
        .financing()
        .facts_for(viewer, Some(facts))
        .await
        .ok()?;
    let check = state
        .financing()
        .check_offer(&facts, OfferId::new(offer_id))
        .await
        .ok()?;
    let lang = page.lang.code();
    let titles: HashMap<String, String> = check
        .schemes
        .iter()
        .map(|(k, s)| (k.clone(), s.definition.name.get(lang).to_owned()))
        .collect();
    let title = |slug: &str| titles.get(slug).cloned().unwrap_or_else(|| slug.to_owned());
    let f = &check.financing;
    let euros = |v: Money| v.format_euros(lang);
    Some(OfferFinancingView {
        net: euros(f.net_cents),
        gross: euros(f.gross_cents),
        applied: f
            .applied
            .iter()
            .map(|a| {
                (
                    title(&a.scheme),
                    euros(a.amount_cents),
                    page.t(&format!("payment-{}", a.payment)),
                )
            })
            .collect(),
        possible: f
            .possible
            .iter()
            .map(|p| VerdictRow {
                slug: p.scheme.clone(),
                title: title(&p.scheme),
                message: explain::missing(page.lang, &p.missing),
            })
            .collect(),
        not_applied: f
            .not_applied
            .iter()
            .map(|r| VerdictRow {
                slug: r.scheme.clone(),
                title: title(&r.scheme),
                message: explain::not_applied(page.lang, &r.why, &titles),
            })
            .collect(),
    })
}

/// This feature's questionnaire page.
#[derive(Debug, Deserialize)]
pub struct KeepAnswers {
    /// "ja" keeps the answers in the account, anything else throws them away.
    #[serde(default)]
    bewaren: String,
}

/// POST /welkom/antwoorden: a new account keeps the answers given before registering, only
/// when the person says so; either way the cookie is removed.
pub async fn keep_answers(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnAccount>,
    jar: CookieJar,
    CsrfForm(form): CsrfForm<KeepAnswers>,
) -> Result<Response, Problem> {
    if form.bewaren == "ja"
        && let Some(facts) = visitor_answers(&state, &jar)
    {
        state
            .financing()
            .save_situation(&auth.principal, &facts)
            .await?;
    }
    let next = if form.bewaren == "ja" {
        "/financiering"
    } else {
        "/welkom"
    };
    Ok((
        jar.add(removal_cookie(SITUATION_COOKIE)),
        Redirect::to(next),
    )
        .into_response())
}

pub(crate) fn routes() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/financiering", get(questionnaire).post(answer))
        .route("/welkom/antwoorden", post(keep_answers))
}
