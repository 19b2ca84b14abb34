//! The public side of the catalogue API: search with facets, one offer, and the change feed
//! that consumers poll; also `ProviderDto`, which the provider endpoints answer with too.
//!
//! A provider's batch upload and organisation are in `api_provider`.

use crate::api::problems::{Invalid, NotFound};
use crate::authz::MaybePrincipal;
use crate::error::Problem;
use crate::extract::{ApiPath, ApiQuery};
use crate::search_params::SearchParams;
use crate::state::AppState;
use axum::Json;
use axum::extract::{RawQuery, State};
use leerpad_app::catalogue::{MatchReason, OfferCard, OfferDetails};
use leerpad_domain::catalogue::Provider;
use leerpad_domain::catalogue::search::{FacetCounts, Highlight};
use leerpad_domain::shared::iso_date_option;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

/// A piece of text, marked when it matched the search.
#[derive(Debug, Serialize, ToSchema)]
pub struct TextPiece {
    pub text: String,
    pub mark: bool,
}

pub(crate) fn pieces(h: &Highlight) -> Vec<TextPiece> {
    h.segments()
        .into_iter()
        .map(|(text, mark)| TextPiece {
            text: text.to_owned(),
            mark,
        })
        .collect()
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProviderRef {
    pub id: i64,
    pub name: String,
}

/// An offer in a result list.
#[derive(Debug, Serialize, ToSchema)]
pub struct OfferSummary {
    pub id: i64,
    /// The offer's page.
    pub url: String,
    pub title: String,
    /// The title in pieces, search words marked.
    pub title_marked: Vec<TextPiece>,
    /// A fragment of the summary and description, search words marked.
    pub snippet: Vec<TextPiece>,
    pub provider: Option<ProviderRef>,
    /// micro_learning, course, module, deelcertificaat, mbo_certificate, bbl, bol,
    /// praktijkverklaring, hbo_wo_course or exam.
    pub kind: String,
    pub level: Option<String>,
    pub modality: String,
    /// What a participant pays (required cost lines, VAT included), in euro cents.
    pub gross_price_cents: i64,
    pub study_load_hours: Option<u32>,
    pub credential: String,
    pub languages: Vec<String>,
    /// The first open run's start (YYYY-MM-DD).
    pub next_start: Option<String>,
    /// Municipalities it runs in.
    pub places: Vec<String>,
    /// Why it answers a search naming an occupation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<MatchedOccupation>,
}

/// The occupation a search named that an offer is for.
#[derive(Debug, Serialize, ToSchema)]
pub struct MatchedOccupation {
    /// `occupation`: for the occupation searched for; `related`: for one in the same ISCO
    /// unit group.
    pub kind: String,
    /// The occupation's name.
    pub occupation: String,
}

pub(crate) fn summary_of(card: &OfferCard, lang: &str) -> OfferSummary {
    let c = &card.offer.content;
    OfferSummary {
        id: card.offer.id.get(),
        url: format!("/opleidingen/{}", card.offer.id),
        title: c.title.get(lang).to_owned(),
        title_marked: pieces(&card.title),
        snippet: pieces(&card.snippet),
        provider: card.provider.as_ref().map(|p| ProviderRef {
            id: p.id.get(),
            name: p.name.clone(),
        }),
        kind: c.kind.to_string(),
        level: c.level.map(|l| l.to_string()),
        modality: c.modality.to_string(),
        gross_price_cents: c.gross_price_cents().cents(),
        study_load_hours: c.study_load_hours,
        credential: c.credential.to_string(),
        languages: c.languages.clone(),
        next_start: card.next_start.map(iso_date_option::format),
        places: card.places.iter().map(|m| m.name.clone()).collect(),
        reason: card.reason.as_ref().map(|r| match r {
            MatchReason::Occupation(o) => MatchedOccupation {
                kind: "occupation".into(),
                occupation: o.clone(),
            },
            MatchReason::Related(o) => MatchedOccupation {
                kind: "related".into(),
                occupation: o.clone(),
            },
        }),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}

pub(crate) fn facets_of(f: &FacetCounts) -> BTreeMap<String, Vec<FacetCount>> {
    f.0.iter()
        .map(|(facet, values)| {
            (
                facet.to_string(),
                values
                    .iter()
                    .map(|v| FacetCount {
                        value: v.value.clone(),
                        count: v.count,
                    })
                    .collect(),
            )
        })
        .collect()
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OfferSearchResult {
    /// Offers matching the search and filters.
    pub total: u64,
    pub page: usize,
    pub limit: usize,
    pub items: Vec<OfferSummary>,
    /// Per facet (kind, level, modality, province, region, price, load, credential, language,
    /// start), each value with its count. A facet's counts ignore its own selection.
    pub facets: BTreeMap<String, Vec<FacetCount>>,
    /// The next page, when there is one.
    pub next_page: Option<usize>,
}

/// Parameters of the catalogue search. Facet parameters may repeat or hold comma-separated
/// values; values within a facet are alternatives, facets combine.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct OfferSearchParams {
    /// Words, Dutch or English (typos tolerated); empty lists everything.
    q: Option<String>,
    /// Offer kinds, e.g. `course,module`.
    kind: Option<String>,
    /// mbo1 … mbo4, hbo, wo.
    level: Option<String>,
    /// online, on_site, blended.
    modality: Option<String>,
    /// Province names.
    province: Option<String>,
    /// Labour-market regions (arbeidsmarktregio's).
    region: Option<String>,
    /// Price bands: free, 0-250, 250-1000, 1000-2500, 2500+ (euros).
    price: Option<String>,
    /// Study-load bands: 0-8, 8-40, 40-200, 200+ (hours).
    load: Option<String>,
    /// Credentials.
    credential: Option<String>,
    /// Languages of instruction: nl, en, de, other.
    language: Option<String>,
    /// Only offers starting within this many weeks (1–104).
    start: Option<u32>,
    /// relevance (default), price, -price, start.
    sort: Option<String>,
    /// 1-based page.
    page: Option<usize>,
    /// 1–100, default 20.
    limit: Option<usize>,
    /// Language of titles and snippets: nl (default) or en.
    lang: Option<String>,
}

fn lang_param(raw: Option<&str>) -> &'static str {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(raw.unwrap_or("")).unwrap_or_default();
    match pairs
        .iter()
        .rev()
        .find(|(k, _)| k == "lang")
        .map(|(_, v)| v.as_str())
    {
        Some("en") => "en",
        _ => "nl",
    }
}

/// Search the catalogue: full text (Dutch and English, typo tolerant, skills by their ESCO
/// names), filters, facet counts, sorting and paging.
#[utoipa::path(get, path = "/api/v1/offers", tag = "catalogue", params(OfferSearchParams),
    responses((status = 200, body = OfferSearchResult), Invalid))]
pub async fn search(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<OfferSearchResult>, Problem> {
    let catalogue = state.catalogue();
    let params = SearchParams::parse(raw.as_deref().unwrap_or(""), catalogue.regions())?;
    let lang = lang_param(raw.as_deref());
    let found = catalogue.search(&params.query, lang).await?;
    let limit = params.query.limit;
    let shown = params.query.offset + found.cards.len();
    Ok(Json(OfferSearchResult {
        total: found.total,
        page: params.page,
        limit,
        items: found.cards.iter().map(|c| summary_of(c, lang)).collect(),
        facets: facets_of(&found.facets),
        next_page: ((shown as u64) < found.total && shown < 10_000).then_some(params.page + 1),
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LocalizedText {
    pub nl: String,
    pub en: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Place {
    /// CBS code, e.g. GM0363.
    pub code: String,
    pub name: String,
    pub province: String,
    /// Labour-market region.
    pub region: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RunDto {
    pub id: String,
    pub start: Option<String>,
    pub end: Option<String>,
    pub place: Option<Place>,
    /// open, full, closed or cancelled.
    pub status: String,
    pub application_deadline: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CostDto {
    /// tuition, exam, materials, registration or other.
    pub kind: String,
    /// Euro cents excluding VAT.
    pub amount_cents: i64,
    pub vat_percent: u8,
    /// Euro cents including VAT.
    pub gross_cents: i64,
    /// Whether every participant pays it.
    pub required: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TaughtSkill {
    pub uri: String,
    /// Leerpad's id (the ESCO page is /esco/vaardigheid/{id}).
    pub id: String,
    pub label: String,
    /// The label is English: the taxonomy has no label in the language asked for.
    pub fallback: bool,
    /// provider (stated) or extracted (found by Leerpad in the texts).
    pub source: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProviderDto {
    pub id: i64,
    pub name: String,
    pub kvk: String,
    pub accreditations: Vec<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub website: Option<String>,
    /// Other names the organisation trades under.
    pub trading_names: Vec<String>,
    /// Whether a programme manager verified the organisation; only then are its offers found.
    pub verified: bool,
}

pub(crate) fn provider_dto(p: &Provider) -> ProviderDto {
    ProviderDto {
        id: p.id.get(),
        name: p.name.clone(),
        kvk: p.kvk.clone(),
        accreditations: p.accreditations.iter().map(|a| a.to_string()).collect(),
        email: p.email.clone(),
        phone: p.phone.clone(),
        website: p.website.clone(),
        trading_names: p.trading_names.clone(),
        verified: p.verified,
    }
}

/// An offer with everything about it.
#[derive(Debug, Serialize, ToSchema)]
pub struct OfferDetail {
    pub id: i64,
    pub provider_offer_id: String,
    pub provider: Option<ProviderDto>,
    pub title: LocalizedText,
    pub summary: LocalizedText,
    pub description: LocalizedText,
    pub kind: String,
    pub level: Option<String>,
    pub nlqf: Option<u8>,
    pub crebo: Option<String>,
    pub croho: Option<String>,
    pub modality: String,
    /// fixed_dates or own_pace.
    pub schedule: String,
    pub runs: Vec<RunDto>,
    pub costs: Vec<CostDto>,
    pub gross_price_cents: i64,
    pub study_load_hours: Option<u32>,
    pub languages: Vec<String>,
    pub credential: String,
    pub skills: Vec<TaughtSkill>,
    /// draft, published or archived.
    pub status: String,
    pub created_at: String,
    pub updated_at: String,
}

pub(crate) fn detail_of(d: &OfferDetails) -> OfferDetail {
    let o = &d.offer;
    let c = &o.content;
    let date = |x: Option<leerpad_domain::shared::Date>| x.map(iso_date_option::format);
    OfferDetail {
        id: o.id.get(),
        provider_offer_id: o.provider_offer_id.clone(),
        provider: d.provider.as_ref().map(provider_dto),
        title: LocalizedText {
            nl: c.title.nl.clone(),
            en: c.title.en.clone(),
        },
        summary: LocalizedText {
            nl: c.summary.nl.clone(),
            en: c.summary.en.clone(),
        },
        description: LocalizedText {
            nl: c.description.nl.clone(),
            en: c.description.en.clone(),
        },
        kind: c.kind.to_string(),
        level: c.level.map(|l| l.to_string()),
        nlqf: c.nlqf,
        crebo: c.crebo.clone(),
        croho: c.croho.clone(),
        modality: c.modality.to_string(),
        schedule: c.schedule.to_string(),
        runs: c
            .runs
            .iter()
            .map(|r| RunDto {
                id: r.id.clone(),
                start: date(r.start),
                end: date(r.end),
                place: r
                    .municipality
                    .as_ref()
                    .and_then(|m| d.places.get(m))
                    .map(|m| Place {
                        code: m.code.clone(),
                        name: m.name.clone(),
                        province: m.province.clone(),
                        region: m.region.clone(),
                    }),
                status: r.status.to_string(),
                application_deadline: date(r.application_deadline),
            })
            .collect(),
        costs: c
            .costs
            .iter()
            .map(|k| CostDto {
                kind: k.kind.to_string(),
                amount_cents: k.amount_cents.cents(),
                vat_percent: k.vat_percent,
                gross_cents: k.gross_cents().cents(),
                required: k.required,
            })
            .collect(),
        gross_price_cents: c.gross_price_cents().cents(),
        study_load_hours: c.study_load_hours,
        languages: c.languages.clone(),
        credential: c.credential.to_string(),
        skills: d
            .skills
            .iter()
            .map(|s| TaughtSkill {
                id: leerpad_domain::taxonomy::key_of(&s.uri).to_owned(),
                uri: s.uri.clone(),
                label: s.label.clone(),
                fallback: s.fallback,
                source: s.source.to_string(),
            })
            .collect(),
        status: c.status.to_string(),
        created_at: crate::api::rfc3339(o.created_at),
        updated_at: crate::api::rfc3339(o.updated_at),
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LangParam {
    /// Language of skill labels: nl (default) or en.
    lang: Option<String>,
}

/// One offer. Drafts and archived offers are only visible to their provider.
#[utoipa::path(get, path = "/api/v1/offers/{id}", tag = "catalogue", params(("id" = i64, Path), LangParam),
    responses((status = 200, body = OfferDetail), NotFound))]
pub async fn offer(
    State(state): State<AppState>,
    viewer: MaybePrincipal,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(p): ApiQuery<LangParam>,
) -> Result<Json<OfferDetail>, Problem> {
    let lang = if p.lang.as_deref() == Some("en") {
        "en"
    } else {
        "nl"
    };
    let details = state.catalogue().offer(id, viewer.0.as_ref(), lang).await?;
    Ok(Json(detail_of(&details)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ChangesParams {
    /// Changes after this number (0 for all); pass the last `next_since`.
    since: Option<i64>,
    /// 1–1000, default 100.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 1000)]
    limit: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChangeDto {
    pub seq: i64,
    pub offer_id: i64,
    pub provider_id: i64,
    pub provider_offer_id: String,
    /// created, updated or archived.
    pub kind: String,
    pub at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChangesResult {
    pub changes: Vec<ChangeDto>,
    /// Ask again with `since` set to this to get what changed next.
    pub next_since: i64,
}

/// The change feed: the latest change of each public offer (published or archived) after
/// `since`, oldest first. Drafts are not public and not in the feed. Consumers keep
/// `next_since` and poll.
#[utoipa::path(get, path = "/api/v1/offers/changes", tag = "catalogue", params(ChangesParams),
    responses((status = 200, body = ChangesResult), Invalid))]
pub async fn changes(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<ChangesParams>,
) -> Result<Json<ChangesResult>, Problem> {
    let since = p.since.unwrap_or(0);
    if since < 0 {
        return Err(Problem::validation("since", "since: 0 or more"));
    }
    let limit = crate::api::limit_param(p.limit.as_deref(), 100, 1_000)?;
    let changes = state.catalogue().changes(since, limit).await?;
    let next_since = changes.last().map_or(since, |c| c.seq);
    Ok(Json(ChangesResult {
        changes: changes
            .into_iter()
            .map(|c| ChangeDto {
                seq: c.seq,
                offer_id: c.offer_id.get(),
                provider_id: c.provider_id.get(),
                provider_offer_id: c.provider_offer_id,
                kind: match c.kind {
                    leerpad_domain::catalogue::ports::ChangeKind::Created => "created",
                    leerpad_domain::catalogue::ports::ChangeKind::Updated => "updated",
                    leerpad_domain::catalogue::ports::ChangeKind::Archived => "archived",
                }
                .to_owned(),
                at: crate::api::rfc3339(c.at),
            })
            .collect(),
        next_since,
    }))
}

/// The public catalogue API routes with their OpenAPI description.
pub(crate) fn routes() -> utoipa_axum::router::OpenApiRouter<AppState> {
    utoipa_axum::router::OpenApiRouter::new()
        .routes(utoipa_axum::routes!(search))
        .routes(utoipa_axum::routes!(changes))
        .routes(utoipa_axum::routes!(offer))
}
