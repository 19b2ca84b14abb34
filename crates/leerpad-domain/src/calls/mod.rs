//! Calls for cost coverage, after NL Leert Door: a programme manager opens a call with a budget
//! and a window; training providers apply to have the costs of their courses covered (which
//! offers, how many places, the price per participant, planned dates); applications go through
//! a review with deadlines in working days; approved places make the offer free for learners,
//! and the provider is paid per participant who completed, against proof.
//!
//! The review follows one state diagram ([`EDGES`], drawn in `docs/calls.md`):
//!
//! - **draft** → *submit* (provider) → **submitted**; a draft or submitted application can be
//!   *withdrawn* (**withdrawn**).
//! - **submitted** → *start check* (manager) → **admissibility check**; the admissibility
//!   decision is due [`ADMISSIBILITY_WORKING_DAYS`] working days after submission (France's
//!   EDOF checks admissibility within 11 working days).
//! - **admissibility check** → *admissible* → **review** (decision due in
//!   [`REVIEW_WORKING_DAYS`] working days) or *inadmissible* with a reason → **rejected**.
//! - **review** → *request information* → **information requested**: the review's clock is
//!   paused (the working days left are kept) and the provider answers within
//!   [`ANSWER_WORKING_DAYS`] working days; the *answer* brings it back to **review** with the
//!   days that were left. Without an answer in time it *expires* → **rejected**.
//! - **review** → *approve* → **approved** (the money is held from the call's budget in the same
//!   transaction, so approvals never exceed it) or *reject* with a reason → **rejected**.
//! - **rejected** → *object* (provider, once, within [`OBJECTION_WORKING_DAYS`] working days)
//!   → **objection** → *uphold* (back to **review**) or *dismiss* with a reason (**rejected**,
//!   final).
//! - **approved** → *settle* (provider, after the courses: how many completed each, with
//!   proof) → **settled**: the hold is paid for those who completed, the rest goes back.

pub mod lottery;
pub mod ports;
pub mod signals;

use crate::catalogue::model::{Level, Modality, OfferContent, OfferKind};
use crate::shared::{
    Date, FieldError, Localized, Money, OfferId, ProviderId, iso_date, workdays::add_working_days,
};
use serde::{Deserialize, Serialize};

/// Working days for the admissibility check, from submission.
pub const ADMISSIBILITY_WORKING_DAYS: u32 = 11;
/// Working days for the review's decision, from admission (paused while information is asked).
pub const REVIEW_WORKING_DAYS: u32 = 20;
/// Working days for the provider to answer a request for information.
pub const ANSWER_WORKING_DAYS: u32 = 10;
/// Working days to object to a rejection.
pub const OBJECTION_WORKING_DAYS: u32 = 30;

crate::shared::string_enum! {
    /// How an oversubscribed call decides which applications go first.
    #[derive(Default)]
    Oversubscription {
        /// A lottery from a seed published with the result (no race to be first).
        #[default]
        Lottery = "lottery",
        /// Reviewers score each application on the call's stated criteria.
        Scoring = "scoring",
    }
}

/// Which offers a call covers; an empty list allows all.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallEligibility {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub offer_kinds: Vec<OfferKind>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modalities: Vec<Modality>,
    /// At most this many hours of study (short courses).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_study_hours: Option<u32>,
    /// Only offers that teach skills of the ESCO taxonomy (the labour market's language), as
    /// STAP came to require after it removed courses that were not labour-market oriented.
    #[serde(default)]
    pub labour_market_oriented: bool,
}

/// At most this share of the budget for offers at one level, so the offer stays diverse.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelShare {
    pub level: Level,
    pub max_percent: u8,
}

/// A criterion reviewers score (0 to 10) when the call is decided by scoring.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    pub name: Localized,
    pub weight: u8,
}

/// Highest score a reviewer gives on one criterion.
pub const MAX_SCORE: u8 = 10;

/// Check one reviewer's scores: one per criterion of the call, each from 0 to 10.
pub fn validate_scores(criteria: &[Criterion], scores: &[u8]) -> Result<(), Vec<FieldError>> {
    let mut errors = Vec::new();
    if scores.len() != criteria.len() {
        errors.push(
            FieldError::new(
                "scores",
                format!("give one score for each of the {} criteria", criteria.len()),
            )
            .coded(
                "application-error-scores",
                vec![("count", criteria.len().to_string())],
            ),
        );
    }
    for (i, s) in scores.iter().enumerate() {
        if *s > MAX_SCORE {
            errors.push(
                FieldError::new(format!("scores[{i}]"), "a score is from 0 to 10")
                    .coded("application-error-score", vec![]),
            );
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// An application's weighted score in tenths of a point: each reviewer's sum of weight times
/// score, averaged over the reviewers (rounded half up); none before anyone scored.
pub fn weighted_score(criteria: &[Criterion], reviews: &[Vec<u8>]) -> Option<u32> {
    if reviews.is_empty() {
        return None;
    }
    let total: u32 = reviews
        .iter()
        .map(|scores| {
            criteria
                .iter()
                .zip(scores)
                .map(|(c, s)| u32::from(c.weight) * u32::from(*s))
                .sum::<u32>()
        })
        .sum();
    let n = reviews.len() as u32;
    Some((total * 10 + n / 2) / n)
}

/// Everything a programme manager writes about a call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallDefinition {
    pub title: Localized,
    #[serde(default)]
    pub description: Localized,
    pub budget_cents: Money,
    /// The first and the last day applications can be submitted (Dutch days, inclusive).
    #[serde(with = "iso_date")]
    pub opens_on: Date,
    #[serde(with = "iso_date")]
    pub closes_on: Date,
    #[serde(default)]
    pub eligibility: CallEligibility,
    /// At most this much in one application (NL Leert Door: € 1.75 million).
    pub max_per_application_cents: Money,
    /// At least this much per course in an application (NL Leert Door: € 1,500).
    #[serde(default)]
    pub min_per_course_cents: Money,
    /// At most this many places per course per calendar year (STAP: 300).
    pub max_places_per_course_per_year: u32,
    /// The spread over levels; levels not named are not limited.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub level_spread: Vec<LevelShare>,
    #[serde(default)]
    pub oversubscription: Oversubscription,
    /// For scoring: what reviewers score.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub criteria: Vec<Criterion>,
    /// Example data shipped with the demo, shown as such.
    #[serde(default)]
    pub example: bool,
}

/// A stored call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Call {
    pub id: i64,
    pub slug: String,
    pub definition: CallDefinition,
    /// The lottery's seed, published once the call has closed.
    pub seed: String,
}

impl Call {
    /// Whether applications can be submitted on `day`.
    pub fn is_open_on(&self, day: Date) -> bool {
        day >= self.definition.opens_on && day <= self.definition.closes_on
    }
}

/// Every problem with a call's definition, each with its field.
pub fn validate_call(def: &CallDefinition) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let mut err = |field: &str, code: &'static str, message: &str| {
        errors.push(FieldError::new(field, message).coded(code, vec![]));
    };
    if def.title.is_empty() {
        err("title", "call-error-title", "give the call a title");
    }
    if def.budget_cents.cents() <= 0 {
        err(
            "budget_cents",
            "call-error-budget",
            "the budget must be more than 0",
        );
    }
    if def.closes_on < def.opens_on {
        err(
            "closes_on",
            "call-error-window",
            "the call closes before it opens",
        );
    }
    if def.max_per_application_cents.cents() <= 0 {
        err(
            "max_per_application_cents",
            "call-error-max-application",
            "the maximum per application must be more than 0",
        );
    }
    if def.min_per_course_cents.cents() < 0 {
        err(
            "min_per_course_cents",
            "call-error-min-course",
            "the minimum per course cannot be negative",
        );
    }
    if def.max_places_per_course_per_year == 0 {
        err(
            "max_places_per_course_per_year",
            "call-error-cap",
            "allow at least one place per course a year",
        );
    }
    if def
        .level_spread
        .iter()
        .any(|s| s.max_percent == 0 || s.max_percent > 100)
    {
        err(
            "level_spread",
            "call-error-spread",
            "a level's share is 1 to 100 percent",
        );
    }
    if def.oversubscription == Oversubscription::Scoring && def.criteria.is_empty() {
        err(
            "criteria",
            "call-error-criteria",
            "a call decided by scoring states its criteria",
        );
    }
    errors
}

/// One course in an application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApplicationLine {
    pub offer: OfferId,
    pub places: u32,
    pub price_per_participant_cents: Money,
    #[serde(with = "iso_date")]
    pub starts_on: Date,
    #[serde(with = "iso_date")]
    pub ends_on: Date,
}

impl ApplicationLine {
    /// What the line asks: places times the price per participant (none when too large).
    pub fn amount(&self) -> Option<Money> {
        self.price_per_participant_cents
            .cents()
            .checked_mul(i64::from(self.places))
            .map(Money::from_cents)
    }
}

/// What the rules see of an offer in an application.
#[derive(Debug, Clone, Copy)]
pub struct OfferInfo<'a> {
    pub id: OfferId,
    pub provider: ProviderId,
    pub content: &'a OfferContent,
}

/// Every problem with an application's lines against its call, each with its field
/// (`lines[2].places`). `offer` finds an offer by id (None: it does not exist).
pub fn validate_lines<'a>(
    call: &CallDefinition,
    provider: ProviderId,
    lines: &[ApplicationLine],
    offer: &dyn Fn(OfferId) -> Option<OfferInfo<'a>>,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if lines.is_empty() {
        errors.push(
            FieldError::new("lines", "name at least one course")
                .coded("application-error-no-lines", vec![]),
        );
    }
    let mut total: i64 = 0;
    let mut seen = std::collections::HashSet::new();
    for (i, line) in lines.iter().enumerate() {
        let at = |field: &str| format!("lines[{}].{field}", i + 1);
        let n = (i + 1).to_string();
        let mut err = |field: &str, code: &'static str, message: String| {
            errors.push(FieldError::new(at(field), message).coded(code, vec![("line", n.clone())]));
        };
        if !seen.insert(line.offer) {
            err(
                "offer",
                "application-error-twice",
                "the same course is in the application twice".into(),
            );
        }
        match offer(line.offer) {
            None => err(
                "offer",
                "application-error-offer",
                "there is no such course".into(),
            ),
            Some(o) if o.provider != provider => err(
                "offer",
                "application-error-not-yours",
                "the course belongs to another provider".into(),
            ),
            Some(o) => {
                let e = &call.eligibility;
                let c = o.content;
                if !e.offer_kinds.is_empty() && !e.offer_kinds.contains(&c.kind) {
                    err(
                        "offer",
                        "application-error-kind",
                        format!("the call does not cover courses of kind {}", c.kind),
                    );
                }
                if !e.modalities.is_empty() && !e.modalities.contains(&c.modality) {
                    err(
                        "offer",
                        "application-error-modality",
                        format!("the call does not cover {} courses", c.modality),
                    );
                }
                if let Some(max) = e.max_study_hours
                    && c.study_load_hours.is_none_or(|h| h > max)
                {
                    err(
                        "offer",
                        "application-error-hours",
                        format!("the call covers courses of at most {max} hours"),
                    );
                }
                if e.labour_market_oriented && c.skills.is_empty() {
                    err(
                        "offer",
                        "application-error-labour-market",
                        "the course names no skills of the labour market".into(),
                    );
                }
            }
        }
        if line.places == 0 || line.places > call.max_places_per_course_per_year {
            err(
                "places",
                "application-error-places",
                format!(
                    "1 to {} places per course",
                    call.max_places_per_course_per_year
                ),
            );
        }
        if line.price_per_participant_cents.cents() <= 0 {
            err(
                "price_per_participant_cents",
                "application-error-price",
                "the price per participant must be more than 0".into(),
            );
        }
        if line.ends_on < line.starts_on {
            err(
                "ends_on",
                "application-error-dates",
                "the course ends before it starts".into(),
            );
        }
        match line.amount() {
            Some(amount) => {
                if amount < call.min_per_course_cents {
                    err(
                        "places",
                        "application-error-min-course",
                        format!(
                            "a course asks at least {} cents (places times price)",
                            call.min_per_course_cents.cents()
                        ),
                    );
                }
                total = total.saturating_add(amount.cents());
            }
            None => err(
                "places",
                "application-error-overflow",
                "too large an amount".into(),
            ),
        }
    }
    if total > call.max_per_application_cents.cents() {
        errors.push(
            FieldError::new(
                "lines",
                format!(
                    "the application asks {total} cents, the call allows {} per application",
                    call.max_per_application_cents.cents()
                ),
            )
            .coded("application-error-max", vec![]),
        );
    }
    errors
}

crate::shared::string_enum! {
    /// Where an application stands.
    ApplicationStatus {
        Draft = "draft",
        Submitted = "submitted",
        AdmissibilityCheck = "admissibility_check",
        Review = "review",
        /// The review waits for the provider; its clock is paused.
        InformationRequested = "information_requested",
        Approved = "approved",
        Rejected = "rejected",
        Objection = "objection",
        Withdrawn = "withdrawn",
        /// The courses have ended: the provider declared who completed, with proof, and was
        /// paid for them; the rest of the money went back to the call.
        Settled = "settled",
    }
}

/// Who takes a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    Provider,
    Manager,
    /// The deadline job.
    System,
}

/// A step in the review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum Step {
    Submit,
    Withdraw,
    StartCheck,
    Admissible,
    Inadmissible {
        reason: String,
    },
    RequestInformation {
        question: String,
    },
    Answer {
        answer: String,
    },
    Approve,
    Reject {
        reason: String,
    },
    Object {
        grounds: String,
    },
    Uphold,
    Dismiss {
        reason: String,
    },
    /// A deadline passed without the step it waited for.
    Expire,
    /// After the courses: how many participants completed each course, with proof; the
    /// provider is paid for those.
    Settle {
        completions: Vec<Completion>,
        proof: String,
    },
}

/// How many participants completed one course of an application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Completion {
    pub offer: OfferId,
    pub completed: u32,
}

/// What the provider is paid for the completions: the price per participant of each course
/// times those who completed it (never more than its places). Errors name the line.
pub fn settlement_amount(
    lines: &[ApplicationLine],
    completions: &[Completion],
) -> Result<Money, FieldError> {
    let mut total: i64 = 0;
    for (i, c) in completions.iter().enumerate() {
        let field = format!("completions[{}]", i + 1);
        let line = lines.iter().find(|l| l.offer == c.offer).ok_or_else(|| {
            FieldError::new(&field, "the course is not in the application")
                .coded("application-error-settle-offer", vec![])
        })?;
        if c.completed > line.places {
            return Err(FieldError::new(
                &field,
                format!("at most {} participants (the approved places)", line.places),
            )
            .coded(
                "application-error-settle-places",
                vec![("places", line.places.to_string())],
            ));
        }
        total = total
            .checked_add(
                line.price_per_participant_cents
                    .cents()
                    .saturating_mul(i64::from(c.completed)),
            )
            .ok_or_else(|| FieldError::new(&field, "too large an amount"))?;
    }
    Ok(Money::from_cents(total))
}

impl Step {
    /// The stable name of the step (audit log, API).
    pub fn name(&self) -> &'static str {
        match self {
            Step::Submit => "submit",
            Step::Withdraw => "withdraw",
            Step::StartCheck => "start_check",
            Step::Admissible => "admissible",
            Step::Inadmissible { .. } => "inadmissible",
            Step::RequestInformation { .. } => "request_information",
            Step::Answer { .. } => "answer",
            Step::Approve => "approve",
            Step::Reject { .. } => "reject",
            Step::Object { .. } => "object",
            Step::Uphold => "uphold",
            Step::Dismiss { .. } => "dismiss",
            Step::Expire => "expire",
            Step::Settle { .. } => "settle",
        }
    }

    /// A step by its stable name, with the text it carries (ignored by steps without one);
    /// none for an unknown name and for `settle` and `expire` (they carry more than a text,
    /// or are the job's).
    pub fn named(name: &str, text: String) -> Option<Step> {
        Some(match name {
            "submit" => Step::Submit,
            "withdraw" => Step::Withdraw,
            "start_check" => Step::StartCheck,
            "admissible" => Step::Admissible,
            "inadmissible" => Step::Inadmissible { reason: text },
            "request_information" => Step::RequestInformation { question: text },
            "answer" => Step::Answer { answer: text },
            "approve" => Step::Approve,
            "reject" => Step::Reject { reason: text },
            "object" => Step::Object { grounds: text },
            "uphold" => Step::Uphold,
            "dismiss" => Step::Dismiss { reason: text },
            _ => return None,
        })
    }

    /// Who may take it.
    pub fn actor(&self) -> Actor {
        match self {
            Step::Submit
            | Step::Withdraw
            | Step::Answer { .. }
            | Step::Object { .. }
            | Step::Settle { .. } => Actor::Provider,
            Step::Expire => Actor::System,
            _ => Actor::Manager,
        }
    }

    /// The text the step carries (a reason, a question, an answer, grounds), if any.
    pub fn text(&self) -> Option<&str> {
        match self {
            Step::Inadmissible { reason } | Step::Reject { reason } | Step::Dismiss { reason } => {
                Some(reason)
            }
            Step::RequestInformation { question } => Some(question),
            Step::Answer { answer } => Some(answer),
            Step::Object { grounds } => Some(grounds),
            Step::Settle { proof, .. } => Some(proof),
            _ => None,
        }
    }
}

use ApplicationStatus as S;

/// Every transition the review allows: (from, step, to). Nothing else happens.
pub const EDGES: &[(ApplicationStatus, &str, ApplicationStatus)] = &[
    (S::Draft, "submit", S::Submitted),
    (S::Draft, "withdraw", S::Withdrawn),
    (S::Submitted, "withdraw", S::Withdrawn),
    (S::Submitted, "start_check", S::AdmissibilityCheck),
    (S::AdmissibilityCheck, "admissible", S::Review),
    (S::AdmissibilityCheck, "inadmissible", S::Rejected),
    (S::Review, "request_information", S::InformationRequested),
    (S::InformationRequested, "answer", S::Review),
    (S::InformationRequested, "expire", S::Rejected),
    (S::Review, "approve", S::Approved),
    (S::Review, "reject", S::Rejected),
    (S::Rejected, "object", S::Objection),
    (S::Objection, "uphold", S::Review),
    (S::Objection, "dismiss", S::Rejected),
    (S::Approved, "settle", S::Settled),
];

/// An application's workflow state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Workflow {
    pub status: ApplicationStatus,
    /// When the step it waits for is due (the end of that day); none when nobody has to act
    /// by a date.
    #[serde(with = "crate::shared::iso_date_option")]
    pub deadline: Option<Date>,
    /// While information is requested: the review's working days that were left.
    pub paused_working_days: Option<u32>,
    /// Whether the provider has objected once already (an objection is possible once).
    pub objected: bool,
}

impl Workflow {
    pub fn draft() -> Workflow {
        Workflow {
            status: S::Draft,
            deadline: None,
            paused_working_days: None,
            objected: false,
        }
    }
}

/// Why a step cannot be taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkflowError {
    #[error("an application that is {status} cannot take the step {step}")]
    NotNow {
        status: ApplicationStatus,
        step: &'static str,
    },
    #[error("this step is not yours to take")]
    NotYours,
    #[error("the deadline for this step passed on {0}")]
    TooLate(Date),
    #[error("the deadline has not passed yet")]
    NotExpired,
    #[error("the call is not open for applications today")]
    CallClosed,
    #[error("an objection can be made once")]
    ObjectedBefore,
    #[error("{0}: write a few words (at most 2,000 characters)")]
    TextNeeded(&'static str),
}

/// Working days from `from` (exclusive) to `to` (inclusive); 0 when `to` is not after `from`.
pub fn working_days_between(from: Date, to: Date) -> u32 {
    let mut n = 0;
    let mut d = from;
    while d < to {
        match d.next_day() {
            Some(next) => d = next,
            None => break,
        }
        if crate::shared::workdays::is_working_day(d) {
            n += 1;
        }
    }
    n
}

/// The workflow after `step` taken by `actor` on `today`, or why not. Pure: storage writes the
/// result over the version it was decided on. `call_open`: whether the call takes
/// applications today (for submitting).
pub fn take(
    w: &Workflow,
    step: &Step,
    actor: Actor,
    today: Date,
    call_open: bool,
) -> Result<Workflow, WorkflowError> {
    if step.actor() != actor {
        return Err(WorkflowError::NotYours);
    }
    if let Some(text) = step.text()
        && (text.trim().is_empty() || text.chars().count() > 2_000)
    {
        return Err(WorkflowError::TextNeeded(step.name()));
    }
    let to = EDGES
        .iter()
        .find(|(from, name, _)| *from == w.status && *name == step.name())
        .map(|(_, _, to)| *to)
        .ok_or(WorkflowError::NotNow {
            status: w.status,
            step: step.name(),
        })?;
    // A step that waits for the provider must come by its deadline; the manager's own
    // deadlines are promises to the provider (shown, and late ones listed), not a lock-out.
    let provider_deadline = matches!(step, Step::Answer { .. } | Step::Object { .. });
    if provider_deadline
        && let Some(deadline) = w.deadline
        && today > deadline
    {
        return Err(WorkflowError::TooLate(deadline));
    }
    if matches!(step, Step::Expire) && w.deadline.is_none_or(|d| today <= d) {
        return Err(WorkflowError::NotExpired);
    }
    if matches!(step, Step::Submit) && !call_open {
        return Err(WorkflowError::CallClosed);
    }
    if matches!(step, Step::Object { .. }) && w.objected {
        return Err(WorkflowError::ObjectedBefore);
    }
    let mut next = Workflow {
        status: to,
        deadline: None,
        paused_working_days: None,
        objected: w.objected || matches!(step, Step::Object { .. }),
    };
    match step {
        Step::Submit => {
            next.deadline = Some(add_working_days(today, ADMISSIBILITY_WORKING_DAYS));
        }
        // The admissibility deadline runs on from submission.
        Step::StartCheck => next.deadline = w.deadline,
        Step::Admissible | Step::Uphold => {
            next.deadline = Some(add_working_days(today, REVIEW_WORKING_DAYS));
        }
        Step::RequestInformation { .. } => {
            let left = w
                .deadline
                .map_or(REVIEW_WORKING_DAYS, |d| working_days_between(today, d));
            next.paused_working_days = Some(left);
            next.deadline = Some(add_working_days(today, ANSWER_WORKING_DAYS));
        }
        Step::Answer { .. } => {
            let left = w.paused_working_days.unwrap_or(REVIEW_WORKING_DAYS).max(1);
            next.deadline = Some(add_working_days(today, left));
        }
        Step::Reject { .. } | Step::Inadmissible { .. } | Step::Expire if !next.objected => {
            next.deadline = Some(add_working_days(today, OBJECTION_WORKING_DAYS));
        }
        Step::Object { .. } => {
            next.deadline = Some(add_working_days(today, REVIEW_WORKING_DAYS));
        }
        _ => {}
    }
    Ok(next)
}

#[cfg(test)]
mod tests;
