//! ESCO pages: search skills and occupations, and one page per concept. Labels that ESCO only
//! has in English are shown in English, marked, with `lang="en"` for screen readers.

use crate::error::Problem;
use crate::pages::{PageCtx, render};
use crate::state::AppState;
use crate::taxonomy::views::{self, Concept, OccupationView, SkillView};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    soort: String,
}

#[derive(Template)]
#[template(path = "taxonomy/esco_search.html")]
struct SearchPage {
    page: PageCtx,
    q: String,
    occupations: bool,
    results: Vec<Concept>,
}

pub async fn search(
    State(state): State<AppState>,
    page: PageCtx,
    Query(q): Query<SearchQuery>,
) -> Response {
    let lang = page.lang.code();
    let tax = &state.taxonomy().taxonomy;
    let occupations = q.soort == "beroepen";
    let query: String = q.q.chars().take(200).collect();
    let results = views::search(tax, &query, lang, occupations);
    render(
        StatusCode::OK,
        &SearchPage {
            page,
            q: query,
            occupations,
            results,
        },
    )
}

#[derive(Template)]
#[template(path = "taxonomy/esco_skill.html")]
struct SkillPage {
    page: PageCtx,
    skill: SkillView,
}

pub async fn skill(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
) -> Result<Response, Problem> {
    let skill = views::skill_view(&state.taxonomy().taxonomy, &id, page.lang.code())?;
    Ok(render(StatusCode::OK, &SkillPage { page, skill }))
}

#[derive(Template)]
#[template(path = "taxonomy/esco_occupation.html")]
struct OccupationPage {
    page: PageCtx,
    occupation: OccupationView,
}

pub async fn occupation(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
) -> Result<Response, Problem> {
    let occupation = views::occupation_view(&state.taxonomy().taxonomy, &id, page.lang.code())?;
    Ok(render(StatusCode::OK, &OccupationPage { page, occupation }))
}

/// This feature's pages.
pub(crate) fn routes() -> axum::Router<AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/esco", get(search))
        .route("/esco/vaardigheid/{id}", get(skill))
        .route("/esco/beroep/{id}", get(occupation))
}
