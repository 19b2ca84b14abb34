//! The catalogue's search page, `/zoeken`: search with facets, where every filter is a link or a
//! checkbox in a GET form, so results are shareable URLs and work without JavaScript.
//!
//! One offer's page is in `offer_page`.

use crate::authz::MaybePrincipal;
use crate::error::Problem;
use crate::pages::{PageCtx, long_date, render};
use crate::search_params::SearchParams;
use crate::state::AppState;
use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use leerpad_app::catalogue::{MatchReason, OfferCard};
use leerpad_domain::catalogue::search::{Facet, FacetValue, Highlight, SortOrder};
use leerpad_domain::shared::Localized;
use leerpad_domain::shared::Money;

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
    /// What kind of training it is ("Cursus", "Mbo-opleiding naast je werk (bbl)").
    pub kind: String,
    /// Its level, when it has one ("Mbo niveau 2").
    pub level: Option<String>,
    /// The other facts: form (online, in a classroom) and study load.
    pub facts: Vec<String>,
    pub price: String,
    pub free: bool,
    pub next_start: Option<String>,
    pub places: String,
    /// What the person pays after financing, when their answers are known.
    pub net_price: Option<String>,
    /// Why it was found ("Voor het beroep verzorgende IG"), when the query named an occupation.
    pub reason: Option<String>,
    /// The language of the title and of the snippet when the provider wrote them only in the
    /// other language (so the page marks them: `lang="en"` on a Dutch page).
    pub title_lang: Option<&'static str>,
    pub snippet_lang: Option<&'static str>,
}

/// The other language, when `text` has nothing in `lang` (and shows the other one).
pub(crate) fn fallback_lang(text: &Localized, lang: &str) -> Option<&'static str> {
    let (own, other) = if lang == "en" {
        (&text.en, "nl")
    } else {
        (&text.nl, "en")
    };
    own.trim().is_empty().then_some(other)
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
    let mut facts = vec![page.t(&format!("modality-{}", o.modality))];
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
        kind: page.t(&format!("kind-{}", o.kind)),
        level: o.level.map(|l| page.t(&format!("level-{l}"))),
        facts,
        price: gross.format_euros(lang),
        free: gross == Money::ZERO,
        next_start: c.next_start.map(|d| long_date(d, page)),
        places,
        net_price: None,
        title_lang: fallback_lang(&o.title, lang),
        snippet_lang: fallback_lang(&o.summary, lang)
            .filter(|_| fallback_lang(&o.description, lang).is_some()),
        reason: c.reason.as_ref().map(|r| match r {
            MatchReason::Occupation(o) => {
                page.t_args("match-occupation", &[("occupation", o.clone())])
            }
            MatchReason::Related(o) => page.t_args("match-related", &[("occupation", o.clone())]),
        }),
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
    /// Whether the cards show the person's own price (their financing answers are known).
    own_prices: bool,
    error: Option<String>,
}

impl SearchTemplate {
    /// The page's meta description: about the query when there is one.
    fn description(&self) -> String {
        if self.q.is_empty() {
            self.page.description()
        } else {
            self.page
                .t_args("meta-search-query", &[("query", self.q.clone())])
        }
    }

    fn selected_filters(&self) -> usize {
        self.groups
            .iter()
            .flat_map(|g| &g.options)
            .filter(|o| o.selected)
            .count()
    }
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
                    own_prices: false,
                    error: problem.detail,
                },
            ));
        }
    };
    let lang = page.lang.code();
    let found = catalogue.search(&params.query, lang).await?;
    let mut cards: Vec<Card> = found.cards.iter().map(|c| card(c, &page)).collect();
    let mut own_prices = false;
    // With the person's answers known, show what each offer costs them.
    if let Some(facts) =
        crate::financing::check_pages::situation_of(&state, viewer.0.as_ref(), &jar).await
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
        for (card, (_gross, net)) in cards.iter_mut().zip(prices) {
            card.net_price = Some(net.format_euros(lang));
        }
        own_prices = true;
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
            own_prices,
            error: None,
            page,
        },
    ))
}

/// This feature's search page.
pub(crate) fn routes() -> axum::Router<AppState> {
    use axum::routing::get;
    axum::Router::new().route("/zoeken", get(search))
}
