//! One demo offer, step by step. Every step draws from the generator's one seeded RNG, so the
//! order of the steps, and of the draws within each, fixes the catalogue a seed gives.

use super::{Generator, MboTrack, ProviderKind, texts};
use leerpad_domain::catalogue::{CostInput, LocalizedInput, OfferInput, RunInput};
use leerpad_domain::shared::{Money, iso_date_option};
use leerpad_domain::taxonomy::{OccupationId, Relevance, SkillId};
use rand::Rng;
use rand::distr::Distribution;
use rand::distr::weighted::WeightedIndex;
use rand::seq::IndexedRandom;

/// The pieces of an occupation the texts are built from.
struct Topic<'a> {
    name: &'a str,
    description: &'a str,
    name_en: &'a str,
    /// Skills, essential first; with Dutch labels where ESCO has them.
    skills: Vec<(SkillId, &'a str, &'a str, bool)>,
}

/// What an offer is about and how it is given, decided before its texts are written.
struct Plan<'a> {
    kind: &'static str,
    mbo_level: u8,
    track: Option<MboTrack>,
    topic: Topic<'a>,
    modality: &'static str,
    /// Skills taught: id, Dutch label (the English one where ESCO has none), English label.
    taught: Vec<(SkillId, &'a str, &'a str)>,
    /// The taught skills with a Dutch label. Dutch texts name only these; the others are
    /// listed on the offer page (marked as English) through their ESCO links.
    dutch: Vec<&'a str>,
}

impl<'a> Generator<'a> {
    /// The next offer.
    pub fn offer(&mut self) -> OfferInput {
        self.made += 1;
        let provider = self.rng.random_range(0..self.providers.len());
        let kind = self.pick_kind(self.providers[provider].kind);
        let mbo = is_mbo(kind);
        let track = if mbo {
            self.src.mbo.choose(&mut self.rng).cloned()
        } else {
            None
        };
        let topic = self.pick_topic(track.as_ref());
        let mbo_level = self.rng.random_range(2..=4u8);
        let level = self.pick_level(kind, mbo, mbo_level);
        let modality = self.pick_modality(kind);
        let own_pace = modality == "online"
            && matches!(kind, "micro_learning" | "course")
            && self.rng.random_bool(0.6);
        let taught = self.pick_skills(kind, &topic);
        let plan = Plan::new(kind, mbo_level, track, topic, modality, taught);

        let title_nl = self.dutch_title(&plan);
        let hours = self.study_hours(kind);
        let summary_nl = plan.dutch_summary();
        let description_nl = plan.dutch_description(hours);
        let english = self.rng.random_bool(0.25);
        let en_only = english && self.rng.random_bool(0.2);
        let (title_en, summary_en) = english.then(|| plan.english_texts()).flatten().unzip();
        // Only an offer with an English title can do without Dutch texts.
        let en_only = en_only && title_en.is_some();
        let languages = self.pick_languages(english, en_only);

        let costs = self.price(kind, self.providers[provider].vat_exempt);
        let runs = if own_pace {
            Vec::new()
        } else {
            self.schedule_runs(&plan, provider, hours)
        };
        let credential = self.pick_credential(kind);
        let status = self.pick_status();
        let skills = self.skill_uris(&plan.taught);
        let crebo = mbo.then(|| format!("{}", self.rng.random_range(25_000..=26_999)));

        let provider = &mut self.providers[provider];
        provider.offers += 1;
        let (title_nl, summary_nl, description_nl) = if en_only {
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
            crebo,
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

    /// The kind of offer, by what the provider is.
    fn pick_kind(&mut self, provider: ProviderKind) -> &'static str {
        match provider {
            ProviderKind::Roc => [
                "bbl",
                "bol",
                "deelcertificaat",
                "mbo_certificate",
                "praktijkverklaring",
                "course",
            ]
            .choose(&mut self.rng)
            .copied()
            .unwrap_or("bbl"),
            ProviderKind::University => ["hbo_wo_course", "hbo_wo_course", "course", "module"]
                .choose(&mut self.rng)
                .copied()
                .unwrap_or("hbo_wo_course"),
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
        }
    }

    /// The occupation an offer is about. An MBO track teaches the skills of the occupation it
    /// trains for.
    fn pick_topic(&mut self, track: Option<&MboTrack>) -> Topic<'a> {
        let oid = match track.and_then(|t| t.occupation) {
            Some(o) => o,
            None => self.random_occupation(),
        };
        self.topic(oid)
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

    fn pick_level(&mut self, kind: &str, mbo: bool, mbo_level: u8) -> Option<String> {
        match kind {
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
        }
    }

    fn pick_modality(&mut self, kind: &str) -> &'static str {
        match kind {
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
        }
    }

    /// A few of the occupation's skills, essential ones most often.
    fn pick_skills(&mut self, kind: &str, topic: &Topic<'a>) -> Vec<(SkillId, &'a str, &'a str)> {
        let n_skills = match kind {
            "micro_learning" | "exam" => self.rng.random_range(1..=2),
            "bbl" | "bol" => self.rng.random_range(5..=8),
            _ => self.rng.random_range(2..=5),
        };
        let essential: Vec<&(SkillId, &str, &str, bool)> =
            topic.skills.iter().filter(|s| s.3).collect();
        let pool: Vec<&(SkillId, &str, &str, bool)> = if essential.len() >= n_skills {
            essential
        } else {
            topic.skills.iter().collect()
        };
        pool.choose_multiple(&mut self.rng, n_skills)
            .map(|s| (s.0, s.1, s.2))
            .collect()
    }

    fn dutch_title(&mut self, plan: &Plan<'_>) -> String {
        let mbo_level = plan.mbo_level;
        let occupation = plan.topic.name;
        match (plan.kind, &plan.track, plan.dutch.first().copied()) {
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
        }
    }

    fn study_hours(&mut self, kind: &str) -> i64 {
        match kind {
            "micro_learning" => self.rng.random_range(1..=4),
            "exam" => self.rng.random_range(2..=8),
            "course" => self.rng.random_range(4..=80),
            "module" => self.rng.random_range(16..=120),
            "deelcertificaat" => self.rng.random_range(80..=400),
            "mbo_certificate" => self.rng.random_range(40..=240),
            "praktijkverklaring" => self.rng.random_range(40..=200),
            "bbl" | "bol" => self.rng.random_range(800..=1600),
            _ => self.rng.random_range(40..=400),
        }
    }

    fn pick_languages(&mut self, english: bool, en_only: bool) -> Vec<String> {
        if en_only {
            vec!["en".to_owned()]
        } else if english && self.rng.random_bool(0.3) {
            vec!["nl".to_owned(), "en".to_owned()]
        } else {
            vec!["nl".to_owned()]
        }
    }

    /// Tuition by kind, sometimes materials and an exam; VAT unless the provider is exempt.
    fn price(&mut self, kind: &str, vat_exempt: bool) -> Vec<CostInput> {
        let euros = self.tuition_euros(kind);
        let vat = if vat_exempt { 0 } else { 21 };
        let round = |e: i64| if e >= 100 { e / 5 * 5 } else { e };
        let mut costs = vec![CostInput {
            kind: "tuition".into(),
            amount_cents: Money::from_cents(round(euros) * 100),
            vat_percent: Some(vat),
            required: Some(true),
        }];
        if euros > 0 && self.rng.random_bool(0.3) {
            costs.push(CostInput {
                kind: "materials".into(),
                amount_cents: Money::from_cents(self.rng.random_range(2..=15) * 500),
                vat_percent: Some(if vat == 0 { 9 } else { 21 }),
                required: Some(true),
            });
        }
        if matches!(kind, "course" | "module" | "deelcertificaat") && self.rng.random_bool(0.25) {
            costs.push(CostInput {
                kind: "exam".into(),
                amount_cents: Money::from_cents(self.rng.random_range(8..=40) * 500),
                vat_percent: Some(vat),
                required: Some(self.rng.random_bool(0.7)),
            });
        }
        costs
    }

    fn tuition_euros(&mut self, kind: &str) -> i64 {
        match kind {
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
        }
    }

    /// Runs on fixed dates in the coming months, in the provider's places.
    fn schedule_runs(&mut self, plan: &Plan<'_>, provider: usize, hours: i64) -> Vec<RunInput> {
        let places = self.providers[provider].places.clone();
        let n: i32 = match plan.kind {
            "bbl" | "bol" => self.rng.random_range(1..=2),
            _ => self.rng.random_range(1..=4),
        };
        (0..n).map(|r| self.run(r, plan, &places, hours)).collect()
    }

    /// Run `r` (counting from 0).
    fn run(&mut self, r: i32, plan: &Plan<'_>, places: &[String], hours: i64) -> RunInput {
        let start = self.run_start(r, plan.kind);
        let length_days = (hours / 4).clamp(0, 700);
        let end = start + time::Duration::days(length_days);
        let municipality = (plan.modality != "online")
            .then(|| places.choose(&mut self.rng).cloned().unwrap_or_default());
        let status = if start < self.today {
            "closed"
        } else if self.rng.random_bool(0.06) {
            "full"
        } else {
            "open"
        };
        let deadline = start - time::Duration::days(self.rng.random_range(7..=21));
        RunInput {
            id: Some(format!("{}", r + 1)),
            start: Some(iso_date_option::format(start)),
            end: Some(iso_date_option::format(end)),
            municipality,
            status: Some(status.to_owned()),
            application_deadline: Some(iso_date_option::format(deadline)),
        }
    }

    fn run_start(&mut self, r: i32, kind: &str) -> time::Date {
        if matches!(kind, "bbl" | "bol") {
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
        }
    }

    fn date_in(&mut self, min_days: i64, max_days: i64) -> time::Date {
        let days = self.rng.random_range(min_days..=max_days);
        self.today + time::Duration::days(days)
    }

    fn pick_credential(&mut self, kind: &str) -> &'static str {
        match kind {
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
        }
    }

    fn pick_status(&mut self) -> &'static str {
        match self.rng.random_range(0..100) {
            0..=2 => "draft",
            3..=4 => "archived",
            _ => "published",
        }
    }

    /// The ESCO URIs of the taught skills.
    fn skill_uris(&mut self, taught: &[(SkillId, &str, &str)]) -> Vec<String> {
        // One in ten providers name no skills: Leerpad extracts them on import.
        if self.rng.random_bool(0.1) {
            Vec::new()
        } else {
            taught
                .iter()
                .filter_map(|(s, ..)| self.src.taxonomy.skills.get(*s as usize))
                .map(|s| s.uri.clone())
                .collect()
        }
    }
}

fn is_mbo(kind: &str) -> bool {
    matches!(
        kind,
        "bbl" | "bol" | "deelcertificaat" | "mbo_certificate" | "praktijkverklaring"
    )
}

impl<'a> Plan<'a> {
    fn new(
        kind: &'static str,
        mbo_level: u8,
        track: Option<MboTrack>,
        topic: Topic<'a>,
        modality: &'static str,
        taught: Vec<(SkillId, &'a str, &'a str)>,
    ) -> Self {
        let dutch = taught
            .iter()
            .filter(|(_, nl, en)| nl != en)
            .map(|(_, nl, _)| *nl)
            .collect();
        Plan {
            kind,
            mbo_level,
            track,
            topic,
            modality,
            taught,
            dutch,
        }
    }

    /// The kind of offer, as a Dutch noun for the texts.
    fn kind_word(&self) -> &'static str {
        match self.kind {
            "micro_learning" => "korte online les",
            "course" => "cursus",
            "module" => "module",
            "exam" => "examentraining",
            "hbo_wo_course" => "opleiding",
            "bbl" => "opleiding naast je werk",
            "bol" => "opleiding",
            _ => "opleiding",
        }
    }

    fn dutch_summary(&self) -> String {
        let kind_word = self.kind_word();
        let occupation = self.topic.name;
        let skill_names: Vec<&str> = self.dutch.iter().copied().take(4).collect();
        if skill_names.is_empty() {
            format!(
                "Een {kind_word} voor wie werkt of wil werken als {occupation}. Je leert wat het vak van je vraagt."
            )
        } else {
            format!(
                "In deze {kind_word} leer je {}. Goed voor wie werkt of wil werken als {occupation}.",
                join_nl(&skill_names)
            )
        }
    }

    fn dutch_description(&self, hours: i64) -> String {
        let kind_word = self.kind_word();
        let where_word = match self.modality {
            "online" => "online, op je eigen tijd",
            "blended" => "deels online en deels in de klas",
            _ => "in de klas",
        };
        let mut description = String::new();
        if let Some(t) = &self.track {
            description.push_str(&first_sentences(&t.description, 2));
            description.push(' ');
        } else if !self.topic.description.is_empty() {
            description.push_str(&first_sentences(self.topic.description, 2));
            description.push(' ');
        }
        if self.dutch.len() > 1 {
            description.push_str(&format!("Onderwerpen: {}. ", join_nl(&self.dutch)));
        }
        description.push_str(&format!(
            "De {kind_word} duurt ongeveer {hours} uur en je volgt hem {where_word}."
        ));
        description
    }

    /// English title and summary, if the occupation has an English name.
    fn english_texts(&self) -> Option<(String, String)> {
        let name_en = self.topic.name_en;
        if name_en.is_empty() {
            return None;
        }
        let lead = self.taught.first().map(|t| t.2).unwrap_or(name_en);
        let mbo_level = self.mbo_level;
        let title = match self.kind {
            "micro_learning" => format!("In one hour: {lead}"),
            "exam" => format!("Exam: {lead}"),
            "bbl" | "bol" => format!(
                "MBO {name_en} ({}, level {mbo_level})",
                self.kind.to_uppercase()
            ),
            _ => format!("{} for {name_en}", capitalise(lead)),
        };
        let skills_en: Vec<&str> = self.taught.iter().map(|t| t.2).take(4).collect();
        Some((title, format!("You learn to {}.", join_en(&skills_en))))
    }
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
