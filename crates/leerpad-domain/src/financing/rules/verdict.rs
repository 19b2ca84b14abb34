//! The outcome of evaluating a condition: met, unmet with the reasons, or unknown with the
//! facts that would decide it.

use super::Condition;
use crate::catalogue::model::{Accreditation, Level, Modality, OfferKind};
use crate::financing::person::{EducationLevel, EmploymentStatus, Sector};
use crate::shared::{Date, Money};
use serde::Serialize;

/// A fact a condition needs but was not given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MissingFact {
    Age,
    Employment,
    Education,
    Municipality,
    Sector,
    InsuredMonths,
    /// The condition is about the offer and no offer was given.
    Offer,
}

/// Why a condition was not met, with what was required and what was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "reason")]
pub enum Unmet {
    TooYoung {
        min: u8,
        age: u8,
    },
    TooOld {
        max: u8,
        age: u8,
    },
    Employment {
        allowed: Vec<EmploymentStatus>,
        actual: EmploymentStatus,
    },
    EducationTooHigh {
        max: EducationLevel,
        actual: EducationLevel,
    },
    EducationTooLow {
        min: EducationLevel,
        actual: EducationLevel,
    },
    Province {
        allowed: Vec<String>,
        actual: String,
    },
    Region {
        allowed: Vec<String>,
        actual: String,
    },
    Municipality {
        allowed: Vec<String>,
        actual: String,
    },
    Sector {
        allowed: Vec<Sector>,
        actual: Sector,
    },
    InsuredMonths {
        at_least: u16,
        within_months: u16,
    },
    UsedBefore {
        within_months: Option<u16>,
        #[serde(with = "crate::shared::iso_date")]
        last: Date,
    },
    OfferKind {
        allowed: Vec<OfferKind>,
        actual: OfferKind,
    },
    OfferLevel {
        allowed: Vec<Level>,
        actual: Option<Level>,
    },
    Modality {
        allowed: Vec<Modality>,
        actual: Modality,
    },
    PriceTooLow {
        min_cents: Money,
        actual_cents: Money,
    },
    PriceTooHigh {
        max_cents: Money,
        actual_cents: Money,
    },
    Accreditation {
        allowed: Vec<Accreditation>,
    },
    SkillsOnList {
        list: String,
        min: u16,
        found: u16,
    },
    Skills {
        min: u16,
        found: u16,
    },
    CreboRegistered {
        required: bool,
    },
    /// A `not` whose inner condition was met.
    Excluded {
        condition: Box<Condition>,
    },
    /// Every option of an `any` failed.
    NoneOf {
        options: Vec<Vec<Unmet>>,
    },
}

/// The outcome of evaluating a condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Met,
    Unmet(Vec<Unmet>),
    /// Could be either way; these facts would decide it.
    Unknown(Vec<MissingFact>),
}

impl Verdict {
    pub(super) fn unmet(reason: Unmet) -> Verdict {
        Verdict::Unmet(vec![reason])
    }

    pub(super) fn unknown(fact: MissingFact) -> Verdict {
        Verdict::Unknown(vec![fact])
    }

    pub(super) fn when(ok: bool, reason: impl FnOnce() -> Unmet) -> Verdict {
        if ok {
            Verdict::Met
        } else {
            Verdict::unmet(reason())
        }
    }
}
