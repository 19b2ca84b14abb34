//! One offer's page, `/opleidingen/{id}`: its facts, runs, costs and skills, the net price
//! after financing when the person has answered the questionnaire, and schema.org `Course`
//! data for search engines.

use crate::authz::MaybePrincipal;
use crate::error::Problem;
use crate::pages::{PageCtx, long_date, render};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use leerpad_app::catalogue::OfferDetails;
use leerpad_domain::catalogue::RunStatus;
use leerpad_domain::shared::Money;

pub struct RunRow {
    /// The provider's id of the run (to sign up for it).
    pub id: String,
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
    financing: Option<crate::financing::check_pages::OfferFinancingView>,
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
    /// The offer's id, for signing up for a run.
    offer_id: i64,
    /// The visitor's enrolments for this offer, in words.
    enrolled: Vec<String>,
    runs: Vec<RunRow>,
    costs: Vec<CostRow>,
    total: String,
    json_ld: String,
    draft: bool,
    /// What participants said, once enough answered.
    rating: Option<crate::quality::RatingView>,
    /// The provider's rating over all its courses, in a sentence.
    provider_rating: Option<String>,
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
    // The visitor's own enrolments for this offer: where each stands.
    let mut enrolled = Vec::new();
    if let Some(p) = viewer.0.as_ref() {
        for e in state.enrolments().mine(p).await? {
            if e.offer == d.offer.id {
                let status = page.t(&format!("enrolment-status-{}", e.status));
                enrolled.push(page.t_args(
                    "enrolment-on-offer",
                    &[("run", e.run.clone()), ("status", status)],
                ));
            }
        }
    }
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
    // In date order (runs without a start date last), whatever order the provider sent.
    let mut ordered: Vec<_> = c.runs.iter().collect();
    ordered.sort_by_key(|r| (r.start.is_none(), r.start));
    let runs = ordered
        .into_iter()
        .map(|r| RunRow {
            id: r.id.clone(),
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
            amount: k.gross_cents().format_euros(lang),
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
    let rating = crate::quality::rating_view(&page, &state.quality().rating_of(d.offer.id).await?);
    let provider_rating = {
        let r = state
            .quality()
            .rating_of_provider(d.offer.provider_id)
            .await?;
        (r.answers() >= leerpad_domain::quality::PUBLISH_AT).then(|| {
            page.t_args(
                "quality-provider-line",
                &[
                    (
                        "average",
                        crate::quality::tenths(r.average_tenths().unwrap_or(0), page.lang.code()),
                    ),
                    ("count", r.answers().to_string()),
                ],
            )
        })
    };
    Ok(render(
        StatusCode::OK,
        &OfferTemplate {
            rating,
            provider_rating,
            offer_id: d.offer.id.get(),
            enrolled,
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
            total: c.gross_price_cents().format_euros(lang),
            json_ld: course_json_ld(&d, lang, ""),
            draft: c.status != leerpad_domain::catalogue::OfferStatus::Published,
            financing: crate::financing::check_pages::offer_financing(
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

/// This feature's offer page.
pub(crate) fn routes() -> axum::Router<AppState> {
    use axum::routing::get;
    axum::Router::new().route("/opleidingen/{id}", get(offer))
}
