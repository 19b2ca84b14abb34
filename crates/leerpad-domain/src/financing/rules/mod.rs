//! The eligibility rule language: a tree of conditions over the person and the offer, written
//! by programme managers as JSON or TOML (`{ all = [ { age = { max = 64 } }, … ] }`), validated
//! before it is saved and evaluated in three values: met, unmet (with the reasons), or unknown
//! (with the facts that are missing, e.g. for a visitor who did not give their age).
//!
//! This file holds the [`Condition`] tree itself; its written form, the facts it is evaluated
//! against, the verdicts, the evaluation and the validation each have their own file.

mod evaluate;
mod facts;
mod one_key;
mod validate;
mod verdict;

pub use facts::{Facts, NoSkillLists, OfferFacts, SkillLists};
pub use validate::{MAX_RULE_DEPTH, MAX_RULE_NODES, RuleContext, validate_condition};
pub use verdict::{MissingFact, Unmet, Verdict};

use super::person::{EducationLevel, EmploymentStatus, Sector};
use crate::catalogue::model::{Accreditation, Level, Modality, OfferKind};
use crate::shared::{Date, Money};
use serde::{Deserialize, Serialize};

/// One condition. Leaves test one fact; `all`, `any` and `not` combine them.
///
/// Written as an object with exactly one key, the kind of condition (`{"age": {"max": 64}}`).
/// The derived (de)serialisation is kept as `Condition::serialize` / `Condition::deserialize`
/// (serde's `remote = "Self"`); the trait impls in `one_key` wrap it so that an object with a
/// second key, or none, is refused with a message saying so (and, through serde_path_to_error,
/// with its path) instead of a bare syntax error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields, remote = "Self")]
pub enum Condition {
    All(Vec<Condition>),
    Any(Vec<Condition>),
    Not(Box<Condition>),
    /// Age in whole years on `on` (default: the day of the check), bounds inclusive.
    Age {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<u8>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<u8>,
        #[serde(
            with = "crate::shared::iso_date_option",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        on: Option<Date>,
    },
    Employment(Vec<EmploymentStatus>),
    /// Highest finished education at most this level (e.g. "practically educated": mbo4).
    EducationAtMost(EducationLevel),
    EducationAtLeast(EducationLevel),
    /// Lives in one of these provinces (names as in the CBS list).
    Province(Vec<String>),
    /// Lives in one of these labour-market regions (arbeidsmarktregio's).
    Region(Vec<String>),
    /// Lives in one of these municipalities (CBS code or name).
    Municipality(Vec<String>),
    Sector(Vec<Sector>),
    /// Insured work (loondienst or benefits) for at least `at_least` of the last `within_months`.
    InsuredMonths {
        at_least: u16,
        within_months: u16,
    },
    /// Has not received this same scheme before (ever, or within the last months).
    NotUsedBefore {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        within_months: Option<u16>,
    },
    OfferKind(Vec<OfferKind>),
    OfferLevel(Vec<Level>),
    Modality(Vec<Modality>),
    /// Gross price including VAT, bounds inclusive.
    Price {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min_cents: Option<Money>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_cents: Option<Money>,
    },
    /// The provider holds one of these quality marks.
    Accreditation(Vec<Accreditation>),
    /// The offer teaches at least `min` skills of a named list (an ESCO collection such as
    /// `green` or `digital`, or a shortage list the platform knows).
    SkillsOnList {
        list: String,
        #[serde(default = "one")]
        min: u16,
    },
    /// The offer teaches at least `min` of these ESCO skills.
    Skills {
        any_of: Vec<String>,
        #[serde(default = "one")]
        min: u16,
    },
    /// The offer has (or, with `false`, lacks) a crebo code: a registered MBO qualification.
    CreboRegistered(bool),
}

fn one() -> u16 {
    1
}

impl Condition {
    /// The condition everyone meets.
    pub fn always() -> Condition {
        Condition::All(Vec::new())
    }

    pub fn is_always(&self) -> bool {
        matches!(self, Condition::All(v) if v.is_empty())
    }

    /// Whether this leaf looks at the offer (rather than at the person).
    pub fn is_about_offer(&self) -> bool {
        matches!(
            self,
            Condition::OfferKind(_)
                | Condition::OfferLevel(_)
                | Condition::Modality(_)
                | Condition::Price { .. }
                | Condition::Accreditation(_)
                | Condition::SkillsOnList { .. }
                | Condition::Skills { .. }
                | Condition::CreboRegistered(_)
        )
    }

    /// Every leaf, depth first.
    pub fn leaves(&self) -> Vec<&Condition> {
        let mut out = Vec::new();
        let mut stack = vec![self];
        while let Some(c) = stack.pop() {
            match c {
                Condition::All(v) | Condition::Any(v) => stack.extend(v.iter().rev()),
                Condition::Not(inner) => stack.push(inner),
                leaf => out.push(leaf),
            }
        }
        out
    }

    /// The employment statuses this condition names anywhere (for "who is it for" filters).
    pub fn employment_statuses(&self) -> Vec<EmploymentStatus> {
        let mut out: Vec<EmploymentStatus> = self
            .leaves()
            .into_iter()
            .filter_map(|c| match c {
                Condition::Employment(v) => Some(v.iter().copied()),
                _ => None,
            })
            .flatten()
            .collect();
        out.sort();
        out.dedup();
        out
    }
}
