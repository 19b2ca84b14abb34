//! The programme manager's dashboard (`/beheer/dashboard`, `?regio=` for one region): reach
//! and uptake as bar charts drawn on the server (SVG) with the numbers in a table beside them,
//! and the same figures as CSV (`/beheer/dashboard.csv`). No JavaScript.

use crate::authz::{Authz, perm};
use crate::error::Problem;
use crate::pages::{PageCtx, render};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use leerpad_domain::regions::dashboard::Figures;
use serde::Deserialize;

/// One bar: label, count, width in percent of the largest.
pub struct Bar {
    pub label: String,
    pub count: u64,
    pub width: u64,
}

/// A chart with its table.
pub struct Chart {
    pub id: &'static str,
    pub title: String,
    pub bars: Vec<Bar>,
}

fn chart(id: &'static str, title: String, rows: Vec<(String, u64)>) -> Chart {
    let most = rows.iter().map(|(_, n)| *n).max().unwrap_or(1).max(1);
    Chart {
        id,
        title,
        bars: rows
            .into_iter()
            .map(|(label, count)| Bar {
                width: count * 100 / most,
                label,
                count,
            })
            .collect(),
    }
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
}

async fn figures_of(
    state: &AppState,
    auth: &Authz<perm::ManageProgrammes>,
    regio: &str,
) -> Result<(Option<leerpad_domain::regions::Region>, Figures), Problem> {
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
    let (area, figures) = figures_of(&state, &auth, &q.regio).await?;
    let areas = super::pages::area_choices(&state, &page);
    Ok(render(
        StatusCode::OK,
        &DashboardPage {
            area_name: area.map_or_else(|| page.t("steer-netherlands"), |a| a.name),
            charts: charts(&page, &figures),
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
    let (area, f) = figures_of(&state, &auth, &q.regio).await?;
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
