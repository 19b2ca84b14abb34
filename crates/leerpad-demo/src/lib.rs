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

use leerpad_domain::catalogue::{CostInput, LocalizedInput, OfferInput, ProviderInput, RunInput};
use leerpad_domain::regions::{Municipality, Regions};
use leerpad_domain::shared::iso_date_option;
use leerpad_domain::taxonomy::{OccupationId, Relevance, SkillId, TaxonomyData, Texts};
use rand::distr::Distribution;
use rand::distr::weighted::WeightedIndex;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

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

/// The pieces of an occupation the texts are built from.
struct Topic<'a> {
    name: &'a str,
    description: &'a str,
    name_en: &'a str,
    /// Skills, essential first; with Dutch labels where ESCO has them.
    skills: Vec<(SkillId, &'a str, &'a str, bool)>,
}

fn texts<'a>(list: &'a [Texts], lang: &str) -> Option<&'a Texts> {
    list.iter()
        .find(|t| t.lang == lang && !t.preferred.is_empty())
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn first_sentences(text: &str, n: usize) -> String {
    let mut out = String::new();
    for (i, s) in text.split_inclusive(". ").enumerate() {
        if i >= n {
            break;
        }
        out.push_str(s);
    }
    out.trim().to_owned()
}

fn join_nl(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} en {last}", rest.join(", ")),
    }
}

fn join_en(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
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
        let tax = src.taxonomy;
        let counts: std::collections::HashMap<&str, u32> = src.job_offers.iter().copied().collect();
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
        let occupation_pick = WeightedIndex::new(&weights).map_err(|_| DemoError::NoOccupations)?;
        let mut skills_of = vec![Vec::new(); tax.occupations.len()];
        for r in &tax.occupation_skills {
            if let Some(list) = skills_of.get_mut(r.occupation as usize) {
                list.push((r.skill, r.relevance));
            }
        }
        for list in &mut skills_of {
            list.sort_by_key(|(s, r)| (*r != Relevance::Essential, *s));
        }
        let municipalities = src.regions.municipalities();
        if municipalities.is_empty() {
            return Err(DemoError::NoMunicipalities);
        }
        let provider_count = (offers / 40).clamp(12, 25_000) as usize;
        let mut providers = Vec::with_capacity(provider_count);
        let mut kvks = std::collections::HashSet::new();
        for n in 0..provider_count {
            let home: &Municipality = municipalities
                .choose(&mut rng)
                .ok_or(DemoError::NoMunicipalities)?;
            let kind = match n % 10 {
                0 => ProviderKind::Roc,
                1 if n % 20 == 1 => ProviderKind::University,
                _ => ProviderKind::Training,
            };
            let name = match kind {
                ProviderKind::Roc => format!("ROC {}", home.name),
                ProviderKind::University => format!("Hogeschool {}", home.name),
                ProviderKind::Training => {
                    let word = PROVIDER_WORDS
                        .choose(&mut rng)
                        .copied()
                        .unwrap_or("Leerhuis");
                    if rng.random_bool(0.5) {
                        format!("{word} {}", home.name)
                    } else {
                        let surname = SURNAMES.choose(&mut rng).copied().unwrap_or("Jansen");
                        format!("{word} {surname}")
                    }
                }
            };
            let kvk = loop {
                let k = rng.random_range(10_000_000u32..99_999_999);
                if kvks.insert(k) {
                    break k;
                }
            };
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
                ProviderKind::Training if rng.random_bool(0.2) => {
                    accreditations.push("ISO9001".to_owned())
                }
                ProviderKind::Training => {}
            }
            // Teach at home and in up to four other places of the same province.
            let mut places = vec![home.code.clone()];
            let nearby: Vec<&Municipality> = municipalities
                .iter()
                .filter(|m| m.province == home.province && m.code != home.code)
                .collect();
            for _ in 0..rng.random_range(0..5) {
                if let Some(m) = nearby.choose(&mut rng)
                    && !places.contains(&m.code)
                {
                    places.push(m.code.clone());
                }
            }
            let slug: String = name
                .chars()
                .filter(|c| c.is_ascii_alphabetic())
                .take(3)
                .collect::<String>()
                .to_ascii_uppercase();
            providers.push(DemoProvider {
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
                },
                prefix: format!("{slug}{n}"),
                kind,
                places,
                vat_exempt: crkbo || kind != ProviderKind::Training,
                offers: 0,
            });
        }
        Ok(Generator {
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

    fn random_occupation(&mut self) -> OccupationId {
        let idx = self.occupation_pick.sample(&mut self.rng);
        self.occupations.get(idx).copied().unwrap_or(0)
    }

    fn topic(&self, oid: OccupationId) -> Topic<'a> {
        let tax = self.src.taxonomy;
        let Some(o) = tax.occupations.get(oid as usize) else {
            return Topic {
                name: "",
                description: "",
                name_en: "",
                skills: Vec::new(),
            };
        };
        let nl = texts(&o.texts, "nl");
        let en = texts(&o.texts, "en");
        let skills = self
            .skills_of
            .get(oid as usize)
            .map(|list| {
                list.iter()
                    .filter_map(|(s, r)| {
                        let skill = tax.skills.get(*s as usize)?;
                        let label_en = texts(&skill.texts, "en")?.preferred.as_str();
                        let label_nl =
                            texts(&skill.texts, "nl").map_or(label_en, |t| t.preferred.as_str());
                        Some((*s, label_nl, label_en, *r == Relevance::Essential))
                    })
                    .collect()
            })
            .unwrap_or_default();
        Topic {
            name: nl.map_or("", |t| t.preferred.as_str()),
            description: nl.map_or("", |t| t.description.as_str()),
            name_en: en.map_or("", |t| t.preferred.as_str()),
            skills,
        }
    }

    fn date_in(&mut self, min_days: i64, max_days: i64) -> time::Date {
        let days = self.rng.random_range(min_days..=max_days);
        self.today + time::Duration::days(days)
    }

    /// The next offer.
    pub fn offer(&mut self) -> OfferInput {
        self.made += 1;
        let provider_index = self.rng.random_range(0..self.providers.len());
        let provider_kind = self.providers[provider_index].kind;
        let kind = match provider_kind {
            ProviderKind::Roc => *[
                "bbl",
                "bol",
                "deelcertificaat",
                "mbo_certificate",
                "praktijkverklaring",
                "course",
            ]
            .choose(&mut self.rng)
            .unwrap_or(&"bbl"),
            ProviderKind::University => *["hbo_wo_course", "hbo_wo_course", "course", "module"]
                .choose(&mut self.rng)
                .unwrap_or(&"hbo_wo_course"),
            ProviderKind::Training => {
                let kinds = [
                    "course",
                    "micro_learning",
                    "module",
                    "exam",
                    "praktijkverklaring",
                    "hbo_wo_course",
                ];
                let weights = [50u32, 22, 12, 7, 3, 6];
                let pick = WeightedIndex::new(weights)
                    .map(|w| w.sample(&mut self.rng))
                    .unwrap_or(0);
                kinds[pick]
            }
        };
        let mbo = matches!(
            kind,
            "bbl" | "bol" | "deelcertificaat" | "mbo_certificate" | "praktijkverklaring"
        );
        let track = if mbo {
            self.src.mbo.choose(&mut self.rng).cloned()
        } else {
            None
        };
        // An MBO track teaches the skills of the occupation it trains for.
        let oid = match track.as_ref().and_then(|t| t.occupation) {
            Some(o) => o,
            None => self.random_occupation(),
        };
        let topic = self.topic(oid);
        let mbo_level = self.rng.random_range(2..=4u8);
        let level: Option<String> = match kind {
            _ if mbo => Some(format!("mbo{mbo_level}")),
            "hbo_wo_course" => Some(
                if self.rng.random_bool(0.75) {
                    "hbo"
                } else {
                    "wo"
                }
                .to_owned(),
            ),
            _ if self.rng.random_bool(0.35) => None,
            _ => Some(
                ["mbo2", "mbo3", "mbo4", "hbo"]
                    .choose(&mut self.rng)
                    .copied()
                    .unwrap_or("mbo3")
                    .to_owned(),
            ),
        };
        let modality = match kind {
            "micro_learning" => {
                if self.rng.random_bool(0.9) {
                    "online"
                } else {
                    "blended"
                }
            }
            "bbl" | "bol" | "praktijkverklaring" => {
                if self.rng.random_bool(0.85) {
                    "on_site"
                } else {
                    "blended"
                }
            }
            "exam" => {
                if self.rng.random_bool(0.3) {
                    "online"
                } else {
                    "on_site"
                }
            }
            _ => [
                "online", "online", "on_site", "on_site", "on_site", "blended", "blended",
            ]
            .choose(&mut self.rng)
            .copied()
            .unwrap_or("on_site"),
        };
        let own_pace = modality == "online"
            && matches!(kind, "micro_learning" | "course")
            && self.rng.random_bool(0.6);

        // Skills: a few of the occupation's, essential ones most often.
        let n_skills = match kind {
            "micro_learning" | "exam" => self.rng.random_range(1..=2),
            "bbl" | "bol" => self.rng.random_range(5..=8),
            _ => self.rng.random_range(2..=5),
        };
        let mut taught: Vec<(SkillId, &str, &str)> = Vec::new();
        let essential: Vec<&(SkillId, &str, &str, bool)> =
            topic.skills.iter().filter(|s| s.3).collect();
        let pool: Vec<&(SkillId, &str, &str, bool)> = if essential.len() >= n_skills {
            essential
        } else {
            topic.skills.iter().collect()
        };
        for s in pool.choose_multiple(&mut self.rng, n_skills) {
            taught.push((s.0, s.1, s.2));
        }
        // Dutch texts name only skills that have a Dutch label; the others are listed on the
        // offer page (marked as English) through their ESCO links.
        let dutch: Vec<&str> = taught
            .iter()
            .filter(|(_, nl, en)| nl != en)
            .map(|(_, nl, _)| *nl)
            .collect();
        let lead_nl = dutch.first().copied();
        let lead_skill_en = taught.first().map(|t| t.2).unwrap_or(topic.name_en);
        let occupation = topic.name;
        let title_nl = match (kind, &track, lead_nl) {
            ("bbl", Some(t), _) => format!("{} (bbl, niveau {mbo_level})", t.profile),
            ("bol", Some(t), _) => format!("{} (bol, niveau {mbo_level})", t.profile),
            ("deelcertificaat", Some(t), _) => format!(
                "Deelcertificaat {}: {}",
                t.profile,
                t.core_tasks
                    .choose(&mut self.rng)
                    .map_or("kerntaak", |s| s.as_str())
                    .to_lowercase()
            ),
            ("mbo_certificate", Some(t), _) => format!("Mbo-certificaat {}", t.profile),
            ("praktijkverklaring", Some(t), _) => format!("Praktijkverklaring {}", t.profile),
            ("micro_learning", _, Some(skill)) => format!("In een uur: {skill}"),
            ("micro_learning", _, None) => format!("Kennismaken met het vak {occupation}"),
            ("exam", _, Some(skill)) => format!("Examen {skill}"),
            ("exam", _, None) => format!("Examen vakbekwaam {occupation}"),
            ("hbo_wo_course", _, _) => {
                let form = ["Post-hbo", "Leergang", "Masterclass"]
                    .choose(&mut self.rng)
                    .copied()
                    .unwrap_or("Leergang");
                format!("{form} {occupation}")
            }
            ("module", _, Some(skill)) => format!("Module {skill} voor {occupation}"),
            ("module", _, None) => format!("Module vakkennis {occupation}"),
            (_, _, Some(skill)) => match self.rng.random_range(0..4) {
                0 => format!("Cursus {skill}"),
                1 => format!("{} voor beginners", capitalise(skill)),
                2 => format!("Praktijktraining {skill}"),
                _ => format!("Basistraining {occupation}"),
            },
            (_, _, None) => match self.rng.random_range(0..3) {
                0 => format!("Basistraining {occupation}"),
                1 => format!("Opfriscursus {occupation}"),
                _ => format!("Vakcursus {occupation}"),
            },
        };
        let kind_word = match kind {
            "micro_learning" => "korte online les",
            "course" => "cursus",
            "module" => "module",
            "exam" => "examentraining",
            "hbo_wo_course" => "opleiding",
            "bbl" => "opleiding naast je werk",
            "bol" => "opleiding",
            _ => "opleiding",
        };
        let skill_names: Vec<&str> = dutch.iter().copied().take(4).collect();
        let summary_nl = if skill_names.is_empty() {
            format!(
                "Een {kind_word} voor wie werkt of wil werken als {occupation}. Je leert wat het vak van je vraagt."
            )
        } else {
            format!(
                "In deze {kind_word} leer je {}. Goed voor wie werkt of wil werken als {occupation}.",
                join_nl(&skill_names)
            )
        };
        let hours: i64 = match kind {
            "micro_learning" => self.rng.random_range(1..=4),
            "exam" => self.rng.random_range(2..=8),
            "course" => self.rng.random_range(4..=80),
            "module" => self.rng.random_range(16..=120),
            "deelcertificaat" => self.rng.random_range(80..=400),
            "mbo_certificate" => self.rng.random_range(40..=240),
            "praktijkverklaring" => self.rng.random_range(40..=200),
            "bbl" | "bol" => self.rng.random_range(800..=1600),
            _ => self.rng.random_range(40..=400),
        };
        let where_word = match modality {
            "online" => "online, op je eigen tijd",
            "blended" => "deels online en deels in de klas",
            _ => "in de klas",
        };
        let mut description_nl = String::new();
        if let Some(t) = &track {
            description_nl.push_str(&first_sentences(&t.description, 2));
            description_nl.push(' ');
        } else if !topic.description.is_empty() {
            description_nl.push_str(&first_sentences(topic.description, 2));
            description_nl.push(' ');
        }
        if dutch.len() > 1 {
            description_nl.push_str(&format!("Onderwerpen: {}. ", join_nl(&dutch)));
        }
        description_nl.push_str(&format!(
            "De {kind_word} duurt ongeveer {hours} uur en je volgt hem {where_word}."
        ));
        let english = self.rng.random_bool(0.25);
        let en_only = english && self.rng.random_bool(0.2);
        let (title_en, summary_en) = if english && !topic.name_en.is_empty() {
            let title = match kind {
                "micro_learning" => format!("In one hour: {lead_skill_en}"),
                "exam" => format!("Exam: {lead_skill_en}"),
                "bbl" | "bol" => format!(
                    "MBO {} ({}, level {mbo_level})",
                    topic.name_en,
                    kind.to_uppercase()
                ),
                _ => format!("{} for {}", capitalise(lead_skill_en), topic.name_en),
            };
            let skills_en: Vec<&str> = taught.iter().map(|t| t.2).take(4).collect();
            (
                Some(title),
                Some(format!("You learn to {}.", join_en(&skills_en))),
            )
        } else {
            (None, None)
        };
        let languages = if en_only && title_en.is_some() {
            vec!["en".to_owned()]
        } else if english && self.rng.random_bool(0.3) {
            vec!["nl".to_owned(), "en".to_owned()]
        } else {
            vec!["nl".to_owned()]
        };

        // Price: by kind, VAT unless the provider is exempt.
        let euros: i64 = match kind {
            "micro_learning" => {
                if self.rng.random_bool(0.4) {
                    0
                } else {
                    self.rng.random_range(15..=99)
                }
            }
            "exam" => self.rng.random_range(95..=450),
            "course" => self.rng.random_range(95..=1_600),
            "module" => self.rng.random_range(250..=1_500),
            "deelcertificaat" => self.rng.random_range(450..=2_500),
            "mbo_certificate" => self.rng.random_range(350..=2_000),
            "praktijkverklaring" => self.rng.random_range(0..=600),
            "bbl" | "bol" => self.rng.random_range(1_200..=3_900),
            _ => self.rng.random_range(1_200..=6_500),
        };
        let provider = &self.providers[provider_index];
        let vat = if provider.vat_exempt { 0 } else { 21 };
        let round = |e: i64| if e >= 100 { e / 5 * 5 } else { e };
        let mut costs = vec![CostInput {
            kind: "tuition".into(),
            amount_cents: round(euros) * 100,
            vat_percent: Some(vat),
            required: Some(true),
        }];
        if euros > 0 && self.rng.random_bool(0.3) {
            costs.push(CostInput {
                kind: "materials".into(),
                amount_cents: self.rng.random_range(2..=15) * 500,
                vat_percent: Some(if vat == 0 { 9 } else { 21 }),
                required: Some(true),
            });
        }
        if matches!(kind, "course" | "module" | "deelcertificaat") && self.rng.random_bool(0.25) {
            costs.push(CostInput {
                kind: "exam".into(),
                amount_cents: self.rng.random_range(8..=40) * 500,
                vat_percent: Some(vat),
                required: Some(self.rng.random_bool(0.7)),
            });
        }

        // Runs: fixed dates in the coming months, in the provider's places.
        let places = self.providers[provider_index].places.clone();
        let mut runs = Vec::new();
        if !own_pace {
            let n = match kind {
                "bbl" | "bol" => self.rng.random_range(1..=2),
                _ => self.rng.random_range(1..=4),
            };
            for r in 0..n {
                let start = if matches!(kind, "bbl" | "bol") {
                    // MBO tracks start in September or February.
                    let year = self.today.year() + i32::from(self.today.month() as u8 >= 9) + r / 2;
                    let month = if r % 2 == 0 {
                        time::Month::September
                    } else {
                        time::Month::February
                    };
                    time::Date::from_calendar_date(year, month, 1).unwrap_or(self.today)
                } else {
                    self.date_in(-30, 300)
                };
                let length_days = (hours / 4).clamp(0, 700);
                let end = start + time::Duration::days(length_days);
                let municipality = (modality != "online")
                    .then(|| places.choose(&mut self.rng).cloned().unwrap_or_default());
                let status = if start < self.today {
                    "closed"
                } else if self.rng.random_bool(0.06) {
                    "full"
                } else {
                    "open"
                };
                let deadline = start - time::Duration::days(self.rng.random_range(7..=21));
                runs.push(RunInput {
                    id: Some(format!("{}", r + 1)),
                    start: Some(iso_date_option::format(start)),
                    end: Some(iso_date_option::format(end)),
                    municipality,
                    status: Some(status.to_owned()),
                    application_deadline: Some(iso_date_option::format(deadline)),
                });
            }
        }
        let credential = match kind {
            "bbl" | "bol" => "mbo_diploma",
            "deelcertificaat" => "deelcertificaat",
            "mbo_certificate" => "certificate",
            "praktijkverklaring" => "praktijkverklaring",
            "exam" => "industry_certificate",
            "micro_learning" => {
                if self.rng.random_bool(0.5) {
                    "micro_credential"
                } else {
                    "participation"
                }
            }
            "hbo_wo_course" => {
                if self.rng.random_bool(0.6) {
                    "certificate"
                } else {
                    "participation"
                }
            }
            _ => ["certificate", "participation", "participation"]
                .choose(&mut self.rng)
                .copied()
                .unwrap_or("certificate"),
        };
        let status = match self.rng.random_range(0..100) {
            0..=2 => "draft",
            3..=4 => "archived",
            _ => "published",
        };
        // One in ten providers name no skills: Leerpad extracts them on import.
        let skills = if self.rng.random_bool(0.1) {
            Vec::new()
        } else {
            taught
                .iter()
                .filter_map(|(s, ..)| self.src.taxonomy.skills.get(*s as usize))
                .map(|s| s.uri.clone())
                .collect()
        };
        let provider = &mut self.providers[provider_index];
        provider.offers += 1;
        let (title_nl, summary_nl, description_nl) = if en_only && title_en.is_some() {
            (None, None, None)
        } else {
            (Some(title_nl), Some(summary_nl), Some(description_nl))
        };
        OfferInput {
            provider: Some(provider.input.clone()),
            provider_offer_id: format!("{}-{}", provider.prefix, provider.offers),
            title: LocalizedInput {
                nl: title_nl,
                en: title_en,
            },
            summary: LocalizedInput {
                nl: summary_nl,
                en: summary_en,
            },
            description: LocalizedInput {
                nl: description_nl,
                en: None,
            },
            kind: kind.to_owned(),
            level,
            nlqf: None,
            crebo: mbo.then(|| format!("{}", self.rng.random_range(25_000..=26_999))),
            croho: None,
            modality: modality.to_owned(),
            schedule: Some(if own_pace { "own_pace" } else { "fixed_dates" }.to_owned()),
            runs,
            costs,
            study_load_hours: Some(hours),
            languages,
            credential: Some(credential.to_owned()),
            skills,
            status: Some(status.to_owned()),
        }
    }
}

impl Iterator for Generator<'_> {
    type Item = OfferInput;
    fn next(&mut self) -> Option<OfferInput> {
        Some(self.offer())
    }
}

#[cfg(test)]
mod golden_tmp;
#[cfg(test)]
mod tests;
