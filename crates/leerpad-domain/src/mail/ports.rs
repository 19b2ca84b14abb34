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
    /// Messages not delivered yet, oldest first.
    async fn undelivered(&self, limit: u32) -> StoreResult<Vec<OutboxMessage>>;
    async fn mark_delivered(&self, id: i64, at: UnixTime) -> StoreResult<()>;
    async fn mark_failed(&self, id: i64, error: &str) -> StoreResult<()>;
    /// A person's messages, newest first.
    async fn messages_of(&self, user_id: UserId, limit: u32) -> StoreResult<Vec<OutboxMessage>>;
    /// The newest messages, delivered or not (the development mailbox).
    async fn recent_messages(&self, limit: u32) -> StoreResult<Vec<OutboxMessage>>;
}
