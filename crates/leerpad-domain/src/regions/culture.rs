//! The learning-culture monitor (leercultuurmonitor): a short survey employees and employers
//! answer at most once a quarter, so a region can see whether learning becomes more normal at
//! work. The survey is versioned: a question may be replaced, but answers keep the version
//! they were given under, and trends compare the score (0–100) over the questions of each
//! answer's own version, so a new version does not break a trend.

use crate::shared::{Date, FieldError};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Who answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    Employee,
    Employer,
}

impl Audience {
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Employee => "employee",
            Audience::Employer => "employer",
        }
    }

    pub fn parse(s: &str) -> Option<Audience> {
        match s {
            "employee" => Some(Audience::Employee),
            "employer" => Some(Audience::Employer),
            _ => None,
        }
    }
}

/// One version of the survey: the question keys per audience (texts in the translation files,
/// `culture-q-{key}`), each answered on a scale of 1 (not at all) to 5 (fully).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SurveyVersion {
    pub version: u32,
    /// The first day answers are asked under this version.
    pub since: Date,
    pub employee: &'static [&'static str],
    pub employer: &'static [&'static str],
}

impl SurveyVersion {
    pub fn questions(&self, audience: Audience) -> &'static [&'static str] {
        match audience {
            Audience::Employee => self.employee,
            Audience::Employer => self.employer,
        }
    }
}

/// The employers' questions (the same in every version so far).
const EMPLOYER_QUESTIONS: &[&str] = &[
    "plan-for-staff",
    "budget-for-learning",
    "time-during-work",
    "talk-about-development",
];

/// Every version, oldest first. Version 2 asks employees about time for learning during work
/// instead of whether they learned something new last month (which depended on the month).
pub const SURVEYS: [SurveyVersion; 2] = [
    SurveyVersion {
        version: 1,
        since: time::macros::date!(2025 - 01 - 01),
        employee: &[
            "learned-last-month",
            "talk-with-manager",
            "know-where-to-find",
            "colleagues-learn",
            "want-to-learn",
        ],
        employer: EMPLOYER_QUESTIONS,
    },
    SurveyVersion {
        version: 2,
        since: time::macros::date!(2026 - 07 - 01),
        employee: &[
            "time-for-learning",
            "talk-with-manager",
            "know-where-to-find",
            "colleagues-learn",
            "want-to-learn",
        ],
        employer: EMPLOYER_QUESTIONS,
    },
];

/// The version asked on `day` (the newest that has started).
pub fn survey_on(day: Date) -> &'static SurveyVersion {
    SURVEYS
        .iter()
        .rev()
        .find(|s| s.since <= day)
        .unwrap_or(&SURVEYS[0])
}

/// A version by its number.
pub fn survey(version: u32) -> Option<&'static SurveyVersion> {
    SURVEYS.iter().find(|s| s.version == version)
}

/// The quarter a day lies in, as trends group answers: "2026-K4".
pub fn quarter(day: Date) -> String {
    let q = (u8::from(day.month()) - 1) / 3 + 1;
    format!("{}-K{q}", day.year())
}

/// One person's answers, checked against their version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CultureAnswer {
    pub audience: Audience,
    pub version: u32,
    /// The labour-market region's address (`/regio/{slug}`).
    pub region: String,
    /// The quarter ("2026-K4").
    pub period: String,
    /// (question key, 1–5), in the version's order.
    pub scores: Vec<(String, u8)>,
}

impl CultureAnswer {
    /// The answer's score from 0 (every question "not at all") to 100 (every one "fully").
    pub fn index(&self) -> f64 {
        if self.scores.is_empty() {
            return 0.0;
        }
        let sum: f64 = self.scores.iter().map(|(_, s)| f64::from(*s) - 1.0).sum();
        sum / (4.0 * self.scores.len() as f64) * 100.0
    }
}

/// Check the answers given on a form (question key → text) for `version`: every question of
/// the version answered with a whole number from 1 to 5, nothing else.
pub fn validate_scores(
    version: &SurveyVersion,
    audience: Audience,
    given: &BTreeMap<String, String>,
) -> Result<Vec<(String, u8)>, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut scores = Vec::new();
    for key in version.questions(audience) {
        match given.get(*key).map(|s| s.trim()) {
            None | Some("") => errors.push(
                FieldError::new(*key, "answer this question")
                    .coded("culture-error-unanswered", vec![]),
            ),
            Some(text) => match text.parse::<u8>() {
                Ok(n) if (1..=5).contains(&n) => scores.push(((*key).to_owned(), n)),
                _ => errors.push(
                    FieldError::new(*key, "choose a number from 1 to 5")
                        .coded("culture-error-scale", vec![]),
                ),
            },
        }
    }
    for key in given.keys() {
        if !version.questions(audience).contains(&key.as_str()) {
            errors.push(
                FieldError::new(key.clone(), "this survey has no such question")
                    .coded("culture-error-unknown", vec![]),
            );
        }
    }
    if errors.is_empty() {
        Ok(scores)
    } else {
        Err(errors)
    }
}

/// One point of a trend: a quarter, for one audience.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CulturePoint {
    pub period: String,
    pub audience: Audience,
    pub responses: u64,
    /// The average score, 0–100, rounded.
    pub index: u8,
}

/// The trend of a set of answers: per quarter and audience, how many answered and their
/// average score; oldest quarter first.
pub fn trend<'a>(answers: impl IntoIterator<Item = &'a CultureAnswer>) -> Vec<CulturePoint> {
    let mut sums: BTreeMap<(String, Audience), (u64, f64)> = BTreeMap::new();
    for a in answers {
        let e = sums
            .entry((a.period.clone(), a.audience))
            .or_insert((0, 0.0));
        e.0 += 1;
        e.1 += a.index();
    }
    sums.into_iter()
        .map(|((period, audience), (n, sum))| CulturePoint {
            period,
            audience,
            responses: n,
            index: (sum / n as f64).round().clamp(0.0, 100.0) as u8,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn answer(period: &str, audience: Audience, scores: &[u8]) -> CultureAnswer {
        CultureAnswer {
            audience,
            version: 1,
            region: "zuid-limburg".into(),
            period: period.into(),
            scores: scores
                .iter()
                .enumerate()
                .map(|(i, s)| (format!("q{i}"), *s))
                .collect(),
        }
    }

    #[test]
    fn the_version_follows_the_day_and_a_quarter_names_the_months() {
        assert_eq!(survey_on(date!(2026 - 06 - 30)).version, 1);
        assert_eq!(survey_on(date!(2026 - 07 - 01)).version, 2);
        assert_eq!(survey_on(date!(2020 - 01 - 01)).version, 1);
        assert_eq!(quarter(date!(2026 - 12 - 07)), "2026-K4");
        assert_eq!(quarter(date!(2026 - 01 - 01)), "2026-K1");
        assert_eq!(quarter(date!(2026 - 07 - 01)), "2026-K3");
    }

    #[test]
    fn every_question_of_the_version_must_be_answered_on_the_scale() {
        let v2 = survey(2).expect("version 2");
        let mut given: BTreeMap<String, String> = v2
            .questions(Audience::Employee)
            .iter()
            .map(|k| ((*k).to_owned(), "4".to_owned()))
            .collect();
        let scores = validate_scores(v2, Audience::Employee, &given).expect("valid");
        assert_eq!(scores.len(), 5);
        assert_eq!(scores[0], ("time-for-learning".to_owned(), 4));
        given.insert("want-to-learn".into(), "6".into());
        given.remove("colleagues-learn");
        given.insert("learned-last-month".into(), "3".into());
        let errors = validate_scores(v2, Audience::Employee, &given).expect_err("invalid");
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            vec!["colleagues-learn", "want-to-learn", "learned-last-month"]
        );
    }

    #[test]
    fn the_trend_averages_each_quarter_and_audience() {
        let answers = vec![
            answer("2026-K3", Audience::Employee, &[1, 1, 1, 1]),
            answer("2026-K3", Audience::Employee, &[5, 5, 5, 5]),
            answer("2026-K4", Audience::Employee, &[4, 4, 4, 4]),
            answer("2026-K4", Audience::Employer, &[3, 3]),
        ];
        assert_eq!(answers[2].index(), 75.0);
        let t = trend(&answers);
        assert_eq!(t.len(), 3);
        assert_eq!(
            (t[0].period.as_str(), t[0].responses, t[0].index),
            ("2026-K3", 2, 50)
        );
        assert_eq!((t[1].audience, t[1].index), (Audience::Employee, 75));
        assert_eq!((t[2].audience, t[2].index), (Audience::Employer, 50));
    }
}
