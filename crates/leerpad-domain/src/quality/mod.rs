//! The quality loop, after SkillsFuture's surveys: a learner who completed a course is asked
//! how it was (a day after completion) and what came of it (six months later: working? using
//! what was learned?); ratings per offer are published once enough answers exist; an offer
//! rated low by enough people is flagged, and then suspended, with the provider told why.

pub mod ports;

use crate::shared::{FieldError, OfferId, ProviderId, UserId};
use serde::{Deserialize, Serialize};

/// Days after completion the end-of-course survey is sent.
pub const END_SURVEY_DAYS: i64 = 1;
/// Days after completion the outcome survey is sent.
pub const OUTCOME_SURVEY_DAYS: i64 = 182;
/// Answers before a rating is published (fewer say little and could point at one person).
pub const PUBLISH_AT: u32 = 5;
/// Answers before a low rating flags or suspends an offer.
pub const JUDGE_AT: u32 = 10;
/// An average below this (in tenths: 2.5) flags the offer for the programme manager …
pub const FLAG_BELOW_TENTHS: u32 = 25;
/// … and below this (2.0) suspends it.
pub const SUSPEND_BELOW_TENTHS: u32 = 20;

crate::shared::string_enum! {
    /// Which survey.
    SurveyKind {
        /// At the end of the course: how was it?
        End = "end",
        /// Six months later: what came of it?
        Outcome = "outcome",
    }
}

/// One learner's answers to one survey.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyAnswer {
    pub enrolment: i64,
    pub kind: SurveyKind,
    pub offer: OfferId,
    pub provider: ProviderId,
    pub learner: UserId,
    /// End: 1 (bad) to 5 (very good).
    pub rating: Option<u8>,
    /// End: would recommend it.
    pub recommend: Option<bool>,
    /// Outcome: has (or kept) work.
    pub working: Option<bool>,
    /// Outcome: uses what was learned.
    pub using_skills: Option<bool>,
    pub comment: String,
}

/// Every problem with an answer, each with its field.
pub fn validate(a: &SurveyAnswer) -> Vec<FieldError> {
    let mut errors = Vec::new();
    match a.kind {
        SurveyKind::End => {
            if !a.rating.is_some_and(|r| (1..=5).contains(&r)) {
                errors.push(
                    FieldError::new("rating", "choose 1 to 5").coded("survey-error-rating", vec![]),
                );
            }
            if a.recommend.is_none() {
                errors.push(
                    FieldError::new("recommend", "say yes or no")
                        .coded("survey-error-choice", vec![]),
                );
            }
        }
        SurveyKind::Outcome => {
            for (field, v) in [("working", a.working), ("using_skills", a.using_skills)] {
                if v.is_none() {
                    errors.push(
                        FieldError::new(field, "say yes or no")
                            .coded("survey-error-choice", vec![]),
                    );
                }
            }
        }
    }
    if a.comment.chars().count() > 2_000 {
        errors.push(
            FieldError::new("comment", "at most 2,000 characters")
                .coded("survey-error-comment", vec![]),
        );
    }
    errors
}

/// What the answers about one offer add up to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Rating {
    /// End-of-course answers per rating 1..=5.
    pub distribution: [u32; 5],
    pub recommend_yes: u32,
    pub outcome_answers: u32,
    pub working_yes: u32,
    pub using_yes: u32,
}

/// Where an offer stands by its ratings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Standing {
    /// Too few answers to say anything.
    Unrated,
    Published,
    /// Rated low by enough people: the programme manager takes a look.
    Flagged,
    /// Rated very low by enough people: suspended until the manager decides.
    Suspended,
}

impl Rating {
    pub fn answers(&self) -> u32 {
        self.distribution.iter().sum()
    }

    /// The average in tenths (42 is 4.2), rounded half up; none without answers.
    pub fn average_tenths(&self) -> Option<u32> {
        let n = self.answers();
        if n == 0 {
            return None;
        }
        let sum: u32 = self
            .distribution
            .iter()
            .zip(1u32..)
            .map(|(count, score)| count * score)
            .sum();
        Some((sum * 20 + n) / (2 * n))
    }

    pub fn standing(&self) -> Standing {
        let n = self.answers();
        match self.average_tenths() {
            Some(avg) if n >= JUDGE_AT && avg < SUSPEND_BELOW_TENTHS => Standing::Suspended,
            Some(avg) if n >= JUDGE_AT && avg < FLAG_BELOW_TENTHS => Standing::Flagged,
            _ if n >= PUBLISH_AT => Standing::Published,
            _ => Standing::Unrated,
        }
    }

    /// A share in whole percents (none without answers).
    pub fn percent(part: u32, of: u32) -> Option<u32> {
        (of > 0).then(|| (part * 200 + of) / (2 * of))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rating(distribution: [u32; 5]) -> Rating {
        Rating {
            distribution,
            ..Rating::default()
        }
    }

    #[test]
    fn averages_round_half_up_and_standing_follows_the_thresholds() {
        assert_eq!(rating([0, 0, 0, 0, 0]).average_tenths(), None);
        assert_eq!(rating([0, 0, 0, 1, 1]).average_tenths(), Some(45));
        assert_eq!(
            rating([1, 0, 0, 0, 2]).average_tenths(),
            Some(37),
            "3.666… → 3.7"
        );
        assert_eq!(rating([0, 0, 4, 0, 0]).standing(), Standing::Unrated);
        assert_eq!(rating([0, 0, 5, 0, 0]).standing(), Standing::Published);
        // Nine very low answers are not enough to judge; ten are.
        assert_eq!(rating([9, 0, 0, 0, 0]).standing(), Standing::Published);
        assert_eq!(rating([10, 0, 0, 0, 0]).standing(), Standing::Suspended);
        assert_eq!(rating([4, 2, 2, 2, 0]).standing(), Standing::Flagged, "2.2");
        assert_eq!(
            rating([0, 5, 5, 0, 0]).standing(),
            Standing::Published,
            "2.5"
        );
        assert_eq!(Rating::percent(2, 3), Some(67));
    }

    #[test]
    fn answers_are_checked_per_survey() {
        let mut a = SurveyAnswer {
            enrolment: 1,
            kind: SurveyKind::End,
            offer: OfferId::new(1),
            provider: ProviderId::new(1),
            learner: UserId::new(1),
            rating: Some(6),
            recommend: None,
            working: None,
            using_skills: None,
            comment: String::new(),
        };
        assert_eq!(validate(&a).len(), 2);
        a.rating = Some(4);
        a.recommend = Some(true);
        assert!(validate(&a).is_empty());
        a.kind = SurveyKind::Outcome;
        assert_eq!(validate(&a).len(), 2);
    }
}

/// Complaints about a course that make it worth a programme manager's look.
pub const COMPLAINTS_SIGNAL_AT: u32 = 3;
/// Longest subject and text of a complaint, in characters.
pub const MAX_COMPLAINT_SUBJECT: usize = 200;
pub const MAX_COMPLAINT_TEXT: usize = 4_000;

/// A learner's complaint about a course they enrolled in, and the provider's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Complaint {
    pub id: i64,
    pub enrolment: i64,
    pub learner: Option<UserId>,
    pub offer: OfferId,
    pub provider: ProviderId,
    pub subject: String,
    pub text: String,
    pub at: crate::UnixTime,
    pub answer: Option<String>,
    pub answered_at: Option<crate::UnixTime>,
}

/// Check a complaint's subject and text (or an answer's text, with `subject` `None`).
pub fn validate_complaint(subject: Option<&str>, text: &str) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if let Some(s) = subject {
        let n = s.trim().chars().count();
        if n == 0 || n > MAX_COMPLAINT_SUBJECT {
            errors.push(
                FieldError::new(
                    "subject",
                    format!("1 to {MAX_COMPLAINT_SUBJECT} characters"),
                )
                .coded("complaint-error-subject", vec![]),
            );
        }
    }
    let n = text.trim().chars().count();
    if !(10..=MAX_COMPLAINT_TEXT).contains(&n) {
        errors.push(
            FieldError::new("text", format!("10 to {MAX_COMPLAINT_TEXT} characters"))
                .coded("complaint-error-text", vec![]),
        );
    }
    errors
}

#[cfg(test)]
mod complaint_tests {
    use super::*;

    #[test]
    fn a_complaint_says_what_and_why() {
        assert!(
            validate_complaint(
                Some("Les ging niet door"),
                "Drie keer afgezegd zonder bericht."
            )
            .is_empty()
        );
        assert_eq!(validate_complaint(Some(""), "kort").len(), 2);
        assert_eq!(validate_complaint(None, &"x".repeat(4_001)).len(), 1);
    }
}
