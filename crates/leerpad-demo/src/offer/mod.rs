//! One demo offer, step by step. Every step draws from the generator's one seeded RNG, so the
//! order of the steps, and of the draws within each, fixes the catalogue a seed gives.
//!
//! This file holds the steps that decide what an offer is; its texts and its price and runs
//! each have their own file.

mod terms;
mod writing;

use super::{Generator, MboTrack, ProviderKind, texts};
use leerpad_domain::catalogue::{LocalizedInput, OfferInput};
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

/// A generated offer with what it was generated to be about: the ground truth that
/// `leerpad eval search` judges results by.
#[derive(Debug, Clone)]
pub struct MadeOffer {
    pub input: OfferInput,
    /// The occupation its title, texts and skills were drawn from.
    pub occupation: Option<OccupationId>,
    /// The skills it teaches (also when the provider names none).
    pub taught: Vec<SkillId>,
}

impl<'a> Generator<'a> {
    /// The next offer.
    pub fn offer(&mut self) -> OfferInput {
        self.made_offer().input
    }

    /// The next offer, with what it is about.
    pub fn made_offer(&mut self) -> MadeOffer {
        self.made += 1;
        let provider = self.rng.random_range(0..self.providers.len());
        let kind = self.pick_kind(self.providers[provider].kind);
        let mbo = is_mbo(kind);
        let track = if mbo {
            self.tracks.choose(&mut self.rng).map(|t| (*t).clone())
        } else {
            None
        };
        let (occupation, topic) = self.pick_topic(track.as_ref());
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
        let taught = plan.taught.iter().map(|t| t.0).collect();
        let crebo = mbo.then(|| format!("{}", self.rng.random_range(25_000..=26_999)));

        let provider = &mut self.providers[provider];
        provider.offers += 1;
        let (title_nl, summary_nl, description_nl) = if en_only {
            (None, None, None)
        } else {
            (Some(title_nl), Some(summary_nl), Some(description_nl))
        };
        let input = OfferInput {
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
        };
        MadeOffer {
            input,
            occupation,
            taught,
        }
    }

    /// The kind of offer, by what the provider is.
    fn pick_kind(&mut self, provider: ProviderKind) -> &'static str {
        match provider {
            ProviderKind::Roc => self.one_of(&[
                "bbl",
                "bol",
                "deelcertificaat",
                "mbo_certificate",
                "praktijkverklaring",
                "course",
            ]),
            ProviderKind::University => {
                self.one_of(&["hbo_wo_course", "hbo_wo_course", "course", "module"])
            }
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
    fn pick_topic(&mut self, track: Option<&MboTrack>) -> (Option<OccupationId>, Topic<'a>) {
        let oid = match track.and_then(|t| t.occupation) {
            Some(o) => o,
            None => self.random_occupation(),
        };
        let known = self.src.taxonomy.occupations.get(oid as usize).is_some();
        (known.then_some(oid), self.topic(oid))
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
            "hbo_wo_course" => Some(self.either(0.75, "hbo", "wo").to_owned()),
            _ if self.rng.random_bool(0.35) => None,
            _ => Some(self.one_of(&["mbo2", "mbo3", "mbo4", "hbo"]).to_owned()),
        }
    }

    fn pick_modality(&mut self, kind: &str) -> &'static str {
        match kind {
            "micro_learning" => self.either(0.9, "online", "blended"),
            "bbl" | "bol" | "praktijkverklaring" => self.either(0.85, "on_site", "blended"),
            "exam" => self.either(0.3, "online", "on_site"),
            _ => self.one_of(&[
                "online", "online", "on_site", "on_site", "on_site", "blended", "blended",
            ]),
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

    fn pick_credential(&mut self, kind: &str) -> &'static str {
        match kind {
            "bbl" | "bol" => "mbo_diploma",
            "deelcertificaat" => "deelcertificaat",
            "mbo_certificate" => "certificate",
            "praktijkverklaring" => "praktijkverklaring",
            "exam" => "industry_certificate",
            "micro_learning" => self.either(0.5, "micro_credential", "participation"),
            "hbo_wo_course" => self.either(0.6, "certificate", "participation"),
            _ => self.one_of(&["certificate", "participation", "participation"]),
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

    /// `a` with probability `p`, else `b`: one draw.
    pub(super) fn either<T>(&mut self, p: f64, a: T, b: T) -> T {
        if self.rng.random_bool(p) { a } else { b }
    }

    /// One of `options`, each as likely: one draw. The lists are never empty.
    pub(super) fn one_of(&mut self, options: &[&'static str]) -> &'static str {
        options.choose(&mut self.rng).copied().unwrap_or_default()
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
}
