//! Employer pages (no JavaScript needed).

use crate::authz::{Authz, perm};
use crate::csrf::CsrfForm;
use crate::error::Problem;
use crate::pages::{FieldErrors, PageCtx, field_problems, long_date, render};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use leerpad_app::error::AppError;
use leerpad_domain::employers::ports::StoredExchange;
use leerpad_domain::employers::{CompanyInput, CompanySize, ExchangeInput};
use leerpad_domain::policy::Principal;
use std::collections::HashMap;

/// An exchange as listed.
pub struct ExchangeRow {
    pub company: String,
    pub kind: String,
    pub title: String,
    pub place: String,
    pub when: String,
    /// (label, shown in English because ESCO has no label in the page's language)
    pub skills: Vec<(String, bool)>,
    pub places: u32,
}

fn row(state: &AppState, page: &PageCtx, s: &StoredExchange) -> ExchangeRow {
    let e = &s.exchange;
    let tax = &state.taxonomy().taxonomy;
    let skills = e
        .skills
        .iter()
        .filter_map(|uri| tax.skill_id(uri).and_then(|id| tax.skill(id)))
        .filter_map(|s| {
            leerpad_domain::taxonomy::texts_in(&s.texts, page.lang.code())
                .map(|(t, fallback)| (t.preferred.clone(), fallback))
        })
        .collect();
    let when = match (e.starts_on, e.ends_on) {
        (Some(s), Some(u)) => page.t_args(
            "initiative-period",
            &[("from", long_date(s, page)), ("until", long_date(u, page))],
        ),
        _ => String::new(),
    };
    ExchangeRow {
        company: s.company.clone(),
        kind: page.t(&format!("employer-kind-{}", e.kind)),
        title: e.title.clone(),
        place: state
            .employers()
            .regions()
            .municipality(&e.municipality)
            .map(|m| m.name.clone())
            .unwrap_or_default(),
        when,
        skills,
        places: e.places,
    }
}

#[derive(Template)]
#[template(path = "employers/home.html")]
struct HomePage {
    page: PageCtx,
    company: Option<String>,
    form: HashMap<String, String>,
    sizes: Vec<(String, String)>,
    mine: Vec<ExchangeRow>,
    /// (our exchange's id and title, their exchange's id and row, fit in percent)
    matches: Vec<(i64, String, i64, ExchangeRow, u32)>,
    proposals: Vec<ProposalRow>,
    errors: FieldErrors,
    refusal: Option<String>,
    /// A fresh key for the deposit form, so sending it twice pays once.
    deposit_key: String,
    /// What the last deposit did, in a sentence; and its problems.
    deposit_done: Option<String>,
    deposit_problems: Vec<String>,
}

impl HomePage {
    fn v(&self, name: &str) -> String {
        self.form.get(name).cloned().unwrap_or_default()
    }
}

async fn home_page(
    state: &AppState,
    page: PageCtx,
    principal: &Principal,
    form: Option<HashMap<String, String>>,
    errors: FieldErrors,
    refusal: Option<String>,
) -> Result<Response, Problem> {
    home_page_with(
        state,
        page,
        principal,
        form,
        errors,
        refusal,
        None,
        Vec::new(),
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn home_page_with(
    state: &AppState,
    page: PageCtx,
    principal: &Principal,
    form: Option<HashMap<String, String>>,
    errors: FieldErrors,
    refusal: Option<String>,
    deposit_done: Option<String>,
    deposit_problems: Vec<String>,
) -> Result<Response, Problem> {
    let company = state.employers().company(principal).await?;
    let (mine, found) = state.employers().exchanges(principal).await?;
    let title_of = |id: i64| {
        mine.iter()
            .find(|e| e.id == id)
            .map(|e| e.exchange.title.clone())
            .unwrap_or_default()
    };
    let matches = found
        .iter()
        .map(|m| {
            (
                m.ours,
                title_of(m.ours),
                m.theirs.id,
                row(state, &page, &m.theirs),
                m.fit,
            )
        })
        .collect();
    let company_id = company.as_ref().map(|(id, _)| *id);
    let proposals = state
        .employers()
        .proposals(principal)
        .await?
        .iter()
        .map(|v| proposal_row(&page, v, company_id))
        .collect();
    let form = form.unwrap_or_else(|| {
        let mut f = HashMap::new();
        if let Some((_, c)) = &company {
            f.insert("kvk".into(), c.kvk.clone());
            f.insert("name".into(), c.name.clone());
            f.insert("sector".into(), c.sector.clone());
            let town = state
                .employers()
                .regions()
                .municipality(&c.municipality)
                .map(|m| m.name.clone())
                .unwrap_or_default();
            f.insert("municipality".into(), town);
            f.insert("size".into(), c.size.as_str().into());
        }
        f
    });
    let status = if errors.is_empty() && refusal.is_none() && deposit_problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render(
        status,
        &HomePage {
            company: company.map(|(_, c)| c.name),
            sizes: CompanySize::ALL
                .iter()
                .map(|s| (s.as_str().to_owned(), page.t(&format!("employer-size-{s}"))))
                .collect(),
            mine: mine.iter().map(|e| row(state, &page, e)).collect(),
            matches,
            proposals,
            deposit_key: leerpad_app::secret::random_token().unwrap_or_default(),
            deposit_done,
            deposit_problems,
            form,
            errors,
            refusal,
            page,
        },
    ))
}

/// A proposed exchange as listed.
pub struct ProposalRow {
    pub id: i64,
    /// "Medewerker magazijn (Logistiek Parkstad) ← Orderpicker (Maas Distributie)"
    pub what: String,
    pub status: String,
    /// What this company can do now: agree as the asker, or agree naming the employee.
    pub agree_as_asker: bool,
    pub agree_as_offerer: bool,
}

fn proposal_row(
    page: &PageCtx,
    v: &leerpad_app::employers::ProposalView,
    company: Option<i64>,
) -> ProposalRow {
    use leerpad_domain::employers::ProposalStatus;
    let p = &v.proposal;
    ProposalRow {
        id: p.id,
        what: page.t_args(
            "employer-proposal-what",
            &[
                ("ask", v.ask.exchange.title.clone()),
                ("asker", v.ask.company.clone()),
                ("offer", v.offer.exchange.title.clone()),
                ("offerer", v.offer.company.clone()),
            ],
        ),
        status: page.t(match p.status() {
            ProposalStatus::WaitingForCompany => "employer-proposal-waiting-company",
            ProposalStatus::WaitingForEmployee => "employer-proposal-waiting-employee",
            ProposalStatus::Agreed => "employer-proposal-agreed",
        }),
        agree_as_asker: company == Some(v.ask.company_id) && !p.asking_ok,
        agree_as_offerer: company == Some(v.offer.company_id) && !p.employee_ok,
    }
}

/// POST /werkgever/leerrekeningen: money from the company's bank on named staff's learning
/// accounts (`e-mail;bedrag` per line), all lines or none.
pub async fn staff_deposit(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageOwnCompany>,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> Result<Response, Problem> {
    let Some((_, company)) = state.employers().company(&auth.principal).await? else {
        let refusal = Some(page.t("employer-register-first"));
        return home_page(
            &state,
            page,
            &auth.principal,
            None,
            FieldErrors::default(),
            refusal,
        )
        .await;
    };
    let get = |k: &str| form.get(k).cloned().unwrap_or_default();
    let (lines, mut problems) = crate::ledger::staff_lines(&page, &get("staff"));
    let mut done = None;
    if problems.is_empty() {
        match state
            .ledger()
            .deposit_for_company_staff(
                &auth.principal,
                &company.name,
                &get("key"),
                &get("memo"),
                lines,
            )
            .await
        {
            Ok(transfers) => {
                done = Some(page.t_args(
                    "ledger-staff-done",
                    &[
                        ("people", transfers.len().saturating_sub(1).to_string()),
                        ("employer", company.name.clone()),
                    ],
                ))
            }
            Err(AppError::InvalidFields(list)) => problems = field_problems(page.lang, &list),
            Err(e) => return Err(e.into()),
        }
    }
    home_page_with(
        &state,
        page,
        &auth.principal,
        None,
        FieldErrors::default(),
        None,
        done,
        problems,
    )
    .await
}

/// POST /werkgever/voorstellen: propose an exchange with another company's that fits ours.
pub async fn propose(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnCompany>,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> Result<Response, Problem> {
    let id = |k: &str| form.get(k).and_then(|v| v.parse::<i64>().ok()).unwrap_or(0);
    state
        .employers()
        .propose(&auth.principal, id("ours"), id("theirs"))
        .await?;
    Ok(Redirect::to("/werkgever#voorstellen").into_response())
}

/// POST /werkgever/voorstellen/{id}/akkoord: the company agrees (the offering company naming
/// its employee).
pub async fn agree(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageOwnCompany>,
    axum::extract::Path(id): axum::extract::Path<i64>,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> Result<Response, Problem> {
    let email = form.get("employee").cloned().unwrap_or_default();
    match state.employers().agree(&auth.principal, id, &email).await {
        Ok(()) => Ok(Redirect::to("/werkgever#voorstellen").into_response()),
        Err(AppError::Invalid(_)) => {
            let refusal = Some(page.t("employer-employee-email"));
            home_page(
                &state,
                page,
                &auth.principal,
                None,
                FieldErrors::default(),
                refusal,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "employers/placements.html")]
struct PlacementsPage {
    page: PageCtx,
    /// (id, what, status, may consent now)
    rows: Vec<(i64, String, String, bool)>,
}

/// GET /uitwisseling: the placements an employer proposed the signed-in person for.
pub async fn placements(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageOwnAccount>,
) -> Result<Response, Problem> {
    use leerpad_domain::employers::ProposalStatus;
    let rows = state
        .employers()
        .my_placements(&auth.principal)
        .await?
        .iter()
        .map(|v| {
            let r = proposal_row(&page, v, None);
            (
                r.id,
                r.what,
                r.status,
                v.proposal.status() == ProposalStatus::WaitingForEmployee,
            )
        })
        .collect();
    Ok(render(StatusCode::OK, &PlacementsPage { page, rows }))
}

/// POST /uitwisseling/{id}/akkoord: the employee agrees.
pub async fn consent(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnAccount>,
    axum::extract::Path(id): axum::extract::Path<i64>,
    CsrfForm(_): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, Problem> {
    state.employers().consent(&auth.principal, id).await?;
    Ok(Redirect::to("/uitwisseling").into_response())
}

/// GET /werkgever: the company, its exchanges and the matches with other companies'.
pub async fn home(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageOwnCompany>,
) -> Result<Response, Problem> {
    home_page(
        &state,
        page,
        &auth.principal,
        None,
        FieldErrors::default(),
        None,
    )
    .await
}

/// POST /werkgever/bedrijf
pub async fn save_company(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageOwnCompany>,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> Result<Response, Problem> {
    let get = |k: &str| form.get(k).cloned().unwrap_or_default();
    let input = CompanyInput {
        kvk: get("kvk"),
        name: get("name"),
        sector: get("sector"),
        municipality: get("municipality"),
        size: get("size"),
    };
    match state
        .employers()
        .save_company(&auth.principal, &input)
        .await
    {
        Ok(_) => Ok(Redirect::to("/werkgever").into_response()),
        Err(e) => refused(&state, page, &auth.principal, form, e, "employer-kvk-taken").await,
    }
}

/// The employer's page again after a form was refused: field errors at their fields (a place
/// the domain calls `municipality` is the form's `place`), a conflict said in words
/// (`conflict_key`); anything else is a problem.
async fn refused(
    state: &AppState,
    page: PageCtx,
    principal: &Principal,
    form: HashMap<String, String>,
    error: AppError,
    conflict_key: &str,
) -> Result<Response, Problem> {
    match error {
        AppError::InvalidFields(list) => {
            let mut errors = FieldErrors::of(page.lang, &list, str::to_owned);
            if errors.has("municipality") && form.contains_key("place") {
                errors.add("place", page.t("employer-error-municipality"));
            }
            home_page(state, page, principal, Some(form), errors, None).await
        }
        AppError::Conflict(_) => {
            let refusal = Some(page.t(conflict_key));
            home_page(
                state,
                page,
                principal,
                Some(form),
                FieldErrors::default(),
                refusal,
            )
            .await
        }
        e => Err(e.into()),
    }
}

/// POST /werkgever/uitwisseling: post staff offered or asked for.
pub async fn post_exchange(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageOwnCompany>,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> Result<Response, Problem> {
    let get = |k: &str| form.get(k).cloned().unwrap_or_default();
    let input = ExchangeInput {
        kind: get("kind"),
        title: get("title"),
        description: get("description"),
        skills: get("skills").lines().map(str::to_owned).collect(),
        municipality: get("place"),
        starts_on: get("starts_on"),
        ends_on: get("ends_on"),
        places: get("places"),
    };
    match state
        .employers()
        .post_exchange(&auth.principal, &input)
        .await
    {
        Ok(_) => Ok(Redirect::to("/werkgever#uitwisseling").into_response()),
        Err(e) => {
            refused(
                &state,
                page,
                &auth.principal,
                form,
                e,
                "employer-register-first",
            )
            .await
        }
    }
}

#[derive(Template)]
#[template(path = "employers/become.html")]
struct BecomePage {
    page: PageCtx,
}

/// GET /werkgever-worden
pub async fn become_page(page: PageCtx, auth: Authz<perm::ManageOwnAccount>) -> Response {
    if auth
        .principal
        .authorize(leerpad_domain::policy::Action::ManageOwnCompany)
        .is_ok()
    {
        return Redirect::to("/werkgever").into_response();
    }
    render(StatusCode::OK, &BecomePage { page })
}

/// POST /werkgever-worden
pub async fn become_employer(
    State(state): State<AppState>,
    auth: Authz<perm::ManageOwnAccount>,
    crate::extract::ClientIp(ip): crate::extract::ClientIp,
    CsrfForm(_): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, Problem> {
    state
        .accounts()
        .become_employer(&auth.principal, Some(&ip))
        .await?;
    Ok(Redirect::to("/werkgever").into_response())
}

pub(crate) fn routes() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/werkgever", get(home))
        .route("/werkgever/bedrijf", post(save_company))
        .route("/werkgever/uitwisseling", post(post_exchange))
        .route("/werkgever/voorstellen", post(propose))
        .route("/werkgever/leerrekeningen", post(staff_deposit))
        .route("/werkgever/voorstellen/{id}/akkoord", post(agree))
        .route("/uitwisseling", get(placements))
        .route("/uitwisseling/{id}/akkoord", post(consent))
        .route("/werkgever-worden", get(become_page).post(become_employer))
}
