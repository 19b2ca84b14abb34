//! Financing pages: the public overview of schemes, one scheme, the short questionnaire that
//! shows which schemes a person may use, and the programme managers' editor.
//!
//! A visitor's answers live in a cookie (nothing is stored about them); a signed-in person's
//! answers are saved with their account. Offer pages and search results use them to show the
//! net price next to the gross price.

use crate::authz::{Authz, MaybePrincipal, perm};
use crate::csrf::CsrfForm;
use crate::error::Problem;
use crate::explain;
use crate::pages::{FieldErrors, PageCtx, format_time, render};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use leerpad_app::AppError;
use leerpad_app::financing::{SchemeFilter, definition_to_toml, parse_definition};
use leerpad_domain::financing::{
    EducationLevel, EligibilityVerdict, EmploymentStatus, FunderKind, InsuredWork, PersonFacts,
    Scheme, SchemeStatus, Sector,
};
use leerpad_domain::policy::{Action, Principal};
use leerpad_domain::shared::Money;
use leerpad_domain::shared::OfferId;
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
    let raw = jar.get(SITUATION_COOKIE)?.value().to_owned();
    let form: SituationForm = serde_urlencoded::from_str(&raw).ok()?;
    let page_errors = &mut FieldErrors::default();
    let facts = form.to_facts(&PageCtx::anonymous(), page_errors);
    (page_errors.is_empty() && state.financing().validate_facts(&facts).is_ok()).then_some(facts)
}

pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

fn choices<T: Copy + std::fmt::Display>(
    page: &PageCtx,
    all: &[T],
    prefix: &str,
    current: &str,
) -> Vec<Choice> {
    all.iter()
        .map(|v| Choice {
            value: v.to_string(),
            label: page.t(&format!("{prefix}-{v}")),
            selected: v.to_string() == current,
        })
        .collect()
}

/// A scheme in a list.
pub struct SchemeCard {
    pub slug: String,
    pub title: String,
    pub funder: String,
    pub funder_kind: String,
    pub summary: String,
    pub rule: String,
    pub example: bool,
    pub status: String,
    pub status_key: String,
}

fn scheme_card(page: &PageCtx, s: &Scheme) -> SchemeCard {
    let lang = page.lang.code();
    let description = s.definition.description.get(lang);
    let summary: String = description.split(". ").next().unwrap_or("").to_owned();
    SchemeCard {
        slug: s.slug.clone(),
        title: s.definition.name.get(lang).to_owned(),
        funder: s.definition.funder.name.clone(),
        funder_kind: page.t(&format!("funder-{}", s.definition.funder.kind)),
        summary,
        rule: explain::condition_text(page.lang, &s.definition.eligibility),
        example: s.definition.example,
        status: page.t(&format!("scheme-status-{}", s.status)),
        status_key: s.status.to_string(),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct OverviewParams {
    #[serde(default)]
    funder: String,
    #[serde(default)]
    province: String,
    #[serde(default)]
    employment: String,
}

#[derive(Template)]
#[template(path = "financing/schemes.html")]
struct SchemesPage {
    page: PageCtx,
    schemes: Vec<SchemeCard>,
    funders: Vec<Choice>,
    provinces: Vec<Choice>,
    employments: Vec<Choice>,
}

/// GET /regelingen: the public overview.
pub async fn overview(
    State(state): State<AppState>,
    page: PageCtx,
    Query(p): Query<OverviewParams>,
) -> Result<Response, Problem> {
    let filter = SchemeFilter {
        funder: p.funder.parse::<FunderKind>().ok(),
        province: state
            .financing()
            .regions()
            .provinces()
            .iter()
            .find(|x| x.eq_ignore_ascii_case(&p.province))
            .cloned(),
        employment: p.employment.parse::<EmploymentStatus>().ok(),
    };
    let schemes = state.financing().published(&filter).await?;
    let provinces = state
        .financing()
        .regions()
        .provinces()
        .iter()
        .map(|x| Choice {
            value: x.clone(),
            label: x.clone(),
            selected: filter.province.as_deref() == Some(x.as_str()),
        })
        .collect();
    let funders = choices(&page, FunderKind::ALL, "funder", &p.funder);
    let employments = choices(&page, EmploymentStatus::ALL, "employment", &p.employment);
    Ok(render(
        StatusCode::OK,
        &SchemesPage {
            schemes: schemes.iter().map(|s| scheme_card(&page, s)).collect(),
            funders,
            provinces,
            employments,
            page,
        },
    ))
}

pub struct RevisionRow {
    pub version: i64,
    pub action: String,
    pub status: String,
    pub actor: String,
    pub at: String,
}

#[derive(Template)]
#[template(path = "financing/scheme.html")]
struct SchemePage {
    page: PageCtx,
    card: SchemeCard,
    description: String,
    facts: Vec<(String, String)>,
    apply_url: Option<String>,
    via_advisor: bool,
    manager: bool,
    version: i64,
    budget: Vec<(String, String)>,
    revisions: Vec<RevisionRow>,
}

fn coverage_facts(page: &PageCtx, s: &Scheme) -> Vec<(String, String)> {
    let lang = page.lang.code();
    let d = &s.definition;
    let c = &d.coverage;
    let euros = |v: Money| crate::catalogue::pages::euros(v.cents(), lang);
    let mut out = vec![
        (
            page.t("scheme-funder"),
            format!(
                "{} ({})",
                d.funder.name,
                page.t(&format!("funder-{}", d.funder.kind))
            ),
        ),
        (
            page.t("scheme-benefit"),
            page.t(&format!("benefit-{}", d.benefit)),
        ),
    ];
    match c.fixed_amount_cents {
        Some(v) => out.push((page.t("scheme-amount"), euros(v))),
        None => out.push((page.t("scheme-percent"), format!("{}%", c.percent))),
    }
    if !c.cost_kinds.is_empty() {
        out.push((
            page.t("scheme-cost-kinds"),
            c.cost_kinds
                .iter()
                .map(|k| page.t(&format!("cost-{k}")))
                .collect::<Vec<_>>()
                .join(", "),
        ));
    }
    if !c.offer_kinds.is_empty() {
        out.push((
            page.t("scheme-offer-kinds"),
            c.offer_kinds
                .iter()
                .map(|k| page.t(&format!("kind-{k}")))
                .collect::<Vec<_>>()
                .join(", "),
        ));
    }
    if let Some(v) = c.max_per_award_cents {
        out.push((page.t("scheme-max-award"), euros(v)));
    }
    if let Some(v) = c.max_per_person_per_year_cents {
        out.push((page.t("scheme-max-year"), euros(v)));
    }
    if c.own_contribution_cents > Money::ZERO || c.own_contribution_percent > 0 {
        let mut parts = Vec::new();
        if c.own_contribution_cents > Money::ZERO {
            parts.push(euros(c.own_contribution_cents));
        }
        if c.own_contribution_percent > 0 {
            parts.push(format!("{}%", c.own_contribution_percent));
        }
        out.push((page.t("scheme-own"), parts.join(" + ")));
    }
    out.push((
        page.t("scheme-payment"),
        page.t(&format!("payment-{}", d.payment)),
    ));
    let date = |x: Option<leerpad_domain::shared::Date>| {
        x.map(leerpad_domain::shared::iso_date_option::format)
            .unwrap_or_else(|| "…".into())
    };
    out.push((
        page.t("scheme-period"),
        format!("{} – {}", date(d.period.from), date(d.period.until)),
    ));
    if let Some(n) = d.budget.max_awards_per_offer {
        out.push((page.t("scheme-cap"), n.to_string()));
    }
    if !d.stacking.excludes.is_empty() {
        out.push((page.t("scheme-excludes"), d.stacking.excludes.join(", ")));
    }
    out
}

/// GET /regelingen/{slug}
pub async fn detail(
    State(state): State<AppState>,
    page: PageCtx,
    MaybePrincipal(viewer): MaybePrincipal,
    Path(slug): Path<String>,
) -> Result<Response, Problem> {
    let d = state.financing().scheme(&slug, viewer.as_ref()).await?;
    let manager = viewer.is_some_and(|v| v.authorize(Action::ManageProgrammes).is_ok());
    let s = &d.scheme;
    let lang = page.lang.code();
    let euros = |v: Money| crate::catalogue::pages::euros(v.cents(), lang);
    let budget = if manager {
        let mut rows = vec![
            (
                page.t("budget-total"),
                s.definition
                    .budget
                    .total_cents
                    .map(euros)
                    .unwrap_or_else(|| page.t("budget-open")),
            ),
            (
                page.t("budget-reserved"),
                euros(d.budget_use.reserved_cents),
            ),
            (page.t("budget-spent"), euros(d.budget_use.spent_cents)),
        ];
        if let Some(left) = d.budget_use.remaining(s.definition.budget.total_cents) {
            rows.push((page.t("budget-left"), euros(left)));
        }
        rows
    } else {
        Vec::new()
    };
    let revisions = d
        .revisions
        .iter()
        .map(|r| RevisionRow {
            version: r.version,
            action: page.t(&format!("revision-{}", r.action)),
            status: page.t(&format!("scheme-status-{}", r.status)),
            actor: r
                .actor_email
                .clone()
                .unwrap_or_else(|| page.t("revision-system")),
            at: format_time(r.at),
        })
        .collect();
    Ok(render(
        StatusCode::OK,
        &SchemePage {
            card: scheme_card(&page, s),
            description: s.definition.description.get(lang).to_owned(),
            facts: coverage_facts(&page, s),
            apply_url: s.definition.application.url.clone(),
            via_advisor: s.definition.application.via_advisor,
            manager,
            version: s.version,
            budget,
            revisions,
            page,
        },
    ))
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
    let form = facts
        .as_ref()
        .map(SituationForm::from_facts)
        .unwrap_or_default();
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
    let euros = |v: Money| crate::catalogue::pages::euros(v.cents(), lang);
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

#[derive(Template)]
#[template(path = "financing/scheme_edit.html")]
struct EditPage {
    page: PageCtx,
    /// None when creating.
    slug: Option<String>,
    slug_value: String,
    version: i64,
    definition: String,
    errors: Vec<(String, String)>,
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

/// GET /beheer/regelingen/nieuw
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

fn edit_errors(e: AppError) -> Result<Vec<(String, String)>, Problem> {
    match e {
        AppError::InvalidFields(list) => {
            Ok(list.into_iter().map(|f| (f.field, f.message)).collect())
        }
        AppError::Conflict(m) => Ok(vec![(String::new(), m)]),
        other => Err(other.into()),
    }
}

/// POST /beheer/regelingen/nieuw
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
    match result {
        Ok(s) => Ok(Redirect::to(&format!("/regelingen/{}", s.slug)).into_response()),
        Err(e) => Ok(render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &EditPage {
                page,
                slug: None,
                slug_value: slug,
                version: 0,
                definition: form.definition,
                errors: edit_errors(e)?,
            },
        )),
    }
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

/// POST /beheer/regelingen/{slug}
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
    match result {
        Ok(s) => Ok(Redirect::to(&format!("/regelingen/{}", s.slug)).into_response()),
        Err(e) => Ok(render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &EditPage {
                page,
                slug: Some(slug.clone()),
                slug_value: slug,
                version: form.version,
                definition: form.definition,
                errors: edit_errors(e)?,
            },
        )),
    }
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
                (
                    page.t("budget-total"),
                    total
                        .map(|t| crate::catalogue::pages::euros(t.cents(), lang))
                        .unwrap_or_else(|| page.t("budget-open")),
                ),
                (
                    page.t("budget-used"),
                    crate::catalogue::pages::euros(used.cents(), lang),
                ),
            ];
            (scheme_card(&page, s), figures, percent)
        })
        .collect();
    Ok(render(StatusCode::OK, &AdminPage { page, rows }))
}

/// This feature's pages.
pub(crate) fn routes() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/regelingen", get(overview))
        .route("/regelingen/{slug}", get(detail))
        .route("/financiering", get(questionnaire).post(answer))
        .route("/beheer/regelingen", get(admin_list))
        .route("/beheer/regelingen/nieuw", get(new_form).post(create))
        .route("/beheer/regelingen/{slug}", get(edit_form).post(save))
        .route("/beheer/regelingen/{slug}/status", post(change_status))
}
