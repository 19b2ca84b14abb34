//! Regional pages (no JavaScript needed).

use crate::authz::{Authz, perm};
use crate::csrf::{CsrfForm, CsrfMultipart};
use crate::error::Problem;
use crate::pages::{FieldErrors, PageCtx, field_problems, long_date, render};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use leerpad_app::error::AppError;
use leerpad_domain::catalogue::search::OfferQuery;
use leerpad_domain::regions::dashboard::Figures;
use leerpad_domain::regions::ports::{InitiativeQuery, StoredInitiative};
use leerpad_domain::regions::{AreaKind, InitiativeInput, Region};
use serde::Deserialize;

/// A region in a list or on the map.
pub struct AreaRow {
    pub slug: String,
    pub name: String,
    pub initiatives: u32,
    /// Public figures, small counts hidden: people reached, enrolments, completions.
    pub people: String,
    pub enrolments: String,
    pub completions: String,
    /// The employees' learning-culture score of the latest quarter ("–" without answers).
    pub culture: String,
}

/// A count as public pages show it: 1 to 4 as "fewer than 5", so nobody in a small group can
/// be picked out.
pub(crate) fn public_count(page: &PageCtx, n: u64) -> String {
    if n > 0 && n < leerpad_app::regions::SMALL_COUNT {
        page.t_args(
            "region-fewer-than",
            &[("count", leerpad_app::regions::SMALL_COUNT.to_string())],
        )
    } else {
        n.to_string()
    }
}

/// The employees' score of the latest quarter with answers.
fn latest_culture(f: &Figures) -> Option<&leerpad_domain::regions::culture::CulturePoint> {
    f.culture
        .iter()
        .filter(|p| p.audience == leerpad_domain::regions::culture::Audience::Employee)
        .max_by(|a, b| a.period.cmp(&b.period))
}

/// An initiative as listed.
pub struct InitiativeRow {
    pub id: i64,
    pub title: String,
    pub summary: String,
    pub sector: String,
    pub parel: bool,
    pub example: bool,
    pub places: String,
    pub funding: String,
    pub participants: String,
}

fn initiative_row(page: &PageCtx, state: &AppState, s: &StoredInitiative) -> InitiativeRow {
    let i = &s.initiative;
    let places = i
        .municipalities
        .iter()
        .filter_map(|c| state.regional().regions().municipality(c))
        .map(|m| m.name.clone())
        .collect::<Vec<_>>()
        .join(", ");
    let participants = match (i.participants_target, i.participants_realised) {
        (Some(t), Some(r)) => page.t_args(
            "initiative-participants-both",
            &[("target", t.to_string()), ("realised", r.to_string())],
        ),
        (Some(t), None) => page.t_args(
            "initiative-participants-target",
            &[("target", t.to_string())],
        ),
        _ => String::new(),
    };
    InitiativeRow {
        id: s.id,
        title: i.title.clone(),
        summary: i.summary.clone(),
        sector: i.sector.clone(),
        parel: i.parel,
        example: i.example,
        places,
        funding: if i.funding.is_empty() {
            String::new()
        } else {
            i.funding_total().format_euros(page.lang.code())
        },
        participants,
    }
}

#[derive(Template)]
#[template(path = "regions/overview.html")]
struct OverviewPage {
    page: PageCtx,
    provinces: Vec<AreaRow>,
    labour_markets: Vec<AreaRow>,
}

/// GET /regio: every province as a tile, and every region in a table, with their initiatives.
pub async fn overview(State(state): State<AppState>, page: PageCtx) -> Result<Response, Problem> {
    let (mut provinces, mut labour_markets) = (Vec::new(), Vec::new());
    let figures = state.regional().public_figures().await?;
    for (area, n) in state.regional().overview().await? {
        let f = figures.of(Some(&area));
        let row = AreaRow {
            slug: area.slug,
            name: area.name,
            initiatives: n,
            people: public_count(&page, f.people),
            enrolments: public_count(&page, f.enrolments),
            completions: public_count(&page, f.completions),
            culture: latest_culture(&f).map_or_else(|| "–".to_owned(), |p| p.index.to_string()),
        };
        match area.kind {
            AreaKind::Province => provinces.push(row),
            AreaKind::LabourMarket => labour_markets.push(row),
        }
    }
    Ok(render(
        StatusCode::OK,
        &OverviewPage {
            page,
            provinces,
            labour_markets,
        },
    ))
}

#[derive(Template)]
#[template(path = "regions/region.html")]
struct RegionPage {
    page: PageCtx,
    area: Region,
    kind: String,
    municipalities: usize,
    initiatives: Vec<InitiativeRow>,
    offers_total: u64,
    /// (id, title) of a few offers nearby.
    offers: Vec<(i64, String)>,
    search_link: String,
    /// For a labour-market region: its province(s); for a province: its regions.
    related: Vec<(String, String)>,
    /// Occupations with the most growth and the most shrinkage here: (caption, rows), only
    /// lists that have rows.
    demand: Vec<(String, Vec<DemandRow>)>,
    /// Sector transitions: from a shrinking occupation to growing ones that share its skills.
    transitions: Vec<TransitionRow>,
    /// Public figures: (label, value), small counts hidden.
    facts: Vec<(String, String)>,
    /// Schemes someone living here can use: (address, name, only for this part of the country).
    schemes: Vec<(String, String, bool)>,
    /// The learning-culture trend.
    culture: Vec<super::dashboard::Chart>,
}

/// From a shrinking occupation to growing ones nearby.
pub struct TransitionRow {
    pub from: DemandRow,
    pub to: Vec<MoveView>,
}

/// A growing occupation to move to, with how far it is.
pub struct MoveView {
    /// ESCO key.
    pub key: String,
    pub label: String,
    /// "7 van de 12 vaardigheden zijn hetzelfde".
    pub shared: String,
    /// The page with the gap and the training that closes it.
    pub link: String,
}

/// The growing occupations near `area` closest by skills to the occupation `from_key`.
pub(crate) fn moves_from(
    state: &AppState,
    page: &PageCtx,
    area: &Region,
    from_key: &str,
    top: usize,
) -> Vec<MoveView> {
    let tax = &state.taxonomy().taxonomy;
    let Some(id) = tax.occupation_id(from_key) else {
        return Vec::new();
    };
    let province = state
        .regional()
        .regions()
        .municipalities_of(area)
        .first()
        .map(|m| m.province.clone());
    let (region, province) = match area.kind {
        AreaKind::Province => (None, Some(area.name.as_str())),
        AreaKind::LabourMarket => (Some(area.name.as_str()), province.as_deref()),
    };
    let from = leerpad_domain::taxonomy::key_of(from_key).to_owned();
    state
        .matching()
        .transitions_from(id, region, province, top)
        .items
        .iter()
        .filter_map(|m| {
            let o = tax.occupation(m.occupation)?;
            let key = leerpad_domain::taxonomy::key_of(&o.uri).to_owned();
            Some(MoveView {
                link: format!("/regio/{}/overstap/{from}/{key}", area.slug),
                label: crate::taxonomy::views::label_text(&o.texts, page.lang.code()),
                shared: page.t_args(
                    "region-transition-shared",
                    &[
                        ("had", m.skills_had.to_string()),
                        ("total", m.skills_total.to_string()),
                    ],
                ),
                key,
            })
        })
        .collect()
}

/// Shrinking occupations a page shows the way out of.
const TRANSITIONS: usize = 3;

fn transitions(
    state: &AppState,
    page: &PageCtx,
    area: &Region,
    shrinking: &[DemandRow],
) -> Vec<TransitionRow> {
    shrinking
        .iter()
        .take(TRANSITIONS)
        .filter_map(|from| {
            let to = moves_from(state, page, area, &from.key, 3);
            (!to.is_empty()).then(|| TransitionRow {
                from: DemandRow {
                    key: from.key.clone(),
                    label: from.label.clone(),
                    trend: from.trend.clone(),
                    vacancies: from.vacancies.clone(),
                },
                to,
            })
        })
        .collect()
}

/// An occupation's demand in a region.
pub struct DemandRow {
    /// ESCO key, for its page.
    pub key: String,
    pub label: String,
    /// "+12%" / "-8%".
    pub trend: String,
    pub vacancies: String,
}

/// Occupations shown per list.
const DEMAND_ROWS: usize = 5;

fn demand_rows(
    state: &AppState,
    page: &PageCtx,
    area: &Region,
) -> (Vec<DemandRow>, Vec<DemandRow>) {
    use leerpad_domain::matching::demand::{Area, DemandSubject};
    let demand = state.matching().demand();
    let where_ = match area.kind {
        AreaKind::Province => Area::Province(area.name.clone()),
        AreaKind::LabourMarket => Area::Region(area.name.clone()),
    };
    let tax = &state.taxonomy().taxonomy;
    let row = |r: &leerpad_domain::matching::demand::DemandRecord| {
        let DemandSubject::Occupation(uri) = &r.subject else {
            return None;
        };
        let o = tax.occupation_id(uri).and_then(|id| tax.occupation(id))?;
        let trend = r.trend_percent.unwrap_or(0.0).round() as i64;
        Some(DemandRow {
            key: leerpad_domain::taxonomy::key_of(&o.uri).to_owned(),
            label: crate::taxonomy::views::label_text(&o.texts, page.lang.code()),
            trend: if trend > 0 {
                format!("+{trend}%")
            } else {
                format!("{trend}%")
            },
            vacancies: r.vacancies.map(|v| v.to_string()).unwrap_or_default(),
        })
    };
    let all = demand.occupations_in(&where_);
    let growing = all
        .iter()
        .filter(|r| r.trend_percent.unwrap_or(0.0) > 0.0)
        .filter_map(|r| row(r))
        .take(DEMAND_ROWS)
        .collect();
    let shrinking = all
        .iter()
        .rev()
        .filter(|r| r.trend_percent.unwrap_or(0.0) < 0.0)
        .filter_map(|r| row(r))
        .take(DEMAND_ROWS)
        .collect();
    (growing, shrinking)
}

/// GET /regio/{slug}
pub async fn region(
    State(state): State<AppState>,
    page: PageCtx,
    Path(slug): Path<String>,
) -> Result<Response, Problem> {
    let regional = state.regional();
    let area = regional.area(&slug)?;
    let initiatives = regional
        .initiatives_of(&area)
        .await?
        .iter()
        .map(|s| initiative_row(&page, &state, s))
        .collect();
    let members = regional.regions().municipalities_of(&area);
    let mut related: Vec<(String, String)> = Vec::new();
    for m in &members {
        for a in regional.regions().areas_of(m) {
            if a.slug != area.slug && !related.iter().any(|(s, _)| *s == a.slug) {
                related.push((a.slug, a.name));
            }
        }
    }
    let mut query = OfferQuery {
        limit: 5,
        ..OfferQuery::default()
    };
    let (key, value) = match area.kind {
        AreaKind::Province => {
            query.filters.provinces = vec![area.name.clone()];
            ("province", area.name.clone())
        }
        AreaKind::LabourMarket => {
            query.filters.regions = vec![area.name.clone()];
            ("region", area.name.clone())
        }
    };
    let lang = page.lang.code();
    let found = state.catalogue().search(&query, lang).await?;
    let offers = found
        .cards
        .iter()
        .map(|c| (c.offer.id.get(), c.offer.content.title.get(lang).to_owned()))
        .collect();
    let search_link = format!(
        "/zoeken?{}",
        serde_urlencoded::to_string([(key, value)]).unwrap_or_default()
    );
    let (growing, shrinking) = demand_rows(&state, &page, &area);
    let transitions = transitions(&state, &page, &area, &shrinking);
    let demand = [
        (page.t("region-growing"), growing),
        (page.t("region-shrinking"), shrinking),
    ]
    .into_iter()
    .filter(|(_, rows)| !rows.is_empty())
    .collect();
    let figures = regional.public_figures().await?.of(Some(&area));
    let facts = [
        ("steer-people", figures.people),
        ("steer-registrations", figures.advice_registrations),
        ("steer-enrolments", figures.enrolments),
        ("steer-completions", figures.completions),
    ]
    .into_iter()
    .map(|(key, n)| (page.t(key), public_count(&page, n)))
    .collect();
    let mut schemes: Vec<(String, String, bool)> = state
        .financing()
        .published(&Default::default())
        .await?
        .iter()
        .filter_map(|s| {
            let open = state.financing().open_in(s, &members);
            (open != Some(false)).then(|| {
                (
                    s.slug.clone(),
                    s.definition.name.get(lang).to_owned(),
                    open.is_some(),
                )
            })
        })
        .collect();
    schemes.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.1.cmp(&b.1)));
    let culture = super::dashboard::culture_charts(&page, &figures.culture);
    Ok(render(
        StatusCode::OK,
        &RegionPage {
            demand,
            transitions,
            facts,
            schemes,
            culture,
            kind: page.t(match area.kind {
                AreaKind::Province => "region-kind-province",
                AreaKind::LabourMarket => "region-kind-labour-market",
            }),
            municipalities: members.len(),
            initiatives,
            offers_total: found.total,
            offers,
            search_link,
            related,
            area,
            page,
        },
    ))
}

#[derive(Template)]
#[template(path = "regions/transition.html")]
struct TransitionPage {
    page: PageCtx,
    area: Region,
    title: String,
    to_key: String,
    gap: crate::matching::views::GapView,
    plan: crate::matching::views::PlanView,
}

/// GET /regio/{slug}/overstap/{from}/{to}: for someone who works as `from` in the region, what
/// `to` asks that they still miss, and the training nearby that closes the gap (public: it
/// uses no person's data, only the two occupations and the region).
pub async fn transition(
    State(state): State<AppState>,
    page: PageCtx,
    Path((slug, from, to)): Path<(String, String, String)>,
) -> Result<Response, Problem> {
    use leerpad_domain::matching::{LearnerProfile, ProfileOccupation};
    let area = state.regional().area(&slug)?;
    let matching = state.matching();
    let from_id = matching.occupation(&from)?;
    let to_id = matching.occupation(&to)?;
    let tax = &state.taxonomy().taxonomy;
    let lang = page.lang.code();
    let name = |id| {
        tax.occupation(id)
            .map(|o| {
                (
                    o.uri.clone(),
                    crate::taxonomy::views::label_text(&o.texts, lang),
                )
            })
            .unwrap_or_default()
    };
    let ((from_uri, from_label), (_, to_label)) = (name(from_id), name(to_id));
    let home = state
        .regional()
        .regions()
        .municipalities_of(&area)
        .first()
        .map(|m| m.name.clone());
    let profile = LearnerProfile {
        occupations: vec![ProfileOccupation {
            title: from_label.clone(),
            uri: from_uri,
            current: true,
        }],
        municipality: home.clone(),
        ..LearnerProfile::default()
    };
    let facts = leerpad_domain::financing::PersonFacts {
        municipality: home,
        ..Default::default()
    };
    let out = matching.plan_with(&facts, &profile, to_id).await?;
    let gap = crate::matching::views::gap_view(&state, &out.gap, page.lang);
    let plan = crate::matching::views::plan_view(&state, &out, page.lang);
    Ok(render(
        StatusCode::OK,
        &TransitionPage {
            title: page.t_args(
                "transition-title",
                &[("from", from_label), ("to", to_label)],
            ),
            to_key: to,
            area,
            gap,
            plan,
            page,
        },
    ))
}

/// The initiative search as asked.
#[derive(Debug, Default, Deserialize)]
pub struct InitiativeSearch {
    #[serde(default)]
    q: String,
    #[serde(default)]
    regio: String,
    #[serde(default)]
    sector: String,
    #[serde(default)]
    parel: Option<String>,
}

#[derive(Template)]
#[template(path = "regions/initiatives.html")]
struct InitiativesPage {
    page: PageCtx,
    q: String,
    regio: String,
    sector: String,
    parel: bool,
    areas: Vec<(String, String)>,
    rows: Vec<InitiativeRow>,
}

/// GET /initiatieven: find initiatives by words, region, sector and good practice.
pub async fn initiatives(
    State(state): State<AppState>,
    page: PageCtx,
    Query(q): Query<InitiativeSearch>,
) -> Result<Response, Problem> {
    let query = InitiativeQuery {
        regions: if q.regio.is_empty() {
            Vec::new()
        } else {
            vec![q.regio.clone()]
        },
        sector: (!q.sector.trim().is_empty()).then(|| q.sector.trim().to_owned()),
        parel_only: q.parel.is_some(),
        text: (!q.q.trim().is_empty()).then(|| q.q.trim().to_owned()),
        limit: leerpad_app::regions::LIST_LIMIT,
    };
    let rows = state
        .regional()
        .search(query)
        .await?
        .iter()
        .map(|s| initiative_row(&page, &state, s))
        .collect();
    let areas = area_choices(&state, &page);
    Ok(render(
        StatusCode::OK,
        &InitiativesPage {
            q: q.q,
            regio: q.regio,
            sector: q.sector,
            parel: q.parel.is_some(),
            areas,
            rows,
            page,
        },
    ))
}

#[derive(Template)]
#[template(path = "regions/initiative.html")]
struct InitiativePage {
    page: PageCtx,
    row: InitiativeRow,
    region: Option<Region>,
    period: String,
    partners: Vec<(String, String)>,
    target_groups: String,
    /// (funder, amount)
    funding: Vec<(String, String)>,
    /// (what, how many)
    developed: Vec<(String, u32)>,
    contact: String,
    results: String,
}

/// GET /initiatieven/{id}
pub async fn initiative(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<i64>,
) -> Result<Response, Problem> {
    let stored = state.regional().initiative(id).await?;
    let row = initiative_row(&page, &state, &stored);
    let i = stored.initiative;
    let lang = page.lang.code();
    let period = match (i.starts_on, i.ends_on) {
        (Some(s), Some(e)) => page.t_args(
            "initiative-period",
            &[
                ("from", long_date(s, &page)),
                ("until", long_date(e, &page)),
            ],
        ),
        _ => String::new(),
    };
    Ok(render(
        StatusCode::OK,
        &InitiativePage {
            region: state.regional().regions().area(&i.region),
            period,
            partners: i
                .partners
                .iter()
                .map(|p| (p.name.clone(), p.role.clone()))
                .collect(),
            target_groups: i.target_groups.join(", "),
            funding: i
                .funding
                .iter()
                .map(|f| (f.funder.clone(), f.amount.format_euros(lang)))
                .collect(),
            developed: i
                .developed
                .iter()
                .map(|d| (page.t(&format!("initiative-developed-{}", d.kind)), d.count))
                .collect(),
            contact: i.contact,
            results: i.results,
            row,
            page,
        },
    ))
}

#[derive(Template)]
#[template(path = "regions/admin.html")]
struct AdminPage {
    page: PageCtx,
    form: std::collections::HashMap<String, String>,
    areas: Vec<(String, String)>,
    errors: FieldErrors,
    /// What the last upload did, in a sentence, and its problems (line, text).
    outcome: Option<String>,
    problems: Vec<(u64, String)>,
}

impl AdminPage {
    fn v(&self, name: &str) -> String {
        self.form.get(name).cloned().unwrap_or_default()
    }
}

fn admin_page(
    state: &AppState,
    page: PageCtx,
    form: std::collections::HashMap<String, String>,
    errors: FieldErrors,
    outcome: Option<String>,
    problems: Vec<(u64, String)>,
) -> Response {
    let status = if errors.is_empty() && problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let areas = area_choices(state, &page);
    render(
        status,
        &AdminPage {
            page,
            form,
            areas,
            errors,
            outcome,
            problems,
        },
    )
}

/// GET /beheer/initiatieven: add an initiative, or upload a CSV file of them.
pub async fn admin(
    State(state): State<AppState>,
    page: PageCtx,
    _auth: Authz<perm::ManageProgrammes>,
) -> Response {
    admin_page(
        &state,
        page,
        Default::default(),
        FieldErrors::default(),
        None,
        Vec::new(),
    )
}

/// POST /beheer/initiatieven
pub async fn add(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageProgrammes>,
    CsrfForm(form): CsrfForm<std::collections::HashMap<String, String>>,
) -> Result<Response, Problem> {
    let get = |k: &str| form.get(k).cloned().unwrap_or_default();
    let input = InitiativeInput {
        title: get("title"),
        summary: get("summary"),
        region: get("region"),
        municipalities: get("municipalities"),
        sector: get("sector"),
        partners: get("partners"),
        target_groups: get("target_groups"),
        participants_target: get("participants_target"),
        participants_realised: get("participants_realised"),
        funding: get("funding"),
        starts_on: get("starts_on"),
        ends_on: get("ends_on"),
        developed: get("developed"),
        contact: get("contact"),
        results: get("results"),
        parel: get("parel"),
    };
    match state
        .regional()
        .add_initiative(&auth.principal, &input)
        .await
    {
        Ok(id) => Ok(Redirect::to(&format!("/initiatieven/{id}")).into_response()),
        Err(AppError::InvalidFields(list)) => {
            let errors = FieldErrors::of(page.lang, &list, str::to_owned);
            Ok(admin_page(&state, page, form, errors, None, Vec::new()))
        }
        Err(e) => Err(e.into()),
    }
}

/// POST /beheer/initiatieven/uploaden: a CSV file of initiatives, all or nothing, with a dry run.
pub async fn upload(
    State(state): State<AppState>,
    page: PageCtx,
    auth: Authz<perm::ManageProgrammes>,
    form: CsrfMultipart,
) -> Result<Response, Problem> {
    let dry_run = !form.text("controleren").is_empty();
    let Some(file) = form.file("bestand") else {
        let mut errors = FieldErrors::default();
        errors.add("bestand", page.t("initiative-upload-choose"));
        return Ok(admin_page(
            &state,
            page,
            Default::default(),
            errors,
            None,
            Vec::new(),
        ));
    };
    let rows = match leerpad_formats::initiatives::read(&file.bytes) {
        Ok(rows) => rows,
        Err(e) => {
            let mut errors = FieldErrors::default();
            errors.add(
                "bestand",
                page.t_args("portal-upload-unreadable", &[("reason", e.to_string())]),
            );
            return Ok(admin_page(
                &state,
                page,
                Default::default(),
                errors,
                None,
                Vec::new(),
            ));
        }
    };
    let report = state
        .regional()
        .import(&auth.principal, rows, dry_run)
        .await?;
    let problems: Vec<(u64, String)> = report
        .problems
        .iter()
        .map(|(line, e)| {
            let text = field_problems(page.lang, std::slice::from_ref(e)).join(" ");
            let text = if e.field.is_empty() {
                text
            } else {
                format!("{}: {text}", e.field)
            };
            (*line, text)
        })
        .collect();
    let outcome = if !problems.is_empty() {
        page.t_args(
            "initiative-upload-problems",
            &[
                ("rows", report.rows.to_string()),
                ("problems", problems.len().to_string()),
            ],
        )
    } else if dry_run {
        page.t_args(
            "initiative-upload-checked",
            &[("valid", report.valid.to_string())],
        )
    } else {
        page.t_args(
            "initiative-upload-written",
            &[("written", report.written.to_string())],
        )
    };
    Ok(admin_page(
        &state,
        page,
        Default::default(),
        FieldErrors::default(),
        Some(outcome),
        problems,
    ))
}

pub(crate) fn routes() -> axum::Router<AppState> {
    use axum::extract::DefaultBodyLimit;
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/regio", get(overview))
        .route("/regio/{slug}", get(region))
        .route("/regio/{slug}/overstap/{from}/{to}", get(transition))
        .route(
            "/leercultuur",
            get(super::culture::form).post(super::culture::answer),
        )
        .route("/initiatieven", get(initiatives))
        .route("/initiatieven/{id}", get(initiative))
        .route("/beheer/initiatieven", get(admin).post(add))
        .route("/beheer/dashboard", get(super::dashboard::dashboard))
        .route(
            "/beheer/dashboard.csv",
            get(super::dashboard::dashboard_csv),
        )
        .route(
            "/beheer/initiatieven/uploaden",
            post(upload).layer(DefaultBodyLimit::max(5 * 1024 * 1024)),
        )
}

/// Every region for a select: provinces by name, labour-market regions marked as such (some
/// share their province's name).
pub(crate) fn area_choices(state: &AppState, page: &PageCtx) -> Vec<(String, String)> {
    state
        .regional()
        .regions()
        .areas()
        .iter()
        .map(|a| {
            let label = match a.kind {
                AreaKind::Province => a.name.clone(),
                AreaKind::LabourMarket => {
                    format!(
                        "{} ({})",
                        a.name,
                        page.t("region-kind-labour-market").to_lowercase()
                    )
                }
            };
            (a.slug.clone(), label)
        })
        .collect()
}
