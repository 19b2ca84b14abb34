//! What chat needs from storage (conversations, messages, who is on duty) and from the
//! message bus that tells every server's connections that something changed.

use super::{ChatMessage, Conversation};
use crate::UnixTime;
use crate::ports::StoreResult;
use crate::shared::{ProgrammeId, UserId};
use serde::{Deserialize, Serialize};

/// A conversation to start.
#[derive(Debug, Clone)]
pub struct NewConversation<'a> {
    pub learner_id: UserId,
    pub programme_id: Option<ProgrammeId>,
    /// About a booked advice: its appointment (a conversation per appointment).
    pub appointment: Option<i64>,
    /// The advisor, when known (the appointment's); `None` routes the question.
    pub advisor: Option<UserId>,
    pub subject: &'a str,
    pub after_hours: bool,
    pub at: UnixTime,
}

/// An advisor's turn on duty for questions.
#[derive(Debug, Clone, Copy)]
pub struct Duty<'a> {
    pub advisor: UserId,
    /// Open conversations at most.
    pub limit: u32,
    pub until: UnixTime,
    /// The programmes whose questions they answer; `None`: every question.
    pub programmes: Option<&'a [ProgrammeId]>,
    pub at: UnixTime,
}

/// A message to store.
#[derive(Debug, Clone)]
pub struct NewChatMessage<'a> {
    pub conversation_id: i64,
    pub author_id: Option<UserId>,
    pub body: &'a str,
    /// Chosen by the sending client: the same key again is the same message (a resend after
    /// a lost connection), never a second one.
    pub client_key: Option<&'a str>,
    pub at: UnixTime,
}

/// Conversations, messages, read marks and advisors on duty.
#[async_trait::async_trait]
pub trait ChatStore: Send + Sync {
    /// Start a conversation. A question goes, in the same transaction, to the least busy
    /// advisor on duty under their limit (see [`super::least_busy`]), or waits in the queue;
    /// one with a known advisor (an appointment's) is open with them at once, and one about
    /// an appointment is started once.
    async fn start_conversation(&self, new: NewConversation<'_>) -> StoreResult<Conversation>;
    async fn conversation(&self, id: i64) -> StoreResult<Option<Conversation>>;
    /// A person's conversations, as learner or as advisor, newest first.
    async fn conversations_of(&self, user: UserId) -> StoreResult<Vec<Conversation>>;
    /// Questions waiting for an advisor, oldest first (the queue).
    async fn waiting_conversations(&self) -> StoreResult<Vec<Conversation>>;
    /// The advisor is on duty until `until` with at most `limit` open conversations; waiting
    /// questions they answer (see [`super::answers`]) are given to them, oldest first, up to
    /// the limit, in one transaction. Returns the conversations given now.
    async fn go_on_duty(&self, duty: Duty<'_>) -> StoreResult<Vec<Conversation>>;
    async fn go_off_duty(&self, advisor: UserId) -> StoreResult<()>;
    /// Until when the advisor is on duty (None: not at all).
    async fn on_duty_until(&self, advisor: UserId) -> StoreResult<Option<UnixTime>>;
    /// Store a message (refused when the conversation is closed). A known client key returns
    /// the message stored with it.
    async fn add_message(&self, new: NewChatMessage<'_>) -> StoreResult<ChatMessage>;
    /// Messages with an id above `after`, in order.
    async fn messages_after(
        &self,
        conversation_id: i64,
        after: i64,
        limit: u32,
    ) -> StoreResult<Vec<ChatMessage>>;
    /// The person has read up to message `up_to` (never moves back).
    async fn mark_read(&self, conversation_id: i64, user: UserId, up_to: i64) -> StoreResult<()>;
    /// How far each participant has read.
    async fn read_marks(&self, conversation_id: i64) -> StoreResult<Vec<(UserId, i64)>>;
    /// Close an open or waiting conversation; false when it was closed already.
    async fn close_conversation(&self, id: i64, at: UnixTime) -> StoreResult<bool>;
    /// The learner's rating of a closed conversation (once).
    async fn rate_conversation(&self, id: i64, rating: u8) -> StoreResult<bool>;
}

/// What one server tells all servers' connections. Messages themselves are never carried:
/// a connection that hears of a message reads what it has not sent yet from the database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "t", rename_all = "snake_case")]
pub enum ChatSignal {
    /// A new message in the conversation.
    Message { c: i64 },
    /// Someone is typing.
    Typing { c: i64, u: UserId },
    /// Someone read up to a message.
    Read { c: i64, u: UserId, id: i64 },
    /// The conversation was assigned, closed or rated.
    Changed { c: i64 },
    /// The queue moved: waiting people's positions changed.
    Queue,
    /// A WebRTC signalling message for the other participant of a video call.
    Rtc { c: i64, from: UserId, data: String },
    /// Signals may have been missed (a lost connection to the bus): read everything again.
    Resync,
}

/// Publish and subscribe across the servers that share a database (PostgreSQL
/// `LISTEN/NOTIFY`; within one process on SQLite).
#[async_trait::async_trait]
pub trait ChatBus: Send + Sync {
    async fn publish(&self, signal: &ChatSignal) -> StoreResult<()>;
    fn subscribe(&self) -> Box<dyn ChatSubscription>;
}

/// One listener's stream of signals.
#[async_trait::async_trait]
pub trait ChatSubscription: Send {
    /// The next signal; `None` when the bus is gone.
    async fn next(&mut self) -> Option<ChatSignal>;
}
