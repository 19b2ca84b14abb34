//! The ontwikkelplan (development plan): written by the advisor in Leerpad, owned by the
//! learner, who sees every version, can comment on it, take it with them and delete it.

use crate::UnixTime;
use crate::shared::{Date, FieldError, OfferId, RegistrationId, UserId, iso_date_option};
use serde::{Deserialize, Serialize};

/// The longest text of one field.
const MAX_TEXT: usize = 4_000;
/// The most occupations or offers in a plan.
const MAX_ITEMS: usize = 20;

/// An offer the plan proposes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlannedOffer {
    pub offer_id: OfferId,
    pub title: String,
}

/// What a plan says.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanContent {
    /// Where the person stands now.
    pub situation: String,
    pub goals: String,
    /// Occupations chosen to work towards, by name.
    #[serde(default)]
    pub occupations: Vec<String>,
    /// Training to follow.
    #[serde(default)]
    pub training: Vec<PlannedOffer>,
    /// What was agreed, and who does what.
    pub agreements: String,
    #[serde(
        default,
        with = "iso_date_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub follow_up: Option<Date>,
}

impl PlanContent {
    pub fn validate(&self) -> Vec<FieldError> {
        let mut out = Vec::new();
        for (field, text) in [
            ("situation", &self.situation),
            ("goals", &self.goals),
            ("agreements", &self.agreements),
        ] {
            if text.chars().count() > MAX_TEXT {
                out.push(
                    FieldError::new(field, format!("at most {MAX_TEXT} characters"))
                        .coded("too-long", vec![("max", MAX_TEXT.to_string())]),
                );
            }
        }
        if self.goals.trim().is_empty() {
            out.push(FieldError::new("goals", "a plan has goals").coded("required", vec![]));
        }
        if self.occupations.len() > MAX_ITEMS || self.training.len() > MAX_ITEMS {
            out.push(
                FieldError::new("occupations", format!("at most {MAX_ITEMS} items"))
                    .coded("too-many", vec![("max", MAX_ITEMS.to_string())]),
            );
        }
        out
    }
}

/// One saved version of a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanVersion {
    pub registration_id: RegistrationId,
    pub version: u32,
    pub learner_id: UserId,
    pub advisor_id: UserId,
    pub content: PlanContent,
    pub created_at: UnixTime,
}

/// A comment on a version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanComment {
    pub version: u32,
    pub author_id: UserId,
    pub text: String,
    pub created_at: UnixTime,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plan_needs_goals_and_keeps_within_its_limits() {
        let mut p = PlanContent {
            goals: "Verzorgende IG worden".into(),
            ..PlanContent::default()
        };
        assert!(p.validate().is_empty());
        p.goals.clear();
        p.situation = "x".repeat(MAX_TEXT + 1);
        let fields: Vec<String> = p.validate().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["situation", "goals"]);
    }
}
