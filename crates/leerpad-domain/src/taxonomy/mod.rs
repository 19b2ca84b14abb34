//! The ESCO skills taxonomy (skills, occupations, ISCO groups, skill groups, and how they
//! relate), loaded whole into memory, with lookups, job-title matching and skill extraction.
//!
//! [`TaxonomyData`] is the serialisable form (from the CSV bundle, the bundled compact file or the
//! database); [`Taxonomy`] adds the indexes that make lookups fast. Concepts are addressed by
//! their position (`SkillId`, `OccupationId`); URIs are the stable identifiers outside.

pub mod described;
pub mod extract;
pub mod index;
pub mod lookup;
pub mod mentions;
pub mod model;
pub mod ports;
pub mod senses;
pub mod text;
pub mod titles;

pub use model::*;

use std::collections::HashMap;

/// Position of a skill in [`TaxonomyData::skills`].
pub type SkillId = u32;
/// Position of an occupation in [`TaxonomyData::occupations`].
pub type OccupationId = u32;

/// A label in the language asked for, or in the fallback language when the taxonomy has none.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Label<'a> {
    pub text: &'a str,
    /// The language the text is in.
    pub lang: &'a str,
    /// True when `lang` is not the language asked for: shown marked in the UI.
    pub fallback: bool,
}

/// The language used when a concept has no text in the language asked for.
pub const FALLBACK_LANG: &str = "en";

/// The taxonomy with its indexes.
#[derive(Debug)]
pub struct Taxonomy {
    data: TaxonomyData,
    skill_by_key: HashMap<String, SkillId>,
    occupation_by_key: HashMap<String, OccupationId>,
    /// Skills of each occupation, essential first.
    occupation_skills: Vec<Vec<(SkillId, Relevance)>>,
    /// Occupations linking to each skill.
    skill_occupations: Vec<Vec<(OccupationId, Relevance)>>,
    /// Broader concepts (skill groups or skills) of each skill.
    skill_broader: Vec<Vec<ConceptRef>>,
    skill_group_by_uri: HashMap<String, u32>,
    isco_by_code: HashMap<String, u32>,
    pub(crate) lookup: lookup::LookupIndex,
    /// Built on first use: only search needs it.
    mentions: std::sync::OnceLock<mentions::OccupationMentions>,
}

/// The last path segment of a URI: the id used in Leerpad's URLs
/// (`…/esco/skill/0005c151-…` → `0005c151-…`, `…/isco/C2512` → `C2512`).
pub fn key_of(uri: &str) -> &str {
    uri.rsplit('/').next().unwrap_or(uri)
}

impl Taxonomy {
    pub fn new(data: TaxonomyData) -> Taxonomy {
        let mut taxonomy = Taxonomy::without_lookup(data);
        taxonomy.lookup = taxonomy.build_lookup();
        taxonomy
    }

    /// The lookup index, built separately so callers can build it alongside other indexes.
    pub fn build_lookup(&self) -> lookup::LookupIndex {
        lookup::LookupIndex::build(&self.data, &self.skill_occupations)
    }

    /// Install a lookup index made by [`Taxonomy::build_lookup`].
    pub fn set_lookup(&mut self, index: lookup::LookupIndex) {
        self.lookup = index;
    }

    /// The taxonomy with an empty lookup index (see [`Taxonomy::build_lookup`]).
    pub fn without_lookup(data: TaxonomyData) -> Taxonomy {
        let skill_by_key = data
            .skills
            .iter()
            .enumerate()
            .map(|(i, s)| (key_of(&s.uri).to_owned(), i as SkillId))
            .collect();
        let occupation_by_key = data
            .occupations
            .iter()
            .enumerate()
            .map(|(i, o)| (key_of(&o.uri).to_owned(), i as OccupationId))
            .collect();
        let mut occupation_skills = vec![Vec::new(); data.occupations.len()];
        let mut skill_occupations = vec![Vec::new(); data.skills.len()];
        for r in &data.occupation_skills {
            if let (Some(os), Some(so)) = (
                occupation_skills.get_mut(r.occupation as usize),
                skill_occupations.get_mut(r.skill as usize),
            ) {
                os.push((r.skill, r.relevance));
                so.push((r.occupation, r.relevance));
            }
        }
        for list in &mut occupation_skills {
            list.sort_by_key(|(s, r)| (*r != Relevance::Essential, *s));
        }
        let mut skill_broader = vec![Vec::new(); data.skills.len()];
        for b in &data.skill_broader {
            if let ConceptRef::Skill(s) = b.narrower
                && let Some(list) = skill_broader.get_mut(s as usize)
            {
                list.push(b.broader);
            }
        }
        let skill_group_by_uri = data
            .skill_groups
            .iter()
            .enumerate()
            .map(|(i, g)| (g.uri.clone(), i as u32))
            .collect();
        let isco_by_code = data
            .isco_groups
            .iter()
            .enumerate()
            .map(|(i, g)| (g.code.clone(), i as u32))
            .collect();
        Taxonomy {
            data,
            skill_by_key,
            occupation_by_key,
            occupation_skills,
            skill_occupations,
            skill_broader,
            skill_group_by_uri,
            isco_by_code,
            lookup: lookup::LookupIndex::default(),
            mentions: std::sync::OnceLock::new(),
        }
    }

    pub fn data(&self) -> &TaxonomyData {
        &self.data
    }

    pub fn skills(&self) -> &[SkillRecord] {
        &self.data.skills
    }

    pub fn occupations(&self) -> &[OccupationRecord] {
        &self.data.occupations
    }

    pub fn skill(&self, id: SkillId) -> Option<&SkillRecord> {
        self.data.skills.get(id as usize)
    }

    pub fn occupation(&self, id: OccupationId) -> Option<&OccupationRecord> {
        self.data.occupations.get(id as usize)
    }

    /// A skill by its key (last URI segment) or its full URI.
    pub fn skill_id(&self, key_or_uri: &str) -> Option<SkillId> {
        self.skill_by_key.get(key_of(key_or_uri)).copied()
    }

    /// The occupations a search query asks for (see [`mentions::OccupationMentions::in_query`]).
    pub fn occupations_asked_for(&self, query: &str) -> Vec<mentions::Mention> {
        self.mentions
            .get_or_init(|| mentions::OccupationMentions::build(&self.data))
            .in_query(query)
    }

    /// Occupations whose Dutch name has a word that `part` begins ("heftruck" in
    /// "heftruckchauffeur") or ends ("zorg" in "ouderenzorg"), or that is `part` itself: what
    /// someone typing a part of a Dutch compound may be after. A part shorter
    /// than four letters finds nothing (too many words start with it), and the rest of the word
    /// beside it must be a word too (at least three letters; after it, past a linking "s", "e"
    /// or "en"), so "zorg" does not find "zorgen" and "akker" not "bakker". At most `limit`, shortest names first.
    pub fn occupations_with_part(&self, part: &str, limit: usize) -> Vec<OccupationId> {
        let part = crate::shared::fold(part.trim());
        if part.chars().count() < 4 || part.contains(char::is_whitespace) {
            return Vec::new();
        }
        let rest_is_word = |rest: &str| {
            let rest = ["en", "s", "e"]
                .iter()
                .find_map(|l| rest.strip_prefix(l).filter(|r| r.chars().count() >= 3))
                .unwrap_or(rest);
            rest.chars().count() >= 3
        };
        // At the start or the end: a kind of the part ("ouderen·zorg") or a kind of
        // something with it ("heftruck·chauffeur"). A middle part ("thuis·zorg·medewerker")
        // says less about what the work is, and splits wrongly more often.
        let has_part = |word: &str| {
            word == part
                || word.strip_prefix(part.as_str()).is_some_and(rest_is_word)
                || word
                    .strip_suffix(part.as_str())
                    .is_some_and(|rest| rest.chars().count() >= 3)
        };
        let mut found: Vec<(usize, OccupationId)> = self
            .data
            .occupations
            .iter()
            .enumerate()
            .filter_map(|(id, o)| {
                let name = o.texts.iter().find(|t| t.lang == "nl")?;
                let folded = crate::shared::fold(&name.preferred);
                folded
                    .split(|c: char| !c.is_alphanumeric())
                    .any(has_part)
                    .then_some((folded.len(), id as OccupationId))
            })
            .collect();
        found.sort();
        found.into_iter().take(limit).map(|(_, id)| id).collect()
    }

    /// The occupations a text names by one of their labels (see [`mentions`]).
    pub fn occupations_named_in(&self, text: &str) -> Vec<mentions::Mention> {
        self.mentions
            .get_or_init(|| mentions::OccupationMentions::build(&self.data))
            .in_text(text)
    }

    pub fn occupation_id(&self, key_or_uri: &str) -> Option<OccupationId> {
        self.occupation_by_key.get(key_of(key_or_uri)).copied()
    }

    /// Skills of an occupation, essential ones first.
    pub fn skills_of(&self, occupation: OccupationId) -> &[(SkillId, Relevance)] {
        self.occupation_skills
            .get(occupation as usize)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Occupations that ask for a skill.
    pub fn occupations_with(&self, skill: SkillId) -> &[(OccupationId, Relevance)] {
        self.skill_occupations
            .get(skill as usize)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Broader concepts of a skill (its skill groups, or a broader skill).
    pub fn broader_of(&self, skill: SkillId) -> &[ConceptRef] {
        self.skill_broader
            .get(skill as usize)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    pub fn skill_group(&self, index: u32) -> Option<&ConceptRecord> {
        self.data.skill_groups.get(index as usize)
    }

    pub fn skill_group_index(&self, uri: &str) -> Option<u32> {
        self.skill_group_by_uri.get(uri).copied()
    }

    /// The ISCO group with this code (e.g. `2512`).
    pub fn isco_group(&self, code: &str) -> Option<&ConceptRecord> {
        self.isco_by_code
            .get(code)
            .and_then(|i| self.data.isco_groups.get(*i as usize))
    }

    /// Collections (digital, green, …) a skill belongs to.
    pub fn collections_of(&self, skill: SkillId) -> Vec<&str> {
        self.data
            .collections
            .iter()
            .filter(|c| c.skills.binary_search(&skill).is_ok())
            .map(|c| c.key.as_str())
            .collect()
    }
}

/// The text of a concept in `lang`, falling back to [`FALLBACK_LANG`], then to any language.
pub fn texts_in<'a>(texts: &'a [Texts], lang: &str) -> Option<(&'a Texts, bool)> {
    texts
        .iter()
        .find(|t| t.lang == lang && !t.preferred.is_empty())
        .map(|t| (t, false))
        .or_else(|| {
            texts
                .iter()
                .find(|t| t.lang == FALLBACK_LANG && !t.preferred.is_empty())
                .map(|t| (t, true))
        })
        .or_else(|| {
            texts
                .iter()
                .find(|t| !t.preferred.is_empty())
                .map(|t| (t, true))
        })
}

/// The preferred label of a concept in `lang`, with fallback.
pub fn label_in<'a>(texts: &'a [Texts], lang: &'a str) -> Label<'a> {
    match texts_in(texts, lang) {
        Some((t, fallback)) => Label {
            text: &t.preferred,
            lang: &t.lang,
            fallback,
        },
        None => Label {
            text: "",
            lang,
            fallback: true,
        },
    }
}

#[cfg(test)]
mod tests;

/// The ESCO collections (`green`, `digital`, `transversal`, …) are the skill lists financing
/// rules can name.
impl crate::financing::SkillLists for Taxonomy {
    fn has_list(&self, list: &str) -> bool {
        self.data.collections.iter().any(|c| c.key == list)
    }

    fn list_contains(&self, list: &str, skill_uri: &str) -> bool {
        let Some(id) = self.skill_id(skill_uri) else {
            return false;
        };
        self.data
            .collections
            .iter()
            .find(|c| c.key == list)
            .is_some_and(|c| c.skills.binary_search(&id).is_ok())
    }
}
