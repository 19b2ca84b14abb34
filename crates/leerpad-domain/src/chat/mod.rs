//! Conversations between a learner and a career advisor ("Stel je vraag aan een adviseur", or
//! about a booked ontwikkeladvies): who may take part, how a question is routed to the least
//! busy advisor on duty, where someone waits in the queue, and what a message may hold.
//!
//! The database is the source of truth: a message is stored before anyone is told about it,
//! and a client catches up by asking for everything after the last id it saw.

pub mod ports;

use crate::UnixTime;
use crate::advice::advisors::Hours;
use crate::shared::{FieldError, ProgrammeId, UserId};
use serde::{Deserialize, Serialize};

/// The longest message, in characters.
pub const MAX_MESSAGE_CHARS: usize = 2_000;
/// Conversations an advisor has open at once unless configured otherwise.
pub const DEFAULT_ADVISOR_LIMIT: u32 = 3;

crate::shared::string_enum! {
    /// Where a conversation stands.
    ConversationStatus {
        /// In the queue: no advisor yet.
        Waiting = "waiting",
        Open = "open",
        Closed = "closed",
    }
}

/// A conversation as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Conversation {
    pub id: i64,
    pub learner_id: UserId,
    pub advisor_id: Option<UserId>,
    /// The programme whose advisors answer (None: any advisor).
    pub programme_id: Option<ProgrammeId>,
    /// The appointment the conversation belongs to, when it is about a booked advice.
    pub appointment_id: Option<i64>,
    pub subject: String,
    pub status: ConversationStatus,
    pub created_at: UnixTime,
    pub assigned_at: Option<UnixTime>,
    pub closed_at: Option<UnixTime>,
    /// The learner's answer to "how did it go?" (1–5).
    pub rating: Option<u8>,
    /// Started outside office hours: the learner is told when an advisor answers.
    pub after_hours: bool,
}

impl Conversation {
    /// Only the learner and the advisor assigned to it take part (nobody else, not even
    /// another advisor).
    pub fn is_participant(&self, user: UserId) -> bool {
        self.learner_id == user || self.advisor_id == Some(user)
    }
}

/// A message as stored; ids grow, so "after id N" is everything a client has not seen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatMessage {
    pub id: i64,
    pub conversation_id: i64,
    /// None for what Leerpad says itself (e.g. "an advisor joined").
    pub author_id: Option<UserId>,
    pub body: String,
    pub created_at: UnixTime,
}

/// A message's text as it may be stored: trimmed, not empty, at most [`MAX_MESSAGE_CHARS`],
/// no control characters but line breaks and tabs. (It is escaped where it is shown.)
pub fn message_body(text: &str) -> Result<String, FieldError> {
    let body = text.trim().replace("\r\n", "\n");
    if body.is_empty() {
        return Err(FieldError::new("body", "a message needs text").coded("required", vec![]));
    }
    if body.chars().count() > MAX_MESSAGE_CHARS {
        return Err(
            FieldError::new("body", format!("at most {MAX_MESSAGE_CHARS} characters"))
                .coded("too-long", vec![("max", MAX_MESSAGE_CHARS.to_string())]),
        );
    }
    if body
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(
            FieldError::new("body", "control characters are not allowed")
                .coded("control-character", vec![]),
        );
    }
    Ok(body)
}

/// An advisor's load when a question is routed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdvisorLoad {
    pub advisor_id: UserId,
    /// Conversations open now.
    pub open: u32,
    pub limit: u32,
    /// When they last took a conversation (ties go to who waited longest).
    pub last_assigned_at: Option<UnixTime>,
    /// The programmes whose questions they answer; `None`: every question.
    pub programmes: Option<Vec<ProgrammeId>>,
}

/// Whether an advisor answering `programmes` (`None`: all) takes a question about
/// `programme` (`None`: a general question, which every advisor takes).
pub fn answers(programmes: Option<&[ProgrammeId]>, programme: Option<ProgrammeId>) -> bool {
    match (programmes, programme) {
        (None, _) | (_, None) => true,
        (Some(list), Some(p)) => list.contains(&p),
    }
}

/// The advisor on duty who gets the next question about `programme`: one who answers that
/// programme's questions, under their limit, with the fewest open conversations; among equals,
/// the one who took a conversation longest ago, then the lowest id.
pub fn least_busy(loads: &[AdvisorLoad], programme: Option<ProgrammeId>) -> Option<UserId> {
    loads
        .iter()
        .filter(|l| l.open < l.limit && answers(l.programmes.as_deref(), programme))
        .min_by_key(|l| (l.open, l.last_assigned_at.unwrap_or(i64::MIN), l.advisor_id))
        .map(|l| l.advisor_id)
}

/// A waiting question's place in the queue its advisors work through (1 = next): the
/// questions before it that the same advisors could take first — those about the same
/// programme and general ones; for a general question, all before it.
pub fn queue_position(waiting: &[Conversation], id: i64) -> Option<usize> {
    let mine = waiting.iter().find(|c| c.id == id)?;
    Some(
        waiting
            .iter()
            .filter(|c| c.id < id)
            .filter(|c| {
                mine.programme_id.is_none()
                    || c.programme_id.is_none()
                    || c.programme_id == mine.programme_id
            })
            .count()
            + 1,
    )
}

/// When advisors answer questions: weekly hours in Dutch local time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficeHours {
    pub weekly: Vec<Hours>,
}

impl Default for OfficeHours {
    /// Monday to Friday, 09:00 to 17:00.
    fn default() -> Self {
        OfficeHours {
            weekly: (1..=5)
                .map(|weekday| Hours {
                    weekday,
                    from_minute: 9 * 60,
                    until_minute: 17 * 60,
                })
                .collect(),
        }
    }
}

impl OfficeHours {
    /// Whether `at` falls within the hours (Europe/Amsterdam).
    pub fn open_at(&self, at: UnixTime) -> bool {
        let Ok(ts) = jiff::Timestamp::from_second(at) else {
            return false;
        };
        let tz = jiff::tz::TimeZone::get("Europe/Amsterdam").unwrap_or(jiff::tz::TimeZone::UTC);
        let local = ts.to_zoned(tz);
        let weekday = local.weekday().to_monday_one_offset();
        let minute = u16::try_from(i32::from(local.hour()) * 60 + i32::from(local.minute()))
            .unwrap_or(u16::MAX);
        self.weekly.iter().any(|h| {
            i8::try_from(h.weekday).is_ok_and(|d| d == weekday)
                && h.from_minute <= minute
                && minute < h.until_minute
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(id: i64, open: u32, last: Option<i64>) -> AdvisorLoad {
        AdvisorLoad {
            advisor_id: UserId::new(id),
            open,
            limit: 3,
            last_assigned_at: last,
            programmes: None,
        }
    }

    #[test]
    fn the_least_busy_advisor_under_their_limit_gets_the_question() {
        assert_eq!(
            least_busy(
                &[load(1, 2, None), load(2, 1, Some(50)), load(3, 1, Some(10))],
                None
            ),
            Some(UserId::new(3)),
            "fewest open, then the one who took one longest ago"
        );
        assert_eq!(
            least_busy(&[load(1, 3, None), load(2, 3, None)], None),
            None
        );
        assert_eq!(least_busy(&[], None), None);
    }

    #[test]
    fn a_programme_question_goes_to_an_advisor_of_that_programme() {
        let limburg = ProgrammeId::new(7);
        let national = ProgrammeId::new(8);
        let only = |id: i64, open: u32, p: ProgrammeId| AdvisorLoad {
            programmes: Some(vec![p]),
            ..load(id, open, None)
        };
        let busy_limburg = AdvisorLoad {
            last_assigned_at: Some(50),
            ..only(2, 2, limburg)
        };
        let loads = [only(1, 0, national), busy_limburg, load(3, 2, Some(5))];
        assert_eq!(
            least_busy(&loads, Some(limburg)),
            Some(UserId::new(3)),
            "the national advisor is idle but does not answer for Limburg; of the rest, \
             the one who took a question longest ago"
        );
        assert_eq!(
            least_busy(&loads, None),
            Some(UserId::new(1)),
            "general: anyone"
        );
        assert_eq!(least_busy(&[only(1, 0, national)], Some(limburg)), None);
    }

    #[test]
    fn the_queue_counts_who_the_same_advisors_take_first() {
        let waiting = |id: i64, p: Option<i64>| Conversation {
            id,
            learner_id: UserId::new(id),
            advisor_id: None,
            programme_id: p.map(ProgrammeId::new),
            appointment_id: None,
            subject: String::new(),
            status: ConversationStatus::Waiting,
            created_at: id,
            assigned_at: None,
            closed_at: None,
            rating: None,
            after_hours: false,
        };
        let queue = [
            waiting(1, Some(7)),
            waiting(2, Some(8)),
            waiting(3, None),
            waiting(4, Some(7)),
        ];
        assert_eq!(
            queue_position(&queue, 4),
            Some(3),
            "the 7 and the general one before it"
        );
        assert_eq!(
            queue_position(&queue, 3),
            Some(3),
            "a general question waits behind all"
        );
        assert_eq!(queue_position(&queue, 2), Some(1));
        assert_eq!(queue_position(&queue, 9), None);
    }

    #[test]
    fn a_message_is_text_of_a_sensible_length() {
        assert_eq!(
            message_body("  hallo\r\ndaar ").as_deref(),
            Ok("hallo\ndaar")
        );
        assert!(message_body("   ").is_err());
        assert!(message_body(&"a".repeat(MAX_MESSAGE_CHARS + 1)).is_err());
        assert!(message_body("bel\u{7}").is_err());
        // Markup is text: it is escaped when shown, not refused.
        assert_eq!(
            message_body("<script>x</script>").as_deref(),
            Ok("<script>x</script>")
        );
    }

    #[test]
    fn office_hours_are_dutch_weekday_hours() {
        let hours = OfficeHours::default();
        // Monday 7 December 2026, 10:00 in Amsterdam (09:00 UTC); 18:00; Saturday 10:00.
        let monday_ten = 1_796_634_000;
        assert!(hours.open_at(monday_ten));
        assert!(!hours.open_at(monday_ten + 8 * 3_600));
        assert!(!hours.open_at(monday_ten + 5 * 86_400));
    }

    #[test]
    fn only_the_learner_and_their_advisor_take_part() {
        let c = Conversation {
            id: 1,
            learner_id: UserId::new(1),
            advisor_id: Some(UserId::new(2)),
            programme_id: None,
            appointment_id: None,
            subject: String::new(),
            status: ConversationStatus::Open,
            created_at: 0,
            assigned_at: Some(0),
            closed_at: None,
            rating: None,
            after_hours: false,
        };
        assert!(c.is_participant(UserId::new(1)) && c.is_participant(UserId::new(2)));
        assert!(!c.is_participant(UserId::new(3)));
    }
}
