//! `/beheer/advies`: programme managers see how a programme is doing — registrations, places,
//! waitlist, appointments held and missed, places left — by target group and by region, as bar
//! charts with their numbers in a table, and as CSV.

use crate::authz::{Authz, perm};
use crate::error::Problem;
use crate::pages::{PageCtx, render};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use leerpad_domain::advice::figures::{Counts, ProgrammeFigures};
use leerpad_domain::advice::ports::Programme;

/// One row of a chart table: a label, its number and the bar's width.
pub struct BarRow {
    pub label: String,
    pub value: u64,
    pub width_pct: u64,
}

/// One slice of the registrations in the breakdown tables.
pub struct SliceRow {
    pub label: String,
    pub counts: Counts,
}

fn bars(rows: Vec<(String, u64)>) -> Vec<BarRow> {
    let max = rows.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1);
    rows.into_iter()
        .map(|(label, value)| BarRow {
            label,
            value,
            width_pct: value * 100 / max,
        })
        .collect()
}

/// A bar chart with its numbers.
pub struct Chart {
    pub id: &'static str,
    pub heading: String,
    pub rows: Vec<BarRow>,
}

/// A breakdown table.
pub struct Breakdown {
    pub id: &'static str,
    pub heading: String,
    pub rows: Vec<SliceRow>,
}

#[derive(Template)]
#[template(path = "advice/dashboard.html")]
struct DashboardPage {
    page: PageCtx,
    slug: String,
    title: String,
    charts: Vec<Chart>,
    breakdowns: Vec<Breakdown>,
}

fn reserve_names(page: &PageCtx, p: &Programme) -> Vec<String> {
    p.definition
        .reserves
        .iter()
        .map(|r| r.name.get(page.lang.code()).to_owned())
        .collect()
}

/// GET /beheer/advies/{slug}
pub async fn dashboard(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageProgrammes>,
    Path(slug): Path<String>,
) -> Result<Response, Problem> {
    let (p, f) = state.advice().figures(&auth.principal, &slug).await?;
    let t = &f.total;
    let totals = bars(vec![
        (page.t("dashboard-registrations"), t.registrations),
        (page.t("dashboard-waiting"), t.waiting),
        (page.t("dashboard-allocated"), t.allocated),
        (page.t("dashboard-waitlisted"), t.waitlisted),
        (page.t("dashboard-booked"), t.booked),
        (page.t("dashboard-held"), t.held),
        (page.t("dashboard-no-shows"), t.no_shows),
        (page.t("dashboard-remaining"), f.remaining),
    ]);
    let names = reserve_names(&page, &p);
    let mut place_rows: Vec<(String, u64)> = names
        .iter()
        .cloned()
        .zip(f.places_by_reserve.iter().copied())
        .collect();
    place_rows.push((
        page.t("dashboard-open-places"),
        f.places_by_reserve.last().copied().unwrap_or(0),
    ));
    let groups = names
        .into_iter()
        .zip(f.by_group.iter().copied())
        .map(|(label, counts)| SliceRow { label, counts })
        .collect();
    let regions = f
        .by_region
        .iter()
        .map(|(region, counts)| SliceRow {
            label: if region.is_empty() {
                page.t("dashboard-region-unknown")
            } else {
                region.clone()
            },
            counts: *counts,
        })
        .collect();
    Ok(render(
        StatusCode::OK,
        &DashboardPage {
            title: p.definition.name.get(page.lang.code()).to_owned(),
            slug,
            charts: vec![
                Chart {
                    id: "totals",
                    heading: page.t("dashboard-totals"),
                    rows: totals,
                },
                Chart {
                    id: "places",
                    heading: page.t("dashboard-places"),
                    rows: bars(place_rows),
                },
            ],
            breakdowns: vec![
                Breakdown {
                    id: "groups",
                    heading: page.t("dashboard-by-group"),
                    rows: groups,
                },
                Breakdown {
                    id: "regions",
                    heading: page.t("dashboard-by-region"),
                    rows: regions,
                },
            ],
            page,
        },
    ))
}

fn csv_of(f: &ProgrammeFigures, reserves: &[String]) -> Result<String, Problem> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let header = [
        "slice",
        "name",
        "registrations",
        "waiting",
        "allocated",
        "waitlisted",
        "cancelled",
        "booked",
        "held",
        "no_shows",
    ];
    let row = |w: &mut csv::Writer<Vec<u8>>, slice: &str, name: &str, c: &Counts| {
        w.write_record([
            slice.to_owned(),
            name.to_owned(),
            c.registrations.to_string(),
            c.waiting.to_string(),
            c.allocated.to_string(),
            c.waitlisted.to_string(),
            c.cancelled.to_string(),
            c.booked.to_string(),
            c.held.to_string(),
            c.no_shows.to_string(),
        ])
    };
    let fail =
        |e: csv::Error| Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "csv", e.to_string());
    w.write_record(header).map_err(fail)?;
    row(&mut w, "total", "", &f.total).map_err(fail)?;
    for (name, c) in reserves.iter().zip(&f.by_group) {
        row(&mut w, "target_group", name, c).map_err(fail)?;
    }
    for (region, c) in &f.by_region {
        row(&mut w, "region", region, c).map_err(fail)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "csv", e.to_string()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// GET /beheer/advies/{slug}/cijfers.csv
pub async fn figures_csv(
    State(state): State<AppState>,
    auth: Authz<perm::ManageProgrammes>,
    Path(slug): Path<String>,
) -> Result<Response, Problem> {
    let (p, f) = state.advice().figures(&auth.principal, &slug).await?;
    let names: Vec<String> = p
        .definition
        .reserves
        .iter()
        .map(|r| r.name.get("nl").to_owned())
        .collect();
    let body = csv_of(&f, &names)?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{slug}-cijfers.csv\""),
            ),
        ],
        body,
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "advice/dashboards.html")]
struct ListPage {
    page: PageCtx,
    programmes: Vec<(String, String, String)>,
}

/// GET /beheer/advies
pub async fn list(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageProgrammes>,
) -> Result<Response, Problem> {
    let all = state.advice().programmes(Some(&auth.principal)).await?;
    let programmes = all
        .iter()
        .map(|p| {
            (
                p.slug.clone(),
                p.definition.name.get(page.lang.code()).to_owned(),
                page.t(&format!("scheme-status-{}", p.status)),
            )
        })
        .collect();
    Ok(render(StatusCode::OK, &ListPage { programmes, page }))
}

pub(crate) fn routes() -> axum::Router<AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/beheer/advies", get(list))
        .route("/beheer/advies/{slug}", get(dashboard))
        .route("/beheer/advies/{slug}/cijfers.csv", get(figures_csv))
}
