//! A learner's skills profile: the skills a person has, each with where it came from, and the
//! circumstances that decide which training fits (level, place, time, money).

use crate::financing::{EducationLevel, PersonFacts};
use crate::regions::Regions;
use crate::shared::{FieldError, Money, string_enum};
use crate::taxonomy::{SkillId, Taxonomy};
use serde::{Deserialize, Serialize};

/// The most skills a profile may hold: far above any real person (an occupation asks for at
/// most a few hundred), low enough that matching stays fast.
pub const MAX_PROFILE_SKILLS: usize = 5_000;
/// The most occupations (past and current jobs) a profile may list.
pub const MAX_PROFILE_OCCUPATIONS: usize = 50;

string_enum! {
    /// Where a skill in a profile came from.
    SkillOrigin {
        /// Picked by the person (autocomplete).
        Picked = "picked",
        /// Brought by a past or current occupation.
        Occupation = "occupation",
        /// Found in pasted CV text and confirmed by the person.
        Cv = "cv",
    }
}

string_enum! {
    /// How far a person will travel for classroom training.
    TravelRange {
        /// Only online training.
        OnlineOnly = "online_only",
        Municipality = "municipality",
        /// The labour-market region (arbeidsmarktregio) the municipality belongs to.
        Region = "region",
        Province = "province",
        Anywhere = "anywhere",
    }
}

/// One skill in a profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileSkill {
    /// The ESCO skill URI.
    pub uri: String,
    pub origin: SkillOrigin,
    /// For skills brought by an occupation: its URI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occupation: Option<String>,
    /// For skills brought by an occupation: whether it is essential there (optional ones count
    /// half).
    #[serde(default = "yes")]
    pub essential: bool,
}

fn yes() -> bool {
    true
}

impl ProfileSkill {
    /// How much the skill counts in matching: optional skills of an occupation count half,
    /// because having done the job does not prove them.
    pub fn weight(&self) -> f32 {
        if self.origin == SkillOrigin::Occupation && !self.essential {
            0.5
        } else {
            1.0
        }
    }
}

/// A past or current job, as entered and as matched to ESCO.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileOccupation {
    /// The job title as the person typed it.
    pub title: String,
    /// The ESCO occupation it was matched to (confirmed by the person).
    pub uri: String,
    #[serde(default)]
    pub current: bool,
}

/// Everything matching needs to know about a person.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LearnerProfile {
    #[serde(default)]
    pub skills: Vec<ProfileSkill>,
    #[serde(default)]
    pub occupations: Vec<ProfileOccupation>,
    #[serde(default)]
    pub education: Option<EducationLevel>,
    /// CBS code or name of the municipality the person lives in; the region follows from it.
    #[serde(default)]
    pub municipality: Option<String>,
    #[serde(default)]
    pub travel: Option<TravelRange>,
    /// Hours a week the person can spend on learning.
    #[serde(default)]
    pub hours_per_week: Option<u8>,
    /// The most the person wants to pay themselves, in cents.
    #[serde(default)]
    pub budget_cents: Option<Money>,
}

impl LearnerProfile {
    /// The situation is asked once: what the financing answers leave open (municipality,
    /// education), the profile fills in.
    pub fn complete_facts(&self, facts: &mut PersonFacts) {
        if facts.municipality.is_none() {
            facts.municipality = self.municipality.clone();
        }
        if facts.education.is_none() {
            facts.education = self.education;
        }
    }

    /// The other way round: what the profile leaves open, the financing answers fill in.
    pub fn complete_from(&mut self, facts: &PersonFacts) {
        if self.municipality.is_none() {
            self.municipality = facts.municipality.clone();
        }
        if self.education.is_none() {
            self.education = facts.education;
        }
    }

    /// Check the profile; errors carry the field path (`skills[3].uri`).
    pub fn validate(&self, taxonomy: &Taxonomy, regions: &Regions) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let mut fail =
            |field: String, message: String| errors.push(FieldError::new(field, message));
        if self.skills.len() > MAX_PROFILE_SKILLS {
            fail(
                "skills".into(),
                format!(
                    "{} skills is more than the {MAX_PROFILE_SKILLS} a profile can hold",
                    self.skills.len()
                ),
            );
        }
        let mut unknown = 0;
        for (i, s) in self.skills.iter().enumerate() {
            if taxonomy.skill_id(&s.uri).is_none() {
                unknown += 1;
                if unknown <= 20 {
                    fail(
                        format!("skills[{i}].uri"),
                        format!("{:?} is not an ESCO skill in the taxonomy", s.uri),
                    );
                }
            }
            match (&s.occupation, s.origin) {
                (None, SkillOrigin::Occupation) => fail(
                    format!("skills[{i}].occupation"),
                    "a skill from an occupation names that occupation".into(),
                ),
                (Some(o), _) if taxonomy.occupation_id(o).is_none() => fail(
                    format!("skills[{i}].occupation"),
                    format!("{o:?} is not an ESCO occupation in the taxonomy"),
                ),
                _ => {}
            }
        }
        if unknown > 20 {
            fail(
                "skills".into(),
                format!("{unknown} skills in all are not in the taxonomy"),
            );
        }
        if self.occupations.len() > MAX_PROFILE_OCCUPATIONS {
            fail(
                "occupations".into(),
                format!("at most {MAX_PROFILE_OCCUPATIONS} occupations"),
            );
        }
        for (i, o) in self.occupations.iter().enumerate() {
            if taxonomy.occupation_id(&o.uri).is_none() {
                fail(
                    format!("occupations[{i}].uri"),
                    format!("{:?} is not an ESCO occupation in the taxonomy", o.uri),
                );
            }
            if o.title.chars().count() > 200 {
                fail(
                    format!("occupations[{i}].title"),
                    "at most 200 characters".into(),
                );
            }
        }
        if let Some(m) = &self.municipality
            && regions.municipality(m).is_none()
        {
            fail(
                "municipality".into(),
                format!("{m:?} is not a Dutch municipality (CBS code such as GM0363, or its name)"),
            );
        }
        if let Some(h) = self.hours_per_week
            && !(1..=80).contains(&h)
        {
            fail("hours_per_week".into(), "between 1 and 80".into());
        }
        if let Some(b) = self.budget_cents
            && !(0..=100_000_000).contains(&b.cents())
        {
            fail(
                "budget_cents".into(),
                "between 0 and 1,000,000 euro (in cents)".into(),
            );
        }
        errors
    }

    /// The profile's skills as taxonomy ids with their weights, each skill once (the highest
    /// weight wins); unknown URIs are left out.
    pub fn weighted_skills(&self, taxonomy: &Taxonomy) -> Vec<(SkillId, f32)> {
        let mut out: Vec<(SkillId, f32)> = self
            .skills
            .iter()
            .filter_map(|s| taxonomy.skill_id(&s.uri).map(|id| (id, s.weight())))
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)));
        out.dedup_by_key(|(id, _)| *id);
        out
    }

    /// Add a skill unless the profile has it already with at least this weight.
    pub fn add_skill(&mut self, skill: ProfileSkill) {
        match self.skills.iter_mut().find(|s| s.uri == skill.uri) {
            Some(existing) if existing.weight() < skill.weight() => *existing = skill,
            Some(_) => {}
            None => self.skills.push(skill),
        }
    }

    /// Add an occupation with its ESCO skills (essential and optional), each marked with its
    /// origin so the person can see and remove them.
    pub fn add_occupation(&mut self, taxonomy: &Taxonomy, occupation: ProfileOccupation) {
        if let Some(id) = taxonomy.occupation_id(&occupation.uri) {
            let uri = taxonomy
                .occupation(id)
                .map(|o| o.uri.clone())
                .unwrap_or_else(|| occupation.uri.clone());
            for (skill, relevance) in taxonomy.skills_of(id) {
                if let Some(s) = taxonomy.skill(*skill) {
                    self.add_skill(ProfileSkill {
                        uri: s.uri.clone(),
                        origin: SkillOrigin::Occupation,
                        occupation: Some(uri.clone()),
                        essential: *relevance == crate::taxonomy::Relevance::Essential,
                    });
                }
            }
        }
        if !self.occupations.iter().any(|o| o.uri == occupation.uri) {
            self.occupations.push(occupation);
        }
    }

    /// Remove an occupation and the skills that only it brought.
    pub fn remove_occupation(&mut self, taxonomy: &Taxonomy, uri: &str) {
        self.occupations.retain(|o| o.uri != uri);
        self.skills.retain(|s| s.origin != SkillOrigin::Occupation);
        for o in std::mem::take(&mut self.occupations) {
            self.add_occupation(taxonomy, o);
        }
    }
}
