//! The serialisable taxonomy: what an ESCO CSV bundle holds, in a compact, index-linked form.

use serde::{Deserialize, Serialize};

/// Texts of a concept in one language.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Texts {
    /// ISO 639-1 code (`nl`, `en`, …).
    pub lang: String,
    pub preferred: String,
    /// Alternative labels (synonyms), one per entry.
    pub alt: Vec<String>,
    /// Synonyms as running text, when the source lost the separators between them (the English
    /// skills file in `shared/data`): usable as words, not as labels.
    pub alt_text: String,
    pub description: String,
}

/// Whether an occupation needs a skill or merely benefits from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Relevance {
    Essential,
    Optional,
}

impl Relevance {
    pub fn parse(s: &str) -> Option<Relevance> {
        match s.trim() {
            "essential" => Some(Relevance::Essential),
            "optional" => Some(Relevance::Optional),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Relevance::Essential => "essential",
            Relevance::Optional => "optional",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkillRecord {
    pub uri: String,
    /// `skill/competence` or `knowledge` (empty when ESCO leaves it out).
    pub skill_type: String,
    /// `transversal`, `cross-sector`, `sector-specific`, `occupation-specific` or empty.
    pub reuse_level: String,
    pub texts: Vec<Texts>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OccupationRecord {
    pub uri: String,
    /// The ISCO-08 unit group code (4 digits).
    pub isco_code: String,
    /// ESCO's own code, e.g. `2512.4`.
    pub code: String,
    /// A broader ESCO occupation, for occupations narrower than another.
    pub broader: Option<u32>,
    pub texts: Vec<Texts>,
}

/// An ISCO group or an ESCO skill group.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConceptRecord {
    pub uri: String,
    pub code: String,
    pub texts: Vec<Texts>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OccupationSkill {
    pub occupation: u32,
    pub skill: u32,
    pub relevance: Relevance,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkillSkill {
    pub from: u32,
    pub to: u32,
    pub relevance: Relevance,
}

/// A node of the skills pillar's hierarchy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ConceptRef {
    Skill(u32),
    SkillGroup(u32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Broader {
    pub narrower: ConceptRef,
    pub broader: ConceptRef,
}

/// An ESCO skill collection (digital, green, language, transversal, research, digComp).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Collection {
    pub key: String,
    /// Sorted skill ids.
    pub skills: Vec<u32>,
}

/// The whole taxonomy.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxonomyData {
    /// ESCO version(s) the data came from, for display and provenance.
    pub version: String,
    pub skills: Vec<SkillRecord>,
    pub occupations: Vec<OccupationRecord>,
    pub isco_groups: Vec<ConceptRecord>,
    pub skill_groups: Vec<ConceptRecord>,
    pub occupation_skills: Vec<OccupationSkill>,
    pub skill_skill: Vec<SkillSkill>,
    pub skill_broader: Vec<Broader>,
    pub collections: Vec<Collection>,
}
