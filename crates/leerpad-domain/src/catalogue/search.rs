//! Searching the catalogue: the query a person puts together (words, filters, sort, page) and
//! what comes back (hits, total, facet counts). The search index adapter implements
//! [`OfferIndex`]; the rules for bands and facets live here so every adapter agrees on them.

use super::model::*;
use crate::shared::{Date, Localized, Money, OfferId, ProviderId, string_enum};
use serde::{Deserialize, Serialize};

string_enum! {
    /// Price bands of the gross price a participant pays.
    PriceBand {
        Free = "free",
        UpTo250 = "0-250",
        UpTo1000 = "250-1000",
        UpTo2500 = "1000-2500",
        Above2500 = "2500+",
    }
}

impl PriceBand {
    pub fn of(gross: Money) -> PriceBand {
        match gross.cents() {
            i64::MIN..=0 => PriceBand::Free,
            1..=25_000 => PriceBand::UpTo250,
            25_001..=100_000 => PriceBand::UpTo1000,
            100_001..=250_000 => PriceBand::UpTo2500,
            _ => PriceBand::Above2500,
        }
    }
}

string_enum! {
    /// Study-load bands, in hours.
    LoadBand {
        UpTo8 = "0-8",
        UpTo40 = "8-40",
        UpTo200 = "40-200",
        Above200 = "200+",
    }
}

impl LoadBand {
    pub fn of(hours: u32) -> LoadBand {
        match hours {
            0..=8 => LoadBand::UpTo8,
            9..=40 => LoadBand::UpTo40,
            41..=200 => LoadBand::UpTo200,
            _ => LoadBand::Above200,
        }
    }
}

/// "Starts within N weeks" choices offered as a facet.
pub const START_WITHIN_WEEKS: [u32; 3] = [4, 13, 26];

/// Languages of instruction offered as facet values; others count as `other`.
pub const FACET_LANGUAGES: [&str; 4] = ["nl", "en", "de", "other"];

string_enum! {
    /// The facets of the catalogue search.
    Facet {
        Kind = "kind",
        Level = "level",
        Modality = "modality",
        Province = "province",
        Region = "region",
        Price = "price",
        Load = "load",
        Credential = "credential",
        Language = "language",
        Start = "start",
    }
}

string_enum! {
    SortOrder {
        Relevance = "relevance",
        PriceAsc = "price",
        PriceDesc = "-price",
        StartDate = "start",
    }
}

/// The filters of a search; within one facet the values are alternatives (OR), across facets
/// all must hold (AND).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferFilters {
    pub kinds: Vec<OfferKind>,
    pub levels: Vec<Level>,
    pub modalities: Vec<Modality>,
    pub provinces: Vec<String>,
    pub regions: Vec<String>,
    pub prices: Vec<PriceBand>,
    pub loads: Vec<LoadBand>,
    pub credentials: Vec<Credential>,
    pub languages: Vec<String>,
    /// Only offers with an open run starting within this many weeks.
    pub start_within_weeks: Option<u32>,
    pub provider_id: Option<ProviderId>,
}

impl OfferFilters {
    /// These filters without the one on `facet`: facet counts of a facet ignore its own
    /// selection, so the other choices stay visible with their counts.
    pub fn without(&self, facet: Facet) -> OfferFilters {
        let mut f = self.clone();
        match facet {
            Facet::Kind => f.kinds.clear(),
            Facet::Level => f.levels.clear(),
            Facet::Modality => f.modalities.clear(),
            Facet::Province => f.provinces.clear(),
            Facet::Region => f.regions.clear(),
            Facet::Price => f.prices.clear(),
            Facet::Load => f.loads.clear(),
            Facet::Credential => f.credentials.clear(),
            Facet::Language => f.languages.clear(),
            Facet::Start => f.start_within_weeks = None,
        }
        f
    }

    /// The facets that have a selection.
    pub fn active(&self) -> Vec<Facet> {
        Facet::ALL
            .iter()
            .copied()
            .filter(|f| self.without(*f) != *self)
            .collect()
    }
}

/// A search as asked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OfferQuery {
    /// Free text, Dutch or English; empty lists everything.
    pub text: String,
    pub filters: OfferFilters,
    pub sort: SortOrder,
    /// Results to skip (page × page size).
    pub offset: usize,
    pub limit: usize,
    /// Only offers teaching at least one of these skills (ESCO keys), ranked by the summed
    /// weights of the ones they teach: how a training plan finds its candidates.
    pub teaches: Vec<(String, f32)>,
    /// Occupations the text names (resolved through the taxonomy by the use case): their
    /// offers rank first, then those of their ISCO unit groups, whatever words they use.
    #[serde(default)]
    pub occupations: Vec<QueryOccupation>,
    /// ESCO keys of skills the whole text names by one of their labels: offers teaching them
    /// rank first.
    #[serde(default)]
    pub named_skills: Vec<String>,
}

/// An occupation a search names, as the index knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueryOccupation {
    /// ESCO key (last URI segment).
    pub key: String,
    /// ISCO-08 unit group (4 digits).
    pub isco: String,
    /// Asked for through the work a word names ("boekhouding"), not by name: a guess, so the
    /// other occupations of its ISCO group do not rank with it.
    #[serde(default)]
    pub by_work: bool,
    /// Found because a word of its name holds the one word searched for ("heftruck" in
    /// "heftruckchauffeur"): its offers rank above words alone, below occupations named.
    #[serde(default)]
    pub by_part: bool,
    /// Found because the query describes its work without naming it ("daken leggen" for
    /// dakdekker): how well, in percent of the best such occupation. A guess as well.
    #[serde(default)]
    pub described: Option<u8>,
}

impl QueryOccupation {
    /// The occupation as named in a query (not a guess).
    pub fn of(record: &crate::taxonomy::OccupationRecord) -> QueryOccupation {
        QueryOccupation {
            key: crate::taxonomy::key_of(&record.uri).to_owned(),
            isco: record.isco_code.clone(),
            by_work: false,
            by_part: false,
            described: None,
        }
    }
}

impl Default for OfferQuery {
    fn default() -> Self {
        OfferQuery {
            text: String::new(),
            filters: OfferFilters::default(),
            sort: SortOrder::Relevance,
            offset: 0,
            limit: 20,
            teaches: Vec::new(),
            occupations: Vec::new(),
            named_skills: Vec::new(),
        }
    }
}

/// One value of a facet with the number of results that have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FacetValue {
    pub value: String,
    pub count: u64,
}

/// Counts per value, for every facet, in a stable order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FacetCounts(pub Vec<(Facet, Vec<FacetValue>)>);

impl FacetCounts {
    pub fn get(&self, facet: Facet) -> &[FacetValue] {
        self.0
            .iter()
            .find(|(f, _)| *f == facet)
            .map(|(_, v)| v.as_slice())
            .unwrap_or(&[])
    }

    pub fn count(&self, facet: Facet, value: &str) -> u64 {
        self.get(facet)
            .iter()
            .find(|v| v.value == value)
            .map_or(0, |v| v.count)
    }
}

/// A found offer, with its relevance score.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Hit {
    pub offer_id: OfferId,
    pub score: f32,
}

/// One page of results.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SearchPage {
    pub total: u64,
    pub hits: Vec<Hit>,
    pub facets: FacetCounts,
    /// Query words the index knows, for highlighting (stemmed forms are matched by the adapter).
    pub terms: Vec<String>,
}

/// What the search index holds of an offer: the texts to search and the values to filter and
/// count on, computed once at indexing time.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexedOffer {
    pub offer_id: OfferId,
    pub provider_id: ProviderId,
    pub title: Localized,
    pub summary: Localized,
    pub description: Localized,
    pub provider_name: String,
    /// Labels and synonyms of the skills taught, as (language, text), so a search for a skill
    /// finds the offers that teach it.
    pub skill_labels: Vec<(String, String)>,
    /// Keys (last URI segment) of the ESCO skills taught, for [`OfferQuery::teaches`].
    pub skill_keys: Vec<String>,
    /// ESCO keys of the occupations the offer is for (see `Taxonomy::occupations_of_offer`).
    pub occupation_keys: Vec<String>,
    /// Their ISCO-08 unit groups.
    pub isco_groups: Vec<String>,
    pub kind: OfferKind,
    pub level: Option<Level>,
    pub modality: Modality,
    pub provinces: Vec<String>,
    pub regions: Vec<String>,
    pub gross_price_cents: Money,
    pub study_load_hours: Option<u32>,
    pub credential: Credential,
    pub languages: Vec<String>,
    /// Start dates of the open runs.
    pub starts: Vec<Date>,
    pub published: bool,
    pub updated_at: crate::UnixTime,
}

/// A piece of text with the byte ranges of the words that matched a search, for highlighting.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Highlight {
    pub fragment: String,
    /// Byte ranges in `fragment`, in order, not overlapping.
    pub marks: Vec<(usize, usize)>,
}

impl Highlight {
    /// The start of `text`, cut after at most `max_chars` characters at a word boundary.
    pub fn plain(text: &str, max_chars: usize) -> Highlight {
        let mut end = text.len();
        if text.chars().count() > max_chars {
            end = text
                .char_indices()
                .nth(max_chars)
                .map(|(i, _)| i)
                .unwrap_or(text.len());
            if let Some(space) = text[..end].rfind(char::is_whitespace) {
                end = space;
            }
        }
        Highlight {
            fragment: text[..end].trim_end().to_owned(),
            marks: Vec::new(),
        }
    }

    /// The fragment as consecutive pieces, each marked or not.
    pub fn segments(&self) -> Vec<(&str, bool)> {
        let mut out = Vec::new();
        let mut at = 0;
        for &(start, end) in &self.marks {
            let (Some(before), Some(marked)) =
                (self.fragment.get(at..start), self.fragment.get(start..end))
            else {
                continue;
            };
            if !before.is_empty() {
                out.push((before, false));
            }
            out.push((marked, true));
            at = end;
        }
        if let Some(rest) = self.fragment.get(at..)
            && !rest.is_empty()
        {
            out.push((rest, false));
        }
        out
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The index cannot be read or written; it can be rebuilt from the database.
    #[error("search index: {0}")]
    Index(String),
}

/// A large write to the index: offers added are invisible until [`IndexBulk::commit`];
/// dropping it uncommitted leaves the index as it was.
pub trait IndexBulk: Send {
    fn add(&mut self, offers: &[IndexedOffer]) -> Result<(), SearchError>;
    fn commit(self: Box<Self>, change_seq: i64) -> Result<(), SearchError>;
}

/// The search index: derived from the offers in the database, kept in sync on every write.
pub trait OfferIndex: Send + Sync {
    /// Start a large write. Fails when another process is writing the index (a running server
    /// while the command line imports): the server then catches up from the database itself.
    fn bulk(&self) -> Result<Box<dyn IndexBulk + '_>, SearchError>;
    fn search(&self, query: &OfferQuery, today: Date) -> Result<SearchPage, SearchError>;
    /// Add or replace offers (by id) and make the change visible; `change_seq` is the highest
    /// change of the catalogue now reflected, remembered so a restart can catch up.
    fn upsert(&self, offers: &[IndexedOffer], change_seq: i64) -> Result<(), SearchError>;
    fn remove(&self, offer_ids: &[OfferId], change_seq: i64) -> Result<(), SearchError>;
    /// Drop everything (before a rebuild).
    fn clear(&self) -> Result<(), SearchError>;
    /// The highest change of the catalogue the index reflects (0 when empty).
    fn change_seq(&self) -> Result<i64, SearchError>;
    fn doc_count(&self) -> Result<u64, SearchError>;
    /// Mark the words of `text_query` in each of `texts` (titles when `title`, else body
    /// texts in `lang`), cut to fragments of about `max_chars` characters.
    fn highlight(
        &self,
        text_query: &str,
        lang: &str,
        title: bool,
        texts: &[&str],
        max_chars: usize,
    ) -> Vec<Highlight>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands() {
        assert_eq!(PriceBand::of(Money::from_cents(0)), PriceBand::Free);
        assert_eq!(PriceBand::of(Money::from_cents(25_000)), PriceBand::UpTo250);
        assert_eq!(
            PriceBand::of(Money::from_cents(25_001)),
            PriceBand::UpTo1000
        );
        assert_eq!(
            PriceBand::of(Money::from_cents(1_000_000)),
            PriceBand::Above2500
        );
        assert_eq!(LoadBand::of(8), LoadBand::UpTo8);
        assert_eq!(LoadBand::of(300), LoadBand::Above200);
    }

    #[test]
    fn highlights_split_into_segments() {
        let h = Highlight {
            fragment: "Leer lassen en solderen".into(),
            marks: vec![(5, 11), (15, 23)],
        };
        assert_eq!(
            h.segments(),
            vec![
                ("Leer ", false),
                ("lassen", true),
                (" en ", false),
                ("solderen", true)
            ]
        );
        let cut = Highlight::plain("een twee drie vier", 9);
        assert_eq!(cut.fragment, "een twee");
        assert!(Highlight::plain("", 5).segments().is_empty());
    }

    #[test]
    fn active_facets_and_their_removal() {
        let f = OfferFilters {
            kinds: vec![OfferKind::Course],
            start_within_weeks: Some(4),
            ..Default::default()
        };
        assert_eq!(f.active(), vec![Facet::Kind, Facet::Start]);
        assert!(f.without(Facet::Kind).kinds.is_empty());
        assert_eq!(f.without(Facet::Level), f);
    }
}
