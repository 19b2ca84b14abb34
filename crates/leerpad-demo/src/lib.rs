//! A realistic, deterministic demo catalogue: Dutch training offers built from the ESCO
//! taxonomy (occupations with their Dutch labels and descriptions, the skills they need), the
//! SBB MBO occupational profiles (tracks and partial certificates), real municipalities and
//! plausible providers, prices, levels, runs and study loads. Occupations are drawn in
//! proportion to how often they are advertised, so the catalogue leans where the labour
//! market does.
//!
//! The same seed and reference date always give the same catalogue. Offers come out as
//! [`OfferInput`]s, the JSON Lines format `leerpad import offers` reads.

pub mod demand;
mod offer;

pub use offer::MadeOffer;

use leerpad_domain::catalogue::{OfferInput, ProviderInput};
use leerpad_domain::regions::{Municipality, Regions};
use leerpad_domain::taxonomy::{OccupationId, Relevance, SkillId, TaxonomyData, Texts};
use rand::distr::weighted::WeightedIndex;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::{HashMap, HashSet};

/// An MBO occupational profile, as the generator uses it.
#[derive(Debug, Clone)]
pub struct MboTrack {
    pub profile: String,
    pub description: String,
    pub core_tasks: Vec<String>,
    /// The ESCO occupation the profile trains for (by title matching), whose skills an offer
    /// for this track teaches.
    pub occupation: Option<OccupationId>,
}

/// What the generator draws from.
#[derive(Debug)]
pub struct Sources<'a> {
    pub taxonomy: &'a TaxonomyData,
    pub regions: &'a Regions,
    pub mbo: &'a [MboTrack],
    /// Job offers per occupation key (last URI segment).
    pub job_offers: &'a [(&'a str, u32)],
}

/// A provider of the demo catalogue.
#[derive(Debug, Clone)]
struct DemoProvider {
    input: ProviderInput,
    prefix: String,
    kind: ProviderKind,
    /// Municipalities it teaches in (first = home).
    places: Vec<String>,
    vat_exempt: bool,
    offers: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ProviderKind {
    Training,
    Roc,
    University,
}

fn texts<'a>(list: &'a [Texts], lang: &str) -> Option<&'a Texts> {
    list.iter()
        .find(|t| t.lang == lang && !t.preferred.is_empty())
}

const PROVIDER_WORDS: [&str; 10] = [
    "Opleidingscentrum",
    "Leerhuis",
    "Trainingsbureau",
    "Academie",
    "Vakschool",
    "Kennisinstituut",
    "Studiecentrum",
    "Praktijkschool",
    "Bijscholing",
    "Leerwerkplaats",
];
const SURNAMES: [&str; 24] = [
    "De Vries",
    "Jansen",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "De Boer",
    "Mulder",
    "De Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "Van Leeuwen",
    "Dekker",
    "Brouwer",
    "De Wit",
    "Dijkstra",
    "Smits",
    "De Graaf",
    "Van der Meer",
    "Kok",
    "Jacobs",
    "Haan",
];

/// The catalogue generator.
pub struct Generator<'a> {
    src: Sources<'a>,
    rng: ChaCha8Rng,
    today: time::Date,
    providers: Vec<DemoProvider>,
    occupation_pick: WeightedIndex<f64>,
    occupations: Vec<OccupationId>,
    /// Skills of each occupation, essential first.
    skills_of: Vec<Vec<(SkillId, Relevance)>>,
    /// The MBO tracks that train for a known occupation: an offer's title, texts and skills
    /// then belong to that one occupation.
    tracks: Vec<&'a MboTrack>,
    made: u64,
}

impl std::fmt::Debug for Generator<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Generator")
            .field("made", &self.made)
            .finish()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("the taxonomy has no occupations with Dutch labels to build offers from")]
    NoOccupations,
    #[error("there are no municipalities to place offers in")]
    NoMunicipalities,
}

impl<'a> Generator<'a> {
    /// A generator for about `offers` offers (which sets how many providers there are).
    pub fn new(
        src: Sources<'a>,
        seed: u64,
        today: time::Date,
        offers: u64,
    ) -> Result<Self, DemoError> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let (occupations, weights) = occupation_weights(src.taxonomy, src.job_offers);
        let occupation_pick = WeightedIndex::new(&weights).map_err(|_| DemoError::NoOccupations)?;
        let skills_of = skills_by_occupation(src.taxonomy);
        let municipalities = src.regions.municipalities();
        if municipalities.is_empty() {
            return Err(DemoError::NoMunicipalities);
        }
        let provider_count = (offers / 40).clamp(12, 25_000) as usize;
        let mut kvks = HashSet::new();
        let providers = (0..provider_count)
            .map(|n| demo_provider(&mut rng, n, municipalities, &mut kvks))
            .collect::<Result<Vec<_>, _>>()?;
        let tracks = src.mbo.iter().filter(|t| t.occupation.is_some()).collect();
        Ok(Generator {
            tracks,
            src,
            rng,
            today,
            providers,
            occupation_pick,
            occupations,
            skills_of,
            made: 0,
        })
    }
}

/// The occupations with a Dutch label, and how likely each is to be picked.
fn occupation_weights(
    tax: &TaxonomyData,
    job_offers: &[(&str, u32)],
) -> (Vec<OccupationId>, Vec<f64>) {
    let counts: HashMap<&str, u32> = job_offers.iter().copied().collect();
    let mut occupations = Vec::new();
    let mut weights = Vec::new();
    for (i, o) in tax.occupations.iter().enumerate() {
        if texts(&o.texts, "nl").is_none() {
            continue;
        }
        let key = o.uri.rsplit('/').next().unwrap_or("");
        // Advertised occupations weigh by their job offers; the rest keep a small share.
        let n = counts.get(key).copied().unwrap_or(0);
        occupations.push(i as OccupationId);
        weights.push(1.0 + f64::from(n));
    }
    (occupations, weights)
}

/// The skills of each occupation, essential first.
fn skills_by_occupation(tax: &TaxonomyData) -> Vec<Vec<(SkillId, Relevance)>> {
    let mut skills_of = vec![Vec::new(); tax.occupations.len()];
    for r in &tax.occupation_skills {
        if let Some(list) = skills_of.get_mut(r.occupation as usize) {
            list.push((r.skill, r.relevance));
        }
    }
    for list in &mut skills_of {
        list.sort_by_key(|(s, r)| (*r != Relevance::Essential, *s));
    }
    skills_of
}

/// Provider `n`: every tenth a ROC, every twentieth (offset by one) a university of applied
/// sciences, the rest training companies.
fn demo_provider(
    rng: &mut ChaCha8Rng,
    n: usize,
    municipalities: &[Municipality],
    kvks: &mut HashSet<u32>,
) -> Result<DemoProvider, DemoError> {
    let home: &Municipality = municipalities
        .choose(rng)
        .ok_or(DemoError::NoMunicipalities)?;
    let kind = match n % 10 {
        0 => ProviderKind::Roc,
        1 if n % 20 == 1 => ProviderKind::University,
        _ => ProviderKind::Training,
    };
    let name = provider_name(rng, kind, home);
    let kvk = unique_kvk(rng, kvks);
    let (accreditations, crkbo) = accreditations(rng, kind);
    let places = teaching_places(rng, home, municipalities);
    let slug: String = name
        .chars()
        .filter(|c| c.is_ascii_alphabetic())
        .take(3)
        .collect::<String>()
        .to_ascii_uppercase();
    Ok(DemoProvider {
        input: ProviderInput {
            kvk: kvk.to_string(),
            website: Some(format!(
                "https://www.{}.example.nl",
                name.to_lowercase()
                    .replace(|c: char| !c.is_ascii_alphanumeric(), "")
            )),
            name,
            accreditations,
            email: None,
            phone: None,
            trading_names: Vec::new(),
        },
        prefix: format!("{slug}{n}"),
        kind,
        places,
        vat_exempt: crkbo || kind != ProviderKind::Training,
        offers: 0,
    })
}

fn provider_name(rng: &mut ChaCha8Rng, kind: ProviderKind, home: &Municipality) -> String {
    match kind {
        ProviderKind::Roc => format!("ROC {}", home.name),
        ProviderKind::University => format!("Hogeschool {}", home.name),
        ProviderKind::Training => {
            let word = PROVIDER_WORDS.choose(rng).copied().unwrap_or("Leerhuis");
            if rng.random_bool(0.5) {
                format!("{word} {}", home.name)
            } else {
                let surname = SURNAMES.choose(rng).copied().unwrap_or("Jansen");
                format!("{word} {surname}")
            }
        }
    }
}

/// A KvK number no other provider has.
fn unique_kvk(rng: &mut ChaCha8Rng, kvks: &mut HashSet<u32>) -> u32 {
    loop {
        let k = rng.random_range(10_000_000u32..99_999_999);
        if kvks.insert(k) {
            break k;
        }
    }
}

/// The provider's accreditations, and whether it is CRKBO-registered (and so VAT-exempt).
fn accreditations(rng: &mut ChaCha8Rng, kind: ProviderKind) -> (Vec<String>, bool) {
    let mut accreditations = Vec::new();
    let crkbo = kind == ProviderKind::Training && rng.random_bool(0.6);
    if crkbo {
        accreditations.push("CRKBO".to_owned());
    }
    if kind == ProviderKind::Training && rng.random_bool(0.5) {
        accreditations.push("NRTO".to_owned());
    }
    match kind {
        ProviderKind::Roc => accreditations.push("OCW".to_owned()),
        ProviderKind::University => accreditations.push("NVAO".to_owned()),
        ProviderKind::Training if rng.random_bool(0.2) => accreditations.push("ISO9001".to_owned()),
        ProviderKind::Training => {}
    }
    (accreditations, crkbo)
}

/// Home, and up to four other places of the same province.
fn teaching_places(
    rng: &mut ChaCha8Rng,
    home: &Municipality,
    municipalities: &[Municipality],
) -> Vec<String> {
    let mut places = vec![home.code.clone()];
    let nearby: Vec<&Municipality> = municipalities
        .iter()
        .filter(|m| m.province == home.province && m.code != home.code)
        .collect();
    for _ in 0..rng.random_range(0..5) {
        if let Some(m) = nearby.choose(rng)
            && !places.contains(&m.code)
        {
            places.push(m.code.clone());
        }
    }
    places
}

impl Iterator for Generator<'_> {
    type Item = OfferInput;
    fn next(&mut self) -> Option<OfferInput> {
        Some(self.offer())
    }
}

#[cfg(test)]
mod tests;
