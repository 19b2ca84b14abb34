//! The outbox.

use super::Message;
use crate::UnixTime;
use crate::ports::StoreResult;
use crate::shared::UserId;

/// A message waiting for delivery, or delivered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxMessage {
    pub id: i64,
    pub key: String,
    pub user_id: Option<UserId>,
    pub to: String,
    /// nl or en.
    pub lang: String,
    pub message: Message,
    pub created_at: UnixTime,
    pub sent_at: Option<UnixTime>,
    pub attempts: u32,
    pub last_error: Option<String>,
    /// Set when delivery was given up after too many failures.
    pub given_up_at: Option<UnixTime>,
}

/// A message to write.
#[derive(Debug, Clone)]
pub struct NewMessage<'a> {
    /// Unique for what caused it (e.g. the job's key): the same key is written once.
    pub key: &'a str,
    pub user_id: UserId,
    pub to: &'a str,
    pub lang: &'a str,
    pub message: &'a Message,
    pub at: UnixTime,
}

#[async_trait::async_trait]
pub trait OutboxStore: Send + Sync {
    /// Write a message; false when one with this key exists already.
    async fn enqueue_message(&self, new: NewMessage<'_>) -> StoreResult<bool>;
    /// Take up to `limit` messages due for delivery (oldest first) and keep them from other
    /// workers until `lease_until`, so two servers never send the same message.
    async fn claim_undelivered(
        &self,
        now: UnixTime,
        lease_until: UnixTime,
        limit: u32,
    ) -> StoreResult<Vec<OutboxMessage>>;
    async fn mark_delivered(&self, id: i64, at: UnixTime) -> StoreResult<()>;
    /// A failed attempt: try again at `retry_at`, or give up (`None`) at `at`.
    async fn mark_failed(
        &self,
        id: i64,
        error: &str,
        at: UnixTime,
        retry_at: Option<UnixTime>,
    ) -> StoreResult<()>;
    /// A person's messages, newest first.
    async fn messages_of(&self, user_id: UserId, limit: u32) -> StoreResult<Vec<OutboxMessage>>;
    /// The newest messages, delivered or not (the development mailbox).
    async fn recent_messages(&self, limit: u32) -> StoreResult<Vec<OutboxMessage>>;
}

/// A message ready to send: addressed, with its text in the recipient's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMail {
    /// The outbox key: the same message always has the same Message-ID.
    pub key: String,
    pub to: String,
    pub lang: String,
    pub subject: String,
    pub body: String,
}

/// Why a message could not be handed over (the mail server's answer, or no connection).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct SendError(pub String);

/// Where messages go out (SMTP in production); an adapter outside the domain.
#[async_trait::async_trait]
pub trait MailTransport: Send + Sync {
    async fn send(&self, mail: &OutgoingMail) -> Result<(), SendError>;
}

/// A message's subject and body in a language (the translation files live in the web layer).
pub trait MailText: Send + Sync {
    fn text(&self, lang: &str, message: &Message) -> (String, String);
}
