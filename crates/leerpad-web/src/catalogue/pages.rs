//! The catalogue pages: `/zoeken` (search with facets; every filter is a link or a checkbox in
//! a GET form, so results are shareable URLs and work without JavaScript) and
//! `/opleidingen/{id}` (one offer, with schema.org `Course` data for search engines).

use crate::authz::MaybePrincipal;
use crate::error::Problem;
use crate::pages::{PageCtx, render};
use crate::search_params::SearchParams;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use leerpad_app::catalogue::{OfferCard, OfferDetails};
use leerpad_domain::catalogue::RunStatus;
use leerpad_domain::catalogue::search::{Facet, FacetValue, Highlight, SortOrder};
use leerpad_domain::shared::{Date, Money};

/// Euro cents as people read them (see [`Money::format_euros`]), for templates.
pub fn euros(cents: i64, lang: &str) -> String {
    Money::from_cents(cents).format_euros(lang)
}

/// "3 februari 2027" / "3 February 2027".
pub fn long_date(d: Date, page: &PageCtx) -> String {
    let month = page.t(&format!("month-{}", u8::from(d.month())));
    format!("{} {month} {}", d.day(), d.year())
}

/// A facet value as shown: its label, count, whether chosen, and the link that toggles it.
pub struct FacetOption {
    pub value: String,
    pub label: String,
    pub count: u64,
    pub selected: bool,
}

pub struct FacetGroup {
    /// The query parameter name.
    pub name: String,
    pub title: String,
    pub options: Vec<FacetOption>,
    /// Many options (regions): shown folded.
    pub long: bool,
    /// Single choice (start within N weeks).
    pub radio: bool,
    pub any_selected: bool,
}

/// Text with the words that matched the search marked.
pub struct Piece {
    pub text: String,
    pub mark: bool,
}

/// A result card as the template shows it.
pub struct Card {
    pub url: String,
    pub title: Vec<Piece>,
    pub snippet: Vec<Piece>,
    pub provider: String,
    pub facts: Vec<String>,
    pub price: String,
    pub free: bool,
    pub next_start: Option<String>,
    pub places: String,
    /// What the person pays after financing, when lower than the gross price.
    pub net_price: Option<String>,
}

fn pieces(h: &Highlight) -> Vec<Piece> {
    h.segments()
        .into_iter()
        .map(|(t, m)| Piece {
            text: t.to_owned(),
            mark: m,
        })
        .collect()
}

fn card(c: &OfferCard, page: &PageCtx) -> Card {
    let o = &c.offer.content;
    let lang = page.lang.code();
    let mut facts = vec![page.t(&format!("kind-{}", o.kind))];
    if let Some(l) = o.level {
        facts.push(page.t(&format!("level-{l}")));
    }
    facts.push(page.t(&format!("modality-{}", o.modality)));
    if let Some(h) = o.study_load_hours {
        facts.push(page.t_args("hours", &[("hours", h.to_string())]));
    }
    let gross = o.gross_price_cents();
    let mut places: Vec<&str> = c.places.iter().map(|m| m.name.as_str()).collect();
    let more = places.len().saturating_sub(3);
    places.truncate(3);
    let mut places = places.join(", ");
    if more > 0 {
        places.push_str(&page.t_args("and-more", &[("count", more.to_string())]));
    }
    Card {
        url: format!("/opleidingen/{}", c.offer.id),
        title: pieces(&c.title),
        snippet: pieces(&c.snippet),
        provider: c
            .provider
            .as_ref()
            .map(|p| p.name.clone())
            .unwrap_or_default(),
        facts,
        price: euros(gross.cents(), lang),
        free: gross == Money::ZERO,
        next_start: c.next_start.map(|d| long_date(d, page)),
        places,
        net_price: None,
    }
}

fn facet_label(page: &PageCtx, facet: Facet, value: &str) -> String {
    match facet {
        Facet::Province | Facet::Region => value.to_owned(),
        Facet::Start => page.t_args("start-within", &[("weeks", value.to_owned())]),
        _ => page.t(&format!(
            "{}-{}",
            facet.as_str(),
            value.replace('+', "plus")
        )),
    }
}

fn groups(
    params: &SearchParams,
    facets: &leerpad_domain::catalogue::search::FacetCounts,
    page: &PageCtx,
) -> Vec<FacetGroup> {
    let order = [
        Facet::Kind,
        Facet::Level,
        Facet::Modality,
        Facet::Price,
        Facet::Start,
        Facet::Province,
        Facet::Region,
        Facet::Load,
        Facet::Credential,
        Facet::Language,
    ];
    order
        .iter()
        .map(|facet| {
            let values: &[FacetValue] = facets.get(*facet);
            let options: Vec<FacetOption> = values
                .iter()
                .filter(|v| v.count > 0 || params.is_selected(*facet, &v.value))
                .map(|v| FacetOption {
                    value: v.value.clone(),
                    label: facet_label(page, *facet, &v.value),
                    count: v.count,
                    selected: params.is_selected(*facet, &v.value),
                })
                .collect();
            FacetGroup {
                any_selected: options.iter().any(|o| o.selected),
                name: facet.as_str().to_owned(),
                title: page.t(&format!("facet-{}", facet.as_str())),
                options,
                long: matches!(facet, Facet::Region | Facet::Province | Facet::Credential),
                radio: *facet == Facet::Start,
            }
        })
        .filter(|g| !g.options.is_empty())
        .collect()
}

/// A link of the pagination.
pub struct PageLink {
    pub number: usize,
    pub href: String,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "catalogue/search.html")]
struct SearchTemplate {
    page: PageCtx,
    q: String,
    total: u64,
    cards: Vec<Card>,
    groups: Vec<FacetGroup>,
    sort: String,
    sorts: Vec<(String, String)>,
    pages: Vec<PageLink>,
    prev: Option<String>,
    next: Option<String>,
    /// Selected filters with the link that removes each.
    active: Vec<(String, String)>,
    error: Option<String>,
}

pub async fn search(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: MaybePrincipal,
    jar: axum_extra::extract::cookie::CookieJar,
    RawQuery(raw): RawQuery,
) -> Result<Response, Problem> {
    let catalogue = state.catalogue();
    // A link from another language version carries `lang`; it is not a search parameter.
    let raw: String = raw
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.starts_with("lang="))
        .collect::<Vec<_>>()
        .join("&");
    let sorts = SortOrder::ALL
        .iter()
        .map(|s| {
            (
                s.to_string(),
                page.t(&format!("sort-{}", s.as_str().replace('-', "desc-"))),
            )
        })
        .collect();
    let params = match SearchParams::parse(&raw, catalogue.regions()) {
        Ok(p) => p,
        Err(problem) => {
            // A hand-edited URL: show the page with the problem instead of a bare error.
            return Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &SearchTemplate {
                    page,
                    q: String::new(),
                    total: 0,
                    cards: Vec::new(),
                    groups: Vec::new(),
                    sort: "relevance".into(),
                    sorts,
                    pages: Vec::new(),
                    prev: None,
                    next: None,
                    active: Vec::new(),
                    error: problem.detail,
                },
            ));
        }
    };
    let lang = page.lang.code();
    let found = catalogue.search(&params.query, lang).await?;
    let mut cards: Vec<Card> = found.cards.iter().map(|c| card(c, &page)).collect();
    // With the person's answers known, show what each offer costs them.
    if let Some(facts) =
        crate::financing::pages::situation_of(&state, viewer.0.as_ref(), &jar).await
    {
        let facts = state
            .financing()
            .facts_for(viewer.0.as_ref(), Some(facts))
            .await?;
        let offers: Vec<_> = found
            .cards
            .iter()
            .map(|c| {
                let acc = c
                    .provider
                    .as_ref()
                    .map(|p| p.accreditations.as_slice())
                    .unwrap_or(&[]);
                (&c.offer, acc)
            })
            .collect();
        let prices = state.financing().net_prices_of(&facts, &offers).await?;
        for (card, (gross, net)) in cards.iter_mut().zip(prices) {
            if net < gross {
                card.net_price = Some(euros(net.cents(), lang));
            }
        }
    }
    let groups = groups(&params, &found.facets, &page);
    let limit = params.query.limit.max(1);
    let last_page = (found.total as usize).min(10_000).div_ceil(limit).max(1);
    let href = |n: usize| format!("/zoeken?{}", params.with_page(n).to_query_string());
    let window = params.page.saturating_sub(2).max(1)..=(params.page + 2).min(last_page);
    let pages = window
        .map(|n| PageLink {
            number: n,
            href: href(n),
            current: n == params.page,
        })
        .collect();
    let mut active = Vec::new();
    for facet in params.query.filters.active() {
        let mut without = params.clone();
        without.query.filters = params.query.filters.without(facet);
        let without = without.with_page(1);
        let labels: Vec<String> = match facet {
            Facet::Start => params
                .query
                .filters
                .start_within_weeks
                .map(|w| vec![facet_label(&page, facet, &w.to_string())])
                .unwrap_or_default(),
            _ => found
                .facets
                .get(facet)
                .iter()
                .filter(|v| params.is_selected(facet, &v.value))
                .map(|v| facet_label(&page, facet, &v.value))
                .collect(),
        };
        active.push((
            format!(
                "{}: {}",
                page.t(&format!("facet-{}", facet.as_str())),
                labels.join(", ")
            ),
            format!("/zoeken?{}", without.to_query_string()),
        ));
    }
    Ok(render(
        StatusCode::OK,
        &SearchTemplate {
            q: params.query.text.clone(),
            total: found.total,
            cards,
            groups,
            sort: params.query.sort.to_string(),
            sorts,
            prev: (params.page > 1).then(|| href(params.page - 1)),
            next: (params.page < last_page).then(|| href(params.page + 1)),
            pages,
            active,
            error: None,
            page,
        },
    ))
}

pub struct RunRow {
    pub start: String,
    pub end: String,
    pub place: String,
    pub status: String,
    pub open: bool,
    pub deadline: String,
}

pub struct CostRow {
    pub label: String,
    pub amount: String,
    pub required: bool,
}

pub struct SkillRow {
    pub href: String,
    pub label: String,
    pub fallback: bool,
    pub extracted: bool,
}

#[derive(Template)]
#[template(path = "catalogue/offer.html")]
struct OfferTemplate {
    page: PageCtx,
    /// The price after financing, when the person answered the questionnaire.
    financing: Option<crate::financing::pages::OfferFinancingView>,
    title: String,
    title_fallback: bool,
    summary: String,
    description: String,
    text_fallback: bool,
    provider: String,
    provider_site: Option<String>,
    accreditations: String,
    facts: Vec<(String, String)>,
    skills: Vec<SkillRow>,
    any_extracted: bool,
    runs: Vec<RunRow>,
    costs: Vec<CostRow>,
    total: String,
    json_ld: String,
    draft: bool,
}

/// schema.org `Course` with its runs as `CourseInstance`s; `</` is escaped so the JSON cannot
/// end the script element.
fn course_json_ld(d: &OfferDetails, lang: &str, base_url: &str) -> String {
    let c = &d.offer.content;
    let instances: Vec<serde_json::Value> = c
        .runs
        .iter()
        .filter(|r| r.status != RunStatus::Cancelled)
        .map(|r| {
            let mut v = serde_json::json!({
                "@type": "CourseInstance",
                "courseMode": match c.modality {
                    leerpad_domain::catalogue::Modality::Online => "online",
                    leerpad_domain::catalogue::Modality::OnSite => "onsite",
                    leerpad_domain::catalogue::Modality::Blended => "blended",
                },
            });
            if let Some(s) = r.start {
                v["startDate"] = leerpad_domain::shared::iso_date_option::format(s).into();
            }
            if let Some(e) = r.end {
                v["endDate"] = leerpad_domain::shared::iso_date_option::format(e).into();
            }
            if let Some(m) = r.municipality.as_ref().and_then(|m| d.places.get(m)) {
                v["location"] = serde_json::json!({"@type": "Place", "name": m.name, "address": {"@type": "PostalAddress", "addressLocality": m.name, "addressRegion": m.province, "addressCountry": "NL"}});
            }
            v
        })
        .collect();
    let mut course = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Course",
        "name": c.title.get(lang),
        "description": c.summary.get(lang),
        "url": format!("{base_url}/opleidingen/{}", d.offer.id),
        "inLanguage": c.languages,
        "offers": {
            "@type": "Offer",
            "price": c.gross_price_cents().decimal(),
            "priceCurrency": "EUR",
            "category": if c.gross_price_cents() == Money::ZERO { "Free" } else { "Paid" },
        },
        "hasCourseInstance": instances,
        "teaches": d.skills.iter().map(|s| s.label.clone()).collect::<Vec<_>>(),
    });
    if let Some(p) = &d.provider {
        course["provider"] =
            serde_json::json!({"@type": "Organization", "name": p.name, "url": p.website});
    }
    if let Some(h) = c.study_load_hours {
        course["timeRequired"] = format!("PT{h}H").into();
    }
    // `<` only occurs inside JSON strings: escaping it keeps the data from ending the script
    // element or opening a comment.
    serde_json::to_string(&course)
        .unwrap_or_default()
        .replace('<', "\\u003c")
}

pub async fn offer(
    State(state): State<AppState>,
    page: PageCtx,
    viewer: MaybePrincipal,
    jar: axum_extra::extract::cookie::CookieJar,
    Path(id): Path<String>,
) -> Result<Response, Problem> {
    let id: i64 = id
        .parse()
        .map_err(|_| Problem::from_status(StatusCode::NOT_FOUND))?;
    let lang = page.lang.code();
    let d = state.catalogue().offer(id, viewer.0.as_ref(), lang).await?;
    let c = &d.offer.content;
    let (title, title_fallback) = c.title.get_marked(lang);
    let (summary, summary_fallback) = c.summary.get_marked(lang);
    let (description, _) = c.description.get_marked(lang);
    let mut facts = vec![(page.t("offer-kind"), page.t(&format!("kind-{}", c.kind)))];
    if let Some(l) = c.level {
        let mut level = page.t(&format!("level-{l}"));
        if let Some(n) = c.nlqf {
            level.push_str(&format!(" (NLQF {n})"));
        }
        facts.push((page.t("offer-level"), level));
    }
    facts.push((
        page.t("offer-modality"),
        page.t(&format!("modality-{}", c.modality)),
    ));
    facts.push((
        page.t("offer-schedule"),
        page.t(&format!("schedule-{}", c.schedule)),
    ));
    if let Some(h) = c.study_load_hours {
        facts.push((
            page.t("offer-load"),
            page.t_args("hours", &[("hours", h.to_string())]),
        ));
    }
    facts.push((
        page.t("offer-credential"),
        page.t(&format!("credential-{}", c.credential)),
    ));
    facts.push((
        page.t("offer-languages"),
        c.languages
            .iter()
            .map(|l| {
                page.t(&format!(
                    "language-{}",
                    if ["nl", "en", "de"].contains(&l.as_str()) {
                        l.as_str()
                    } else {
                        "other"
                    }
                ))
            })
            .collect::<Vec<_>>()
            .join(", "),
    ));
    if let Some(code) = &c.crebo {
        facts.push((page.t("offer-crebo"), code.clone()));
    }
    if let Some(code) = &c.croho {
        facts.push((page.t("offer-croho"), code.clone()));
    }
    let runs = c
        .runs
        .iter()
        .map(|r| RunRow {
            start: r.start.map(|d| long_date(d, &page)).unwrap_or_default(),
            end: r.end.map(|d| long_date(d, &page)).unwrap_or_default(),
            place: r
                .municipality
                .as_ref()
                .and_then(|m| d.places.get(m))
                .map(|m| format!("{} ({})", m.name, m.province))
                .unwrap_or_else(|| page.t("modality-online")),
            status: page.t(&format!("run-{}", r.status)),
            open: r.status == RunStatus::Open,
            deadline: r
                .application_deadline
                .map(|d| long_date(d, &page))
                .unwrap_or_default(),
        })
        .collect();
    let costs = c
        .costs
        .iter()
        .map(|k| CostRow {
            label: page.t(&format!("cost-{}", k.kind)),
            amount: euros(k.gross_cents().cents(), lang),
            required: k.required,
        })
        .collect();
    let skills: Vec<SkillRow> = d
        .skills
        .iter()
        .map(|s| SkillRow {
            href: format!(
                "/esco/vaardigheid/{}",
                leerpad_domain::taxonomy::key_of(&s.uri)
            ),
            label: s.label.clone(),
            fallback: s.fallback,
            extracted: s.source == leerpad_domain::catalogue::SkillSource::Extracted,
        })
        .collect();
    let provider = d.provider.as_ref();
    Ok(render(
        StatusCode::OK,
        &OfferTemplate {
            title: title.to_owned(),
            title_fallback,
            summary: summary.to_owned(),
            description: description.to_owned(),
            text_fallback: summary_fallback,
            provider: provider.map(|p| p.name.clone()).unwrap_or_default(),
            provider_site: provider.and_then(|p| p.website.clone()),
            accreditations: provider
                .map(|p| {
                    p.accreditations
                        .iter()
                        .map(|a| a.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default(),
            facts,
            any_extracted: skills.iter().any(|s| s.extracted),
            skills,
            runs,
            costs,
            total: euros(c.gross_price_cents().cents(), lang),
            json_ld: course_json_ld(&d, lang, ""),
            draft: c.status != leerpad_domain::catalogue::OfferStatus::Published,
            financing: crate::financing::pages::offer_financing(
                &state,
                &page,
                viewer.0.as_ref(),
                &jar,
                d.offer.id.get(),
            )
            .await,
            page,
        },
    ))
}

/// This feature's pages.
pub(crate) fn routes() -> axum::Router<AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/zoeken", get(search))
        .route("/opleidingen/{id}", get(offer))
}

#[cfg(test)]
mod tests {
    use super::euros;

    #[test]
    fn money_as_people_read_it() {
        assert_eq!(euros(123_450, "nl"), "€ 1.234,50");
        assert_eq!(euros(123_400, "nl"), "€ 1.234,-");
        assert_eq!(euros(123_450, "en"), "€1,234.50");
        assert_eq!(euros(5, "en"), "€0.05");
        assert_eq!(euros(100_000_000, "nl"), "€ 1.000.000,-");
        assert_eq!(euros(-250, "nl"), "-€ 2,50");
    }
}
