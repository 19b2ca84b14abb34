//! The texts of a demo offer: a Dutch title, summary and description, and sometimes an English
//! title and summary, written from the plan of what the offer is about.

use super::Plan;
use crate::Generator;
use rand::Rng;
use rand::seq::IndexedRandom;

impl Generator<'_> {
    /// The Dutch title: by kind, from the MBO track, the first skill with a Dutch label or the
    /// occupation.
    pub(super) fn dutch_title(&mut self, plan: &Plan<'_>) -> String {
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
                let form = self.one_of(&["Post-hbo", "Leergang", "Masterclass"]);
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
}

impl Plan<'_> {
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

    pub(super) fn dutch_summary(&self) -> String {
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
                join_words(&skill_names, "en")
            )
        }
    }

    pub(super) fn dutch_description(&self, hours: i64) -> String {
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
            description.push_str(&format!("Onderwerpen: {}. ", join_words(&self.dutch, "en")));
        }
        description.push_str(&format!(
            "De {kind_word} duurt ongeveer {hours} uur en je volgt hem {where_word}."
        ));
        description
    }

    /// English title and summary, if the occupation has an English name.
    pub(super) fn english_texts(&self) -> Option<(String, String)> {
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
        Some((
            title,
            format!("You learn to {}.", join_words(&skills_en, "and")),
        ))
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

/// A list in a sentence: "a, b and c", with `and` the language's word for it.
fn join_words(items: &[&str], and: &str) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} {and} {last}", rest.join(", ")),
    }
}
