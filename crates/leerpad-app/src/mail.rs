//! Messages to people, as they read them: their own messages, and for administrators the
//! development mailbox (every message, while no mail server is configured).

use crate::error::AppResult;
use leerpad_domain::mail::ports::{OutboxMessage, OutboxStore};
use leerpad_domain::policy::{Action, Principal};
use std::sync::Arc;

#[derive(Clone)]
pub struct Mailbox {
    outbox: Arc<dyn OutboxStore>,
}

impl Mailbox {
    pub fn new(outbox: Arc<dyn OutboxStore>) -> Mailbox {
        Mailbox { outbox }
    }

    /// The person's own messages, newest first.
    pub async fn mine(&self, principal: &Principal) -> AppResult<Vec<OutboxMessage>> {
        principal.authorize(Action::ManageOwnAccount)?;
        Ok(self.outbox.messages_of(principal.user_id, 100).await?)
    }

    /// Every recent message (administrators: the development mailbox).
    pub async fn all(&self, principal: &Principal) -> AppResult<Vec<OutboxMessage>> {
        principal.authorize(Action::ViewAnyAccount)?;
        Ok(self.outbox.recent_messages(200).await?)
    }
}
