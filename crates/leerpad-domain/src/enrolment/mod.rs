//! Enrolment in a course run, paid from a learning account, after Mon Compte Formation's flow.
//! Deadlines count Dutch working days ([`crate::shared::workdays`]); a deadline that passes
//! ends the enrolment and releases what was held.
//!
//! 1. The learner asks for a place on a run (**requested**); at most
//!    [`MAX_OPEN_REQUESTS`] open enrolments per learner.
//! 2. The provider answers within [`ANSWER_WORKING_DAYS`] working days: accepts with the final
//!    price and dates (**offered**), or declines with a reason (**declined**).
//! 3. The learner confirms within [`CONFIRM_WORKING_DAYS`] working days (**confirmed**): the
//!    price is held on their learning account.
//! 4. Until [`WITHDRAWAL_DAYS`] days after confirming, and never after the start, the learner
//!    may withdraw for free (**withdrawn**: the hold is released).
//! 5. The provider declares the start within [`START_WORKING_DAYS`] working days of the start
//!    date (**started**), or that the learner did not come (**no-show**: the hold is released,
//!    no training was given).
//! 6. At the end the provider declares completion with proof (**completed**): the hold is paid
//!    to the provider in full; the payout to the provider's bank is due within
//!    [`PAYOUT_DAYS`] days.
//!
//! A learner who stops after the start (**cancelled**) pays the part of the course that has
//! passed, by days between its start and end; the rest is released.

pub mod ports;

use crate::UnixTime;
use crate::shared::{
    Date, Money, OfferId, ProviderId, TransferId, UserId, workdays::add_working_days,
};
use time::Duration;

pub const MAX_OPEN_REQUESTS: usize = 5;
pub const ANSWER_WORKING_DAYS: u32 = 2;
pub const CONFIRM_WORKING_DAYS: u32 = 4;
pub const WITHDRAWAL_DAYS: i64 = 14;
pub const START_WORKING_DAYS: u32 = 3;
pub const PAYOUT_DAYS: i64 = 30;

crate::shared::string_enum! {
    /// Where an enrolment stands.
    EnrolmentStatus {
        Requested = "requested",
        Offered = "offered",
        Declined = "declined",
        Confirmed = "confirmed",
        Started = "started",
        Completed = "completed",
        Withdrawn = "withdrawn",
        Cancelled = "cancelled",
        NoShow = "no-show",
        /// A deadline passed without the step it waited for.
        Expired = "expired",
    }
}

impl EnrolmentStatus {
    /// Still going: it counts towards the learner's open requests.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            EnrolmentStatus::Requested
                | EnrolmentStatus::Offered
                | EnrolmentStatus::Confirmed
                | EnrolmentStatus::Started
        )
    }
}

/// An enrolment as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrolment {
    pub id: i64,
    pub learner: UserId,
    pub offer: OfferId,
    pub provider: ProviderId,
    /// The provider's id of the run.
    pub run: String,
    pub status: EnrolmentStatus,
    /// Price and dates as offered by the provider.
    pub price: Option<Money>,
    pub starts_on: Option<Date>,
    pub ends_on: Option<Date>,
    /// The last day of the step it waits for (inclusive).
    pub deadline: Option<Date>,
    /// When the learner confirmed (the withdrawal period runs from it).
    pub confirmed_on: Option<Date>,
    /// The money held on the learner's account.
    pub hold: Option<TransferId>,
    /// Why it was declined or cancelled, or the proof of completion.
    pub note: Option<String>,
    pub version: i64,
    pub created_at: UnixTime,
}

/// Who takes a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    Learner,
    Provider,
    /// The deadline job.
    Deadline,
}

/// A step in an enrolment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Accept {
        price: Money,
        starts_on: Date,
        ends_on: Date,
    },
    Decline {
        reason: String,
    },
    Confirm,
    Withdraw,
    DeclareStart,
    DeclareNoShow,
    DeclareCompletion {
        proof: String,
    },
    Cancel {
        reason: String,
    },
    Expire,
}

/// What a step does with the learner's money.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settlement {
    Nothing,
    /// Hold the price until the deadline (the end of the course plus the time to declare it).
    Hold {
        amount: Money,
        until: Date,
    },
    /// Pay this part of the hold to the provider; the rest is released.
    Pay(Money),
    /// Release the hold in full.
    Release,
}

/// The outcome of a step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub status: EnrolmentStatus,
    pub deadline: Option<Date>,
    pub money: Settlement,
}

/// Why a step cannot be taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnrolmentError {
    #[error("an enrolment that is {status} cannot take this step")]
    WrongStatus { status: EnrolmentStatus },
    #[error("only the {0} takes this step")]
    WrongActor(&'static str),
    #[error("the deadline was {deadline}; it has passed")]
    TooLate { deadline: Date },
    #[error("the deadline {deadline} has not passed yet")]
    NotYet { deadline: Date },
    #[error("the withdrawal period has ended")]
    WithdrawalOver,
    #[error("the course has not started yet")]
    NotStarted,
    #[error("{field}: {message}")]
    Invalid {
        field: &'static str,
        message: &'static str,
    },
}

/// The last day a declaration of completion waits for after the course ends.
fn completion_deadline(ends_on: Date) -> Date {
    add_working_days(ends_on, START_WORKING_DAYS)
}

/// The share of `price` for the days of [`starts_on`, `ends_on`] that have passed by `today`
/// (both ends counted), in whole cents, rounded down.
pub fn share_passed(price: Money, starts_on: Date, ends_on: Date, today: Date) -> Money {
    let total = (ends_on - starts_on).whole_days() + 1;
    let passed = ((today - starts_on).whole_days() + 1).clamp(0, total.max(1));
    if total <= 0 {
        return price;
    }
    Money::from_cents(price.cents().saturating_mul(passed) / total)
}

/// The deadline of a new request made on `today`.
pub fn first_deadline(today: Date) -> Date {
    add_working_days(today, ANSWER_WORKING_DAYS)
}

/// What `step` by `actor` on `today` does to enrolment `e`.
pub fn take(
    e: &Enrolment,
    actor: Actor,
    step: &Step,
    today: Date,
) -> Result<Outcome, EnrolmentError> {
    use EnrolmentStatus as S;
    let only = |who: Actor, name: &'static str| {
        if actor == who {
            Ok(())
        } else {
            Err(EnrolmentError::WrongActor(name))
        }
    };
    let in_time = || match e.deadline {
        Some(d) if today > d => Err(EnrolmentError::TooLate { deadline: d }),
        _ => Ok(()),
    };
    let wrong = || Err(EnrolmentError::WrongStatus { status: e.status });
    let outcome = |status, deadline, money| {
        Ok(Outcome {
            status,
            deadline,
            money,
        })
    };
    match (e.status, step) {
        (
            S::Requested,
            Step::Accept {
                price,
                starts_on,
                ends_on,
            },
        ) => {
            only(Actor::Provider, "provider")?;
            in_time()?;
            if price.cents() <= 0 {
                return Err(EnrolmentError::Invalid {
                    field: "price",
                    message: "a price above zero",
                });
            }
            if ends_on < starts_on || *starts_on <= today {
                return Err(EnrolmentError::Invalid {
                    field: "starts_on",
                    message: "a start after today and an end on or after the start",
                });
            }
            outcome(
                S::Offered,
                Some(add_working_days(today, CONFIRM_WORKING_DAYS)),
                Settlement::Nothing,
            )
        }
        (S::Requested, Step::Decline { reason }) => {
            only(Actor::Provider, "provider")?;
            if reason.trim().is_empty() {
                return Err(EnrolmentError::Invalid {
                    field: "reason",
                    message: "a reason is required",
                });
            }
            outcome(S::Declined, None, Settlement::Nothing)
        }
        (S::Offered, Step::Confirm) => {
            only(Actor::Learner, "learner")?;
            in_time()?;
            let (Some(price), Some(starts_on), Some(ends_on)) = (e.price, e.starts_on, e.ends_on)
            else {
                return wrong();
            };
            if starts_on <= today {
                return Err(EnrolmentError::TooLate {
                    deadline: starts_on - Duration::days(1),
                });
            }
            let until = completion_deadline(ends_on);
            outcome(
                S::Confirmed,
                Some(add_working_days(starts_on, START_WORKING_DAYS)),
                Settlement::Hold {
                    amount: price,
                    until,
                },
            )
        }
        (S::Requested | S::Offered, Step::Withdraw) => {
            only(Actor::Learner, "learner")?;
            outcome(S::Withdrawn, None, Settlement::Nothing)
        }
        (S::Confirmed, Step::Withdraw) => {
            only(Actor::Learner, "learner")?;
            let confirmed = e.confirmed_on.unwrap_or(today);
            let free_until = confirmed + Duration::days(WITHDRAWAL_DAYS);
            if today > free_until || e.starts_on.is_some_and(|s| today >= s) {
                return Err(EnrolmentError::WithdrawalOver);
            }
            outcome(S::Withdrawn, None, Settlement::Release)
        }
        (S::Confirmed, Step::DeclareStart) => {
            only(Actor::Provider, "provider")?;
            if e.starts_on.is_some_and(|s| today < s) {
                return Err(EnrolmentError::NotStarted);
            }
            in_time()?;
            outcome(
                S::Started,
                e.ends_on.map(completion_deadline),
                Settlement::Nothing,
            )
        }
        (S::Confirmed, Step::DeclareNoShow) => {
            only(Actor::Provider, "provider")?;
            if e.starts_on.is_some_and(|s| today < s) {
                return Err(EnrolmentError::NotStarted);
            }
            outcome(S::NoShow, None, Settlement::Release)
        }
        (S::Started, Step::DeclareCompletion { proof }) => {
            only(Actor::Provider, "provider")?;
            if proof.trim().is_empty() {
                return Err(EnrolmentError::Invalid {
                    field: "proof",
                    message: "proof of completion is required",
                });
            }
            in_time()?;
            let price = e.price.unwrap_or(Money::ZERO);
            outcome(S::Completed, None, Settlement::Pay(price))
        }
        (S::Started, Step::Cancel { .. }) => {
            only(Actor::Learner, "learner")?;
            let (Some(price), Some(starts_on), Some(ends_on)) = (e.price, e.starts_on, e.ends_on)
            else {
                return wrong();
            };
            let share = share_passed(price, starts_on, ends_on, today);
            let money = if share.cents() > 0 {
                Settlement::Pay(share)
            } else {
                Settlement::Release
            };
            outcome(S::Cancelled, None, money)
        }
        (S::Requested | S::Offered | S::Confirmed | S::Started, Step::Expire) => {
            only(Actor::Deadline, "deadline job")?;
            let Some(deadline) = e.deadline else {
                return wrong();
            };
            if today <= deadline {
                return Err(EnrolmentError::NotYet { deadline });
            }
            // A course that started but was never declared done: the provider is not paid
            // without proof; the learner's money is released.
            let money = if e.hold.is_some() {
                Settlement::Release
            } else {
                Settlement::Nothing
            };
            outcome(S::Expired, None, money)
        }
        _ => wrong(),
    }
}

#[cfg(test)]
mod tests;
