//! Messages to people (reminders, a place that came free): written to an outbox in the same
//! step as the work that causes them, and delivered afterwards, so a message is never lost when
//! delivery fails and never sent twice when the work is retried (each has a unique key).
//!
//! A message is stored as its kind, language and parameters, not as text: the text comes from
//! the translation files when it is delivered or shown.

pub mod ports;

use serde::{Deserialize, Serialize};

/// What a message says, with what it needs to say it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Message {
    /// An advice appointment is coming up.
    AppointmentReminder {
        starts_at: crate::UnixTime,
        advisor: String,
        /// 24 or 1.
        hours_before: u8,
        programme: String,
    },
    /// A place came free and is now the person's.
    PlaceFromWaitlist { programme: String, title: String },
    /// An advisor answered a question asked outside office hours.
    ChatAnswered { conversation: i64, subject: String },
    /// The learner's consent for an advisor to read their profile has ended (after its term).
    ConsentEnded { programme: String, advisor: String },
    /// A completed course's survey: how was it (or, six months on, what came of it)?
    SurveyInvitation {
        enrolment: i64,
        /// The outcome survey (else the end-of-course one).
        outcome: bool,
        title: String,
    },
    /// An employer proposes that the person works at another company for a while; it goes
    /// ahead only if they say yes.
    PlacementProposed { employer: String, work: String },
    /// The provider answered the learner's complaint about a course.
    ComplaintAnswered { title: String },
    /// A provider's course was flagged or suspended by its ratings, and why.
    OfferStanding {
        title: String,
        suspended: bool,
        /// The average score in tenths, and how many answered.
        average_tenths: u32,
        answers: u32,
    },
}

/// Attempts at delivery before a message is given up (it stays readable on the site).
pub const MAX_DELIVERY_ATTEMPTS: u32 = 7;

/// When to try again after `attempts` failed deliveries (1, 5, 15 minutes, 1, 4 and 12
/// hours), or `None` when the message is given up: a mail server that is down for a while
/// does not lose a message, and one that refuses an address is not asked forever.
pub fn next_attempt(attempts: u32, now: crate::UnixTime) -> Option<crate::UnixTime> {
    const WAIT_MINUTES: [i64; 6] = [1, 5, 15, 60, 240, 720];
    if attempts >= MAX_DELIVERY_ATTEMPTS {
        return None;
    }
    let step = usize::try_from(attempts.saturating_sub(1)).unwrap_or(usize::MAX);
    let minutes = WAIT_MINUTES
        .get(step)
        .or(WAIT_MINUTES.last())
        .copied()
        .unwrap_or(1);
    Some(now + minutes * 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_delivery_is_tried_again_later_and_then_given_up() {
        assert_eq!(next_attempt(1, 1_000), Some(1_060));
        assert_eq!(next_attempt(2, 1_000), Some(1_300));
        assert_eq!(next_attempt(6, 0), Some(720 * 60));
        assert_eq!(next_attempt(MAX_DELIVERY_ATTEMPTS, 0), None);
        let waits: Vec<i64> = (1..MAX_DELIVERY_ATTEMPTS)
            .filter_map(|a| next_attempt(a, 0))
            .collect();
        assert!(waits.windows(2).all(|w| w[0] < w[1]), "{waits:?}");
    }
}
