//! The programme manager's dashboard (`/beheer/dashboard`, `?regio=` for one region): reach
//! and uptake as bar charts drawn on the server (SVG) with the numbers in a table beside them,
//! and the same figures as CSV (`/beheer/dashboard.csv`): reach, uptake, budget use per scheme
//! and region, and the learning-culture trend. No JavaScript.

use crate::authz::{Authz, perm};
use crate::error::Problem;
use crate::pages::{PageCtx, render};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use leerpad_domain::regions::culture::{Audience, CulturePoint};
use leerpad_domain::regions::dashboard::Figures;
use leerpad_domain::shared::Money;
use serde::Deserialize;

/// One bar: label, width in percent of the largest, and the number as the table shows it (a
/// count, an amount in euros, a score).
pub struct Bar {
    pub label: String,
    pub width: u64,
    pub shown: String,
}

/// A chart with its table; the table's column heads name what the rows are and what the number
/// is (translation keys).
pub struct Chart {
    pub id: &'static str,
    pub title: String,
    pub bars: Vec<Bar>,
    pub group_head: &'static str,
    pub value_head: &'static str,
}

impl Chart {
    /// The same chart with other column heads.
    pub(crate) fn heads(mut self, group: &'static str, value: &'static str) -> Chart {
        self.group_head = group;
        self.value_head = value;
        self
    }
}

fn chart(id: &'static str, title: String, rows: Vec<(String, u64)>) -> Chart {
    let rows = rows
        .into_iter()
        .map(|(label, n)| (label, n, n.to_string()))
        .collect();
    chart_shown(id, title, rows, None)
}

/// A chart whose numbers are shown as given; bars are a share of `scale` (or of the largest).
pub(crate) fn chart_shown(
    id: &'static str,
    title: String,
    rows: Vec<(String, u64, String)>,
    scale: Option<u64>,
) -> Chart {
    let most = scale
        .unwrap_or_else(|| rows.iter().map(|(_, n, _)| *n).max().unwrap_or(1))
        .max(1);
    Chart {
        id,
        title,
        group_head: "steer-group",
        value_head: "steer-count",
        bars: rows
            .into_iter()
            .map(|(label, count, shown)| Bar {
                width: count.min(most) * 100 / most,
                label,
                shown,
            })
            .collect(),
    }
}

/// The learning-culture trend as charts: the average score per quarter (of 100), for
/// employees and for employers, with how many answered.
pub(crate) fn culture_charts(page: &PageCtx, points: &[CulturePoint]) -> Vec<Chart> {
    [
        (
            Audience::Employee,
            "culture-employees",
            "steer-culture-employees",
        ),
        (
            Audience::Employer,
            "culture-employers",
            "steer-culture-employers",
        ),
    ]
    .into_iter()
    .map(|(audience, id, title)| {
        let rows = points
            .iter()
            .filter(|p| p.audience == audience)
            .map(|p| {
                (
                    quarter_label(page, &p.period),
                    u64::from(p.index),
                    page.t_args(
                        "steer-culture-point",
                        &[
                            ("index", p.index.to_string()),
                            ("count", p.responses.to_string()),
                        ],
                    ),
                )
            })
            .collect();
        chart_shown(id, page.t(title), rows, Some(100)).heads("steer-quarter", "steer-score")
    })
    .collect()
}

/// A quarter ("2026-K4") as people say it: "4e kwartaal 2026", "Q4 2026".
pub(crate) fn quarter_label(page: &PageCtx, period: &str) -> String {
    match period.split_once("-K") {
        Some((year, q)) => page.t_args(
            "steer-quarter-label",
            &[("year", year.to_owned()), ("quarter", q.to_owned())],
        ),
        None => period.to_owned(),
    }
}

/// A scheme's budget as the table shows it.
pub struct BudgetView {
    pub slug: String,
    pub name: String,
    pub total: String,
    pub promised: String,
    pub paid: String,
    /// What is still free of the whole budget (empty when open-ended).
    pub free: String,
}

fn budget_views(page: &PageCtx, national: &Figures, here: &Figures) -> Vec<BudgetView> {
    let lang = page.lang.code();
    let euros = |cents: i64| Money::from_cents(cents).format_euros(lang);
    here.budgets
        .iter()
        .map(|row| {
            let all = national
                .budgets
                .iter()
                .find(|b| b.scheme.slug == row.scheme.slug);
            let used = all.map_or(0, |b| b.promised_cents + b.paid_cents);
            BudgetView {
                slug: row.scheme.slug.clone(),
                name: row.scheme.name.get(lang).to_owned(),
                total: row
                    .scheme
                    .total_cents
                    .map_or_else(|| page.t("steer-budget-open"), euros),
                promised: euros(row.promised_cents),
                paid: euros(row.paid_cents),
                free: row
                    .scheme
                    .total_cents
                    .map(|t| euros((t - used).max(0)))
                    .unwrap_or_default(),
            }
        })
        .collect()
}

/// The charts of a set of figures, with their labels in the page's language.
fn charts(page: &PageCtx, f: &Figures) -> Vec<Chart> {
    let label = |prefix: &str, key: &str| {
        page.lang
            .try_t_args(&format!("{prefix}-{key}"), &[])
            .unwrap_or_else(|| key.to_owned())
    };
    vec![
        chart(
            "education",
            page.t("steer-by-education"),
            f.by_education
                .iter()
                .map(|(k, n)| (label("steer-education", k), *n))
                .collect(),
        ),
        chart(
            "age",
            page.t("steer-by-age"),
            f.by_age
                .iter()
                .map(|(k, n)| (label("steer-age", k), *n))
                .collect(),
        ),
        chart("region", page.t("steer-by-region"), f.by_region.clone()),
        chart(
            "enrolments",
            page.t("steer-enrolments-by-status"),
            f.enrolments_by_status
                .iter()
                .map(|(k, n)| (label("enrolment-status", k), *n))
                .collect(),
        ),
    ]
}

#[derive(Debug, Default, Deserialize)]
pub struct DashboardQuery {
    #[serde(default)]
    regio: String,
}

#[derive(Template)]
#[template(path = "regions/dashboard.html")]
struct DashboardPage {
    page: PageCtx,
    area_name: String,
    regio: String,
    areas: Vec<(String, String)>,
    figures: Figures,
    charts: Vec<Chart>,
    budgets: Vec<BudgetView>,
    /// Scheme money per labour-market region (euros).
    budget_chart: Chart,
    culture: Vec<Chart>,
}

async fn figures_of(
    state: &AppState,
    auth: &Authz<perm::ManageProgrammes>,
    regio: &str,
) -> Result<(Option<leerpad_domain::regions::Region>, Figures, Figures), Problem> {
    let area = (!regio.is_empty()).then_some(regio);
    Ok(state.regional().dashboard(&auth.principal, area).await?)
}

/// GET /beheer/dashboard
pub async fn dashboard(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageProgrammes>,
    Query(q): Query<DashboardQuery>,
) -> Result<Response, Problem> {
    let (area, figures, national) = figures_of(&state, &auth, &q.regio).await?;
    let areas = super::pages::area_choices(&state, &page);
    let lang = page.lang.code();
    let budget_chart = chart_shown(
        "budget-region",
        page.t("steer-budget-by-region"),
        figures
            .budget_by_region
            .iter()
            .map(|(region, cents)| {
                let shown =
                    Money::from_cents(i64::try_from(*cents).unwrap_or(i64::MAX)).format_euros(lang);
                (region.clone(), *cents, shown)
            })
            .collect(),
        None,
    )
    .heads("steer-region", "steer-amount");
    Ok(render(
        StatusCode::OK,
        &DashboardPage {
            area_name: area.map_or_else(|| page.t("steer-netherlands"), |a| a.name),
            charts: charts(&page, &figures),
            budgets: budget_views(&page, &national, &figures),
            budget_chart,
            culture: culture_charts(&page, &figures.culture),
            regio: q.regio,
            areas,
            figures,
            page,
        },
    ))
}

/// GET /beheer/dashboard.csv: the same figures, one row per figure.
pub async fn dashboard_csv(
    State(state): State<AppState>,
    auth: Authz<perm::ManageProgrammes>,
    Query(q): Query<DashboardQuery>,
) -> Result<Response, Problem> {
    let (area, f, _) = figures_of(&state, &auth, &q.regio).await?;
    let region = area.map(|a| a.name).unwrap_or_else(|| "Nederland".into());
    let mut rows: Vec<(&str, String, u64)> = vec![
        ("people", String::new(), f.people),
        (
            "advice_registrations",
            String::new(),
            f.advice_registrations,
        ),
        ("enrolments", String::new(), f.enrolments),
        ("completions", String::new(), f.completions),
    ];
    for (figure, list) in [
        ("education", &f.by_education),
        ("age", &f.by_age),
        ("region", &f.by_region),
        ("enrolment_status", &f.enrolments_by_status),
    ] {
        rows.extend(list.iter().map(|(k, n)| (figure, k.clone(), *n)));
    }
    let cents = |c: i64| u64::try_from(c).unwrap_or(0);
    for b in &f.budgets {
        rows.push((
            "budget_promised_cents",
            b.scheme.slug.clone(),
            cents(b.promised_cents),
        ));
        rows.push((
            "budget_paid_cents",
            b.scheme.slug.clone(),
            cents(b.paid_cents),
        ));
    }
    rows.extend(
        f.budget_by_region
            .iter()
            .map(|(r, c)| ("budget_region_cents", r.clone(), *c)),
    );
    for p in &f.culture {
        let figure = match p.audience {
            Audience::Employee => ("culture_employee_index", "culture_employee_responses"),
            Audience::Employer => ("culture_employer_index", "culture_employer_responses"),
        };
        rows.push((figure.0, p.period.clone(), u64::from(p.index)));
        rows.push((figure.1, p.period.clone(), p.responses));
    }
    let write = || -> Result<Vec<u8>, csv::Error> {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(["area", "figure", "value", "count"])?;
        for (figure, value, n) in &rows {
            w.write_record([region.as_str(), figure, value.as_str(), &n.to_string()])?;
        }
        w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
    };
    let bytes = write()
        .map_err(|e| Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"leerpad-dashboard.csv\"",
            ),
        ],
        bytes,
    )
        .into_response())
}
