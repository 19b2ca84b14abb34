//! Financing pages: the public overview of schemes and one scheme's page (with its budget and
//! revision history for programme managers), and the scheme cards and select options the other
//! financing pages build on.
//!
//! The questionnaire and the net prices are in `check_pages`, the scheme editor in `admin_pages`.

use crate::authz::MaybePrincipal;
use crate::error::Problem;
use crate::explain;
use crate::pages::{PageCtx, format_time, render};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use leerpad_app::financing::SchemeFilter;
use leerpad_domain::financing::{EmploymentStatus, FunderKind, Scheme};
use leerpad_domain::policy::Action;
use leerpad_domain::shared::Money;
use serde::Deserialize;

/// An option of a select list.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub(crate) fn choices<T: Copy + std::fmt::Display>(
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

pub(crate) fn scheme_card(page: &PageCtx, s: &Scheme) -> SchemeCard {
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

/// Each item's label (the message `{prefix}-{item}`), separated by commas.
fn labels<T: std::fmt::Display>(page: &PageCtx, prefix: &str, items: &[T]) -> String {
    items
        .iter()
        .map(|v| page.t(&format!("{prefix}-{v}")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The budget row of a scheme: its total, or that it has no fixed budget.
pub(crate) fn budget_total(page: &PageCtx, total: Option<Money>) -> (String, String) {
    (
        page.t("budget-total"),
        total
            .map(|t| t.format_euros(page.lang.code()))
            .unwrap_or_else(|| page.t("budget-open")),
    )
}

fn coverage_facts(page: &PageCtx, s: &Scheme) -> Vec<(String, String)> {
    let lang = page.lang.code();
    let d = &s.definition;
    let c = &d.coverage;
    let euros = |v: Money| v.format_euros(lang);
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
    match (&d.yearly_deposit, c.fixed_amount_cents) {
        (Some(y), _) => out.push((
            page.t("scheme-yearly-deposit"),
            match y.ceiling_cents {
                Some(ceiling) => page.t_args(
                    "scheme-yearly-deposit-ceiling",
                    &[
                        ("amount", euros(y.amount_cents)),
                        ("ceiling", euros(ceiling)),
                    ],
                ),
                None => euros(y.amount_cents),
            },
        )),
        (None, Some(v)) => out.push((page.t("scheme-amount"), euros(v))),
        (None, None) => out.push((page.t("scheme-percent"), format!("{}%", c.percent))),
    }
    if !c.cost_kinds.is_empty() {
        out.push((
            page.t("scheme-cost-kinds"),
            labels(page, "cost", &c.cost_kinds),
        ));
    }
    if !c.offer_kinds.is_empty() {
        out.push((
            page.t("scheme-offer-kinds"),
            labels(page, "kind", &c.offer_kinds),
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
    let date = |x: leerpad_domain::shared::Date| crate::pages::long_date(x, page);
    let period = match (d.period.from, d.period.until) {
        (Some(f), Some(u)) => page.t_args(
            "scheme-period-between",
            &[("from", date(f)), ("until", date(u))],
        ),
        (Some(f), None) => page.t_args("scheme-period-from", &[("from", date(f))]),
        (None, Some(u)) => page.t_args("scheme-period-until", &[("until", date(u))]),
        (None, None) => page.t("scheme-period-open"),
    };
    out.push((page.t("scheme-period"), period));
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
    let euros = |v: Money| v.format_euros(lang);
    let budget = if manager {
        let mut rows = vec![
            budget_total(&page, s.definition.budget.total_cents),
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

/// This feature's public scheme pages.
pub(crate) fn routes() -> axum::Router<AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/regelingen", get(overview))
        .route("/regelingen/{slug}", get(detail))
}
