//! Searching the catalogue and reading one offer.

use super::*;
use leerpad_domain::catalogue::search::QueryOccupation;
use leerpad_domain::shared::{OfferId, ProviderId, fold};
use leerpad_domain::taxonomy::OccupationId;
use leerpad_domain::taxonomy::Taxonomy;
use leerpad_domain::taxonomy::described::Described;
use leerpad_domain::taxonomy::lookup::MatchTier;
use leerpad_domain::taxonomy::mentions::{self, Mention};

/// Most occupations a one-word query finds by a part of their names.
const PART_OCCUPATIONS: usize = 16;
/// Most occupations a query finds by describing their work.
const DESCRIBED_OCCUPATIONS: usize = 5;
/// Occupations scoring at least this share of the best count as described.
const DESCRIBED_WITHIN: f32 = 0.75;
/// How many of the occupations a query describes are read: an occupation guessed from the
/// form of a word ("bediening" → bediener) is kept only when it is among them.
const DESCRIBED_AT_MOST: usize = 30;

/// The occupations a query describes, as the index knows them.
fn described_occupations<'a>(
    tax: &'a Taxonomy,
    described: &'a [Described],
) -> impl Iterator<Item = QueryOccupation> + 'a {
    described.iter().filter_map(|d| {
        Some(QueryOccupation {
            described: Some(percent(d.fit)),
            ..QueryOccupation::of(tax.occupation(d.occupation)?)
        })
    })
}

/// For a query with words left beside the occupations it names: those of the occupations its
/// words describe whose Dutch name holds a label named ("tandartsassistent" for "tandarts"),
/// kinds of what was named.
fn kinds_of(
    tax: &Taxonomy,
    text: &str,
    named: &[Mention],
    described: &[Described],
) -> Vec<Described> {
    if named.is_empty() || mentions::words_left(text, named).is_empty() {
        return Vec::new();
    }
    let labels: Vec<String> = named.iter().map(|m| fold(&m.label)).collect();
    described
        .iter()
        .filter(|d| !named.iter().any(|m| m.occupation == d.occupation))
        .filter(|d| {
            tax.occupation(d.occupation)
                .and_then(|o| o.texts.iter().find(|t| t.lang == "nl"))
                .is_some_and(|t| {
                    let name = fold(&t.preferred);
                    labels
                        .iter()
                        .any(|l| name != *l && name.contains(l.as_str()))
                })
        })
        .copied()
        .collect()
}

/// A share (0–1) in whole percents.
fn percent(share: f32) -> u8 {
    (share * 100.0).round().clamp(0.0, 100.0) as u8
}

/// A found offer with what a result list shows.
#[derive(Debug, Clone)]
pub struct OfferCard {
    pub offer: Offer,
    pub provider: Option<Provider>,
    pub title: Highlight,
    pub snippet: Highlight,
    /// Municipalities it runs in.
    pub places: Vec<Municipality>,
    pub next_start: Option<Date>,
    /// Why it was found, when the query named an occupation.
    pub reason: Option<MatchReason>,
}

/// Why an offer was found for a query that names an occupation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MatchReason {
    /// The offer is for that occupation (its label, as the offer names it where it can).
    Occupation(String),
    /// The offer is for an occupation in the same ISCO unit group.
    Related(String),
}

#[derive(Debug, Clone)]
pub struct SearchResults {
    pub total: u64,
    pub cards: Vec<OfferCard>,
    pub facets: FacetCounts,
}

/// A taught skill with its label in the language asked for.
#[derive(Debug, Clone, Serialize)]
pub struct SkillLabel {
    pub uri: String,
    pub label: String,
    /// The label is in English because the taxonomy has none in the language asked for.
    pub fallback: bool,
    pub source: SkillSource,
}

/// One offer with everything its page shows.
#[derive(Debug, Clone)]
pub struct OfferDetails {
    pub offer: Offer,
    pub provider: Option<Provider>,
    pub skills: Vec<SkillLabel>,
    /// Municipality of each run, by CBS code.
    pub places: HashMap<String, Municipality>,
}

impl Catalogue {
    /// Search published offers; cards carry highlighted titles and snippets in `lang`.
    pub async fn search(&self, query: &OfferQuery, lang: &str) -> AppResult<SearchResults> {
        let today = self.today();
        let index = self.index.clone();
        let mut q = query.clone();
        let named = self.read_against_taxonomy(&mut q, lang);
        let guessed: Vec<OccupationId> = q
            .occupations
            .iter()
            .filter(|o| o.by_part || o.described.is_some())
            .filter_map(|o| self.taxonomy.taxonomy.occupation_id(&o.key))
            .collect();
        let page = index.search(&q, today).map_err(search_error)?;
        let ids: Vec<OfferId> = page.hits.iter().map(|h| h.offer_id).collect();
        let offers = self.offers.offers_by_ids(&ids).await?;
        let provider_ids: Vec<ProviderId> = offers
            .iter()
            .map(|o| o.provider_id)
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        let providers: HashMap<ProviderId, Provider> = self
            .offers
            .providers_by_ids(&provider_ids)
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
        let titles: Vec<&str> = offers.iter().map(|o| o.content.title.get(lang)).collect();
        let bodies: Vec<String> = offers
            .iter()
            .map(|o| {
                let summary = o.content.summary.get(lang);
                let description = o.content.description.get(lang);
                if summary.is_empty() {
                    description.to_owned()
                } else {
                    format!("{summary} {description}")
                }
            })
            .collect();
        let body_refs: Vec<&str> = bodies.iter().map(String::as_str).collect();
        let title_marks = self.index.highlight(&query.text, lang, true, &titles, 200);
        let snippets = self
            .index
            .highlight(&query.text, lang, false, &body_refs, 220);
        let cards = offers
            .into_iter()
            .zip(title_marks)
            .zip(snippets)
            .map(|((offer, title), snippet)| {
                let places = offer
                    .content
                    .municipalities()
                    .iter()
                    .filter_map(|c| self.regions.municipality(c).cloned())
                    .collect();
                let next_start = offer.content.next_start(today);
                let reason = self
                    .reason(&named, &offer, lang)
                    .or_else(|| self.guess_reason(&guessed, &offer, lang));
                OfferCard {
                    provider: providers.get(&offer.provider_id).cloned(),
                    offer,
                    title,
                    snippet,
                    places,
                    next_start,
                    reason,
                }
            })
            .collect();
        Ok(SearchResults {
            total: page.total,
            cards,
            facets: page.facets,
        })
    }

    /// The query as search reads it: with the occupations and skills its text names or
    /// describes (for explaining and evaluating search).
    pub fn read_query(&self, query: &OfferQuery, lang: &str) -> OfferQuery {
        let mut q = query.clone();
        self.read_against_taxonomy(&mut q, lang);
        q
    }

    /// Fill in the occupations and skills the query's text names (unless the caller already
    /// did); the occupations named, for the results' reasons.
    fn read_against_taxonomy(&self, q: &mut OfferQuery, lang: &str) -> Vec<Mention> {
        let tax = &self.taxonomy.taxonomy;
        let mut named = if q.occupations.is_empty() {
            tax.occupations_asked_for(&q.text)
        } else {
            Vec::new()
        };
        // How well the words describe each occupation's work: the best few, best first.
        let described = if q.occupations.is_empty() && !q.text.trim().is_empty() {
            self.taxonomy
                .occupations_described(&q.text, DESCRIBED_AT_MOST, 0.0)
        } else {
            Vec::new()
        };
        let near_best: Vec<Described> = described
            .iter()
            .filter(|d| d.fit >= DESCRIBED_WITHIN)
            .take(DESCRIBED_OCCUPATIONS)
            .copied()
            .collect();
        // "bediening" is the work of an ober as much as of a machine's bediener: a guess from
        // the word's form stands only where the query's words also describe that occupation.
        named.retain(|m| !m.by_work || described.iter().any(|d| d.occupation == m.occupation));
        // A query saying more than the occupations it names may be after a kind of one of
        // them ("assistente bij de tandarts" → tandartsassistent): the kinds its words describe
        // join, and all are ranked by how well the words describe each.
        let kinds = kinds_of(tax, &q.text, &named, &near_best);
        let content = mentions::words_left(&q.text, &[]).len().max(1);
        let left = mentions::words_left(&q.text, &named).len();
        let named_share = 100 - (100 * left / content).min(100) as u8;
        for m in &named {
            let fit = (!kinds.is_empty()).then(|| {
                near_best
                    .iter()
                    .find(|d| d.occupation == m.occupation)
                    .map_or(named_share, |d| percent(d.fit))
            });
            if let Some(o) = tax.occupation(m.occupation) {
                q.occupations.push(QueryOccupation {
                    by_work: m.by_work,
                    described: fit,
                    ..QueryOccupation::of(o)
                });
            }
        }
        q.occupations.extend(described_occupations(tax, &kinds));
        // One word that names no occupation may be part of their names ("heftruck",
        // "techniek"): the offers for those occupations come first.
        let one_word = q.text.split_whitespace().count() == 1;
        if named.is_empty() && q.occupations.is_empty() && one_word {
            q.occupations.extend(
                tax.occupations_with_part(&q.text, PART_OCCUPATIONS)
                    .into_iter()
                    .filter_map(|id| tax.occupation(id))
                    .map(|o| QueryOccupation {
                        by_part: true,
                        ..QueryOccupation::of(o)
                    }),
            );
        }
        if q.named_skills.is_empty() && !q.text.trim().is_empty() {
            q.named_skills = tax
                .lookup_skills(&q.text, lang, 4)
                .into_iter()
                .filter(|(_, hit)| hit.tier == MatchTier::Exact)
                .filter_map(|(id, _)| tax.skill(id))
                .map(|s| leerpad_domain::taxonomy::key_of(&s.uri).to_owned())
                .collect();
        }
        // Words that name no occupation or skill may still describe the work ("daken leggen en
        // repareren"): the offers for the occupations they fit best come first.
        if q.occupations.is_empty() && q.named_skills.is_empty() {
            q.occupations.extend(described_occupations(tax, &near_best));
        }
        named
    }

    /// Why `offer` answers a query that holds part of the names of the occupations `guessed`
    /// or describes their work: it is for one of them.
    fn guess_reason(
        &self,
        guessed: &[OccupationId],
        offer: &Offer,
        lang: &str,
    ) -> Option<MatchReason> {
        let tax = &self.taxonomy.taxonomy;
        self.occupations_of(&offer.content)
            .into_iter()
            .find(|o| guessed.contains(o))
            .and_then(|o| tax.occupation(o))
            .and_then(|r| texts_in(&r.texts, lang))
            .map(|(t, _)| MatchReason::Occupation(t.preferred.clone()))
    }

    /// Why `offer` answers a query naming the occupations `named`.
    fn reason(&self, named: &[Mention], offer: &Offer, lang: &str) -> Option<MatchReason> {
        if named.is_empty() {
            return None;
        }
        let tax = &self.taxonomy.taxonomy;
        let own = self.occupations_of(&offer.content);
        let label = |o: OccupationId| {
            tax.occupation(o)
                .and_then(|r| texts_in(&r.texts, lang))
                .map(|(t, _)| t.preferred.clone())
        };
        if let Some(m) = named.iter().find(|m| own.contains(&m.occupation)) {
            // The label the query used, when it is in the page's language; else the name.
            let text = if m.lang == lang {
                Some(m.label.clone())
            } else {
                label(m.occupation)
            };
            return text.map(MatchReason::Occupation);
        }
        let groups: Vec<&str> = named
            .iter()
            .filter_map(|m| tax.occupation(m.occupation))
            .map(|o| o.isco_code.as_str())
            .collect();
        own.iter()
            .find(|o| {
                tax.occupation(**o)
                    .is_some_and(|r| groups.contains(&r.isco_code.as_str()))
            })
            .and_then(|o| label(*o))
            .map(MatchReason::Related)
    }

    /// A published offer of a verified provider. Drafts, archived offers and the offers of an
    /// organisation not verified yet only for their provider, admins and (to verify it)
    /// programme managers.
    pub async fn offer(
        &self,
        id: i64,
        viewer: Option<&Principal>,
        lang: &str,
    ) -> AppResult<OfferDetails> {
        let offer = self
            .offers
            .offer(id)
            .await?
            .ok_or(AppError::NotFound("offer"))?;
        let provider = self.offers.provider(offer.provider_id.get()).await?;
        let public = offer.content.status == OfferStatus::Published
            && provider.as_ref().is_some_and(|p| p.verified);
        if !public {
            let own = match viewer {
                Some(p) if p.authorize(Action::ManageProgrammes).is_ok() => true,
                Some(p) if p.authorize(Action::ManageOwnOffers).is_ok() => {
                    p.roles.contains(leerpad_domain::role::Role::Admin)
                        || self
                            .offers
                            .provider_of_user(p.user_id)
                            .await?
                            .is_some_and(|mine| mine.id == offer.provider_id)
                }
                _ => false,
            };
            if !own {
                return Err(AppError::NotFound("offer"));
            }
        }
        let tax = &self.taxonomy.taxonomy;
        let skills = offer
            .content
            .skills
            .iter()
            .filter_map(|s| {
                let skill = tax.skill_id(&s.uri).and_then(|id| tax.skill(id))?;
                let (texts, fallback) = texts_in(&skill.texts, lang)?;
                Some(SkillLabel {
                    uri: s.uri.clone(),
                    label: texts.preferred.clone(),
                    fallback,
                    source: s.source,
                })
            })
            .collect();
        let places = offer
            .content
            .municipalities()
            .iter()
            .filter_map(|c| self.regions.municipality(c))
            .map(|m| (m.code.clone(), m.clone()))
            .collect();
        Ok(OfferDetails {
            offer,
            provider,
            skills,
            places,
        })
    }
}
