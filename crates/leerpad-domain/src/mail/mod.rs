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
}
