//! Messages to people, as they read them: their own messages, and for administrators the
//! development mailbox (every message, while no mail server is configured).

use crate::error::AppResult;
use leerpad_domain::clock::Clock;
use leerpad_domain::mail::next_attempt;
use leerpad_domain::mail::ports::{
    MailText, MailTransport, OutboxMessage, OutboxStore, OutgoingMail,
};
use leerpad_domain::policy::{Action, Principal};
use std::sync::Arc;

/// How long a worker may take to send a batch before another may take its messages.
const DELIVERY_LEASE_SECS: i64 = 120;
/// Messages taken at once.
const DELIVERY_BATCH: u32 = 50;

#[derive(Clone)]
pub struct Mailbox {
    outbox: Arc<dyn OutboxStore>,
    clock: Arc<dyn Clock>,
}

/// What one round of delivery did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Delivered {
    pub sent: usize,
    /// Failed now, tried again later.
    pub retrying: usize,
    /// Failed too often: kept on the site, no longer mailed.
    pub given_up: usize,
}

impl Mailbox {
    pub fn new(outbox: Arc<dyn OutboxStore>, clock: Arc<dyn Clock>) -> Mailbox {
        Mailbox { outbox, clock }
    }

    /// Mail every message that is due, each in its recipient's language, until none is left.
    /// A message is marked sent only after the mail server took it; a failure is tried again
    /// later (see [`next_attempt`]), so a message is neither lost nor sent twice by two servers.
    pub async fn deliver_due(
        &self,
        transport: &dyn MailTransport,
        texts: &dyn MailText,
    ) -> AppResult<Delivered> {
        let mut done = Delivered::default();
        loop {
            let now = self.clock.now();
            let batch = self
                .outbox
                .claim_undelivered(now, now + DELIVERY_LEASE_SECS, DELIVERY_BATCH)
                .await?;
            if batch.is_empty() {
                return Ok(done);
            }
            for m in batch {
                let (subject, body) = texts.text(&m.lang, &m.message);
                let mail = OutgoingMail {
                    key: m.key.clone(),
                    to: m.to.clone(),
                    lang: m.lang.clone(),
                    subject,
                    body,
                };
                let now = self.clock.now();
                match transport.send(&mail).await {
                    Ok(()) => {
                        self.outbox.mark_delivered(m.id, now).await?;
                        done.sent += 1;
                    }
                    Err(e) => {
                        let retry = next_attempt(m.attempts + 1, now);
                        tracing::warn!(message = %m.key, attempt = m.attempts + 1, error = %e, "mail not delivered");
                        self.outbox
                            .mark_failed(m.id, &e.to_string(), now, retry)
                            .await?;
                        match retry {
                            Some(_) => done.retrying += 1,
                            None => done.given_up += 1,
                        }
                    }
                }
            }
        }
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
