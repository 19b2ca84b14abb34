//! Calls for cost coverage on pages (no JavaScript needed): the calls and, once one closes, its
//! published order (`/oproepen`); a provider's applications with their history and the steps
//! it can take (`/aanbieder/aanvragen`); a programme manager's review (`/beheer/oproepen/{slug}`,
//! `/beheer/aanvragen/{id}`).

use crate::authz::{Authz, MaybePrincipal, perm};
use crate::csrf::CsrfForm;
use crate::error::Problem;
use crate::pages::{PageCtx, local_time, long_date, render};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use leerpad_app::calls::Signal;
use leerpad_app::error::AppError;
use leerpad_domain::calls::ports::Application;
use leerpad_domain::calls::{ApplicationStatus, Call, EDGES, Step};
use leerpad_domain::policy::Principal;
use serde::Deserialize;

/// A call as listed.
pub struct CallRow {
    pub slug: String,
    pub title: String,
    pub budget: String,
    pub window: String,
    pub open: bool,
}

fn call_row(page: &PageCtx, c: &Call, today: leerpad_domain::shared::Date) -> CallRow {
    let d = &c.definition;
    CallRow {
        slug: c.slug.clone(),
        title: d.title.get(page.lang.code()).to_owned(),
        budget: d.budget_cents.format_euros(page.lang.code()),
        window: page.t_args(
            "calls-window",
            &[
                ("from", long_date(d.opens_on, page)),
                ("until", long_date(d.closes_on, page)),
            ],
        ),
        open: c.is_open_on(today),
    }
}

#[derive(Template)]
#[template(path = "calls/list.html")]
struct ListPage {
    page: PageCtx,
    calls: Vec<CallRow>,
}

fn today(state: &AppState) -> leerpad_domain::shared::Date {
    leerpad_domain::advice::advisors::local_day(state.clock().now()).unwrap_or(time::Date::MIN)
}

/// GET /oproepen
pub async fn list(State(state): State<AppState>, page: PageCtx) -> Result<Response, Problem> {
    let today = today(&state);
    let calls = state
        .calls()
        .calls()
        .await?
        .iter()
        .map(|c| call_row(&page, c, today))
        .collect();
    Ok(render(StatusCode::OK, &ListPage { page, calls }))
}

/// One application in a published order.
pub struct OrderRow {
    pub reference: String,
    pub amount: String,
    pub number: String,
    /// For scoring: the weighted score ("27,5").
    pub score: String,
    pub funded: bool,
}

/// One of the provider's courses it can put in an application.
pub struct ApplyRow {
    pub offer: i64,
    pub title: String,
    pub price: String,
}

#[derive(Template)]
#[template(path = "calls/detail.html")]
struct DetailPage {
    page: PageCtx,
    call: CallRow,
    description: String,
    rules: Vec<(String, String)>,
    seed: String,
    order: Vec<OrderRow>,
    /// For a verified provider while the call is open: its courses to apply with.
    apply: Vec<ApplyRow>,
    /// For a provider whose organisation is not verified yet: why it cannot apply.
    apply_note: Option<String>,
    errors: Vec<String>,
    scored: bool,
}

/// GET /oproepen/{slug}: the call's rules, and once it has closed, its published order.
pub async fn detail(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: MaybePrincipal,
    Path(slug): Path<String>,
) -> Result<Response, Problem> {
    show_call(&state, page, viewer.0.as_ref(), &slug, Vec::new()).await
}

async fn show_call(
    state: &AppState,
    page: PageCtx,
    viewer: Option<&Principal>,
    slug: &str,
    errors: Vec<String>,
) -> Result<Response, Problem> {
    let slug = slug.to_owned();
    let call = state.calls().call(&slug).await?;
    let lang = page.lang.code();
    let d = &call.definition;
    let mut rules = vec![
        (
            page.t("calls-max-application"),
            d.max_per_application_cents.format_euros(lang),
        ),
        (
            page.t("calls-min-course"),
            d.min_per_course_cents.format_euros(lang),
        ),
        (
            page.t("calls-cap"),
            d.max_places_per_course_per_year.to_string(),
        ),
        (
            page.t("calls-decided-by"),
            page.t(&format!("calls-oversubscription-{}", d.oversubscription)),
        ),
    ];
    if !d.eligibility.modalities.is_empty() {
        rules.push((
            page.t("calls-modalities"),
            d.eligibility
                .modalities
                .iter()
                .map(|m| page.t(&format!("modality-{m}")))
                .collect::<Vec<_>>()
                .join(", "),
        ));
    }
    if let Some(h) = d.eligibility.max_study_hours {
        rules.push((page.t("calls-max-hours"), h.to_string()));
    }
    for s in &d.level_spread {
        rules.push((
            page.t_args(
                "calls-level-share",
                &[("level", page.t(&format!("level-{}", s.level)))],
            ),
            format!("{}%", s.max_percent),
        ));
    }
    let (seed, order) = match state.calls().published_order(&slug).await {
        Ok(o) => (
            o.seed.unwrap_or_default(),
            o.ranked
                .into_iter()
                .map(|r| OrderRow {
                    reference: r.reference,
                    amount: leerpad_domain::shared::Money::from_cents(r.amount_cents)
                        .format_euros(lang),
                    number: r.number,
                    score: r
                        .score
                        .map(|t| crate::quality::tenths(t, lang))
                        .unwrap_or_default(),
                    funded: r.funded,
                })
                .collect(),
        ),
        Err(AppError::Conflict(_)) => (String::new(), Vec::new()),
        Err(e) => return Err(e.into()),
    };
    let today = today(state);
    let mut apply = Vec::new();
    let mut apply_note = None;
    if let Some(p) = viewer
        && call.is_open_on(today)
        && p.authorize(leerpad_domain::policy::Action::ManageOwnOffers)
            .is_ok()
    {
        match state.catalogue().own_offers(p).await {
            Ok((provider, offers)) if provider.verified => {
                apply = offers
                    .iter()
                    .filter(|o| {
                        o.content.status == leerpad_domain::catalogue::OfferStatus::Published
                    })
                    .map(|o| ApplyRow {
                        offer: o.id.get(),
                        title: o.content.title.get(lang).to_owned(),
                        price: o.content.gross_price_cents().format_euros(lang),
                    })
                    .collect();
            }
            Ok(_) => apply_note = Some(page.t("application-refused-unverified")),
            Err(AppError::NoProvider) => apply_note = Some(page.t("calls-apply-register")),
            Err(e) => return Err(e.into()),
        }
    }
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let scored = order.iter().any(|o| !o.score.is_empty());
    Ok(render(
        status,
        &DetailPage {
            call: call_row(&page, &call, today),
            description: d.description.get(lang).to_owned(),
            rules,
            seed,
            order,
            apply,
            apply_note,
            errors,
            scored,
            page,
        },
    ))
}

/// POST /oproepen/{slug}/aanvragen: a provider's application as a draft, one line per course
/// with places (`plaatsen-{offer}`), price per participant in euros (`prijs-{offer}`) and dates
/// (`start-{offer}`, `einde-{offer}`); courses without places are left out.
pub async fn apply(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageOwnOffers>,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<std::collections::HashMap<String, String>>,
) -> Result<Response, Problem> {
    let mut lines = Vec::new();
    let mut problems = Vec::new();
    let mut offers: Vec<i64> = form
        .keys()
        .filter_map(|k| k.strip_prefix("plaatsen-").and_then(|o| o.parse().ok()))
        .collect();
    offers.sort_unstable();
    for offer in offers {
        let get = |k: &str| {
            form.get(&format!("{k}-{offer}"))
                .map(|v| v.trim())
                .unwrap_or("")
        };
        let places = get("plaatsen");
        if places.is_empty() || places == "0" {
            continue;
        }
        let date = |k: &str| leerpad_domain::shared::iso_date_option::parse(get(k));
        match (
            places.parse::<u32>(),
            leerpad_domain::shared::Money::parse_euros(get("prijs")),
            date("start"),
            date("einde"),
        ) {
            (Ok(places), Some(price), Some(starts_on), Some(ends_on)) => {
                lines.push(leerpad_domain::calls::ApplicationLine {
                    offer: leerpad_domain::shared::OfferId::new(offer),
                    places,
                    price_per_participant_cents: price,
                    starts_on,
                    ends_on,
                })
            }
            _ => problems.push(page.t("calls-apply-line-problem")),
        }
    }
    if lines.is_empty() && problems.is_empty() {
        problems.push(page.t("calls-apply-none"));
    }
    if !problems.is_empty() {
        problems.dedup();
        return show_call(&state, page, Some(&auth.principal), &slug, problems).await;
    }
    match state.calls().apply(&auth.principal, &slug, &lines).await {
        Ok(app) => Ok(Redirect::to(&format!("/aanbieder/aanvragen/{}", app.id)).into_response()),
        Err(e) => match refusal(&page, &e) {
            Some(text) => show_call(&state, page, Some(&auth.principal), &slug, vec![text]).await,
            None => Err(e.into()),
        },
    }
}

/// An application as listed.
pub struct ApplicationRow {
    pub id: i64,
    pub reference: String,
    pub amount: String,
    pub status: String,
    pub deadline: String,
}

fn application_row(page: &PageCtx, a: &Application) -> ApplicationRow {
    ApplicationRow {
        id: a.id,
        reference: a.reference(),
        amount: a.amount.format_euros(page.lang.code()),
        status: page.t(&format!("application-status-{}", a.workflow.status)),
        deadline: a
            .workflow
            .deadline
            .map(|d| long_date(d, page))
            .unwrap_or_default(),
    }
}

#[derive(Template)]
#[template(path = "calls/applications.html")]
struct ApplicationsPage {
    page: PageCtx,
    title: String,
    intro: String,
    /// Where a row links to: `/aanbieder/aanvragen/` or `/beheer/aanvragen/`.
    base: &'static str,
    rows: Vec<ApplicationRow>,
    /// For programme managers: the signals, in sentences.
    signals: Vec<String>,
}

/// GET /aanbieder/aanvragen: the provider's applications.
pub async fn mine(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageOwnOffers>,
) -> Result<Response, Problem> {
    let rows = state
        .calls()
        .my_applications(&auth.principal)
        .await?
        .iter()
        .map(|a| application_row(&page, a))
        .collect();
    Ok(render(
        StatusCode::OK,
        &ApplicationsPage {
            title: page.t("calls-mine-title"),
            intro: page.t("calls-mine-intro"),
            base: "/aanbieder/aanvragen/",
            rows,
            signals: Vec::new(),
            page,
        },
    ))
}

/// GET /beheer/oproepen/{slug}: a call's applications for its programme managers.
pub async fn of_call(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageProgrammes>,
    Path(slug): Path<String>,
) -> Result<Response, Problem> {
    let call = state.calls().call(&slug).await?;
    let rows = state
        .calls()
        .applications(&auth.principal, &slug)
        .await?
        .iter()
        .map(|a| application_row(&page, a))
        .collect();
    let lang = page.lang.code();
    let signals = state
        .calls()
        .signals(&auth.principal, &slug)
        .await?
        .into_iter()
        .map(|s| match s {
            Signal::PriceRaised {
                reference,
                course,
                approved,
                now,
            } => page.t_args(
                "calls-signal-price",
                &[
                    ("reference", reference),
                    ("course", course),
                    ("approved", approved.format_euros(lang)),
                    ("now", now.format_euros(lang)),
                ],
            ),
            Signal::NoShows {
                provider,
                no_shows,
                taken,
            } => page.t_args(
                "calls-signal-no-shows",
                &[
                    ("provider", provider),
                    ("count", no_shows.to_string()),
                    ("taken", taken.to_string()),
                ],
            ),
            Signal::Rush {
                course,
                last_week,
                before,
            } => page.t_args(
                "calls-signal-rush",
                &[
                    ("course", course),
                    ("count", last_week.to_string()),
                    ("before", before.to_string()),
                ],
            ),
        })
        .collect();
    Ok(render(
        StatusCode::OK,
        &ApplicationsPage {
            title: call.definition.title.get(page.lang.code()).to_owned(),
            intro: page.t("calls-review-intro"),
            base: "/beheer/aanvragen/",
            rows,
            signals,
            page,
        },
    ))
}

/// A step a form offers.
pub struct StepForm {
    /// The step's name in the address (`indienen`, `goedkeuren`, …).
    pub path: &'static str,
    pub label: String,
    /// The label of the text the step needs (reason, question, answer, grounds), if any.
    pub text_label: Option<String>,
}

/// One step in the history.
pub struct HistoryRow {
    pub at: String,
    pub step: String,
    pub text: String,
}

#[derive(Template)]
#[template(path = "calls/application.html")]
struct ApplicationPage {
    page: PageCtx,
    row: ApplicationRow,
    /// (course, places, price per participant, dates)
    lines: Vec<(String, String, String, String)>,
    history: Vec<HistoryRow>,
    forms: Vec<StepForm>,
    /// `/aanbieder/aanvragen/{id}` or `/beheer/aanvragen/{id}`.
    action_base: String,
    /// For the provider of an approved application: (offer id, course, places) to declare
    /// completions for.
    settle: Vec<(i64, String, u32)>,
    errors: Vec<String>,
    /// For programme managers of a call decided by scoring: each criterion (name, weight) and
    /// the weighted score so far.
    criteria: Vec<(String, u8)>,
    score: Option<String>,
}

/// The Dutch address of each step, and whether the provider takes it.
const STEPS: [(&str, &str, bool); 12] = [
    ("submit", "indienen", true),
    ("withdraw", "intrekken", true),
    ("answer", "antwoorden", true),
    ("object", "bezwaar", true),
    ("start_check", "toetsen", false),
    ("admissible", "ontvankelijk", false),
    ("inadmissible", "niet-ontvankelijk", false),
    ("request_information", "vraag-stellen", false),
    ("approve", "goedkeuren", false),
    ("reject", "afwijzen", false),
    ("uphold", "bezwaar-gegrond", false),
    ("dismiss", "bezwaar-ongegrond", false),
];

fn needs_text(step: &str) -> bool {
    matches!(
        step,
        "answer" | "object" | "inadmissible" | "request_information" | "reject" | "dismiss"
    )
}

fn step_from(path: &str, text: String) -> Option<Step> {
    let name = STEPS.iter().find(|(_, p, _)| *p == path)?.0;
    Step::named(name, text)
}

fn forms_for(page: &PageCtx, status: ApplicationStatus, provider: bool) -> Vec<StepForm> {
    STEPS
        .iter()
        .filter(|(name, _, by_provider)| {
            *by_provider == provider
                && EDGES
                    .iter()
                    .any(|(from, step, _)| *from == status && step == name)
        })
        .map(|(name, path, _)| StepForm {
            path,
            label: page.t(&format!("application-step-{name}")),
            text_label: needs_text(name).then(|| page.t(&format!("application-text-{name}"))),
        })
        .collect()
}

async fn show(
    state: &AppState,
    page: PageCtx,
    principal: &Principal,
    id: i64,
    provider: bool,
    errors: Vec<String>,
) -> Result<Response, Problem> {
    let (app, events) = state.calls().application(principal, id).await?;
    let lang = page.lang.code();
    let titles = state.calls().course_titles(&app, lang).await?;
    let settle = if provider && app.workflow.status == ApplicationStatus::Approved {
        app.lines
            .iter()
            .zip(&titles)
            .map(|(l, t)| (l.offer.get(), t.clone(), l.places))
            .collect()
    } else {
        Vec::new()
    };
    let mut lines = Vec::new();
    for (l, title) in app.lines.iter().zip(titles) {
        lines.push((
            title,
            l.places.to_string(),
            l.price_per_participant_cents.format_euros(lang),
            page.t_args(
                "calls-dates",
                &[
                    ("from", long_date(l.starts_on, &page)),
                    ("until", long_date(l.ends_on, &page)),
                ],
            ),
        ));
    }
    let history = events
        .iter()
        .map(|e| HistoryRow {
            at: local_time(e.at, &page),
            step: page.t(&format!("application-step-{}", e.step)),
            text: e.text.clone().unwrap_or_default(),
        })
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::CONFLICT
    };
    let (criteria, score) = if provider {
        (Vec::new(), None)
    } else {
        match state.calls().scoring_of(principal, &app).await? {
            Some((criteria, score)) => (
                criteria
                    .iter()
                    .map(|c| (c.name.get(lang).to_owned(), c.weight))
                    .collect(),
                score.map(|t| crate::quality::tenths(t, lang)),
            ),
            None => (Vec::new(), None),
        }
    };
    Ok(render(
        status,
        &ApplicationPage {
            criteria,
            score,
            row: application_row(&page, &app),
            lines,
            history,
            forms: forms_for(&page, app.workflow.status, provider),
            action_base: if provider {
                format!("/aanbieder/aanvragen/{id}")
            } else {
                format!("/beheer/aanvragen/{id}")
            },
            errors,
            settle,
            page,
        },
    ))
}

/// A refused step in the page's words: a rule's refusal by its code, a conflict, or fields.
fn refusal(page: &PageCtx, e: &AppError) -> Option<String> {
    match e {
        AppError::Refused {
            code,
            args,
            message,
        } => Some(
            crate::pages::refusal_text(page, code, args, "application")
                .unwrap_or_else(|| page.t_args("calls-refused", &[("reason", message.clone())])),
        ),
        AppError::Conflict(why) => Some(page.t_args("calls-refused", &[("reason", why.clone())])),
        AppError::InvalidFields(list) => {
            Some(crate::pages::field_problems(page.lang, list).join(" "))
        }
        _ => None,
    }
}

/// POST /aanbieder/aanvragen/{id}/afronden: how many completed each course, with proof.
pub async fn settle(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageOwnOffers>,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<std::collections::HashMap<String, String>>,
) -> Result<Response, Problem> {
    let mut completions = Vec::new();
    for (key, value) in &form {
        if let Some(offer) = key.strip_prefix("completed-").and_then(|o| o.parse().ok()) {
            let completed = value.trim().parse().unwrap_or(u32::MAX);
            completions.push(leerpad_domain::calls::Completion {
                offer: leerpad_domain::shared::OfferId::new(offer),
                completed,
            });
        }
    }
    completions.sort_by_key(|c| c.offer);
    let step = Step::Settle {
        completions,
        proof: form.get("text").cloned().unwrap_or_default(),
    };
    match state.calls().step(&auth.principal, id, &step).await {
        Ok(_) => Ok(Redirect::to(&format!("/aanbieder/aanvragen/{id}")).into_response()),
        Err(e) => match refusal(&page, &e) {
            Some(text) => show(&state, page, &auth.principal, id, true, vec![text]).await,
            None => Err(e.into()),
        },
    }
}

/// GET /aanbieder/aanvragen/{id}
pub async fn provider_view(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageOwnOffers>,
    Path(id): Path<i64>,
) -> Result<Response, Problem> {
    show(&state, page, &auth.principal, id, true, Vec::new()).await
}

/// GET /beheer/aanvragen/{id}
pub async fn manager_view(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageProgrammes>,
    Path(id): Path<i64>,
) -> Result<Response, Problem> {
    show(&state, page, &auth.principal, id, false, Vec::new()).await
}

#[derive(Debug, Default, Deserialize)]
pub struct StepText {
    #[serde(default)]
    text: String,
}

async fn take_step(
    state: &AppState,
    page: PageCtx,
    principal: &Principal,
    id: i64,
    path: &str,
    text: String,
    provider: bool,
) -> Result<Response, Problem> {
    let Some(step) = step_from(path, text) else {
        return Err(AppError::NotFound("step").into());
    };
    match state.calls().step(principal, id, &step).await {
        Ok(_) => {
            let base = if provider {
                "/aanbieder/aanvragen"
            } else {
                "/beheer/aanvragen"
            };
            Ok(Redirect::to(&format!("{base}/{id}")).into_response())
        }
        Err(e) => match refusal(&page, &e) {
            Some(text) => show(state, page, principal, id, provider, vec![text]).await,
            None => Err(e.into()),
        },
    }
}

/// POST /aanbieder/aanvragen/{id}/{stap}
pub async fn provider_step(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageOwnOffers>,
    Path((id, path)): Path<(i64, String)>,
    CsrfForm(form): CsrfForm<StepText>,
) -> Result<Response, Problem> {
    take_step(&state, page, &auth.principal, id, &path, form.text, true).await
}

/// POST /beheer/aanvragen/{id}/{stap}
pub async fn manager_step(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageProgrammes>,
    Path((id, path)): Path<(i64, String)>,
    CsrfForm(form): CsrfForm<StepText>,
) -> Result<Response, Problem> {
    take_step(&state, page, &auth.principal, id, &path, form.text, false).await
}

/// POST /beheer/aanvragen/{id}/punten: a reviewer's score (0 to 10) per criterion
/// (`punten-0`, `punten-1`, …).
pub async fn score(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageProgrammes>,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<std::collections::HashMap<String, String>>,
) -> Result<Response, Problem> {
    let scores: Vec<u8> = (0..50)
        .map_while(|i| form.get(&format!("punten-{i}")))
        .map(|v| v.trim().parse().unwrap_or(u8::MAX))
        .collect();
    match state.calls().score(&auth.principal, id, &scores).await {
        Ok(_) => Ok(Redirect::to(&format!("/beheer/aanvragen/{id}")).into_response()),
        Err(e) => match refusal(&page, &e) {
            Some(text) => show(&state, page, &auth.principal, id, false, vec![text]).await,
            None => Err(e.into()),
        },
    }
}

pub(crate) fn routes() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/oproepen", get(list))
        .route("/oproepen/{slug}", get(detail))
        .route("/oproepen/{slug}/aanvragen", post(apply))
        .route("/aanbieder/aanvragen", get(mine))
        .route("/aanbieder/aanvragen/{id}", get(provider_view))
        .route("/aanbieder/aanvragen/{id}/afronden", post(settle))
        .route("/aanbieder/aanvragen/{id}/{step}", post(provider_step))
        .route("/beheer/oproepen/{slug}", get(of_call))
        .route(
            "/beheer/nieuwe-oproep",
            get(super::call_form::new_call).post(super::call_form::create_call),
        )
        .route("/beheer/aanvragen/{id}", get(manager_view))
        .route("/beheer/aanvragen/{id}/punten", post(score))
        .route("/beheer/aanvragen/{id}/{step}", post(manager_step))
}
